"""A topic's brief, from the store to a file: tagged PDF, Word (DOCX) or slides (PPTX), or a preview.

One content (`core/report.py`), one chart, three formats (`render/brief.py`: PDF and preview through
Typst; `render/brief_office.py`: DOCX and PPTX). The chart is a plain SVG (`render/brief_chart.py`),
so nothing here needs Qt, a widget or the GUI thread. Two stages, so the app keeps its GUI thread
free (the CLI runs them in a row):

1. `draft_page(store, topic, ...)`: the ReportSpec (core), what changed since the last brief on
   the topic, the chart's data, the page plan (what fits on one page) and the chart drawn for the
   planned box. Any thread (the caller's own Store/NoteStore).
2. `write_brief(draft, out, fmt)` / `preview_image(draft)`: the file written (temp file, atomic
   rename) and the brief logged in the notes file (`brief_history`); or page 1 as an image. Any
   thread.

`export_onepager(store, topic, out)` runs the two in a row (the CLI).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.core import brief_history, figures, numbers
from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError
from briefing.core.progress import CancelCheck, Progress, check, never, noop
from briefing.core.report import ReportSpec, build_report_from
from briefing.render.brief import PAGE_PT, Plan, chart_png, plan_brief, render_pdf, render_png
from briefing.render.brief_chart import BriefChart, chart_svg, load_brief_chart

FORMATS = ("pdf", "docx", "pptx")
PAGE_SIZES = tuple(PAGE_PT)


@dataclass
class Draft:
    """Stage 1's result: the brief laid out for a page size, its chart (data and SVG), and the
    snapshot of the figures it quotes (logged when the file is written)."""

    spec: ReportSpec
    plan: Plan
    chart_name: str
    chart_data: BriefChart | None = None  # None when drawn without a chart
    quoted: list[Any] = field(default_factory=list)
    topic: str = ""
    logged: bool = False  # set once the written brief is in the notes file's brief log
    chart_svg: str | None = None  # the chart drawn for the plan's chart box


def export_onepager(
    store: Any,
    topic: str,
    out: str | os.PathLike[str],
    *,
    notes: Any = None,
    page: str = "letter",
    fmt: str = "pdf",
    with_chart: bool = True,
    prepared_by: str = "",
    prepared_for: str = "",
    show_changes: bool = False,
    stale_after_days: int | None = None,
) -> Draft:
    """Build the topic's brief from the store (and the user's edits and brief log in `notes`) and
    write it as `fmt`. The two stages the app runs on a worker thread, here in a row."""
    draft = draft_page(
        store,
        topic,
        notes=notes,
        page=page,
        with_chart=with_chart,
        prepared_by=prepared_by,
        prepared_for=prepared_for,
        show_changes=show_changes,
        stale_after_days=stale_after_days,
    )
    write_brief(draft, out, fmt=fmt, notes=notes)
    return draft


# -- stage 1: any thread ------------------------------------------------------------------------------
def draft_page(
    store: Any,
    topic: str,
    *,
    notes: Any = None,
    page: str = "letter",
    with_chart: bool = True,
    prepared_by: str = "",
    prepared_for: str = "",
    show_changes: bool = False,
    stale_after_days: int | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Draft:
    """Stage 1, any thread (the caller's own Store/NoteStore): the report (core), what changed since
    the last brief on the topic, the chart's data and caption, the page plan and the chart's SVG.
    Raises Cancelled when `cancelled()` says so."""
    if page not in PAGE_PT:
        raise BriefingError(f"unknown page size {page!r} (choose letter or a4)")
    progress(0.05, "Collecting the figures")
    kwargs = {} if stale_after_days is None else {"stale_after_days": stale_after_days}
    ctx = figures.Context.load(store, hub=figures.topic_needs_hub(topic), **kwargs)
    figs = figures.compute_from(ctx)
    spec = build_report_from(
        store, ctx, topic, notes=notes, prepared_by=prepared_by, prepared_for=prepared_for, figs=figs
    )
    snapshot = brief_history.quoted(ctx, figs, topic)
    last = brief_history.last(notes, topic) if notes is not None else None
    if last is not None:
        when, before = last
        spec = spec.with_changes(
            tuple(brief_history.compare(before, snapshot)), last_brief=numbers.date(when), show=show_changes
        )
    check(cancelled, "export")
    data = None
    if with_chart:
        progress(0.2, "Loading the chart data")
        try:
            data = load_brief_chart(store, spec.chart_name, policies=ctx.policies)
        except BriefingError:
            data = None  # the page says "Chart not available"
        else:
            spec = spec.with_chart(
                title=data.title, source_line=data.caption_text(), alt=data.description, data_date=data.as_of
            )
        check(cancelled, "export")
    progress(0.4, "Laying out the page")
    plan = plan_brief(spec, page=page)
    # the brief prints the chart's title and source line itself: the SVG is the plot and its key
    svg = chart_svg(data, plan.chart_w, plan.chart_h) if data is not None else None
    return Draft(spec, plan, spec.chart_name, data, snapshot, topic, chart_svg=svg)


# -- stage 2: any thread ------------------------------------------------------------------------------
def office_chart(draft: Draft) -> bytes | None:
    """The draft's chart as a PNG for Word and slides (the same SVG, rasterised by Typst)."""
    if draft.chart_svg is None:
        return None
    return chart_png(draft.chart_svg, draft.plan.chart_w, draft.plan.chart_h)


def write_brief(
    draft: Draft,
    out: str | os.PathLike[str],
    *,
    fmt: str = "pdf",
    notes: Any = None,
    notes_path: str | os.PathLike[str] | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Path:
    """Stage 2, any thread: the brief as `fmt` at `out` (temp file, atomic rename; a cancel or an
    error leaves no file), then logged with the figures it quoted in the notes file (`notes`, or a
    NoteStore opened on `notes_path` in this thread)."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    out = Path(out)
    progress(0.6, f"Writing the {fmt.upper()}")
    with atomic_output(out) as tmp:
        if fmt == "pdf":
            tmp.write_bytes(render_pdf(draft.plan, draft.chart_svg))
        else:
            from briefing.render import brief_office  # python-docx / python-pptx: only when asked for

            png = office_chart(draft)
            check(cancelled, "export")
            writer = brief_office.write_docx if fmt == "docx" else brief_office.write_pptx
            writer(_office_spec(draft), png, tmp)
        check(cancelled, "export")
    _log(draft, fmt, notes, notes_path)
    progress(1.0, f"Wrote {out.name}")
    return out


def _office_spec(draft: Draft) -> ReportSpec:
    """Word and slides have no one-page limit: every item the brief has (up to its list limits)."""
    spec = draft.spec
    return spec.trimmed(
        policy=len(spec._cites.get("all_policy", spec.policy)),
        considerations=len(spec._cites.get("all_considerations", spec.considerations)),
    )


def _log(draft: Draft, fmt: str, notes: Any, notes_path: str | os.PathLike[str] | None) -> None:
    """Log the brief; a home that cannot be written (a read-only mount) keeps the file, unlogged."""
    import sqlite3

    from briefing.core.notes import NoteStore

    topic = draft.topic or draft.spec.topic
    try:
        if notes is not None:
            brief_history.record(notes, topic, fmt, draft.quoted)
        elif notes_path is not None:
            with NoteStore(notes_path) as store:
                brief_history.record(store, topic, fmt, draft.quoted)
        else:
            return
    except (BriefingError, sqlite3.Error, OSError):
        draft.logged = False
        return
    draft.logged = True


def preview_image(draft: Draft, *, dpi: int = 72) -> Any:
    """Stage 2 for the preview, any thread: page 1 as a QImage, drawn by the same engine as the PDF."""
    from PySide6.QtGui import QImage  # the app's preview only

    image = QImage()
    if not image.loadFromData(render_png(draft.plan, draft.chart_svg, ppi=dpi), "PNG"):
        raise BriefingError("cannot draw the preview")
    return image
