"""ReportSpec + chart -> a one-page PDF brief (QPdfWriter + QPainter), or a preview image.

The page is always exactly one page. `plan_page()` measures every block with QFontMetricsF /
QTextLayout before anything is drawn, and drops the least important items (oldest policy actions
and last considerations first) until it fits; what is left out is announced as "+N more in the app".
Record text is only ever drawn with QPainter.drawText, so markup in data stays literal and loads
nothing. Needs a QGuiApplication.

One renderer, three stages, so the app keeps its GUI thread free (the CLI runs them in a row):

1. `draft_page(store, topic, ...)`: the ReportSpec (core), the chart's data and the page plan,
   measured on an image device of the target resolution. Any thread (the caller's own Store).
2. `record_chart(chart, plan)`: the chart widget (built from the draft's data with
   `charts.build_chart_from`) recorded as a QPicture for the planned rectangle. GUI thread.
3. `write_pdf(plan, out, picture=...)` / `paint_image(plan, picture=...)`: QPainter on a QPdfWriter
   or QImage replaying the plan and the picture; no widget is touched. Any thread.

`export_onepager(store, topic, out)` runs the three in a row (the CLI; GUI thread).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError
from briefing.core.progress import CancelCheck, Progress, check, never, noop
from briefing.core.report import ReportSpec, build_report
from briefing.render import page_layout
from briefing.render.chart_export import ScenePicture, record_scene, scene_size
from briefing.render.charts import build_chart_from, load_chart_data
from briefing.render.page_layout import Page

PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
PDF_DPI = 96  # 1 device px = 0.75 pt: cosmetic (chart) pens stay visible; text and paths are vector anyway


def export_onepager(
    store: Any, topic: str, out: str | os.PathLike[str], *, notes: Any = None, page: str = "letter",
    with_chart: bool = True,
) -> Page:
    """Build the topic's brief from the store (and the user's edits in `notes`) and write the PDF.

    The three stages the app runs on two threads, here in a row (GUI thread: the chart is a widget)."""
    draft = draft_page(store, topic, notes=notes, page=page, dpi=PDF_DPI, with_chart=with_chart)
    chart = build_chart_from(draft.chart_name, draft.chart_data) if draft.chart_data is not None else None
    try:
        return write_pdf(draft.plan, out, page=page, picture=record_chart(chart, draft.plan))
    finally:
        if chart is not None:
            chart.deleteLater()


def page_size_points(page: str) -> QSizeF:
    if page not in PAGE_SIZES:
        raise BriefingError(f"unknown page size {page!r} (choose letter or a4)")
    return QPageSize(PAGE_SIZES[page]).size(QPageSize.Unit.Point)


# -- the three stages: draft (any thread) -> record the chart (GUI) -> paint and write (any thread) ---
@dataclass
class Draft:
    """Stage 1's result: the brief laid out for one resolution, and its chart's data (no widget)."""

    spec: ReportSpec
    plan: Page
    chart_name: str
    chart_data: Any = None  # charts.ChartData, or None when drawn without a chart


def plan_for(spec: ReportSpec, *, page: str = "letter", dpi: int = PDF_DPI) -> Page:
    """Measure and choose what fits, on an image device of `dpi` (any thread).

    Font metrics depend only on the resolution, so this is the plan a QPdfWriter (or preview image)
    of that resolution would make; the drawing stage replays it as is."""
    size = page_size_points(page)
    device = QImage(8, 8, QImage.Format.Format_RGB32)
    device.setDotsPerMeterX(round(dpi / 0.0254))
    device.setDotsPerMeterY(round(dpi / 0.0254))
    return page_layout.plan_page(spec, width_pt=size.width(), height_pt=size.height(), dpi=device.logicalDpiX(),
                                 device=device)


def draft_page(store: Any, topic: str, *, notes: Any = None, page: str = "letter", dpi: int = PDF_DPI,
               with_chart: bool = True, progress: Progress = noop, cancelled: CancelCheck = never) -> Draft:
    """Stage 1, any thread (the caller's own Store/NoteStore): the report (core), the chart's data
    and caption, and the page plan at `dpi`. Raises Cancelled when `cancelled()` says so."""
    progress(0.05, "Collecting the figures")
    spec = build_report(store, topic, notes=notes)
    check(cancelled, "export")
    data = None
    if with_chart:
        progress(0.2, "Loading the chart data")
        try:
            data = load_chart_data(store, spec.chart_name)
        except BriefingError:
            data = None  # the page says "Chart not available"
        else:
            spec = spec.with_chart(title=data.title, source_line=data.caption_text())
        check(cancelled, "export")
    progress(0.4, "Laying out the page")
    return Draft(spec, plan_for(spec, page=page, dpi=dpi), spec.chart_name, data)


def record_chart(chart: Any, plan: Page) -> ScenePicture | None:
    """Stage 2, GUI thread: the chart widget recorded for the plan's chart rectangle (about 5-20 ms).

    The page prints the chart's title and source itself, so the chart's own captions are turned off."""
    if chart is None or plan.chart_rect is None:
        return None
    chart.set_captions(title=False, source=False)
    return record_scene(chart, scene_size(plan.chart_rect))


def write_pdf(plan: Page, out: str | os.PathLike[str], *, page: str = "letter", picture: ScenePicture | None = None,
              progress: Progress = noop, cancelled: CancelCheck = never) -> Page:
    """Stage 3, any thread: paint the planned page (and the recorded chart) into a one-page PDF at
    `out` (temp file, atomic rename) with title/subject metadata. A cancel or error leaves no file."""
    out = Path(out)
    spec = plan.spec
    assert spec is not None
    page_size_points(page)  # validates the name before anything is written
    with atomic_output(out) as tmp:
        progress(0.6, "Drawing the page")
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(QPageLayout(
            QPageSize(PAGE_SIZES[page]), QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point,
        ))
        title = f"{spec.app_name}: {spec.title}"
        writer.setTitle(title)
        writer.setCreator(spec.app_name)
        writer.setAuthor(spec.app_name)
        painter = QPainter()
        if not painter.begin(writer):
            raise BriefingError(f"cannot write a PDF to {out}")
        try:
            page_layout.draw_page(painter, plan, chart=picture)
        finally:
            painter.end()
        del writer  # flushes and closes the file
        check(cancelled, "export")
        progress(0.85, "Writing the file")
        _add_metadata(tmp, title=title, subject=_subject(spec), out=out)
        check(cancelled, "export")
    progress(1.0, f"Wrote {out.name}")
    return plan


def paint_image(plan: Page, *, page: str = "letter", picture: ScenePicture | None = None, dpi: int = 110) -> QImage:
    """Stage 3 for the preview, any thread: the planned page (made at `dpi`) as an image."""
    size = page_size_points(page)
    image = QImage(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        page_layout.draw_page(painter, plan, chart=picture)
    finally:
        painter.end()
    return image


def _subject(spec: ReportSpec) -> str:
    return f"One-page brief, {spec.topic}; data as of {spec.data_as_of}; {spec.version}"


def _add_metadata(path: Path, *, title: str, subject: str, out: Path | None = None) -> None:
    """Qt sets Title/Creator/Author but not Subject: add it (and keep a creation date) with pypdf.

    Qt writes a cut-off PDF without a word when the disk fills up; reading it back here is what
    notices (one line, the temp file removed by the atomic writer)."""
    from pypdf import PdfReader, PdfWriter  # a dependency of the app; imported only when a PDF is written
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its "EOF marker not found" is ours to say, once
    try:
        reader = PdfReader(str(path))
        reader.pages[0]  # noqa: B018 - parse the page tree now, inside the try
    except (PyPdfError, ValueError, KeyError, IndexError):
        raise BriefingError(f"cannot write {out or path}: the PDF came out incomplete (is the disk full?)") from None
    writer = PdfWriter(clone_from=reader)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    meta = dict(reader.metadata or {})
    meta.update({"/Title": title, "/Subject": subject, "/Producer": "Open Model Briefing (Qt)"})
    meta.setdefault("/CreationDate", stamp)
    writer.add_metadata(meta)
    with path.open("wb") as fh:
        writer.write(fh)
