"""One-pager content: figures and records -> `ReportSpec`, the plain data every brief format draws
(the tagged PDF, Word and slides: `briefing.render.brief`).

Everything a brief says comes from `briefing.core.figures` (the key figures, the bottom line, the
data age) and from the records (the policy actions relevant to the topic, by their relevance and
topic tags; the considerations); this module only chooses, words and numbers the citations. Every
number carries a note: its figure's sources (publisher, title, date, a stable address), or for a
count or sum a "computed from N records" note. When a figure is missing from the data the brief
says less rather than inventing it. What fits on the page is the renderer's call:
`ReportSpec.trimmed()` keeps the most important items and renumbers the source notes so that every
shown note number, and only those, is listed. The user's own texts (bottom line, considerations)
come from the notes file. No Qt; safe on any thread with its own Store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from briefing.core import cite, dates, figures, numbers
from briefing.core.definitions import TERM_NAMES, TERMS, label
from briefing.core.errors import BriefingError
from briefing.core.notes import NoteStore
from briefing.core.store import Store
from briefing.core.text import clean_text

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
    "overview": "adoption-share",
    "adoption": "adoption-share",
    "investment": "investment-by-country",
    "policy": "policy-timeline",
}
#: Caption used until the renderer supplies the chart's own title.
CHART_TITLES = {
    "overview": "Share of 30-day Hugging Face downloads by developer country, per reading",
    "adoption": "Share of 30-day Hugging Face downloads by developer country, per reading",
    "investment": "Announced AI investment commitments by country (USD)",
    "policy": "Policy actions by jurisdiction over time",
}
#: The terms each brief defines first (core/definitions.TERMS; docs/methods.md, "Terms on the briefs").
TOPIC_TERMS = {
    "overview": ("open_weights", "download_share", "announced_committed"),
    "adoption": ("open_weights", "download_share", "derived_model"),
    "investment": ("ai_specific", "announced_committed", "open_weights"),
    "policy": ("open_weights", "stance", "stage"),
}
#: Policy actions each topic's list shows: relevance and, for the narrower briefs, topic tags.
TOPIC_POLICY: dict[str, tuple[set[str | None], set[str] | None]] = {
    "overview": ({"core"}, None),
    "policy": ({"core"}, None),
    "adoption": (
        {"core"},
        {"open_source", "model_weights", "chinese_apps", "chinese_developers", "evaluations", "frontier_models"},
    ),
    "investment": ({"core", "context"}, {"compute", "chips", "exports_promotion", "international", "procurement"}),
}
POLICY_MAX = 6
CONSIDERATIONS_MAX = 6
MAX_NOTES_PER_ITEM = 3
#: Longest user text kept (characters): a brief is one page; a pasted book is cut, with '…'.
BOTTOM_LINE_CHARS, BULLET_CHARS, NAME_CHARS = 900, 420, 120
SEP = " \u00b7 "


def bottom_line_key(topic: str) -> str:
    return f"onepager/{topic}/bottom_line"


def considerations_key(topic: str) -> str:
    return f"onepager/{topic}/considerations"


place = figures.place_name  # a jurisdiction as a reader names it


def _cut(text: str, limit: int) -> str:
    text = " ".join(clean_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "\u2026"


# -- what a brief holds ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Definition:
    term: str
    text: str


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: its value, what it is (label), the window in words, and what it measures."""

    label: str
    value: str
    as_of: str  # the date or window the figure describes, in words
    notes: tuple[int, ...]
    weak: bool = False  # rests only on weak sources: printed with a "weakly sourced" mark
    figure_id: str = ""
    measure: str = ""  # the figure's measure, in words (who counted what, over which window)


@dataclass(frozen=True)
class PolicyItem:
    date: str
    jurisdiction: str
    title: str
    stage: str
    notes: tuple[int, ...]
    stance: str = ""
    record_id: str = ""


@dataclass(frozen=True)
class Bullet:
    text: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class SourceNote:
    """A numbered source note. `address` is printed (stable, no scheme); `url` is the link target
    (https only, '' for a computed note)."""

    number: int
    publisher: str
    title: str
    date: str
    address: str
    url: str = ""
    grade: str = ""

    @property
    def text(self) -> str:
        """'Publisher, “Title,” date, address.' (complete: never shortened)."""
        if not self.address:  # computed: "Computed from the 14 commitment records ...; data current to ..."
            return f"{self.publisher}; data current to {self.date}." if self.date else f"{self.publisher}."
        head = f"{self.publisher}, " if self.publisher else ""
        title = f"“{self.title},” " if self.title else ""
        return f"{head}{title}{self.date}, {self.address}."


