"""The numbers and sentences of a one-pager, computed from records only (no layout, no Qt).

Each figure names the records' sources; a count or a sum also names how it was derived. A figure
whose records are missing is left out, and the bottom line only says what the records support.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from briefing.core.store import Store

COUNTRY_NAMES = {
    "CN": "China", "US": "the United States", "INT": "international/online", "EU": "the European Union",
    "GB": "the United Kingdom", "FR": "France", "DE": "Germany", "JP": "Japan", "KR": "South Korea",
    "IN": "India", "CA": "Canada", "AE": "the UAE", "SA": "Saudi Arabia", "SG": "Singapore",
    "QA": "Qatar", "IT": "Italy", "ES": "Spain", "NL": "the Netherlands", "TW": "Taiwan", "IL": "Israel",
    "AU": "Australia", "BR": "Brazil", "CH": "Switzerland", "SE": "Sweden", "RU": "Russia", "TR": "Turkey",
}
ORIGIN_LABELS = {"CN": "China-based", "US": "US-based", "INT": "International/online"}
#: Instruments that matter for each topic's policy strip (None: every action).
TOPIC_INSTRUMENTS: dict[str, tuple[str, ...] | None] = {
    "overview": None, "policy": None,
    "adoption": ("export_control", "licensing", "standard", "regulation", "legislation", "guidance"),
    "investment": ("funding", "procurement", "international", "legislation", "executive_action"),
}


@dataclass
class Figure:
    label: str
    value: str
    as_of: str | None
    sources: list[str]
    derived: str | None = None  # set for counts and sums: how the figure was computed
    derived_from: str = ""  # for counts and sums: "120 policy-action records" (the footnote says so)


@dataclass
class Content:
    figures: list[Figure] = field(default_factory=list)
    bottom_line: str = ""
    policy: list[dict[str, Any]] = field(default_factory=list)
    policy_total: int = 0
    considerations: list[dict[str, Any]] = field(default_factory=list)
    chart_sources: list[str] = field(default_factory=list)
    chart_source_text: str = ""


def fmt_count(value: float) -> str:
    """1_000_000_000 -> '1.0 billion'; 700_000_000 -> '700 million'; 180_000 -> '180,000'."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{value:,.0f}"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def fmt_usd(value: float) -> str:
    return "$" + fmt_count(value)


def fmt_pct(value: float) -> str:
    return f"{value:.1f}%".replace(".0%", "%")


def fmt_date(value: str | None) -> str:
    """'2025-03-17' -> 'Mar 17, 2025'; '' for None; the input unchanged if it is not a date."""
    if not value:
        return ""
    try:
        d = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{d.strftime('%b')} {d.day}, {d.year}"


_when = fmt_date


