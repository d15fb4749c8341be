"""`PolicyTimelineChart`: one timeline across policy, money and adoption.

Three layers on one date axis, each switchable (`set_layers`):

* **policy**: one lane per jurisdiction (by name), marker colour = stance on open models, symbol =
  instrument; actions of one lane within `palette.STACK_DAYS` of each other are stacked a little apart, and a
  click on markers that still overlap offers a pick list (`sigActionsClicked(ids, screen point)`),
  so a click never opens a different action than the one meant;
* **investment**: commitments in a lane of their own at their announcement date, marker area
  proportional to the USD amount (hollow where there is no USD figure), click: `sigInvestmentClicked`;
* **adoption**: China's and the United States' share of each reading's 30-day downloads on the right
  axis (lines break between series), a dot per reading, click: `sigReadingClicked(position)`.

The selected record is ringed (`highlight`). The key below the plot filters: a click on a stance
or instrument emits `sigKeyClicked(field, value)` (the view toggles that value in its filter, the
chart fades the entries the filters leave out, `set_key_filter`); a layer's header switches the
layer. Hover lists what is under the cursor; the keyboard steps through the markers by date.

GUI thread only (like every QWidget).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Signal
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QWidget

from briefing.core import frames, names, numbers
from briefing.render.chart_base import ChartWidget, CountAxis, _escape, _tooltip, colour_for, date_axis, timestamps
from briefing.render.legend import add_legend
from briefing.render.palette import INSTRUMENT_SYMBOLS, STANCE_COLOURS, stack_offsets

#: On the dark background greys are lifted and the pale ones darkened, so every marker stands out.
DARK_STANCE_COLOURS = {
    **STANCE_COLOURS,
    "neutral": "#A8A8A8",
    "not_applicable": "#6E6E6E",
    "unassessed": "#8C8C8C",
    "restrictive": "#FF7A33",
    "supportive": "#2CCB97",
}
INVESTMENT_LANE = "Investment commitments"
INVESTMENT_COLOUR = "#56B4E9"
LAYERS = ("policy", "investment", "adoption")
LAYER_LABELS = {"policy": "Policy actions", "investment": "Investment commitments", "adoption": "Adoption share"}
MARKER_SIZE = 13
#: Marker diameters (pixels) of the smallest and largest commitment.
MIN_MONEY_SIZE, MAX_MONEY_SIZE = 7.0, 34.0


def _stack_offsets(lanes: np.ndarray, x: np.ndarray) -> np.ndarray:
    """`palette.stack_offsets` for lanes and timestamps (seconds) as arrays."""
    return np.asarray(stack_offsets(lanes.tolist(), (x / 86400.0).tolist()), dtype=float)


class PolicyTimelineChart(ChartWidget):
    """See the module docstring."""

    sigActionClicked = Signal(str)
    #: several actions under one click: (ids, global position) for a pick list
    sigActionsClicked = Signal(list, QPoint)
    sigInvestmentClicked = Signal(str)
    sigInvestmentsClicked = Signal(list, QPoint)
    #: a reading of the adoption layer: its position in the overlay's rows
    sigReadingClicked = Signal(int)
    #: the key was clicked: (field, value) with field "stance", "instrument" or "layer"
    sigKeyClicked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axis_items={"bottom": date_axis("bottom"), "right": CountAxis("right")})
        self.action_frame = pd.DataFrame(columns=frames.POLICY_COLUMNS)
        self.investment_frame: pd.DataFrame | None = None
        self.lanes: list[str] = []
        self.layers = {"policy": True, "investment": False, "adoption": False}
        self.points = pg.ScatterPlotItem(
            size=MARKER_SIZE, hoverable=True, hoverSize=17, pen=pg.mkPen(self.outline()), tip=None
        )
        self.points.setZValue(10)
        self.plotItem.addItem(self.points)
        self.points.sigClicked.connect(self._on_clicked)
        self.points.sigHovered.connect(self._on_hovered)
        self.money = pg.ScatterPlotItem(hoverable=True, tip=None)
        self.money.setZValue(9)
        self.plotItem.addItem(self.money)
        self.money.sigClicked.connect(self._on_money_clicked)
        self.money.sigHovered.connect(self._on_money_hovered)
        self.ring = pg.ScatterPlotItem(size=MARKER_SIZE + 12, symbol="o", brush=None, pxMode=True)
        self.ring.setZValue(30)
        self.ring.setAcceptedMouseButtons(pg.QtCore.Qt.MouseButton.NoButton)
        self.plotItem.addItem(self.ring)
        self.highlighted: str | None = None
        self.plotItem.setMouseEnabled(x=True, y=False)
        # the key filters: a click on a stance or an instrument asks the view to filter by it
        self.legend = add_legend(self.plotItem, text_colour=self._fg, interactive=False, filters=True)
        self.legend.sigKeyClicked.connect(self._on_key_clicked)
        self._key_filter: dict[str, set[str] | None] = {"stance": None, "instrument": None}
        # adoption overlay: a second view box on the right axis whose x follows the main one. One-way
        # (no setXLink): a linked, empty overlay box would push its own default range onto the timeline.
        self.overlay_box = pg.ViewBox()
        self.overlay_box.setMouseEnabled(x=False, y=False)
        # under the plot: where a reading's dot and a record's marker meet, the click is the record's
        self.overlay_box.setZValue(-10)
        self.plotItem.scene().addItem(self.overlay_box)
        self.plotItem.getAxis("right").linkToView(self.overlay_box)
        self.overlay_curves: list[pg.PlotDataItem] = []
        self.overlay_dots: list[pg.ScatterPlotItem] = []
        self.overlay_frame: pd.DataFrame | None = None
        self.overlay_tips: list[str] = []
        self._overlay_label = "Downloads"
        self._overlay_series: Any = None
        self.plotItem.hideAxis("right")
        self.plotItem.vb.sigResized.connect(self._sync_overlay)
        self.plotItem.vb.sigXRangeChanged.connect(self._sync_overlay)
        #: False: the key leaves out the instrument shapes (a small chart; each marker's hover names it)
        self.instrument_key = True
        self._compact = False  # lane labels by code when the chart is narrow
        self._cursor: int | None = None  # keyboard cursor: index into `_order`
        self._order: list[tuple[float, str, str]] = []  # (x, kind, id) by date
        self._build_legend()

    # -- key --------------------------------------------------------------------------------------
    def _colours(self) -> dict[str, str]:
        return DARK_STANCE_COLOURS if self.dark else STANCE_COLOURS

    def _build_legend(self) -> None:
        """Keys in the legend row below the dates: colour = stance, shape = instrument, then the
        investment layer's marker and the adoption layer's lines (when those layers are on)."""
        pen = pg.mkPen(self.outline())
        entries: list[tuple[object | None, str]] = []
        keys: list[tuple[str, str] | None] = []
        if self.layers["policy"]:
            entries.append((None, "Stance on open models:"))
            keys.append(None)
            for stance, colour in self._colours().items():
                entries.append(
                    (pg.ScatterPlotItem(symbol="o", brush=colour, pen=pen, size=10), names.code_words(stance))
                )
                keys.append(("stance", stance))
            entries.append((None, "Instrument:" if self.instrument_key else "Shape: instrument"))
            keys.append(None)
            for instrument, symbol in INSTRUMENT_SYMBOLS.items() if self.instrument_key else ():
                sample = pg.ScatterPlotItem(symbol=symbol, brush=None, pen=pen, size=10)
                entries.append((sample, names.code_words(instrument)))
                keys.append(("instrument", instrument))
        if self.layers["investment"] and self.investment_frame is not None:
            entries.append((None, "Investment:"))
            keys.append(None)
            entries.append(
                (
                    pg.ScatterPlotItem(symbol="o", brush=self._money_brush(), pen=pg.mkPen(self._money_pen()), size=10),
                    "commitment (area: USD)",
                )
            )
            keys.append(None)
            entries.append(
                (pg.ScatterPlotItem(symbol="o", brush=None, pen=pg.mkPen(self._money_pen()), size=8), "no USD figure")
            )
            keys.append(None)
        if self.layers["adoption"] and self.overlay_curves:
            entries.append((None, "Adoption (right axis):"))
            keys.append(None)
            for curve in self.overlay_curves:
                entries.append((curve, str(curve.property("label"))))
                keys.append(None)
        self.legend.set_entries(entries)
        for entry, key in zip(self.legend.entries, keys):
            if key is None:
                entry.set_key(None)
            else:
                field, value = key
                entry.set_key(
                    f"{field}:{value}",
                    f"Click to show only (or also) {field} '{names.code_words(value)}'; click again to drop it",
                )
        self._dim_key()

    def set_key_filter(self, field: str, values: set[str] | None) -> None:
        """What the view's filter for `field` keeps (None: all): the key fades the rest."""
        self._key_filter[field] = set(values) if values else None
        self._dim_key()

    def _dim_key(self) -> None:
        dim = {
            f"{field}:{v}"
            for field, kept in self._key_filter.items()
            if kept
            for v in (STANCE_COLOURS if field == "stance" else INSTRUMENT_SYMBOLS)
            if v not in kept
        }
        self.legend.set_dimmed(dim)

    def _on_key_clicked(self, key: str) -> None:
        field, _, value = key.partition(":")
        self.sigKeyClicked.emit(field, value)

    # -- layers -------------------------------------------------------------------------------------
    def set_layers(self, **on: bool) -> None:
        """Switch layers on or off by name (policy, investment, adoption); redraws."""
        for name, value in on.items():
            if name not in self.layers:
                raise ValueError(f"no layer {name!r} (choose from {', '.join(LAYERS)})")
            self.layers[name] = bool(value)
        self._draw()

    def layer_on(self, name: str) -> bool:
        return self.layers[name]

    def set_frame(self, actions: pd.DataFrame) -> None:
        """Show a `policy_frame` (filtered as wished): lanes ordered by number of actions."""
        self.action_frame = actions.reset_index(drop=True)
        self._draw()
        self.fit_dates()

    def set_investments(self, investments: pd.DataFrame | None) -> None:
        """The investment layer's records (an `investment_frame`, filtered as wished; None: none)."""
        self.investment_frame = investments.reset_index(drop=True) if investments is not None else None
        self._draw()

    def _draw(self) -> None:
        actions = self.action_frame if self.layers["policy"] else self.action_frame.iloc[0:0]
        counts = actions["jurisdiction"].value_counts()
        self.lanes = sorted(counts.index, key=lambda j: (-counts[j], j))
        money = self.investment_frame if self.layers["investment"] and self.investment_frame is not None else None
        money = money.loc[money["announced_on"].notna()] if money is not None else None
        top = len(self.lanes)  # the money lane above the policy lanes
        lane_of = {j: i for i, j in enumerate(self.lanes)}
        n = len(self.lanes)
        lane_y = np.array([n - 1 - lane_of[j] for j in actions["jurisdiction"]], dtype=float)
        x = timestamps(actions["date"]) if len(actions) else np.array([])
        y = lane_y + _stack_offsets(lane_y, x)
        colours = self._colours()
        self.points.setData(
            x=x,
            y=y,
            data=list(actions["id"]),
            brush=[pg.mkBrush(colours.get(s, "#BBBBBB")) for s in actions["stance"]],
            symbol=[INSTRUMENT_SYMBOLS.get(i, "o") for i in actions["instrument"]],
            pen=pg.mkPen(self.outline()),
            size=MARKER_SIZE,
        )
        self._money_shown = money if money is not None else pd.DataFrame(columns=frames.INVESTMENT_COLUMNS)
        if money is not None and len(money):
            mx = timestamps(money["announced_on"])
            usd = money["amount_usd"].to_numpy(dtype=float)
            biggest = np.nanmax(usd) if np.isfinite(usd).any() else 1.0
            # area proportional to USD: the diameter grows with the square root
            sizes = np.where(
                np.isfinite(usd),
                MIN_MONEY_SIZE + (MAX_MONEY_SIZE - MIN_MONEY_SIZE) * np.sqrt(np.nan_to_num(usd) / max(biggest, 1.0)),
                MIN_MONEY_SIZE,
            )
            brushes = [self._money_brush() if np.isfinite(u) else pg.mkBrush(None) for u in usd]
            self.money.setData(
                x=mx,
                y=np.full(len(money), float(top)),
                size=sizes,
                brush=brushes,
                pen=pg.mkPen(self._money_pen(), width=1.2),
                data=list(money["id"]),
                symbol="o",
            )
        else:
            self.money.setData([], [])
        label = names.country_short if self._compact else names.country  # codes where space is tight
        ticks = [(float(n - 1 - i), _escape(label(j))) for i, j in enumerate(self.lanes)]
        if money is not None:
            ticks.append((float(top), _escape("Money" if self._compact else INVESTMENT_LANE)))
        # the axis as wide as the longest label, or pyqtgraph drops the labels that do not fit
        axis = self.plotItem.getAxis("left")
        axis.setTicks([ticks])
        metrics = QFontMetricsF(axis.style.get("tickFont") or axis.font())
        axis.setWidth(max([metrics.horizontalAdvance(t) for _v, t in ticks] + [20.0]) + 14)
        self.plotItem.setYRange(-0.7, max(self._lane_count() - 1, 0) + 0.7, padding=0)
        self._order = sorted(
            [(float(xi), "policy_action", str(i)) for xi, i in zip(x, actions["id"])]
            + (
                [(float(xi), "investment", str(i)) for xi, i in zip(timestamps(money["announced_on"]), money["id"])]
                if money is not None and len(money)
                else []
            )
        )
        self._cursor = None
        self._update_overlay_visibility()
        self._build_legend()
        self._draw_ring()

    def _lane_count(self) -> int:
        return len(self.lanes) + (1 if self.layers["investment"] and self.investment_frame is not None else 0)

    def _money_brush(self) -> QColor:
        c = QColor(INVESTMENT_COLOUR)
        c.setAlpha(150)
        return c

    def _money_pen(self) -> str:
        return "#8FD3FF" if self.dark else "#0072B2"

    def fit_dates(self) -> None:
        """Show every marker with some margin (at least 30 days each side, so one action is not a spike)."""
        xs = [a for a in (self.points.getData()[0], self.money.getData()[0]) if len(a)]
        if self.layers["adoption"] and self.overlay_frame is not None and len(self.overlay_frame):
            xs.append(timestamps(self.overlay_frame.index))
        if not xs:
            return
        x = np.concatenate(xs)
        lo, hi = float(np.min(x)), float(np.max(x))
        pad = max((hi - lo) * 0.06, 30 * 86400.0)
        self.plotItem.setXRange(lo - pad, hi + pad, padding=0)

    def reset_view(self) -> None:
        self.plotItem.setYRange(-0.7, max(self._lane_count() - 1, 0) + 0.7, padding=0)
        self.fit_dates()

    # -- records ---------------------------------------------------------------------------------
    def position_of(self, record_id: str) -> tuple[float, float] | None:
        """Data position of an action's (or a commitment's) marker (tests, the ring, the keyboard)."""
        for item in (self.points, self.money):
            if item.data is None or not len(item.data):
                continue
            for x, y, data in zip(*item.getData(), item.data["data"]):
                if data == record_id:
                    return float(x), float(y)
        return None

    def highlight(self, record_id: str | None) -> None:
        """Ring the marker of the record shown in the detail pane (None: no ring)."""
        self.highlighted = record_id
        self._draw_ring()

    def _draw_ring(self) -> None:
        pos = self.position_of(self.highlighted) if self.highlighted else None
        if pos is None:
            self.ring.setData([], [])
            return
        self.ring.setData(
            [pos[0]], [pos[1]], pen=pg.mkPen(self.palette().color(self.palette().ColorRole.Highlight), width=3)
        )

    def ids_at(self, x: float, y: float) -> list[str]:
        """The actions whose markers cover a data position (front first)."""
        return list(dict.fromkeys(str(p.data()) for p in self.points.pointsAt(QPointF(x, y))))

    def click_at(self, x: float, y: float) -> str | list[str] | None:
        """Act as if the markers at a data position were clicked: one action id (opened), a list of
        overlapping ones (offered as a pick list), or None."""
        ids = self.ids_at(x, y)
        if len(ids) == 1:
            self.sigActionClicked.emit(ids[0])
            return ids[0]
        if ids:
            self.sigActionsClicked.emit(ids, self.global_pos_of(x, y))
            return ids
        money = list(dict.fromkeys(str(p.data()) for p in self.money.pointsAt(QPointF(x, y))))
        if money:
            self._emit_money(money, self.global_pos_of(x, y))
            return money[0] if len(money) == 1 else money
        return None

    def describe(self, action_id: str) -> str:
        rows = self.action_frame.loc[self.action_frame["id"] == action_id]
        if rows.empty:
            return ""
        r = rows.iloc[0]
        return (
            f"{r['title']}\n{r['date']:%Y-%m-%d} · {names.country(r['jurisdiction'])} · {r['body']}\n"
            f"{names.code_words(r['instrument'])} · {names.code_words(r['stage'])}"
            f" · stance on open models: {names.code_words(r['stance'])}"
        )

    def describe_investment(self, record_id: str) -> str:
        frame = self.investment_frame
        rows = frame.loc[frame["id"] == record_id] if frame is not None else pd.DataFrame()
        if rows.empty:
            return ""
        r = rows.iloc[0]
        usd = numbers.usd(r["amount_usd"], style="short") if r["amount_usd"] == r["amount_usd"] else "no USD figure"
        return (
            f"{r['title']}\n{r['announced_on']:%Y-%m-%d} · {names.country(r['country'])} · {r['actor']}\n"
            f"{numbers.number(r['amount'], style='full')} {r['currency']} = {usd}"
            f" · {names.code_words(r['status'])}"
        )

    def _on_clicked(self, _item: object, points: list, ev: object = None) -> None:
        ids = list(dict.fromkeys(str(p.data()) for p in points))
        if len(ids) == 1:
            self.sigActionClicked.emit(ids[0])
        elif ids:
            where = ev.screenPos().toPoint() if ev is not None else self.mapToGlobal(self.rect().center())  # type: ignore[attr-defined]
            self.sigActionsClicked.emit(ids, where)

    def _emit_money(self, ids: list[str], where: QPoint) -> None:
        if len(ids) == 1:
            self.sigInvestmentClicked.emit(ids[0])
        else:
            self.sigInvestmentsClicked.emit(ids, where)

    def _on_money_clicked(self, _item: object, points: list, ev: object = None) -> None:
        ids = list(dict.fromkeys(str(p.data()) for p in points))
        if ids:
            where = ev.screenPos().toPoint() if ev is not None else self.mapToGlobal(self.rect().center())  # type: ignore[attr-defined]
            self._emit_money(ids, where)

    def _on_hovered(self, _item: object, points: list, _ev: object = None) -> None:
        points = list(points)
        text = "\n\n".join(self.describe(str(p.data())) for p in points[:5])
        if len(points) > 5:
            text += f"\n\n… and {len(points) - 5} more here (click for the list)"
        elif len(points) > 1:
            text += "\n\nClick to choose one of these."
        self.hover_text = text
        self.points.setToolTip(_tooltip(text))

    def _on_money_hovered(self, _item: object, points: list, _ev: object = None) -> None:
        text = "\n\n".join(self.describe_investment(str(p.data())) for p in list(points)[:5])
        self.hover_text = text
        self.money.setToolTip(_tooltip(text))

    # -- keyboard ----------------------------------------------------------------------------------
    def step_cursor(self, step: int) -> str:
        """Move through the markers (policy and money) by date; the record is ringed."""
        if not self._order:
            return ""
        self._cursor = (
            (0 if step > 0 else len(self._order) - 1)
            if self._cursor is None
            else int(np.clip(self._cursor + step, 0, len(self._order) - 1))
        )
        _x, kind, rid = self._order[self._cursor]
        self.highlight(rid)
        pos = self.position_of(rid)
        if pos is not None:
            lo, hi = self.plotItem.vb.viewRange()[0]
            if not lo <= pos[0] <= hi:  # keep the cursor in view
                half = (hi - lo) / 2
                self.plotItem.setXRange(pos[0] - half, pos[0] + half, padding=0)
        return self.describe(rid) if kind == "policy_action" else self.describe_investment(rid)

    def cursor_pos(self) -> QPoint | None:
        if self._cursor is None:
            return None
        pos = self.position_of(self._order[self._cursor][2])
        return self.global_pos_of(*pos) if pos else None

    def activate_cursor(self) -> None:
        if self._cursor is None or not self._order:
            return
        _x, kind, rid = self._order[self._cursor]
        (self.sigActionClicked if kind == "policy_action" else self.sigInvestmentClicked).emit(rid)

    # -- adoption layer ------------------------------------------------------------------------------
    def _sync_overlay(self, *_args: object) -> None:
        self.overlay_box.setGeometry(self.plotItem.vb.sceneBoundingRect())
        lo, hi = self.plotItem.vb.viewRange()[0]
        self.overlay_box.setXRange(lo, hi, padding=0)

    def set_overlay(
        self, wide: pd.DataFrame | None, *, label: str = "Downloads", series: Any = None, tips: list[str] | None = None
    ) -> None:
        """Draw adoption curves (index date, one column per group, e.g. shares by country) on the
        right axis; None removes them. `series` names each row's series: a line never joins two series
        (their panels differ). `tips[i]` is what the hover on reading i says. Columns that are codes
        are named ('CN' -> 'China'). Showing an overlay switches the adoption layer on."""
        for curve in self.overlay_curves + self.overlay_dots:
            self.overlay_box.removeItem(curve)
        self.overlay_curves = []
        self.overlay_dots = []
        self.overlay_frame = wide if wide is not None and not wide.empty else None
        self.overlay_tips = list(tips or [])
        self._overlay_label = label
        self._overlay_series = series
        if self.overlay_frame is None:
            self.plotItem.hideAxis("right")
            self._build_legend()
            return
        self.layers["adoption"] = True
        self.plotItem.getAxis("right").setLabel(_escape(label))
        x = timestamps(wide.index)
        keys = np.asarray(series if series is not None else [""] * len(wide), dtype=object)
        for i, name in enumerate(str(c) for c in wide.columns):
            colour = QColor(colour_for(name, i))
            colour.setAlpha(190)
            y = wide[name].to_numpy(dtype=float)
            connect = (
                np.r_[np.isfinite(y[:-1]) & np.isfinite(y[1:]) & (keys[:-1] == keys[1:]), False]
                if len(y) > 1
                else np.zeros(len(y), dtype=bool)
            )
            filled = pd.Series(y).ffill().bfill().fillna(0.0).to_numpy()
            curve = pg.PlotDataItem(x, filled, pen=pg.mkPen(colour, width=2), connect=connect)
            curve.setProperty("series", name)
            curve.setProperty(
                "label", f"{names.country(name)} share" if label.lower().startswith("share") else names.country(name)
            )
            ok = np.isfinite(y)  # each reading a dot: a lone reading is seen, a filled gap is not
            dots = pg.ScatterPlotItem(
                x[ok], y[ok], size=6, pen=None, brush=colour, hoverable=True, tip=None, data=list(np.flatnonzero(ok))
            )
            dots.sigClicked.connect(self._on_reading_clicked)
            dots.sigHovered.connect(self._on_reading_hovered)
            curve.visibleChanged.connect(lambda c=curve, d=dots: d.setVisible(c.isVisible()))
            dots.setZValue(15)
            self.overlay_box.addItem(dots)
            self.overlay_dots.append(dots)
            self.overlay_box.addItem(curve)
            self.overlay_curves.append(curve)
        self._update_overlay_visibility()
        self._build_legend()
        self._fit_overlay()

    def _update_overlay_visibility(self) -> None:
        on = self.layers["adoption"] and bool(self.overlay_curves)
        self.overlay_box.setVisible(on)
        if on:
            self.plotItem.showAxis("right")
        else:
            self.plotItem.hideAxis("right")

    def reading_position(self, row: int, column: int = 0) -> tuple[float, float] | None:
        """Data position (x, right-axis y) of reading `row` of overlay column `column`."""
        if self.overlay_frame is None or row >= len(self.overlay_frame):
            return None
        return float(timestamps(self.overlay_frame.index[row : row + 1])[0]), float(
            self.overlay_frame.iloc[row, column]
        )

    def click_reading(self, row: int) -> None:
        self.sigReadingClicked.emit(int(row))

    def _on_reading_clicked(self, _item: object, points: list, _ev: object = None) -> None:
        if len(points):
            self.sigReadingClicked.emit(int(points[0].data()))

    def _on_reading_hovered(self, item: object, points: list, _ev: object = None) -> None:
        if not len(points):
            return
        row = int(points[0].data())
        text = self.overlay_tips[row] if row < len(self.overlay_tips) else ""
        self.hover_text = text
        item.setToolTip(_tooltip(text + ("\nClick for this reading's sources." if text else "")))

    def _fit_overlay(self) -> None:
        self.overlay_box.enableAutoRange(axis="y")
        self.overlay_box.updateAutoRange()
        self._sync_overlay()

    COMPACT_WIDTH = 720

    def resizeEvent(self, ev: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        compact = 0 < self.width() < self.COMPACT_WIDTH
        if getattr(self, "_order", None) is not None and compact != self._compact:  # built (Qt resizes during __init__)
            self._compact = compact
            self._draw()

    # -- theme -----------------------------------------------------------------------------------
    def _theme_changed(self) -> None:
        self._draw()
