"""The whole-Hub reading of a Hub sync: the top N text-generation models by downloads (Link-header
pages, a page cap), attributed (re-uploads count for their base's developer) and stored with a dated
share-of-downloads reading, from recorded-shape fixtures served on 127.0.0.1."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from werkzeug import Response

from briefing.core import readings
from briefing.core import sync as syncmod
from briefing.core.settings import Settings
from briefing.core.sources import huggingface
from briefing.core.store import Store
from tests.feedkit import FAST, NOW

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "feed"
TODAY = NOW.date().isoformat()


def _model(repo: str, downloads: int, tags: tuple[str, ...] = ()) -> dict:
    base = copy.deepcopy(json.loads((FIX / "hf_models_list_page__trimmed_real.json").read_text())[0])
    base.update(
        id=repo,
        modelId=repo,
        downloads=downloads,
        downloadsAllTime=downloads * 10,
        likes=1,
        pipeline_tag="text-generation",
        tags=["transformers", *tags, "region:us"],
    )
    return base


TOP = [
    [
        _model("Qwen/Qwen2.5-7B-Instruct", 6000, ("base_model:Qwen/Qwen2.5-7B", "base_model:finetune:Qwen/Qwen2.5-7B")),
        _model("meta-llama/Llama-3.1-8B", 3000),
        _model(
            "unsloth/Qwen2.5-7B-Instruct-GGUF",
            1000,
            ("base_model:Qwen/Qwen2.5-7B-Instruct", "base_model:quantized:Qwen/Qwen2.5-7B-Instruct"),
        ),
    ],
    [
        _model("bartowski/Llama-3.1-8B-GGUF", 500, ("base_model:meta-llama/Llama-3.1-8B",)),
        _model("stranger/tiny-tune", 500, ("base_model:finetune:Qwen/Qwen2.5-7B",)),
        _model("sixth/not-read", 100),
    ],
]


@pytest.fixture
def top_hub(httpserver):
    """Page 1 with a Link header to page 2 (cursor), no Link on page 2; organizations list nothing."""
    seen: list[dict] = []

    def models(request):
        if request.args.get("pipeline_tag") != "text-generation":
            return Response("[]", content_type="application/json")
        seen.append(dict(request.args))
        if request.args.get("cursor") == "t2":
            return Response(json.dumps(TOP[1]), content_type="application/json")
        assert request.args.get("sort") == "downloads" and request.args.getlist("expand")[0] == "downloads"
        nxt = httpserver.url_for("/api/models") + "?pipeline_tag=text-generation&sort=downloads&limit=100&cursor=t2"
        return Response(json.dumps(TOP[0]), content_type="application/json", headers={"Link": f'<{nxt}>; rel="next"'})

    httpserver.expect_request("/api/models").respond_with_handler(models)
    return seen


def _sync(home, httpserver, **options):
    return syncmod.sync(
        home,
        source="huggingface",
        endpoint=httpserver.url_for("/").rstrip("/"),
        config=FAST,
        now=NOW,
        sleep=lambda s: None,
        **options,
    )


def test_whole_hub_reading_from_two_pages(home, httpserver, top_hub):
    Settings(hub_top_n=5).save(home.settings_path)  # N is a setting
    result = _sync(home, httpserver)
    assert result.outcome == "applied"
    assert [p.get("cursor") for p in top_hub] == [None, "t2"]  # the Link header was followed, then it stopped
    with Store(home.data_path, readonly=True) as s:
        top = {
            r["subject"]: r
            for r in s.records("adoption")
            if r["id"].startswith("hf-top/") and r["subject_kind"] == "hf_repo"
        }
        assert sorted(top) == sorted(m["id"] for m in TOP[0] + TOP[1][:2])  # N = 5: the sixth is never read
        assert all(
            r["series"] == "hub_top" and r["metric"] == "downloads_30d" and r["as_of"] == TODAY for r in top.values()
        )
        assert top["meta-llama/Llama-3.1-8B"]["period_start"] < TODAY
        lineage = {r["id"]: r for r in s.records("hf_repo")}
        assert lineage["unsloth/Qwen2.5-7B-Instruct-GGUF"]["relation"] == "quantized"
        assert lineage["bartowski/Llama-3.1-8B-GGUF"]["base_models"] == ["meta-llama/Llama-3.1-8B"]
        cn = s.record("adoption", f"hf-top/share/CN/{TODAY}")
        us = s.record("adoption", f"hf-top/share/US/{TODAY}")
        # CN: Qwen 6000 + its re-upload 1000; US: Llama 3000 + its re-upload 500; the fine-tune is unattributed
        assert (cn["value"], us["value"]) == (round(7000 / 11000 * 100, 2), round(3500 / 11000 * 100, 2))
        assert cn["series"] == "hub_top" and cn["unit"] == "percent" and cn["subject_kind"] == "country"
        assert "5 most-downloaded text-generation models" in cn["method"] and "(1 of 5 repos)" in cn["method"]
        assert cn["sources"] == [f"hf-api/top/text-generation/models/{TODAY}"]
        assert s.verify() == []
        # the stored reading equals what every chart computes from the per-repo readings
        table = readings.shares(readings.select(readings.readings_frame(s), ["hub_top"]))
        assert table.loc[TODAY, "CN"] == pytest.approx(cn["value"], abs=0.01)
        assert table.loc[TODAY, readings.UNATTRIBUTED] == pytest.approx(500 / 11000 * 100)
        assert int(table.loc[TODAY, "n_repos"]) == 5


def test_page_cap_stops_the_listing_and_says_so(home, httpserver, top_hub):
    _sync(home, httpserver, top_n=5, max_top_pages=1)
    assert len(top_hub) == 1
    with Store(home.data_path, readonly=True) as s:
        cn = s.record("adoption", f"hf-top/share/CN/{TODAY}")
        assert "the page cap stopped the listing early" in cn["method"] and "3 most-downloaded" in cn["method"]


def test_no_whole_hub_reading_when_the_setting_is_zero(home, httpserver, top_hub):
    _sync(home, httpserver, top_n=0)
    assert top_hub == []
    with Store(home.data_path, readonly=True) as s:
        assert not [r for r in s.records("adoption") if r["id"].startswith("hf-top/")]


def test_base_model_tags_parse():
    assert huggingface.base_models(["base_model:Qwen/Qwen3-8B", "base_model:quantized:Qwen/Qwen3-8B", "gguf"]) == (
        ["Qwen/Qwen3-8B"],
        "quantized",
    )
    assert huggingface.base_models(["base_model:a/b", "base_model:c/d"]) == (["a/b", "c/d"], None)
    assert huggingface.base_models("not a list") == ([], None)
    assert huggingface.base_models(["base_model:nonsense"]) == ([], None)


def test_a_syncs_share_reading_is_never_quoted_as_a_study(home, httpserver, top_hub):
    """The study figures quote reported studies; a sync's own reading has a series and another
    measure: it is the latest Hub reading, a figure of its own."""
    from briefing.core import figures

    _sync(home, httpserver, top_n=5)
    with Store(home.data_path, readonly=True) as s:
        assert s.record("adoption", f"hf-top/share/US/{TODAY}") is not None
        ctx = figures.Context.load(s)
    figs = {f.id: f for f in figures.compute_from(ctx)}
    studies = [f for fid, f in figs.items() if fid.startswith("download-share")]
    assert studies and all(f.as_of == "2025-08-31" for f in studies)  # the fixture's study, never the sync
    latest = figs["hub-share-latest"]
    assert latest.as_of == TODAY and "Hub syncs: top text-generation models" in latest.measure
    assert latest.value["China"] == pytest.approx(7000 / 11000 * 100)
    assert latest.sources[0].id == f"hf-api/top/text-generation/models/{TODAY}"
