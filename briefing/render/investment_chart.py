"""`InvestmentChart`: horizontal stacked bars of AI investment commitments in USD by country (by
name), coloured by scope, confirmation, kind, status or category; hover lists a segment's records, a
click selects them and the selected record's segment is outlined (`highlight`). The key filters: a
click on a value emits `sigKeyClicked(field, value)` for the view to filter by it (hiding a segment
in place would misstate a bar's total; a filter is named in the toolbar and the bars are re-summed),
and the values the filters leave out are faded. Left/Right step through the bars (keyboard).

GUI thread only (like every QWidget).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QWidget

from briefing.core import frames, names, numbers
from briefing.render.chart_base import ChartWidget, CountAxis, _escape, _tooltip
from briefing.render.legend import add_legend
from briefing.render.palette import PALETTE, STATUS_COLOURS, VALUE_COLOURS  # noqa: F401 - re-exported


class InvestmentChart(ChartWidget):
    """Horizontal stacked bars of USD commitments by country, coloured by category or status;
    hovering a bar segment shows its records with original amounts and conversion basis; a click
    on one emits `sigRecordsClicked(list of ids)`."""

    sigRecordsClicked = Signal(list)
    #: the key was clicked: (field = the colour-by field, value)
    sigKeyClicked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        # bars are drawn in USD billions; the axis labels them as $50B, like every other figure
        super().__init__(parent, axis_items={"bottom": CountAxis("bottom", unit=1e9, prefix="$")})
        # the key filters (through the view's filter): hiding one segment would misstate the totals
        self.legend = add_legend(self.plotItem, text_colour=self._fg, interactive=False, filters=True)
        self.legend.sigKeyClicked.connect(lambda key: self.sigKeyClicked.emit(*key.split(":", 1)))
        self.key_values: list[str] = []
        self.key_kept: set[str] | None = None
        self.outline_item = pg.BarGraphItem(x0=[], y=[], height=[], width=[], brush=None)
        self.outline_item.setZValue(20)
        self.plotItem.addItem(self.outline_item)
        self.highlighted: str | None = None
        self._cursor: int | None = None
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.records = pd.DataFrame(columns=frames.INVESTMENT_COLUMNS)
        self.wide = pd.DataFrame()
        self.colour_by = "scope"
        self.plotItem.setLabel("bottom", "Commitments (USD, each counted once)")
        self.plotItem.setMouseEnabled(x=True, y=False)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def set_frame(
        self,
        investments: pd.DataFrame,
        *,
        colour_by: str = "scope",
        key_values: list[str] | None = None,
        kept: set[str] | None = None,
    ) -> None:
        """Show an `investment_frame` (filtered as wished); bars are `investment_by_country` sums.
        `key_values` are every value of `colour_by` in the data (the key lists them all, so a filtered
        one can be clicked back); `kept` the ones the view's filter keeps (None: all)."""
        self.records = investments
        self.colour_by = colour_by
        self.key_values = list(key_values) if key_values is not None else []
        self.key_kept = set(kept) if kept else None
        wide = frames.investment_by_country(investments, colour_by) if len(investments) else pd.DataFrame()
        # largest at the top: pyqtgraph's y grows upwards, so reverse
        self.wide = wide.iloc[::-1] if len(wide) else wide
        for item in self.bars.values():
            self.plotItem.removeItem(item)
        self.bars = {}
        self.legend.clear()
        if len(self.wide.columns):
            self.legend.add_header(f"{colour_by.replace('_', ' ').title()}:")
        n = len(self.wide)
        y = np.arange(n, dtype=float)
        left = np.zeros(n)
        shown = [str(c) for c in self.wide.columns]
        listed = shown + [v for v in self.key_values if v not in shown]
        if listed and not len(self.wide.columns):
            self.legend.add_header(f"{colour_by.replace('_', ' ').title()}:")
        for i, col in enumerate(listed):
            colour = VALUE_COLOURS.get(colour_by, {}).get(col, PALETTE[i % len(PALETTE)])
            if col in shown:
                width = self.wide[col].to_numpy(dtype=float) / 1e9
                item = pg.BarGraphItem(x0=left.copy(), y=y, height=0.7, width=width, brush=colour, pen=pg.mkPen(None))
                self.plotItem.addItem(item)
                self.bars[col] = item
                left += width
            else:  # filtered out: listed (faded) so a click brings it back
                item = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=colour, pen=pg.mkPen(None))
            entry = self.legend.addItem(item, names.code_words(col))  # plain text
            entry.set_key(
                f"{colour_by}:{col}", f"Click to show only (or also) {names.code_words(col)}; click again to drop it"
            )
        self.legend.set_dimmed(
            {f"{colour_by}:{v}" for v in listed if self.key_kept is not None and v not in self.key_kept}
        )
        # names, not codes (a printed chart has no tooltip to explain 'SA' or 'INT'); the axis is as
        # wide as the longest name, or pyqtgraph drops the labels that do not fit
        labels = [names.country(str(c)) for c in self.wide.index]
        axis = self.plotItem.getAxis("left")
        axis.setTicks([[(float(i), _escape(name)) for i, name in enumerate(labels)]])
        metrics = QFontMetricsF(axis.style.get("tickFont") or axis.font())
        axis.setWidth(max([metrics.horizontalAdvance(n) for n in labels] + [20.0]) + 14)
        axis.setStyle(hideOverlappingLabels=False)
        self._cursor = None
        self.reset_view()
        self._draw_outline()

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

    def segment_of(self, record_id: str) -> tuple[int, float, float] | None:
        """(bar row, x0, width) in billions of the segment holding a record (or its package), or None."""
        r = self.records
        if not len(self.wide) or "id" not in r:
            return None
        counted = r.loc[frames.counted_investments(r)]
        seen: set[str] = set()
        rid: str | None = record_id
        while rid is not None and rid not in seen and rid not in set(counted["id"]):
            seen.add(rid)
            up = r.loc[r["id"] == rid, "part_of"]
            rid = str(up.iloc[0]) if len(up) and isinstance(up.iloc[0], str) else None
        if rid is None:
            return None
        rec = counted.loc[counted["id"] == rid].iloc[0]
        if rec["country"] not in self.wide.index or str(rec[self.colour_by]) not in self.wide.columns:
            return None
        i = list(self.wide.index).index(rec["country"])
        row = self.wide.iloc[i] / 1e9
        j = list(self.wide.columns).index(str(rec[self.colour_by]))
        return i, float(row.iloc[:j].sum()), float(row.iloc[j])

    def highlight(self, record_id: str | None) -> None:
        """Outline the segment of the record shown in the detail pane (None: none)."""
        self.highlighted = record_id
        self._draw_outline()

    def _draw_outline(self) -> None:
        seg = self.segment_of(self.highlighted) if self.highlighted else None
        if seg is None:
            self.outline_item.setOpts(x0=[], y=[], height=0.8, width=[])
            return
        i, x0, w = seg
        pen = pg.mkPen(self.palette().color(self.palette().ColorRole.Highlight), width=3)
        self.outline_item.setOpts(x0=[x0], y=[float(i)], height=0.82, width=[max(w, 1e-9)], brush=None, pen=pen)

    # -- keyboard ----------------------------------------------------------------------------------
    def step_cursor(self, step: int) -> str:
        """Move through the bars, largest first; the readout gives the bar's total and segments."""
        n = len(self.wide)
        if not n:
            return ""
        order = list(range(n - 1, -1, -1))  # top (largest) first
        self._cursor = (
            0
            if self._cursor is None and step > 0
            else (n - 1 if self._cursor is None else int(np.clip(self._cursor + step, 0, n - 1)))
        )
        i = order[self._cursor]
        row = self.wide.iloc[i]
        parts = "; ".join(f"{names.code_words(c)} {numbers.usd(v, style='short')}" for c, v in row.items() if v > 0)
        return f"{names.country(self.wide.index[i])}: {numbers.usd(float(row.sum()), style='short')} ({parts})"

    def cursor_pos(self) -> QPoint | None:
        if self._cursor is None or not len(self.wide):
            return None
        i = len(self.wide) - 1 - self._cursor
        return self.global_pos_of(float(self.wide.iloc[i].sum()) / 1e9, float(i))

    def activate_cursor(self) -> None:
        if self._cursor is None or not len(self.wide):
            return
        i = len(self.wide) - 1 - self._cursor
        country = self.wide.index[i]
        r = self.records
        ids = [str(x) for x in r.loc[(r["country"] == country) & frames.counted_investments(r), "id"]]
        if ids:
            self.sigRecordsClicked.emit(ids)

    def _theme_changed(self) -> None:
        self._draw_outline()

    def describe(self, records: pd.DataFrame) -> str:
        """Plain text for a tooltip: each record's title, original amount and conversion basis, then
        the components of it among the shown records (listed, not added)."""
        lines = []
        for r in records.itertuples():
            lines.append(
                f"{r.title}\n  {numbers.number(r.amount, style='full')} {r.currency} = {numbers.usd(r.amount_usd, style='short')}"
                f" ({names.code_words(r.scope)}, {names.code_words(r.confirmation)}, {names.code_words(r.kind)},"
                f" {r.status})\n  Basis: {r.usd_basis if isinstance(r.usd_basis, str) and r.usd_basis else 'original amount in USD'}"
            )
            for c in frames.investment_components(self.records, r.id).itertuples():
                usd = f" ({numbers.usd(c.amount_usd, style='short')})" if c.amount_usd == c.amount_usd else ""
                lines.append(f"  Includes: {c.title}: {numbers.number(c.amount, style='full')} {c.currency}{usd}")
        return "\n".join(lines)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        recs = self.records_at(p.x(), p.y())
        text = self.describe(recs) if len(recs) else ""
        self.hover_text = text
        self.setToolTip(_tooltip(text) if text else "")

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
