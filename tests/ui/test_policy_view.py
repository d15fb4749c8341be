"""Policy view: clicking a timeline marker opens that action; filters; overlay; hostile text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from briefing.core.records import validate
from briefing.ui.views.policy import PolicyView

HOSTILE = "<img src=file:///etc/passwd>"
SRC = ["fr-2025-00636"]


def _action(
    id_: str,
    jurisdiction: str,
    date: str,
    *,
    instrument="legislation",
    stage="enacted",
    stance="supportive",
    title="An act",
) -> dict:
    return validate(
        "policy_action",
        {
            "id": id_,
            "jurisdiction": jurisdiction,
            "body": "Parliament",
            "title": title,
            "instrument": instrument,
            "stage": stage,
            "date": date,
            "stance_on_open_models": stance,
            "summary": "s",
            "sources": SRC,
        },
    )


@pytest.fixture
def view(qtbot, home):
    with home.store(readonly=False) as store:
        store.put_records(
            "policy_action",
            [
                _action("cn-2023-genai", "CN", "2023-07-10", instrument="regulation", stage="in_force", stance="mixed"),
                _action("eu-ai-act", "EU", "2024-03-13", stance="mixed"),
                _action("us-hostile", "US", "2024-06-01", title=HOSTILE, instrument="guidance", stance="supportive"),
            ],
            origin="local",
        )
    v = PolicyView(home)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    return v


def _table_ids(view) -> list[str]:
    proxy = view.table.model()
    return sorted(view.table_model.ref_at(proxy.mapToSource(proxy.index(r, 1))).id for r in range(proxy.rowCount()))


def test_lanes_and_markers(view):
    assert sorted(view.chart.lanes) == ["CN", "EU", "US"]
    assert view.chart.lanes[0] == "US"  # two actions: the busiest lane first
    assert len(view.chart.points.data) == 4


def test_clicking_a_marker_opens_that_action(view):
    pos = view.chart.position_of("eu-ai-act")
    assert view.chart.click_at(*pos) == "eu-ai-act"
    assert view.detail.current().id == "eu-ai-act"
    assert view.detail.heading.text() == "An act"
    selected = view.table.selectionModel().selectedRows()
    assert len(selected) == 1


def test_real_mouse_click_on_a_marker(qtbot, view):
    view.show()
    qtbot.waitExposed(view)
    view.chart.reset_view()
    qtbot.wait(50)
    x, y = view.chart.position_of("cn-2023-genai")
    widget_pos = view.chart.mapFromScene(view.chart.plotItem.vb.mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(view.chart.sigActionClicked, timeout=2_000) as blocker:
        qtbot.mouseClick(view.chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(widget_pos.x(), widget_pos.y()))
    assert blocker.args == ["cn-2023-genai"]
    assert view.detail.current().id == "cn-2023-genai"


def test_filters_change_rows_and_markers(view):
    assert _table_ids(view) == ["cn-2023-genai", "eu-ai-act", "us-bis-2025-ai-diffusion", "us-hostile"]
    view.jurisdiction_filter.choose("US")
    assert _table_ids(view) == ["us-bis-2025-ai-diffusion", "us-hostile"]
    assert view.chart.lanes == ["US"]
    view.jurisdiction_filter.choose(None)
    view.stance_filter.choose("mixed")
    assert _table_ids(view) == ["cn-2023-genai", "eu-ai-act", "us-bis-2025-ai-diffusion"]
    view.instrument_filter.choose("regulation")
    assert _table_ids(view) == ["cn-2023-genai"]
    view.clear_filters()
    view.stage_filter.choose("rescinded")
    assert _table_ids(view) == ["us-bis-2025-ai-diffusion"]
    view.clear_filters()
    from PySide6.QtCore import QDate

    view.dates.start.setDate(QDate(2024, 1, 1))  # what a user does in the two date edits
    view.dates.end.setDate(QDate(2024, 12, 31))
    assert _table_ids(view) == ["eu-ai-act", "us-hostile"]
    assert view.rows_label.text() == "2 of 4 policy actions"
    # a record hidden by the filters is still reachable: the filters are cleared
    view.show_record("policy_action", "cn-2023-genai")
    assert view.detail.current().id == "cn-2023-genai"
    assert "cn-2023-genai" in _table_ids(view)


def test_adoption_overlay(qtbot, view):
    with qtbot.waitSignal(view.overlay_loaded, timeout=10_000):
        view.overlay_box.setChecked(True)
    assert len(view.chart.overlay_curves) == 2
    assert view.chart.overlay_box.isVisible() or not view.isVisible()
    view.overlay_box.setChecked(False)  # the adoption layer off: drawn no more (kept for the next time)
    assert not view.chart.layer_on("adoption") and not view.chart.overlay_box.isVisible()


def test_hostile_title_is_literal_in_table_tooltip_and_detail(view):
    row = view.table_model.row_of("policy_action", "us-hostile")
    assert view.table_model.data(view.table_model.index(row, 3)) == HOSTILE
    x, y = view.chart.position_of("us-hostile")
    points = view.chart.points.pointsAt(QPointF(x, y))
    view.chart._on_hovered(view.chart.points, points)
    tip = view.chart.points.toolTip()
    assert HOSTILE not in tip and "&lt;img src=file:///etc/passwd&gt;" in tip
    view.chart.click_at(x, y)
    assert view.detail.heading.text() == HOSTILE
