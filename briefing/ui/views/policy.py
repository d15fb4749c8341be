"""Policy: the combined timeline (policy actions, one lane per jurisdiction by name, colour = stance
on open models, shape = instrument; optionally investment commitments and the adoption share on the
same dates) over the table of actions, with a detail pane.

Filters (several values each; countries also by group: EU-27, G7, Gulf states, the user's own) for
jurisdiction, instrument, stage, stance, relevance (core / context) and topic (e.g. model weights),
dates and text; the key below the chart filters by stance or instrument when clicked. A click on a
marker opens the action (on overlapping markers, a pick list); the open action is ringed.

Data loads on the task runner (the money and adoption layers only when first switched on).
GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from briefing.core import frames, names
from briefing.core.home import Home
from briefing.core.records import RecordRef
from briefing.core.settings import Settings
from briefing.core.store import Store
from briefing.render.chart_base import source_line
from briefing.render.policy_chart import LAYERS
from briefing.ui.flow import FlowLayout
from briefing.ui.views.filters import ChoiceFilter, DateRange
from briefing.ui.views.record_view import RecordView
from briefing.ui.views.timeline import TimelineBox

COLUMNS = [
    ("date", "Date"),
    ("jurisdiction", "Jurisdiction"),
    ("title", "Title"),
    ("body", "Body"),
    ("instrument", "Instrument"),
    ("stage", "Stage"),
    ("stance", "Stance on open models"),
    ("relevance", "Relevance"),
    ("topics", "Topics"),
]


def load_policy(data_path: Path) -> dict[str, Any]:
    """Worker: the policy frame and the source line of its records."""
    with Store(data_path, readonly=True) as store:
        frame = frames.policy_frame(store)
        ids = {s for srcs in frame["sources"] for s in srcs}
        return {"frame": frame, "source_line": source_line(store, ids)}


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

        self.jurisdiction_filter = ChoiceFilter("Jurisdiction", label_of=names.country)
        self.jurisdiction_filter.set_groups(names.country_groups(Settings.load(home.settings_path).country_groups))
        self.instrument_filter = ChoiceFilter("Instrument")
        self.stage_filter = ChoiceFilter("Stage")
        self.stance_filter = ChoiceFilter("Stance")
        self.relevance_filter = ChoiceFilter("Relevance")
        self.topic_filter = ChoiceFilter("Topic")
        self.dates = DateRange()
        self._add_filters(
            (
                self.jurisdiction_filter,
                self.instrument_filter,
                self.stage_filter,
                self.stance_filter,
                self.relevance_filter,
                self.topic_filter,
            ),
            placeholder="Filter by title, body or summary",
            name="Policy text filter",
        )
        self.dates.changed.connect(self.apply_filters)
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom")

        self.timeline = TimelineBox(home, layers=("policy",))
        self.chart = self.timeline.chart
        self.chart.setAccessibleName("Policy timeline")
        self.timeline.record_chosen.connect(self.show_record)
        self.timeline.reading_chosen.connect(lambda *a: self.detail.show_summary(*a))
        self.timeline.layer_loaded.connect(self._on_layer_loaded)
        self.chart.sigKeyClicked.connect(self._on_key_clicked)
        self.reset_button.clicked.connect(self.chart.reset_view)
        self._add_table(
            columns=COLUMNS,
            name="Policy actions table",
            widths=((1, 90), (2, 110), (3, 300), (4, 180), (5, 120), (6, 90)),
            rows_name="Policy actions shown",
            chart=self.chart,
            table_kind="policy-actions",
            what="policy",
        )
        self.table_model.formatters["jurisdiction"] = names.country

        filters_row = FlowLayout()
        self._add_filter_captions(filters_row)
        filters_row.addWidget(self.dates)
        filters_row.addWidget(self.text_filter)
        filters_row.addWidget(self.clear_button)
        filters_row.addWidget(self.reset_button)
        filters_row.addWidget(self.exports)
        self._lay_out(controls=[filters_row], chart=self.timeline)

    @property
    def overlay_box(self) -> Any:
        """The adoption layer's switch (the old 'Adoption overlay' box)."""
        return self.timeline.layer_boxes["adoption"]

    def refresh(self) -> None:
        """Reload the actions (and the layers shown) on the task runner; `loaded` follows."""
        self._show_status("Loading policy actions…")
        self.loader.start(load_policy, self.home.data_path, name="load policy actions")
        self.timeline.refresh()

    def _has_data(self) -> bool:
        return self.frame is not None

    def filters_active(self) -> bool:
        if super().filters_active():
            return True
        if self.frame is None or not len(self.frame):
            return False
        start, end = self.dates.values()
        return start > self.frame["date"].min() or end < self.frame["date"].max()

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
        self._record_opened(kind, record_id)

    def _record_opened(self, kind: str, record_id: str) -> None:
        self._mark_detail()
        self.chart.highlight(record_id if kind in ("policy_action", "investment") else None)

    def apply_filters(self) -> None:
        """Filter the actions; the timeline and the table show exactly the filtered actions (and the
        money layer the commitments of the same countries and dates)."""
        if self.frame is None:
            return
        start, end = self.dates.values() if len(self.frame) else (None, None)
        self.shown = frames.filter_policy(
            self.frame,
            jurisdictions=self.jurisdiction_filter.selected(),
            instruments=self.instrument_filter.selected(),
            stages=self.stage_filter.selected(),
            stances=self.stance_filter.selected(),
            relevances=self.relevance_filter.selected(),
            topics=self.topic_filter.selected(),
            start=start,
            end=end,
            text=self.text_filter.text(),
        )
        self.timeline.set_actions(self.shown)
        # the money layer follows the jurisdiction filter, and the dates only once the user narrows them
        # (the policy data's own span would hide a commitment announced after the last action)
        narrowed = (
            self.filters_active()
            and len(self.frame)
            and (start > self.frame["date"].min() or end < self.frame["date"].max())
        )
        self.timeline.filter_money(
            countries=self.jurisdiction_filter.selected(),
            start=start if narrowed else None,
            end=end if narrowed else None,
        )
        self.chart.set_key_filter("stance", self.stance_filter.selected())
        self.chart.set_key_filter("instrument", self.instrument_filter.selected())
        self.table_model.set_rows(_rows(self.shown))
        self.rows_label.setText(f"{len(self.shown):,} of {len(self.frame):,} policy actions")
        self._filtered(self.shown["id"])
        self.chart.highlight(self.detail.current().id if self.detail.current() else None)

    def _on_key_clicked(self, field: str, value: str) -> None:
        """A click on the key toggles that stance or instrument in its filter."""
        target = {"stance": self.stance_filter, "instrument": self.instrument_filter}.get(field)
        if target is None or value not in target.choices():
            return
        ticked = set(target.selected() or ())
        target.choose(ticked ^ {value})

    # -- view state --------------------------------------------------------------------------------
    def _extra_keys(self) -> tuple[str, ...]:
        return ("from", "to", "layers")

    def _extra_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "layers": list(self.timeline.layers()) if self.timeline.layers() != ("policy",) else None
        }
        if self.frame is not None and len(self.frame):
            start, end = self.dates.values()
            state["from"] = start.date().isoformat() if start > self.frame["date"].min() else None
            state["to"] = end.date().isoformat() if end < self.frame["date"].max() else None
        return state

    def _apply_extra_state(self, state: dict[str, list[str]]) -> list[str]:
        bad: list[str] = []
        if self.frame is not None and len(self.frame):
            self.dates.blockSignals(True)
            self.dates.set_bounds(self.frame["date"].min(), self.frame["date"].max())
            for key, edit in (("from", self.dates.start), ("to", self.dates.end)):
                if state.get(key):
                    try:
                        day = pd.Timestamp(state[key][0])
                    except ValueError:
                        bad.append(key)
                        continue
                    edit.setDate(QDate(day.year, day.month, day.day))
            self.dates.blockSignals(False)
        if "layers" in state:
            wanted = set(state["layers"])
            bad += [f"layers={w}" for w in wanted - set(LAYERS)]
            for name in LAYERS:
                self.timeline.set_layer(name, name in wanted)
        return bad

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

    def _on_layer_loaded(self, name: str) -> None:
        if name == "adoption":
            self.overlay_loaded.emit()
        self.chart.highlight(self.detail.current().id if self.detail.current() else None)
