"""Every headline figure the app quotes, computed in one place (no Qt).

The Overview cards, the one-pagers' key figures and bottom lines, and `briefing figures` all read
`Figure`s from here and never compute their own. A figure carries its value(s) and unit, what was
measured (over which population, by whom), the window and as-of date (the window's end; the
publication date is kept apart), its sources (primary first, each graded), its own grade and its
caveats; docs/methods.md defines each of these.

Adding a figure is one function: decorate `f(ctx) -> Figure | None` with `@figure("figure-id")`.
Ids are stable: scripts and notes quote them. A function returns None when the data hold nothing to
say; nothing is estimated or filled in.

Comparability (docs/methods.md): values share a figure, a sentence or a ranking only when
`comparable` says so; `rank` refuses otherwise.

Thread rules: none; the Store passed to `Context.load` must belong to the calling thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefing.core import dates, numbers
from briefing.core.definitions import label
from briefing.core.store import Store

GRADES = ("primary", "reputable", "weak")  # best first
OPEN_ACCESS = ("open_weights", "open_weights_restricted", "open_weights_noncommercial")
CORE_STANCES = ("restrictive", "supportive", "mixed", "neutral")
#: How far apart two windows' ends (or two dates) may be for their values to be compared, and how
#: different two windows' lengths may be (docs/methods.md, Comparability).
MAX_END_GAP_DAYS = 31
MAX_LENGTH_RATIO = 0.10

COUNTRY_NAMES = {
    "CN": "China",
    "US": "the US",
    "INT": "international/online",
    "EU": "the EU",
    "GB": "the UK",
    "FR": "France",
    "DE": "Germany",
    "JP": "Japan",
    "KR": "South Korea",
    "IN": "India",
    "CA": "Canada",
    "AE": "the UAE",
    "SA": "Saudi Arabia",
    "SG": "Singapore",
    "QA": "Qatar",
    "IT": "Italy",
    "ES": "Spain",
    "TW": "Taiwan",
    "AU": "Australia",
    "BR": "Brazil",
    "CH": "Switzerland",
}


def place_name(code: str) -> str:
    """A jurisdiction as a reader names it: 'US', 'China', 'EU', 'International' (never a bare code)."""
    if code == "INT":
        return "International"
    name = COUNTRY_NAMES.get(code, code).removeprefix("the ")
    return name[:1].upper() + name[1:]


class NotComparableError(ValueError):
    """Two values were about to be ranked or compared although they measure different things."""


# -- the figure -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceRef:
    """One source of a figure, as cited."""

    id: str
    publisher: str
    title: str
    url: str
    grade: str
    published_on: str | None
    retrieved_on: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "publisher": self.publisher,
            "title": self.title,
            "url": self.url,
            "grade": self.grade,
            "published_on": self.published_on,
            "retrieved_on": self.retrieved_on,
        }


@dataclass(frozen=True)
class Part:
    """One value of a figure: a label ('China'), the number and its unit."""

    label: str
    value: float
    unit: str


@dataclass(frozen=True)
class Figure:
    """A headline figure with everything needed to cite it (see the module docstring)."""

    id: str
    title: str
    parts: tuple[Part, ...]
    unit: str  # "percent", "count", "usd" or "actions"
    measure: str
    window_start: str | None
    window_end: str | None
    as_of: str | None
    as_of_precision: str | None
    published_on: str | None
    sources: tuple[SourceRef, ...]
    grade: str
    caveats: tuple[str, ...]
    sentence: str
    detail: str = ""
    basis: str = "reported"  # "reported" (a sourced value read as-is) or "computed" (a sum or count of records)
    comparable: bool = True  # the parts measure the same thing over comparable windows
    record_ids: tuple[str, ...] = ()
    view: str = "overview"  # the view that lists the records behind it
    #: (value, label) for a narrow key-figure box when the parts do not read well side by side
    kpi: tuple[str, str] | None = None

    @property
    def weakly_sourced(self) -> bool:
        """True when the figure rests only on weak sources (it is marked so, in the app and on paper)."""
        return self.grade == "weak"

    @property
    def value(self) -> float | dict[str, float] | None:
        """The number (one part) or {label: number} (several parts)."""
        if not self.parts:
            return None
        if len(self.parts) == 1:
            return self.parts[0].value
        return {p.label: p.value for p in self.parts}

    def value_text(self, *, style: numbers.Style = "short") -> str:
        """'China 17.1% · US 15.8%', 'US$ 887 bn', '4 restrictive · 5 supportive'."""
        if len(self.parts) == 1 and not self.parts[0].label:
            return numbers.value(self.parts[0].value, self.parts[0].unit, style=style)
        texts = []
        for p in self.parts:
            v = numbers.value(p.value, p.unit, style=style)
            texts.append(f"{v} {p.label}" if p.unit == "actions" else f"{p.label} {v}")
        return " · ".join(texts)

    def when_text(self) -> str:
        """The window or date the figure describes: 'Aug 2024 – Aug 2025', 'Mar 18, 2025'."""
        return numbers.window(self.window_start, self.window_end or self.as_of, precision=self.as_of_precision)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form printed by `briefing figures --json` (documented in docs/figures.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "value": self.value,
            "values": [{"label": p.label, "value": p.value, "unit": p.unit} for p in self.parts],
            "unit": self.unit,
            "measure": self.measure,
            "window": {"start": self.window_start, "end": self.window_end},
            "as_of": self.as_of,
            "as_of_precision": self.as_of_precision or "day",
            "published_on": self.published_on,
            "basis": self.basis,
            "comparable": self.comparable,
            "sources": [s.to_json() for s in self.sources],
            "grade": self.grade,
            "weakly_sourced": self.weakly_sourced,
            "caveats": list(self.caveats),
            "sentence": self.sentence,
            "text": self.value_text(),
            "record_ids": list(self.record_ids),
        }


@dataclass(frozen=True)
class DataAge:
    """How old the data are on `today` (docs/methods.md, Dates)."""

    data_as_of: str | None
    today: str
    age_days: int | None
    months: int | None
    old: bool
    stale_after_days: int

    @property
    def current_to(self) -> str:
        """'Data current to Mar 17, 2026 (8 months before this brief)'."""
        if not self.data_as_of:
            return "Data date unknown"
        ago = (
            ""
            if self.months is None
            else (
                " (less than a month before this brief)"
                if self.months == 0
                else f" ({numbers.plural(self.months, 'month')} before this brief)"
            )
        )
        return f"Data current to {numbers.date(self.data_as_of)}{ago}"

    @property
    def warning(self) -> str:
        """A one-line age warning when the data are older than the setting, else ''."""
        if not self.old:
            return ""
        if self.age_days is None:
            return "The data have no date: treat every figure as possibly out of date."
        return (
            f"Data are {numbers.plural(self.age_days, 'day')} old (data date {numbers.date(self.data_as_of)}):"
            " check for newer figures before quoting them."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "data_as_of": self.data_as_of,
            "today": self.today,
            "age_days": self.age_days,
            "months": self.months,
            "old": self.old,
            "stale_after_days": self.stale_after_days,
            "current_to": self.current_to,
            "warning": self.warning,
        }


# -- what the figures read ---------------------------------------------------------------------
@dataclass
class Context:
    """The records figures are computed from, read once, and the day it is (the real clock unless
    a test says otherwise)."""

    today: dt.date
    data_as_of: str | None
    adoption: list[dict[str, Any]]  # family- and country-level observations (the headline records)
    investments: list[dict[str, Any]]
    policies: list[dict[str, Any]]
    models: list[dict[str, Any]]
    org_country: dict[str, str]
    sources: dict[str, dict[str, Any]]
    stale_after_days: int = dates.DEFAULT_STALE_AFTER_DAYS
    #: the Hub readings' split by developer country (`reading_series.share_summary`, the numbers of
    #: `readings.share_summary` on the share series),
    #: and the source ids of its first and latest readings
    hub: Any = None
    hub_sources: dict[str, list[str]] | None = None

    @classmethod
    def load(
        cls,
        store: Store,
        *,
        today: dt.date | None = None,
        stale_after_days: int = dates.DEFAULT_STALE_AFTER_DAYS,
        hub: bool = True,
    ) -> Context:
        """`hub=False` skips the Hub readings (a surface that shows no figure made from them)."""
        meta = store.meta()
        return cls(
            today=today or dates.today(),
            data_as_of=(meta.get("data_as_of") or None),
            # reported figures only: a Hub sync's own share reading (a series) is a reading, below
            adoption=[
                r for r in store.adoption_records_of(subject_kinds=("family", "country")) if r.get("series") is None
            ],
            investments=[r for r in store.records("investment") if r["status"] != "withdrawn"],
            policies=store.records("policy_action"),
            models=store.records("model"),
            org_country={o["id"]: o["country"] for o in store.records("organization")},
            sources={s["id"]: s for s in store.records("source")},
            stale_after_days=stale_after_days,
            **(_hub(store) if hub else {}),
        )

    @property
    def ref(self) -> dt.date:
        """The date 'last 12 months' counts back from: the data date (else today)."""
        return dates.parse(self.data_as_of) or self.today

    @property
    def policy_ref(self) -> dt.date:
        """The policy data's own date: the latest recorded action that is not a scheduled milestone, on
        or before the data date. Policy counts run to it, so 'the 12 months to' never reaches past
        what the policy records were gathered for (the data date may be a later download reading)."""
        ref = self.ref.isoformat()
        done = [p["date"] for p in self.policies if not p.get("scheduled") and p["date"] <= ref]
        return dates.parse(max(done)) if done else self.ref

    def topic_data_date(self, topic: str | None) -> str | None:
        """The date a brief on `topic` is current to: the policy actions' own date for policy, the
        latest announcement for investment, else the data date (the latest measurement)."""
        if topic == "policy" and self.policies:
            return self.policy_ref.isoformat()
        if topic == "investment" and self.investments:
            return min(max(r["announced_on"] for r in self.investments), self.ref.isoformat())
        return self.data_as_of

    def refs(self, ids: Iterable[str]) -> tuple[SourceRef, ...]:
        """The sources of these ids, de-duplicated, primary first (stable within a grade)."""
        out = []
        for sid in dict.fromkeys(ids):
            s = self.sources.get(sid)
            if s is None:
                continue
            grade = source_grade(s)
            out.append(
                SourceRef(
                    sid, s["publisher"], s["title"], s["url"], grade, s.get("published_on"), s.get("retrieved_on")
                )
            )
        return tuple(sorted(out, key=lambda r: GRADES.index(r.grade)))

    def record_grade(self, rec: dict[str, Any]) -> str:
        """A record's grade: that of its best source."""
        return best_grade(self.refs(rec["sources"]))


