"""`InvestmentChart`: horizontal stacked bars of AI investment commitments in USD by country,
coloured by scope, confirmation, kind, status or category; hover lists a segment's records, a click
selects them.

GUI thread only (like every QWidget).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QWidget

from briefing.core import frames, numbers
from briefing.core.figures import place_name
from briefing.render.chart_base import PALETTE, ChartWidget, CountAxis, _escape, _tooltip
from briefing.render.legend import add_legend

STATUS_COLOURS = {
    "reported": "#CC79A7", "announced": "#E69F00", "committed": "#56B4E9", "disbursing": "#0072B2",
    "completed": "#009E73", "withdrawn": "#9A9A9A",
}
#: Fixed colours for the coded values, so a value keeps its colour whatever else is shown.
VALUE_COLOURS = {
    "status": STATUS_COLOURS,
    "scope": {"ai": "#0072B2", "ai_and_other": "#56B4E9", "semiconductors": "#E69F00", "compute": "#009E73",
              "unassessed": "#9A9A9A"},
    "confirmation": {"official": "#0072B2", "press_reported": "#CC79A7", "unassessed": "#9A9A9A"},
    "kind": {"public_budget": "#0072B2", "sovereign_fund": "#009E73", "private_pledge": "#E69F00",
             "public_private": "#56B4E9", "unassessed": "#9A9A9A"},
}


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
        self.colour_by = "scope"
        self.plotItem.setLabel("bottom", "Commitments (USD, each counted once)")
        self.plotItem.setMouseEnabled(x=True, y=False)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def set_frame(self, investments: pd.DataFrame, *, colour_by: str = "scope") -> None:
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
            self.legend.add_header(f"{colour_by.replace('_', ' ').title()}:")
        n = len(self.wide)
        y = np.arange(n, dtype=float)
        left = np.zeros(n)
        for i, col in enumerate(self.wide.columns):
            width = self.wide[col].to_numpy(dtype=float) / 1e9
            colour = VALUE_COLOURS.get(colour_by, {}).get(col, PALETTE[i % len(PALETTE)])
            item = pg.BarGraphItem(x0=left.copy(), y=y, height=0.7, width=width, brush=colour, pen=pg.mkPen(None))
            self.plotItem.addItem(item)
            self.legend.addItem(item, col.replace("_", " "))  # plain text
            self.bars[col] = item
            left += width
        # names, not codes (a printed chart has no tooltip to explain 'SA' or 'INT'); the axis is as
        # wide as the longest name, or pyqtgraph drops the labels that do not fit
        names = [place_name(str(c)) for c in self.wide.index]
        axis = self.plotItem.getAxis("left")
        axis.setTicks([[(float(i), _escape(name)) for i, name in enumerate(names)]])
        metrics = QFontMetricsF(axis.style.get("tickFont") or axis.font())
        axis.setWidth(max([metrics.horizontalAdvance(n) for n in names] + [20.0]) + 14)
        axis.setStyle(hideOverlappingLabels=False)
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
                f"{r.title}\n  {numbers.number(r.amount, style='full')} {r.currency} = {numbers.usd(r.amount_usd, style='short')}"
                f" ({str(r.scope).replace('_', ' ')}, {str(r.confirmation).replace('_', ' ')}, {str(r.kind).replace('_', ' ')},"
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
