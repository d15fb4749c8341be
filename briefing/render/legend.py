"""Chart legends that sit outside the plot area and never cover data.

`SafeLegend` is a `GraphicsWidget` placed in a row of the chart's `PlotItem` layout, below the
x axis. Its entries flow left to right and wrap to the width the layout gives it, and it asks for
exactly the height its rows need. Entries draw their own sample (line, marker or swatch) and their
text as *plain text* with QPainter (no HTML, so hostile names stay literal; long names are elided,
the full name is the tooltip). Section headers ("Stance:") start a new line.

An interactive entry toggles its item's visibility on click and emits `sigSampleClicked(item)`;
a hidden item's entry is drawn faded. A legend made with `filters=True` toggles nothing itself: a
click on an entry that has a `key` emits `sigKeyClicked(key)` and the chart's owner filters by it
(the chart then fades the entries left out with `set_dimmed`). Entries are reused when relabelled (regrouping a chart with
40 series costs no item churn).

History: pyqtgraph's LegendItem asks `QGraphicsGridLayout.itemAt(row, col)` for every cell, and
with PySide6 6.12.0 on Python 3.11 an empty cell returned None without a reference and aborted the
app. This legend has no grid layout at all (entries are positioned by hand). Headless-safe, GUI
thread only.
"""

from __future__ import annotations

import html

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy

from briefing.core.text import elide

SAMPLE_W = 18.0
GAP = 5.0  # between sample and text
ENTRY_GAP = 14.0  # between entries on a line
MAX_CHARS = 32


def _tooltip(text: str) -> str:
    return f"<qt>{html.escape(text, quote=False)}</qt>" if text else ""


class LegendEntry(pg.GraphicsWidget):
    """One entry: a sample of `item` and its text (or a bold section header when `item` is None)."""

    def __init__(self, legend: SafeLegend, item: object | None, text: str, *, interactive: bool) -> None:
        super().__init__(legend)
        self.legend = legend
        self.item = item
        self.interactive = interactive and item is not None
        #: what a filtering legend reports when this entry is clicked (None: not clickable)
        self.key: str | None = None
        self.dimmed = False
        self.text = ""
        self.shown_text = ""
        self.set_text(text)
        self.setAcceptHoverEvents(self.interactive)
        if self.interactive:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    @property
    def header(self) -> bool:
        return self.item is None

    def set_text(self, text: str) -> None:
        self.text = str(text)
        self.shown_text = elide(self.text, self.legend.max_chars)
        tip = self.text if self.shown_text != self.text else ""
        if self.interactive and not self.legend.filters:
            tip = (tip + "\n" if tip else "") + "Click to show or hide this series"
        self.setToolTip(_tooltip(tip))
        self.update()

    def set_item(self, item: object) -> None:
        self.item = item
        self.update()

    def natural_width(self) -> float:
        text_w = self.legend.metrics(self.header).horizontalAdvance(self.shown_text)
        return text_w if self.header else SAMPLE_W + GAP + text_w

    def shown(self) -> bool:
        if self.dimmed:
            return False
        return self.item is None or self.legend.filters or bool(self.item.isVisible())

    def set_key(self, key: str | None, tip: str = "") -> None:
        """Make the entry of a filtering legend clickable (it emits `key`)."""
        self.key = key
        clickable = key is not None
        self.setAcceptHoverEvents(clickable)
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
        if tip:
            self.setToolTip(_tooltip(tip))

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt/pyqtgraph override
        return QRectF(0, 0, self.size().width(), self.size().height())

    def paint(self, p: QPainter, *_args: object) -> None:
        h = self.size().height()
        faded = not self.shown()
        colour = QColor(self.legend.text_colour)
        if faded:
            colour.setAlphaF(0.45)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = 0.0
        if not self.header:
            p.save()
            if faded:
                p.setOpacity(0.3)
            self._paint_sample(p, QRectF(0, 0, SAMPLE_W, h))
            p.restore()
            x = SAMPLE_W + GAP
        p.setFont(self.legend.font(self.header))
        p.setPen(colour)
        p.drawText(
            QRectF(x, 0, self.size().width() - x, h),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            self.shown_text,
        )

    def _paint_sample(self, p: QPainter, r: QRectF) -> None:
        item = self.item
        opts = getattr(item, "opts", {})
        cy = r.center().y()
        if isinstance(item, pg.BarGraphItem):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(pg.mkBrush(opts.get("brush")))
            side = min(r.height() - 4, 11.0)
            p.drawRect(QRectF(r.left() + (r.width() - side) / 2, cy - side / 2, side, side))
            return
        if isinstance(item, pg.ScatterPlotItem):
            p.translate(r.center())
            drawSymbol(
                p,
                opts.get("symbol", "o"),
                min(float(opts.get("size", 10)), r.height() - 3),
                pg.mkPen(opts.get("pen")),
                pg.mkBrush(opts.get("brush")),
            )
            return
        pen = pg.mkPen(opts.get("pen")) if opts.get("pen") is not None else QPen(QColor("#777777"))
        pen.setWidthF(max(pen.widthF(), 2.0))
        pen.setCosmetic(True)
        p.setPen(pen)
        p.drawLine(QPointF(r.left(), cy), QPointF(r.right(), cy))

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph's name)
        if self.legend.filters:
            if self.key is None or ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
                ev.ignore()  # type: ignore[attr-defined]
                return
            ev.accept()  # type: ignore[attr-defined]
            self.legend.sigKeyClicked.emit(self.key)
            return
        if not self.interactive or ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.ignore()  # type: ignore[attr-defined]
            return
        ev.accept()  # type: ignore[attr-defined]
        self.toggle()

    def toggle(self) -> None:
        """Show or hide the item (what a click does); the legend then emits sigSampleClicked."""
        self.item.setVisible(not self.item.isVisible())
        self.update()
        self.legend.sigSampleClicked.emit(self.item)


