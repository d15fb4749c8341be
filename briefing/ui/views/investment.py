"""Investment: horizontal bars of announced commitments in USD by country, coloured by category or
status (tooltip: original amount, conversion basis and the package's components), a filterable table
with a "Part of" column and a detail pane. Components of a package are never stacked on top of it.

Records are few (hundreds), but loading still goes through the task runner like every view.
GUI thread only.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from briefing.core import frames
from briefing.core.home import Home
from briefing.core.store import Store
from briefing.render import charts
from briefing.ui import plain
from briefing.ui.detail import DetailPane
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index, select_record
from briefing.ui.views.filters import ChoiceFilter, ExportButtons, Loader, labelled

COLUMNS = [
    ("country", "Country"), ("actor", "Actor"), ("title", "Title"), ("amount", "Amount"), ("currency", "Currency"),
    ("amount_usd", "USD"), ("announced_on", "Announced"), ("category", "Category"), ("status", "Status"),
    ("part_of", "Part of"),
]
#: Caption note whenever the shown records include components of a package.
COMPONENTS_NOTE = "Components of larger packages are not added on top of them"


def load_investments(data_path: Path) -> dict[str, Any]:
    """Worker: the investment frame and the source line of the records it holds."""
    with Store(data_path, readonly=True) as store:
        frame = frames.investment_frame(store)
        ids = {s for srcs in frame["sources"] for s in srcs}
        return {"frame": frame, "source_line": charts.source_line(store, ids)}


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for rec in frame.to_dict("records"):
        rec["announced_on"] = rec["announced_on"].strftime("%Y-%m-%d") if not pd.isna(rec["announced_on"]) else None
        for key, value in rec.items():
            if isinstance(value, float) and math.isnan(value):
                rec[key] = None
        rows.append(rec)
    return rows


class InvestmentView(QWidget):
    """The Investment view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`; `loaded` after data lands."""

    loaded = Signal()

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName("Investment view")
        self.frame: pd.DataFrame | None = None
        self.shown = pd.DataFrame(columns=frames.INVESTMENT_COLUMNS)
        self._pending: tuple[str, str] | None = None
        self.loader = Loader(self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(lambda m: self.status.setText(f"Could not load investments: {m}"))

        self.colour_combo = QComboBox()
        self.colour_combo.setAccessibleName("Colour bars by")
        self.colour_combo.addItem("Category", "category")
        self.colour_combo.addItem("Status", "status")
        self.colour_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.country_filter = ChoiceFilter("Country")
        self.category_filter = ChoiceFilter("Category")
        self.status_filter = ChoiceFilter("Status")
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter by title or actor")
        self.text_filter.setAccessibleName("Investment text filter")
        for f in (self.country_filter, self.category_filter, self.status_filter):
            f.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.text_filter.textChanged.connect(lambda _t: self.apply_filters())
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom")
        self.status = plain.label("Loading…", name="Investment status", wrap=True)

        controls = QHBoxLayout()
        controls.addWidget(labelled("Colour by", self.colour_combo))
        for text, widget in (("Country", self.country_filter), ("Category", self.category_filter),
                             ("Status", self.status_filter)):
            controls.addWidget(labelled(text, widget))
        controls.addWidget(self.text_filter, 1)
        controls.addWidget(self.reset_button)

        self.chart = charts.InvestmentChart()
        self.reset_button.clicked.connect(self.chart.reset_view)
        self.chart.sigRecordsClicked.connect(lambda ids: self.show_record("investment", ids[0]))
        self.table_model = RecordTableModel(kind="investment", columns=COLUMNS, parent=self)  # Qt-owned
        self.table = make_table_view(self.table_model, name="Investments table")
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_selected(cur))
        for column, width in ((1, 70), (2, 180), (3, 260), (4, 130), (5, 70), (6, 130)):
            self.table.setColumnWidth(column, width)
        self.rows_label = plain.label("", name="Investments shown")
        self.unconverted_label = plain.label("", name="Records without a USD figure", wrap=True)
        self.exports = ExportButtons(home, table=self.table, table_kind="investments", chart=self.chart,
                                     what="investment")
        controls.addWidget(self.exports)
        self.detail = DetailPane(home, self)
        self.detail.note_saved.connect(lambda *_: self._refresh_notes())

        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.rows_label)
        table_layout.addWidget(self.unconverted_label)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(table_box)
        bottom.addWidget(self.detail)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(self.chart)
        main.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(main, 1)

    def refresh(self) -> None:
        """Reload the records on the task runner; `loaded` follows."""
        self.status.setText("Loading investments…")
        self.status.show()
        self.loader.start(load_investments, self.home.data_path, name="load investments")

    def show_record(self, kind: str, record_id: str) -> None:
        if self.frame is None:
            self._pending = (kind, record_id)
            return
        if kind == "investment" and not select_record(self.table, kind, record_id):
            self.clear_filters()
            select_record(self.table, kind, record_id)
        self.detail.show_record(kind, record_id)

    def clear_filters(self) -> None:
        for f in (self.country_filter, self.category_filter, self.status_filter):
            f.blockSignals(True)
            f.choose(None)
            f.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Filter the records; the bars and the table both show exactly the filtered records."""
        if self.frame is None:
            return
        self.shown = frames.filter_investments(
            self.frame, countries=self.country_filter.selected(), categories=self.category_filter.selected(),
            statuses=self.status_filter.selected(), text=self.text_filter.text(),
        )
        self.chart.set_frame(self.shown, colour_by=str(self.colour_combo.currentData()))
        components = int(self.shown["part_of"].notna().sum())
        self.chart.set_meta(title=f"Announced AI commitments by country (USD), by {self.colour_combo.currentData()}",
                            note=COMPONENTS_NOTE if components else "")
        self.table_model.set_rows(_rows(self.shown))
        self.rows_label.setText(f"{len(self.shown):,} of {len(self.frame):,} commitments")
        missing = int(self.shown["amount_usd"].isna().sum())
        notes = []
        if missing:
            notes.append(f"{missing} shown without a USD figure: listed here, not in the bars.")
        if components:
            notes.append(f"{components} are components of a larger package (see Part of): listed here and in"
                         " the package's tooltip, not added on top of it.")
        self.unconverted_label.setText(" ".join(notes))

    def _on_loaded(self, data: dict[str, Any]) -> None:
        self.frame = data["frame"]
        as_of = self.frame["announced_on"].max()
        self.chart.set_meta(source_line=data["source_line"], as_of=as_of.strftime("%Y-%m-%d") if len(self.frame) else "")
        self.country_filter.set_choices(self.frame["country"])
        self.category_filter.set_choices(self.frame["category"])
        self.status_filter.set_choices(self.frame["status"])
        self._refresh_notes()
        self.apply_filters()
        self.status.setText("" if len(self.frame) else "No investment records in the data.")
        self.status.setVisible(not len(self.frame))
        if self._pending:
            kind, rid = self._pending
            self._pending = None
            self.show_record(kind, rid)
        self.loaded.emit()

    def _refresh_notes(self) -> None:
        with self.home.notes() as notes:
            self.table_model.set_note_keys(notes.keys())

    def _on_selected(self, index: Any) -> None:
        ref = ref_at_view_index(self.table, index)
        if ref is not None:
            self.detail.show_record(ref.kind, ref.id)
