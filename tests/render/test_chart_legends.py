"""Legends below the plot (never over data), the hidden 'Other' group, and one SI tick formatter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from briefing.core import frames
from briefing.render.adoption_chart import AdoptionChart
from briefing.render.chart_base import CountAxis
from briefing.render.charts import CHARTS, build_chart
from briefing.render.chart_export import layout_chart, record_scene

SIZES = [(1100, 450), (700, 260)]


@pytest.fixture
def other_store(store):
    """The fixture store plus two repos no catalogued developer owns (like third-party re-uploads)."""
    from tests.core.test_frames import _obs

    store.put_records("adoption", [
        _obs("nobody/unknown-model", "2024-07-14", 2000), _obs("nobody/unknown-model", "2024-07-28", 9000),
        _obs("someone/gguf-reupload", "2024-07-21", 10),
    ], origin="local")
    return store


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
def test_exported_adoption_charts_leave_other_out_and_say_so(qtbot, other_store, name):
    store = other_store
    chart = build_chart(store, name)
    qtbot.addWidget(chart)
    assert frames.OTHER not in chart.curves
    by = name.rsplit("-", 1)[1]
    count = frames.unattributed_subjects(frames.adoption_frame(store), by)
    assert count > 0
    assert chart.caption_text().endswith(f"{frames.other_note(count, by)} {'is' if count == 1 else 'are'} not shown")


def test_other_is_in_the_frame_hidden_and_shown_by_the_legend(qtbot, other_store):
    store = other_store
    frame = frames.adoption_frame(store)
    wide = frames.group_adoption(frame, "country")
    assert frames.OTHER in wide.columns
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    count = frames.unattributed_subjects(frame, "country")
    chart.set_frame(wide, other_count=count, by="country")
    assert frames.OTHER in chart.frame.columns  # kept, not dropped
    assert not chart.curves[frames.OTHER].isVisible()
    assert [e.text for e in chart.legend.entries][-1] == frames.OTHER  # listed last
    assert "hidden; click the legend to show them" in chart.caption_text()
    with qtbot.waitSignal(chart.sigSeriesToggled) as blocker:
        chart.legend.entry(frames.OTHER).toggle()  # what a click on the entry does
    assert blocker.args == [frames.OTHER, True]
    assert chart.curves[frames.OTHER].isVisible()
    assert chart.readout_at(chart.series(frames.OTHER)[0][-1], chart.series(frames.OTHER)[1][-1])[0] == frames.OTHER
    assert "hidden" not in chart.caption_text() and frames.OTHER in chart.caption_text()
    chart.set_frame(frames.group_adoption(frame, "organization"), other_count=count, by="organization")
    assert chart.curves[frames.OTHER].isVisible()  # the user's choice survives a regroup
    chart.set_series_visible(frames.OTHER, False)
    assert not chart.curves[frames.OTHER].isVisible() and "hidden" in chart.caption_text()


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
