"""Adoption view against the fixture store: series equal the core frame, filters, detail, hostile text."""

from __future__ import annotations

import numpy as np
import pytest

from briefing.core import names, readings
from briefing.core.records import validate
from briefing.ui.table_model import NOTE_MARK
from briefing.ui.views.adoption import MEASURES, AdoptionView

HOSTILE = "<img src=file:///etc/passwd>"


@pytest.fixture
def view(qtbot, home):
    v = AdoptionView(home)
    qtbot.addWidget(v)
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    return v


def _shown_ids(view) -> list[str]:
    proxy = view.table.model()
    return sorted(view.table_model.ref_at(proxy.mapToSource(proxy.index(r, 1))).id for r in range(proxy.rowCount()))


def test_series_equal_the_core_readings_for_each_grouping(view, store):
    sel = readings.select(readings.readings_frame(store), readings.DOWNLOAD_SERIES)
    assert view.chosen_series() == readings.DOWNLOAD_SERIES
    for by in readings.GROUPINGS:
        view.set_grouping(by)
        expected = readings.group(sel, by)
        # countries by name, not code ('CN' is drawn as 'China')
        named = {(names.country(c) if by == "country" else str(c)): c for c in expected.columns}
        assert sorted(view.chart.curves) == sorted(named)
        for name, column in named.items():
            _x, y = view.chart.series(name)
            np.testing.assert_array_equal(y, expected[column].to_numpy())
    # readings from 2024, 2025 and 2026 on one chart, its caption naming panel and series
    assert {d.year for d in view.grouped.index} == {2024, 2025, 2026}
    caption = view.chart.caption_text()
    assert "Each reading's own repos" in caption and "Lines break between series" in caption
    assert "5 readings of 2 to 4 repos each" in view.panel_label.text()


def test_date_range_filters_the_chart(view, store):
    view.set_date_range("2024-11-01", "2025-03-01")
    expected = readings.group(
        readings.select(readings.readings_frame(store), readings.DOWNLOAD_SERIES, start="2024-11-01", end="2025-03-01"),
        "country",
    )
    assert len(expected) == 2
    _x, y = view.chart.series("China")
    np.testing.assert_array_equal(y, expected["CN"].to_numpy())
    view.reset_view()
    assert len(view.chart.series("China")[1]) == 5


def test_each_readings_coverage_is_one_hover_or_click_away(qtbot, view):
    chart = view.chart
    scatter = chart.curves["China"].scatter
    first = scatter.points()[0]
    assert int(first.data()) == 0
    chart._on_hovered(scatter, [first], None)  # what hovering the first dot delivers
    text = chart.hover_text_at(0)
    assert "Forecast study (Bhandari et al.), 2024-10-01: 2 repos (0 unattributed)" in text
    assert view.readout.text().startswith("2024-10-01  ·  China: 300")
    with qtbot.waitSignal(chart.sigReadingClicked) as clicked:
        chart._on_clicked(scatter, [scatter.points()[-1]], None)  # what a click on a dot delivers
    view.show_reading(clicked.args[0])
    rows = view.obs_model.rows()
    assert {r["series"] for r in rows} == {"llmfit"} and {r["as_of"] for r in rows} == {"2026-05-01"}
    assert len(rows) == 4 and "unattributed" in view.obs_label.text()


def test_share_measure_stacks_shares_and_names_the_panel(qtbot, view, store):
    view.metric_combo.setCurrentIndex([m[0] for m in MEASURES].index("share"))
    assert view.chart_stack.currentWidget() is view.share_chart
    assert view.chosen_series() == readings.SHARE_SERIES
    table = view.share_table
    assert np.allclose(table[list(readings.BUCKETS)].sum(axis=1), 100.0)
    assert view.exports.chart is view.share_chart
    # the fixture: the US leads in the Forecast readings, China in the llmfit ones: not dated
    assert "not dated" in view.share_chart.caption_text()
    view.set_panel("fixed")
    assert "Fixed panel: the" in view.panel_label.text()


def test_share_chart_is_built_when_the_share_measure_is_first_chosen(qtbot, home, store):
    """The share chart is not built with the view (most visits never show it); chosen, it is the
    chart shown and exported, and it draws every reading's shares of the share series."""
    from briefing.render.share_chart import ShareChart

    v = AdoptionView(home)
    qtbot.addWidget(v)
    v.show()
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    assert v._share_chart is None and v.chart_stack.count() == 1
    assert not v.findChildren(ShareChart)
    v.metric_combo.setCurrentIndex([m[0] for m in MEASURES].index("share"))
    chart = v.share_chart
    assert isinstance(chart, ShareChart) and v.chart_stack.currentWidget() is chart and chart.isVisible()
    assert v.exports.chart is chart
    sel = readings.select(readings.readings_frame(store), readings.SHARE_SERIES)
    expected = readings.shares(sel)
    expected = expected[expected["total"] > 0]
    assert list(chart.table.index) == list(expected.index)
    np.testing.assert_allclose(chart.table["CN"].to_numpy(dtype=float), expected["CN"].to_numpy(dtype=float))
    x, y = chart.points.getData()
    np.testing.assert_allclose(y, expected["CN"].to_numpy(dtype=float))  # one dot per reading: China's share
    assert "Share of 30-day downloads by developer country" in chart.title
    # back to downloads and to the share again: the same chart, not a second one
    v.metric_combo.setCurrentIndex([m[0] for m in MEASURES].index("downloads_30d"))
    assert v.chart_stack.currentWidget() is v.chart
    v.metric_combo.setCurrentIndex([m[0] for m in MEASURES].index("share"))
    assert v.share_chart is chart and v.chart_stack.count() == 2


