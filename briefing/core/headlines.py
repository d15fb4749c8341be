"""The Overview's headline figures: pure functions over a Store, every figure with its date and sources.

Nothing is estimated here: each figure is either a sourced observation read as-is (download share,
family downloads and derivatives) or a plain count/sum over sourced records (commitments, policy
actions, models tracked), and says which. A figure with no data is left out, never shown as zero.
Thread rules: none; the Store must belong to the calling thread.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from briefing.core.records import ENUMS
from briefing.core.store import Store

OPEN_ACCESS = ("open_weights", "open_weights_restricted", "open_weights_noncommercial")


@dataclass(frozen=True)
class Headline:
    """One headline card: a figure, what it means, when it is from and who says so."""

    key: str
    title: str
    value: str
    detail: str
    as_of: str  # ISO date, or "YYYY-MM-DD – YYYY-MM-DD" when the parts have different dates
    source_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # "Publisher: title" per source, for the tooltip
    view: str = "overview"  # the view that shows the underlying records
    parts: dict[str, float] = field(default_factory=dict)  # the raw numbers behind `value`


def compact_number(value: float) -> str:
    """1234567 -> '1.2 M', 112400000000 -> '112.4 bn'."""
    for limit, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= limit:
            text = f"{value / limit:.1f}".rstrip("0").rstrip(".")
            return text + suffix
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _date_span(dates: Iterable[str]) -> str:
    ds = sorted(set(d for d in dates if d))
    if not ds:
        return ""
    return ds[0] if len(ds) == 1 else f"{ds[0]} – {ds[-1]}"


def _source_names(store: Store, ids: Iterable[str], limit: int = 8) -> tuple[tuple[str, ...], tuple[str, ...]]:
    unique = list(dict.fromkeys(ids))
    names = []
    for sid in unique[:limit]:
        src = store.record("source", sid)
        names.append(f"{src['publisher']}: {src['title']}" if src else sid)
    if len(unique) > limit:
        names.append(f"… and {len(unique) - limit} more sources")
    return tuple(unique), tuple(names)


def _latest(records: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> dict[Any, dict[str, Any]]:
    """The latest record (by as_of) per key."""
    out: dict[Any, dict[str, Any]] = {}
    for rec in sorted(records, key=lambda r: r["as_of"]):
        out[key(rec)] = rec
    return out


def download_share(store: Store, observations: list[dict[str, Any]]) -> Headline | None:
    """Reported share of open-model downloads, China vs the US, at the latest date with both."""
    share = [r for r in observations if r["subject_kind"] == "country" and r["metric"] == "download_share"]
    by_date: dict[str, dict[str, dict[str, Any]]] = {}
    for r in share:
        by_date.setdefault(r["as_of"], {})[r["subject"]] = r
    both = sorted(d for d, rows in by_date.items() if {"CN", "US"} <= rows.keys())
    if both:
        rows = by_date[both[-1]]
        cn, us = rows["CN"], rows["US"]
        ids, names = _source_names(store, cn["sources"] + us["sources"])
        return Headline(
            "download_share", "Open-model download share", f"China {cn['value']:g}% · US {us['value']:g}%",
            "Share of open-model downloads by developer country, as reported.", both[-1], ids, names,
            view="adoption", parts={"CN": cn["value"], "US": us["value"]},
        )
    latest_cn = _latest([r for r in share if r["subject"] == "CN"], lambda r: r["subject"])
    if "CN" in latest_cn:
        cn = latest_cn["CN"]
        ids, names = _source_names(store, cn["sources"])
        return Headline(
            "download_share", "Open-model download share", f"China {cn['value']:g}%",
            "Share of open-model downloads by Chinese developers, as reported.", cn["as_of"], ids, names,
            view="adoption", parts={"CN": cn["value"]},
        )
    return None


def family_metric(store: Store, observations: list[dict[str, Any]], *, metric: str, top: int = 3) -> Headline | None:
    """The latest reported value per model family for one metric, largest first."""
    rows = [r for r in observations if r["subject_kind"] == "family" and r["metric"] == metric]
    latest = sorted(_latest(rows, lambda r: r["subject"]).values(), key=lambda r: -r["value"])[:top]
    if not latest:
        return None
    title, detail = {
        "downloads_total": ("Cumulative downloads, leading families", "Latest reported all-time downloads per model family."),
        "derivatives": ("Derivative models, leading families", "Latest reported count of fine-tunes and other derivatives per family."),
    }.get(metric, (f"{metric} by family", "Latest reported value per family."))
    ids, names = _source_names(store, [s for r in latest for s in r["sources"]])
    return Headline(
        f"family_{metric}", title, " · ".join(f"{r['subject']} {compact_number(r['value'])}" for r in latest),
        detail, _date_span(r["as_of"] for r in latest), ids, names, view="adoption",
        parts={r["subject"]: r["value"] for r in latest},
    )


def commitments(store: Store) -> Headline | None:
    """Sum of announced AI commitments in USD over top-level records only.

    Withdrawn ones are left out; a component of a larger package (`part_of` set) is never added on
    top of it; top-level records without a USD figure are counted and named as such in the detail.
    """
    investments = [r for r in store.records("investment") if r["status"] != "withdrawn"]
    if not investments:
        return None
    ids_present = {r["id"] for r in investments}
    top = [r for r in investments if not r.get("part_of") or r["part_of"] not in ids_present]
    converted = [r for r in top if r.get("amount_usd") is not None]
    total = sum(r["amount_usd"] for r in converted)
    countries = len({r["country"] for r in converted})
    missing = len(top) - len(converted)
    components = len(investments) - len(top)
    detail = (f"Sum of {len(converted)} top-level commitments across {countries} jurisdictions,"
              " as announced (not disbursed).")
    if missing:
        detail += f" {missing} without a USD figure are not counted."
    if components:
        detail += f" {components} components of larger packages are not added on top of them."
    ids, names = _source_names(store, [s for r in converted for s in r["sources"]])
    return Headline(
        "commitments", "Announced AI commitments", f"US$ {compact_number(total)}", detail,
        max(r["announced_on"] for r in investments), ids, names, view="investment",
        parts={"total_usd": total, "without_usd": missing, "components": components},
    )


def policy_by_stance(store: Store, *, today: dt.date) -> Headline | None:
    """Policy actions dated in the 12 months up to `today`, counted by stance on open models."""
    start = (today - dt.timedelta(days=365)).isoformat()
    recent = [r for r in store.records("policy_action") if start < r["date"] <= today.isoformat()]
    if not recent:
        return None
    counts = Counter(r["stance_on_open_models"] for r in recent)
    value = " · ".join(f"{counts[s]} {s}" for s in ENUMS["stance"] if counts[s])
    ids, names = _source_names(store, [s for r in recent for s in r["sources"]])
    return Headline(
        "policy_12m", "Policy actions, last 12 months", value,
        f"{len(recent)} actions dated {start} to {today.isoformat()}, by stance on open models.",
        today.isoformat(), ids, names, view="policy", parts=dict(counts),
    )


def models_by_country(store: Store, countries: tuple[str, ...] = ("CN", "US")) -> Headline | None:
    """How many open-weight models the data tracks per developer country (a count of our records)."""
    orgs = {o["id"]: o["country"] for o in store.records("organization")}
    models = [m for m in store.records("model") if m["access"] in OPEN_ACCESS]
    if not models:
        return None
    counts = Counter(orgs.get(m["organization"]) for m in models)
    value = " · ".join(f"{c} {counts[c]}" for c in countries) + f" · other {len(models) - sum(counts[c] for c in countries)}"
    ids, names = _source_names(store, [s for m in models for s in m["sources"]])
    return Headline(
        "models_tracked", "Open-weight models tracked", value,
        f"{len(models)} open-weight model records in this database, by developer country (a count of records, not a market measure).",
        max(m["released_on"] for m in models), ids, names, view="adoption",
        parts={c: float(counts[c]) for c in countries},
    )


def reference_date(store: Store) -> dt.date:
    """The date 'last 12 months' counts back from: the data's as-of date, else today."""
    meta = store.meta()
    for key in ("data_as_of",):
        try:
            return dt.date.fromisoformat(meta[key][:10])
        except (KeyError, ValueError):
            continue
    return dt.date.today()


def headlines(store: Store, *, today: dt.date | None = None) -> list[Headline]:
    """The headline cards in display order; figures without data are left out."""
    observations = store.adoption_records_of(subject_kinds=("family", "country"))
    items = [
        download_share(store, observations),
        family_metric(store, observations, metric="downloads_total"),
        family_metric(store, observations, metric="derivatives"),
        commitments(store),
        policy_by_stance(store, today=today or reference_date(store)),
        models_by_country(store),
    ]
    return [h for h in items if h is not None]