class _Facts:
    """The records a one-pager draws on, read once."""

    def __init__(self, store: Store, ref: dt.date) -> None:
        self.store = store
        self.ref = ref
        cols = store.ADOPTION_COLUMNS
        # Only the country- and family-level observations: the per-repo bulk is the chart's business.
        rows = store.adoption_rows(subject_kind="country") + store.adoption_rows(subject_kind="family")
        self.adoption = [dict(zip(cols, r)) for r in rows]
        self._cache: dict[str, dict[str, Any] | None] = {}
        self.investments = [r for r in store.records("investment") if r["status"] != "withdrawn"]
        self.actions = sorted(store.records("policy_action"), key=lambda r: (r["date"], r["id"]), reverse=True)

    def full(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["id"] not in self._cache:
            self._cache[row["id"]] = self.store.record("adoption", row["id"])
        return self._cache[row["id"]] or {**row, "sources": []}

    def series(self, subject_kind: str, metric: str) -> dict[str, list[dict[str, Any]]]:
        """Observations by subject, oldest first."""
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self.adoption:
            if r["subject_kind"] == subject_kind and r["metric"] == metric:
                out.setdefault(r["subject"], []).append(r)
        return out

    def shares(self) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
        """(country, latest share, previous share or None), largest latest share first."""
        out = []
        for country, obs in self.series("country", "download_share").items():
            latest = self.full(obs[-1])
            prev = self.full(obs[-2]) if len(obs) > 1 else None
            out.append((country, latest, prev))
        out.sort(key=lambda t: (t[0] not in ("CN", "US"), -t[1]["value"]))
        return out

    def family_latest(self, metric: str) -> list[dict[str, Any]]:
        """Latest observation per family, largest first."""
        latest = [self.full(obs[-1]) for obs in self.series("family", metric).values()]
        return sorted(latest, key=lambda r: -r["value"])

    def top_investments(self) -> list[dict[str, Any]]:
        """Commitments that are not a component (`part_of`) of another recorded one: never counted twice."""
        ids = {r["id"] for r in self.investments}
        return [r for r in self.investments if not r.get("part_of") or r["part_of"] not in ids]

    def usd_investments(self) -> list[dict[str, Any]]:
        return sorted((r for r in self.top_investments() if r.get("amount_usd")), key=lambda r: -r["amount_usd"])

    def recent_actions(self, months: int = 12) -> list[dict[str, Any]]:
        start = (self.ref - dt.timedelta(days=round(months * 30.44))).isoformat()
        return [a for a in self.actions if start < a["date"] <= self.ref.isoformat()]

    def past_actions(self) -> list[dict[str, Any]]:
        """Actions dated on or before the data date, most recent first (what has happened)."""
        return [a for a in self.actions if a["date"] <= self.ref.isoformat()]

    def scheduled_actions(self) -> list[dict[str, Any]]:
        """Actions dated after the data date (scheduled milestones), soonest first."""
        return sorted((a for a in self.actions if a["date"] > self.ref.isoformat()), key=lambda a: (a["date"], a["id"]))

    @property
    def n_actions(self) -> str:
        return plural(len(self.actions), "policy-action record")


def _same_study(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["as_of"] == b["as_of"] and bool(set(a["sources"]) & set(b["sources"]))


def _share_figures(facts: _Facts) -> tuple[list[Figure], list[str], list[str]]:
    """Key figures for the China- and US-based download shares, and bottom-line sentences that put
    side by side only shares measured by the same study on the same date."""
    figures, sentences, sources = [], [], []
    obs = {c: [facts.full(r) for r in rows] for c, rows in facts.series("country", "download_share").items()
           if c in ("CN", "US")}
    pairs = [(cn, us) for cn in obs.get("CN", []) for us in obs.get("US", []) if _same_study(cn, us)]
    if pairs:
        # Lead with the comparable pair (one study, one date); a later single estimate follows it.
        cn, us = max(pairs, key=lambda p: p[0]["as_of"])
        for r in (cn, us):
            figures.append(Figure(f"{ORIGIN_LABELS[r['subject']]} developers' share of Hugging Face downloads",
                                  fmt_pct(r["value"]), r["as_of"], r["sources"]))
            sources += r["sources"]
        lead = "China" if cn["value"] > us["value"] else "the US"
        sentences.append(
            f"In the latest study to measure both ({_when(cn['as_of'])}), China-based developers accounted for"
            f" {fmt_pct(cn['value'])} of Hugging Face model downloads and US-based developers for {fmt_pct(us['value'])},"
            f" putting {lead} ahead.")
        for country, paired in (("CN", cn), ("US", us)):
            latest = obs[country][-1]
            if latest["as_of"] > paired["as_of"]:
                who = ORIGIN_LABELS[country]
                figures.append(Figure(f"{who} developers' share, later estimate (different method)",
                                      fmt_pct(latest["value"]), latest["as_of"], latest["sources"]))
                direction = "higher" if latest["value"] > paired["value"] else "lower"
                sentences.append(
                    f"A later estimate using a different method ({_when(latest['as_of'])}) puts"
                    f" {who} developers {direction}, at {fmt_pct(latest['value'])}.")
        return figures, sentences, sources
    for country in ("CN", "US"):
        if obs.get(country):
            latest = obs[country][-1]
            figures.append(Figure(f"{ORIGIN_LABELS[country]} developers' share of Hugging Face downloads",
                                  fmt_pct(latest["value"]), latest["as_of"], latest["sources"]))
            sources += latest["sources"]
    for country, rows in obs.items():
        latest = rows[-1]
        who = ORIGIN_LABELS[country]
        sentence = f"{who} developers account for {fmt_pct(latest['value'])} of Hugging Face model downloads ({_when(latest['as_of'])})"
        if len(rows) > 1:
            prev = rows[-2]
            if set(prev["sources"]) & set(latest["sources"]):
                direction = "up" if latest["value"] > prev["value"] else "down" if latest["value"] < prev["value"] else "unchanged"
                sentence += f", {direction} from {fmt_pct(prev['value'])} ({_when(prev['as_of'])})"
            else:
                sentence += (f"; an earlier study using a different method put it at {fmt_pct(prev['value'])}"
                             f" ({_when(prev['as_of'])})")
        sentences.append(sentence + ".")
    return figures, sentences, sources


def _family_figure(facts: _Facts, metric: str, label: str, rank: int = 0) -> tuple[Figure | None, str]:
    fams = facts.family_latest(metric)
    if len(fams) <= rank:
        return None, ""
    r = fams[rank]
    fig = Figure(label.format(family=r["subject"]), fmt_count(r["value"]), r["as_of"], r["sources"])
    return fig, f"{r['subject']} {fmt_count(r['value'])} ({_when(r['as_of'])})"


def _investment_total(facts: _Facts) -> tuple[Figure | None, str]:
    usd = facts.usd_investments()
    if not usd:
        return None, ""
    total = sum(r["amount_usd"] for r in usd)
    latest = max(r["announced_on"] for r in usd)
    derived = ("sum of the stated USD figures of AI investment commitments (public and private) not withdrawn"
               " (components of a recorded package not added)")
    fig = Figure("AI investment commitments announced, total (USD)", fmt_usd(total), latest, [], derived,
                 plural(len(usd), "USD-valued commitment record"))
    countries = len({r["country"] for r in usd})
    missing = len(facts.top_investments()) - len(usd)
    unvalued = f" ({missing} more without a USD figure are not in the total)" if missing else ""
    return fig, (f"Recorded AI investment commitments (public and private) with a stated USD figure total {fmt_usd(total)} across"
                 f" {plural(len(usd), 'announcement')} in {plural(countries, 'jurisdiction')}{unvalued},"
                 " largely announced rather than disbursed.")


def _largest_investment(facts: _Facts) -> Figure | None:
    usd = facts.usd_investments()
    if not usd:
        return None
    r = usd[0]
    return Figure(f"Largest single commitment: {short_title(r['title'])} ({r['country']}, {r['status']})",
                  fmt_usd(r["amount_usd"]), r["announced_on"], r["sources"])


def short_title(title: str, limit: int = 40) -> str:
    """A record title's lead phrase (before a colon or dash), cut at a word boundary if still long."""
    for sep in (": ", " \u2013 ", " - ", ", "):
        if sep in title and 8 <= title.index(sep) <= limit:
            return title[: title.index(sep)]
    if len(title) <= limit:
        return title
    cut = title[: limit].rsplit(" ", 1)[0].rstrip(",;:")
    return (cut or title[:limit]) + "\u2026"


def _policy_counts(facts: _Facts, *, latest: bool = True) -> tuple[list[Figure], str]:
    """Counts of actions (12 months to the data date, by stance) and a bottom line written only from
    actions dated on or before the data date; a scheduled milestone is named as such."""
    if not facts.actions:
        return [], ""
    recent = facts.recent_actions()
    ref = _when(facts.ref.isoformat())
    figs = [Figure(f"Policy actions dated in the 12 months to {ref}", f"{len(recent):,}", facts.ref.isoformat(), [],
                   f"actions dated in the 12 months to {ref}, counted", facts.n_actions)]
    restrictive = [a for a in recent if a["stance_on_open_models"] == "restrictive"]
    supportive = [a for a in recent if a["stance_on_open_models"] == "supportive"]
    verb = "is" if len(recent) == 1 else "are"
    text = (f"In the 12 months to {ref}, {plural(len(recent), 'policy action')} {verb} recorded:"
            f" {len(restrictive)} restrictive toward open models, {len(supportive)} supportive.")
    past = facts.past_actions()
    if past and latest:
        a = past[0]
        place = "international" if a["jurisdiction"] == "INT" else COUNTRY_NAMES.get(a["jurisdiction"], a["jurisdiction"])
        text += (f" The most recent is \u201c{a['title']}\u201d ({place},"
                 f" {_when(a['date'])}).")
    return figs, text


def _scheduled_sentence(facts: _Facts) -> str:
    upcoming = facts.scheduled_actions()
    if not upcoming:
        return ""
    a = upcoming[0]
    return f"Next scheduled: \u201c{a['title']}\u201d ({a['jurisdiction']}, {_when(a['date'])})."


def _policy_figures(facts: _Facts) -> tuple[list[Figure], str]:
    """The policy brief's figures: counts a staffer can quote, each computed from the records."""
    if not facts.actions:
        return [], ""
    ref_iso, ref = facts.ref.isoformat(), _when(facts.ref.isoformat())
    past = facts.past_actions()
    figs, text = _policy_counts(facts)
    exports = [a for a in past if a["instrument"] == "export_control" and a["date"] >= "2022-01-01"]
    us_exports = sum(a["jurisdiction"] == "US" for a in exports)
    figs.append(Figure("Export-control actions since Jan 2022", f"{len(exports):,}", ref_iso, [],
                       f"export-control actions dated Jan 1, 2022 to {ref}, counted", facts.n_actions))
    restrictive = [a for a in past if a["stance_on_open_models"] == "restrictive"]
    figs.append(Figure(f"Actions restrictive toward open models (of {len(past):,} to date)", f"{len(restrictive):,}",
                       ref_iso, [], "actions by their recorded stance on open models, counted", facts.n_actions))
    by_place: dict[str, int] = {}
    for a in past:
        by_place[a["jurisdiction"]] = by_place.get(a["jurisdiction"], 0) + 1
    top = sorted(by_place, key=lambda j: (-by_place[j], j))
    figs.append(Figure("Jurisdictions with recorded actions (" + ", ".join(f"{j} {by_place[j]}" for j in top[:3]) + ")",
                       f"{len(by_place):,}", ref_iso, [], "distinct jurisdictions among the actions, counted",
                       facts.n_actions))
    if exports:
        text += (f" Export controls are the most used instrument: {len(exports)} actions since January 2022,"
                 f" {us_exports} of them from the US." if _most_used(past, "export_control") else
                 f" {len(exports)} export-control actions are recorded since January 2022.")
    return figs, " ".join(t for t in (text, _scheduled_sentence(facts)) if t)


def _most_used(actions: list[dict[str, Any]], instrument: str) -> bool:
    counts: dict[str, int] = {}
    for a in actions:
        counts[a["instrument"]] = counts.get(a["instrument"], 0) + 1
    return bool(counts) and max(counts, key=lambda k: counts[k]) == instrument


def build(store: Store, topic: str, ref: dt.date) -> Content:
    """The figures, bottom line, policy strip and considerations of one topic's brief."""
    facts = _Facts(store, ref)
    c = Content()
    share_figs, share_text, share_sources = _share_figures(facts)
    total_fig, total_text = _investment_total(facts)
    label = "Cumulative downloads of the {family} family, as reported"
    top_dl, top_dl_text = _family_figure(facts, "downloads_total", label)
    second_dl, second_dl_text = _family_figure(facts, "downloads_total", label, 1)
    top_der, _ = _family_figure(facts, "derivatives", "Derivative models built on {family}")
    dl_sentence = ""
    if top_dl_text:
        dl_sentence = "The most downloaded open families, as their developers report: " + " and ".join(
            t for t in (top_dl_text, second_dl_text) if t) + "."

    if topic == "overview":
        pol_figs, pol_text = _policy_counts(facts, latest=False)
        figs = share_figs[:2] + [top_dl, total_fig] + pol_figs[:1]
        text = share_text + [total_text, pol_text]  # the leading family is a key figure
    elif topic == "adoption":
        figs = share_figs + [top_dl, second_dl, top_der]  # first four kept
        text = share_text + [dl_sentence]
    elif topic == "investment":
        usd = facts.usd_investments()
        latest = max(facts.investments, key=lambda r: (r["announced_on"], r["id"]), default=None)
        latest_fig = None
        if latest is not None:
            amount = fmt_usd(latest["amount_usd"]) if latest.get("amount_usd") else f"{fmt_count(latest['amount'])} {latest['currency']}"
            latest_fig = Figure(f"Most recent commitment: {COUNTRY_NAMES.get(latest['country'], latest['country'])}", amount,
                                latest["announced_on"], latest["sources"])
        count_fig = None
        if facts.investments:
            n_countries = len({r["country"] for r in facts.investments})
            n_usd = len({r["country"] for r in usd})
            count_fig = Figure(f"Jurisdictions with recorded commitments ({n_usd} with a USD figure)", f"{n_countries}",
                               max(r["announced_on"] for r in facts.investments), [],
                               "distinct jurisdictions among commitments not withdrawn, counted",
                               plural(len(facts.investments), "commitment record"))
        figs = [total_fig, _largest_investment(facts), latest_fig, count_fig]
        text = [total_text]
        if usd:
            r = usd[0]
            text.append(f"The largest single entry is {short_title(r['title'])} ({fmt_usd(r['amount_usd'])};"
                        f" {COUNTRY_NAMES.get(r['country'], r['country'])}, {r['status']} {_when(r['announced_on'])}).")
    else:
        figs, pol_text = _policy_figures(facts)
        text = [pol_text]
    c.figures = [f for f in figs if f is not None][:4]
    c.bottom_line = " ".join(t for t in text if t) or "The records hold too little data on this topic for a summary."

    wanted = TOPIC_INSTRUMENTS[topic]
    relevant = [a for a in facts.actions if wanted is None or a["instrument"] in wanted] or facts.actions
    # The strip shows what has happened (on or before the data date); scheduled milestones are
    # counted in its "+N more" and named in the policy brief's bottom line.
    c.policy = [a for a in relevant if a["date"] <= ref.isoformat()]
    c.policy_total = len(relevant)
    c.considerations = [r for r in store.records("consideration") if r["topic"] == topic]

    if topic in ("overview", "adoption"):
        # the chart's own data (per-repo download series), not the headline figures' studies
        c.chart_sources = store.adoption_source_ids(metric="downloads_total")[:3] or share_sources
        c.chart_source_text = "Source: download records in the app's adoption data"
    elif topic == "investment":
        c.chart_sources = list(dict.fromkeys(s for r in facts.usd_investments()[:3] for s in r["sources"]))
        c.chart_source_text = "Source: the recorded commitments (largest shown cited)"
    else:
        c.chart_sources = list(dict.fromkeys(s for a in facts.actions[:3] for s in a["sources"]))
        c.chart_source_text = "Source: the recorded policy actions (latest shown cited)"
    return c
