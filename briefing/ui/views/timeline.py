"""`TimelineBox`: the combined timeline (policy, money, adoption on one date axis) with its layer
switches, as the Policy view and the Overview show it.

It owns a `PolicyTimelineChart` and loads the layers it is asked for on the task runner (each only
when first switched on): the investment records and each 30-day-download reading's developer-country
shares. A click on one marker emits `record_chosen(kind, id)`; on markers that overlap, a pick list
opens at the cursor (`pick_menu`) so the click never opens a different record; a click on a reading
emits `reading_chosen(title, kind text, fields, source ids)` for a detail pane's `show_summary`.
The owner feeds the policy layer (`set_actions`) and filters the money layer (`filter_money`).
GUI thread only; the workers open their own read-only Store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import QCheckBox, QMenu, QVBoxLayout, QWidget

from briefing.core import frames, numbers, readings
from briefing.core.home import Home
from briefing.core.store import Store
from briefing.render.policy_chart import LAYER_LABELS, LAYERS, PolicyTimelineChart
from briefing.render.share_chart import share_text
from briefing.ui import plain
from briefing.ui.flow import FlowLayout
from briefing.ui.tasks import Loader

LAYER_TIPS = {
    "policy": "Policy actions, one lane per jurisdiction (colour: stance on open models; shape: instrument)",
    "investment": "Investment commitments at their announcement date, marker area proportional to the USD amount",
    "adoption": "China's and the United States' share of each reading's 30-day Hugging Face downloads (right axis)",
}
SHARE_LABEL = "Share of downloads (%)"


def load_policy_layer(data_path: Path) -> pd.DataFrame:
    """Worker: every policy action (the Overview's timeline; the Policy view loads its own)."""
    with Store(data_path, readonly=True) as store:
        return frames.policy_frame(store)


def load_investment_layer(data_path: Path) -> pd.DataFrame:
    """Worker: every investment record (the money layer filters it on the GUI thread)."""
    with Store(data_path, readonly=True) as store:
        return frames.investment_frame(store)


def load_share_layer(data_path: Path) -> pd.DataFrame:
    """Worker: each reading's developer-country shares of 30-day downloads (readings with downloads)."""
    with Store(data_path, readonly=True) as store:
        frame = readings.readings_frame(store, metric="downloads_30d")
    table = readings.shares(readings.select(frame, readings.SHARE_SERIES))
    return table[table["total"] > 0] if len(table) else table


def reading_tip(row: pd.Series, day: pd.Timestamp) -> str:
    info = readings.SERIES[str(row["series"])]
    return f"{day.date().isoformat()} · {info.label}\n{share_text(row)}\n{int(row['n_repos']):,} repos in this reading"


class TimelineBox(QWidget):
    """See the module docstring. `layers` are the ones switched on at first."""

    record_chosen = Signal(str, str)
    reading_chosen = Signal(str, str, list, list)
    layer_loaded = Signal(str)

    def __init__(
        self,
        home: Home,
        parent: QWidget | None = None,
        *,
        layers: tuple[str, ...] = ("policy",),
        own_shares: bool = True,
    ) -> None:
        super().__init__(parent)
        self.home = home
        #: False: the owner hands the share table over (`set_share_table`), so it is read once
        self.own_shares = own_shares
        self.money: pd.DataFrame | None = None
        self.shares: pd.DataFrame | None = None
        self._money_filter: dict[str, Any] = {}
        self.pick_menu: QMenu | None = None
        self.chart = PolicyTimelineChart()
        self.chart.set_layers(**{name: name in layers for name in LAYERS})
        self.chart.sigActionClicked.connect(lambda rid: self.record_chosen.emit("policy_action", rid))
        self.chart.sigInvestmentClicked.connect(lambda rid: self.record_chosen.emit("investment", rid))
        self.chart.sigActionsClicked.connect(lambda ids, where: self.offer("policy_action", ids, where))
        self.chart.sigInvestmentsClicked.connect(lambda ids, where: self.offer("investment", ids, where))
        self.chart.sigReadingClicked.connect(self._on_reading)
        self.money_loader = Loader(self)
        self.money_loader.loaded.connect(self._on_money_loaded)
        self.share_loader = Loader(self)
        self.share_loader.loaded.connect(self._on_shares_loaded)
        self.status = plain.label("", name="Timeline status", wrap=True)
        self.status.hide()
        for loader, what in ((self.money_loader, "investment"), (self.share_loader, "adoption")):
            loader.failed.connect(
                lambda m, w=what: self._say(f"Could not load the {LAYER_LABELS[w].lower()} layer: {m}")
            )
        self.layer_boxes: dict[str, QCheckBox] = {}
        self.layer_row = FlowLayout()
        self.layer_row.addWidget(plain.label("Layers:"))
        for name in LAYERS:
            box = QCheckBox(LAYER_LABELS[name])
            box.setAccessibleName(f"Show the {LAYER_LABELS[name].lower()} layer")
            box.setToolTip(LAYER_TIPS[name])
            box.setChecked(name in layers)
            box.toggled.connect(lambda on, n=name: self.set_layer(n, on))
            self.layer_boxes[name] = box
            self.layer_row.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.layer_row)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.status)

    # -- layers -------------------------------------------------------------------------------------
    def layers(self) -> tuple[str, ...]:
        return tuple(n for n in LAYERS if self.chart.layer_on(n))

    def set_layer(self, name: str, on: bool) -> None:
        """Switch a layer (loading its data the first time)."""
        box = self.layer_boxes[name]
        if box.isChecked() != on:
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.chart.set_layers(**{name: on})
        if on:
            self._ensure(name)
        self.chart.fit_dates()

    def refresh(self) -> None:
        """Reload the data of the layers that are on (after a sync); the others when switched on."""
        self.money = None
        self.shares = None
        for name in self.layers():
            self._ensure(name, again=True)

    def _ensure(self, name: str, *, again: bool = False) -> None:
        if name == "investment" and self.money is None and (again or not self.money_loader.busy()):
            self.money_loader.start(load_investment_layer, self.home.data_path, name="load timeline investments")
        elif name == "adoption" and self.own_shares and self.shares is None and (again or not self.share_loader.busy()):
            self.share_loader.start(load_share_layer, self.home.data_path, name="load timeline shares")

    def busy(self) -> bool:
        return self.money_loader.busy() or self.share_loader.busy()

    # -- data in -----------------------------------------------------------------------------------
    def set_actions(self, actions: pd.DataFrame) -> None:
        self.chart.set_frame(actions)

    def filter_money(self, *, countries: set[str] | None = None, start: Any = None, end: Any = None) -> None:
        """Which commitments the money layer shows (the owner's jurisdiction and date filters)."""
        self._money_filter = {"countries": countries, "start": start, "end": end}
        self._draw_money()

    def _draw_money(self) -> None:
        if self.money is None:
            return
        f = self._money_filter
        self.chart.set_investments(
            frames.filter_investments(self.money, countries=f.get("countries"), start=f.get("start"), end=f.get("end"))
        )

    def _on_money_loaded(self, frame: pd.DataFrame) -> None:
        self.money = frame
        self._draw_money()
        self.chart.fit_dates()
        self.layer_loaded.emit("investment")

    def set_share_table(self, table: pd.DataFrame) -> None:
        """The adoption layer's shares (a `readings.shares` table), loaded by the owner."""
        self._on_shares_loaded(table[table["total"] > 0] if len(table) else table)

    def _on_shares_loaded(self, table: pd.DataFrame) -> None:
        self.shares = table
        if len(table):
            tips = [reading_tip(row, day) for day, (_i, row) in zip(table.index, table.iterrows())]
            self.chart.set_overlay(table[["CN", "US"]], series=table["series"], label=SHARE_LABEL, tips=tips)
            self.chart.set_layers(adoption=self.layer_boxes["adoption"].isChecked())
        else:
            self._say("No 30-day download readings in the data: the adoption layer is empty.")
        self.chart.fit_dates()
        self.layer_loaded.emit("adoption")

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- clicks ------------------------------------------------------------------------------------
    def offer(self, kind: str, ids: list[str], where: QPoint) -> QMenu:
        """A pick list of overlapping records at the cursor; choosing one emits `record_chosen`."""
        menu = QMenu(self)
        menu.setAccessibleName("Records under the cursor")
        menu.setToolTipsVisible(True)
        head = menu.addAction(f"{len(ids)} records here: choose one")
        head.setEnabled(False)
        for rid in ids:
            text = self.chart.describe(rid) if kind == "policy_action" else self.chart.describe_investment(rid)
            first, _, rest = text.partition("\n")
            date_where = rest.split("\n")[0].split(" · ")[:2]
            label = f"{' · '.join(date_where)} · {first}" if text else rid
            action = menu.addAction(plain.button_text(label[:140]))
            action.setToolTip(text)
            action.setData(rid)
            action.triggered.connect(lambda _=False, k=kind, r=rid: self.record_chosen.emit(k, r))
        menu.popup(where)
        self.pick_menu = menu
        return menu

    def _on_reading(self, row: int) -> None:
        table = self.shares
        if table is None or row >= len(table):
            return
        r = table.iloc[row]
        day = table.index[row].date().isoformat()
        info = readings.SERIES[str(r["series"])]
        with self.home.store() as store:
            ids = store.reading_source_ids(metric="downloads_30d", series=[str(r["series"])])
        fields = [
            (readings.BUCKET_LABELS[b], f"{r[b]:.1f}% of the reading's 30-day downloads") for b in readings.BUCKETS
        ]
        fields += [
            ("Reading", f"{info.label}, {day}"),
            ("Repos covered", f"{int(r['n_repos']):,} ({info.population})"),
            ("30-day downloads", numbers.number(float(r["total"]), style="full")),
            (
                "Method",
                "Each repo's 30-day downloads in this reading, attributed to its developer's country "
                "(Help > Methods and definitions: shares and attribution); not comparable across series.",
            ),
        ]
        self.reading_chosen.emit(
            f"Download share by developer country, {day}", "Adoption reading (a sum over repos)", fields, list(ids)
        )
