"""Citations a reader can follow: complete source notes, stable short addresses, figure and record
citations in a CRS-like style, and `briefing figures --cite`."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from briefing.cli import cli
from briefing.core import cite, figures


def test_stable_addresses():
    fr = "https://www.federalregister.gov/documents/2025/01/15/2025-00636/framework-for-artificial-intelligence-diffusion"
    assert cite.stable_address(fr) == "https://www.federalregister.gov/d/2025-00636"
    assert cite.printed_address(fr) == "federalregister.gov/d/2025-00636"
    assert cite.stable_address("https://arxiv.org/pdf/2512.03073v2.pdf") == "https://arxiv.org/abs/2512.03073"
    assert (
        cite.stable_address("https://dl.acm.org/doi/full/10.1145/3630106.3658910")
        == "https://doi.org/10.1145/3630106.3658910"
    )
    assert cite.stable_address("https://example.org/page?x=1") == "https://example.org/page?x=1"
    assert cite.link_target("javascript:alert(1)") == "" and cite.link_target("http://x.org") == ""


def test_source_note_is_complete_and_says_when_a_page_is_undated():
    dated = {
        "publisher": "Longpre et al.",
        "title": "Economies of Open Intelligence.",
        "published_on": "2025-11-27",
        "url": "https://arxiv.org/abs/2512.03073",
    }
    assert cite.source_note(dated) == (
        "Longpre et al., \u201cEconomies of Open Intelligence,\u201d November 27, 2025, arxiv.org/abs/2512.03073."
    )
    read = {"publisher": "AIbase", "title": "X", "retrieved_on": "2026-03-03", "url": "https://aibase.com/x"}
    assert "undated, read March 3, 2026" in cite.source_note(read)
    assert "undated, date read not recorded" in cite.source_note(
        {"publisher": "P", "title": "T", "url": "https://p.org"}
    )


def test_figure_and_record_citations(store):
    fig = next(f for f in figures.compute(store) if f.sources)
    text = cite.figure_citation(fig, data_as_of="2025-08-31", today=dt.date(2026, 12, 1))
    assert text.startswith(f"{fig.title}: ") and fig.when_text() in text
    assert (
        cite.source_note(
            {
                "publisher": fig.sources[0].publisher,
                "title": fig.sources[0].title,
                "url": fig.sources[0].url,
                "published_on": fig.sources[0].published_on,
                "retrieved_on": fig.sources[0].retrieved_on,
            }
        )
        in text
    )
    assert text.endswith("data current to August 31, 2025; accessed December 1, 2026.")
    rec = store.record("policy_action", sorted(store.ids("policy_action"))[0])
    text = cite.record_citation(
        "policy_action", rec, store.sources_of("policy_action", rec["id"]), today=dt.date(2026, 1, 2)
    )
    assert text.startswith(f"\u201c{rec['title'].rstrip('.')},\u201d") and "Source" in text
    assert "\n" not in text


def test_cli_cite(home):
    ok = CliRunner().invoke(cli, ["figures", "--home", str(home.dir), "--cite", "investment-total"])
    assert ok.exit_code == 0 and ok.output.startswith("Officially announced AI-specific investment commitments: $")
    assert "Compiled in Open Model Briefing" in ok.output
    bad = CliRunner().invoke(cli, ["figures", "--home", str(home.dir), "--cite", "nope"])
    assert bad.exit_code == 1 and bad.output.count("\n") == 1
