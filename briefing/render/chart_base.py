"""What every chart shares: colours, the compact value axis, the date axis, the caption (title,
source line, as-of date, note) and the light or dark theme, in `ChartWidget`, the base of each chart
class (`adoption_chart`, `investment_chart`, `policy_chart`); and `source_line`, the credit line a
chart's caption carries.

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
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from briefing.core import numbers, readings
from briefing.core.store import Store
from briefing.core.text import elide
from briefing.render.legend import SafeLegend

# Okabe-Ito first (colour-blind safe), then a few more distinct hues.
# (Okabe-Ito's yellow comes late: a thin yellow line all but vanishes on white paper.)
PALETTE = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B",
    "#9467BD", "#BCBD22", "#17BECF", "#7F7F7F", "#F0E442", "#FF9896", "#AEC7E8", "#98DF8A",
]
#: Stable colours for the two countries every briefing compares.
FIXED_COLOURS = {"US": "#0072B2", "CN": "#D55E00", readings.UNATTRIBUTED: "#9A9A9A", readings.NO_FAMILY: "#9A9A9A"}
TOOLTIP_LIMIT = 2_000


def _escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def _tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (Qt would otherwise guess rich text)."""
    if not text:
        return ""
    body = _escape(elide(str(text), TOOLTIP_LIMIT)).replace("\n", "<br>")
    return f"<qt><p style='white-space:pre-wrap'>{body}</p></qt>"


def colour_for(name: str, index: int) -> str:
    return FIXED_COLOURS.get(name, PALETTE[index % len(PALETTE)])


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
            return [self._text(10.0 ** v * self.unit) for v in values]
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
            Qt.SizeHint.MinimumSize: (0, height), Qt.SizeHint.PreferredSize: (0, height),
            Qt.SizeHint.MaximumSize: (-1, -1), Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()


class ChartWidget(pg.PlotWidget):
    """Base: a PlotWidget with a caption (title, source line, as-of date) and offscreen rendering."""

    def __init__(self, parent: QWidget | None = None, *, axis_items: dict | None = None) -> None:
        super().__init__(parent, axisItems=axis_items or {})
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
        self.apply_theme()

    # -- caption -----------------------------------------------------------------------------
    def set_meta(self, *, title: str | None = None, source_line: str | None = None, as_of: str | None = None,
                 note: str | None = None) -> None:
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

    def caption_text(self) -> str:
        """The plain-text line under the chart: 'Source: ...  ·  Data as of ...  ·  note'."""
        return caption_text(self.source_line, self.as_of, self.note)

    def shown_range(self) -> str:
        """The dates the plot shows, in words ('Shown: Jul 4, 2024 – Feb 18, 2025'), for a chart
        with a date axis; '' otherwise. A printed chart cannot be panned: it says what it covers."""
        if not isinstance(self.plotItem.getAxis("bottom"), pg.DateAxisItem):
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
        """Light or dark colours; None follows the application palette (light without an app)."""
        if dark is None:
            app = QApplication.instance()
            dark = bool(app) and app.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self._dark = dark
        bg, self._fg = ("#1E1E1E", "#DDDDDD") if dark else ("#FFFFFF", "#222222")
        self.setBackground(bg)
        for name in ("left", "bottom", "right", "top"):
            axis = self.plotItem.getAxis(name)
            axis.setPen(pg.mkPen(self._fg))
            axis.setTextPen(pg.mkPen(self._fg))
        if self.legend is not None:
            self.legend.set_text_colour(self._fg)
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
        self._update_caption()

    def reset_view(self) -> None:
        """Undo zoom and pan: fit everything again."""
        self.plotItem.enableAutoRange()


#: Words addressed to someone using the live chart (never printed on a static image).
INTERACTIVE_HINT = re.compile(r"[;,.]?\s*\(?(click|hover|double-click|drag)[^.;)]*\)?", re.IGNORECASE)


def caption_text(source_line: str, as_of: str, note: str = "") -> str:
    """'Source: ...  ·  Data as of ...  ·  note' (plain text), skipping empty parts."""
    parts = [p for p in (source_line, f"Data as of {as_of}" if as_of else "", note) if p]
    return "  ·  ".join(parts)


def source_line(store: Store, source_ids: list[str] | set[str], *, limit: int = 3) -> str:
    """A one-line credit for the given source ids (unknown ids skipped).

    Up to `limit` sources: 'Source: Publisher, Title; ...' (titles elided). More: the publishers by
    number of sources, e.g. 'Sources: Federal Register (45), Reuters (3) and 12 other publishers
    (71 sources; each record lists its own)'. Plain text: callers escape it where markup is rendered.
    """
    recs = [r for r in (store.record("source", sid) for sid in sorted(source_ids)) if r]
    if not recs:
        return ""
    if len(recs) <= limit:
        label = "Source: " if len(recs) == 1 else "Sources: "
        return label + "; ".join(f"{elide(r['publisher'], 60)}, {elide(r['title'], 90)}" for r in recs)
    counts: dict[str, int] = {}
    for r in recs:
        counts[r["publisher"]] = counts.get(r["publisher"], 0) + 1
    ranked = sorted(counts, key=lambda name: (-counts[name], name.casefold()))
    shown = ", ".join(f"{elide(name, 60)} ({counts[name]})" for name in ranked[:limit])
    rest = len(ranked) - limit
    more = f" and {rest} other publisher{'s' if rest != 1 else ''}" if rest > 0 else ""
    return f"Sources: {shown}{more} ({len(recs)} sources; each record lists its own)"