@dataclass(frozen=True)
class Change:
    """A figure the last brief on this topic quoted, and how it stands now (`briefing.core.brief_history`)."""

    figure_id: str
    title: str
    before: str
    after: str
    delta: str  # "+1.3 percentage points", "−$12 billion", "" when not a single number
    why: str  # "a new reading", "a corrected record", "a new source", "no longer in the data", "new"


@dataclass(frozen=True)
class ReportSpec:
    """Everything on one brief, most important first within each list. Strings are display-ready."""

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
    definitions: tuple[Definition, ...] = ()
    age_warning: str = ""
    prepared_by: str = ""
    prepared_for: str = ""
    chart_alt: str = ""
    chart_data_date: str = ""
    #: the figures of the last brief on this topic that changed since (empty: none changed or no brief)
    changes: tuple[Change, ...] = ()
    last_brief: str = ""  # when the last brief on this topic was exported, in words ('' if never)
    show_changes: bool = False  # print the changes on the brief (the dialog always lists them)
    #: Raw source notes by key, in first-citation order; `trimmed()` renumbers from these.
    _notes: tuple[tuple[str, SourceNote], ...] = field(default=(), repr=False)
    _cites: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def policy_more(self) -> int:
        return max(0, self.policy_total - len(self.policy))

    @property
    def considerations_more(self) -> int:
        return max(0, self.considerations_total - len(self.considerations))

    @property
    def full_title(self) -> str:
        return f"{self.app_name}: {self.title}"

    @property
    def prepared_line(self) -> str:
        """'Prepared by A. Staffer for Rep. B' ('' when neither is set)."""
        if self.prepared_by and self.prepared_for:
            return f"Prepared by {self.prepared_by} for {self.prepared_for}"
        if self.prepared_by:
            return f"Prepared by {self.prepared_by}"
        return f"Prepared for {self.prepared_for}" if self.prepared_for else ""

    def with_chart(self, *, title: str, source_line: str, alt: str = "", data_date: str = "") -> ReportSpec:
        """This spec captioned with the drawn chart's own title, source line, description and data date."""
        cites = {**self._cites, "chart_text": clean_text(source_line) or self._cites["chart_text"]}
        spec = dataclasses.replace(
            self,
            chart_title=clean_text(title) or self.chart_title,
            _cites=cites,
            chart_alt=clean_text(alt) or self.chart_alt,
            chart_data_date=numbers.date(data_date) if data_date else self.chart_data_date,
        )
        return spec.trimmed(policy=len(self.policy), considerations=len(self.considerations))

    def with_changes(self, changes: tuple[Change, ...], *, last_brief: str, show: bool) -> ReportSpec:
        return dataclasses.replace(self, changes=tuple(changes), last_brief=last_brief, show_changes=show)

    def trimmed(self, *, policy: int, considerations: int) -> ReportSpec:
        """This spec with only the first `policy` actions and `considerations` bullets, and the
        source notes renumbered 1..n in order of first citation among what is kept."""
        keep_policy = self._cites["policy"][:policy]
        keep_cons = self._cites["considerations"][:considerations]
        groups = [self._cites["figures"], [self._cites["chart"]], keep_policy, keep_cons]
        order: dict[str, int] = {}
        for group in groups:
            for keys in group:
                for key in keys:
                    order.setdefault(key, len(order) + 1)
        notes = dict(self._notes)

        def nums(keys: tuple[str, ...]) -> tuple[int, ...]:
            return tuple(order[k] for k in keys)

        all_policy = self._cites.get("all_policy", self.policy)
        all_cons = self._cites.get("all_considerations", self.considerations)
        return dataclasses.replace(
            self,
            key_figures=tuple(
                dataclasses.replace(f, notes=nums(k)) for f, k in zip(self.key_figures, self._cites["figures"])
            ),
            chart_source=self._cites["chart_text"],
            chart_notes=nums(self._cites["chart"]),
            policy=tuple(dataclasses.replace(p, notes=nums(k)) for p, k in zip(all_policy[:policy], keep_policy)),
            considerations=tuple(
                dataclasses.replace(b, notes=nums(k)) for b, k in zip(all_cons[:considerations], keep_cons)
            ),
            sources=tuple(dataclasses.replace(notes[k], number=n) for k, n in order.items()),
            _cites={**self._cites, "all_policy": all_policy, "all_considerations": all_cons},
        )


