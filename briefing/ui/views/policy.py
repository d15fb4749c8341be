"""Policy timeline: one lane per jurisdiction on a date axis, markers coloured by stance on open
models and shaped by instrument; hover for a summary, click to open the action in the detail pane;
filters for jurisdiction, instrument, stage, stance and dates; an optional adoption overlay.

Data loads on the task runner (the overlay's adoption frame only when first asked for).
GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from briefing.core import frames
from briefing.core.home import Home
from briefing.core.records import RecordRef
from briefing.core.store import Store
from briefing.render import charts
from briefing.ui import plain
from briefing.ui.detail import DetailPane
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index, select_record
from briefing.ui.views.filters import ChoiceFilter, DateRange, ExportButtons, Loader, labelled

COLUMNS = [
    ("date", "Date"), ("jurisdiction", "Jurisdiction"), ("title", "Title"), ("body", "Body"),
    ("instrument", "Instrument"), ("stage", "Stage"), ("stance", "Stance on open models"),
]


def load_policy(data_path: Path) -> dict[str, Any]:
    """Worker: the policy frame and the source line of its records."""
    with Store(data_path, readonly=True) as store:
        frame = frames.policy_frame(store)
        ids = {s for srcs in frame["sources"] for s in srcs}
        return {"frame": frame, "source_line": charts.source_line(store, ids)}


def load_overlay(data_path: Path) -> pd.DataFrame:
    """Worker: cumulative downloads by country, for the overlay."""
    with Store(data_path, readonly=True) as store:
        frame = frames.adoption_frame(store, metric="downloads_total")
    frames.group_adoption(frame, "country")  # build the dense cache off the GUI thread
    return frame


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = frame.to_dict("records")
    for rec in rows:
        rec["date"] = rec["date"].strftime("%Y-%m-%d")
    return rows


class PolicyView(QWidget):
    """The Policy view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`; `loaded` after data lands."""

    loaded = Signal()
    overlay_loaded = Signal()

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName("Policy view")
        self.frame: pd.DataFrame | None = None
        self.shown = pd.DataFrame(columns=frames.POLICY_COLUMNS)
        self.adoption: pd.DataFrame | None = None
        self._pending: tuple[str, str] | None = None
        self.loader = Loader(self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(lambda m: self._show_status(f"Could not load policy actions: {m}"))
        self.overlay_loader = Loader(self)
        self.overlay_loader.loaded.connect(self._on_overlay_loaded)
        self.overlay_loader.failed.connect(lambda m: self._show_status(f"Could not load the adoption overlay: {m}"))

        self.jurisdiction_filter = ChoiceFilter("Jurisdiction")
        self.instrument_filter = ChoiceFilter("Instrument")
        self.stage_filter = ChoiceFilter("Stage")
        self.stance_filter = ChoiceFilter("Stance")
        self.dates = DateRange()
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter by title, body or summary")
        self.text_filter.setAccessibleName("Policy text filter")
        for f in (self.jurisdiction_filter, self.instrument_filter, self.stage_filter, self.stance_filter):
            f.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.dates.changed.connect(self.apply_filters)
        self.text_filter.textChanged.connect(lambda _t: self.apply_filters())
        self.overlay_box = QCheckBox("Adoption overlay")
        self.overlay_box.setAccessibleName("Show cumulative downloads by country on the right axis")
        self.overlay_box.toggled.connect(self._on_overlay_toggled)
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom")
        self.status = plain.label("Loading…", name="Policy status", wrap=True)

        filters_row = QHBoxLayout()
        for text, widget in (("Jurisdiction", self.jurisdiction_filter), ("Instrument", self.instrument_filter),
                             ("Stage", self.stage_filter), ("Stance", self.stance_filter)):
            filters_row.addWidget(labelled(text, widget))
        filters_row.addStretch(1)
        second_row = QHBoxLayout()
        second_row.addWidget(self.dates)
        second_row.addWidget(self.text_filter, 1)
        second_row.addWidget(self.overlay_box)
        second_row.addWidget(self.reset_button)

        self.chart = charts.PolicyTimelineChart()
        self.chart.sigActionClicked.connect(lambda action_id: self.show_record("policy_action", action_id))
        self.reset_button.clicked.connect(self.chart.reset_view)
        self.table_model = RecordTableModel(kind="policy_action", columns=COLUMNS, parent=self)  # Qt-owned
        self.table = make_table_view(self.table_model, name="Policy actions table")
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_selected(cur))
        for column, width in ((1, 90), (2, 90), (3, 300), (4, 180), (5, 120), (6, 90)):
            self.table.setColumnWidth(column, width)
        self.rows_label = plain.label("", name="Policy actions shown")
        self.exports = ExportButtons(home, table=self.table, table_kind="policy-actions", chart=self.chart,
                                     what="policy")
        filters_row.addWidget(self.exports)
        self.detail = DetailPane(home, self)
        self.detail.note_saved.connect(lambda *_: self._refresh_notes())

        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.rows_label)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(table_box)
        bottom.addWidget(self.detail)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(self.chart)
        main.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(filters_row)
        layout.addLayout(second_row)
        layout.addWidget(self.status)
        layout.addWidget(main, 1)

    def refresh(self) -> None:
        """Reload the actions (and the overlay, if shown) on the task runner; `loaded` follows."""
        self._show_status("Loading policy actions…")
        self.loader.start(load_policy, self.home.data_path, name="load policy actions")
        if self.overlay_box.isChecked():
            self.overlay_loader.start(load_overlay, self.home.data_path, name="load adoption overlay")
        else:
            self.adoption = None

    def show_record(self, kind: str, record_id: str) -> None:
        """Open a record in the detail pane; a policy action is also selected in the table."""
        if self.frame is None:
            self._pending = (kind, record_id)
            return
        if kind == "policy_action" and not select_record(self.table, kind, record_id):
            self.clear_filters()
            select_record(self.table, kind, record_id)
        if self.detail.current() != RecordRef(kind, record_id):
            self.detail.show_record(kind, record_id)

    def clear_filters(self) -> None:
        for f in (self.jurisdiction_filter, self.instrument_filter, self.stage_filter, self.stance_filter):
            f.blockSignals(True)
            f.choose(None)
            f.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        if self.frame is not None and len(self.frame):
            self.dates.blockSignals(True)
            self.dates.set_bounds(self.frame["date"].min(), self.frame["date"].max())
            self.dates.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Filter the actions; the timeline and the table show exactly the filtered actions."""
        if self.frame is None:
            return
        start, end = self.dates.values() if len(self.frame) else (None, None)
        self.shown = frames.filter_policy(
            self.frame, jurisdictions=self.jurisdiction_filter.selected(),
            instruments=self.instrument_filter.selected(), stages=self.stage_filter.selected(),
            stances=self.stance_filter.selected(), start=start, end=end, text=self.text_filter.text(),
        )
        self.chart.set_frame(self.shown)
        self.table_model.set_rows(_rows(self.shown))
        self.rows_label.setText(f"{len(self.shown):,} of {len(self.frame):,} policy actions")
        self._update_overlay()

    # -- internals ---------------------------------------------------------------------------------
    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _on_loaded(self, data: dict[str, Any]) -> None:
        self.frame = data["frame"]
        frame = self.frame
        self.chart.set_meta(source_line=data["source_line"],
                            as_of=frame["date"].max().strftime("%Y-%m-%d") if len(frame) else "")
        self.jurisdiction_filter.set_choices(frame["jurisdiction"])
        self.instrument_filter.set_choices(frame["instrument"])
        self.stage_filter.set_choices(frame["stage"])
        self.stance_filter.set_choices(frame["stance"])
        if len(frame):
            self.dates.set_bounds(frame["date"].min(), frame["date"].max())
        self._refresh_notes()
        self.apply_filters()
        self._show_status("" if len(frame) else "No policy actions in the data.")
        if self._pending:
            kind, rid = self._pending
            self._pending = None
            self.show_record(kind, rid)
        self.loaded.emit()

    def _on_overlay_toggled(self, on: bool) -> None:
        if on and self.adoption is None:
            self.overlay_loader.start(load_overlay, self.home.data_path, name="load adoption overlay")
        self._update_overlay()

    def _on_overlay_loaded(self, frame: pd.DataFrame) -> None:
        self.adoption = frame
        self._update_overlay()
        self.overlay_loaded.emit()

    def _update_overlay(self) -> None:
        if not self.overlay_box.isChecked() or self.adoption is None:
            self.chart.set_overlay(None)
            return
        self.chart.set_overlay(frames.group_adoption(self.adoption, "country"), label="Downloads (cumulative)")

    def _refresh_notes(self) -> None:
        with self.home.notes() as notes:
            self.table_model.set_note_keys(notes.keys())

    def _on_selected(self, index: Any) -> None:
        ref = ref_at_view_index(self.table, index)
        if ref is not None and self.detail.current() != ref:
            self.detail.show_record(ref.kind, ref.id)