def _hub(store: Store) -> dict[str, Any]:
    """The share summary of the Hub readings and the sources of its first and latest readings."""
    from briefing.core import reading_series  # plain Python: the same numbers as readings.share_summary

    summary = reading_series.share_summary(store, reading_series.SHARE_SERIES)
    if summary is None:
        return {"hub": None, "hub_sources": None}
    ids = {}
    for which, r in (("first", summary.first), ("latest", summary.latest)):
        recs = store.reading_records(metric="downloads_30d", series=r.series, as_of=r.date.isoformat())
        ids[which] = list(dict.fromkeys(s for rec in recs for s in rec["sources"]))
    return {"hub": summary, "hub_sources": ids}


def source_grade(source: dict[str, Any]) -> str:
    """A source record's grade; a schema-1 record has none: primary if its reliability says so, else weak."""
    return source.get("grade") or ("primary" if source.get("reliability") == "primary" else "weak")


def best_grade(refs: Sequence[SourceRef]) -> str:
    """The best grade among the sources that were read. A primary source cited but never read
    (no `retrieved_on`) does not lift the grade of a value taken from a source that was read: the
    value is then as strong as what it was read in (`unread_primary_caveats` says so). When no
    source records a reading date, every cited source counts."""
    read = [r for r in refs if r.retrieved_on]
    return min((r.grade for r in (read or refs)), key=GRADES.index, default="weak")


def weakest_grade(grades: Iterable[str]) -> str:
    """A sum's grade: every summand's money must be defensible, so the weakest counts."""
    return max(grades, key=GRADES.index, default="weak")


