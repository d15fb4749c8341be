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

    def usd_investments(self) -> list[dict[str, Any]]:
        return sorted((r for r in self.investments if r.get("amount_usd")), key=lambda r: -r["amount_usd"])

    def recent_actions(self, months: int = 12) -> list[dict[str, Any]]:
        start = (self.ref - dt.timedelta(days=round(months * 30.44))).isoformat()
        return [a for a in self.actions if start < a["date"] <= self.ref.isoformat()]


def _share_figures(facts: _Facts) -> tuple[list[Figure], list[str], list[str]]:
    figures, sentences, sources = [], [], []
    for country, latest, prev in facts.shares():
        if country not in ("CN", "US"):
            continue
        who = ORIGIN_LABELS.get(country, country)
        figures.append(Figure(f"Share of Hugging Face downloads, {who} developers", fmt_pct(latest["value"]),
                              latest["as_of"], latest["sources"]))
        sources += latest["sources"]
        sentence = f"{who} developers account for {fmt_pct(latest['value'])} of Hugging Face model downloads ({_when(latest['as_of'])})"
        if prev is not None:
            same_study = bool(set(prev["sources"]) & set(latest["sources"]))
            direction = "up" if latest["value"] > prev["value"] else "down" if latest["value"] < prev["value"] else "unchanged"
            if same_study:
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
    return fig, f"{r['subject']}: {fmt_count(r['value'])} ({_when(r['as_of'])})"


def _investment_total(facts: _Facts) -> tuple[Figure | None, str]:
    usd = facts.usd_investments()
    if not usd:
        return None, ""
    total = sum(r["amount_usd"] for r in usd)
    latest = max(r["announced_on"] for r in usd)
    derived = f"Sum of the USD figures of {len(usd)} recorded, not withdrawn government AI commitments"
    fig = Figure("Announced government AI commitments (USD)", fmt_usd(total), latest, [], derived)
    countries = len({r["country"] for r in usd})
    return fig, (f"Recorded government AI commitments with a stated USD figure total {fmt_usd(total)} across"
                 f" {plural(len(usd), 'announcement')} in {plural(countries, 'jurisdiction')}, largely announced rather than disbursed.")


def _largest_investment(facts: _Facts) -> Figure | None:
    usd = facts.usd_investments()
    if not usd:
        return None
    r = usd[0]
    return Figure(f"Largest commitment: {COUNTRY_NAMES.get(r['country'], r['country'])} ({r['status']})",
                  fmt_usd(r["amount_usd"]), r["announced_on"], r["sources"])


def _policy_counts(facts: _Facts) -> tuple[list[Figure], str]:
    recent = facts.recent_actions()
    if not facts.actions:
        return [], ""
    derived = f"Count of recorded policy actions dated in the 12 months to {_when(facts.ref.isoformat())}"
    figs = [Figure("Policy actions in the last 12 months", f"{len(recent):,}", facts.ref.isoformat(), [], derived)]
    restrictive = [a for a in recent if a["stance_on_open_models"] == "restrictive"]
    supportive = [a for a in recent if a["stance_on_open_models"] == "supportive"]
    figs.append(Figure("…of which restrictive / supportive of open models", f"{len(restrictive)} / {len(supportive)}",
                       facts.ref.isoformat(), [], derived + ", by their recorded stance on open models"))
    text = (f"{plural(len(recent), 'policy action')} {'is' if len(recent) == 1 else 'are'} recorded in the 12 months to {_when(facts.ref.isoformat())}:"
            f" {len(restrictive)} restrictive toward open models, {len(supportive)} supportive.")
    latest = facts.actions[0]
    text += f" The most recent is \u201c{latest['title']}\u201d ({latest['jurisdiction']}, {_when(latest['date'])}, {latest['stage'].replace('_', ' ')})."
    return figs, text


