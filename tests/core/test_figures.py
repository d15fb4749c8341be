"""The figure layer: every figure complete and citable, like-for-like comparisons only, source
grades and the weak mark, investment totals, data age."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from briefing.core import figures as fig_layer
from briefing.core.records import validate
from briefing.core.store import Store

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def shipped():
    with Store("data/snapshot.sqlite", readonly=True) as s:
        ctx = fig_layer.Context.load(s, today=TODAY)
    return ctx, {f.id: f for f in fig_layer.compute_from(ctx)}


def test_every_registered_figure_is_computed_on_the_shipped_data_and_is_citable(shipped):
    _, figs = shipped
    assert set(figs) == set(fig_layer.FIGURES)
    for f in figs.values():
        j = f.to_json()
        for key in ("id", "value", "unit", "measure", "window", "as_of", "sources", "caveats", "grade"):
            assert key in j, (f.id, key)
        assert j["window"].keys() == {"start", "end"}
        assert f.measure and f.sources and f.grade in fig_layer.GRADES, f.id
        assert all(s["grade"] in fig_layer.GRADES for s in j["sources"])
        # primary first
        ranks = [fig_layer.GRADES.index(s.grade) for s in f.sources]
        assert ranks == sorted(ranks), f.id
        if f.window_end and f.id != "policy-milestones":
            assert f.as_of == f.window_end  # as of = the end of what was measured
        json.dumps(j)


def test_surfaces_name_only_registered_figures():
    for ids in [fig_layer.OVERVIEW_CARDS, *fig_layer.TOPIC_KEY_FIGURES.values(), *fig_layer.TOPIC_SENTENCES.values()]:
        assert set(ids) <= set(fig_layer.FIGURES)
    assert all(len(ids) <= 4 for ids in fig_layer.TOPIC_KEY_FIGURES.values())


def test_share_is_dated_by_the_end_of_its_window_not_a_blog_date(shipped):
    _, figs = shipped
    share = figs["download-share-by-country"]
    assert share.value == {"China": 17.1, "US": 15.8, "International/online": 23.8}
    assert (share.window_start, share.as_of, share.as_of_precision) == ("2024-08-01", "2025-08-31", "month")
    assert share.when_text() == "Aug 2024 \u2013 Aug 2025"
    assert share.sources[0].id == "arxiv-2512-03073" and share.grade == "primary"


def _obs(rid, subject, metric, value, as_of, *, unit="count", measure=None, start=None, kind="family"):
    return validate(
        "adoption",
        {
            "id": rid,
            "subject_kind": kind,
            "subject": subject,
            "metric": metric,
            "value": value,
            "unit": unit,
            "as_of": as_of,
            "period_start": start,
            "method": "as reported",
            "sources": ["epoch-notable"],
            "measure_id": measure,
        },
    )


def test_comparability_rule():
    meta = _obs(
        "a", "Llama", "downloads_total", 1e9, "2025-03-18", measure="company-reported-downloads-all-channels/meta"
    )
    qwen = _obs("b", "Qwen", "downloads_total", 7e8, "2026-01-13", measure="company-reported-hf-downloads/qwen")
    assert fig_layer.comparable(meta, qwen) == (False, "they measure different things")
    with pytest.raises(fig_layer.NotComparableError):
        fig_layer.rank([meta, qwen])
    same = _obs(
        "c", "Qwen", "downloads_total", 7e8, "2025-03-30", measure="company-reported-downloads-all-channels/meta"
    )
    assert fig_layer.comparable(meta, same)[0]  # same measure, ends 12 days apart
    far = _obs(
        "d", "Qwen", "downloads_total", 7e8, "2025-06-30", measure="company-reported-downloads-all-channels/meta"
    )
    assert not fig_layer.comparable(meta, far)[0]
    year = _obs(
        "e", "CN", "download_share", 17, "2025-08-31", unit="percent", measure="m", start="2024-08-01", kind="country"
    )
    half = _obs(
        "f", "US", "download_share", 16, "2025-08-31", unit="percent", measure="m", start="2025-02-01", kind="country"
    )
    point = _obs("g", "US", "download_share", 16, "2025-08-31", unit="percent", measure="m", kind="country")
    assert fig_layer.comparable(year, half) == (False, "their windows differ in length")
    assert fig_layer.comparable(year, point) == (False, "one is a period and the other a point in time")


def test_no_sentence_compares_what_is_not_comparable(shipped):
    _, figs = shipped
    hf = figs["download-share-china-hf-2026"]
    assert hf.value == 41.0 and "higher" not in hf.sentence and "ahead" not in hf.sentence
    assert any("not comparable" in c for c in hf.caveats)
    for fid in ("downloads-llama-meta", "downloads-qwen-team"):
        f = figs[fid]
        assert len(f.parts) == 1  # a company's claim is never on a card with another's
        assert "not ranked" in f.sentence and "not comparable" in " ".join(f.caveats)
    # a figure with several values only ranks comparable ones
    assert figs["derivatives-by-family"].comparable and list(figs["derivatives-by-family"].value) == [
        "Qwen",
        "Llama",
        "DeepSeek",
    ]


def test_source_grades_and_the_weak_mark(shipped):
    ctx, figs = shipped
    assert all(s.get("grade") in fig_layer.GRADES for s in ctx.sources.values())
    assert figs["downloads-qwen-team"].weakly_sourced  # only a republisher of Xinhua
    assert any(c.startswith("Weakly sourced") for c in figs["downloads-qwen-team"].caveats)
    assert not figs["download-share-by-country"].weakly_sourced
    assert fig_layer.count_grade(["primary", "weak", "weak"]) == "weak"
    assert fig_layer.count_grade(["primary", "primary", "weak"]) == "primary"
    assert fig_layer.weakest_grade(["primary", "reputable"]) == "reputable"
    # a listed primary that was not read is said so, and does not lift the grade: the value is as
    # strong as the (weak) report it was read in, and carries the weak mark
    for fid in ("download-share-china-hf-2026", "derivatives-by-family"):
        f = figs[fid]
        assert any("was not read" in c for c in f.caveats), fid
        assert f.grade == "weak" and f.weakly_sourced, fid
    read = fig_layer.SourceRef("a", "A", "T", "https://a.org", "weak", None, "2026-01-01")
    unread = fig_layer.SourceRef("b", "B", "T", "https://b.org", "primary", None, None)
    assert fig_layer.best_grade([unread, read]) == "weak"
    assert fig_layer.best_grade([unread]) == "primary"  # no reading date recorded anywhere: as cited


def test_retrieved_on_is_never_the_build_date(shipped):
    ctx, _ = shipped
    assert not [s for s in ctx.sources.values() if s.get("retrieved_on") == "2026-11-29"]


def _inv(rid, usd, *, scope="ai", confirmation="official", part_of=None, overlaps=(), status="announced", country="FR"):
    return validate(
        "investment",
        {
            "id": rid,
            "country": country,
            "actor": "A",
            "title": f"Title {rid}",
            "amount": usd or 1.0,
            "currency": "USD",
            "amount_usd": usd,
            "usd_basis": "test",
            "announced_on": "2025-02-10",
            "category": "mixed",
            "status": status,
            "sources": ["brussels-signal-macron"],
            "part_of": part_of,
            "scope": scope,
            "confirmation": confirmation,
            "kind": "public_budget",
            "overlaps": list(overlaps),
        },
    )


def test_investment_total_scope_confirmation_components_and_overlaps():
    recs = [
        _inv("stargate", 500e9, country="US"),
        _inv("mgx", 100e9, overlaps=["stargate", "france"], country="AE"),
        _inv("france", 112e9),
        _inv("brookfield", 20e9, part_of="france"),
        _inv("guidance-fund", 138e9, scope="ai_and_other", country="CN"),
        _inv("chips", 52.7e9, scope="semiconductors", country="US"),
        _inv("saudi", 100e9, confirmation="press_reported", status="reported", country="SA"),
        _inv("no-rate", None, country="XX"),
    ]
    t = fig_layer.investment_total(recs)
    assert [r["id"] for r in t.counted] == ["stargate", "france"] and t.usd == 612e9
    why = {r["id"]: reason for r, reason in t.left_out}
    assert why["mgx"] == "part of its money is also counted in france, stargate"
    assert why["guidance-fund"] == "AI together with other technologies"
    assert why["chips"] == "semiconductors" and why["saudi"] == "reported only by the press"
    assert why["no-rate"].startswith("no official exchange rate")
    assert [r["id"] for r in t.components] == ["brookfield"]
    # with Stargate and France withdrawn from the selection, MGX's money is counted after all
    t2 = fig_layer.investment_total([r for r in recs if r["id"] not in ("stargate", "france")])
    assert "mgx" in [r["id"] for r in t2.counted]
    # a link counts both ways: declared on both records, the larger still counts and the smaller goes
    both_ways = [_inv("france", 112e9, overlaps=["mgx"]), _inv("mgx", 100e9, overlaps=["france"], country="AE")]
    assert [r["id"] for r in fig_layer.investment_total(both_ways).counted] == ["france"]
    everything = fig_layer.investment_total(recs, fig_layer.EVERYTHING)
    assert "saudi" in [r["id"] for r in everything.counted] and "chips" in [r["id"] for r in everything.counted]


def test_headline_total_on_the_shipped_data(shipped):
    ctx, figs = shipped
    total = figs["investment-total"]
    t = fig_layer.investment_total(ctx.investments)
    assert total.value == t.usd and total.unit == "usd"
    counted = {r["id"] for r in t.counted}
    assert "ae-2024-mgx-100bn" not in counted and "sa-2024-project-transcendence" not in counted
    assert "us-2022-chips-and-science-act" not in counted and "eu-2025-investai-200bn" in counted
    assert not {r["id"] for r in t.components} & counted
    text = " ".join(total.caveats)
    assert "reported only by the press" in text and "semiconductors" in text


def test_every_g5_currency_is_converted_at_a_recorded_rate(shipped):
    ctx, _ = shipped
    g5 = {"EUR", "GBP", "INR", "JPY", "CNY", "CAD", "KRW", "CHF", "SGD"}
    for r in ctx.investments:
        if r["currency"] in g5:
            assert r["amount_usd"] and r["fx_rate"] and r["fx_month"] == r["announced_on"][:7], r["id"]
            assert r["fx_month"] in r["usd_basis"] or "G.5" in r["usd_basis"]
            assert any(s in r["sources"] for s in ("frb-g5-2024-07-01", "fed-g5-monthly-via-fred")), r["id"]
    eu = next(r for r in ctx.investments if r["id"] == "eu-2025-investai-200bn")
    assert eu["amount_usd"] == round(200e9 / 0.9603, -6)


def test_policy_counts_show_stage_and_only_core_actions(shipped):
    ctx, figs = shipped
    f = figs["policy-stance-12m"]
    assert "(" in f.sentence and "in force" in f.sentence
    core = {p["id"] for p in ctx.policies if p["relevance"] == "core"}
    assert set(f.record_ids) <= core
    restrictive = figs["policy-restrictive-to-date"]
    assert "vetoed" in restrictive.sentence and "in force" in restrictive.sentence


def test_policy_counts_run_to_the_policy_data_date_not_a_later_reading(shipped):
    ctx, figs = shipped
    latest_action = max(p["date"] for p in ctx.policies if not p["scheduled"] and p["date"] <= ctx.data_as_of)
    assert latest_action < ctx.data_as_of  # the download readings run months past the policy records
    assert ctx.policy_ref.isoformat() == latest_action
    for fid in ("policy-stance-12m", "policy-restrictive-to-date", "policy-export-controls", "policy-jurisdictions"):
        assert figs[fid].window_end == latest_action, fid
    f = figs["policy-stance-12m"]
    assert f.sentence.startswith(f"In the 12 months to {fig_layer.numbers.date(latest_action)},")
    # the policy brief's data age is that of the policy records; the overview's that of the whole data set
    assert fig_layer.data_age(ctx, "policy").data_as_of == latest_action
    assert fig_layer.data_age(ctx).data_as_of == ctx.data_as_of
    assert fig_layer.data_age(ctx, "investment").data_as_of == max(r["announced_on"] for r in ctx.investments)


def test_every_stance_count_in_a_bottom_line_shows_its_stage(shipped):
    import re

    _, figs = shipped
    for topic in ("overview", "policy"):
        line = fig_layer.bottom_line(list(figs.values()), topic)
        counts = re.findall(r"\b\d+ (?:restrictive|supportive|mixed|neutral)\b(?! \()", line.split(" Of ")[0])
        assert not counts, (topic, counts, line)
    assert "1 restrictive (1 introduced)" in fig_layer.bottom_line(list(figs.values()), "overview")


def test_next_scheduled_lists_only_future_dates_and_reports_passed_ones(shipped):
    ctx, figs = shipped
    m = figs["policy-milestones"]
    assert "has passed" in m.sentence and "Next scheduled" not in m.sentence  # Aug 2, 2026 < Dec 1, 2026
    before = fig_layer.Context(**{**ctx.__dict__, "today": dt.date(2026, 4, 1)})
    (early,) = fig_layer.compute_from(before, ["policy-milestones"])
    assert early.sentence.startswith("Next scheduled: \u201cAI Act: general application date\u201d")


def test_data_date_is_the_latest_measurement_never_a_scheduled_date(shipped):
    ctx, _ = shipped
    scheduled = [p["date"] for p in ctx.policies if p["scheduled"]]
    assert scheduled  # (the Hub readings now run past the AI Act's Aug 2, 2026 milestone)
    with Store("data/snapshot.sqlite", readonly=True) as s:  # every adoption record: studies and Hub readings
        readings_dates = [row[6] for row in s.adoption_rows()]
    measured = readings_dates + [p["date"] for p in ctx.policies if not p["scheduled"]]
    assert ctx.data_as_of == max(
        measured + [r["announced_on"] for r in ctx.investments] + [m["released_on"] for m in ctx.models]
    )


def test_age_warning_past_the_setting(shipped):
    ctx, _ = shipped
    age = fig_layer.data_age(ctx)
    # the data run to the Hub trending list of Aug 22, 2026 (and Epoch's releases of mid-August)
    assert (age.age_days, age.months, age.old) == (101, 3, True)
    assert age.current_to == "Data current to Aug 22, 2026 (3 months before this brief)"
    assert "101 days old" in age.warning
    fresh = fig_layer.data_age(fig_layer.Context(**{**ctx.__dict__, "today": dt.date(2026, 9, 1)}))
    assert not fresh.old and fresh.warning == ""
    strict = fig_layer.data_age(
        fig_layer.Context(**{**ctx.__dict__, "today": dt.date(2026, 9, 1), "stale_after_days": 5})
    )
    assert strict.old


def test_a_figure_without_data_is_left_out(store):
    # the fixture holds one China share and no US one: no share card, never a zero
    ids = {f.id for f in fig_layer.compute(store, today=TODAY)}
    assert "download-share-by-country" not in ids and "investment-total" in ids


def test_adding_a_figure_is_one_function():
    @fig_layer.figure("test-only-figure")
    def _f(ctx):
        return None

    try:
        assert "test-only-figure" in fig_layer.FIGURES
        with pytest.raises(ValueError):
            fig_layer.figure("test-only-figure")(lambda ctx: None)
    finally:
        del fig_layer.FIGURES["test-only-figure"]