def test_metric_switch_reloads(qtbot, view):
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.metric_combo.setCurrentIndex([m[0] for m in MEASURES].index("downloads_total"))
    assert view.chart.curves == {}
    assert "they appear after a Hub sync" in view.status.text()


def test_reported_figures_are_listed_apart_from_the_chart(view):
    rows = view.reported_model.rows()
    assert [r["id"] for r in rows] == ["share-cn-2025"]
    assert rows[0]["window"] == "2024-08-01 to 2025-08-31" and rows[0]["value"] == "17.1%"
    assert all(not np.any(np.isclose(view.chart.series(n)[1], 17.1)) for n in view.chart.curves)


def test_filters_change_the_rows_shown(view):
    assert _shown_ids(view) == ["deepseek-r1", "llama-3.1-8b", "qwen2.5-72b"]
    view.country_filter.choose("CN")
    assert _shown_ids(view) == ["deepseek-r1", "qwen2.5-72b"]
    view.access_filter.choose("open_weights")
    assert _shown_ids(view) == ["deepseek-r1"]
    view.clear_filters()
    view.license_filter.choose("Llama 3.1 Community License")
    assert _shown_ids(view) == ["llama-3.1-8b"]
    view.license_filter.choose(None)
    view.text_filter.setText("qwen")
    assert _shown_ids(view) == ["qwen2.5-72b"]
    assert view.rows_label.text() == "1 of 3 models"


def test_selecting_a_model_shows_detail_and_observations(view):
    view.country_filter.choose("US")
    view.show_record("model", "qwen2.5-72b")  # hidden by the filter: filters are cleared
    assert view.detail.current().id == "qwen2.5-72b"
    obs = [o for o in view.obs_model.rows() if o["metric"] == "downloads_30d"]
    assert [o["as_of"] for o in obs] == ["2024-10-01", "2024-12-03", "2025-02-18", "2026-03-01", "2026-05-01"]
    assert all(o["sources"] == ["hub-readings-fixture"] for o in obs)
    view.show_record("adoption", obs[0]["id"])
    assert view.detail.current().kind == "adoption"


def test_note_marks_the_model_row(view, home):
    view.show_record("model", "llama-3.1-8b")
    view.detail.note_edit.setPlainText("check licence")
    view.detail.save_note()
    row = view.table_model.row_of("model", "llama-3.1-8b")
    assert view.table_model.data(view.table_model.index(row, 0)) == NOTE_MARK


def test_hostile_model_name_stays_literal(qtbot, home):
    with home.store(readonly=False) as store:
        model = {k: v for k, v in store.record("model", "deepseek-r1").items() if k != "origin"}
        model["name"] = HOSTILE
        model["license"] = HOSTILE
        store.put_records("model", [validate("model", model)], origin="local")
    v = AdoptionView(home)
    qtbot.addWidget(v)
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    row = v.table_model.row_of("model", "deepseek-r1")
    assert v.table_model.data(v.table_model.index(row, 1)) == HOSTILE
    assert v.license_filter.find_label(HOSTILE) is not None
    v.show_record("model", "deepseek-r1")
    assert v.detail.heading.text() == HOSTILE
    assert v.detail.heading.textFormat().name == "PlainText"


def test_views_paint_as_widgets(qtbot, home):
    """grab() (what screenshots use) paints every view without crashing."""
    from briefing.ui.views.investment import InvestmentView
    from briefing.ui.views.policy import PolicyView

    for cls in (AdoptionView, InvestmentView, PolicyView):
        v = cls(home)
        qtbot.addWidget(v)
        v.resize(1000, 700)
        with qtbot.waitSignal(v.loaded, timeout=10_000):
            v.refresh()
        assert not v.grab().isNull()


def test_readout_legend_toggle_and_log(qtbot, view):
    from PySide6.QtCore import QPointF

    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    chart = view.chart
    vb = chart.plotItem.vb
    x = chart.series("United States")[0][1]
    qtbot.wait(50)  # let the layout settle so the view box has its on-screen geometry
    pos = vb.mapViewToScene(QPointF(x, 690))
    chart._on_mouse_moved(pos)  # what the scene's sigMouseMoved delivers
    assert view.readout.text() == "2024-12-03  ·  United States: 700  ·  reading of 2 repos"
    # the legend rows point at the live curves, so a click on a sample hides that series
    sample, _label = chart.legend.items[[lbl.text for _s, lbl in chart.legend.items].index("United States")]
    assert sample.item is chart.curves["United States"]
    sample.item.setVisible(False)
    assert chart.readout_at(x, 690)[0] == "China"
    view.log_box.setChecked(True)
    assert chart.plotItem.ctrl.logYCheck.isChecked()
    view.log_box.setChecked(False)