class SafeLegend(pg.GraphicsWidget):
    """A flowing legend for a row of a PlotItem's layout (see the module docstring).

    `set_entries([(item, text), ...])` shows exactly those entries (text may be None for a header);
    `addItem(item, text)`, `add_header(text)` and `clear()` edit it. `entries` lists the rows.
    """

    sigSampleClicked = Signal(object)
    #: a filtering legend's entry was clicked: its key
    sigKeyClicked = Signal(str)

    def __init__(
        self,
        *,
        text_colour: str = "#222222",
        point_size: float = 8.5,
        interactive: bool = True,
        max_chars: int = MAX_CHARS,
        uniform: bool = False,
        filters: bool = False,
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.text_colour = text_colour
        self.filters = filters
        self.interactive = interactive
        self.max_chars = max_chars
        self.uniform = uniform  # one column width for every entry: a tidy grid (many series)
        self._fonts = {}
        for header in (False, True):
            font = QFont()
            font.setPointSizeF(point_size)
            font.setBold(header)
            self._fonts[header] = font
        self.entries: list[LegendEntry] = []
        self._height = 0.0
        self._laid_width = -1.0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    # -- content ---------------------------------------------------------------------------------
    def font(self, header: bool = False) -> QFont:  # also QGraphicsWidget.font()
        return self._fonts[bool(header)]

    def metrics(self, header: bool = False) -> QFontMetricsF:
        return QFontMetricsF(self._fonts[bool(header)])

    @property
    def items(self) -> list[tuple[LegendEntry, LegendEntry]]:
        """(sample, label) pairs like pyqtgraph's LegendItem (both are the entry: `.item`, `.text`)."""
        return [(e, e) for e in self.entries if not e.header]

    def entry(self, text: str) -> LegendEntry | None:
        return next((e for e in self.entries if e.text == text and not e.header), None)

    def set_dimmed(self, keys: set[str]) -> None:
        """Fade the entries whose key is in `keys` (a filtering legend: what the filters leave out)."""
        for e in self.entries:
            dim = e.key is not None and e.key in keys
            if dim != e.dimmed:
                e.dimmed = dim
                e.update()

    def entry_for_key(self, key: str) -> LegendEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def set_text_colour(self, colour: str) -> None:
        self.text_colour = colour
        for e in self.entries:
            e.update()

    def addItem(self, item: object, text: str, *, interactive: bool | None = None) -> LegendEntry:  # noqa: N802 - Qt/pyqtgraph override
        entry = LegendEntry(self, item, text, interactive=self.interactive if interactive is None else interactive)
        self.entries.append(entry)
        self.relayout()
        return entry

    def add_header(self, text: str) -> LegendEntry:
        return self.addItem(None, text)

    def clear(self) -> None:
        while self.entries:
            self._drop(self.entries.pop())
        self.relayout()

    def set_entries(self, entries: list[tuple[object | None, str]]) -> None:
        """Show exactly these (item or None for a header, plain text) entries, reusing existing ones."""
        for i, (item, text) in enumerate(entries):
            if i < len(self.entries) and self.entries[i].header == (item is None):
                entry = self.entries[i]
                if entry.item is not item:
                    entry.set_item(item)
                if entry.text != text:
                    entry.set_text(text)
            else:
                while len(self.entries) > i:
                    self._drop(self.entries.pop())
                self.entries.append(LegendEntry(self, item, text, interactive=self.interactive))
        while len(self.entries) > len(entries):
            self._drop(self.entries.pop())
        self.relayout()

    @staticmethod
    def _drop(entry: LegendEntry) -> None:
        entry.setParentItem(None)
        scene = entry.scene()
        if scene is not None:
            scene.removeItem(entry)

    # -- layout ----------------------------------------------------------------------------------
    def row_height(self) -> float:
        return max(self.metrics(False).height(), self.metrics(True).height()) + 4.0

    def _flow(self, width: float) -> tuple[list[QRectF], float]:
        """Entry rectangles flowing in `width`, and the height they take."""
        row_h = self.row_height()
        widths = [e.natural_width() for e in self.entries]
        cell = max((w for e, w in zip(self.entries, widths) if not e.header), default=0.0)
        rects: list[QRectF] = []
        x = y = 0.0
        for e, w in zip(self.entries, widths):
            if self.uniform and not e.header:
                w = cell
            if x > 0 and (e.header or x + w > width):
                x, y = 0.0, y + row_h
            rects.append(QRectF(x, y, min(w, max(width, 1.0)), row_h))
            x += w + ENTRY_GAP
        return rects, (y + row_h if rects else 0.0)

    def relayout(self, width: float | None = None) -> None:
        """Place the entries for `width` (default: the current width) and ask for the height they need."""
        if width is None:
            width = self.size().width() if self.size().width() > 1 else 640.0
        rects, height = self._flow(width)
        for entry, rect in zip(self.entries, rects):
            entry.setGeometry(rect)
        self._laid_width = width
        self.setVisible(bool(self.entries))
        if abs(height - self._height) > 0.5:
            self._height = height
            self.setMinimumHeight(height)
            self.setMaximumHeight(height)
            self.updateGeometry()
        if self.parentLayoutItem() is None:  # free-standing (tests): size itself
            self.resize(width, height)

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF = QSizeF()) -> QSizeF:  # noqa: N802, B008 - Qt override, Qt's default argument
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(1e6, self._height)
        return QSizeF(0, self._height)

    def resizeEvent(self, ev: object) -> None:  # noqa: N802 - Qt/pyqtgraph override
        super().resizeEvent(ev)
        if abs(self.size().width() - self._laid_width) > 0.5:
            self.relayout(self.size().width())


def add_legend(plot_item: pg.PlotItem, *, row: int = 4, **kwargs: object) -> SafeLegend:
    """A SafeLegend in its own row of the plot's layout (default: just below the bottom axis),
    spanning the plot area's column: it takes space from the plot, never covers it."""
    legend = SafeLegend(**kwargs)
    plot_item.layout.addItem(legend, row, 1)
    plot_item.layout.setRowSpacing(row, 0)
    return legend
