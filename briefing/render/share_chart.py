"""`ShareChart`: each reading's 30-day downloads split by developer country (100% stacked: China,
the United States, other countries, unattributed), one band per series with gaps between series,
a crossover marked only where the data shows one (with its series and panel); every reading is a
dot whose hover gives its shares and coverage and whose click emits `sigReadingClicked(position)`.
Moving over the plot shows a tooltip at the cursor with every bucket's share at the nearest reading;
Left/Right step through the readings from the keyboard, Enter opens one. The key is not a switch:
hiding one band of a 100% stack would make the others look larger than they are.

GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtWidgets import QWidget

from briefing.core import readings
from briefing.render.chart_base import ChartWidget, _tooltip, date_axis, timestamps
from briefing.render.legend import add_legend
from briefing.render.palette import BUCKET_COLOURS

#: what the plot says when no reading in the dates shown has downloads
EMPTY_MESSAGE = "No reading with downloads in the dates shown"
SINGLE_WIDTH_DAYS = 4.0  # a series with one reading is a stacked bar this wide


def share_text(row: pd.Series) -> str:
    """'China 57.5% · United States 18.3% · Other countries 5.4% · Unattributed 18.7%'."""
    return "  ·  ".join(f"{readings.BUCKET_LABELS[b]} {row[b]:.1f}%" for b in readings.BUCKETS)


class ShareChart(ChartWidget):
    """See the module docstring. `set_shares(table, crossovers, coverage=...)` shows a
    `readings.shares` table; `crossovers` come from `readings.crossover(table)`."""

    sigReadout = Signal(str)
    sigReadingClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axis_items={"bottom": date_axis("bottom")})
        self.plotItem.setLabel("left", "Share of 30-day downloads (%)")
        self.plotItem.setYRange(0, 100, padding=0.02)
        self.plotItem.vb.setLimits(yMin=-2, yMax=102)
        self.legend = add_legend(self.plotItem, text_colour=self._fg, interactive=False)
        self._swatches = {
            b: pg.BarGraphItem(x=[0], height=[1], width=1, brush=BUCKET_COLOURS[b]) for b in readings.BUCKETS
        }
        self.legend.set_entries([(self._swatches[b], readings.BUCKET_LABELS[b]) for b in readings.BUCKETS])
        self.table = pd.DataFrame()
        self.crossovers: list[readings.Crossover] = []
        self.coverage: Callable[[int], str] | None = None
        self._items: list[object] = []
        self._x = np.array([])
        self.points = pg.ScatterPlotItem(
            size=6, pen=pg.mkPen("#333333", width=0.6), brush="#FFFFFF", hoverable=True, tip=None
        )
        self.points.setZValue(20)
        self.points.sigHovered.connect(self._on_hovered)
        self.points.sigClicked.connect(self._on_clicked)
        self.plotItem.addItem(self.points)
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#666666", style=Qt.PenStyle.DashLine))
        self._vline.setVisible(False)
        self.plotItem.addItem(self._vline, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._cursor: int | None = None
        self._args: tuple = (pd.DataFrame(), (), None, "")

    def set_shares(
        self,
        table: pd.DataFrame,
        crossovers: list[readings.Crossover] | tuple = (),
        *,
        coverage: Callable[[int], str] | None = None,
        panel: str = "",
    ) -> None:
        """Draw the table (rows without downloads are skipped); label each crossover."""
        self._args = (table, crossovers, coverage, panel)
        self._cursor = None
        for item in self._items:
            self.plotItem.removeItem(item)
        self._items = []
        table = table[table["total"] > 0] if len(table) else table
        self.table = table
        self.crossovers = list(crossovers)
        self.coverage = coverage
        self.panel = panel
        self._x = timestamps(table.index) if len(table) else np.array([])
        if not len(table):
            self.points.setData([], [])
            self.show_empty(EMPTY_MESSAGE, keep_value_axis=True)
            return
        self.show_empty("", keep_value_axis=True)
        for _key, part in readings.segments(table):
            x = timestamps(part.index)
            lower = np.zeros(len(part))
            for b in readings.BUCKETS:
                upper = lower + part[b].to_numpy(dtype=float)
                if len(part) == 1:
                    width = SINGLE_WIDTH_DAYS * 86400.0
                    bar = pg.BarGraphItem(
                        x=x, y0=lower, height=upper - lower, width=width, brush=BUCKET_COLOURS[b], pen=pg.mkPen(None)
                    )
                    self._add(bar)
                else:
                    lo = pg.PlotDataItem(x, lower, pen=pg.mkPen(None))
                    hi = pg.PlotDataItem(x, upper, pen=pg.mkPen(BUCKET_COLOURS[b], width=0.8))
                    self._add(lo)
                    self._add(hi)
                    self._add(pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(BUCKET_COLOURS[b])))
                lower = upper
        cn = table["CN"].to_numpy(dtype=float)
        self.points.setData(self._x, cn, data=list(range(len(table))))
        for c in self.crossovers:
            ts = timestamps(pd.DatetimeIndex([pd.Timestamp(c.date)]))[0]
            line = pg.InfiniteLine(pos=ts, angle=90, movable=False, pen=pg.mkPen(self._fg, width=1.5))
            label = pg.TextItem(text=self.crossover_label(c), color=self._fg, anchor=(0, 0))  # plain text
            label.setPos(ts, 99)
            self._add(line, bounds=False)
            self._add(label, bounds=False)
        self.plotItem.enableAutoRange(axis="x")
        self.plotItem.setYRange(0, 100, padding=0.02)

    @staticmethod
    def crossover_label(c: readings.Crossover) -> str:
        who = readings.BUCKET_LABELS
        return f" {who[c.leader]} passes {who[c.other]}: {c.date.isoformat()} ({readings.SERIES[c.series].label})"

    def _add(self, item: object, *, bounds: bool = True) -> None:
        self.plotItem.addItem(item, ignoreBounds=not bounds)
        self._items.append(item)

    # -- interaction ----------------------------------------------------------------------------------
    def point_text(self, position: int) -> str:
        row = self.table.iloc[position]
        head = (
            f"{self.table.index[position].date().isoformat()}  ·  {readings.SERIES[str(row['series'])].label}"
            f"\n{share_text(row)}"
        )
        cov = self.coverage(position) if self.coverage else f"{int(row['n_repos']):,} repos"
        return head + "\n" + cov

    def _on_hovered(self, _item: object, points: object, _ev: object) -> None:
        if len(points) == 0:
            return
        text = self.point_text(int(points[0].data()))
        self.plotItem.vb.setToolTip(_tooltip(text))

    def _on_clicked(self, _item: object, points: object, _ev: object) -> None:
        if len(points):
            self.sigReadingClicked.emit(int(points[0].data()))

    def nearest(self, x: float) -> int | None:
        if not len(self._x):
            return None
        i = int(np.clip(np.searchsorted(self._x, x), 0, len(self._x) - 1))
        if i > 0 and abs(self._x[i - 1] - x) < abs(self._x[i] - x):
            i -= 1
        return i

    def _theme_changed(self) -> None:
        table, crossovers, coverage, panel = self._args
        self.points.setPen(pg.mkPen(self.outline(), width=0.6))
        if len(table):
            self.set_shares(table, crossovers, coverage=coverage, panel=panel)

    def step_cursor(self, step: int) -> str:
        if not len(self._x):
            return ""
        n = len(self._x)
        self._cursor = (
            (0 if step > 0 else n - 1) if self._cursor is None else int(np.clip(self._cursor + step, 0, n - 1))
        )
        self._vline.setPos(self._x[self._cursor])
        self._vline.setVisible(True)
        return self.point_text(self._cursor)

    def cursor_pos(self) -> QPoint | None:
        if self._cursor is None:
            return None
        return self.global_pos_of(float(self._x[self._cursor]), 50.0)

    def activate_cursor(self) -> None:
        if self._cursor is not None:
            self.sigReadingClicked.emit(self._cursor)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(pos):
            self._vline.setVisible(False)
            return
        i = self.nearest(vb.mapSceneToView(pos).x())
        if i is None:
            return
        self.show_hover(self.point_text(i), self.mapToGlobal(self.mapFromScene(pos)))
        self._vline.setPos(self._x[i])
        self._vline.setVisible(True)
        row = self.table.iloc[i]
        self.sigReadout.emit(
            f"{self.table.index[i].date().isoformat()}  ·  {share_text(row)}  ·  "
            f"{int(row['n_repos']):,} repos ({readings.SERIES[str(row['series'])].label})"
        )
