"""One-pager content: figures and records -> `ReportSpec`, plain data that `briefing.render.pdf` draws.

The key figures and the bottom line come from `briefing.core.figures` (the one figure module); this
module only chooses the page's policy strip, considerations and chart sources, and formats. Every
number carries a footnote to its figure's sources (or, for a count or sum, to a "computed from N
records" note). When a figure is missing from the data the brief says less rather than inventing it. Which items fit on the page is the renderer's call:
`ReportSpec.trimmed()` keeps the most important ones and renumbers the source notes so every shown
footnote, and only those, is listed. No Qt; safe on any thread with its own Store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from briefing.core import dates, figures, numbers, readings
from briefing.core.definitions import STATUS
from briefing.core.errors import BriefingError
from briefing.core.notes import NoteStore
from briefing.core.store import Store
from briefing.core.text import clean_text, elide

APP_NAME = "Open Model Briefing"
TOPICS = ("overview", "adoption", "investment", "policy")
TOPIC_TITLES = {
    "overview": "The open-weight AI race at a glance",
    "adoption": "Who uses whose open models",
    "investment": "National AI investment",
    "policy": "AI policy and open models",
}
#: Default chart per topic, by name in `briefing.render.charts.CHARTS` (resolved by the renderer).
TOPIC_CHARTS = {
    # The adoption story is China- vs US-based developers: each reading's split of 30-day downloads
    # by developer country tells it on one measure (summed downloads jump wherever the panel of
    # repos changes). The overview leads with the same race.
    "overview": "adoption-share", "adoption": "adoption-share",
    "investment": "investment-by-country", "policy": "policy-timeline",
}
#: Caption used until the renderer supplies the chart's own title.
CHART_TITLES = {
    "overview": "Share of 30-day Hugging Face downloads by developer country, per reading",
    "adoption": "Share of 30-day Hugging Face downloads by developer country, per reading",
    "investment": "Announced AI investment commitments by country (USD)",
    "policy": "Policy actions by jurisdiction over time",
}
POLICY_STRIP_MAX = 6
SEP = " \u00b7 "
MAX_NOTES_PER_ITEM = 3
CONSIDERATIONS_MAX = 6


def bottom_line_key(topic: str) -> str:
    return f"onepager/{topic}/bottom_line"


def considerations_key(topic: str) -> str:
    return f"onepager/{topic}/considerations"


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    as_of: str  # the date or window the figure describes, display-ready
    notes: tuple[int, ...]
    weak: bool = False  # rests only on weak sources: printed with a "weakly sourced" mark
    figure_id: str = ""


@dataclass(frozen=True)
class PolicyItem:
    date: str
    jurisdiction: str
    title: str
    stage: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class Bullet:
    text: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class SourceNote:
    number: int
    publisher: str
    title: str
    date: str
    address: str


@dataclass(frozen=True)
class ReportSpec:
    """Everything on one page, most important first within each list. Strings are display-ready."""

    topic: str
    app_name: str
    title: str
    updated: str
    data_as_of: str
    version: str
    stale: bool  # the feed has expired
    #: "Data current to Mar 17, 2026 (8 months before this brief)", and whether that is past the age setting
    data_age: str
    old: bool
    bottom_line: str
    bottom_line_edited: bool
    key_figures: tuple[KeyFigure, ...]
    chart_name: str
    chart_title: str
    chart_source: str
    chart_notes: tuple[int, ...]
    policy: tuple[PolicyItem, ...]
    policy_total: int
    considerations: tuple[Bullet, ...]
    considerations_total: int
    considerations_edited: bool
    sources: tuple[SourceNote, ...]
    #: Definitions printed on the page (the investment brief defines its statuses).
    definitions: str
    #: Raw source notes by key, in first-citation order; `trimmed()` renumbers from these.
    _notes: tuple[tuple[str, SourceNote], ...] = field(default=(), repr=False)
    _cites: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def policy_more(self) -> int:
        return max(0, self.policy_total - len(self.policy))

    @property
    def considerations_more(self) -> int:
        return max(0, self.considerations_total - len(self.considerations))

    def with_chart(self, *, title: str, source_line: str) -> ReportSpec:
        """This spec captioned with the drawn chart's own title and source line (footnotes kept)."""
        cites = {**self._cites, "chart_text": clean_text(source_line) or self._cites["chart_text"]}
        spec = dataclasses.replace(self, chart_title=clean_text(title) or self.chart_title, _cites=cites)
        return spec.trimmed(policy=len(self.policy), considerations=len(self.considerations))

    def trimmed(self, *, policy: int, considerations: int) -> ReportSpec:
        """This spec with only the first `policy` actions and `considerations` bullets, and the
        source notes renumbered 1..n in order of first citation among what is kept."""
        keep_policy = self._cites["policy"][:policy]
        keep_cons = self._cites["considerations"][:considerations]
        groups = [self._cites["figures"], [self._cites["chart"]], keep_policy, keep_cons]
        numbers: dict[str, int] = {}
        for group in groups:
            for keys in group:
                for key in keys:
                    numbers.setdefault(key, len(numbers) + 1)
        notes = dict(self._notes)

        def nums(keys: tuple[str, ...]) -> tuple[int, ...]:
            return tuple(numbers[k] for k in keys)

        return dataclasses.replace(
            self,
            key_figures=tuple(dataclasses.replace(f, notes=nums(k)) for f, k in zip(self.key_figures, self._cites["figures"])),
            chart_source=self._cites["chart_text"],
            chart_notes=nums(self._cites["chart"]),
            policy=tuple(dataclasses.replace(p, notes=nums(k)) for p, k in zip(self.policy[:policy], keep_policy)),
            considerations=tuple(
                dataclasses.replace(b, notes=nums(k)) for b, k in zip(self.considerations[:considerations], keep_cons)
            ),
            sources=tuple(dataclasses.replace(notes[k], number=n) for k, n in numbers.items()),
        )


