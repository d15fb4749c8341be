"""Investment view: bars equal the core sums, filters change rows and bars, tooltip, hostile text."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from briefing.core import frames
from briefing.core.records import validate
from briefing.ui.views.investment import InvestmentView

HOSTILE = "<img src=file:///etc/passwd>"
SRC = ["brussels-signal-macron"]


def _inv(id_, country, usd, *, category="compute", status="committed", title="A fund", amount=None, currency="USD"):
    return validate(
        "investment",
        {
            "id": id_,
            "country": country,
            "actor": "Gov",
            "title": title,
            "amount": amount if amount is not None else usd or 1,
            "currency": currency,
            "amount_usd": usd,
            "announced_on": "2024-05-01",
            "category": category,
            "status": status,
            "sources": SRC,
            "usd_basis": "converted at 2024 average rate" if currency != "USD" else None,
        },
    )


@pytest.fixture
def view(qtbot, home):
    with home.store(readonly=False) as store:
        store.put_records(
            "investment",
            [
                _inv("us-1", "US", 50e9, title=HOSTILE),
                _inv("us-2", "US", 10e9, category="research", status="announced"),
                _inv("cn-1", "CN", 40e9, category="sovereign_fund", amount=290e9, currency="CNY"),
                _inv("de-1", "DE", None, amount=5e9, currency="EUR"),
            ],
            origin="local",
        )
    v = InvestmentView(home)
    qtbot.addWidget(v)
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    return v


def _table_ids(view) -> list[str]:
    proxy = view.table.model()
    return sorted(view.table_model.ref_at(proxy.mapToSource(proxy.index(r, 1))).id for r in range(proxy.rowCount()))


def test_bars_equal_the_core_sums(view, store):
    expected = frames.investment_by_country(frames.investment_frame(store), "scope")
    assert list(view.chart.wide.index) == list(expected.index[::-1])  # largest at the top
    for col in expected.columns:
        widths = view.chart.bars[col].opts["width"]
        np.testing.assert_allclose(widths, expected[col].to_numpy()[::-1] / 1e9)
    view.colour_combo.setCurrentIndex(view.colour_combo.findData("status"))
    assert sorted(view.chart.bars) == ["announced", "committed"]
    assert "1 shown without a USD figure" in view.unconverted_label.text()
    # the commitment without an official rate is named on the chart itself
    assert "Not in the bars (no official exchange rate): DE 5,000,000,000 EUR" in view.chart.caption_text()


def test_colour_by_scope_and_confirmation_and_overlaps_counted_once(qtbot, home):
    with home.store(readonly=False) as store:
        store.put_records(
            "investment",
            [
                validate("investment", {**_inv("us-big", "US", 500e9), "scope": "ai", "confirmation": "official"}),
                validate(
                    "investment",
                    {
                        **_inv("ae-fund", "AE", 100e9),
                        "scope": "ai",
                        "confirmation": "press_reported",
                        "overlaps": ["us-big"],
                    },
                ),
                validate(
                    "investment",
                    {**_inv("us-chips", "US", 50e9), "scope": "semiconductors", "confirmation": "official"},
                ),
            ],
            origin="local",
        )
    v = InvestmentView(home)
    qtbot.addWidget(v)
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    assert "AE" not in list(v.chart.wide.index)  # its money is also counted in us-big: once only
    caption = v.chart.caption_text()  # ... and the chart says so, and names no press-reported bar it does not draw
    assert "Not in the bars (its money is also counted in another bar): UAE Gov (US$ 100 bn)" in caption
    assert "reported only by the press" not in caption
    assert set(v.chart.bars) >= {"ai", "semiconductors"}
    v.colour_combo.setCurrentIndex(v.colour_combo.findData("confirmation"))
    assert "official" in v.chart.bars
    v.scope_filter.choose("semiconductors")
    assert _table_ids(v) == ["us-chips"]


def test_filters_change_rows_and_bars(view):
    assert _table_ids(view) == ["cn-1", "de-1", "fr-2025-ai-109bn", "us-1", "us-2"]
    view.country_filter.choose("US")
    assert _table_ids(view) == ["us-1", "us-2"]
    assert list(view.chart.wide.index) == ["US"]
    view.category_filter.choose("research")
    assert _table_ids(view) == ["us-2"]
    view.clear_filters()
    view.status_filter.choose("announced")
    assert _table_ids(view) == ["fr-2025-ai-109bn", "us-2"]
    view.status_filter.choose(None)
    view.text_filter.setText("<img")
    assert _table_ids(view) == ["us-1"]
    assert view.rows_label.text() == "1 of 5 commitments"


def test_tooltip_has_original_amount_and_basis_literally(view):
    view.colour_combo.setCurrentIndex(view.colour_combo.findData("category"))  # one record per segment
    y_cn = list(view.chart.wide.index).index("CN")
    cn = view.chart.records_at(20.0, y_cn)
    text = view.chart.describe(cn)
    assert "290,000,000,000 CNY" in text and "converted at 2024 average rate" in text
    y_us = list(view.chart.wide.index).index("US")
    recs = view.chart.records_at(1.0, y_us)
    assert recs["id"].tolist() == ["us-1"]
    view.chart._on_mouse_moved(view.chart.plotItem.vb.mapViewToScene(QPointF(1.0, y_us)))
    tip = view.chart.toolTip()
    assert HOSTILE not in tip and "&lt;img src=file:///etc/passwd&gt;" in tip


def test_click_on_bar_opens_the_record(view):
    y_cn = list(view.chart.wide.index).index("CN")
    assert view.chart.click_at(20.0, y_cn) == ["cn-1"]
    assert view.detail.current().id == "cn-1"
    row = view.table_model.row_of("investment", "us-1")
    assert view.table_model.data(view.table_model.index(row, 3)) == HOSTILE
    view.show_record("investment", "us-1")
    assert view.detail.heading.text() == HOSTILE


def test_components_are_listed_not_stacked(qtbot, home):
    with home.store(readonly=False) as store:
        store.put_records(
            "investment",
            [
                _inv("us-pkg", "US", 50e9, title="The package", category="mixed"),
                validate("investment", {**_inv("us-part", "US", 20e9, title="A component"), "part_of": "us-pkg"}),
                validate(
                    "investment", {**_inv("de-part", "DE", None, amount=5e9, currency="EUR"), "part_of": "us-pkg"}
                ),
            ],
            origin="local",
        )
    v = InvestmentView(home)
    qtbot.addWidget(v)
    with qtbot.waitSignal(v.loaded, timeout=10_000):
        v.refresh()
    assert v.chart.wide.loc["US"].sum() == 50e9  # not 70e9
    y_us = list(v.chart.wide.index).index("US")
    recs = v.chart.records_at(1.0, y_us)
    assert recs["id"].tolist() == ["us-pkg"]
    text = v.chart.describe(recs)
    assert "Includes: A component: 20,000,000,000 USD (US$ 20 bn)" in text
    assert "Includes: A fund: 5,000,000,000 EUR" in text
    assert "Components of larger packages are not added on top of them" in v.chart.caption_text()
    assert "2 are components of a larger package" in v.unconverted_label.text()
    row = v.table_model.row_of("investment", "us-part")
    headers = [v.table_model.headerData(i, Qt.Orientation.Horizontal) for i in range(v.table_model.columnCount())]
    col = headers.index("Part of")
    assert v.table_model.data(v.table_model.index(row, col)) == "us-pkg"
    # the package filtered out: its component is the best figure there is, so it is counted
    v.category_filter.choose("compute")
    assert v.chart.wide.loc["US"].sum() == 20e9
