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
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPushButton, QRadioButton, QSplitter,
    QVBoxLayout, QWidget,
)

from briefing.core import frames
from briefing.core.home import Home
from briefing.core.store import Store
from briefing.render import charts
from briefing.ui import plain
from briefing.ui.detail import DetailPane
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index, select_record
from briefing.ui.views.filters import ChoiceFilter, ExportButtons, Loader, labelled

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
            "source_line": charts.source_line(store, store.adoption_source_ids(metric=metric)),
        }


def _plain_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as dicts with NaN turned into None (so tables show blanks, not 'nan')."""
    rows = frame.to_dict("records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
    return rows


class AdoptionView(QWidget):
    """The Adoption view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`.

    `loaded` is emitted after fresh data is on screen (tests wait for it).
    """

    loaded = Signal()

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName("Adoption view")
        self.data: dict[str, Any] | None = None
        self.grouped = pd.DataFrame()
        self._pending: tuple[str, str] | None = None
        self.loader = Loader(self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)

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
        self.status = plain.label("Loading…", name="Adoption status", wrap=True)

        controls = QHBoxLayout()
        controls.addWidget(labelled("Metric", self.metric_combo))
        controls.addWidget(plain.label("Group by:"))
        controls.addLayout(group_row)
        controls.addWidget(self.log_box)
        controls.addWidget(self.reset_button)
        controls.addWidget(self.readout, 1)
        # (the export buttons join this row once the chart and table exist, below)

        # chart + overview strip with the date-range selector
        self.chart = charts.AdoptionChart()
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
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter models by name")
        self.text_filter.setAccessibleName("Model name filter")
        for f in (self.country_filter, self.access_filter, self.license_filter):
            f.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.text_filter.textChanged.connect(lambda _t: self.apply_filters())
        filter_row = QHBoxLayout()
        for text, widget in (("Country", self.country_filter), ("Access", self.access_filter),
                             ("Licence", self.license_filter)):
            filter_row.addWidget(labelled(text, widget))
        filter_row.addWidget(self.text_filter, 1)
        self.table_model = RecordTableModel(kind="model", columns=MODEL_COLUMNS, parent=self)  # Qt-owned, so GC never frees it
        self.table = make_table_view(self.table_model, name="Models table")
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_model_selected(cur))
        for column, width in ((1, 170), (2, 190), (3, 70), (4, 110), (5, 110), (6, 110)):
            self.table.setColumnWidth(column, width)
        self.rows_label = plain.label("", name="Models shown")
        self.exports = ExportButtons(home, table=self.table, table_kind="models", chart=self.chart, what="adoption")
        controls.addWidget(self.exports)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(filter_row)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.rows_label)

        # detail: the record, then every observation of the selected model
        self.detail = DetailPane(home, self)
        self.detail.note_saved.connect(lambda *_: self._refresh_notes())
        self.obs_model = RecordTableModel(kind="adoption", columns=OBSERVATION_COLUMNS, parent=self)
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

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(table_box)
        bottom.addWidget(detail_split)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(chart_box)
        main.addWidget(bottom)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(main, 1)

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
        self.status.setText("Loading adoption data…")
        self.status.show()
        self.loader.start(load_adoption, self.home.data_path, self.metric_key(), name="load adoption")

    def show_record(self, kind: str, record_id: str) -> None:
        """Select a model in the table (clearing filters that hide it) or show any record in the pane."""
        if self.data is None:
            self._pending = (kind, record_id)
            return
        if kind == "model":
            if not select_record(self.table, kind, record_id):
                self.clear_filters()
                select_record(self.table, kind, record_id)
        self.detail.show_record(kind, record_id)

    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        if self.data is None or not len(self.data["frame"]):
            return None
        lo, hi = self.region.getRegion()
        return pd.Timestamp(lo, unit="s").floor("D"), pd.Timestamp(hi, unit="s").ceil("D")

    def set_date_range(self, start: Any, end: Any) -> None:
        """Move the range selector (regroups when it settles)."""
        self.region.setRegion([charts.timestamps([pd.Timestamp(start).to_datetime64()])[0],
                               charts.timestamps([pd.Timestamp(end).to_datetime64()])[0]])
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
            self.region.setRegion(charts.timestamps(np.array([dates.min(), dates.max()])))
            self.region.blockSignals(False)
        self.regroup()
        self.chart.reset_view()

    def clear_filters(self) -> None:
        for f in (self.country_filter, self.access_filter, self.license_filter):
            f.blockSignals(True)
            f.choose(None)
            f.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        self.apply_filters()

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
            self.overview_curve.setData(charts.timestamps(total.index), total.to_numpy(dtype=float), connect="finite")
            self.status.hide()
        else:
            self.overview_curve.setData([], [])
            self.status.setText(f"No {label.lower()} observations in the data.")
        self.reset_view()
        if self._pending:
            kind, rid = self._pending
            self._pending = None
            self.show_record(kind, rid)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.status.setText(f"Could not load adoption data: {message}")
        self.status.show()

    def _refresh_notes(self) -> None:
        with self.home.notes() as notes:
            keys = notes.keys()
        self.table_model.set_note_keys(keys)
        self.obs_model.set_note_keys(keys)

    def _on_model_selected(self, index: Any) -> None:
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
        with self.home.store(readonly=True) as store:
            model = store.record("model", model_id)
            subjects |= set((model or {}).get("hf_repos") or [])
            rows = store.adoption_of_subjects(sorted(subjects))
        self.obs_model.set_rows(rows)

    def _on_observation_opened(self, index: Any) -> None:
        ref = ref_at_view_index(self.obs_table, index)
        if ref is not None:
            self.detail.show_record(ref.kind, ref.id)