# -- building it ----------------------------------------------------------------------------------
def _strip(actions: list[dict[str, Any]], topic: str, ref: str) -> tuple[list[dict[str, Any]], int]:
    """The topic's policy actions that had happened by the data date, most recent first, and how many
    that is in all (the page counts the ones it has no room for in '+N more')."""
    relevances, tags = TOPIC_POLICY[topic]
    relevant = [
        a
        for a in actions
        if a.get("relevance") in relevances
        and (tags is None or tags & set(a.get("topics") or ()))
        and not a.get("scheduled")
        and a["date"] <= ref
    ]
    relevant.sort(key=lambda a: (a["date"], a["id"]), reverse=True)
    return relevant, len(relevant)


def _chart_sources(store: Store, topic: str, ctx: figures.Context) -> tuple[list[str], str]:
    if topic in ("overview", "adoption"):
        from briefing.core import reading_series  # the series names (no numpy, no pandas)

        # the chart's own data (each reading's per-repo 30-day downloads), not the headline figures' studies
        return (
            store.reading_source_ids(metric="downloads_30d", series=reading_series.SHARE_SERIES)[:3],
            "Source: the Hub readings in the app's adoption data",
        )
    if topic == "investment":
        counted = figures.investment_total(ctx.investments).counted[:3]
        return list(
            dict.fromkeys(s for r in counted for s in r["sources"])
        ), "Source: the recorded commitments (largest shown cited)"
    latest = sorted(ctx.policies, key=lambda a: (a["date"], a["id"]), reverse=True)[:3]
    return list(
        dict.fromkeys(s for a in latest for s in a["sources"])
    ), "Source: the recorded policy actions (latest shown cited)"


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


def _version(meta: dict[str, Any]) -> str:
    version = f"snapshot v{meta['snapshot_version']}" if meta.get("snapshot_version") else "snapshot"
    if meta.get("feed_version"):
        version += f" · feed v{meta['feed_version']}"
    return version


def build_report(
    store: Store,
    topic: str,
    *,
    notes: NoteStore | None = None,
    today: dt.date | None = None,
    stale_after_days: int = dates.DEFAULT_STALE_AFTER_DAYS,
    prepared_by: str = "",
    prepared_for: str = "",
) -> ReportSpec:
    """The full (untrimmed) brief content for a topic, from the store and the user's edits."""
    if topic not in TOPICS:
        raise BriefingError(f"unknown topic {topic!r} (choose from {', '.join(TOPICS)})")
    ctx = figures.Context.load(
        store, today=today, stale_after_days=stale_after_days, hub=figures.topic_needs_hub(topic)
    )
    return build_report_from(store, ctx, topic, notes=notes, prepared_by=prepared_by, prepared_for=prepared_for)


