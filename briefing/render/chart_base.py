"""What every chart shares: colours, the compact value axis, the date axis, the caption (title,
source line, as-of date, note), the light or dark theme (followed live: a palette change re-colours
a shown chart), keyboard zoom, pan and value readout, and a focus frame, in `ChartWidget`, the base
of each chart class (`adoption_chart`, `investment_chart`, `policy_chart`, `share_chart`); and
`source_line`, the credit line a chart's caption carries.

Keys (when the chart has focus): + / - zoom the dates in and out, Shift+Left / Shift+Right pan,
Home (or 0) resets; Left / Right step a cursor through the chart's points (`step_cursor`, each chart
says what a point is) and emit `sigReadout(text)`, Enter opens the point (`activate_cursor`).

Hostile text: every data string shown in the scene or a tooltip is escaped (`_escape`, `_tooltip`;
package-internal helpers of the chart modules), so markup in a record stays literal. GUI thread only
(like every QWidget).
"""

from __future__ import annotations

import datetime as dt
import html
import re

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from briefing.core import numbers, readings
from briefing.core.text import elide
from briefing.render import captions
from briefing.render.legend import SafeLegend
from briefing.render.palette import PALETTE

#: Stable colours for the two countries every briefing compares (by code and by name).
FIXED_COLOURS = {
    "US": "#0072B2",
    "CN": "#D55E00",
    "United States": "#0072B2",
    "China": "#D55E00",
    readings.UNATTRIBUTED: "#9A9A9A",
    readings.NO_FAMILY: "#9A9A9A",
}
#: Marker outlines: dark on white, light on the dark background (either way high contrast).
OUTLINE = {False: "#333333", True: "#E6E6E6"}
ZOOM_STEP = 0.8
PAN_STEP = 0.1
TOOLTIP_LIMIT = 2_000