def build(store: Store, topic: str, ref: dt.date) -> Content:
    """The figures, bottom line, policy strip and considerations of one topic's brief."""
    facts = _Facts(store, ref)
    c = Content()
    share_figs, share_text, share_sources = _share_figures(facts)
    total_fig, total_text = _investment_total(facts)
    pol_figs, pol_text = _policy_counts(facts)
    top_dl, top_dl_text = _family_figure(facts, "downloads_total", "Cumulative downloads, {family} family")
    second_dl, second_dl_text = _family_figure(facts, "downloads_total", "Cumulative downloads, {family} family", 1)
    top_der, _ = _family_figure(facts, "derivatives", "Derivative models built on {family}")
    dl_sentence = ""
    if top_dl_text:
        dl_sentence = "Leading open families by cumulative downloads: " + "; ".join(
            t for t in (top_dl_text, second_dl_text) if t) + " (company-reported figures)."

    if topic == "overview":
        figs = share_figs + [top_dl, total_fig] + pol_figs[:1]
        text = share_text + [dl_sentence, total_text, pol_text]
    elif topic == "adoption":
        figs = share_figs + [top_dl, second_dl, top_der]
        text = share_text + [dl_sentence]
    elif topic == "investment":
        usd = facts.usd_investments()
        latest = max(facts.investments, key=lambda r: (r["announced_on"], r["id"]), default=None)
        latest_fig = None
        if latest is not None:
            amount = fmt_usd(latest["amount_usd"]) if latest.get("amount_usd") else f"{fmt_count(latest['amount'])} {latest['currency']}"
            latest_fig = Figure(f"Most recent: {COUNTRY_NAMES.get(latest['country'], latest['country'])}", amount,
                                latest["announced_on"], latest["sources"])
        n_countries = len({r["country"] for r in facts.investments})
        count_fig = Figure("Jurisdictions with recorded commitments", f"{n_countries}", max(
            (r["announced_on"] for r in facts.investments), default=None), [],
            f"Count of jurisdictions among {len(facts.investments)} recorded, not withdrawn commitments") if facts.investments else None
        figs = [total_fig, _largest_investment(facts), latest_fig, count_fig]
        text = [total_text]
        if usd:
            r = usd[0]
            text.append(f"The largest single commitment is {fmt_usd(r['amount_usd'])} from"
                        f" {COUNTRY_NAMES.get(r['country'], r['country'])} ({r['status']}, {_when(r['announced_on'])}).")
    else:
        latest_fig = None
        if facts.actions:
            a = facts.actions[0]
            latest_fig = Figure(f"Latest action: {a['jurisdiction']} {a['instrument'].replace('_', ' ')}",
                                a["stage"].replace("_", " "), a["date"], a["sources"])
        in_force = [a for a in facts.actions if a["stage"] in ("enacted", "in_force")]
        force_fig = Figure("Recorded actions enacted or in force", f"{len(in_force)}", facts.ref.isoformat(), [],
                           f"Count of recorded policy actions at stage enacted or in force as of {_when(facts.ref.isoformat())}") if facts.actions else None
        figs = pol_figs + [force_fig, latest_fig]
        text = [pol_text]
    c.figures = [f for f in figs if f is not None][:4]
    c.bottom_line = " ".join(t for t in text if t) or "The records hold too little data on this topic for a summary."

    wanted = TOPIC_INSTRUMENTS[topic]
    relevant = [a for a in facts.actions if wanted is None or a["instrument"] in wanted] or facts.actions
    c.policy, c.policy_total = relevant, len(relevant)
    c.considerations = [r for r in store.records("consideration") if r["topic"] == topic]

    if topic in ("overview", "adoption"):
        c.chart_sources = list(dict.fromkeys(share_sources + (top_dl.sources if top_dl else [])))
        c.chart_source_text = "Source: download records in the app's adoption data"
    elif topic == "investment":
        c.chart_sources = list(dict.fromkeys(s for r in facts.usd_investments()[:3] for s in r["sources"]))
        c.chart_source_text = "Source: the recorded commitments (largest shown cited)"
    else:
        c.chart_sources = list(dict.fromkeys(s for a in facts.actions[:3] for s in a["sources"]))
        c.chart_source_text = "Source: the recorded policy actions (latest shown cited)"
    return c
