"""The app's charts, one small class per chart type around `pg.PlotWidget` (no windows: headless-safe).

Each chart is built once and then updated with `set_frame(...)` from plain frames made by
`briefing.core.frames`; it carries `title`, `source_line` and `as_of` so the exporter can caption
it, and `render_image()` paints it to a QImage. `CHARTS` maps a chart name to a builder
`(store) -> ChartWidget` for `briefing export chart --chart NAME` and the screenshots.

Hostile text: every data string shown in the scene or a tooltip is escaped (`_escape`, `_tooltip`),
so markup in a record stays literal. GUI thread only (like every QWidget).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from briefing.core import frames
from briefing.core.store import Store
from briefing.core.text import elide
from briefing.render.legend import SafeLegend, add_legend

# Okabe-Ito first (colour-blind safe), then a few more distinct hues.
# (Okabe-Ito's yellow comes late: a thin yellow line all but vanishes on white paper.)
PALETTE = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B",
    "#9467BD", "#BCBD22", "#17BECF", "#7F7F7F", "#F0E442", "#FF9896", "#AEC7E8", "#98DF8A",
]
COMBINED_COLOUR = "#555555"  # the "N more ... (combined)" line, dashed
#: Stable colours for the two countries every briefing compares.
FIXED_COLOURS = {"US": "#0072B2", "CN": "#D55E00", frames.OTHER: "#9A9A9A"}
STANCE_COLOURS = {
    "restrictive": "#D55E00", "supportive": "#009E73", "neutral": "#7F7F7F", "mixed": "#E69F00",
    "unassessed": "#BBBBBB",
}
INSTRUMENT_SYMBOLS = {
    "export_control": "t", "legislation": "s", "executive_action": "d", "regulation": "o",
    "guidance": "h", "licensing": "p", "procurement": "star", "funding": "t1", "international": "+",
    "standard": "x",
}
METRIC_LABELS = {
    "downloads_total": "Downloads (cumulative)", "downloads_30d": "Downloads (last 30 days)",
    "derivatives": "Derivative models", "likes": "Likes", "download_share": "Download share (%)",
}
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


def _date_text(ts: float) -> str:
    return pd.Timestamp(ts, unit="s").strftime("%Y-%m-%d")


class CountAxis(pg.AxisItem):
    """A value axis with compact SI tick labels (650M, 1.2B; `frames.format_value`, the same figures
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
            return self.prefix + frames.format_value(value)
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

    def resizeEvent(self, ev: object) -> None:  # noqa: N802
        width = self.size().width()
        if width > 20 and abs(self.item.textWidth() - width) > 1:
            self.item.setTextWidth(width)
        super().resizeEvent(ev)

    def updateMin(self) -> None:  # noqa: N802
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
        parts = [p for p in (self.source_line, f"Data as of {self.as_of}" if self.as_of else "", self.note) if p]
        return "  ·  ".join(parts)

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

    def render_image(self, size: QSize | tuple[int, int] = (1200, 700), *, scale: float = 1.0) -> QImage:
        """Paint the chart offscreen at `size` (logical pixels) times `scale` into a QImage."""
        if isinstance(size, tuple):
            size = QSize(*size)
        self.resize(size)
        # the scene follows the view size only on resize events, which hidden widgets do not get
        pg.GraphicsView.setRange(self, QRectF(0, 0, size.width(), size.height()), padding=0)
        self.plotItem.layout.activate()
        image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(1.0)
        image.fill(self.backgroundBrush().color())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene().render(painter, QRectF(0, 0, image.width(), image.height()), QRectF(0, 0, size.width(), size.height()))
        painter.end()
        return image


class AdoptionChart(ChartWidget):
    """Adoption over time: one curve per group, date axis, legend below the plot (a click shows or
    hides a series), log/linear, crosshair with `sigReadout(str)`, and headline milestones as
    labelled markers.

    The `frames.OTHER` group (repos not in the catalogue) is drawn but hidden until its legend entry
    is clicked; the caption says how many repositories it holds and how to show them.
    """

    sigReadout = Signal(str)
    #: a series was shown or hidden from the legend: (name, visible)
    sigSeriesToggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axis_items={"bottom": date_axis("bottom"), "left": CountAxis("left")})
        self.legend = add_legend(self.plotItem, text_colour=self._fg, uniform=True)
        self.legend.sigSampleClicked.connect(self._on_legend_clicked)
        self.other_count = 0
        self.other_by: frames.Grouping = "country"
        self.other_shown = False  # the user's choice, kept across regroups
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._pool: list[pg.PlotDataItem] = []
        self.frame = pd.DataFrame()
        self._x = np.array([])
        self._log = False
        self._milestone_points = pg.ScatterPlotItem(symbol="star", size=14, pen=pg.mkPen("#000000"), brush="#F0E442")
        self._milestone_points.setZValue(20)
        self.plotItem.addItem(self._milestone_points)
        self._milestone_labels: list[pg.TextItem] = []
        self.milestones = pd.DataFrame()
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine))
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine))
        for line in (self._vline, self._hline):
            line.setVisible(False)
            self.plotItem.addItem(line, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.set_metric("downloads_total")

    def set_metric(self, metric: str) -> None:
        self.metric_key = metric
        self.plotItem.setLabel("left", METRIC_LABELS.get(metric, metric))

    def set_log(self, log: bool) -> None:
        """Log or linear y; curves are re-fed so non-positive values become gaps on a log axis."""
        self._log = log
        self.plotItem.setLogMode(x=False, y=log)
        self._feed()

    def set_frame(self, wide: pd.DataFrame, *, milestones: pd.DataFrame | None = None,
                  other_count: int | None = None, by: frames.Grouping | None = None) -> None:
        """Show a `frames.group_adoption` result (index date, one column per group).

        Curves and legend rows are pooled and relabelled, never removed, so regrouping costs
        setData calls, not item churn; every series is made visible again except `frames.OTHER`,
        which stays as the user left it (hidden at first). `other_count`/`by` word its caption note
        (`frames.unattributed_subjects`). The legend lists OTHER last; colours skip it, so a group
        keeps its colour whether OTHER is there or not.
        """
        self.frame = wide
        self._x = timestamps(wide.index) if len(wide.index) else np.array([])
        names = [str(c) for c in wide.columns if str(c) != frames.OTHER]
        if frames.OTHER in map(str, wide.columns):
            names.append(frames.OTHER)
        if other_count is not None:
            self.other_count = other_count
        if by is not None:
            self.other_by = by
        while len(self._pool) < len(names):
            curve = pg.PlotDataItem(connect="finite")  # no name: the legend is managed here
            self.plotItem.addItem(curve)
            self._pool.append(curve)
        self.curves = {}
        for i, curve in enumerate(self._pool):
            if i < len(names):
                combined = names[i].endswith("(combined)")
                colour = COMBINED_COLOUR if combined else colour_for(names[i], i)
                if curve.property("colour") != (colour, combined):
                    style = Qt.PenStyle.DashLine if combined else Qt.PenStyle.SolidLine
                    curve.setPen(pg.mkPen(colour, width=2, style=style))
                    curve.setProperty("colour", (colour, combined))
                curve.setVisible(names[i] != frames.OTHER or self.other_shown)
                self.curves[names[i]] = curve
            elif curve.isVisible():
                curve.setData([], [])
                curve.setVisible(False)
        self.legend.set_entries([(self.curves[name], name) for name in names])  # plain text
        if milestones is not None:
            self.milestones = milestones
        self._feed()
        self._update_note()
        self.plotItem.enableAutoRange()

    def _update_note(self) -> None:
        if frames.OTHER not in self.curves:
            self.set_meta(note="")
            return
        what = frames.other_note(self.other_count, self.other_by) if self.other_count else "Repositories not in the catalogue"
        verb = "is" if self.other_count == 1 else "are"
        if self.curves[frames.OTHER].isVisible():
            self.set_meta(note=f"{frames.OTHER}: {what}")
        else:
            self.set_meta(note=f"{what} {verb} hidden; click the legend to show them")

    def set_series_visible(self, name: str, visible: bool) -> None:
        """Show or hide one series, as a click on its legend entry does."""
        curve = self.curves[name]
        if curve.isVisible() != visible:
            self.legend.entry(name).toggle()

    def _on_legend_clicked(self, item: object) -> None:
        name = next((n for n, c in self.curves.items() if c is item), None)
        if name is None:
            return
        visible = bool(item.isVisible())
        if name == frames.OTHER:
            self.other_shown = visible
        self._update_note()
        self.plotItem.vb.enableAutoRange()  # refit to what is shown now
        self.plotItem.vb.updateAutoRange()
        self.sigSeriesToggled.emit(name, visible)

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x seconds, y) as currently fed to the curve `name` (for tests and exports)."""
        x, y = self.curves[name].getOriginalDataset()
        return np.asarray(x), np.asarray(y)

    def _feed(self) -> None:
        for name, curve in self.curves.items():
            y = self.frame[name].to_numpy(dtype=float)
            if self._log:
                y = np.where(y > 0, y, np.nan)
            curve.setData(self._x, y, connect="finite")
        self._draw_milestones()

    def _draw_milestones(self) -> None:
        for label in self._milestone_labels:
            self.plotItem.removeItem(label)
        self._milestone_labels = []
        m = self.milestones
        if m is None or m.empty or "metric" not in m:
            self._milestone_points.setData([], [])
            return
        m = m.loc[(m["metric"] == self.metric_key) & (m["unit"] == "count")]
        if len(self._x):  # only those inside the shown dates
            ts = timestamps(m["date"])
            m = m.loc[(ts >= self._x[0]) & (ts <= self._x[-1])]
        x = timestamps(m["date"]) if len(m) else np.array([])
        y = m["value"].to_numpy(dtype=float)
        shown_y = np.log10(np.maximum(y, 1e-9)) if self._log else y
        self._milestone_points.setData(x, shown_y, data=list(m["id"]))
        self._milestone_points.setToolTip(_tooltip("\n".join(m["label"])) if len(m) else "")
        for xi, yi, text in zip(x, shown_y, m["label"]):
            label = pg.TextItem(text=str(text), color=self._fg, anchor=(0, 1))  # TextItem sets plain text
            label.setPos(xi, yi)
            self.plotItem.addItem(label, ignoreBounds=True)
            self._milestone_labels.append(label)

    def readout_at(self, x: float, y: float) -> tuple[str, str, float] | None:
        """(series, date, value) nearest to a data position: nearest date, then nearest visible curve."""
        if not len(self._x) or not self.curves:
            return None
        i = int(np.clip(np.searchsorted(self._x, x), 0, len(self._x) - 1))
        if i > 0 and abs(self._x[i - 1] - x) < abs(self._x[i] - x):
            i -= 1
        best: tuple[float, str, float] | None = None
        for name, curve in self.curves.items():
            if not curve.isVisible():
                continue
            value = float(self.frame[name].iloc[i])
            if not np.isfinite(value):
                continue
            shown = np.log10(value) if self._log and value > 0 else value
            dist = abs(shown - y)
            if best is None or dist < best[0]:
                best = (dist, name, value)
        if best is None:
            return None
        return best[1], _date_text(self._x[i]), best[2]

    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(pos):
            self._vline.setVisible(False)
            self._hline.setVisible(False)
            return
        point = vb.mapSceneToView(pos)
        self._vline.setPos(point.x())
        self._hline.setPos(point.y())
        self._vline.setVisible(True)
        self._hline.setVisible(True)
        hit = self.readout_at(point.x(), point.y())
        if hit:
            name, date, value = hit
            self.sigReadout.emit(f"{date}  ·  {name}: {value:,.0f}")


class InvestmentChart(ChartWidget):
    """Horizontal stacked bars of USD commitments by country, coloured by category or status;
    hovering a bar segment shows its records with original amounts and conversion basis; a click
    on one emits `sigRecordsClicked(list of ids)`."""

    sigRecordsClicked = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        # bars are drawn in USD billions; the axis labels them as $50B, like every other figure
        super().__init__(parent, axis_items={"bottom": CountAxis("bottom", unit=1e9, prefix="$")})
        # not interactive: hiding one segment of a stacked bar would misstate the totals
        self.legend = add_legend(self.plotItem, text_colour=self._fg, interactive=False)
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.records = pd.DataFrame(columns=frames.INVESTMENT_COLUMNS)
        self.wide = pd.DataFrame()
        self.colour_by = "category"
        self.plotItem.setLabel("bottom", "Announced commitments (USD)")
        self.plotItem.setMouseEnabled(x=True, y=False)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def set_frame(self, investments: pd.DataFrame, *, colour_by: str = "category") -> None:
        """Show an `investment_frame` (filtered as wished); bars are `investment_by_country` sums."""
        self.records = investments
        self.colour_by = colour_by
        wide = frames.investment_by_country(investments, colour_by) if len(investments) else pd.DataFrame()
        # largest at the top: pyqtgraph's y grows upwards, so reverse
        self.wide = wide.iloc[::-1] if len(wide) else wide
        for item in self.bars.values():
            self.plotItem.removeItem(item)
        self.bars = {}
        self.legend.clear()
        if len(self.wide.columns):
            self.legend.add_header(f"{colour_by.title()}:")
        n = len(self.wide)
        y = np.arange(n, dtype=float)
        left = np.zeros(n)
        for i, col in enumerate(self.wide.columns):
            width = self.wide[col].to_numpy(dtype=float) / 1e9
            colour = PALETTE[i % len(PALETTE)] if colour_by == "category" else STATUS_COLOURS.get(col, PALETTE[i])
            item = pg.BarGraphItem(x0=left.copy(), y=y, height=0.7, width=width, brush=colour, pen=pg.mkPen(None))
            self.plotItem.addItem(item)
            self.legend.addItem(item, col.replace("_", " "))  # plain text
            self.bars[col] = item
            left += width
        self.plotItem.getAxis("left").setTicks([[(float(i), _escape(c)) for i, c in enumerate(self.wide.index)]])
        self.reset_view()

    def reset_view(self) -> None:
        """Every bar in full, from zero (auto-range does not always see a BarGraphItem's extent)."""
        total = float(self.wide.sum(axis=1).max()) / 1e9 if len(self.wide) else 1.0
        self.plotItem.setXRange(0, max(total, 1e-9) * 1.04, padding=0)
        self.plotItem.setYRange(-0.6, max(len(self.wide), 1) - 0.4, padding=0)

    def records_at(self, x: float, y: float) -> pd.DataFrame:
        """The investment records behind the bar segment at a data position (empty if none)."""
        i = int(round(y))
        if not len(self.wide) or i < 0 or i >= len(self.wide) or abs(y - i) > 0.35 or x < 0:
            return self.records.iloc[0:0]
        row = self.wide.iloc[i] / 1e9
        edges = np.cumsum(row.to_numpy())
        j = int(np.searchsorted(edges, x, side="right"))
        if j >= len(edges):
            return self.records.iloc[0:0]
        country, key = self.wide.index[i], self.wide.columns[j]
        r = self.records
        # the records the segment sums: components of a summed package are inside it, not stacked
        return r.loc[(r["country"] == country) & (r[self.colour_by] == key) & frames.counted_investments(r)]

    def describe(self, records: pd.DataFrame) -> str:
        """Plain text for a tooltip: each record's title, original amount and conversion basis, then
        the components of it among the shown records (listed, not added)."""
        lines = []
        for r in records.itertuples():
            lines.append(
                f"{r.title}\n  {r.amount:,.0f} {r.currency} = US${r.amount_usd / 1e9:,.2f}B"
                f" ({r.category}, {r.status})\n  Basis: {r.usd_basis or 'original amount in USD'}"
            )
            for c in frames.investment_components(self.records, r.id).itertuples():
                usd = f" (US${c.amount_usd / 1e9:,.2f}B)" if c.amount_usd == c.amount_usd else ""
                lines.append(f"  Includes: {c.title}: {c.amount:,.0f} {c.currency}{usd}")
        return "\n".join(lines)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        recs = self.records_at(p.x(), p.y())
        self.setToolTip(_tooltip(self.describe(recs)) if len(recs) else "")

    def click_at(self, x: float, y: float) -> list[str]:
        """Act as if the bar segment at a data position were clicked; returns the record ids."""
        ids = [str(i) for i in self.records_at(x, y)["id"]]
        if ids:
            self.sigRecordsClicked.emit(ids)
        return ids

    def _on_mouse_clicked(self, ev: object) -> None:
        vb = self.plotItem.vb
        pos = ev.scenePos()  # type: ignore[attr-defined]
        if vb.sceneBoundingRect().contains(pos):
            p = vb.mapSceneToView(pos)
            self.click_at(p.x(), p.y())


STATUS_COLOURS = {
    "announced": "#E69F00", "committed": "#56B4E9", "disbursing": "#0072B2", "completed": "#009E73",
    "withdrawn": "#9A9A9A",
}


class PolicyTimelineChart(ChartWidget):
    """One lane per jurisdiction on a date axis; marker colour = stance on open models, symbol =
    instrument; hover shows the action, a click emits `sigActionClicked(id)`; optional adoption
    overlay on a right-hand axis sharing the dates."""

    sigActionClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axis_items={"bottom": date_axis("bottom"), "right": CountAxis("right")})
        self.action_frame = pd.DataFrame(columns=frames.POLICY_COLUMNS)
        self.lanes: list[str] = []
        self.points = pg.ScatterPlotItem(size=13, hoverable=True, hoverSize=17, pen=pg.mkPen("#333333"))
        self.points.setZValue(10)
        self.plotItem.addItem(self.points)
        self.points.sigClicked.connect(self._on_clicked)
        self.points.sigHovered.connect(self._on_hovered)
        self.plotItem.setMouseEnabled(x=True, y=False)
        # the key explains markers and is not a switch; overlay entries (added later) are
        self.legend = add_legend(self.plotItem, text_colour=self._fg, interactive=False)
        self.legend.sigSampleClicked.connect(lambda _item: self._fit_overlay())
        self._legend_items: list[pg.ScatterPlotItem] = []
        self._build_legend()
        # adoption overlay: a second view box on the right axis whose x follows the main one. One-way
        # (no setXLink): a linked, empty overlay box would push its own default range onto the timeline.
        self.overlay_box = pg.ViewBox()
        self.overlay_box.setMouseEnabled(x=False, y=False)
        self.plotItem.scene().addItem(self.overlay_box)
        self.plotItem.getAxis("right").linkToView(self.overlay_box)
        self.overlay_curves: list[pg.PlotDataItem] = []
        self.plotItem.hideAxis("right")
        self.plotItem.vb.sigResized.connect(self._sync_overlay)
        self.plotItem.vb.sigXRangeChanged.connect(self._sync_overlay)

    def _build_legend(self) -> None:
        """Two keys in the legend row below the dates: colour = stance, shape = instrument."""
        self._key_entries: list[tuple[object | None, str]] = [(None, "Stance on open models:")]
        for stance, colour in STANCE_COLOURS.items():
            sample = pg.ScatterPlotItem(symbol="o", brush=colour, pen=pg.mkPen("#333333"), size=10)
            self._key_entries.append((sample, stance))
            self._legend_items.append(sample)
        self._key_entries.append((None, "Instrument:"))
        for instrument, symbol in INSTRUMENT_SYMBOLS.items():
            sample = pg.ScatterPlotItem(symbol=symbol, brush="#FFFFFF", pen=pg.mkPen("#333333"), size=10)
            self._key_entries.append((sample, instrument.replace("_", " ")))
            self._legend_items.append(sample)
        self.legend.set_entries(self._key_entries)

    def _sync_overlay(self, *_args: object) -> None:
        self.overlay_box.setGeometry(self.plotItem.vb.sceneBoundingRect())
        lo, hi = self.plotItem.vb.viewRange()[0]
        self.overlay_box.setXRange(lo, hi, padding=0)

    def set_frame(self, actions: pd.DataFrame) -> None:
        """Show a `policy_frame` (filtered as wished): lanes ordered by number of actions."""
        self.action_frame = actions.reset_index(drop=True)
        counts = self.action_frame["jurisdiction"].value_counts()
        self.lanes = sorted(counts.index, key=lambda j: (-counts[j], j))
        lane_of = {j: i for i, j in enumerate(self.lanes)}
        n = len(self.lanes)
        y = np.array([n - 1 - lane_of[j] for j in self.action_frame["jurisdiction"]], dtype=float)
        x = timestamps(self.action_frame["date"]) if len(self.action_frame) else np.array([])
        self.points.setData(
            x=x, y=y, data=list(self.action_frame["id"]),
            brush=[pg.mkBrush(STANCE_COLOURS.get(s, "#BBBBBB")) for s in self.action_frame["stance"]],
            symbol=[INSTRUMENT_SYMBOLS.get(i, "o") for i in self.action_frame["instrument"]],
        )
        self.plotItem.getAxis("left").setTicks([[(float(n - 1 - i), _escape(j)) for i, j in enumerate(self.lanes)]])
        self.plotItem.setYRange(-0.7, max(n - 1, 0) + 0.7, padding=0)
        self.fit_dates()

    def fit_dates(self) -> None:
        """Show every marker with some margin (at least 30 days each side, so one action is not a spike)."""
        x = self.points.getData()[0]
        if not len(x):
            return
        lo, hi = float(np.min(x)), float(np.max(x))
        pad = max((hi - lo) * 0.06, 30 * 86400.0)
        self.plotItem.setXRange(lo - pad, hi + pad, padding=0)

    def reset_view(self) -> None:
        n = len(self.lanes)
        self.plotItem.setYRange(-0.7, max(n - 1, 0) + 0.7, padding=0)
        self.fit_dates()

    def position_of(self, action_id: str) -> tuple[float, float] | None:
        """Data position of an action's marker (for tests and keyboard navigation)."""
        for x, y, data in zip(*self.points.getData(), self.points.data["data"]):
            if data == action_id:
                return float(x), float(y)
        return None

    def click_at(self, x: float, y: float) -> str | None:
        """Act as if the marker at a data position were clicked; returns the action id or None."""
        hits = self.points.pointsAt(QPointF(x, y))
        if len(hits) == 0:
            return None
        action_id = str(hits[0].data())
        self.sigActionClicked.emit(action_id)
        return action_id

    def describe(self, action_id: str) -> str:
        rows = self.action_frame.loc[self.action_frame["id"] == action_id]
        if rows.empty:
            return ""
        r = rows.iloc[0]
        return (
            f"{r['title']}\n{r['date']:%Y-%m-%d} · {r['jurisdiction']} · {r['body']}\n"
            f"{str(r['instrument']).replace('_', ' ')} · {str(r['stage']).replace('_', ' ')}"
            f" · stance on open models: {r['stance']}"
        )

    def _on_clicked(self, _item: object, points: list, _ev: object = None) -> None:
        if len(points):
            self.sigActionClicked.emit(str(points[0].data()))

    def _on_hovered(self, _item: object, points: list, _ev: object = None) -> None:
        text = "\n\n".join(self.describe(str(p.data())) for p in list(points)[:5])
        self.points.setToolTip(_tooltip(text))

    def set_overlay(self, wide: pd.DataFrame | None, *, label: str = "Downloads") -> None:
        """Draw adoption curves (a `group_adoption` frame) on the right axis; None removes them.

        Each curve gets a legend entry (click to show or hide); `frames.OTHER` starts hidden, as
        in the adoption chart.
        """
        for curve in self.overlay_curves:
            self.overlay_box.removeItem(curve)
        self.overlay_curves = []
        if wide is None or wide.empty:
            self.plotItem.hideAxis("right")
            self.legend.set_entries(self._key_entries)
            return
        self.plotItem.showAxis("right")
        self.plotItem.getAxis("right").setLabel(_escape(label))
        x = timestamps(wide.index)
        names = [str(c) for c in wide.columns if str(c) != frames.OTHER]
        if frames.OTHER in map(str, wide.columns):
            names.append(frames.OTHER)
        for i, name in enumerate(names):
            colour = QColor(colour_for(name, i))
            colour.setAlpha(150)
            curve = pg.PlotDataItem(x, wide[name].to_numpy(dtype=float), pen=pg.mkPen(colour, width=2), connect="finite")
            curve.setVisible(name != frames.OTHER)
            curve.setProperty("series", name)
            self.overlay_box.addItem(curve)
            self.overlay_curves.append(curve)
        self.legend.set_entries(self._key_entries + [(None, f"{label} (right axis):")])
        for curve in self.overlay_curves:
            self.legend.addItem(curve, str(curve.property("series")), interactive=True)
        self._fit_overlay()

    def _fit_overlay(self) -> None:
        self.overlay_box.enableAutoRange(axis="y")
        self.overlay_box.updateAutoRange()
        self._sync_overlay()