def build_report_from(
    store: Store,
    ctx: figures.Context,
    topic: str,
    *,
    notes: NoteStore | None = None,
    prepared_by: str = "",
    prepared_for: str = "",
    figs: list[figures.Figure] | None = None,
) -> ReportSpec:
    """`build_report` on figures already loaded (`ctx`, and `figs` if computed)."""
    meta = store.meta()
    data_as_of = ctx.topic_data_date(topic) or ""  # what this brief's data are current to
    ref = ctx.ref.isoformat()
    figs = figs if figs is not None else figures.compute_from(ctx)
    by_id = {f.id: f for f in figs}
    age = figures.data_age(ctx, topic)
    note_map: dict[str, SourceNote] = {}

    def cite_sources(
        source_ids: list[str] | tuple[str, ...], *, derived_from: str = "", as_of: str | None = None
    ) -> tuple[str, ...]:
        keys: list[str] = []
        if derived_from:
            # One note per record set ("Computed from the 14 commitment records"): the figure's own
            # label says what was counted. No address; dated by the figure's own as-of (policy counts
            # run to the policy data date, the investment total to its latest announcement).
            key = "derived:" + derived_from + ":" + (as_of or data_as_of)
            note_map.setdefault(
                key,
                SourceNote(
                    0, f"Computed from the {derived_from} in this data set", "", cite.long_date(as_of or data_as_of), ""
                ),
            )
            keys.append(key)
        for sid in list(source_ids)[:MAX_NOTES_PER_ITEM]:  # the rest stay listed in the app
            s = ctx.sources.get(sid)
            if s is None:
                continue
            note_map.setdefault(
                sid,
                SourceNote(
                    0,
                    clean_text(s["publisher"]),
                    clean_text(s["title"]).rstrip("."),
                    cite.source_date(s),
                    cite.printed_address(s["url"]),
                    cite.link_target(s["url"]),
                    s.get("grade") or "",
                ),
            )
            keys.append(sid)
        return tuple(dict.fromkeys(keys))

    key_figures, fig_keys = [], []
    for fid in figures.TOPIC_KEY_FIGURES[topic]:
        fig = by_id.get(fid)
        if fig is None:
            continue
        value, label_ = kpi(fig)
        key_figures.append(
            KeyFigure(
                clean_text(label_),
                value,
                fig.when_text(),
                (),
                weak=fig.weakly_sourced,
                figure_id=fig.id,
                measure=clean_text(fig.measure),
            )
        )
        if fig.basis == "computed":
            kind = {"investment": "commitment", "policy": "policy-action", "adoption": "model"}.get(fig.view, "")
            fig_keys.append(
                cite_sources(
                    [], derived_from=f"{len(fig.record_ids):,} {kind} records" if kind else "records", as_of=fig.as_of
                )
            )
        else:
            fig_keys.append(cite_sources([s.id for s in fig.sources]))

    policy_recs, policy_total = _strip(ctx.policies, topic, ref)
    policy, pol_keys = [], []
    for rec in policy_recs[:POLICY_MAX]:
        policy.append(
            PolicyItem(
                numbers.date(rec["date"]),
                place(rec["jurisdiction"]),
                _cut(rec["title"], 240),
                label(rec["stage"]),
                (),
                stance=label(rec.get("stance_on_open_models")),
                record_id=rec["id"],
            )
        )
        pol_keys.append(cite_sources(rec["sources"]))

    edited_cons = (notes.get_text(considerations_key(topic)) if notes else None) or ""
    cons_lines = [_cut(line.strip(" \t-•*"), BULLET_CHARS) for line in edited_cons.splitlines()]
    cons_lines = [line for line in cons_lines if line]
    if cons_lines:  # the user's own bullets replace the records' (their sources stay in the app)
        considerations = [Bullet(line) for line in cons_lines]
        cons_keys: list[tuple[str, ...]] = [() for _ in cons_lines]
    else:
        considerations, cons_keys = [], []
        for rec in (r for r in store.records("consideration") if r["topic"] == topic):
            considerations.append(Bullet(_cut(rec["text"], BULLET_CHARS)))
            cons_keys.append(cite_sources(rec["sources"]))
    cons_total = len(considerations)
    considerations = considerations[:CONSIDERATIONS_MAX]
    cons_keys = cons_keys[:CONSIDERATIONS_MAX]

    chart_sources, chart_text = _chart_sources(store, topic, ctx)
    chart_keys = cite_sources(chart_sources)
    edited_bl = _cut((notes.get_text(bottom_line_key(topic)) if notes else None) or "", BOTTOM_LINE_CHARS)
    bottom_line = (
        edited_bl or figures.bottom_line(figs, topic) or "The records hold too little data on this topic for a summary."
    )

    expires = meta.get("feed_expires_at")
    stale = bool(expires) and expires < dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    definitions = tuple(
        Definition(TERM_NAMES[t], TERMS[t][:1].upper() + TERMS[t][1:] + ".") for t in TOPIC_TERMS[topic]
    )

    spec = ReportSpec(
        topic=topic,
        app_name=APP_NAME,
        title=TOPIC_TITLES[topic],
        updated=numbers.date(ctx.today.isoformat()),
        data_as_of=numbers.date(data_as_of),
        version=_version(meta),
        stale=stale,
        data_age=age.current_to,
        old=age.old,
        age_warning=age.warning,
        bottom_line=bottom_line,
        bottom_line_edited=bool(edited_bl),
        key_figures=tuple(key_figures),
        chart_name=TOPIC_CHARTS[topic],
        chart_title=CHART_TITLES[topic],
        chart_source="",
        chart_notes=(),
        policy=tuple(policy),
        policy_total=policy_total,
        considerations=tuple(considerations),
        considerations_total=cons_total,
        considerations_edited=bool(cons_lines),
        sources=(),
        definitions=definitions,
        prepared_by=_cut(prepared_by, NAME_CHARS),
        prepared_for=_cut(prepared_for, NAME_CHARS),
        _notes=tuple(note_map.items()),
        _cites={
            "figures": fig_keys,
            "chart": chart_keys,
            "chart_text": chart_text,
            "policy": pol_keys,
            "considerations": cons_keys,
        },
    )
    return spec.trimmed(policy=len(policy), considerations=len(considerations))
