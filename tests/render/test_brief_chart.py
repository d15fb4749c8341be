"""The brief's chart (issue 12): its series are the app chart's series, its captions and alternative
text the app chart's words, drawn as plain, well-formed SVG with every string as text; and a brief
is made without Qt, numpy or pandas (overview, policy) in a fresh interpreter."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET

import pytest

from briefing.core import reading_series, readings
from briefing.render import brief_chart, charts

SVG = "{http://www.w3.org/2000/svg}"
TOPIC_CHARTS = ("adoption-share", "policy-timeline", "investment-by-country")


def _same_shares(store):
    table = reading_series.share_table(store)
    app = readings.shares(readings.select(readings.readings_frame(store), readings.SHARE_SERIES))
    assert len(app) == len(table.rows) > 0
    for (day, row), mine in zip(app.iterrows(), table.rows):
        assert (day.date(), str(row["series"]), int(row["n_repos"])) == (mine.date, mine.series, mine.n_repos)
        assert math.isclose(float(row["total"]), mine.total, rel_tol=1e-12)
        for b in readings.BUCKETS:
            a, c = float(row[b]), mine.shares[b]
            assert (math.isnan(a) and math.isnan(c)) or math.isclose(a, c, rel_tol=1e-9, abs_tol=1e-9), (day, b)
    assert readings.crossover(app) == reading_series.share_crossovers(table.rows)
    assert readings.lead_between_series(app, short=True) == reading_series.share_lead_between_series(table.rows)


def test_the_briefs_share_series_is_the_app_charts_series(store, bundled_home):
    """Reading by reading, on the fixture and on the real bundled snapshot (two series, a gap)."""
    _same_shares(store)
    with bundled_home.store() as real:
        _same_shares(real)


@pytest.mark.parametrize("name", TOPIC_CHARTS)
def test_the_briefs_chart_says_what_the_app_chart_says(bundled_home, name):
    with bundled_home.store() as store:
        app = charts.load_chart_data(store, name)
        mine = brief_chart.load_brief_chart(store, name)
    assert (mine.title, mine.source_line, mine.as_of, mine.note, mine.description) == (
        app.title,
        app.source_line,
        app.as_of,
        app.note,
        app.description,
    )
    assert mine.caption_text() == app.caption_text() and len(mine.description) > 60


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("name", TOPIC_CHARTS)
def test_each_chart_is_plain_svg_with_its_axes_and_key_as_text(bundled_home, name):
    with bundled_home.store() as store:
        chart = brief_chart.load_brief_chart(store, name)
    svg = brief_chart.chart_svg(chart, 532, 240)
    root = ET.fromstring(svg)  # well-formed
    assert root.get("viewBox") == "0 0 532.00 240.00"
    texts = _texts(svg)
    if name == "adoption-share":
        assert {"China", "United States", "Other countries", "Unattributed"} <= set(texts)
        assert "Share of 30-day downloads (%)" in texts and "100" in texts
        assert any(t.startswith("Readings shown: ") for t in texts)  # the range shown, in words
        assert len(list(root.iter(f"{SVG}polygon"))) == 4 * 2  # two series: a band per bucket each
    elif name == "policy-timeline":
        assert {"Stance on open models:", "Instrument:", "restrictive", "export control", "United States"} <= set(texts)
        assert len(chart.data) == len(store_records(bundled_home, "policy_action"))
    else:
        assert {
            "Scope:",
            "AI-specific",
            "AI with other technologies",
            "Commitments (USD, each counted once)",
            "United States",
        } <= set(texts)
        assert any(t.startswith("$") and t.endswith("B") for t in texts)
    assert not any("click" in t.lower() for t in texts)  # a printed chart has nothing to click


def store_records(home, kind):
    with home.store() as store:
        return store.records(kind)


def test_hostile_text_in_the_chart_stays_text():
    hostile = 'US<script>alert(1)</script> & "x" \x01 ]]> <!--'
    actions = [
        {
            "id": "a",
            "date": "2025-01-02",
            "jurisdiction": hostile,
            "instrument": "legislation",
            "stance_on_open_models": "neutral",
            "sources": [],
        }
    ]
    chart = brief_chart.BriefChart("policy-timeline", "timeline", "t", "", "2025-01-02", data=actions)
    svg = brief_chart.chart_svg(chart, 400, 200)
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert hostile.replace("\x01", "") in _texts(svg)  # literal, minus the one character XML cannot hold


def test_empty_data_draws_a_labelled_empty_chart_that_claims_no_range():
    for kind, data in (("share", ()), ("timeline", []), ("bars", [])):
        svg = brief_chart.chart_svg(brief_chart.BriefChart("x", kind, "t", "", "", data=data), 300, 160)
        texts = _texts(svg)
        assert any(t.startswith("No ") for t in texts)
        assert not [t for t in texts if re.search(r"^\$|\b(19|20)\d\d\b|Readings shown", t)]  # no amounts, no dates


def test_office_chart_is_the_same_svg_rasterised(store, home, tmp_path):
    from PIL import Image

    from briefing.render.brief import CHART_PX_PER_PT
    from briefing.render.pdf import draft_page, office_chart

    with home.notes() as notes:
        draft = draft_page(store, "overview", notes=notes)
    png = office_chart(draft)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.width - draft.plan.chart_w * CHART_PX_PER_PT) <= 2
    assert abs(image.height - draft.plan.chart_h * CHART_PX_PER_PT) <= 2
    colours = {c for _, c in image.convert("RGB").getcolors(1 << 20)}
    assert (0xD5, 0x5E, 0x00) in colours  # China's band is drawn


IMPORTS = """
import json, sys
from briefing import cli
try:
    cli.main(sys.argv[1:])