def short_address(url: str, limit: int = 34) -> str:
    """Domain plus the start of the path, whole segments only ('epoch.ai/data/notable-ai-models',
    'federalregister.gov/documents/…'): enough to find the page again, short enough for a note."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if not host:
        return elide(url, limit)
    text = host
    segments = [seg for seg in parts.path.split("/") if seg]
    for seg in segments:
        if len(text) + 1 + len(seg) > max(limit, len(host) + 12):
            return text + "/\u2026"
        text += "/" + seg
    return text


#: Policy actions each topic's strip shows: relevance and, for the narrower briefs, topic tags.
TOPIC_POLICY = {
    "overview": ({"core"}, None),
    "policy": ({"core", "context", None}, None),  # None: not yet coded (a newly synced document)
    "adoption": ({"core"}, {"open_source", "model_weights", "chinese_apps", "chinese_developers", "evaluations", "frontier_models"}),
    "investment": ({"core", "context"}, {"compute", "chips", "exports_promotion", "international", "procurement"}),
}


def _strip(actions: list[dict[str, Any]], topic: str, ref: str) -> tuple[list[dict[str, Any]], int]:
    """The topic's policy actions that had happened by the data date, most recent first, and how many
    the topic has in all (its strip counts the rest in '+N more')."""
    relevances, tags = TOPIC_POLICY[topic]
    relevant = [a for a in actions if a.get("relevance") in relevances
                and (tags is None or tags & set(a.get("topics") or ()))]
    relevant.sort(key=lambda a: (a["date"], a["id"]), reverse=True)
    return [a for a in relevant if not a.get("scheduled") and a["date"] <= ref], len(relevant)


def _chart_sources(store: Store, topic: str, ctx: figures.Context) -> tuple[list[str], str]:
    if topic in ("overview", "adoption"):
        # the chart's own data (each reading's per-repo 30-day downloads), not the headline figures' studies
        return (store.reading_source_ids(metric="downloads_30d", series=readings.SHARE_SERIES)[:3],
                "Source: the Hub readings in the app's adoption data")
    if topic == "investment":
        counted = figures.investment_total(ctx.investments).counted[:3]
        return list(dict.fromkeys(s for r in counted for s in r["sources"])), "Source: the recorded commitments (largest shown cited)"
    latest = sorted(ctx.policies, key=lambda a: (a["date"], a["id"]), reverse=True)[:3]
    return list(dict.fromkeys(s for a in latest for s in a["sources"])), "Source: the recorded policy actions (latest shown cited)"


def kpi(fig: figures.Figure) -> tuple[str, str]:
    """(value, label) for a key-figure box: one value, or the first two values with their labels
    named in the label, so a narrow box never elides a number."""
    if fig.kpi is not None:
        return fig.kpi
    if len(fig.parts) == 1:
        p = fig.parts[0]
        value = numbers.value(p.value, p.unit, style="words")
        return value, fig.title if not p.label else f"{fig.title} ({p.label})"
    shown = fig.parts[:2]
    value = " · ".join(numbers.value(p.value, p.unit, style="short") for p in shown)
    return value, f"{fig.title} ({' · '.join(p.label for p in shown)})"


def build_report(store: Store, topic: str, *, notes: NoteStore | None = None, today: dt.date | None = None,
                 stale_after_days: int = dates.DEFAULT_STALE_AFTER_DAYS) -> ReportSpec:
    """The full (untrimmed) one-pager content for a topic, from the store and the user's edits."""
    if topic not in TOPICS:
        raise BriefingError(f"unknown topic {topic!r} (choose from {', '.join(TOPICS)})")
    ctx = figures.Context.load(store, today=today, stale_after_days=stale_after_days)
    today = ctx.today
    meta = store.meta()
    data_as_of = ctx.data_as_of or ""
    ref = ctx.ref.isoformat()
    figs = figures.compute_from(ctx)
    by_id = {f.id: f for f in figs}
    age = figures.data_age(ctx)

    sources = ctx.sources
    note_map: dict[str, SourceNote] = {}

    def cite(source_ids: list[str] | tuple[str, ...], *, derived_from: str = "") -> tuple[str, ...]:
        keys: list[str] = []
        if derived_from:
            # One note per record set ("Computed from the 37 policy-action records"): the figure's own
            # label says what was counted. No address; dated by the data date.
            key = "derived:" + derived_from
            note_map.setdefault(key, SourceNote(0, f"Computed from the {derived_from}", "", numbers.date(data_as_of), ""))
            keys.append(key)
        for sid in list(source_ids)[:MAX_NOTES_PER_ITEM]:  # the rest stay listed in the app
            s = sources.get(sid)
            if s is None:
                continue
            # an undated page is cited by the day it was read, and says when that is not recorded
            date = numbers.date(s["published_on"]) if s.get("published_on") else (
                "read " + numbers.date(s["retrieved_on"]) if s.get("retrieved_on") else "undated, date read not recorded")
            note_map.setdefault(sid, SourceNote(
                0, clean_text(s["publisher"]), clean_text(s["title"]), date, short_address(s["url"]),
            ))
            keys.append(sid)
        return tuple(dict.fromkeys(keys))

    key_figures, fig_keys = [], []
    for fid in figures.TOPIC_KEY_FIGURES[topic]:
        fig = by_id.get(fid)
        if fig is None:
            continue
        value, label = kpi(fig)
        when = fig.when_text()
        key_figures.append(KeyFigure(clean_text(label), value, when, (), weak=fig.weakly_sourced, figure_id=fig.id))
        if fig.basis == "computed":
            kind = {"investment": "commitment", "policy": "policy-action", "adoption": "model"}.get(fig.view, "")
            fig_keys.append(cite([], derived_from=f"{len(fig.record_ids):,} {kind} records" if kind else "records"))
        else:
            fig_keys.append(cite([s.id for s in fig.sources]))

    policy_recs, policy_total = _strip(ctx.policies, topic, ref)
    policy, pol_keys = [], []
    for rec in policy_recs[:POLICY_STRIP_MAX]:
        policy.append(PolicyItem(
            numbers.date(rec["date"]), rec["jurisdiction"], clean_text(rec["title"]), rec["stage"].replace("_", " "), (),
        ))
        pol_keys.append(cite(rec["sources"]))

    edited_cons = (notes.get_text(considerations_key(topic)) if notes else None) or ""
    cons_lines = [clean_text(line.strip(" \t-•*")) for line in edited_cons.splitlines()]
    cons_lines = [line for line in cons_lines if line]
    if cons_lines:  # the user's own bullets replace the records' (their sources stay in the app)
        considerations = [Bullet(line) for line in cons_lines]
        cons_keys: list[tuple[str, ...]] = [() for _ in cons_lines]
    else:
        considerations, cons_keys = [], []
        for rec in (r for r in store.records("consideration") if r["topic"] == topic):
            considerations.append(Bullet(clean_text(rec["text"])))
            cons_keys.append(cite(rec["sources"]))
    cons_total = len(considerations)
    considerations = considerations[:CONSIDERATIONS_MAX]
    cons_keys = cons_keys[:CONSIDERATIONS_MAX]

    chart_sources, chart_text = _chart_sources(store, topic, ctx)
    chart_keys = cite(chart_sources)
    edited_bl = (notes.get_text(bottom_line_key(topic)) if notes else None) or ""
    bottom_line = clean_text(edited_bl).strip() or figures.bottom_line(figs, topic) or \
        "The records hold too little data on this topic for a summary."

    expires = meta.get("feed_expires_at")
    stale = bool(expires) and expires < dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    version = f"snapshot v{meta['snapshot_version']}" if meta.get("snapshot_version") else "snapshot"
    if meta.get("feed_version"):
        version += f" · feed v{meta['feed_version']}"
    definitions = ""
    if topic == "investment":
        definitions = "Status: " + "; ".join(f"{s}: {STATUS[s]}" for s in ("announced", "committed", "disbursing", "completed")) + "."

    spec = ReportSpec(
        topic=topic, app_name=APP_NAME, title=TOPIC_TITLES[topic], updated=numbers.date(today.isoformat()),
        data_as_of=numbers.date(data_as_of), version=version, stale=stale, data_age=age.current_to, old=age.old,
        bottom_line=bottom_line, bottom_line_edited=bool(clean_text(edited_bl).strip()),
        key_figures=tuple(key_figures), chart_name=TOPIC_CHARTS[topic], chart_title=CHART_TITLES[topic], chart_source="", chart_notes=(),
        policy=tuple(policy), policy_total=policy_total,
        considerations=tuple(considerations), considerations_total=cons_total,
        considerations_edited=bool(cons_lines), sources=(), definitions=definitions,
        _notes=tuple(note_map.items()),
        _cites={"figures": fig_keys, "chart": chart_keys, "chart_text": chart_text,
                "policy": pol_keys, "considerations": cons_keys},
    )
    return spec.trimmed(policy=len(policy), considerations=len(considerations))
