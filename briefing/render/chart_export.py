"""Charts -> PNG (2x) and SVG files, and into a PDF page, all through one scene renderer.

The chart is a `chart_base.ChartWidget` (from the `charts.CHARTS` registry). `record_scene()`
records its QGraphicsScene as a `ScenePicture` (a QPicture: vector commands) on the GUI thread;
`draw_picture()` replays that into any painter rectangle on any thread, so a PDF or SVG gets vector
paths and real text, never a screenshot. Exported files carry the title, axis labels, source line
and as-of date (drawn by the chart itself).

Thread rules: `layout_chart`, `record_scene`, `grab_chart`, `render_scene` and `export_chart` touch
the widget: GUI thread. `draw_picture`, `paint_scene` and `write_chart` only paint a recorded
picture on QImage/QSvgGenerator devices: any thread (the app runs them in a task).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPicture

from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError
from briefing.core.progress import CancelCheck, Progress, check, never, noop

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


@dataclass(frozen=True)
class ScenePicture:
    """A chart's scene recorded as drawing commands at `size` logical pixels, with its background.

    Recorded on the GUI thread (`record_scene`); a QPicture is a plain paint device, so it may then
    be replayed (`draw_picture`, `write_chart`) on any one thread at a time."""

    picture: QPicture
    size: QSize
    background: QColor
    title: str = ""
    description: str = ""


def scene_size(target: QRectF, width_px: int = 760) -> QSize:
    """The logical size a chart is laid out at to fill `target`: `width_px` wide, the target's
    aspect ratio (so axis text keeps a sensible size relative to the plot)."""
    return QSize(width_px, max(120, round(width_px * target.height() / max(1.0, target.width()))))


def record_scene(chart: Any, size: QSize) -> ScenePicture:
    """Lay the chart out at `size` and record its scene as vector commands. GUI thread (a widget).

    Recorded at screen resolution: the scene's fonts are in points, and painting them straight onto
    a 1200-dpi PDF device would size them for that device and then scale them again."""
    layout_chart(chart, size)
    source = QRectF(0, 0, size.width(), size.height())
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
    return ScenePicture(
        picture,
        QSize(size),
        QColor(chart.backgroundBrush().color()),
        title=getattr(chart, "title", "") or "chart",
        description=chart.caption_text() if hasattr(chart, "caption_text") else "",
    )


def draw_picture(painter: QPainter, target: QRectF, scene: ScenePicture) -> None:
    """Replay a recorded chart, scaled, into `target` of the painter (vector on PDF/SVG devices).
    Any thread (not a widget), one painter at a time."""
    source = QRectF(0, 0, scene.size.width(), scene.size.height())
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(scene.background)
    painter.drawRect(target)
    painter.translate(target.topLeft())
    painter.scale(target.width() / source.width(), target.height() / source.height())
    painter.setClipRect(source)
    # drawPicture rescales from the picture's resolution to the device's: undo that, we already did.
    picture = scene.picture
    ratio = picture.logicalDpiX() / max(1, painter.device().logicalDpiX())
    painter.scale(ratio, picture.logicalDpiY() / max(1, painter.device().logicalDpiY()))
    painter.drawPicture(0, 0, picture)
    painter.restore()


def render_scene(painter: QPainter, target: QRectF, chart: Any, *, width_px: int = 760) -> None:
    """Record the chart's scene and replay it into `target` (GUI thread: the chart is a widget)."""
    draw_picture(painter, target, record_scene(chart, scene_size(target, width_px)))


def grab_chart(chart: Any, *, size: QSize = EXPORT_SIZE) -> ScenePicture:
    """The GUI-thread half of a chart file export: the chart as shown (zoom kept) with its title and
    source caption (its note made static: `ChartWidget.static_note`), recorded at `size`; the live
    chart gets its captions, note and size back."""
    captions = (getattr(chart, "_show_title", False), getattr(chart, "_show_source", True))
    old_size, live_note = chart.size(), chart.note
    chart.set_captions(title=True, source=True)
    try:
        # the file is a static image: no 'click the legend', and the range it shows in words
        layout_chart(chart, size)
        fit_data(chart)  # only the auto-ranged axes (all data); a user's zoom stays as it is
        chart.set_meta(note=chart.static_note())
        return record_scene(chart, size)
    finally:
        chart.set_meta(note=live_note)
        chart.set_captions(title=captions[0], source=captions[1])
        if chart.isVisible():
            chart.resize(old_size)


def write_chart(
    scene: ScenePicture,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Path:
    """The worker half: paint a grabbed chart into a PNG (2x) or SVG file (temp file, rename).

    Any thread. `cancelled()` is checked before the file is kept: a cancelled export (Cancelled)
    leaves none."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown chart format {fmt!r} (choose png or svg)")
    out = Path(out)
    with atomic_output(out) as tmp:
        progress(0.1, f"Drawing the {fmt.upper()}")
        if fmt == "png":
            _write_png(scene, tmp, out)
        else:
            _write_svg(scene, tmp)
        check(cancelled, "export")
        progress(1.0, f"Wrote {out.name}")
    return out


def export_chart(chart: Any, fmt: str, out: str | os.PathLike[str], *, size: QSize = EXPORT_SIZE) -> Path:
    """Write the chart with its title and source caption to a PNG (2x) or SVG, in one go (the CLI)."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown chart format {fmt!r} (choose png or svg)")
    return write_chart(grab_chart(chart, size=size), fmt, out)


def paint_scene(scene: ScenePicture, *, scale: float = 1.0) -> QImage:
    """A recorded chart as an image of its size times `scale`. Any thread."""
    size = scene.size
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(scene.background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        draw_picture(painter, QRectF(0, 0, image.width(), image.height()), scene)
    finally:
        painter.end()
    return image


def _write_png(scene: ScenePicture, path: Path, out: Path) -> None:
    image = paint_scene(scene, scale=PNG_SCALE)
    if not image.save(str(path), "PNG"):
        raise BriefingError(f"cannot write a PNG to {out}")


def _write_svg(scene: ScenePicture, path: Path) -> None:
    from PySide6.QtSvg import QSvgGenerator  # only when an SVG is asked for

    size = scene.size
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(scene.title or "chart")
    generator.setDescription(scene.description)
    painter = QPainter()
    if not painter.begin(generator):
        raise BriefingError(f"cannot write an SVG to {path}")
    try:
        draw_picture(painter, QRectF(0, 0, size.width(), size.height()), scene)
    finally:
        painter.end()
