"""`AdoptionChart`: adoption metrics over time, one curve per group (country, organization or
family), with a clickable legend, log/linear y, a crosshair readout and milestone markers.

GUI thread only (like every QWidget).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QWidget

from briefing.core import frames, numbers
from briefing.render.chart_base import ChartWidget, CountAxis, _tooltip, colour_for, date_axis, timestamps
from briefing.render.legend import add_legend

COMBINED_COLOUR = "#555555"  # the "N more ... (combined)" line, dashed
METRIC_LABELS = {
    "downloads_total": "Downloads (cumulative)", "downloads_30d": "Downloads (last 30 days)",
    "derivatives": "Derivative models", "likes": "Likes", "download_share": "Download share (%)",
}


def _date_text(ts: float) -> str:
    return pd.Timestamp(ts, unit="s").strftime("%Y-%m-%d")


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
            self.sigReadout.emit(f"{date}  ·  {name}: {numbers.number(value, style='full')}")
