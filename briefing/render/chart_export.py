"""Charts -> PNG (2x) and SVG files, and into a PDF page, all through one scene renderer.

The chart is a `briefing.render.charts.ChartWidget` (from the `CHARTS` registry). `render_scene()`
paints its QGraphicsScene into any painter rectangle, so a PDF or SVG gets vector paths and real
text, never a screenshot. Exported files carry the title, axis labels, source line and as-of date
(drawn by the chart itself). GUI thread only; needs a QApplication (widgets).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPicture

from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError

FORMATS = ("png", "svg")
#: Logical size charts are laid out at before being painted (fonts are sized for this).
EXPORT_SIZE = QSize(1100, 620)
PNG_SCALE = 2.0


def layout_chart(chart: Any, size: QSize) -> None:
    """Lay the chart's scene out at `size` logical pixels without showing a window."""
    import pyqtgraph as pg

    chart.resize(size)
    # PlotWidget forwards setRange to its ViewBox; the view's scene rect is GraphicsView's.
    pg.GraphicsView.setRange(chart, QRectF(0, 0, size.width(), size.height()), padding=0, disableAutoPixel=False)
    chart.plotItem.layout.activate()
    if getattr(chart, "export_fit", False):
        fit_data(chart)


def fit_data(chart: Any) -> None:
    """Fit the auto-ranged axes to all the data. An unshown widget's auto-range can lag behind the
    data set on it (it updates on paint events that never come), so exports fit explicitly."""
    import numpy as np
    import pyqtgraph as pg

    vb = chart.plotItem.vb
    bounds = [list(b) if b is not None else None for b in vb.childrenBounds()]
    for item in vb.addedItems:  # curves: their own data, not a possibly stale bounds cache
        if isinstance(item, pg.PlotDataItem) and item.isVisible():
            x, y = item.getOriginalDataset()
            log = item.opts.get("logMode", [False, False])
            for axis, values in ((0, x), (1, y)):
                values = np.asarray(values, dtype=float) if values is not None else np.array([])
                if log[axis]:
                    values = np.log10(values[values > 0])
                values = values[np.isfinite(values)]
                if values.size:
                    lo, hi = float(values.min()), float(values.max())
                    b = bounds[axis]
                    bounds[axis] = [lo, hi] if b is None else [min(b[0], lo), max(b[1], hi)]
    auto_x, auto_y = vb.state["autoRange"][0], vb.state["autoRange"][1]
    if auto_x and bounds[0] is not None:
        vb.setXRange(*bounds[0], padding=0.02)
    if auto_y and bounds[1] is not None:
        vb.setYRange(*bounds[1], padding=0.04)


def render_scene(painter: QPainter, target: QRectF, chart: Any, *, width_px: int = 760) -> None:
    """Paint the chart's scene, scaled, into `target` of the painter (vector on PDF/SVG devices).

    The scene is laid out at `width_px` logical pixels wide with the target's aspect ratio, so axis
    text keeps a sensible size relative to the plot.
    """
    height_px = max(120, round(width_px * target.height() / max(1.0, target.width())))
    layout_chart(chart, QSize(width_px, height_px))
    source = QRectF(0, 0, width_px, height_px)
    # Record at screen resolution first: the scene's fonts are in points, and painting them straight
    # onto a 1200-dpi PDF device would size them for that device and then scale them again.
    picture = QPicture()
    rec = QPainter(picture)
    rec.setRenderHint(QPainter.RenderHint.Antialiasing)
    items = [i for i in chart.scene().items() if hasattr(i, "setExportMode")]
    for item in items:  # export mode: scatter symbols drawn as paths, not cached pixmaps
        item.setExportMode(True, {"antialias": True, "background": None, "painter": rec, "resolutionScale": 1.0})
    try:
        chart.scene().render(rec, source, source)
    finally:
        rec.end()
        for item in items:
            item.setExportMode(False)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(chart.backgroundBrush())
    painter.drawRect(target)
    painter.translate(target.topLeft())
    painter.scale(target.width() / source.width(), target.height() / source.height())
    painter.setClipRect(source)
    # drawPicture rescales from the picture's resolution to the device's: undo that, we already did.
    ratio = picture.logicalDpiX() / max(1, painter.device().logicalDpiX())
    painter.scale(ratio, picture.logicalDpiY() / max(1, painter.device().logicalDpiY()))
    painter.drawPicture(0, 0, picture)
    painter.restore()


def export_chart(chart: Any, fmt: str, out: str | os.PathLike[str], *, size: QSize = EXPORT_SIZE) -> Path:
    """Write the chart with its title and source caption to a PNG (2x) or SVG (temp file, rename)."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown chart format {fmt!r} (choose png or svg)")
    out = Path(out)
    # A chart from a view is live: give it back its captions and size afterwards.
    captions = (getattr(chart, "_show_title", False), getattr(chart, "_show_source", True))
    old_size = chart.size()
    chart.set_captions(title=True, source=True)
    try:
        with atomic_output(out) as tmp:
            if fmt == "png":
                layout_chart(chart, size)
                image = chart.render_image(size, scale=PNG_SCALE)
                if not image.save(str(tmp), "PNG"):
                    raise BriefingError(f"cannot write a PNG to {out}")
            else:
                _write_svg(chart, tmp, size)
    finally:
        chart.set_captions(title=captions[0], source=captions[1])
        if chart.isVisible():
            chart.resize(old_size)
    return out


def _write_svg(chart: Any, path: Path, size: QSize) -> None:
    from PySide6.QtSvg import QSvgGenerator  # only when an SVG is asked for

    layout_chart(chart, size)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(chart.title or "chart")
    generator.setDescription(chart.caption_text())
    painter = QPainter()
    if not painter.begin(generator):
        raise BriefingError(f"cannot write an SVG to {path}")
    try:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), chart.backgroundBrush())
        chart.scene().render(painter, QRectF(0, 0, size.width(), size.height()), QRectF(0, 0, size.width(), size.height()))
    finally:
        painter.end()


def build_chart(store: Any, name: str) -> Any:
    """A chart from the registry by name, in the light theme (exports are printed on white)."""
    from briefing.render.charts import CHARTS

    if name not in CHARTS:
        raise BriefingError(f"unknown chart {name!r} (choose from {', '.join(CHARTS)})")
    chart = CHARTS[name](store)
    chart.apply_theme(dark=False)
    chart.export_fit = True  # a fresh chart shows all its data (no user zoom to keep)
    return chart