except SystemExit as exc:
    assert not exc.code, exc.code
print('MODULES=' + json.dumps(sorted(m for m in sys.modules if '.' not in m)))
"""


@pytest.mark.parametrize("topic,fmt", [("overview", "pdf"), ("policy", "pdf"), ("overview", "docx")])
def test_a_brief_from_the_cli_imports_no_qt_numpy_or_pandas(home, tmp_path, topic, fmt):
    import json
    import os
    import subprocess
    import sys

    out = tmp_path / f"{topic}.{fmt}"
    args = ["export", "onepager", "--topic", topic, "--out", str(out), "--home", str(home.dir)]
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run([sys.executable, "-c", IMPORTS, *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES="))
    heavy = set(json.loads(line.removeprefix("MODULES="))) & {"PySide6", "shiboken6", "pyqtgraph", "numpy", "pandas"}
    assert not heavy, sorted(heavy)
    assert out.stat().st_size > 10_000


def _same_summary(store):
    app = readings.share_summary(readings.readings_frame(store), readings.SHARE_SERIES)
    mine = reading_series.share_summary(store, reading_series.SHARE_SERIES)
    assert (mine is None) == (app is None)
    if app is None:
        return
    for a, m in ((app.first, mine.first), (app.latest, mine.latest)):
        assert (a.date, a.series, a.n_repos) == (m.date, m.series, m.n_repos)
        assert all(math.isclose(a.shares[b], m.shares[b], rel_tol=1e-9, abs_tol=1e-9) for b in readings.BUCKETS)
    assert (app.panel, app.series, app.crossovers, app.between, app.left_out) == (
        mine.panel,
        mine.series,
        mine.crossovers,
        mine.between,
        mine.left_out,
    )


def test_the_figure_layers_hub_summary_is_the_frames_summary(store, bundled_home):
    """The Hub figures (first and latest reading) come from the plain-Python summary: the same as
    `readings.share_summary` on the frame, on the fixture and the real snapshot."""
    _same_summary(store)
    with bundled_home.store() as real:
        _same_summary(real)
