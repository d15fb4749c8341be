"""One module, the same figures everywhere: the Overview cards, the four one-pagers (content and the
printed PDF) and `briefing figures --json` show what `core.figures` computes, for every figure."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.core import figures, report
from briefing.core.report import TOPICS, build_report
from briefing.ui.views.overview import OverviewView


@pytest.fixture(scope="module")
def shipped_figures(tmp_path_factory):
    from briefing.core.home import Home

    home = Home.open(tmp_path_factory.mktemp("same-figures") / "home")
    with home.store(readonly=True) as store:
        ctx = figures.Context.load(store)
    return home, ctx, {f.id: f for f in figures.compute_from(ctx)}


def test_every_figure_reaches_a_surface(shipped_figures):
    _, _, figs = shipped_figures
    shown = (
        set(figures.OVERVIEW_CARDS)
        | {i for ids in figures.TOPIC_KEY_FIGURES.values() for i in ids}
        | {i for ids in figures.TOPIC_SENTENCES.values() for i in ids}
    )
    assert set(figs) <= shown  # and the CLI prints every one (below)


def test_cli_json_is_the_figure_layer(shipped_figures):
    home, _, figs = shipped_figures
    result = CliRunner().invoke(cli, ["figures", "--json", "--home", str(home.dir)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert [f["id"] for f in printed] == list(figs)
    for item in printed:
        assert item == json.loads(json.dumps(figs[item["id"]].to_json()))


def test_cli_text_and_unknown_id(shipped_figures):
    home, _, figs = shipped_figures
    result = CliRunner().invoke(cli, ["figures", "--home", str(home.dir), "--id", "investment-total"])
    assert result.exit_code == 0 and figs["investment-total"].value_text() in result.output
    assert result.output.startswith("Data current to") and "caveat: Left out" in result.output
    bad = CliRunner().invoke(cli, ["figures", "--home", str(home.dir), "--id", "nope"])
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "unknown figure id" in bad.output


def test_overview_cards_are_the_figure_layer(qtbot, shipped_figures):
    home, _, figs = shipped_figures
    view = OverviewView(home)
    qtbot.addWidget(view)
    view.refresh()
    cards = {c.figure.id: c for c in view.cards}
    assert list(cards) == [i for i in figures.OVERVIEW_CARDS if i in figs]
    for fid, card in cards.items():
        assert card.value_label.text() == figs[fid].value_text()
        assert card.weak_label.isVisibleTo(view) == figs[fid].weakly_sourced
    assert cards["downloads-qwen-team"].weak_label.isVisibleTo(view)  # rests on a republisher only
    assert (
        cards["derivatives-by-family"].weak_label.text() == "Weakly sourced: read only in a secondary report"
    )  # its primary unread
    assert cards["downloads-qwen-team"].weak_label.text() == "Weakly sourced: no primary or reputable source"
    assert (
        "259 days old" in view.age_label.text()
        or "days old" in view.age_label.text()
        or "Data current" in view.age_label.text()
    )


@pytest.mark.parametrize("topic", TOPICS)
def test_one_pagers_are_the_figure_layer(qapp, shipped_figures, tmp_path, topic):
    home, ctx, figs = shipped_figures
    with home.store(readonly=True) as store:
        spec = build_report(store, topic, today=ctx.today)
    ids = [i for i in figures.TOPIC_KEY_FIGURES[topic] if i in figs]
    assert [k.figure_id for k in spec.key_figures] == ids
    for k in spec.key_figures:
        assert (k.value, k.label) == report.kpi(figs[k.figure_id])
        assert k.weak == figs[k.figure_id].weakly_sourced
    assert spec.bottom_line == figures.bottom_line(list(figs.values()), topic)
    # and on paper
    from briefing.render.pdf import export_onepager
    from tests.render.test_pdf import pdf_text

    out = tmp_path / f"{topic}.pdf"
    with home.store(readonly=True) as store:
        export_onepager(store, topic, out)
    text = pdf_text(out)
    for k in spec.key_figures:
        assert k.value in text, k
