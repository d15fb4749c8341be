"""A topic's brief, from the store to a file: tagged PDF, Word (DOCX) or slides (PPTX), or a preview.

One content (`core/report.py`), one chart, three formats (`render/brief.py`: PDF and preview through
Typst; `render/brief_office.py`: DOCX and PPTX). Three stages, so the app keeps its GUI thread free
(the CLI runs them in a row):

1. `draft_page(store, topic, ...)`: the ReportSpec (core), what changed since the last brief on
   the topic, the chart's data and the page plan (what fits on one page). Any thread (the caller's
   own Store/NoteStore).
2. `record_chart(chart, plan)`: the chart widget (built from the draft's data with
   `charts.build_chart_from`) recorded as a picture for the planned size. GUI thread.
3. `write_brief(draft, out, fmt, picture=...)` / `preview_image(draft, picture=...)`: the chart
   painted into a PNG, the file written (temp file, atomic rename) and the brief logged in the notes
   file (`brief_history`). No widget: any thread.

`export_onepager(store, topic, out)` runs the three in a row (the CLI; GUI thread).
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
from briefing.render.brief import CHART_PX_PER_PT, PAGE_PT, Plan, plan_brief, render_pdf, render_png
from briefing.render.chart_export import ScenePicture, paint_scene, record_scene
from briefing.render.charts import build_chart_from, load_chart_data

FORMATS = ("pdf", "docx", "pptx")
PAGE_SIZES = tuple(PAGE_PT)
#: The width, in logical pixels, a chart is laid out at (its fonts are sized for this) before it is
#: scaled into the page's chart box.
CHART_LAYOUT_W = 760


@dataclass
class Draft:
    """Stage 1's result: the brief laid out for a page size, its chart's data (no widget), and the
    snapshot of the figures it quotes (logged when the file is written)."""

    spec: ReportSpec
    plan: Plan
    chart_name: str
    chart_data: Any = None  # charts.ChartData, or None when drawn without a chart
    quoted: list[Any] = field(default_factory=list)
    topic: str = ""
    logged: bool = False  # set once the written brief is in the notes file's brief log


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
    write it as `fmt`. The three stages the app runs on two threads, here in a row (GUI thread)."""
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
    chart = build_chart_from(draft.chart_name, draft.chart_data) if draft.chart_data is not None else None
    try:
        picture = record_chart(chart, draft.plan)
    finally:
        if chart is not None:
            chart.deleteLater()
    write_brief(draft, out, fmt=fmt, picture=picture, notes=notes)
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
    the last brief on the topic, the chart's data and caption, and the page plan. Raises Cancelled
    when `cancelled()` says so."""
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
            data = load_chart_data(store, spec.chart_name)
        except BriefingError:
            data = None  # the page says "Chart not available"
        else:
            spec = spec.with_chart(
                title=data.title, source_line=data.caption_text(), alt=data.description, data_date=data.as_of
            )
        check(cancelled, "export")
    progress(0.4, "Laying out the page")
    return Draft(spec, plan_brief(spec, page=page), spec.chart_name, data, snapshot, topic)


# -- stage 2: GUI thread ------------------------------------------------------------------------------
def record_chart(chart: Any, plan: Plan) -> ScenePicture | None:
    """Stage 2, GUI thread: the chart widget recorded for the plan's chart box (about 5-20 ms). The
    brief prints the chart's title and source line itself, so the chart's own captions are off."""
    if chart is None:
        return None
    from PySide6.QtCore import QSize

    chart.set_captions(title=False, source=False)
    height = max(120, round(CHART_LAYOUT_W * plan.chart_h / max(1.0, plan.chart_w)))
    return record_scene(chart, QSize(CHART_LAYOUT_W, height))


# -- stage 3: any thread ------------------------------------------------------------------------------
def chart_png(picture: ScenePicture | None, plan: Plan) -> bytes | None:
    """The recorded chart painted for print (CHART_PX_PER_PT pixels per point), as PNG bytes."""
    if picture is None:
        return None
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = paint_scene(picture, scale=plan.chart_w * CHART_PX_PER_PT / picture.size.width())
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG", 40):  # a little less compression: faster, a few % larger
        raise BriefingError("cannot draw the chart image")
    buffer.close()
    return bytes(data.data())


def write_brief(
    draft: Draft,
    out: str | os.PathLike[str],
    *,
    fmt: str = "pdf",
    picture: ScenePicture | None = None,
    notes: Any = None,
    notes_path: str | os.PathLike[str] | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Path:
    """Stage 3, any thread: the brief as `fmt` at `out` (temp file, atomic rename; a cancel or an
    error leaves no file), then logged with the figures it quoted in the notes file (`notes`, or a
    NoteStore opened on `notes_path` in this thread)."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    out = Path(out)
    progress(0.55, "Drawing the chart")
    png = chart_png(picture, draft.plan)
    check(cancelled, "export")
    progress(0.7, f"Writing the {fmt.upper()}")
    with atomic_output(out) as tmp:
        if fmt == "pdf":
            tmp.write_bytes(render_pdf(draft.plan, png))
        else:
            from briefing.render import brief_office  # python-docx / python-pptx: only when asked for

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


def preview_image(draft: Draft, *, picture: ScenePicture | None = None, dpi: int = 72) -> Any:
    """Stage 3 for the preview, any thread: page 1 as a QImage, drawn by the same engine as the PDF."""
    from PySide6.QtGui import QImage

    image = QImage()
    if not image.loadFromData(render_png(draft.plan, chart_png(picture, draft.plan), ppi=dpi), "PNG"):
        raise BriefingError("cannot draw the preview")
    return image
