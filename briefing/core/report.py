"""One-pager content: store records -> `ReportSpec`, plain data that `briefing.render.pdf` draws.

Every number on the page comes from a record and carries a footnote to that record's source (or,
for a count or sum, to a "computed from N records" note). When a figure is missing from the data
the brief says less rather than inventing it. Which items fit on the page is the renderer's call:
`ReportSpec.trimmed()` keeps the most important ones and renumbers the source notes so every shown
footnote, and only those, is listed. No Qt; safe on any thread with its own Store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from briefing.core import report_content
from briefing.core.report_content import fmt_date
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
    # The adoption story is China- vs US-based developers: the by-country chart tells it directly
    # (by organization spreads it over a dozen labs). The overview leads with the same race.
    "overview": "adoption-by-country", "adoption": "adoption-by-country",
    "investment": "investment-by-country", "policy": "policy-timeline",
}
#: Caption used until the renderer supplies the chart's own title.
CHART_TITLES = {
    "overview": "Open-model downloads by developer country",
    "adoption": "Open-model downloads by developer country",
    "investment": "Announced AI investment commitments by country (USD)",
    "policy": "Policy actions by jurisdiction over time",
}
POLICY_STRIP_MAX = 6
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
    as_of: str
    notes: tuple[int, ...]


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
    stale: bool
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


def build_report(store: Store, topic: str, *, notes: NoteStore | None = None, today: dt.date | None = None) -> ReportSpec:
    """The full (untrimmed) one-pager content for a topic, from the store and the user's edits."""
    if topic not in TOPICS:
        raise BriefingError(f"unknown topic {topic!r} (choose from {', '.join(TOPICS)})")
    today = today or dt.date.today()
    meta = store.meta()
    data_as_of = meta.get("data_as_of") or today.isoformat()
    ref = dt.date.fromisoformat(data_as_of[:10]) if _is_date(data_as_of) else today
    content = report_content.build(store, topic, ref)

    sources = {s["id"]: s for s in store.records("source")}
    note_map: dict[str, SourceNote] = {}

    def cite(source_ids: list[str] | tuple[str, ...], *, derived: str | None = None, derived_from: str = "") -> tuple[str, ...]:
        keys: list[str] = []
        if derived:
            # One note per record set ("Computed from the 120 policy-action records"):
            # the figure's own label says what was counted. No address; dated by the data's as-of.
            key = "derived:" + (derived_from or derived)
            note_map.setdefault(key, SourceNote(
                0, f"Computed from the {derived_from or 'records'}", "", fmt_date(data_as_of), ""))
            keys.append(key)
        for sid in list(source_ids)[:MAX_NOTES_PER_ITEM]:  # the rest stay listed in the app
            s = sources.get(sid)
            if s is None:
                continue
            # an undated page is cited by when it was read, and says so
            date = fmt_date(s["published_on"]) if s.get("published_on") else (
                "accessed " + fmt_date(s["retrieved_on"]) if s.get("retrieved_on") else "")
            note_map.setdefault(sid, SourceNote(
                0, clean_text(s["publisher"]), clean_text(s["title"]), date, short_address(s["url"]),
            ))
            keys.append(sid)
        return tuple(dict.fromkeys(keys))

    figures, fig_keys = [], []
    for fig in content.figures[:4]:
        figures.append(KeyFigure(clean_text(fig.label), fig.value, fmt_date(fig.as_of), ()))
        fig_keys.append(cite(fig.sources, derived=fig.derived, derived_from=fig.derived_from))

    policy, pol_keys = [], []
    for rec in content.policy[:POLICY_STRIP_MAX]:
        policy.append(PolicyItem(
            fmt_date(rec["date"]), rec["jurisdiction"], clean_text(rec["title"]), rec["stage"].replace("_", " "), (),
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
        for rec in content.considerations:
            considerations.append(Bullet(clean_text(rec["text"])))
            cons_keys.append(cite(rec["sources"]))
    cons_total = len(considerations)
    considerations = considerations[:CONSIDERATIONS_MAX]
    cons_keys = cons_keys[:CONSIDERATIONS_MAX]

    chart_keys = cite(content.chart_sources)
    edited_bl = (notes.get_text(bottom_line_key(topic)) if notes else None) or ""
    bottom_line = clean_text(edited_bl).strip() or content.bottom_line

    expires = meta.get("feed_expires_at")
    stale = bool(expires) and expires < dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    version = f"snapshot v{meta['snapshot_version']}" if meta.get("snapshot_version") else "snapshot"
    if meta.get("feed_version"):
        version += f" · feed v{meta['feed_version']}"

    spec = ReportSpec(
        topic=topic, app_name=APP_NAME, title=TOPIC_TITLES[topic], updated=fmt_date(today.isoformat()),
        data_as_of=fmt_date(data_as_of), version=version, stale=stale,
        bottom_line=bottom_line, bottom_line_edited=bool(clean_text(edited_bl).strip()),
        key_figures=tuple(figures), chart_name=TOPIC_CHARTS[topic], chart_title=CHART_TITLES[topic], chart_source="", chart_notes=(),
        policy=tuple(policy), policy_total=content.policy_total,
        considerations=tuple(considerations), considerations_total=cons_total,
        considerations_edited=bool(cons_lines), sources=(),
        _notes=tuple(note_map.items()),
        _cites={"figures": fig_keys, "chart": chart_keys, "chart_text": content.chart_source_text,
                "policy": pol_keys, "considerations": cons_keys},
    )
    return spec.trimmed(policy=len(policy), considerations=len(considerations))


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True