def count_grade(grades: Iterable[str]) -> str:
    """A count of records' grade: the grade held by at least half of them (the median). A count
    rests only on weak sources when most of what it counts does; weak records are named in caveats."""
    ordered = sorted(grades, key=GRADES.index)
    return ordered[(len(ordered) - 1) // 2] if ordered else "weak"


def weak_records_caveat(ctx: Context, recs: Sequence[dict[str, Any]]) -> list[str]:
    weak = [r["id"] for r in recs if ctx.record_grade(r) == "weak"]
    if not weak:
        return []
    shown = ", ".join(weak[:8]) + (f" and {len(weak) - 8} more" if len(weak) > 8 else "")
    return [f"{numbers.plural(len(weak), 'counted record')} rest on weak sources only: {shown}."]


def unread_primary_caveats(refs: Sequence[SourceRef]) -> list[str]:
    """'X is cited but was not read for this data set' for each primary source never consulted."""
    read = [r for r in refs if r.retrieved_on]
    out = []
    for r in refs:
        if r.grade == "primary" and not r.retrieved_on:
            via = f"; the value is as reported by {', '.join(dict.fromkeys(x.publisher for x in read))}" if read else ""
            out.append(
                f"{r.publisher} ('{r.title}') is cited as the primary source but was not read for this data set{via}."
            )
    return out


def weak_caveat(refs: Sequence[SourceRef]) -> list[str]:
    if not refs or best_grade(refs) != "weak":
        return []
    if any(r.grade != "weak" for r in refs):  # a better source is cited but was not read
        return [
            "Weakly sourced: the value was read only in a blog, aggregator, republisher or summary; check it in the"
            " primary cited before quoting it."
        ]
    return [
        "Weakly sourced: every source of this figure is a blog, aggregator, republisher or summary; look for the primary before quoting it."
    ]


# -- comparability ------------------------------------------------------------------------------
def measure_key(rec: dict[str, Any]) -> str:
    """What a record measured: its measure_id, else its metric and method together."""
    return rec.get("measure_id") or f"{rec.get('metric')}|{rec.get('method')}"


def comparable(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, str]:
    """(True, '') when two adoption records may be set side by side, else (False, why not)."""
    if measure_key(a) != measure_key(b):
        return False, "they measure different things"
    ea, eb = dates.parse(a["as_of"]), dates.parse(b["as_of"])
    if ea is None or eb is None or abs((ea - eb).days) > MAX_END_GAP_DAYS:
        return False, "they describe dates too far apart"
    sa, sb = dates.parse(a.get("period_start")), dates.parse(b.get("period_start"))
    if (sa is None) != (sb is None):
        return False, "one is a period and the other a point in time"
    if sa is not None and sb is not None:
        la, lb = (ea - sa).days, (eb - sb).days
        if max(la, lb) and abs(la - lb) / max(la, lb) > MAX_LENGTH_RATIO:
            return False, "their windows differ in length"
    return True, ""


def rank(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records largest value first; raises NotComparableError unless every pair is comparable."""
    for a in records:
        for b in records:
            ok, why = comparable(a, b)
            if not ok:
                raise NotComparableError(f"{a['id']} and {b['id']} cannot be ranked: {why}")
    return sorted(records, key=lambda r: -float(r["value"]))


# -- the registry ---------------------------------------------------------------------------------
FigureFn = Callable[[Context], "Figure | None"]
FIGURES: dict[str, FigureFn] = {}


def figure(fid: str) -> Callable[[FigureFn], FigureFn]:
    """Register a figure function under a stable id (registration order is display order)."""

    def register(fn: FigureFn) -> FigureFn:
        if fid in FIGURES:
            raise ValueError(f"figure {fid!r} registered twice")
        FIGURES[fid] = fn
        return fn

    return register


def compute(
    store: Store,
    *,
    ids: Sequence[str] | None = None,
    today: dt.date | None = None,
    stale_after_days: int = dates.DEFAULT_STALE_AFTER_DAYS,
) -> list[Figure]:
    """The figures (all registered ones, or `ids` in that order) the data support."""
    ctx = Context.load(store, today=today, stale_after_days=stale_after_days)
    return compute_from(ctx, ids)


def compute_from(ctx: Context, ids: Sequence[str] | None = None) -> list[Figure]:
    wanted = list(ids) if ids is not None else list(FIGURES)
    unknown = [i for i in wanted if i not in FIGURES]
    if unknown:
        raise KeyError(f"unknown figure id(s): {', '.join(unknown)}")
    out = []
    for fid in wanted:
        fig = FIGURES[fid](ctx)
        if fig is not None:
            out.append(fig)
    return out


def data_age(ctx: Context, topic: str | None = None) -> DataAge:
    """How old the data are on `ctx.today`: the whole data set's (the latest measurement), or those
    a brief on `topic` rests on (`Context.topic_data_date`)."""
    as_of = ctx.topic_data_date(topic)
    age = dates.age_days(as_of, today=ctx.today)
    d = dates.parse(as_of)
    return DataAge(
        data_as_of=as_of,
        today=ctx.today.isoformat(),
        age_days=age,
        months=None if d is None else dates.months_between(d, ctx.today),
        old=dates.is_old(as_of, today=ctx.today, stale_after_days=ctx.stale_after_days),
        stale_after_days=ctx.stale_after_days,
    )


#: What each surface shows, by figure id (surfaces never pick their own numbers).
OVERVIEW_CARDS = (
    "download-share-by-country",
    "download-share-china-hf-2026",
    "derivatives-by-family",
    "downloads-llama-meta",
    "downloads-qwen-team",
    "investment-total",
    "policy-stance-12m",
    "models-tracked",
)
TOPIC_KEY_FIGURES = {
    "overview": ("download-share-by-country", "derivatives-by-family", "investment-total", "policy-stance-12m"),
    "adoption": (
        "download-share-by-country",
        "download-share-china-hf-2026",
        "derivatives-by-family",
        "models-tracked",
    ),
    "investment": ("investment-total", "investment-largest", "investment-by-status", "investment-latest"),
    "policy": ("policy-stance-12m", "policy-restrictive-to-date", "policy-export-controls", "policy-jurisdictions"),
}
#: The figures each topic's bottom line draws on (`bottom_line`).
TOPIC_SENTENCES = {
    "overview": ("download-share-by-country", "investment-total", "investment-by-status", "policy-stance-12m"),
    "adoption": (
        "download-share-by-country",
        "download-share-china-hf-2026",
        "hub-share-latest",
        "derivatives-by-family",
        "downloads-llama-meta",
        "downloads-qwen-team",
    ),
    "investment": ("investment-total", "investment-largest", "investment-by-status"),
    "policy": ("policy-stance-12m", "policy-restrictive-to-date", "policy-export-controls", "policy-milestones"),
}
#: The figures made from the Hub readings (`Context.load(hub=True)`: pandas and a pass over every reading).
HUB_FIGURES = frozenset({"hub-share-latest"})


def topic_needs_hub(topic: str) -> bool:
    """Whether a topic's brief quotes a figure made from the Hub readings (else its figures load without them)."""
    return any(fid in HUB_FIGURES for fid in (*TOPIC_KEY_FIGURES.get(topic, ()), *TOPIC_SENTENCES.get(topic, ())))


#: How a grade reads in a bottom line's "how sure" sentence.
GRADE_WORDS = {
    "primary": "primary sources",
    "reputable": "reputable secondary reporting",
    "weak": "weak sources only (blogs, aggregators, summaries)",
}


def bottom_line(figs: Sequence[Figure], topic: str) -> str:
    """The topic's bottom line: two or three sentences, what the evidence shows and how sure it is
    (docs/methods.md, Bottom lines). Built from the figures' own values, grades and caveats; a figure
    the data lack is left out of it, never replaced."""
    by_id = {f.id: f for f in figs}
    parts = _BOTTOM_LINES[topic](by_id)
    return " ".join(p for p in parts if p)


def _part(fig: Figure, label_: str) -> Part | None:
    return next((p for p in fig.parts if p.label == label_), None)


def _who(fig: Figure) -> str:
    """A study's authors in a few words: 'Longpre et al.' (the lead publisher, before any comma or
    parenthesis)."""
    if not fig.sources:
        return "one study"
    return re.split(r"\s*[(,]", fig.sources[0].publisher, maxsplit=1)[0].strip() or fig.sources[0].publisher


def _month_window(fig: Figure) -> str:
    return numbers.window(
        fig.window_start,
        fig.window_end or fig.as_of,
        precision="approximate" if fig.as_of_precision == "approximate" else "month",
    )


def _share_lead(fig: Figure | None) -> str:
    """'In the latest study to measure both alike (Longpre et al., Aug 2024 – Aug 2025), China-based
    developers had 17.1% of Hugging Face downloads and US-based ones 15.8%: a narrow lead for China.'"""
    if fig is None:
        return ""
    cn, us = _part(fig, "China"), _part(fig, "US")
    if cn is None or us is None:
        return ""
    gap = round(abs(cn.value - us.value), 1)
    lead = "China" if cn.value > us.value else "the US"
    verdict = "level" if gap == 0 else f"a narrow lead for {lead}" if gap < 5 else f"{lead} clearly ahead"
    return (
        f"In the latest study to measure both alike ({_who(fig)}, {_month_window(fig)}), China-based developers"
        f" had {numbers.percent(cn.value)} of Hugging Face downloads and US-based ones {numbers.percent(us.value)}:"
        f" {verdict}."
    )


def _sentence(*clauses: str, joiner: str = "; ") -> str:
    said = [c for c in clauses if c]
    if not said:
        return ""
    text = joiner.join(said)
    return text[:1].upper() + text[1:] + "."


def _how_sure(*clauses: str) -> str:
    said = [c for c in clauses if c]
    if not said:
        return ""
    return "How sure: " + "; ".join(said) + "."


def _adoption_bottom_line(f: dict[str, Figure]) -> list[str]:
    share, other, hub = (
        f.get("download-share-by-country"),
        f.get("download-share-china-hf-2026"),
        f.get("hub-share-latest"),
    )
    deriv = f.get("derivatives-by-family")
    second = []
    if hub is not None and hub.sentence:
        # the app's own latest reading: its figure's sentence, without the verdict (the panel is one of many)
        second.append(re.split(r",\s*putting ", hub.sentence.rstrip("."), maxsplit=1)[0])
    if other is not None and (cn := _part(other, "China")) is not None:
        method = ", by another method," if share is not None or hub is not None else ""
        second.append(
            f"{_who(other)}'s own estimate{method} puts China at {numbers.percent(cn.value)}"
            f" ({_month_window(other)})"
            + ("" if share is not None or _part(other, "US") else ", with no US figure from the same source")
        )
    if not second and deriv is not None and len(deriv.parts) >= 2:
        a, b = deriv.parts[0], deriv.parts[1]
        second.append(
            f"{a.label} is the base of the most derived models ({numbers.number(a.value, style='full')},"
            f" against {numbers.number(b.value, style='full')} for {b.label})"
        )
    estimates = [x for x in (share, hub, other) if x is not None]
    small = share is not None and len(share.parts) >= 2 and abs(share.parts[0].value - share.parts[1].value) < 5
    sure = (
        _how_sure(
            "the estimates use different windows and panels and are not comparable"
            if len(estimates) > 1
            else "one estimate" + ("" if share else ", not set against a comparable US share"),
            "the study's gap is small" if small else "",
            f"some rest on {GRADE_WORDS['weak']}" if any(x.grade == "weak" for x in estimates) else "",
            "downloads count traffic, not users" if estimates or deriv else "",
        )
        if estimates or deriv
        else ""
    )
    return [_share_lead(share), _sentence(*second, joiner="; "), sure]


def _investment_bottom_line(f: dict[str, Figure]) -> list[str]:
    total, largest, status = f.get("investment-total"), f.get("investment-largest"), f.get("investment-by-status")
    if total is None:
        return []
    usd = total.parts[0].value
    largest_text = ""
    if largest is not None:
        name = largest.title.split(": ", 1)[-1]
        name = "the " + name[4:] if name.startswith("The ") else name  # mid-sentence
        largest_text = (
            f"{name} alone is {numbers.usd(largest.parts[0].value)}"
            f" ({numbers.percent(round(100 * largest.parts[0].value / usd))})"
        )
    first = _sentence(
        f"officially announced AI-specific investment commitments (public and private) recorded here total {numbers.usd(usd)}"
        f" ({_month_window(total)}), each dollar counted once",
        largest_text,
    )
    second = ""
    if status is not None and (announced := _part(status, "announced")) is not None:
        committed = _part(status, "committed")
        second = _sentence(
            f"{numbers.percent(round(100 * announced.value / usd))} is only announced",
            f"{numbers.usd(committed.value)} is formally committed" if committed else "",
        )
    left = re.search(r"(\d[\d,]*) left out", total.detail)  # the figure's own count of what it leaves out
    n_left = int(left.group(1).replace(",", "")) if left else 0
    sure = _how_sure(
        "these are pledges over different horizons, not spending",
        f"{numbers.plural(n_left, 'other commitment')} (press-reported, broader or overlapping)"
        f" {'is' if n_left == 1 else 'are'} left out"
        if n_left
        else "",
        f"some rest on {GRADE_WORDS['weak']}" if total.grade == "weak" else "",
    )
    return [first, second, sure]


def _policy_bottom_line(f: dict[str, Figure]) -> list[str]:
    recent, restrictive = f.get("policy-stance-12m"), f.get("policy-restrictive-to-date")
    first = ""
    if recent is not None:
        counts = {p.label: int(p.value) for p in recent.parts}
        # every count with its stage (docs/methods.md): '1 restrictive (1 introduced); 4 supportive (4 in force)'
        first = (
            f"In the 12 months to {numbers.date(recent.window_end)}, the data hold"
            f" {numbers.plural(sum(counts.values()), 'action')} bearing on open-weight models: {recent.detail}."
        )
    second = ""
    if restrictive is not None:
        n_r = int(sum(p.value for p in restrictive.parts if p.label != "restrictive"))
        in_force = int(next((p.value for p in restrictive.parts if p.label == "in force"), 0))
        total = re.search(r"of (\d[\d,]*) bearing", restrictive.title)
        of = f"Of {total.group(1)} such actions recorded to date, " if total else "To date, "
        second = f"{of}{n_r} {'is' if n_r == 1 else 'are'} restrictive, {in_force} of them in force"
    milestone = f.get("policy-milestones")
    if milestone is not None and milestone.sentence:
        # the next scheduled milestone, or one whose date has passed since the data were gathered
        first_of = re.split(r"(?<=[.;])\s", milestone.sentence, maxsplit=1)[0].rstrip(".;")
        first_of = first_of[:1].lower() + first_of[1:] if first_of.startswith("Next") else first_of
        second = f"{second}; {first_of}" if second else first_of[:1].upper() + first_of[1:]
    second = second + "." if second else ""
    sure = _how_sure(
        "counts of the actions this data set records, not of every action taken",
        "stance coded from each text by a published rubric",
        f"mostly {GRADE_WORDS[recent.grade]}" if recent else "",
    )
    return [first, second, sure]


def _overview_bottom_line(f: dict[str, Figure]) -> list[str]:
    share, total, status, recent = (
        f.get("download-share-by-country"),
        f.get("investment-total"),
        f.get("investment-by-status"),
        f.get("policy-stance-12m"),
    )
    money = ""
    if total is not None:
        announced = _part(status, "announced") if status else None
        money = (
            f"officially announced AI-specific investment commitments recorded here total {numbers.usd(total.parts[0].value)}"
            + (
                f", {numbers.percent(round(100 * announced.value / total.parts[0].value))} only announced"
                if announced
                else ""
            )
        )
    policy = ""
    if recent is not None:
        counts = {p.label: int(p.value) for p in recent.parts}
        restrictive = re.search(r"\d+ restrictive \([^)]*\)", recent.detail or "")  # with its stage
        policy = (
            f"{numbers.plural(sum(counts.values()), 'policy action')} in the year to {numbers.date(recent.window_end)}"
            f" bear on open models, {restrictive.group(0) if restrictive else '0 restrictive'}"
        )
    sure = _how_sure(
        "one study with a small gap" if share else "",
        "pledges, not spending" if total else "",
        "counts of this data set's records" if recent else "",
    )
    return [_share_lead(share), _sentence(money, policy), sure]


_BOTTOM_LINES: dict[str, Callable[[dict[str, Figure]], list[str]]] = {
    "overview": _overview_bottom_line,
    "adoption": _adoption_bottom_line,
    "investment": _investment_bottom_line,
    "policy": _policy_bottom_line,
}


# -- adoption -------------------------------------------------------------------------------------
def _study(ref: SourceRef) -> str:
    """A study's short name: 'Economies of Open Intelligence (Longpre et al., arXiv)'."""
    title = ref.title if len(ref.title) <= 60 else ref.title.split(":")[0].strip()
    publisher = re.sub(r"\s*\([^)]*\)", "", ref.publisher).strip()
    return title if publisher.lower() in title.lower() else f"{title} ({publisher})"


def _observation_figure(
    ctx: Context,
    fid: str,
    *,
    title: str,
    records: Sequence[dict[str, Any]],
    labels: Sequence[str],
    measure: str,
    sentence: str,
    caveats: Sequence[str] = (),
    view: str = "adoption",
) -> Figure:
    """A reported figure from comparable observations (one measure, one window)."""
    first = records[0]
    refs = ctx.refs(s for r in records for s in r["sources"])
    published = [r.published_on for r in refs if r.grade == "primary" and r.published_on] or [
        r.published_on for r in refs if r.published_on
    ]
    return Figure(
        id=fid,
        title=title,
        parts=tuple(Part(lab, float(r["value"]), r["unit"]) for lab, r in zip(labels, records)),
        unit=first["unit"],
        measure=measure,
        window_start=first.get("period_start"),
        window_end=first["as_of"],
        as_of=first["as_of"],
        as_of_precision=first.get("as_of_precision"),
        published_on=min(published) if published else None,
        sources=refs,
        grade=best_grade(refs),
        caveats=tuple(list(caveats) + unread_primary_caveats(refs) + weak_caveat(refs)),
        sentence=sentence,
        basis="reported",
        comparable=True,
        record_ids=tuple(r["id"] for r in records),
        view=view,
    )


def _shares(ctx: Context) -> list[dict[str, Any]]:
    return sorted(
        (r for r in ctx.adoption if r["subject_kind"] == "country" and r["metric"] == "download_share"),
        key=lambda r: (r["as_of"], r["id"]),
    )


def _latest_cn_us_pair(ctx: Context) -> tuple[dict[str, Any], dict[str, Any]] | None:
    shares = _shares(ctx)
    pairs = [
        (cn, us)
        for cn in shares
        if cn["subject"] == "CN"
        for us in shares
        if us["subject"] == "US" and comparable(cn, us)[0]
    ]
    return max(pairs, key=lambda p: p[0]["as_of"]) if pairs else None


@figure("download-share-by-country")
def download_share_by_country(ctx: Context) -> Figure | None:
    """China's and the US's shares of Hugging Face downloads in the latest study to measure both."""
    pair = _latest_cn_us_pair(ctx)
    if pair is None:
        return None
    cn, us = pair
    intl = [r for r in _shares(ctx) if r["subject"] == "INT" and comparable(r, cn)[0]]
    records = [cn, us] + intl[-1:]
    labels = ["China", "US", "International/online"][: len(records)]
    refs = ctx.refs(cn["sources"])
    study = _study(refs[0]) if refs else "the cited study"
    when = numbers.window(cn.get("period_start"), cn["as_of"], precision=cn.get("as_of_precision"))
    lead = "China" if cn["value"] > us["value"] else "the US" if us["value"] > cn["value"] else "neither"
    sentence = (
        f"China-based developers had {numbers.percent(cn['value'])} of Hugging Face downloads over {when} and"
        f" US-based ones {numbers.percent(us['value'])} in {study}, putting {lead} ahead in that study"
    )
    if intl:
        sentence += f"; {numbers.percent(intl[-1]['value'])} went to developers with no single country"
    return _observation_figure(
        ctx,
        "download-share-by-country",
        title="Share of Hugging Face downloads by developer country",
        records=records,
        labels=labels,
        sentence=sentence + ".",
        measure=(
            f"Share of all Hugging Face model downloads attributed to developers by the country they are based in, {when},"
            f" measured by {study}."
        ),
        caveats=[
            "Shares of downloads, not of users or of models; a download may be automated or repeated.",
            "Only China, the US and the unattributed group are shown; the study covers other countries too.",
        ],
    )


@figure("download-share-china-hf-2026")
def download_share_china_hf_2026(ctx: Context) -> Figure | None:
    """China's share in the latest estimate that is *not* the pair above (a different method)."""
    pair = _latest_cn_us_pair(ctx)
    others = [
        r for r in _shares(ctx) if r["subject"] == "CN" and (pair is None or measure_key(r) != measure_key(pair[0]))
    ]
    if not others:
        return None
    cn = others[-1]
    same = [r for r in _shares(ctx) if r["subject"] == "US" and comparable(r, cn)[0]]
    refs = ctx.refs(cn["sources"])
    study = _study(refs[0]) if refs else "the cited source"
    title = "China's share of downloads: " + (refs[0].title.split(":")[0].strip() if refs else "another estimate")
    when = numbers.window(cn.get("period_start"), cn["as_of"], precision=cn.get("as_of_precision"))
    caveats = (
        [
            f"Measured differently from {_study(ctx.refs(pair[0]['sources'])[0])} (another window and attribution):"
            " the two China shares are not comparable and neither is 'higher'."
        ]
        if pair
        else []
    )
    if same:
        us = same[-1]
        sentence = (
            f"{study[0].upper() + study[1:]}, measuring differently, puts China-based developers at {numbers.percent(cn['value'])}"
            f" and US-based ones at {numbers.percent(us['value'])} of Hub downloads ({when})."
        )
        return _observation_figure(
            ctx,
            "download-share-china-hf-2026",
            title=title,
            records=[cn, us],
            labels=["China", "US"],
            sentence=sentence,
            caveats=caveats,
            measure=f"Share of Hugging Face downloads by developer country, {when}, as estimated by {study}.",
        )
    caveats.append(
        "No US figure from the same report is recorded (it could not be confirmed in the primary), so this"
        " share is not set against any US share."
    )
    sentence = (
        f"{study[0].upper() + study[1:]} puts China at {numbers.percent(cn['value'])} of Hub downloads over the"
        f" year to {numbers.date(cn['as_of'], precision='month')}, by another method: not comparable with the study"
        " above, and no US figure of that report is recorded."
    )
    return _observation_figure(
        ctx,
        "download-share-china-hf-2026",
        title=title,
        records=[cn],
        labels=["China"],
        sentence=sentence,
        caveats=caveats,
        measure=f"Share of Hugging Face downloads attributed to China-based developers, {when}, as estimated by {study}.",
    )


@figure("derivatives-by-family")
def derivatives_by_family(ctx: Context) -> Figure | None:
    """Derived models per base family, from the latest count that covers several families alike."""
    rows = [r for r in ctx.adoption if r["subject_kind"] == "family" and r["metric"] == "derivatives"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(measure_key(r), []).append(r)
    usable = []
    for recs in groups.values():
        latest = {}
        for r in sorted(recs, key=lambda r: r["as_of"]):
            latest[r["subject"]] = r
        recs = list(latest.values())
        if len(recs) >= 2:
            try:
                usable.append(rank(recs))
            except NotComparableError:
                continue
    if not usable:
        return None
    recs = max(usable, key=lambda rs: (rs[0]["as_of"], len(rs)))
    refs = ctx.refs(s for r in recs for s in r["sources"])
    who = next((r.publisher for r in refs if r.grade == "primary"), refs[0].publisher if refs else "the source")
    when = numbers.date(recs[0]["as_of"], precision=recs[0].get("as_of_precision"))
    parts_text = [f"{numbers.number(r['value'], style='full')} from {r['subject']}" for r in recs]
    parts_text[0] = parts_text[0].replace(" from ", " models derived from ", 1)
    listing = ", ".join(parts_text[:-1]) + " and " + parts_text[-1] if len(parts_text) > 1 else parts_text[0]
    return _observation_figure(
        ctx,
        "derivatives-by-family",
        title="Derived models on Hugging Face, by base family",
        records=recs,
        labels=[r["subject"] for r in recs],
        measure=(
            f"Models on Hugging Face declaring a base model of each family (fine-tunes, adapters, quantisations),"
            f" counted by {who}, {when}."
        ),
        sentence=f"By {when} {who} counted some {listing}.".replace("By c. ", "By about "),
        caveats=["A count of derived repositories, not of their use."],
    )


def _company_downloads(ctx: Context, family: str, fid: str, who: str) -> Figure | None:
    rows = sorted(
        (
            r
            for r in ctx.adoption
            if r["subject_kind"] == "family"
            and r["subject"] == family
            and r["metric"] == "downloads_total"
            and str(r.get("measure_id") or "").startswith("company-reported")
        ),
        key=lambda r: r["as_of"],
    )
    if not rows:
        return None
    r = rows[-1]
    channels = "on Hugging Face" if "-hf-" in r["measure_id"] else "across its distribution channels"
    when = numbers.date(r["as_of"], precision=r.get("as_of_precision"))
    return _observation_figure(
        ctx,
        fid,
        title=f"{family} downloads, as reported by {who}",
        records=[r],
        labels=[family],
        measure=f"Cumulative downloads of {family}-family models counted by {who} {channels}, to {when}.",
        sentence=(
            f"{who[0].upper() + who[1:]} reported {numbers.number(r['value'], style='words')} {family} downloads"
            f" {channels.replace('its distribution channels', 'its own channels')} ({when}; a company claim, not ranked"
            " against others)."
        ),
        caveats=[
            f"Company-reported, counted {channels}: not comparable with Hugging Face counts or with other"
            " developers' claims (different counters and dates)."
        ],
    )


@figure("downloads-llama-meta")
def downloads_llama_meta(ctx: Context) -> Figure | None:
    return _company_downloads(ctx, "Llama", "downloads-llama-meta", "Meta")


@figure("downloads-qwen-team")
def downloads_qwen_team(ctx: Context) -> Figure | None:
    return _company_downloads(ctx, "Qwen", "downloads-qwen-team", "the Qwen team")


def _reading_figure(ctx: Context, fid: str, which: str) -> Figure | None:
    """China / US / other / unattributed shares of one Hub reading's 30-day downloads (`which`:
    "first" or "latest" of the share series), with its panel, coverage and any crossover."""
    summary = ctx.hub
    if summary is None:
        return None
    from briefing.core import reading_series as readings  # the series' names (no numpy, no pandas)

    r = summary.first if which == "first" else summary.latest
    day = r.date.isoformat()
    info = readings.SERIES[r.series]
    refs = ctx.refs((ctx.hub_sources or {}).get(which, []))
    labels = [("China", "CN"), ("US", "US"), ("other countries", "Other"), ("unattributed", readings.UNATTRIBUTED)]
    caveats = [
        f"{summary.panel}.",
        "A re-upload counts for its base model's developer only where Hub metadata names the base;"
        " the rest is unattributed (docs/methods.md).",
        "Not comparable with a study's share of downloads over a year (another window and attribution).",
    ]
    crossed = [
        f"China passed the US on {c.date.isoformat()} within the {readings.SERIES[c.series].label}"
        f" (the last reading with China not ahead: {c.before.isoformat()})."
        for c in summary.crossovers
    ]
    caveats += crossed or ["No crossover within one series of readings."]
    caveats += [b + "." for b in summary.between]
    lead = "China" if r.shares["CN"] > r.shares["US"] else "the US" if r.shares["US"] > r.shares["CN"] else "neither"
    return Figure(
        id=fid,
        title=f"Share of 30-day Hub downloads by developer country, {which} reading",
        parts=tuple(Part(lab, float(r.shares[key]), "percent") for lab, key in labels),
        unit="percent",
        measure=(
            f"Share of the summed Hugging Face 30-day downloads of the {numbers.plural(r.n_repos, 'repo')} in the"
            f" {info.label} reading of {day} ({info.population}), by the country of each repo's developer."
        ),
        window_start=(r.date - dt.timedelta(days=30)).isoformat(),
        window_end=day,
        as_of=day,
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=best_grade(refs),
        caveats=tuple(caveats),
        sentence=(
            f"In the {which} Hub reading ({info.label}, {numbers.date(day)}, {numbers.plural(r.n_repos, 'repo')}),"
            f" China-based developers had {numbers.percent(r.shares['CN'])} of the 30-day downloads and US-based"
            f" ones {numbers.percent(r.shares['US'])}, putting {lead} ahead on that panel."
        ),
        detail=f"{info.label}, {day}: {numbers.plural(r.n_repos, 'repo')}; {summary.panel}.",
        basis="computed",
        view="adoption",
        kpi=(
            numbers.percent(r.shares["CN"]),
            f"China-based developers' share of 30-day Hub downloads, {which} reading",
        ),
    )


@figure("hub-share-latest")
def hub_share_latest(ctx: Context) -> Figure | None:
    return _reading_figure(ctx, "hub-share-latest", "latest")


@figure("models-tracked")
def models_tracked(ctx: Context) -> Figure | None:
    """Open-weight model records by developer country: a count of this catalogue, not of the world."""
    models = [m for m in ctx.models if m["access"] in OPEN_ACCESS]
    if not models:
        return None
    counts = Counter(ctx.org_country.get(m["organization"]) for m in models)
    other = len(models) - counts["CN"] - counts["US"]
    latest = max(m["released_on"] for m in models)
    refs = ctx.refs(s for m in models for s in m["sources"])
    return Figure(
        id="models-tracked",
        title="Open-weight models tracked",
        parts=(
            Part("China", float(counts["CN"]), "count"),
            Part("US", float(counts["US"]), "count"),
            Part("other", float(other), "count"),
        ),
        unit="count",
        measure="Open-weight model records in this data set, by the developer's country.",
        window_start=None,
        window_end=latest,
        as_of=latest,
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=count_grade(ctx.record_grade(m) for m in models),
        caveats=tuple(
            ["A count of the records this data set holds (a catalogue), not a measure of the market."]
            + weak_records_caveat(ctx, models)
        ),
        sentence=(
            f"The data set tracks {numbers.plural(len(models), 'open-weight model')}: {counts['CN']} from Chinese"
            f" developers, {counts['US']} from US ones and {other} from elsewhere (a count of records)."
        ),
        detail=f"{len(models)} open-weight model records by developer country (a count of records, not a market measure).",
        basis="computed",
        record_ids=tuple(m["id"] for m in models),
        view="adoption",
    )


# -- investment ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Selection:
    """Which commitments a total counts (the headline: official, AI-specific)."""

    confirmations: tuple[str, ...] = ("official",)
    scopes: tuple[str, ...] = ("ai",)

    def wants(self, r: dict[str, Any]) -> bool:
        return r.get("confirmation") in self.confirmations and r.get("scope") in self.scopes


HEADLINE = Selection()
KIND_PLURAL = {
    "public_budget": "public budgets",
    "sovereign_fund": "sovereign funds",
    "private_pledge": "private pledges",
    "public_private": "public-private packages",
}
EVERYTHING = Selection(
    confirmations=("official", "press_reported"), scopes=("ai", "ai_and_other", "semiconductors", "compute")
)


@dataclass
class Total:
    """A USD total and what it leaves out, each left-out record with the reason."""

    counted: list[dict[str, Any]]
    left_out: list[tuple[dict[str, Any], str]]
    components: list[dict[str, Any]]

    @property
    def usd(self) -> float:
        return float(sum(r["amount_usd"] for r in self.counted))


def investment_total(investments: Sequence[dict[str, Any]], selection: Selection = HEADLINE) -> Total:
    """Sum of the selected commitments in USD, each dollar once (docs/methods.md):

    components (`part_of` a recorded package) are never added on top of it; of two records whose
    money overlaps (`overlaps`, either way), the smaller is left out while the larger counts; records
    without a USD figure, or outside the selection, are left out and named with the reason.
    """
    ids = {r["id"] for r in investments}
    top = [r for r in investments if not r.get("part_of") or r["part_of"] not in ids]
    components = [r for r in investments if r not in top]
    left: list[tuple[dict[str, Any], str]] = []
    chosen = []
    for r in top:
        if r.get("confirmation") not in selection.confirmations:
            left.append(
                (
                    r,
                    "reported only by the press"
                    if r.get("confirmation") == "press_reported"
                    else "confirmation not recorded",
                )
            )
        elif r.get("scope") not in selection.scopes:
            left.append(
                (
                    r,
                    {
                        "ai_and_other": "AI together with other technologies",
                        "semiconductors": "semiconductors",
                        "compute": "general compute or data-centre infrastructure",
                    }.get(r.get("scope") or "", "scope not recorded"),
                )
            )
        elif r.get("amount_usd") is None:
            left.append((r, f"no official exchange rate for {r['currency']}"))
        else:
            chosen.append(r)
    dropped = resolve_overlaps((r["id"], r["amount_usd"], r.get("overlaps") or []) for r in chosen)
    counted = [r for r in chosen if r["id"] not in dropped]
    left += [
        (r, "part of its money is also counted in " + ", ".join(dropped[r["id"]])) for r in chosen if r["id"] in dropped
    ]
    return Total(sorted(counted, key=lambda r: -r["amount_usd"]), left, components)


def resolve_overlaps(items: Iterable[tuple[str, float, Sequence[str]]]) -> dict[str, list[str]]:
    """Which of (id, usd, overlaps) to leave out so overlapping money is counted once:
    {left-out id: [the counted ids it overlaps]}. An overlap link goes both ways, whichever record
    declares it; the larger record is counted first and a smaller one overlapping it is left out
    (so the total is a lower bound, never a double count). Deterministic: ties go by id."""
    items = list(items)
    links: dict[str, set[str]] = {i: set() for i, _, _ in items}
    for i, _, overlaps in items:
        for o in overlaps:
            if o in links:
                links[i].add(o)
                links[o].add(i)
    counted: set[str] = set()
    dropped: dict[str, list[str]] = {}
    for i, _, _ in sorted(items, key=lambda t: (-(t[1] or 0.0), t[0])):
        clash = sorted(links[i] & counted)
        if clash:
            dropped[i] = clash
        else:
            counted.add(i)
    return dropped


def _investment_refs(ctx: Context, recs: Sequence[dict[str, Any]]) -> tuple[SourceRef, ...]:
    return ctx.refs(s for r in recs for s in r["sources"])


def _left_out_caveat(left: Sequence[tuple[dict[str, Any], str]]) -> list[str]:
    by_reason: dict[str, list[dict[str, Any]]] = {}
    for r, why in left:
        by_reason.setdefault(why, []).append(r)
    out = []
    for why, recs in by_reason.items():
        names = "; ".join(
            f"{COUNTRY_NAMES.get(r['country'], r['country'])} {numbers.usd(r['amount_usd'], style='words') if r.get('amount_usd') else numbers.number(r['amount'], style='words') + ' ' + r['currency']}"
            for r in sorted(recs, key=lambda r: -(r.get("amount_usd") or 0))
        )
        out.append(f"Left out ({why}): {names}.")
    return out


@figure("investment-total")
def investment_total_figure(ctx: Context) -> Figure | None:
    """Official, AI-specific commitments in USD, each counted once, with what is left out."""
    if not ctx.investments:
        return None
    t = investment_total(ctx.investments)
    if not t.counted:
        return None
    kinds = Counter()
    for r in t.counted:
        kinds[r.get("kind") or "unknown"] += r["amount_usd"]
    kind_text = ", ".join(
        f"{KIND_PLURAL.get(k, label(k))} {numbers.usd(v, style='words')}" for k, v in kinds.most_common()
    )
    countries = len({r["country"] for r in t.counted})
    latest = max(r["announced_on"] for r in t.counted)
    first = min(r["announced_on"] for r in t.counted)
    refs = _investment_refs(ctx, t.counted)
    grades = {r["id"]: ctx.record_grade(r) for r in t.counted}
    weak_only = [r for r in t.counted if grades[r["id"]] == "weak"]
    caveats = [
        f"Counts {numbers.plural(len(t.counted), 'commitment')} in {numbers.plural(countries, 'jurisdiction')}:"
        f" {kind_text}. Mostly announced, not disbursed; amounts are what was pledged, over different horizons.",
        "Converted to US dollars at the Federal Reserve G.5 monthly rate of each announcement month.",
    ]
    caveats += _left_out_caveat(t.left_out)
    if t.components:
        caveats.append(
            f"{numbers.plural(len(t.components), 'component')} of recorded packages are inside their package, not added to it."
        )
    if weak_only:
        caveats.append("Rests on weak sources only: " + ", ".join(r["id"] for r in weak_only) + ".")
    value = t.usd
    return Figure(
        id="investment-total",
        title="Officially announced AI-specific investment commitments",
        parts=(Part("", value, "usd"),),
        unit="usd",
        measure=(
            "Sum in US dollars of national AI investment commitments (public and private) announced by the party"
            " itself and earmarked for AI, top-level packages only, overlapping money counted once; recorded"
            f" commitments announced {numbers.window(first, latest)}."
        ),
        window_start=first,
        window_end=latest,
        as_of=latest,
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=weakest_grade(grades.values()),
        caveats=tuple(caveats),
        sentence=(
            f"Officially announced, AI-specific investment commitments (public and private) recorded here total {numbers.usd(value)} in"
            f" {numbers.plural(countries, 'jurisdiction')} ({kind_text.split(', ')[0]} of it), largely announced,"
            f" not disbursed; {numbers.plural(len(t.left_out), 'other commitment')} are left out as press-reported,"
            " not AI-specific or overlapping."
        ),
        detail=(
            f"{numbers.plural(len(t.counted), 'commitment')} in {numbers.plural(countries, 'jurisdiction')}, each"
            f" counted once; {len(t.left_out)} left out (press-reported, not AI-specific, overlapping)."
        ),
        basis="computed",
        record_ids=tuple(r["id"] for r in t.counted),
        view="investment",
    )


def _commitment_figure(
    ctx: Context, r: dict[str, Any], *, fid: str, title: str, measure: str, caveats: list[str], sentence: str
) -> Figure:
    """A figure that is one counted commitment as reported (its amount, its announcement date)."""
    refs = _investment_refs(ctx, [r])
    return Figure(
        id=fid,
        title=title,
        parts=(Part("", float(r["amount_usd"]), "usd"),),
        unit="usd",
        measure=measure,
        window_start=None,
        window_end=r["announced_on"],
        as_of=r["announced_on"],
        as_of_precision=None,
        published_on=r["announced_on"],
        sources=refs,
        grade=best_grade(refs),
        caveats=tuple(caveats + weak_caveat(refs)),
        sentence=sentence,
        basis="reported",
        record_ids=(r["id"],),
        view="investment",
    )


@figure("investment-largest")
def investment_largest(ctx: Context) -> Figure | None:
    t = investment_total(ctx.investments)
    if not t.counted:
        return None
    r = t.counted[0]
    title = r["title"].split(":")[0] if ":" in r["title"][:60] else r["title"][:60]
    return _commitment_figure(
        ctx,
        r,
        fid="investment-largest",
        title=f"Largest in the total: {title}",
        measure=f"The largest officially announced AI-specific commitment recorded: {r['title']}.",
        caveats=[f"{label(r.get('kind'))}, {label(r['status'])}: {r['usd_basis']}"],
        sentence=(
            f"The largest single entry is {title} ({numbers.usd(r['amount_usd'])}, {label(r.get('kind'))},"
            f" {COUNTRY_NAMES.get(r['country'], r['country'])}, {label(r['status'])} {numbers.date(r['announced_on'])})."
        ),
    )


@figure("investment-latest")
def investment_latest(ctx: Context) -> Figure | None:
    t = investment_total(ctx.investments)
    if not t.counted:
        return None
    r = max(t.counted, key=lambda r: (r["announced_on"], r["id"]))
    where = COUNTRY_NAMES.get(r["country"], r["country"])
    return _commitment_figure(
        ctx,
        r,
        fid="investment-latest",
        title=f"Most recent in the total: {where}",
        measure=f"The most recently announced AI-specific commitment recorded (announced by the party itself): {r['title']}.",
        caveats=[],
        sentence=f"The most recent is {where}'s {numbers.usd(r['amount_usd'])} ({numbers.date(r['announced_on'])}).",
    )


@figure("investment-by-status")
def investment_by_status(ctx: Context) -> Figure | None:
    """The headline total split by status (announced, committed, disbursing, completed)."""
    t = investment_total(ctx.investments)
    if not t.counted:
        return None
    order = ("announced", "committed", "disbursing", "completed")
    sums = {s: sum(r["amount_usd"] for r in t.counted if r["status"] == s) for s in order}
    parts = tuple(Part(s, float(v), "usd") for s, v in sums.items() if v)
    grades = [ctx.record_grade(r) for r in t.counted]
    text = ", ".join(f"{numbers.usd(p.value)} {p.label}" for p in parts)
    return Figure(
        id="investment-by-status",
        title="By status",
        parts=parts,
        unit="usd",
        measure="The headline total split by each commitment's status (docs/methods.md).",
        window_start=min(r["announced_on"] for r in t.counted),
        window_end=max(r["announced_on"] for r in t.counted),
        as_of=max(r["announced_on"] for r in t.counted),
        as_of_precision=None,
        published_on=None,
        sources=_investment_refs(ctx, t.counted),
        grade=weakest_grade(grades),
        caveats=(
            "Announced: a stated intention, no legal commitment. Committed: appropriated, budgeted or signed."
            " No recorded commitment is yet reported as disbursing or completed."
            if not (sums["disbursing"] or sums["completed"])
            else "Announced: a stated intention. Committed: appropriated, budgeted or signed.",
        ),
        sentence=f"By status: {text}.",
        basis="computed",
        record_ids=tuple(r["id"] for r in t.counted),
        view="investment",
        kpi=(
            numbers.percent(round(100 * sums["announced"] / t.usd, 1)),
            "of the headline total only announced, not yet committed",
        ),
    )


# -- policy -----------------------------------------------------------------------------------------
def _past(ctx: Context, policies: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actions dated on or before the data date (what had happened when the data were gathered)."""
    ref = ctx.policy_ref.isoformat()
    return [p for p in policies if not p.get("scheduled") and p["date"] <= ref]


def _core(policies: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in policies if p.get("relevance") == "core"]


def stage_breakdown(actions: Sequence[dict[str, Any]]) -> str:
    """'1 in force, 2 introduced' (most first)."""
    counts = Counter(label(a["stage"]) for a in actions)
    return ", ".join(f"{n} {s}" for s, n in counts.most_common())


def _stance_text(actions: Sequence[dict[str, Any]], stance: str) -> str:
    these = [a for a in actions if a["stance_on_open_models"] == stance]
    if not these:
        return f"0 {label(stance)}"
    return f"{len(these)} {label(stance)} ({stage_breakdown(these)})"


def _policy_refs(ctx: Context, actions: Sequence[dict[str, Any]]) -> tuple[SourceRef, ...]:
    return ctx.refs(s for a in actions for s in a["sources"])


@figure("policy-stance-12m")
def policy_stance_12m(ctx: Context) -> Figure | None:
    """Actions bearing on open models dated in the 12 months to the data date, by stance and stage."""
    start = (ctx.policy_ref - dt.timedelta(days=365)).isoformat()
    past = _past(ctx, ctx.policies)
    recent = [p for p in past if p["date"] > start]
    core = _core(recent)
    if not recent:
        return None
    counts = Counter(p["stance_on_open_models"] for p in core)
    parts = tuple(Part(label(s), float(counts[s]), "actions") for s in CORE_STANCES + ("unassessed",) if counts[s])
    refs = _policy_refs(ctx, core)
    when = numbers.window(start, ctx.policy_ref.isoformat())
    context_n = len(recent) - len(core)
    stances = "; ".join(_stance_text(core, s) for s in CORE_STANCES if counts[s])
    return Figure(
        id="policy-stance-12m",
        title="Policy actions bearing on open models, last 12 months",
        parts=parts,
        unit="actions",
        measure=(
            f"Policy actions recorded in this data set that bear on open models (relevance 'core'), dated {when}"
            " (the 12 months to the data date), by stance on open-weight models (docs/methods.md)."
        ),
        window_start=start,
        window_end=ctx.policy_ref.isoformat(),
        as_of=ctx.policy_ref.isoformat(),
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=count_grade(ctx.record_grade(p) for p in core),
        caveats=tuple(
            [
                f"A count of the records this data set holds, not of every action taken; {context_n} context actions"
                " (chips, compute, general AI rules) in the same months are not counted.",
                "Stage is shown with every count: an introduced bill is not a law in force.",
            ]
            + weak_records_caveat(ctx, core)
        ),
        sentence=(
            f"In the 12 months to {numbers.date(ctx.policy_ref.isoformat())}, the data hold"
            f" {numbers.plural(len(core), 'action')} bearing on open models: {stances}."
        ),
        detail=stances,
        basis="computed",
        record_ids=tuple(p["id"] for p in core),
        view="policy",
        kpi=(
            f"{len(core):,}",
            "Actions bearing on open models, last 12 months: "
            + ", ".join(f"{counts[s]} {label(s)}" for s in CORE_STANCES if counts[s]),
        ),
    )


@figure("policy-restrictive-to-date")
def policy_restrictive_to_date(ctx: Context) -> Figure | None:
    past = _core(_past(ctx, ctx.policies))
    restrictive = [p for p in past if p["stance_on_open_models"] == "restrictive"]
    if not past:
        return None
    counts = Counter(p["stage"] for p in restrictive)
    parts = tuple(Part(label(s), float(n), "actions") for s, n in counts.most_common()) or (
        Part("restrictive", 0.0, "actions"),
    )
    in_force = counts["in_force"]
    refs = _policy_refs(ctx, restrictive)
    return Figure(
        id="policy-restrictive-to-date",
        title=f"Restrictive toward open models (of {len(past)} bearing on them)",
        parts=parts,
        unit="actions",
        measure="Recorded actions restrictive toward open-weight models, to the data date, by stage.",
        window_start=min((p["date"] for p in past), default=None),
        window_end=ctx.policy_ref.isoformat(),
        as_of=ctx.policy_ref.isoformat(),
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=count_grade(ctx.record_grade(p) for p in (restrictive or past)),
        caveats=tuple(
            ["A count of records; restrictive here includes limits confined to government systems."]
            + weak_records_caveat(ctx, restrictive)
        ),
        sentence=(
            f"Of {numbers.plural(len(past), 'recorded action')} bearing on open models, {len(restrictive)} are"
            f" restrictive ({stage_breakdown(restrictive) or 'none'})."
            + ("" if in_force else " None of them is in force.")
        ),
        detail=stage_breakdown(restrictive),
        basis="computed",
        record_ids=tuple(p["id"] for p in restrictive),
        view="policy",
        kpi=(
            f"{len(restrictive):,}",
            f"Restrictive, of {len(past)} bearing on open models: {stage_breakdown(restrictive) or 'none'}",
        ),
    )


@figure("policy-export-controls")
def policy_export_controls(ctx: Context) -> Figure | None:
    past = [p for p in _past(ctx, ctx.policies) if p["instrument"] == "export_control" and p["date"] >= "2022-01-01"]
    if not past:
        return None
    core = _core(past)
    us = sum(p["jurisdiction"] == "US" for p in past)
    refs = _policy_refs(ctx, past)
    weights = [p for p in core if "model_weights" in (p.get("topics") or [])]
    return Figure(
        id="policy-export-controls",
        title="Export-control actions recorded since Jan 2022",
        parts=(Part("", float(len(past)), "count"),),
        unit="count",
        measure=(
            "Export-control actions (chips, chip-making equipment, model weights, listings) recorded in this data set,"
            " dated Jan 1, 2022 to the data date."
        ),
        window_start="2022-01-01",
        window_end=ctx.policy_ref.isoformat(),
        as_of=ctx.policy_ref.isoformat(),
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=count_grade(ctx.record_grade(p) for p in past),
        caveats=tuple(
            [
                "A count of the records this data set holds: a selection of Federal Register documents and"
                " hand-entered rules, with routine notices left out; not a complete count."
            ]
            + weak_records_caveat(ctx, past)
        ),
        sentence=(
            f"The data hold {numbers.plural(len(past), 'export-control action')} since January 2022 ({us} of them"
            f" from the US); {len(core)} bear on open models, {len(weights)} of them on model weights."
        ),
        detail=f"{us} US; {len(core)} bear on open models.",
        basis="computed",
        record_ids=tuple(p["id"] for p in past),
        view="policy",
    )


@figure("policy-jurisdictions")
def policy_jurisdictions(ctx: Context) -> Figure | None:
    past = _past(ctx, ctx.policies)
    if not past:
        return None
    counts = Counter(p["jurisdiction"] for p in past)
    top = counts.most_common(3)
    return Figure(
        id="policy-jurisdictions",
        title=f"Jurisdictions with recorded actions ({len(counts)})",
        parts=tuple(Part(place_name(j), float(n), "count") for j, n in top),
        unit="count",
        measure="Recorded policy actions per jurisdiction (the three with most), to the data date.",
        window_start=min(p["date"] for p in past),
        window_end=ctx.policy_ref.isoformat(),
        as_of=ctx.policy_ref.isoformat(),
        as_of_precision=None,
        published_on=None,
        sources=_policy_refs(ctx, past),
        grade=count_grade(ctx.record_grade(p) for p in past),
        caveats=tuple(
            [
                "A count of records: it reflects where this data set looked most closely (the US Federal"
                " Register), not how much policy each jurisdiction makes."
            ]
            + weak_records_caveat(ctx, past)
        ),
        sentence=(
            f"Actions are recorded for {numbers.plural(len(counts), 'jurisdiction')}, most for "
            + ", ".join(f"{COUNTRY_NAMES.get(j, j)} ({n})" for j, n in top)
            + "."
        ),
        basis="computed",
        record_ids=tuple(p["id"] for p in past),
        view="policy",
        kpi=(
            f"{len(counts)}",
            "Jurisdictions with recorded actions (" + ", ".join(f"{place_name(j)} {n}" for j, n in top) + ")",
        ),
    )


def milestones(ctx: Context) -> list[tuple[dict[str, Any], str]]:
    """Scheduled milestones with their status on `today`: 'upcoming', 'passed' or 'superseded'."""
    out = []
    today = ctx.today.isoformat()
    for p in sorted((p for p in ctx.policies if p.get("scheduled")), key=lambda p: (p["date"], p["id"])):
        status = "superseded" if p.get("superseded_by") else "upcoming" if p["date"] > today else "passed"
        out.append((p, status))
    return out


@figure("policy-milestones")
def policy_milestones(ctx: Context) -> Figure | None:
    """Scheduled milestones: the next one after today, and those whose date has passed."""
    ms = milestones(ctx)
    if not ms:
        return None
    upcoming = [p for p, s in ms if s == "upcoming"]
    passed = [(p, s) for p, s in ms if s != "upcoming"]
    words = []
    if upcoming:
        p = upcoming[0]
        words.append(
            f"Next scheduled: \u201c{p['title']}\u201d ({COUNTRY_NAMES.get(p['jurisdiction'], p['jurisdiction'])},"
            f" {numbers.date(p['date'])})."
        )
    for p, s in passed:
        if s == "superseded":
            words.append(
                f"\u201c{p['title']}\u201d, scheduled for {numbers.date(p['date'])}, was superseded by {p['superseded_by']}."
            )
        else:
            words.append(
                f"\u201c{p['title']}\u201d was scheduled for {numbers.date(p['date'])}, which has passed; the data"
                " predate it, so whether it took effect as planned is not recorded."
            )
    refs = _policy_refs(ctx, [p for p, _ in ms])
    return Figure(
        id="policy-milestones",
        title="Scheduled milestones",
        parts=(Part("upcoming", float(len(upcoming)), "count"), Part("passed", float(len(passed)), "count")),
        unit="count",
        measure="Policy milestones recorded as scheduled after the data were gathered, and their status on today's date.",
        window_start=None,
        window_end=ctx.today.isoformat(),
        as_of=ctx.today.isoformat(),
        as_of_precision=None,
        published_on=None,
        sources=refs,
        grade=count_grade(ctx.record_grade(p) for p, _ in ms),
        caveats=("Counted against today's date (the computer's clock), not the data date.",),
        sentence=" ".join(words),
        basis="computed",
        record_ids=tuple(p["id"] for p, _ in ms),
        view="policy",
    )