# -- named charts (the exporter's and the screenshots' entry point) ------------------------------
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


#: Most series an exported adoption chart draws (the smaller groups are summed into one line).
EXPORT_SERIES = 8


def _adoption_chart(by: frames.Grouping, metric: str = "downloads_total") -> Callable[[Store], ChartWidget]:
    """Exported adoption charts leave the `frames.OTHER` group out (a static image has no legend to
    click) and say so in the caption: '141 repositories not attributed ... are not shown'."""
    def build(store: Store) -> ChartWidget:
        frame = frames.adoption_frame(store, metric=metric)
        chart = AdoptionChart()
        chart.set_metric(metric)
        wide = frames.top_groups(frames.group_adoption(frame, by), EXPORT_SERIES)
        left_out = frames.OTHER in wide.columns
        chart.set_frame(wide.drop(columns=[frames.OTHER]) if left_out else wide,
                        milestones=frames.milestones(store, metric=metric))
        as_of = frame["date"].max().strftime("%Y-%m-%d") if len(frame) else ""
        count = frames.unattributed_subjects(frame, by)
        note = ""
        if left_out:
            note = f"{frames.other_note(count, by)} {'is' if count == 1 else 'are'} not shown"
        chart.set_meta(
            title=f"{METRIC_LABELS[metric]} of open models on Hugging Face, by {by}",
            source_line=source_line(store, store.adoption_source_ids(metric=metric)), as_of=as_of, note=note,
        )
        return chart
    return build


