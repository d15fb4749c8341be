"""Adoption: Hub readings over time (30-day downloads by country, organization or family; the
developer-country share; derivatives; likes), the series and panel they are on, every reading's
coverage one hover or click away; reported figures (company totals, study shares) in their own
table; the models table with filters; a detail pane.

A metric's readings frame is loaded once on the task runner; series, panel, grouping and the date
range are then applied on the GUI thread from the in-memory frame (`readings.select/group/shares`).
GUI thread only.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing.core import definitions, frames, names, numbers, readings
from briefing.core.home import Home
from briefing.core.settings import Settings
from briefing.core.store import Store
from briefing.render.adoption_chart import AdoptionChart, series_key_text
from briefing.render.chart_base import source_line, timestamps
from briefing.render.share_chart import ShareChart
from briefing.ui import plain
from briefing.ui.flow import FlowLayout
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index
from briefing.ui.views.filters import ChoiceFilter, labelled
from briefing.ui.views.record_view import RecordView

SHARE = "share"
#: (key, label, metric loaded, default series)
MEASURES = [
    ("downloads_30d", "30-day downloads", "downloads_30d", readings.DOWNLOAD_SERIES),
    (SHARE, "Share by developer country (%)", "downloads_30d", readings.SHARE_SERIES),
    ("derivatives", "Derivative models", "derivatives", ("forecast", "hub_orgs")),
    ("likes", "Likes", "likes", ("llmfit", "hub_orgs")),
    ("downloads_total", "All-time downloads (Hub syncs)", "downloads_total", ("hub_orgs", "hub_top")),
]
MEASURE = {m[0]: m for m in MEASURES}
GROUP_LABELS = {"country": "Country", "group": "Country group", "organization": "Organization", "family": "Family"}
GROUP_NOTE = (
    "Country groups: each line sums its member countries' repos per reading (EU-27 includes the EU's"
    " own institutions); a country in two groups counts in both, one in none is not drawn"
)


def by_groups(by_country: pd.DataFrame, groups: list[names.CountryGroup]) -> pd.DataFrame:
    """Per reading, each country group's sum over its members' columns (NaN where none has a value).
    Groups overlap, so the columns are never to be added up."""
    out = pd.DataFrame(index=by_country.index)
    for g in groups:
        cols = [c for c in by_country.columns if str(c) in g.members]
        if cols:
            out[g.name] = by_country[cols].sum(axis=1, min_count=1)
    out.columns.name = "group"
    return out


PANELS = [("all", "All repos of each reading"), ("fixed", "Fixed panel (repos in every reading)")]
#: Groups a view's chart draws; the rest are summed into one "N more ... (combined)" line.
VIEW_SERIES = 12
MODEL_COLUMNS = [
    ("name", "Model"),
    ("organization_name", "Organization"),
    ("country", "Country"),
    ("family", "Family"),
    ("access", "Access"),
    ("license", "Licence"),
    ("released_on", "Released"),
    ("parameters", "Parameters"),
    ("latest", "Latest value"),
    ("latest_on", "Reading date"),
]
OBSERVATION_COLUMNS = [
    ("as_of", "Date"),
    ("subject", "Subject"),
    ("metric", "Metric"),
    ("value", "Value"),
    ("series", "Series"),
    ("method", "Method"),
    ("sources", "Sources"),
]
REPORTED_COLUMNS = [
    ("subject", "Subject"),
    ("measure", "Measure"),
    ("value", "Value"),
    ("window", "Window"),
    ("as_of", "As of"),
    ("method", "What it counts"),
    ("sources", "Sources"),
]
REPORTED_HEADING = (
    "Reported figures: company totals and study shares, each with its own measure and window "
    "(not Hub readings, so never drawn on the chart's axis). Double-click one for its sources."
)


def load_adoption(data_path: Path, metric: str) -> dict[str, Any]:
    """Worker: one metric's readings frame plus everything the view shows with it (own read-only Store)."""
    with Store(data_path, readonly=True) as store:
        frame = readings.readings_frame(store, metric=metric)
        readings.select(frame)  # builds the dense cache here, off the GUI thread
        reported = [
            r
            for r in store.adoption_records_of(subject_kinds=("family", "country", "organization", "model"))
            if r.get("series") is None
        ]
        in_frame = set(map(str, frame["series"].unique()))
        present = [s for s in readings.SERIES if s in in_frame]
        cited = store.reading_sources_by_series(metric=metric)
        by_series = {s: cited.get(s, set()) for s in present}
        # one credit line per combination of series (at most 32), so a regroup never queries
        sources = {}
        for n in range(1, len(present) + 1):
            for combo in itertools.combinations(present, n):
                sources[frozenset(combo)] = source_line(store, set().union(*(by_series[s] for s in combo)))
        return {
            "metric": metric,
            "frame": frame,
            "models": frames.models_frame(store, frame),
            "reported": reported,
            "series_sources": sources,
        }


