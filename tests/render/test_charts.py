"""render/charts: every named chart builds headless and paints something; hostile text stays text."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSize

from briefing.core import frames
from briefing.core.records import validate
from briefing.render.adoption_chart import AdoptionChart
from briefing.render.chart_base import _tooltip, source_line, timestamps
from briefing.render.investment_chart import InvestmentChart
from briefing.render.policy_chart import PolicyTimelineChart
from briefing.render.chart_export import paint_scene, record_scene
from briefing.render.charts import CHARTS, build_chart

HOSTILE = "<img src=file:///etc/passwd>"


def _not_blank(image) -> bool:
    ptr = image.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
    return len(np.unique(arr.reshape(-1, 4)[::7], axis=0)) > 3


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_renders(qtbot, store, name):
    chart = build_chart(store, name)
    qtbot.addWidget(chart)
    assert chart.title
    image = paint_scene(record_scene(chart, QSize(640, 400)))
    assert (image.width(), image.height()) == (640, 400)
    assert _not_blank(image)


def test_adoption_series_equal_the_frame(qtbot, store):
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    frame = frames.adoption_frame(store)
    for by in frames.GROUPINGS:
        wide = frames.group_adoption(frame, by)
        chart.set_frame(wide)
        assert sorted(chart.curves) == sorted(map(str, wide.columns))
        for name in wide.columns:
            x, y = chart.series(str(name))
            np.testing.assert_array_equal(y, wide[name].to_numpy())
            np.testing.assert_array_equal(x, timestamps(wide.index))
    chart.set_log(True)
    assert chart.readout_at(timestamps(wide.index)[-1], np.log10(1500))[0] == "Qwen"
    chart.set_log(False)
    series, date, value = chart.readout_at(timestamps(wide.index)[0], 480)
    assert (series, date, value) == ("Llama", "2024-07-07", 500.0)


def test_caption_is_escaped(qtbot, store):
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    chart.set_meta(title=HOSTILE, source_line=f"Source: {HOSTILE}", as_of="2025-01-01")
    chart.set_captions(title=True, source=True)
    assert chart.caption_text() == f"Source: {HOSTILE}  ·  Data as of 2025-01-01"
    assert HOSTILE not in chart._source_label.text and "&lt;img" in chart._source_label.text
    assert chart.plotItem.titleLabel.item.toPlainText() == HOSTILE


def test_investment_tooltip_has_amount_and_basis_literally(qtbot, store):
    store.put_records("investment", [validate("investment", {
        "id": "x-1", "country": "FR", "actor": "A", "title": HOSTILE, "amount": 5e9,
        "currency": "USD", "amount_usd": 5e9, "announced_on": "2024-01-01", "category": "compute",
        "status": "committed", "sources": ["epoch-notable"]})], origin="local")
    chart = InvestmentChart()
    qtbot.addWidget(chart)
    chart.set_frame(frames.investment_frame(store), colour_by="category")
    recs = chart.records_at(2.0, 0.0)  # FR bar: compute 0-5B, then mixed 5-117.4B
    assert recs["id"].tolist() == ["x-1"]
    text = chart.describe(chart.records_at(50.0, 0.0))
    assert "109,000,000,000 EUR" in text and "China Daily" in text
    tip = _tooltip(chart.describe(recs))
    assert HOSTILE not in tip and "&lt;img src=file:///etc/passwd&gt;" in tip


def test_policy_marker_click_and_overlay(qtbot, store):
    chart = PolicyTimelineChart()
    qtbot.addWidget(chart)
    chart.set_frame(frames.policy_frame(store))
    pos = chart.position_of("us-bis-2025-ai-diffusion")
    assert pos is not None
    with qtbot.waitSignal(chart.sigActionClicked) as blocker:
        chart.click_at(*pos)
    assert blocker.args == ["us-bis-2025-ai-diffusion"]
    assert "Framework for Artificial Intelligence Diffusion" in chart.describe("us-bis-2025-ai-diffusion")
    chart.set_overlay(frames.group_adoption(frames.adoption_frame(store), "country"))
    assert len(chart.overlay_curves) == 2
    chart.set_overlay(None)
    assert chart.overlay_curves == []


def test_legend_survives_many_shrinking_updates(qtbot):
    """Regression: pyqtgraph's legend asks PySide for empty grid cells, which leaks None refs and aborts."""
    import pyqtgraph as pg

    from briefing.render.legend import SafeLegend

    legend = SafeLegend()
    curves = [pg.PlotDataItem([0, 1], [0, 1]) for _ in range(10)]
    for i in range(3000):
        legend.clear()
        for curve in curves[: 1 + i % 10]:
            legend.addItem(curve, "x")
    assert len(legend.items) == 1 + 2999 % 10
    assert legend.geometry().height() > 0


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_grabs_as_a_widget(qtbot, store, name):
    """QWidget.grab() goes through Qt's own paint path (virtuals such as metric()), unlike painting a recorded scene."""
    chart = build_chart(store, name)
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    pixmap = chart.grab()
    assert (pixmap.width(), pixmap.height()) == (500, 300)
    assert _not_blank(pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_ARGB32))


def test_long_source_line_wraps_inside_the_chart(qtbot, store):
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    chart.set_meta(source_line="Source: " + "a very long publisher name; " * 80)
    chart.resize(600, 400)
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.wait(20)
    assert chart.plotItem.geometry().width() <= 601


def test_source_line_summarises_many_sources(store):
    one = source_line(store, ["epoch-notable"])
    assert one == "Source: Epoch AI, Notable AI Models"
    many = source_line(store, ["epoch-notable", "fr-2025-00636", "kbhandari-forecast", "brussels-signal-macron"],
                              limit=2)
    assert many.startswith("Sources: ") and "(4 sources; each record lists its own)" in many
    assert "and 2 other publishers" in many
    assert source_line(store, ["no-such-source"]) == ""
