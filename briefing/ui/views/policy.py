"""Policy timeline: one lane per jurisdiction on a date axis, markers coloured by stance on open
models and shaped by instrument; hover for a summary, click to open the action in the detail pane;
filters for jurisdiction, instrument, stage, stance, relevance (core / context) and topic (e.g. model
weights) and dates; an optional adoption overlay.

Data loads on the task runner (the overlay's adoption frame only when first asked for).
GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QWidget

from briefing.core import frames, readings
from briefing.core.home import Home
from briefing.core.records import RecordRef
from briefing.core.store import Store
from briefing.render.chart_base import source_line
from briefing.render.policy_chart import PolicyTimelineChart
from briefing.ui.tasks import Loader
from briefing.ui.views.filters import ChoiceFilter, DateRange
from briefing.ui.views.record_view import RecordView

COLUMNS = [
    ("date", "Date"), ("jurisdiction", "Jurisdiction"), ("title", "Title"), ("body", "Body"),
    ("instrument", "Instrument"), ("stage", "Stage"), ("stance", "Stance on open models"),
    ("relevance", "Relevance"), ("topics", "Topics"),
]


def load_policy(data_path: Path) -> dict[str, Any]:
    """Worker: the policy frame and the source line of its records."""
    with Store(data_path, readonly=True) as store:
        frame = frames.policy_frame(store)
        ids = {s for srcs in frame["sources"] for s in srcs}
        return {"frame": frame, "source_line": source_line(store, ids)}


def load_overlay(data_path: Path) -> pd.DataFrame:
    """Worker: China's and the US's share of each reading's 30-day downloads, for the overlay
    (shares, not sums: sums jump wherever the panel of repos changes)."""
    with Store(data_path, readonly=True) as store:
        frame = readings.readings_frame(store, metric="downloads_30d")
    table = readings.shares(readings.select(frame, readings.SHARE_SERIES))
    return table[table["total"] > 0]


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = frame.to_dict("records")
    for rec in rows:
        rec["date"] = rec["date"].strftime("%Y-%m-%d")
    return rows


class PolicyView(RecordView):
    """The Policy view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`; `loaded` after data lands."""

    overlay_loaded = Signal()
    record_kind = "policy_action"
    load_error = "Could not load policy actions"

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(home, parent, title="Policy")
        self.frame: pd.DataFrame | None = None
        self.shown = pd.DataFrame(columns=frames.POLICY_COLUMNS)
        self.adoption: pd.DataFrame | None = None
        self.overlay_loader = Loader(self)
        self.overlay_loader.loaded.connect(self._on_overlay_loaded)
        self.overlay_loader.failed.connect(lambda m: self._show_status(f"Could not load the adoption overlay: {m}"))

        self.jurisdiction_filter = ChoiceFilter("Jurisdiction")
        self.instrument_filter = ChoiceFilter("Instrument")
        self.stage_filter = ChoiceFilter("Stage")
        self.stance_filter = ChoiceFilter("Stance")
        self.relevance_filter = ChoiceFilter("Relevance")
        self.topic_filter = ChoiceFilter("Topic")
        self.dates = DateRange()
        self._add_filters((self.jurisdiction_filter, self.instrument_filter, self.stage_filter, self.stance_filter,
                           self.relevance_filter, self.topic_filter),
                          placeholder="Filter by title, body or summary", name="Policy text filter")
        self.dates.changed.connect(self.apply_filters)
        self.overlay_box = QCheckBox("Adoption overlay")
        self.overlay_box.setAccessibleName("Show China's and the US's share of 30-day downloads on the right axis")
        self.overlay_box.toggled.connect(self._on_overlay_toggled)
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom")

        filters_row = QHBoxLayout()
        self._add_filter_captions(filters_row)
        filters_row.addStretch(1)
        second_row = QHBoxLayout()
        second_row.addWidget(self.dates)
        second_row.addWidget(self.text_filter, 1)
        second_row.addWidget(self.overlay_box)
        second_row.addWidget(self.reset_button)

        self.chart = PolicyTimelineChart()
        self.chart.sigActionClicked.connect(lambda action_id: self.show_record("policy_action", action_id))
        self.reset_button.clicked.connect(self.chart.reset_view)
        self._add_table(columns=COLUMNS, name="Policy actions table",
                        widths=((1, 90), (2, 90), (3, 300), (4, 180), (5, 120), (6, 90)),
                        rows_name="Policy actions shown", chart=self.chart, table_kind="policy-actions", what="policy")
        filters_row.addWidget(self.exports)
        self._lay_out(controls=[filters_row, second_row], chart=self.chart)

    def refresh(self) -> None:
        """Reload the actions (and the overlay, if shown) on the task runner; `loaded` follows."""
        self._show_status("Loading policy actions…")
        self.loader.start(load_policy, self.home.data_path, name="load policy actions")
        if self.overlay_box.isChecked():
            self.overlay_loader.start(load_overlay, self.home.data_path, name="load adoption overlay")
        else:
            self.adoption = None

    def _has_data(self) -> bool:
        return self.frame is not None

    def _reset_filter_widgets(self) -> None:
        super()._reset_filter_widgets()
        if self.frame is not None and len(self.frame):
            self.dates.blockSignals(True)
            self.dates.set_bounds(self.frame["date"].min(), self.frame["date"].max())
            self.dates.blockSignals(False)

    def _open_in_detail(self, kind: str, record_id: str) -> None:
        # a chart click selects the row, whose selection opens the record already: open it once
        if self.detail.current() != RecordRef(kind, record_id):
            self.detail.show_record(kind, record_id)

    def apply_filters(self) -> None:
        """Filter the actions; the timeline and the table show exactly the filtered actions."""
        if self.frame is None:
            return
        start, end = self.dates.values() if len(self.frame) else (None, None)
        self.shown = frames.filter_policy(
            self.frame, jurisdictions=self.jurisdiction_filter.selected(),
            instruments=self.instrument_filter.selected(), stages=self.stage_filter.selected(),
            stances=self.stance_filter.selected(), relevances=self.relevance_filter.selected(),
            topics=self.topic_filter.selected(), start=start, end=end, text=self.text_filter.text(),
        )
        self.chart.set_frame(self.shown)
        self.table_model.set_rows(_rows(self.shown))
        self.rows_label.setText(f"{len(self.shown):,} of {len(self.frame):,} policy actions")
        self._update_overlay()

    # -- internals ---------------------------------------------------------------------------------
    def _on_loaded(self, data: dict[str, Any]) -> None:
        self.frame = data["frame"]
        frame = self.frame
        # dated by what had happened: a scheduled milestone's date is not the data's date
        self.chart.set_meta(source_line=data["source_line"], as_of=frames.policy_data_date(frame))
        self.jurisdiction_filter.set_choices(frame["jurisdiction"])
        self.instrument_filter.set_choices(frame["instrument"])
        self.stage_filter.set_choices(frame["stage"])
        self.stance_filter.set_choices(frame["stance"])
        self.relevance_filter.set_choices(frame["relevance"].fillna("unassessed"))
        self.topic_filter.set_choices(t for ts in frame["topics"] for t in (ts or ()))
        if len(frame):
            self.dates.set_bounds(frame["date"].min(), frame["date"].max())
        self._refresh_notes()
        self.apply_filters()
        self._show_status("" if len(frame) else "No policy actions in the data.")
        self._load_finished()

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
        self.chart.set_overlay(self.adoption[["CN", "US"]], series=self.adoption["series"],
                               label="Share of 30-day downloads (%)")
