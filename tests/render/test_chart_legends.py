"""Legends below the plot (never over data), the unattributed group kept, and one SI tick formatter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from briefing.core import readings
from briefing.render.chart_base import CountAxis
from briefing.render.chart_export import layout_chart, record_scene
from briefing.render.charts import CHARTS, build_chart

SIZES = [(1100, 450), (700, 260)]


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize("size", SIZES)
def test_legend_is_outside_the_plot_and_whole(qtbot, store, name, size):
    chart = build_chart(store, name)
    qtbot.addWidget(chart)
    layout_chart(chart, QSize(*size))
    record_scene(chart, QSize(*size))  # paints the scene once, as an export does
    plot = chart.plotItem.vb.sceneBoundingRect()
    legend = chart.legend.sceneBoundingRect()
    if not chart.legend.entries:  # no data of this kind in the fixture: no legend row at all
        assert not chart.legend.isVisible()
        return
    assert chart.legend.isVisible()
    assert not legend.intersects(plot)
    assert legend.top() >= plot.bottom()
    assert legend.bottom() <= size[1] + 0.5  # nothing clipped at the chart's edge
    for entry in chart.legend.entries:  # every entry inside the legend's own rectangle
        r = entry.sceneBoundingRect()
        assert legend.adjusted(-0.5, -0.5, 0.5, 0.5).contains(r), entry.text


@pytest.mark.parametrize("name", ["adoption-by-country", "adoption-by-organization", "adoption-by-family"])
def test_exported_adoption_charts_keep_unattributed_and_say_which_panel(qtbot, store, name):
    chart = build_chart(store, name)
    qtbot.addWidget(chart)
    missing = readings.NO_FAMILY if name.endswith("family") else readings.UNATTRIBUTED
    assert missing in chart.curves and chart.curves[missing].isVisible()  # shown, never hidden
    caption = chart.caption_text()
    assert "5 readings of 2 to 4 repos, each on its own repos; lines break between series" in caption
    assert caption.startswith("Sources: Forecast study (Bhandari et al.); llmfit scrapes (1 source record)")


def test_a_static_image_never_says_click_and_states_the_range_shown(qtbot, store):
    from briefing.render.chart_export import grab_chart

    chart = build_chart(store, "adoption-by-country")
    qtbot.addWidget(chart)
    live = "2 repositories are hidden; click the legend to show them"
    chart.set_meta(note=live)  # what a live chart may tell its user
    picture = grab_chart(chart)
    assert "click" not in picture.description.lower() and "2 repositories are not shown" in picture.description
    assert "Shown: " in picture.description and "\u2013" in picture.description
    assert chart.note == live  # the live chart keeps its own note


def test_legend_text_is_plain(qtbot):
    import pyqtgraph as pg

    from briefing.render.legend import SafeLegend

    legend = SafeLegend()
    legend.addItem(pg.PlotDataItem([0, 1], [0, 1]), "<b>bold</b> & " + "x" * 80)
    entry = legend.entries[0]
    assert entry.shown_text.startswith("<b>bold</b> & x") and len(entry.shown_text) <= legend.max_chars
    assert "&lt;b&gt;" in entry.toolTip()


def test_one_si_formatter_for_every_value_axis(qtbot, store):
    axis = CountAxis("left")
    assert axis.tickStrings([0, 2e9, 4.5e9, 5e8, 2500], 1.0, 1e9) == ["0", "2B", "4.5B", "500M", "2.5k"]
    inv = build_chart(store, "investment-by-country")
    qtbot.addWidget(inv)
    bottom = inv.plotItem.getAxis("bottom")
    assert isinstance(bottom, CountAxis)
    assert bottom.tickStrings([0, 100, 550], 1.0, 50) == ["$0", "$100B", "$550B"]
    policy = build_chart(store, "policy-timeline")
    qtbot.addWidget(policy)
    assert isinstance(policy.plotItem.getAxis("right"), CountAxis)
    axis.enableAutoSIPrefix(True)  # pyqtgraph's 'x1e+09' label suffix can never come back
    assert not axis.autoSIPrefix
