"""Each view's Export table…/Export chart… buttons write exactly the rows and chart it shows."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from briefing.core import readings
from briefing.ui.table_model import shown_ids
from briefing.ui.views.adoption import AdoptionView
from briefing.ui.views.investment import InvestmentView
from briefing.ui.views.policy import PolicyView
from briefing.ui.views.sources import SourcesView


@pytest.fixture
def save_to(tmp_path, monkeypatch):
    """Make every save dialog answer with a file in tmp_path (the filter picks the format)."""
    answers = {}

    def fake(_parent, _title, _suggested, filters):
        path = answers["path"]
        chosen = next(f for f in filters.split(";;") if f"*{path.suffix}" in f)
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))

    def choose(name: str):
        answers["path"] = tmp_path / name
        return answers["path"]

    return choose


def _load(qtbot, view):
    qtbot.addWidget(view)
    if hasattr(view, "loaded"):
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.refresh()
    else:
        view.refresh()
    return view


def _click_export_table(qtbot, view, out):
    qtbot.mouseClick(view.exports.table_button, Qt.MouseButton.LeftButton)
    task = view.exports.last_task
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished() and out.exists(), timeout=10_000)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return [row["id"] for row in csv.DictReader(fh)]


def test_adoption_exports_the_filtered_models_in_view_order(qtbot, home, save_to):
    view = _load(qtbot, AdoptionView(home))
    view.country_filter.choose("CN")
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    expected = shown_ids(view.table)
    assert expected and len(expected) < len(view.data["models"])
    assert _click_export_table(qtbot, view, save_to("models.csv")) == expected
    assert view.exports.table_button.accessibleName() == "Export the adoption table"
    assert view.exports.chart_button.accessibleName() == "Export the adoption chart"


def test_adoption_chart_export_keeps_the_panel_and_unattributed(qtbot, home, save_to):
    view = _load(qtbot, AdoptionView(home))
    chart = view.chart
    assert readings.UNATTRIBUTED in view.grouped.columns and chart.curves[readings.UNATTRIBUTED].isVisible()
    out = save_to("chart.svg")
    qtbot.mouseClick(view.exports.chart_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=10_000)  # the file is written by a background task
    svg = out.read_text(encoding="utf-8")
    assert "Each reading&#x27;s own repos" in svg or "Each reading's own repos" in svg
    # a static image states the dates it shows and never asks the reader to click
    assert "click" not in svg.lower() and "Shown: " in svg


def test_investment_exports_the_filtered_rows(qtbot, home, save_to):
    view = _load(qtbot, InvestmentView(home))
    country = sorted(set(view.frame["country"]))[0]
    view.country_filter.choose(country)
    expected = shown_ids(view.table)
    assert expected == list(view.shown["id"])
    assert _click_export_table(qtbot, view, save_to("inv.csv")) == expected


def test_policy_exports_the_filtered_rows(qtbot, home, save_to):
    from briefing.core.records import validate

    extra = [
        validate(
            "policy_action",
            {
                "id": f"eu-act-{i}",
                "body": "European Parliament",
                "date": f"2024-0{i}-01",
                "instrument": "legislation",
                "jurisdiction": "EU",
                "related": [],
                "sources": ["fr-2025-00636"],
                "stage": "enacted",
                "stance_on_open_models": "mixed",
                "summary": "",
                "title": f"Act {i}",
                "identifiers": {},
            },
        )
        for i in (3, 5)
    ]
    with home.store(readonly=False) as store:
        store.put_records("policy_action", extra, origin="local")
    view = _load(qtbot, PolicyView(home))
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by date, newest first
    view.jurisdiction_filter.choose("EU")
    assert shown_ids(view.table) == ["eu-act-5", "eu-act-3"]
    view.jurisdiction_filter.choose("US")
    expected = shown_ids(view.table)
    assert sorted(expected) == sorted(view.shown["id"]) and len(expected) < len(view.frame)
    assert _click_export_table(qtbot, view, save_to("policy.csv")) == expected


def test_sources_exports_the_filtered_rows(qtbot, home, save_to):
    view = _load(qtbot, SourcesView(home))
    assert view.exports.chart_button is None  # a table-only view
    view.filter_edit.setText("Federal Register")
    expected = shown_ids(view.table)
    assert 0 < len(expected) < view.model.rowCount()
    assert _click_export_table(qtbot, view, save_to("sources.csv")) == expected
