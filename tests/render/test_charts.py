"""render/charts: every named chart builds headless and paints something; hostile text stays text."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSize

from briefing.core import frames, readings
from briefing.core.records import validate
from briefing.render.adoption_chart import AdoptionChart
from briefing.render.chart_base import _tooltip, source_line, timestamps
from briefing.render.chart_export import paint_scene, record_scene
from briefing.render.charts import CHARTS, build_chart
from briefing.render.investment_chart import InvestmentChart
from briefing.render.policy_chart import PolicyTimelineChart
from briefing.render.share_chart import ShareChart

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


def test_adoption_series_equal_the_grouped_readings(qtbot, store):
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    sel = readings.select(readings.readings_frame(store), readings.DOWNLOAD_SERIES)
    for by in readings.GROUPINGS:
        wide = readings.group(sel, by)
        chart.set_readings(wide, sel.series)
        assert sorted(chart.curves) == sorted(map(str, wide.columns))
        for name in wide.columns:
            x, y = chart.series(str(name))
            np.testing.assert_array_equal(y, wide[name].to_numpy())
            np.testing.assert_array_equal(x, timestamps(wide.index))
    wide = readings.group(sel, "family")
    chart.set_readings(wide, sel.series)
    last = timestamps(wide.index)[-1]
    chart.set_log(True)
    assert chart.readout_at(last, np.log10(2600))[0] == "Qwen"
    chart.set_log(False)
    assert chart.readout_at(timestamps(wide.index)[0], 880) == ("Llama", "2024-10-01", 900.0)


def test_lines_break_between_series_and_every_reading_is_a_dot(qtbot, store):
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    sel = readings.select(readings.readings_frame(store), ["forecast", "llmfit"])
    wide = readings.group(sel, "country")
    chart.set_readings(wide, sel.series)
    assert list(sel.series) == ["forecast"] * 3 + ["llmfit"] * 2
    # forecast 2024-10 .. 2025-02, then llmfit 2026: no line across the gap between the series
    np.testing.assert_array_equal(chart._connect(wide["CN"].to_numpy()), [True, True, False, True, False])
    x, y = chart.curves["CN"].getData()
    assert len(x) == len(wide) + 1 and np.isnan(y[3])  # a gap point between the two series
    assert sum(len(chart.dots(n)[0]) for n in chart.curves) == int(np.isfinite(wide.to_numpy()).sum())
    assert chart.bars_mode is False and not chart.bars.isVisible()


def test_a_single_reading_is_drawn_as_bars_with_its_date(qtbot, store):
    """Likes at one date: bars, one per group, never an empty line chart."""
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    store.put_records(
        "adoption",
        [
            validate(
                "adoption",
                {
                    "id": f"t.likes.{repo}",
                    "subject_kind": "hf_repo",
                    "subject": repo,
                    "metric": "likes",
                    "value": v,
                    "unit": "count",
                    "as_of": "2026-05-10",
                    "method": "test",
                    "series": "llmfit",
                    "sources": ["kbhandari-forecast"],
                },
            )
            for repo, v in (("Qwen/Qwen2.5-72B", 900), ("meta-llama/Llama-3.1-8B", 400))
        ],
        origin="local",
    )
    sel = readings.select(readings.readings_frame(store, metric="likes"))
    wide = readings.group(sel, "country")
    chart.set_metric("likes")
    chart.set_readings(wide, sel.series)
    assert chart.bars_mode and chart.bars.isVisible()
    assert list(chart.bars.opts["height"]) == [900.0, 400.0]
    ticks = chart.plotItem.getAxis("bottom")._tickLevels
    assert [t[1] for t in ticks[0]] == ["CN", "US"]
    assert chart.readout_at(1.0, 300) == ("US", "2026-05-10", 400.0)
    assert _not_blank(paint_scene(record_scene(chart, QSize(500, 300))))


def test_share_chart_stacks_to_100_and_labels_a_crossover(qtbot):
    import pandas as pd

    idx = pd.date_range("2025-01-01", periods=4, freq="7D", name="date")
    table = pd.DataFrame({"CN": [20.0, 30, 45, 50], "US": [50.0, 45, 40, 30], "Other": [10.0, 10, 5, 10]}, index=idx)
    table[readings.UNATTRIBUTED] = 100 - table.sum(axis=1)
    table["n_repos"], table["total"], table["series"] = 10, 1000.0, "llmfit"
    found = readings.crossover(table)
    chart = ShareChart()
    qtbot.addWidget(chart)
    chart.set_shares(table, found, coverage=lambda i: f"reading {i}: 10 repos")
    labels = [i for i in chart._items if isinstance(i, pg.TextItem)]
    assert [lab.toPlainText() for lab in labels] == [" China passes United States: 2025-01-15 (llmfit scrapes)"]
    fills = [i for i in chart._items if isinstance(i, pg.FillBetweenItem)]
    assert len(fills) == 4  # one band per bucket
    assert len(chart.points.data) == 4
    assert "China 45.0%" in chart.point_text(2) and chart.point_text(2).endswith("reading 2: 10 repos")
    chart.set_shares(table, [])  # no crossover in the data: nothing labelled
    assert not [i for i in chart._items if isinstance(i, pg.TextItem)]


def test_an_empty_chart_says_so_and_shows_no_made_up_dates(qtbot):
    """With nothing to draw, pyqtgraph would label the default 0..1 s range as '00.250' ...: the
    plot says there is no reading, the date axis shows no values, and a printed caption claims no
    range; the next data bring the axis back."""
    import pandas as pd

    share = ShareChart()
    qtbot.addWidget(share)
    share.set_shares(pd.DataFrame())
    label = share._empty_label
    assert label is not None and label.isVisible() and label.toPlainText() == share.empty_message != ""
    assert not share.plotItem.getAxis("bottom").style["showValues"]
    assert share.plotItem.getAxis("left").style["showValues"]  # the 0-100 % scale is still true
    assert share.shown_range() == ""

    adoption = AdoptionChart()
    qtbot.addWidget(adoption)
    adoption.set_frame(pd.DataFrame(index=pd.DatetimeIndex([], name="date")))
    assert adoption.empty_message and not adoption.plotItem.getAxis("left").style["showValues"]
    idx = pd.date_range("2025-01-01", periods=3, freq="7D", name="date")
    adoption.set_frame(pd.DataFrame({"Qwen": [1.0e6, 2.0e6, 3.0e6]}, index=idx))
    assert adoption.empty_message == "" and not adoption._empty_label.isVisible()
    assert (
        adoption.plotItem.getAxis("bottom").style["showValues"]
        and adoption.plotItem.getAxis("left").style["showValues"]
    )
    assert adoption.shown_range().startswith("Shown: ")


def test_company_totals_never_share_an_axis_with_hub_readings(qtbot, store):
    """Reported totals (family/country records) are not readings: no chart draws them."""
    store.put_records(
        "adoption",
        [
            validate(
                "adoption",
                {
                    "id": "llama-total",
                    "subject_kind": "family",
                    "subject": "Llama",
                    "metric": "downloads_total",
                    "value": 1_000_000_000,
                    "unit": "count",
                    "as_of": "2025-03-18",
                    "method": "Meta's claim, all channels",
                    "sources": ["kbhandari-forecast"],
                },
            )
        ],
        origin="local",
    )
    for name in ("adoption-by-country", "adoption-by-family", "adoption-share", "derivatives-by-family"):
        chart = build_chart(store, name)
        qtbot.addWidget(chart)
        drawn = [item for item in chart.plotItem.items if isinstance(item, (pg.PlotDataItem, pg.ScatterPlotItem))]
        for item in drawn:
            _x, y = item.getData()
            assert y is None or not np.any(np.isclose(np.asarray(y, dtype=float), 1e9))
        assert not any(isinstance(i, pg.TextItem) and "Llama" in i.toPlainText() for i in chart.plotItem.items)
    frame = readings.readings_frame(store, metric="downloads_total")
    assert "Llama" not in set(frame["subject"].astype(str))  # a family figure is never a reading


def test_caption_is_escaped(qtbot, store):
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    chart.set_meta(title=HOSTILE, source_line=f"Source: {HOSTILE}", as_of="2025-01-01")
    chart.set_captions(title=True, source=True)
    assert chart.caption_text() == f"Source: {HOSTILE}  ·  Data as of 2025-01-01"
    assert HOSTILE not in chart._source_label.text and "&lt;img" in chart._source_label.text
    assert chart.plotItem.titleLabel.item.toPlainText() == HOSTILE


def test_investment_tooltip_has_amount_and_basis_literally(qtbot, store):
    store.put_records(
        "investment",
        [
            validate(
                "investment",
                {
                    "id": "x-1",
                    "country": "FR",
                    "actor": "A",
                    "title": HOSTILE,
                    "amount": 5e9,
                    "currency": "USD",
                    "amount_usd": 5e9,
                    "announced_on": "2024-01-01",
                    "category": "compute",
                    "status": "committed",
                    "sources": ["epoch-notable"],
                },
            )
        ],
        origin="local",
    )
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
    table = readings.shares(readings.select(readings.readings_frame(store), readings.SHARE_SERIES))
    chart.set_overlay(table[["CN", "US"]], series=table["series"])
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
    many = source_line(
        store, ["epoch-notable", "fr-2025-00636", "kbhandari-forecast", "brussels-signal-macron"], limit=2
    )
    assert many.startswith("Sources: ") and "(4 sources; each record lists its own)" in many
    assert "and 2 other publishers" in many
    assert source_line(store, ["no-such-source"]) == ""


def test_source_line_names_primary_publishers_first(store):
    # the Federal Register (primary) before the secondary publishers, whatever the counts or names
    ids = ["epoch-notable", "fr-2025-00636", "kbhandari-forecast", "brussels-signal-macron"]
    many = source_line(store, ids, limit=2)
    assert many.startswith("Sources: Federal Register (1), ")
    few = source_line(store, ["epoch-notable", "fr-2025-00636"])
    assert few.startswith("Sources: Federal Register, Framework for Artificial Intelligence Diffusion; Epoch AI")
