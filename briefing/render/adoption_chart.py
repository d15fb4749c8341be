"""`AdoptionChart`: one metric's readings over time, one line per group (country, organization or
family), broken between series; every reading is a dot whose hover shows its coverage and whose
click emits `sigReadingClicked(position)` and `sigPointClicked(position, group)`; a metric with a
single reading is drawn as bars dated by that reading, never as an empty line chart. Moving over the
plot shows a tooltip at the cursor listing every shown group's value at the nearest reading (nothing
else on screen moves); a click on a legend entry shows or hides that group (the figures are sums per
group, so hiding one changes no other); Left/Right step through the readings from the keyboard.

Company-reported totals and study-level shares are never drawn here: they measure other things over
other windows (the Adoption view lists them in their own table). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtWidgets import QWidget

from briefing.core import numbers, readings
from briefing.render.chart_base import ChartWidget, CountAxis, colour_for, date_axis, timestamps
from briefing.render.legend import add_legend

#: what the plot says when the selection has no reading
EMPTY_MESSAGE = "No reading in this selection"
COMBINED_COLOUR = "#555555"  # the "N more ... (combined)" line, dashed
METRIC_LABELS = {
    "downloads_30d": "30-day downloads",
    "derivatives": "Derivative models",
    "likes": "Likes",
    "downloads_total": "All-time downloads",
    "download_share": "Download share (%)",
}


#: Readings up to which each is drawn as a dot.
MAX_DOTTED = 200


def _date_text(ts: float) -> str:
    return pd.Timestamp(ts, unit="s").strftime("%Y-%m-%d")


def series_key_text(series: np.ndarray | list[str]) -> str:
    """'Lines break between series: Forecast study (…), llmfit scrapes' for the series shown."""
    keys = list(dict.fromkeys(str(s) for s in series))
    if not keys:
        return ""
    parts = [readings.SERIES[k].label for k in keys]
    lead = "Readings" if len(keys) == 1 else "Lines break between series"
    return f"{lead}: " + ", ".join(parts)


class AdoptionChart(ChartWidget):
    """See the module docstring. `set_readings(wide, series, coverage=...)` shows a
    `readings.group` result; `set_frame(wide)` is the same for a single unnamed series."""

    sigReadout = Signal(str)
    #: a series was shown or hidden from the legend: (name, visible)
    sigSeriesToggled = Signal(str, bool)
    #: a reading's dot or bar was clicked: its position in the shown readings
    sigReadingClicked = Signal(int)
    #: the same click with the group whose dot or bar it was: (position, group)
    sigPointClicked = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axis_items={"bottom": date_axis("bottom"), "left": CountAxis("left")})
        self.legend = add_legend(self.plotItem, text_colour=self._fg, uniform=True)
        self.legend.sigSampleClicked.connect(self._on_legend_clicked)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._pool: list[pg.PlotDataItem] = []
        self.frame = pd.DataFrame()
        self.row_series = np.array([], dtype=object)
        self._x = np.array([])
        self._log = False
        self.bars_mode = False
        self.coverage: Callable[[int], str] | None = None
        self.coverage_counts: np.ndarray | None = None  # repos per shown reading, for the readout
        self._x_ext = np.array([])  # x with a gap point between two series
        self._row_ext = np.array([], dtype=np.int64)  # the reading behind each point (-1: a gap)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.bars.setVisible(False)
        self.plotItem.addItem(self.bars)
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine))
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine))
        for line in (self._vline, self._hline):
            line.setVisible(False)
            self.plotItem.addItem(line, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self._cursor: int | None = None
        self._bar_names: list[str] = []
        self._hover_dot: tuple[int, str, object] | None = None
        self.set_metric("downloads_30d")

    def set_metric(self, metric: str) -> None:
        self.metric_key = metric
        self.plotItem.setLabel("left", METRIC_LABELS.get(metric, metric))

    def set_log(self, log: bool) -> None:
        """Log or linear y; non-positive values become gaps on a log axis."""
        self._log = log
        self.plotItem.setLogMode(x=False, y=log and not self.bars_mode)
        self._feed()

    # -- data ---------------------------------------------------------------------------------------
    def set_frame(self, wide: pd.DataFrame) -> None:
        """A wide frame (index date, one column per group) from a single series."""
        self.set_readings(wide, None)

    def set_readings(
        self,
        wide: pd.DataFrame,
        series: np.ndarray | list[str] | None,
        *,
        coverage: Callable[[int], str] | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        """Show `readings.group` output; `series` names each row's series (lines break where it
        changes); `coverage(position)` is the text a reading's hover shows, `counts` the repos each
        reading covers (the crosshair readout says it).

        Curves and legend rows are pooled and relabelled, never removed, so regrouping costs setData
        calls, not item churn; every group is shown again (the unattributed group too: it is part
        of the figure).
        """
        self.frame = wide
        self.row_series = np.asarray(series if series is not None else ["" for _ in range(len(wide))], dtype=object)
        self.coverage = coverage
        self.coverage_counts = counts
        self._x = timestamps(wide.index) if len(wide.index) else np.array([])
        # a gap point (NaN) between the last reading of one series and the first of the next
        breaks = (
            np.flatnonzero(self.row_series[1:] != self.row_series[:-1]) + 1
            if len(self._x) > 1
            else np.array([], dtype=int)
        )
        mids = (self._x[breaks - 1] + self._x[breaks]) / 2 if len(breaks) else np.array([])
        self._x_ext = np.insert(self._x, breaks, mids)
        self._row_ext = np.insert(np.arange(len(self._x)), breaks, -1)
        self._breaks = breaks
        names = [str(c) for c in wide.columns]
        while len(self._pool) < len(names):
            curve = pg.PlotDataItem()  # no name: the legend is managed here
            # the curve's own dots are the readings: hover and click on them (one style per curve,
            # so 40 groups x 500 readings cost a setData each, not 20,000 styled spots)
            curve.scatter.opts["hoverable"] = True
            curve.scatter.opts["tip"] = None
            curve.scatter.sigHovered.connect(self._on_hovered)
            curve.scatter.sigClicked.connect(self._on_clicked)
            self.plotItem.addItem(curve)
            self._pool.append(curve)
        self.curves = {}
        for i, curve in enumerate(self._pool):
            if i < len(names):
                combined = names[i].endswith("(combined)")
                colour = self._combined_colour() if combined else colour_for(names[i], i, self.dark)
                if curve.property("colour") != (colour, combined):
                    style = Qt.PenStyle.DashLine if combined else Qt.PenStyle.SolidLine
                    curve.setPen(pg.mkPen(colour, width=2, style=style))
                    curve.setProperty("colour", (colour, combined))
                curve.setVisible(True)
                self.curves[names[i]] = curve
            elif curve.isVisible():
                curve.setData([], [])
                curve.setVisible(False)
        self.bars_mode = len(wide.index) == 1
        self.plotItem.setLogMode(x=False, y=self._log and not self.bars_mode)
        self.legend.set_entries([(self.curves[name], name) for name in names])  # plain text
        self._cursor = None
        self._feed()
        self.plotItem.enableAutoRange()
        self.show_empty("" if len(self._x) else EMPTY_MESSAGE)

    def _combined_colour(self) -> str:
        return "#AAAAAA" if self.dark else COMBINED_COLOUR

    def _theme_changed(self) -> None:
        for i, (name, curve) in enumerate(self.curves.items()):
            combined = name.endswith("(combined)")
            colour = self._combined_colour() if combined else colour_for(name, i, self.dark)
            style = Qt.PenStyle.DashLine if combined else Qt.PenStyle.SolidLine
            curve.setPen(pg.mkPen(colour, width=2, style=style))
            curve.setProperty("colour", (colour, combined))
        self.legend.update()
        for entry in self.legend.entries:
            entry.update()
        self._feed()

    def set_series_visible(self, name: str, visible: bool) -> None:
        """Show or hide one group, as a click on its legend entry does."""
        curve = self.curves[name]
        if curve.isVisible() != visible:
            self.legend.entry(name).toggle()

    def _on_legend_clicked(self, item: object) -> None:
        name = next((n for n, c in self.curves.items() if c is item), None)
        if name is None:
            return
        self._feed()
        self.plotItem.vb.enableAutoRange()  # refit to what is shown now
        self.plotItem.vb.updateAutoRange()
        self.sigSeriesToggled.emit(name, bool(item.isVisible()))

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x seconds, y) of group `name` at every shown reading, NaN where it has none (tests, exports)."""
        return self._x, self.frame[name].to_numpy(dtype=float)

    def _connect(self, y: np.ndarray) -> np.ndarray:
        """Whether each point joins the next: both exist and belong to the same series."""
        if len(y) < 2:
            return np.zeros(len(y), dtype=bool)
        ok = np.isfinite(y[:-1]) & np.isfinite(y[1:]) & (self.row_series[:-1] == self.row_series[1:])
        return np.r_[ok, False]

    def _feed(self) -> None:
        shown = [n for n, c in self.curves.items() if c.isVisible()]
        if self.bars_mode:
            for curve in self.curves.values():
                curve.setData([], [])
            values = [float(self.frame[n].iloc[0]) if len(self.frame) else np.nan for n in shown]
            keep = [(n, v) for n, v in zip(shown, values) if np.isfinite(v)]
            self.bars.setOpts(
                x=np.arange(len(keep), dtype=float),
                height=[v for _, v in keep],
                width=0.7,
                brushes=[pg.mkBrush(self.curves[n].opts["pen"].color()) for n, _ in keep],
            )
            self.bars.setVisible(bool(keep))
            self._bar_names = [n for n, _ in keep]
            self.plotItem.getAxis("bottom").setTicks([[(float(i), n) for i, (n, _) in enumerate(keep)]])
            return
        self.bars.setVisible(False)
        self._bar_names = []
        self.plotItem.getAxis("bottom").setTicks(None)
        # a dot per reading while they can be told apart; beyond that the crosshair readout names
        # the reading and its coverage (thousands of dots cost paint time and show nothing)
        dotted = len(self._x) <= MAX_DOTTED
        size = 7 if len(self._x) <= 80 else 4
        for name, curve in self.curves.items():
            y = self.frame[name].to_numpy(dtype=float)
            if self._log:
                y = np.where(y > 0, y, np.nan)
            # NaN breaks the line (connect="finite"): where a group has no reading, and between series
            y_ext = np.insert(y, self._breaks, np.nan)
            colour = curve.opts["pen"].color()
            curve.setData(
                self._x_ext,
                y_ext,
                connect="finite",
                symbol="o" if dotted else None,
                symbolSize=size,
                symbolBrush=colour,
                symbolPen=pg.mkPen("#FFFFFF", width=0.6),
                data=self._row_ext,
            )

    def dots(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the readings group `name` is drawn with (no gap points)."""
        x, y = self.series(name)
        ok = np.isfinite(y)
        return x[ok], y[ok]

    # -- interaction ----------------------------------------------------------------------------------
    def point_text(self, row: int, name: str) -> str:
        """What a reading's dot says: date, group, value, then the reading's coverage."""
        value = float(self.frame[name].iloc[row])
        head = (
            f"{pd.Timestamp(self.frame.index[row]).date().isoformat()}  ·  {name}: {numbers.number(value, axis=True)}"
        )
        cov = self.coverage(row) if self.coverage else ""
        return head + ("\n" + cov if cov else "")

    def _curve_name(self, scatter: object) -> str | None:
        return next((n for n, c in self.curves.items() if c.scatter is scatter), None)

    def _on_hovered(self, item: object, points: object, _ev: object) -> None:
        if len(points) == 0:
            if self._hover_dot is not None and self._hover_dot[2] is item:
                self._hover_dot = None
            return
        name, row = self._curve_name(item), int(points[0].data())
        if name is None or row < 0:
            return
        self._hover_dot = (row, name, item)
        text = self.point_text(row, name)
        self.sigReadout.emit(text.splitlines()[0] + (f"  ·  {text.splitlines()[1]}" if "\n" in text else ""))

    def hover_text_at(self, row: int) -> str:
        """The tooltip over reading `row`: every shown group's value, then the hovered dot's coverage."""
        text = self.values_text(row)
        dot = self._hover_dot
        if dot is not None and dot[0] == row and self.coverage is not None:
            cov = self.coverage(row)
            if cov:
                text += f"\n\n{dot[1]}: click the dot for its value, method and sources.\n{cov}"
        return text

    def _on_clicked(self, item: object, points: object, _ev: object) -> None:
        if len(points) and int(points[0].data()) >= 0:
            row = int(points[0].data())
            self.sigReadingClicked.emit(row)
            name = self._curve_name(item)
            if name is not None:
                self.sigPointClicked.emit(row, name)

    def _on_scene_clicked(self, ev: object) -> None:
        if self.bars_mode and self.bars.isVisible() and ev.button() == Qt.MouseButton.LeftButton:
            vb = self.plotItem.vb
            if vb.sceneBoundingRect().contains(ev.scenePos()):
                self.sigReadingClicked.emit(0)
                i = int(round(vb.mapSceneToView(ev.scenePos()).x()))
                if 0 <= i < len(self._bar_names):
                    self.sigPointClicked.emit(0, self._bar_names[i])

    def click_point(self, row: int, name: str) -> None:
        """Act as if group `name`'s dot at reading `row` were clicked."""
        self.sigReadingClicked.emit(int(row))
        self.sigPointClicked.emit(int(row), name)

    # -- the readout at a reading: every shown group --------------------------------------------------
    def nearest_row(self, x: float) -> int | None:
        if not len(self._x):
            return None
        i = int(np.clip(np.searchsorted(self._x, x), 0, len(self._x) - 1))
        if i > 0 and abs(self._x[i - 1] - x) < abs(self._x[i] - x):
            i -= 1
        return i

    def values_text(self, row: int) -> str:
        """The reading's date (and repos covered), then each shown group's value there, largest first
        (plain text; the hover tooltip and the keyboard readout)."""
        if row < 0 or row >= len(self.frame):
            return ""
        day = pd.Timestamp(self.frame.index[row]).date().isoformat()
        head = day
        series = str(self.row_series[row]) if row < len(self.row_series) else ""
        if series in readings.SERIES:
            head += f"  ·  {readings.SERIES[series].label}"
        if self.coverage_counts is not None and row < len(self.coverage_counts):
            head += f"  ·  {int(self.coverage_counts[row]):,} repos"
        shown = [(n, float(self.frame[n].iloc[row])) for n, c in self.curves.items() if c.isVisible()]
        shown = sorted(((n, v) for n, v in shown if np.isfinite(v)), key=lambda t: (-t[1], t[0]))
        lines = [head] + [f"{n}: {numbers.number(v, axis=True)}" for n, v in shown[:15]]
        if len(shown) > 15:
            lines.append(f"… and {len(shown) - 15} more groups")
        if not shown:
            lines.append("no shown group has a value in this reading")
        return "\n".join(lines)

    def step_cursor(self, step: int) -> str:
        """Move through the readings (the crosshair follows); the readout lists every shown group."""
        if not len(self._x):
            return ""
        n = len(self._x)
        self._cursor = (
            (0 if step > 0 else n - 1) if self._cursor is None else int(np.clip(self._cursor + step, 0, n - 1))
        )
        x = self._x[self._cursor]
        self._vline.setPos(x)
        self._vline.setVisible(not self.bars_mode)
        lo, hi = self.plotItem.vb.viewRange()[0]
        if not lo <= x <= hi:
            half = (hi - lo) / 2
            self.plotItem.setXRange(x - half, x + half, padding=0)
        return self.values_text(self._cursor)

    def cursor_pos(self) -> QPoint | None:
        if self._cursor is None or not len(self._x):
            return None
        lo, hi = self.plotItem.vb.viewRange()[1]
        return self.global_pos_of(float(self._x[self._cursor]), (lo + hi) / 2)

    def activate_cursor(self) -> None:
        if self._cursor is None:
            return
        self.sigReadingClicked.emit(self._cursor)
        shown = [(n, float(self.frame[n].iloc[self._cursor])) for n, c in self.curves.items() if c.isVisible()]
        shown = [t for t in shown if np.isfinite(t[1])]
        if shown:
            self.sigPointClicked.emit(self._cursor, max(shown, key=lambda t: t[1])[0])

    def readout_at(self, x: float, y: float) -> tuple[str, str, float] | None:
        """(group, date, value) nearest to a data position: nearest reading, then nearest visible group."""
        if self.bars_mode:
            i = int(round(x))
            if 0 <= i < len(self._bar_names):
                name = self._bar_names[i]
                return name, pd.Timestamp(self.frame.index[0]).date().isoformat(), float(self.frame[name].iloc[0])
            return None
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
        self._vline.setVisible(not self.bars_mode)
        self._hline.setVisible(True)
        hit = self.readout_at(point.x(), point.y())
        if hit:
            name, date, value = hit
            text = f"{date}  ·  {name}: {value:,.0f}"
            if self.coverage_counts is not None and not self.bars_mode:
                i = self.nearest_row(point.x())
                text += f"  ·  reading of {int(self.coverage_counts[i]):,} repos"
            self.sigReadout.emit(text)
        # the tooltip at the cursor: every shown group at the nearest reading (bars: the one reading)
        row = 0 if self.bars_mode else self.nearest_row(point.x())
        if row is not None:
            self.show_hover(self.hover_text_at(row), self.mapToGlobal(self.mapFromScene(pos)))
