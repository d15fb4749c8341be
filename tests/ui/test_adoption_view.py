"""Adoption view against the fixture store: series equal the core frame, filters, detail, hostile text."""

from __future__ import annotations

import numpy as np
import pytest

from briefing.core import frames
from briefing.core.records import validate
from briefing.ui.table_model import NOTE_MARK
from briefing.ui.views.adoption import AdoptionView

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


def test_series_equal_the_core_frame_for_each_grouping(view, store):
    frame = frames.adoption_frame(store)
    for by in frames.GROUPINGS:
        view.set_grouping(by)
        expected = frames.group_adoption(frame, by)
        assert sorted(view.chart.curves) == sorted(map(str, expected.columns))
        for name in expected.columns:
            _x, y = view.chart.series(str(name))
            np.testing.assert_array_equal(y, expected[name].to_numpy())


def test_date_range_filters_the_chart(view, store):
    view.set_date_range("2024-07-13", "2024-07-22")
    expected = frames.group_adoption(frames.adoption_frame(store), "country", start="2024-07-13", end="2024-07-22")
    assert len(expected) == 2
    _x, y = view.chart.series("CN")
    np.testing.assert_array_equal(y, expected["CN"].to_numpy())
    view.reset_view()
    assert len(view.chart.series("CN")[1]) == 4


def test_metric_switch_reloads(qtbot, view):
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.metric_combo.setCurrentIndex(1)  # downloads_30d: none in the fixture
    assert view.chart.curves == {}
    assert "No downloads (30 days)" in view.status.text()


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
    obs = view.obs_model.rows()
    assert [o["as_of"] for o in obs] == ["2024-07-07", "2024-07-14", "2024-07-21", "2024-07-28"]
    assert all(o["sources"] == ["kbhandari-forecast"] for o in obs)
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
    assert v.license_filter.findText(HOSTILE) >= 0
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


def test_readout_legend_toggle_log_and_milestones(qtbot, view):
    from PySide6.QtCore import QPointF

    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    chart = view.chart
    vb = chart.plotItem.vb
    x = chart.series("US")[0][1]
    qtbot.wait(50)  # let the layout settle so the view box has its on-screen geometry
    pos = vb.mapViewToScene(QPointF(x, 880))
    chart._on_mouse_moved(pos)  # what the scene's sigMouseMoved delivers
    assert view.readout.text() == "2024-07-14  ·  US: 900"
    # the legend rows point at the live curves, so a click on a sample hides that series
    sample, _label = chart.legend.items[[lbl.text for _s, lbl in chart.legend.items].index("US")]
    assert sample.item is chart.curves["US"]
    sample.item.setVisible(False)
    assert chart.readout_at(x, 880)[0] == "CN"
    view.log_box.setChecked(True)
    assert chart.plotItem.ctrl.logYCheck.isChecked()
    view.log_box.setChecked(False)
    assert len(chart._milestone_labels) == 0  # the fixture's only milestone is a share, not a count