def reported_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows for reported figures: measure and window spelled out."""
    rows = []
    for r in sorted(records, key=lambda r: (r["as_of"], r["id"]), reverse=True):
        unit = "%" if r["unit"] == "percent" else ""
        window = f"{r['period_start']} to {r['as_of']}" if r.get("period_start") else f"to {r['as_of']}"
        rows.append(
            {
                **r,
                "measure": r["metric"].replace("_", " "),
                "window": window,
                "value": f"{r['value']:g}{unit}" if unit else r["value"],
            }
        )
    return rows


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
        self.group_labels: dict[str, str] = {}
        self.selection: readings.Selection | None = None
        self.share_table = pd.DataFrame()

        # controls
        self.metric_combo = QComboBox()
        self.metric_combo.setAccessibleName("Measure")
        for key, text, _metric, _series in MEASURES:
            self.metric_combo.addItem(text, key)
        self.metric_combo.currentIndexChanged.connect(lambda _i: self._measure_changed())
        self.metric_combo.setMinimumContentsLength(18)
        self.group_buttons = QButtonGroup(self)
        group_row = FlowLayout()
        for i, (key, text) in enumerate(GROUP_LABELS.items()):
            button = QRadioButton(text)
            button.setAccessibleName(f"Group by {text.lower()}")
            button.setProperty("grouping", key)
            button.setChecked(i == 0)
            self.group_buttons.addButton(button, i)
            group_row.addWidget(button)
        self.group_buttons.idClicked.connect(lambda _i: self.regroup())
        self.panel_combo = QComboBox()
        self.panel_combo.setAccessibleName("Panel of repos")
        for key, text in PANELS:
            self.panel_combo.addItem(text, key)
        self.panel_combo.setToolTip(
            plain.tooltip(
                "Each reading's own repos: every repo the source read that day (the set changes between readings).\n"
                "Fixed panel: only repos present in every reading of the date range, so the change is not a change of panel."
            )
        )
        self.panel_combo.currentIndexChanged.connect(lambda _i: self.regroup())
        self.panel_combo.setMinimumContentsLength(20)
        self.series_boxes: dict[str, QCheckBox] = {}
        series_row = FlowLayout()
        series_row.addWidget(plain.label("Series:"))
        for key, info in readings.SERIES.items():
            box = QCheckBox(info.short or info.label)
            box.setAccessibleName(f"Series {info.label}")
            box.setToolTip(plain.tooltip(f"{info.label}: {info.population}."))
            box.toggled.connect(lambda _on: self.regroup())
            self.series_boxes[key] = box
            series_row.addWidget(box)
        self.log_box = QCheckBox("Log scale")
        self.log_box.setAccessibleName("Log scale")
        self.log_box.toggled.connect(lambda on: self.chart.set_log(on))
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom and date range")
        self.reset_button.clicked.connect(self.reset_view)
        # the readout never resizes anything (the hover tooltip at the cursor says the same and more)
        self.readout = plain.label("", name="Chart readout")
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.hide()

        controls = FlowLayout()
        controls.addWidget(labelled("Measure", self.metric_combo))
        controls.addWidget(plain.label("Group by:"))
        group_box = QWidget()
        group_box.setLayout(group_row)
        controls.addWidget(group_box)
        controls.addWidget(self.log_box)
        controls.addWidget(self.reset_button)
        # (the export buttons join this row once the chart and table exist, below)
        series_row.addWidget(labelled("Panel", self.panel_combo))

        # charts (one metric at a time) + overview strip with the date-range selector
        self.chart = AdoptionChart()
        self.chart.sigReadout.connect(self.readout.setText)
        self.chart.sigReadingClicked.connect(self.show_reading)
        self.chart.sigPointClicked.connect(self.show_point)
        self._share_chart: ShareChart | None = None  # built when the share measure is first chosen
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.chart)
        self.panel_label = plain.label("", name="Panel and coverage", wrap=True)
        self.panel_label.hide()  # the chart's caption says it; kept for the accessible text and tests
        self.overview = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.overview.setAccessibleName("Date range selector")
        self.overview.setMaximumHeight(60)
        self.overview.setMouseEnabled(x=False, y=False)
        self.overview.hideAxis("left")
        self.overview.setBackground(self.chart.backgroundBrush().color())
        self.chart.sigThemeChanged.connect(
            lambda _dark: self.overview.setBackground(self.chart.backgroundBrush().color())
        )
        self.overview_curve = self.overview.plot([], [], pen=pg.mkPen("#777777"), symbol="o", symbolSize=3)
        self.region = pg.LinearRegionItem(brush=(0, 114, 178, 40))
        self.region.setZValue(10)
        self.overview.addItem(self.region, ignoreBounds=True)
        self.region.sigRegionChangeFinished.connect(lambda _r: self.regroup())
        self.reported_model = RecordTableModel(kind="adoption", columns=REPORTED_COLUMNS, parent=self)
        self.reported_table = make_table_view(self.reported_model, name="Reported figures")
        self.reported_table.doubleClicked.connect(self._on_reported_opened)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addLayout(series_row)
        chart_layout.addWidget(self.chart_stack, 1)
        chart_layout.addWidget(self.panel_label)
        chart_layout.addWidget(self.overview)
        self.chart_stack.setMinimumHeight(240)
        # reported figures in a tab beside the models: their own table, never on the chart's axis
        reported_box = QWidget()
        reported_layout = QVBoxLayout(reported_box)
        reported_layout.setContentsMargins(0, 0, 0, 0)
        reported_layout.addWidget(plain.label(REPORTED_HEADING, name="Reported figures heading", wrap=True))
        reported_layout.addWidget(self.reported_table, 1)

        # models table with filters
        self.country_filter = ChoiceFilter("Country", label_of=names.country)
        self.country_filter.set_groups(names.country_groups(Settings.load(home.settings_path).country_groups))
        self.access_filter = ChoiceFilter("Access")
        self.license_filter = ChoiceFilter("Licence", key="licence")
        self._add_filters(
            (self.country_filter, self.access_filter, self.license_filter),
            placeholder="Filter models by name",
            name="Model name filter",
        )
        filter_row = FlowLayout()
        self._add_filter_captions(filter_row)
        filter_row.addWidget(self.text_filter)
        filter_row.addWidget(self.clear_button)
        self._add_table(
            columns=MODEL_COLUMNS,
            name="Models table",
            widths=((1, 170), (2, 190), (3, 70), (4, 110), (5, 110), (6, 110)),
            rows_name="Models shown",
            chart=self.chart,
            table_kind="models",
            what="adoption",
        )
        self.table_model.formatters["country"] = names.country
        self.table_model.formatters["access"] = definitions.label  # 'open weights restricted', not a code
        controls.addWidget(self.exports)

        # detail: the record, then the observations of a model or the repos of a reading
        self.obs_model = RecordTableModel(kind="adoption", columns=OBSERVATION_COLUMNS, parent=self)
        self.note_models.append(self.obs_model)
        self.obs_table = make_table_view(self.obs_model, name="Observations")
        self.obs_table.doubleClicked.connect(self._on_observation_opened)
        self.obs_label = plain.label(
            "Observations (double-click one for its method and sources)", name="Observations heading", wrap=True
        )
        detail_split = QSplitter(Qt.Orientation.Vertical)
        detail_split.addWidget(self.detail)
        obs_box = QWidget()
        obs_layout = QVBoxLayout(obs_box)
        obs_layout.setContentsMargins(0, 0, 0, 0)
        obs_layout.addWidget(self.obs_label)
        obs_layout.addWidget(self.obs_table, 1)
        detail_split.addWidget(obs_box)
        detail_split.setStretchFactor(0, 3)  # the record and its note need the room; observations scroll
        detail_split.setStretchFactor(1, 2)
        self.table_tabs = QTabWidget()
        self.table_tabs.setAccessibleName("Models and reported figures")
        self._lay_out(
            controls=[controls],
            chart=chart_box,
            side=detail_split,
            above_table=filter_row,
            tabs=(self.table_tabs, "Models", [(reported_box, "Reported figures")]),
            main_stretch=(3, 2),
        )
        self._apply_series_defaults()

    # -- public ------------------------------------------------------------------------------------
    @property
    def share_chart(self) -> ShareChart:
        """The share-by-country chart, built on first use: most visits never choose the share
        measure, and a chart is the dearest widget of the view to build."""
        if self._share_chart is None:
            chart = ShareChart()
            chart.sigReadout.connect(self.readout.setText)
            chart.sigReadingClicked.connect(self.show_reading)
            chart.sigReadingClicked.connect(self.show_share_point)
            self.chart_stack.addWidget(chart)
            self._share_chart = chart
        return self._share_chart

    def measure(self) -> str:
        return str(self.metric_combo.currentData())

    def metric_key(self) -> str:
        """The metric the current measure loads (the share is computed from 30-day downloads)."""
        return MEASURE[self.measure()][2]

    def grouping(self) -> str:
        return str(self.group_buttons.checkedButton().property("grouping"))

    def set_grouping(self, by: str) -> None:
        for button in self.group_buttons.buttons():
            if button.property("grouping") == by:
                button.setChecked(True)
        self.regroup()

    def panel(self) -> str:
        return str(self.panel_combo.currentData())

    def set_panel(self, panel: str) -> None:
        self.panel_combo.setCurrentIndex([k for k, _ in PANELS].index(panel))

    def chosen_series(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.series_boxes.items() if box.isChecked())

    def set_series(self, keys: tuple[str, ...]) -> None:
        """Tick exactly these series (one regroup)."""
        for k, box in self.series_boxes.items():
            box.blockSignals(True)
            box.setChecked(k in keys)
            box.blockSignals(False)
        self.regroup()

    def set_country_groups(self, groups: list[names.CountryGroup]) -> None:
        super().set_country_groups(groups)
        if self.grouping() == "group":
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
        self.region.setRegion(
            [timestamps([pd.Timestamp(start).to_datetime64()])[0], timestamps([pd.Timestamp(end).to_datetime64()])[0]]
        )
        self.regroup()

    def regroup(self) -> None:
        """Select, group (or split by country), cut to the date range and redraw (GUI thread)."""
        if self.data is None:
            return
        span = self.date_range()
        start, end = span if span else (None, None)
        frame = self.data["frame"]
        sel = readings.select(frame, self.chosen_series(), panel=self.panel(), start=start, end=end)
        self.selection = sel
        share = self.measure() == SHARE
        for button in self.group_buttons.buttons():
            button.setEnabled(not share)
        by = self.grouping()
        base = "country" if by == "group" else by  # groups are sums of countries
        if share:
            self.share_table = readings.shares(sel)
            found = readings.crossover(self.share_table)
            self.share_chart.set_shares(self.share_table, found, coverage=self._coverage_text, panel=sel.panel_text())
            notes = [sel.describe(), series_key_text(sel.series)]
            notes += [f"crossover {c.date.isoformat()} within the {readings.SERIES[c.series].label}" for c in found]
            notes += readings.lead_between_series(self.share_table) if not found else []
            self._caption(self.share_chart, "Share of 30-day downloads by developer country, per reading", notes, sel)
        else:
            if by == "group":
                grouped = by_groups(readings.group(sel, "country"), self.country_filter.groups)
            else:
                grouped = readings.top_groups(readings.group(sel, base), VIEW_SERIES)
            # names, not codes: the legend says 'China', the click maps the name back to its group
            self.group_labels = {names.country(c) if by == "country" else str(c): str(c) for c in grouped.columns}
            self.grouped = grouped.rename(columns=names.country) if by == "country" else grouped
            self.chart.set_readings(self.grouped, sel.series, coverage=self._coverage_text, counts=sel.n_repos())
            what = dict((m[0], m[1]) for m in MEASURES)[self.measure()]
            single = (
                f"One reading: {readings.SERIES[str(sel.series[0])].label}, {sel.dates[0].date().isoformat()}"
                if len(sel.rows) == 1
                else ""
            )
            self._caption(
                self.chart,
                f"{what} by {GROUP_LABELS[by].lower()}, summed per reading",
                [single, sel.describe(), series_key_text(sel.series), GROUP_NOTE if by == "group" else ""],
                sel,
            )
        self.panel_label.setText(sel.describe())

    def _caption(self, chart: Any, title: str, notes: list[str], sel: readings.Selection) -> None:
        src = self.data["series_sources"].get(frozenset(map(str, sel.series)), "")
        as_of = sel.dates.max().strftime("%Y-%m-%d") if len(sel.rows) else ""
        chart.set_meta(
            title=title,
            source_line=src,
            as_of=as_of,
            note=".  ".join(n for n in notes if n) + ("." if any(notes) else ""),
        )

    def _coverage_text(self, position: int) -> str:
        if self.selection is None or position >= len(self.selection.rows):
            return ""
        by = "country" if self.measure() == SHARE or self.grouping() == "group" else self.grouping()
        cov = readings.coverage(self.selection, position, by)
        return (
            cov.text(value_text=lambda v: numbers.number(v, axis=True))
            + "\nClick the point to list every repo of this reading."
        )

    def show_reading(self, position: int) -> None:
        """List the repos of the `position`-th shown reading (its records) beside the chart."""
        sel = self.selection
        if sel is None or position >= len(sel.rows):
            return
        series = str(sel.series[position])
        day = sel.dates[position].date().isoformat()
        with self.home.store(readonly=True) as store:
            rows = store.reading_records(metric=self.metric_key(), series=series, as_of=day)
        if sel.panel == "fixed":
            keep = {str(s) for s, on in zip(sel.cube.subjects, sel.subjects) if on}
            rows = [r for r in rows if r["subject"] in keep]
        cov = readings.coverage(sel, position)
        self.obs_label.setText(
            f"Repos in the {readings.SERIES[series].label} reading of {day}: {cov.n:,} ({cov.unattributed:,} unattributed)"
            f"{', fixed panel' if sel.panel == 'fixed' else ''}. Double-click one for its method and sources."
        )
        self.obs_model.set_rows(rows)

    def show_point(self, position: int, group: str) -> None:
        """A group's dot (or bar) at a reading: its value, what it sums, the method and the sources
        of the records behind it in the detail pane; those records in the table below it."""
        sel = self.selection
        if sel is None or position >= len(sel.rows) or group not in self.grouped.columns:
            return
        series = str(sel.series[position])
        day = sel.dates[position].date().isoformat()
        by = self.grouping()
        raw = self.group_labels.get(group, group)
        cov = readings.coverage(sel, position, "country" if by == "group" else by)
        combined = group.endswith("(combined)")
        shown = set(self.group_labels.values())
        members = (
            names.group_named(group, self.country_filter.groups) or names.CountryGroup(group, frozenset())
        ).members
        repos = {
            r
            for r, _v, label, _b in cov.repos
            if (label in members if by == "group" else label not in shown if combined else label == raw)
        }
        with self.home.store(readonly=True) as store:
            rows = [
                r
                for r in store.reading_records(metric=self.metric_key(), series=series, as_of=day)
                if r["subject"] in repos
            ]
        value = float(self.grouped[group].iloc[position])
        methods = list(dict.fromkeys(str(r.get("method") or "") for r in rows if r.get("method")))
        info = readings.SERIES[series]
        what = dict((m[0], m[1]) for m in MEASURES)[self.measure()]
        fields = [
            ("Value", f"{numbers.number(value, style='full')} ({what.lower()})"),
            (
                "What it sums",
                f"{len(rows):,} repos of {group} in this reading (of {cov.n:,} it covers,"
                f" {cov.unattributed:,} unattributed)",
            ),
            ("Reading", f"{info.label}, {day}: {info.population}"),
            ("Panel", sel.panel_text()),
            ("Method", methods[0] if len(methods) == 1 else "; ".join(methods[:3]) or "—"),
            (
                "Largest repos",
                "; ".join(f"{r['subject']} {numbers.number(float(r['value']), axis=True)}" for r in rows[:5]) or "—",
            ),
        ]
        self.detail.show_summary(
            f"{group}: {what.lower()}, {day}",
            "Chart point (a sum over repos)",
            fields,
            sorted({s for r in rows for s in r.get("sources") or []}),
        )
        self.obs_label.setText(
            f"The {len(rows):,} records this point sums ({info.label}, {day}). "
            "Double-click one for its method and sources."
        )
        self.obs_model.set_rows(rows)

    def show_share_point(self, position: int) -> None:
        """A reading of the share chart: its shares, coverage, method and sources in the detail pane."""
        table = self.share_table
        if not len(table) or position >= len(table):
            return
        r = table.iloc[position]
        day = table.index[position].date().isoformat()
        series = str(r["series"])
        with self.home.store(readonly=True) as store:
            ids = store.reading_source_ids(metric="downloads_30d", series=[series])
        fields = [(readings.BUCKET_LABELS[b], f"{r[b]:.1f}%") for b in readings.BUCKETS]
        fields += [
            ("Reading", f"{readings.SERIES[series].label}, {day}"),
            ("Repos covered", f"{int(r['n_repos']):,}"),
            (
                "Method",
                "Each repo's 30-day downloads in this reading, attributed to its developer's country"
                " (Help > Methods and definitions)",
            ),
        ]
        self.detail.show_summary(
            f"Download share by developer country, {day}", "Chart point (a reading)", fields, list(ids)
        )

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
            models,
            countries=self.country_filter.selected(),
            access=self.access_filter.selected(),
            licenses=self.license_filter.selected(),
            text=self.text_filter.text(),
        )
        self.table_model.set_rows(_plain_rows(shown))
        self.rows_label.setText(f"{len(shown):,} of {len(models):,} models")
        self._filtered(shown["id"])

    # -- view state --------------------------------------------------------------------------------
    def _extra_keys(self) -> tuple[str, ...]:
        return ("measure", "group", "panel", "series", "scale", "from", "to")

    def _extra_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "measure": self.measure(),
            "group": self.grouping() if self.measure() != SHARE else None,
            "panel": self.panel() if self.panel() != "all" else None,
            "series": list(self.chosen_series())
            if self.chosen_series() != tuple(k for k in self.series_boxes if k in MEASURE[self.measure()][3])
            else None,
            "scale": "log" if self.log_box.isChecked() else None,
        }
        span = self.date_range()
        if span is not None and self.data is not None:
            dates = self.data["frame"]["date"]
            state["from"] = span[0].date().isoformat() if span[0] > dates.min().floor("D") else None
            state["to"] = span[1].date().isoformat() if span[1] < dates.max().ceil("D") else None
        return state

    def _apply_extra_state(self, state: dict[str, list[str]]) -> list[str]:
        bad: list[str] = []
        measure = (state.get("measure") or [self.measure()])[0]
        if measure not in MEASURE:
            bad.append("measure")
        elif measure != self.measure():
            # another metric loads its own data: the rest of the link waits for it
            self.metric_combo.setCurrentIndex([m[0] for m in MEASURES].index(measure))
            self._pending_state = state
            return bad
        group = (state.get("group") or [None])[0]
        for button in self.group_buttons.buttons():
            if group is not None and button.property("grouping") == group:
                button.setChecked(True)
        if group is not None and group not in GROUP_LABELS:
            bad.append("group")
        panel = (state.get("panel") or ["all"])[0]
        if panel in dict(PANELS):
            self.panel_combo.blockSignals(True)
            self.set_panel(panel)
            self.panel_combo.blockSignals(False)
        else:
            bad.append("panel")
        if "series" in state:
            wanted = set(state["series"])
            bad += [f"series={w}" for w in wanted - set(self.series_boxes)]
            for k, box in self.series_boxes.items():
                box.blockSignals(True)
                box.setChecked(k in wanted)
                box.blockSignals(False)
        self.log_box.setChecked((state.get("scale") or ["linear"])[0] == "log")
        if self.data is not None and len(self.data["frame"]) and ("from" in state or "to" in state):
            dates = self.data["frame"]["date"]
            try:
                lo = pd.Timestamp((state.get("from") or [dates.min()])[0])
                hi = pd.Timestamp((state.get("to") or [dates.max()])[0])
            except ValueError:
                bad.append("from/to")
            else:
                self.region.blockSignals(True)
                self.region.setRegion(timestamps(np.array([lo.to_datetime64(), hi.to_datetime64()])))
                self.region.blockSignals(False)
        self.regroup()
        return bad

    # -- internals ---------------------------------------------------------------------------------
    def _apply_series_defaults(self) -> None:
        defaults = MEASURE[self.measure()][3]
        for k, box in self.series_boxes.items():
            box.blockSignals(True)
            box.setChecked(k in defaults)
            box.blockSignals(False)

    def _measure_changed(self) -> None:
        self._apply_series_defaults()
        if self.measure() == "derivatives":  # derivatives are counted per base model: by family
            for button in self.group_buttons.buttons():
                button.setChecked(button.property("grouping") == "family")
        share = self.measure() == SHARE
        self.chart_stack.setCurrentWidget(self.share_chart if share else self.chart)
        self.exports.chart = self.share_chart if share else self.chart
        self.log_box.setEnabled(not share)
        if self.data is not None and self.data["metric"] == self.metric_key():
            self.reset_view()
        else:
            self.refresh()

    def _has_data(self) -> bool:
        return self.data is not None

    def _on_loaded(self, data: dict[str, Any]) -> None:
        if data["metric"] != self.metric_key():
            return
        self.data = data
        frame = data["frame"]
        self.chart.set_metric(data["metric"])
        label = dict((m[0], m[1]) for m in MEASURES)[self.measure()]
        self.table_model.columns[-2] = ("latest", f"Latest: {label.lower()}")
        last = len(self.table_model.columns) - 1
        self.table_model.headerDataChanged.emit(Qt.Orientation.Horizontal, last, last)
        models = data["models"]
        self.country_filter.set_choices(models["country"])
        self.access_filter.set_choices(models["access"])
        self.license_filter.set_choices(models["license"])
        self.reported_model.set_rows(reported_rows(data["reported"]))
        self._refresh_notes()
        self.apply_filters()
        if len(frame):
            sel = readings.select(frame)
            total = readings.group(sel, "country").sum(axis=1, min_count=1)
            self.overview_curve.setData(
                timestamps(total.index),
                total.to_numpy(dtype=float),
                connect=np.r_[sel.series[:-1] == sel.series[1:], False],
            )
            self.status.hide()
        else:
            self.overview_curve.setData([], [])
            self.status.setText(
                f"No {label.lower()} readings in the data yet"
                + (": they appear after a Hub sync." if data["metric"] == "downloads_total" else ".")
            )
            self.status.show()
        self.reset_view()
        self._load_finished()

    def _on_selected(self, index: Any) -> None:
        """A model row became current: open it and list its observations."""
        ref = ref_at_view_index(self.table, index)
        if ref is None:
            return
        self.detail.show_record(ref.kind, ref.id)
        self._record_opened(ref.kind, ref.id)
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
        self.obs_label.setText("Observations of the selected model (double-click one for its method and sources)")
        self.obs_model.set_rows(rows)

    def _on_observation_opened(self, index: Any) -> None:
        ref = ref_at_view_index(self.obs_table, index)
        if ref is not None:
            self.detail.show_record(ref.kind, ref.id)

    def _on_reported_opened(self, index: Any) -> None:
        ref = ref_at_view_index(self.reported_table, index)
        if ref is not None:
            self.detail.show_record(ref.kind, ref.id)
