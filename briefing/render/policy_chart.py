"""`PolicyTimelineChart`: policy actions on a date axis, one lane per jurisdiction, marker colour =
stance on open models, symbol = instrument; an optional adoption overlay on a right-hand axis.

GUI thread only (like every QWidget).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QWidget

from briefing.core import frames
from briefing.core.figures import place_name
from briefing.render.chart_base import ChartWidget, CountAxis, _escape, _tooltip, colour_for, date_axis, timestamps
from briefing.render.legend import add_legend

STANCE_COLOURS = {
    "restrictive": "#D55E00", "supportive": "#009E73", "neutral": "#7F7F7F", "mixed": "#E69F00",
    "not_applicable": "#D9D9D9",
    "unassessed": "#BBBBBB",
}
INSTRUMENT_SYMBOLS = {
    "export_control": "t", "legislation": "s", "executive_action": "d", "regulation": "o",
    "guidance": "h", "licensing": "p", "procurement": "star", "funding": "t1", "international": "+",
    "standard": "x",
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
        self.overlay_dots: list[pg.ScatterPlotItem] = []
        self.plotItem.hideAxis("right")
        self.plotItem.vb.sigResized.connect(self._sync_overlay)
        self.plotItem.vb.sigXRangeChanged.connect(self._sync_overlay)

    def _build_legend(self) -> None:
        """Two keys in the legend row below the dates: colour = stance, shape = instrument."""
        self._key_entries: list[tuple[object | None, str]] = [(None, "Stance on open models:")]
        for stance, colour in STANCE_COLOURS.items():
            sample = pg.ScatterPlotItem(symbol="o", brush=colour, pen=pg.mkPen("#333333"), size=10)
            self._key_entries.append((sample, stance.replace("_", " ")))
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
        # names, not codes: a printed chart has no tooltip to explain "INT" or "KR"; the axis is as
        # wide as the longest name, or pyqtgraph drops the labels that do not fit
        names = [place_name(str(j)) for j in self.lanes]
        axis = self.plotItem.getAxis("left")
        axis.setTicks([[(float(n - 1 - i), _escape(name)) for i, name in enumerate(names)]])
        metrics = QFontMetricsF(axis.style.get("tickFont") or axis.font())
        axis.setWidth(max([metrics.horizontalAdvance(name) for name in names] + [20.0]) + 14)
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

    def set_overlay(self, wide: pd.DataFrame | None, *, label: str = "Downloads", series: Any = None) -> None:
        """Draw adoption curves (index date, one column per group) on the right axis; None removes
        them. `series` names each row's series: a line never joins two series (their panels differ).

        Each curve gets a legend entry (click to show or hide).
        """
        for curve in self.overlay_curves + self.overlay_dots:
            self.overlay_box.removeItem(curve)
        self.overlay_curves = []
        self.overlay_dots: list[pg.ScatterPlotItem] = []
        if wide is None or wide.empty:
            self.plotItem.hideAxis("right")
            self.legend.set_entries(self._key_entries)
            return
        self.plotItem.showAxis("right")
        self.plotItem.getAxis("right").setLabel(_escape(label))
        x = timestamps(wide.index)
        names = [str(c) for c in wide.columns]
        keys = np.asarray(series if series is not None else [""] * len(wide), dtype=object)
        for i, name in enumerate(names):
            colour = QColor(colour_for(name, i))
            colour.setAlpha(150)
            y = wide[name].to_numpy(dtype=float)
            connect = np.r_[np.isfinite(y[:-1]) & np.isfinite(y[1:]) & (keys[:-1] == keys[1:]), False] \
                if len(y) > 1 else np.zeros(len(y), dtype=bool)
            filled = pd.Series(y).ffill().bfill().fillna(0.0).to_numpy()
            curve = pg.PlotDataItem(x, filled, pen=pg.mkPen(colour, width=2), connect=connect)
            curve.setProperty("series", name)
            ok = np.isfinite(y)  # each reading a dot: a lone reading is seen, a filled gap is not
            dots = pg.ScatterPlotItem(x[ok], y[ok], size=4, pen=None, brush=colour)
            curve.visibleChanged.connect(lambda c=curve, d=dots: d.setVisible(c.isVisible()))
            self.overlay_box.addItem(dots)
            self.overlay_dots.append(dots)
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
