"""Adoption: downloads (cumulative or 30-day), derivatives or likes over time, grouped by country,
organization or family; the models table with filters; a detail pane with every observation.

The adoption frame (up to millions of rows) is loaded once per metric on the task runner; grouping,
the date range and log/linear are then applied on the GUI thread from the in-memory frame
(`frames.group_adoption`, tens of milliseconds on 1M rows). GUI thread only.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QPushButton, QRadioButton, QSplitter, QVBoxLayout, QWidget,
)

from briefing.core import frames
from briefing.core.home import Home
from briefing.core.store import Store
from briefing.render.adoption_chart import AdoptionChart
from briefing.render.chart_base import source_line, timestamps
from briefing.ui import plain
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index
from briefing.ui.views.filters import ChoiceFilter, labelled
from briefing.ui.views.record_view import RecordView

METRICS = [
    ("downloads_total", "Downloads (cumulative)"), ("downloads_30d", "Downloads (30 days)"),
    ("derivatives", "Derivative models"), ("likes", "Likes"),
]
GROUP_LABELS = {"country": "Country", "organization": "Organization", "family": "Family"}
MODEL_COLUMNS = [
    ("name", "Model"), ("organization_name", "Organization"), ("country", "Country"), ("family", "Family"),
    ("access", "Access"), ("license", "Licence"), ("released_on", "Released"), ("parameters", "Parameters"),
    ("latest", "Latest value"),
]
OBSERVATION_COLUMNS = [
    ("as_of", "Date"), ("subject", "Subject"), ("metric", "Metric"), ("value", "Value"), ("method", "Method"),
    ("sources", "Sources"),
]


def load_adoption(data_path: Path, metric: str) -> dict[str, Any]:
    """Worker: the frame of one metric plus everything the view shows with it (own read-only Store)."""
    with Store(data_path, readonly=True) as store:
        frame = frames.adoption_frame(store, metric=metric)
        frames.group_adoption(frame, "country")  # builds the dense cache here, off the GUI thread
        return {
            "metric": metric, "frame": frame, "milestones": frames.milestones(store, metric=metric),
            "models": frames.models_frame(store, frame),
            "source_line": source_line(store, store.adoption_source_ids(metric=metric)),
        }


def _plain_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as dicts with NaN turned into None (so tables show blanks, not 'nan')."""
    rows = frame.to_dict("records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
    return rows


class AdoptionView(RecordView):
    """The Adoption view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`.

    `loaded` is emitted after fresh data is on screen (tests wait for it).
    """

    record_kind = "model"
    load_error = "Could not load adoption data"

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(home, parent, title="Adoption")
        self.data: dict[str, Any] | None = None
        self.grouped = pd.DataFrame()

        # controls
        self.metric_combo = QComboBox()
        self.metric_combo.setAccessibleName("Metric")
        for key, text in METRICS:
            self.metric_combo.addItem(text, key)
        self.metric_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.group_buttons = QButtonGroup(self)
        group_row = QHBoxLayout()
        for i, (key, text) in enumerate(GROUP_LABELS.items()):
            button = QRadioButton(text)
            button.setAccessibleName(f"Group by {text.lower()}")
            button.setProperty("grouping", key)
            button.setChecked(i == 0)
            self.group_buttons.addButton(button, i)
            group_row.addWidget(button)
        self.group_buttons.idClicked.connect(lambda _i: self.regroup())
        self.log_box = QCheckBox("Log scale")
        self.log_box.setAccessibleName("Log scale")
        self.log_box.toggled.connect(lambda on: self.chart.set_log(on))
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom and date range")
        self.reset_button.clicked.connect(self.reset_view)
        self.readout = plain.label("", name="Chart readout")

        controls = QHBoxLayout()
        controls.addWidget(labelled("Metric", self.metric_combo))
        controls.addWidget(plain.label("Group by:"))
        controls.addLayout(group_row)
        controls.addWidget(self.log_box)
        controls.addWidget(self.reset_button)
        controls.addWidget(self.readout, 1)
        # (the export buttons join this row once the chart and table exist, below)

        # chart + overview strip with the date-range selector
        self.chart = AdoptionChart()
        self.chart.sigReadout.connect(self.readout.setText)
        self.overview = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.overview.setAccessibleName("Date range selector")
        self.overview.setMaximumHeight(90)
        self.overview.setMouseEnabled(x=False, y=False)
        self.overview.hideAxis("left")
        self.overview.setBackground(self.chart.backgroundBrush().color())
        self.overview_curve = self.overview.plot([], [], pen=pg.mkPen("#777777"))
        self.region = pg.LinearRegionItem(brush=(0, 114, 178, 40))
        self.region.setZValue(10)
        self.overview.addItem(self.region, ignoreBounds=True)
        self.region.sigRegionChangeFinished.connect(lambda _r: self.regroup())
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.overview)

        # models table with filters
        self.country_filter = ChoiceFilter("Country")
        self.access_filter = ChoiceFilter("Access")
        self.license_filter = ChoiceFilter("Licence")
        self._add_filters((self.country_filter, self.access_filter, self.license_filter),
                          placeholder="Filter models by name", name="Model name filter")
        filter_row = QHBoxLayout()
        self._add_filter_captions(filter_row)
        filter_row.addWidget(self.text_filter, 1)
        self._add_table(columns=MODEL_COLUMNS, name="Models table",
                        widths=((1, 170), (2, 190), (3, 70), (4, 110), (5, 110), (6, 110)),
                        rows_name="Models shown", chart=self.chart, table_kind="models", what="adoption")
        controls.addWidget(self.exports)

        # detail: the record, then every observation of the selected model
        self.obs_model = RecordTableModel(kind="adoption", columns=OBSERVATION_COLUMNS, parent=self)
        self.note_models.append(self.obs_model)
        self.obs_table = make_table_view(self.obs_model, name="Observations of the selected model")
        self.obs_table.doubleClicked.connect(self._on_observation_opened)
        detail_split = QSplitter(Qt.Orientation.Vertical)
        detail_split.addWidget(self.detail)
        obs_box = QWidget()
        obs_layout = QVBoxLayout(obs_box)
        obs_layout.setContentsMargins(0, 0, 0, 0)
        obs_layout.addWidget(plain.label("Observations (double-click one for its method and sources)"))
        obs_layout.addWidget(self.obs_table, 1)
        detail_split.addWidget(obs_box)
        detail_split.setStretchFactor(0, 3)  # the record and its note need the room; observations scroll
        detail_split.setStretchFactor(1, 2)
        self._lay_out(controls=[controls], chart=chart_box, side=detail_split, above_table=filter_row,
                      main_stretch=(3, 2))

    # -- public ------------------------------------------------------------------------------------
    def metric_key(self) -> str:
        return str(self.metric_combo.currentData())

    def grouping(self) -> str:
        return str(self.group_buttons.checkedButton().property("grouping"))

    def set_grouping(self, by: str) -> None:
        for button in self.group_buttons.buttons():
            if button.property("grouping") == by:
                button.setChecked(True)
        self.regroup()

    def refresh(self) -> None:
        """Reload the current metric's data on the task runner; `loaded` follows."""
        self._show_status("Loading adoption data…")
        self.loader.start(load_adoption, self.home.data_path, self.metric_key(), name="load adoption")

    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        if self.data is None or not len(self.data["frame"]):
            return None
        lo, hi = self.region.getRegion()
        return pd.Timestamp(lo, unit="s").floor("D"), pd.Timestamp(hi, unit="s").ceil("D")

    def set_date_range(self, start: Any, end: Any) -> None:
        """Move the range selector (regroups when it settles)."""
        self.region.setRegion([timestamps([pd.Timestamp(start).to_datetime64()])[0],
                               timestamps([pd.Timestamp(end).to_datetime64()])[0]])
        self.regroup()

    def regroup(self) -> None:
        """Group, cut to the date range and redraw (GUI thread; fast on an in-memory frame)."""
        if self.data is None:
            return
        span = self.date_range()
        start, end = span if span else (None, None)
        by = self.grouping()
        frame = self.data["frame"]
        self.grouped = frames.group_adoption(frame, by, start=start, end=end)
        self.chart.set_frame(self.grouped, milestones=self.data["milestones"],
                             other_count=frames.unattributed_subjects(frame, by), by=by)
        self.chart.set_meta(title=f"{dict(METRICS)[self.data['metric']]} by {self.grouping()}")

    def reset_view(self) -> None:
        """Whole date range, autoscaled."""
        if self.data is not None and len(self.data["frame"]):
            dates = self.data["frame"]["date"]
            self.region.blockSignals(True)
            self.region.setRegion(timestamps(np.array([dates.min(), dates.max()])))
            self.region.blockSignals(False)
        self.regroup()
        self.chart.reset_view()

    def apply_filters(self) -> None:
        """Show the models matching the filters (the chart is not filtered: it groups all data)."""
        if self.data is None:
            return
        models = self.data["models"]
        shown = frames.filter_models(
            models, countries=self.country_filter.selected(), access=self.access_filter.selected(),
            licenses=self.license_filter.selected(), text=self.text_filter.text(),
        )
        self.table_model.set_rows(_plain_rows(shown))
        self.rows_label.setText(f"{len(shown):,} of {len(models):,} models")

    # -- internals ---------------------------------------------------------------------------------
    def _has_data(self) -> bool:
        return self.data is not None

    def _on_loaded(self, data: dict[str, Any]) -> None:
        if data["metric"] != self.metric_key():
            return
        self.data = data
        frame = data["frame"]
        self.chart.set_metric(data["metric"])
        self.chart.set_meta(
            title=f"{dict(METRICS)[data['metric']]} by {self.grouping()}", source_line=data["source_line"],
            as_of=frame["date"].max().strftime("%Y-%m-%d") if len(frame) else "",
        )
        label = dict(METRICS)[data["metric"]]
        self.table_model.columns[-1] = ("latest", f"Latest: {label.lower()}")
        last = len(self.table_model.columns)
        self.table_model.headerDataChanged.emit(Qt.Orientation.Horizontal, last, last)
        models = data["models"]
        self.country_filter.set_choices(models["country"])
        self.access_filter.set_choices(models["access"])
        self.license_filter.set_choices(models["license"])
        self._refresh_notes()
        self.apply_filters()
        if len(frame):
            total = frames.group_adoption(frame, "country").sum(axis=1, min_count=1)
            self.overview_curve.setData(timestamps(total.index), total.to_numpy(dtype=float), connect="finite")
            self.status.hide()
        else:
            self.overview_curve.setData([], [])
            self.status.setText(f"No {label.lower()} observations in the data.")
        self.reset_view()
        self._load_finished()

    def _on_selected(self, index: Any) -> None:
        """A model row became current: open it and list its observations."""
        ref = ref_at_view_index(self.table, index)
        if ref is None:
            return
        self.detail.show_record(ref.kind, ref.id)
        self.show_observations(ref.id)

    def show_observations(self, model_id: str) -> None:
        """Fill the observations table with every adoption record about a model or its HF repos."""
        subjects = {model_id}
        frame = self.data["frame"] if self.data else None
        if frame is not None and len(frame):
            subjects |= {str(s) for s in frame.loc[frame["model"] == model_id, "subject"].unique()}
        with self.home.store() as store:
            model = store.record("model", model_id)
            subjects |= set((model or {}).get("hf_repos") or [])
            rows = store.adoption_of_subjects(sorted(subjects))
        self.obs_model.set_rows(rows)

    def _on_observation_opened(self, index: Any) -> None:
        ref = ref_at_view_index(self.obs_table, index)
        if ref is not None:
            self.detail.show_record(ref.kind, ref.id)