def _investment_chart(colour_by: str) -> Callable[[Store], ChartWidget]:
    def build(store: Store) -> ChartWidget:
        frame = frames.investment_frame(store)
        chart = InvestmentChart()
        chart.set_frame(frame, colour_by=colour_by)
        ids = {s for srcs in frame.loc[frame["amount_usd"].notna(), "sources"] for s in srcs}
        as_of = frame["announced_on"].max().strftime("%Y-%m-%d") if len(frame) else ""
        chart.set_meta(title=f"AI investment commitments by country (USD), by {colour_by}",
                       source_line=source_line(store, ids), as_of=as_of)
        return chart
    return build


def _policy_chart(store: Store) -> ChartWidget:
    frame = frames.policy_frame(store)
    chart = PolicyTimelineChart()
    chart.set_frame(frame)
    ids = {s for srcs in frame["sources"] for s in srcs}
    as_of = frame["date"].max().strftime("%Y-%m-%d") if len(frame) else ""
    chart.set_meta(title="AI policy actions by jurisdiction (colour: stance on open models)",
                   source_line=source_line(store, ids), as_of=as_of)
    return chart


CHARTS: dict[str, Callable[[Store], ChartWidget]] = {
    "adoption-by-country": _adoption_chart("country"),
    "adoption-by-organization": _adoption_chart("organization"),
    "adoption-by-family": _adoption_chart("family"),
    "derivatives-by-family": _adoption_chart("family", "derivatives"),
    "investment-by-country": _investment_chart("category"),
    "investment-by-status": _investment_chart("status"),
    "policy-timeline": _policy_chart,
}