def _escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def _tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (Qt would otherwise guess rich text)."""
    if not text:
        return ""
    body = _escape(elide(str(text), TOOLTIP_LIMIT)).replace("\n", "<br>")
    return f"<qt><p style='white-space:pre-wrap'>{body}</p></qt>"


#: Palette colours that vanish on the dark background, and what they become there.
DARK_SWAPS = {"#000000": "#E0E0E0", "#7F7F7F": "#B0B0B0", "#8C564B": "#C49C94"}


def colour_for(name: str, index: int, dark: bool = False) -> str:
    colour = FIXED_COLOURS.get(name, PALETTE[index % len(PALETTE)])
    return DARK_SWAPS.get(colour, colour) if dark else colour


def timestamps(dates: pd.DatetimeIndex | pd.Series | np.ndarray) -> np.ndarray:
    """datetime64 values -> float Unix seconds (what DateAxisItem reads)."""
    values = np.asarray(dates, dtype="datetime64[ms]").astype(np.int64)
    return values.astype(float) / 1000.0


class CountAxis(pg.AxisItem):
    """A value axis with compact SI tick labels (650M, 1.2B; `numbers.number(axis=True)`, the same figures
    as captions and tables) instead of pyqtgraph's 'x1e+09' scale suffix. `unit` is what one data
    unit is worth (1e9 for bars drawn in billions), `prefix` goes before each label (e.g. '$')."""

    def __init__(self, orientation: str = "left", *, unit: float = 1.0, prefix: str = "", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.unit = unit
        self.prefix = prefix
        self.enableAutoSIPrefix(False)
        # room for the widest label ('$888.8M') from the start: the axis only widens itself after a
        # paint, too late for a one-shot export, where a label would then run into the axis title
        widest = QFontMetricsF(self.style.get("tickFont") or QFont()).horizontalAdvance(prefix + "888.8M")
        self.textWidth = int(widest) + 4  # what autoExpandTextSpace grows from
        self.setStyle(tickTextWidth=self.textWidth, autoReduceTextSpace=False)

    def enableAutoSIPrefix(self, enable: bool = True) -> None:  # noqa: N802 - never: our labels carry the size
        super().enableAutoSIPrefix(False)

    def _text(self, value: float) -> str:
        if abs(value) >= 1000:
            return self.prefix + numbers.number(value, axis=True)
        return self.prefix + f"{value:.4g}"

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        if self.logMode:  # values are exponents on a log axis
            return [self._text(10.0**v * self.unit) for v in values]
        return [self._text(v * scale * self.unit) for v in values]


def date_axis(orientation: str = "bottom") -> pg.DateAxisItem:
    """A date axis whose labels stay readable when the chart is small (one-pager): pyqtgraph
    picks the tick spacing from the label width, so it never crowds them."""
    axis = pg.DateAxisItem(orientation=orientation)
    axis.setStyle(autoExpandTextSpace=True, hideOverlappingLabels=True)
    return axis


class CaptionLabel(pg.LabelItem):
    """A LabelItem that wraps to the width the plot gives it, instead of demanding its text's width
    (a long source line would otherwise widen the whole plot past the widget's edge)."""

    def resizeEvent(self, ev: object) -> None:  # noqa: N802 - Qt/pyqtgraph override
        width = self.size().width()
        if width > 20 and abs(self.item.textWidth() - width) > 1:
            self.item.setTextWidth(width)
        super().resizeEvent(ev)

    def updateMin(self) -> None:  # noqa: N802 - Qt/pyqtgraph override
        height = self.itemRect().height()
        self.setMinimumWidth(0)
        self.setMinimumHeight(height)
        self._sizeHint = {
            Qt.SizeHint.MinimumSize: (0, height),
            Qt.SizeHint.PreferredSize: (0, height),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()


class ChartWidget(pg.PlotWidget):
    """Base: a PlotWidget with a caption (title, source line, as-of date), the theme, keyboard
    control and offscreen rendering. Subclasses re-colour their own items in `_theme_changed()`."""

    #: the keyboard cursor or the hover names a value: plain text
    sigReadout = Signal(str)
    #: the chart took the light (False) or dark (True) colours
    sigThemeChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, axis_items: dict | None = None) -> None:
        super().__init__(parent, axisItems=axis_items or {})
        self._theme_fixed = False  # an export is drawn light whatever the app's theme
        self._theming = False
        self.hover_text = ""  # what the hover tooltip shows now (tests read it)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = ""
        self.source_line = ""
        self.as_of = ""
        #: a sentence the caption must carry (e.g. what the chart leaves out); plain text
        self.note = ""
        self.legend: SafeLegend | None = None
        self.setAccessibleName("chart")
        self.plotItem.layout.setContentsMargins(4, 8, 10, 4)  # tick labels at the edges stay whole
        self._source_label = CaptionLabel("", justify="left", size="8pt")
        # row 4 is the legend's (below the x axis, `legend.add_legend`), the caption goes under it
        self.plotItem.layout.addItem(self._source_label, 5, 1)
        self._show_title = False
        self._show_source = True
        #: what stands in the middle of a plot with nothing to draw ('' when there is data); plain text
        self.empty_message = ""
        self._empty_label: pg.TextItem | None = None
        self._apply_colours(None)

    # -- caption -----------------------------------------------------------------------------
    def set_meta(
        self,
        *,
        title: str | None = None,
        source_line: str | None = None,
        as_of: str | None = None,
        note: str | None = None,
    ) -> None:
        if title is not None:
            self.title = title
            self.setAccessibleName(title)
        if source_line is not None:
            self.source_line = source_line
        if as_of is not None:
            self.as_of = as_of
        if note is not None:
            self.note = note
        self._update_caption()

    def set_captions(self, *, title: bool | None = None, source: bool | None = None) -> None:
        """Show the title above and/or the source line below the plot (in the scene, so exports keep them)."""
        if title is not None:
            self._show_title = title
        if source is not None:
            self._show_source = source
        self._update_caption()

    def show_empty(self, message: str, *, keep_value_axis: bool = False) -> None:
        """Nothing to draw: `message` (plain text) stands in the middle of the plot, the date axis
        hides its tick values (an empty range has no dates: pyqtgraph would label 0..1 s of 1970 as
        '00.250') and so does the value axis unless its range is fixed (`keep_value_axis`, e.g. a
        0-100 % scale); `show_empty('')` takes the message away when data come."""
        self.empty_message = message
        bottom = self.plotItem.getAxis("bottom")
        if isinstance(bottom, pg.DateAxisItem):
            bottom.setStyle(showValues=not message)
        if not keep_value_axis:
            self.plotItem.getAxis("left").setStyle(showValues=not message)
        if self._empty_label is None:
            if not message:
                return
            self._empty_label = pg.TextItem(anchor=(0.5, 0.5), color=self._fg)  # setText: plain text
            self.plotItem.addItem(self._empty_label, ignoreBounds=True)
        self._empty_label.setText(message)
        self._empty_label.setVisible(bool(message))
        if message:
            (x0, x1), (y0, y1) = self.plotItem.vb.viewRange()
            self._empty_label.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def caption_text(self) -> str:
        """The plain-text line under the chart: 'Source: ...  ·  Data as of ...  ·  note'."""
        return caption_text(self.source_line, self.as_of, self.note)

    def shown_range(self) -> str:
        """The dates the plot shows, in words ('Shown: Jul 4, 2024 – Feb 18, 2025'), for a chart
        with a date axis; '' otherwise. A printed chart cannot be panned: it says what it covers."""
        if not isinstance(self.plotItem.getAxis("bottom"), pg.DateAxisItem) or self.empty_message:
            return ""
        lo, hi = self.plotItem.vb.viewRange()[0]
        try:
            start = dt.datetime.fromtimestamp(lo, dt.timezone.utc).date().isoformat()
            end = dt.datetime.fromtimestamp(hi, dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return ""
        return f"Shown: {numbers.window(start, end)}"

    def static_note(self) -> str:
        """The caption's note for a file or a page (a static image has no legend to click): any
        instruction to click or hover is dropped ('… are hidden; click the legend to show them'
        becomes '… are not shown'), and the range shown is added."""
        note = INTERACTIVE_HINT.sub("", self.note).replace(" hidden", " not shown").strip(" ;,")
        return "  ·  ".join(p for p in (self.shown_range(), note) if p)

    def _update_caption(self) -> None:
        # LabelItem renders HTML, so every string is escaped first
        if self._show_title and self.title:
            self.plotItem.setTitle(_escape(self.title), color=self._fg, size="11pt")
        else:
            self.plotItem.setTitle(None)
        text = self.caption_text() if self._show_source else ""
        self._source_label.setText(_escape(text), color=self._fg)
        self._source_label.setVisible(bool(text))

    # -- look ------------------------------------------------------------------------------------
    def apply_theme(self, dark: bool | None = None) -> None:
        """Light or dark colours; None follows the application palette (light without an app), and
        keeps following it; True/False fixes the theme (exports are drawn light)."""
        self._theme_fixed = dark is not None
        self._apply_colours(dark)
        self._theme_changed()

    @property
    def dark(self) -> bool:
        return self._dark

    def outline(self) -> str:
        """The marker outline colour for the current theme."""
        return OUTLINE[self._dark]

    def _theme_changed(self) -> None:
        """Re-colour the subclass's own items (called after every theme change)."""

    def changeEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if (
            ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
            and getattr(self, "_source_label", None) is not None
        ):  # built (Qt calls this during __init__)
            self.follow_palette()

    def follow_palette(self) -> None:
        """Take the application palette's light or dark colours now (unless the theme is fixed).
        Called on a palette change event, and by the app for every chart when the theme changes
        (a widget inside a styled parent does not always get the event)."""
        if self._theme_fixed or self._theming:
            return
        dark = _palette_is_dark()
        if dark != self._dark:
            self._theming = True
            try:
                self._apply_colours(dark)
                self._theme_changed()
            finally:
                self._theming = False
            self.sigThemeChanged.emit(dark)

    def _apply_colours(self, dark: bool | None) -> None:
        if dark is None:
            dark = _palette_is_dark()
        self._dark = dark
        bg, self._fg = ("#1E1E1E", "#DDDDDD") if dark else ("#FFFFFF", "#222222")
        self.setBackground(bg)
        for name in ("left", "bottom", "right", "top"):
            axis = self.plotItem.getAxis(name)
            axis.setPen(pg.mkPen(self._fg))
            axis.setTextPen(pg.mkPen(self._fg))
        if self.legend is not None:
            self.legend.set_text_colour(self._fg)
        if getattr(self, "_empty_label", None) is not None:
            self._empty_label.setColor(self._fg)
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
        self._update_caption()

    def reset_view(self) -> None:
        """Undo zoom and pan: fit everything again."""
        self.plotItem.enableAutoRange()

    # -- keyboard ------------------------------------------------------------------------------
    def zoom_dates(self, factor: float) -> None:
        """Zoom the x axis about its centre (factor < 1 zooms in)."""
        lo, hi = self.plotItem.vb.viewRange()[0]
        mid, half = (lo + hi) / 2, (hi - lo) / 2 * factor
        self.plotItem.setXRange(mid - half, mid + half, padding=0)

    def pan_dates(self, fraction: float) -> None:
        """Move the x axis by a fraction of its width (negative: to the left)."""
        lo, hi = self.plotItem.vb.viewRange()[0]
        step = (hi - lo) * fraction
        self.plotItem.setXRange(lo + step, hi + step, padding=0)

    def step_cursor(self, step: int) -> str:
        """Move the keyboard cursor to the next (+1) or previous (-1) point; returns its readout."""
        return ""

    def activate_cursor(self) -> None:
        """Open the point under the keyboard cursor (what a click on it does)."""

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, mods = ev.key(), ev.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_dates(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_dates(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and shift:
            self.pan_dates(-PAN_STEP if key == Qt.Key.Key_Left else PAN_STEP)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            text = self.step_cursor(-1 if key == Qt.Key.Key_Left else 1)
            if text:
                self.sigReadout.emit(text)
                self.show_hover(text, self.cursor_pos())
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.reset_view()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activate_cursor()
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def cursor_pos(self) -> QPoint | None:
        """Where the keyboard cursor's point is on screen (for its tooltip), or None."""
        return None

    def global_pos_of(self, x: float, y: float) -> QPoint:
        """The screen position of a data position of the main view box."""
        scene = self.plotItem.vb.mapViewToScene(QPointF(x, y))
        return self.mapToGlobal(self.mapFromScene(scene))

    # -- hover tooltip ---------------------------------------------------------------------------
    def show_hover(self, text: str, global_pos: QPoint | None) -> None:
        """A tooltip at the cursor (plain text shown literally); nothing else on screen moves."""
        self.hover_text = text
        if not text:
            QToolTip.hideText()
            return
        if global_pos is None:
            global_pos = self.mapToGlobal(self.rect().center())
        QToolTip.showText(global_pos + QPoint(14, 14), _tooltip(text), self)

    def leaveEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        self.hover_text = ""
        super().leaveEvent(ev)

    def paintEvent(self, ev: object) -> None:  # noqa: N802 - Qt override
        super().paintEvent(ev)
        if self.hasFocus():  # a visible focus frame (keyboard users must see where they are)
            painter = QPainter(self.viewport())
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(self.viewport().rect().adjusted(1, 1, -1, -1))
            painter.end()

    def focusInEvent(self, ev: object) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(ev)
        self.viewport().update()

    def focusOutEvent(self, ev: object) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(ev)
        self.viewport().update()


def _palette_is_dark() -> bool:
    app = QApplication.instance()
    return bool(app) and app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def dimmed(colour: str, alpha: int = 60) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


#: Words addressed to someone using the live chart (never printed on a static image).
INTERACTIVE_HINT = re.compile(r"[;,.]?\s*\(?(click|hover|double-click|drag)[^.;)]*\)?", re.IGNORECASE)


#: The caption helpers live in `captions` (no Qt); here for the charts and their callers.
caption_text = captions.caption_text
source_line = captions.source_line
