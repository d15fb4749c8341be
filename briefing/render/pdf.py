"""ReportSpec + chart -> a one-page PDF brief (QPdfWriter + QPainter), or a preview image.

The page is always exactly one page. `plan_page()` measures every block with QFontMetricsF /
QTextLayout before anything is drawn, and drops the least important items (oldest policy actions
and last considerations first) until it fits; what is left out is announced as "+N more in the app".
Record text is only ever drawn with QPainter.drawText, so markup in data stays literal and loads
nothing. Needs a QGuiApplication; GUI thread only (QPainter on a QPdfWriter is not thread-safe with
widgets, and the chart is a widget's scene).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError
from briefing.core.report import ReportSpec, build_report
from briefing.render import page_layout
from briefing.render.page_layout import Page

PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
PDF_DPI = 96  # 1 device px = 0.75 pt: cosmetic (chart) pens stay visible; text and paths are vector anyway


def export_onepager(
    store: Any, topic: str, out: str | os.PathLike[str], *, notes: Any = None, page: str = "letter",
    with_chart: bool = True,
) -> Page:
    """Build the topic's brief from the store (and the user's edits in `notes`) and write the PDF."""
    spec, chart = prepare(store, topic, notes=notes, with_chart=with_chart)
    try:
        return render_pdf(spec, out, page=page, chart=chart)
    finally:
        if chart is not None:
            chart.deleteLater()


def prepare(store: Any, topic: str, *, notes: Any = None, with_chart: bool = True) -> tuple[ReportSpec, Any]:
    """(spec captioned with its chart, chart widget or None): what the PDF and the preview draw."""
    spec = build_report(store, topic, notes=notes)
    chart = None
    if with_chart:
        from briefing.render.chart_export import build_chart

        chart = build_chart(store, spec.chart_name)
        chart.set_captions(title=False, source=False)  # the page prints both itself
        spec = spec.with_chart(title=chart.title, source_line=chart.caption_text())
    return spec, chart


def page_size_points(page: str) -> QSizeF:
    if page not in PAGE_SIZES:
        raise BriefingError(f"unknown page size {page!r} (choose letter or a4)")
    return QPageSize(PAGE_SIZES[page]).size(QPageSize.Unit.Point)


def paint_report(painter: QPainter, spec: ReportSpec, *, page: str = "letter", chart: Any = None) -> Page:
    """Draw the brief on the painter's device (a PDF page or an image of the page's size)."""
    size = page_size_points(page)
    dpi = painter.device().logicalDpiX()
    plan = page_layout.plan_page(spec, width_pt=size.width(), height_pt=size.height(), dpi=dpi, device=painter.device())
    page_layout.draw_page(painter, plan, chart=chart)
    return plan


def render_pdf(spec: ReportSpec, out: str | os.PathLike[str], *, page: str = "letter", chart: Any = None) -> Page:
    """Write the one-page brief to `out` (temp file, atomic rename), with title/subject metadata.

    Returns the drawn page plan: what was kept (`plan.spec`) and what gave way."""
    out = Path(out)
    page_size_points(page)  # validates the name before anything is written
    with atomic_output(out) as tmp:
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
            plan = paint_report(painter, spec, page=page, chart=chart)
        finally:
            painter.end()
        del writer  # flushes and closes the file
        _add_metadata(tmp, title=title, subject=_subject(spec))
    return plan


def render_image(spec: ReportSpec, *, page: str = "letter", chart: Any = None, dpi: int = 110) -> QImage:
    """The page as an image, for the export preview; same drawing code as the PDF."""
    size = page_size_points(page)
    image = QImage(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        paint_report(painter, spec, page=page, chart=chart)
    finally:
        painter.end()
    return image


def _subject(spec: ReportSpec) -> str:
    return f"One-page brief, {spec.topic}; data as of {spec.data_as_of}; {spec.version}"


def _add_metadata(path: Path, *, title: str, subject: str) -> None:
    """Qt sets Title/Creator/Author but not Subject: add it (and keep a creation date) with pypdf."""
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:  # pypdf is a test dependency; without it the PDF simply lacks /Subject
        return
    reader = PdfReader(str(path))
    writer = PdfWriter(clone_from=reader)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    meta = dict(reader.metadata or {})
    meta.update({"/Title": title, "/Subject": subject, "/Producer": "Open Model Briefing (Qt)"})
    meta.setdefault("/CreationDate", stamp)
    writer.add_metadata(meta)
    with path.open("wb") as fh:
        writer.write(fh)
