"""Hugging Face Hub and Federal Register adapters against recorded-shape fixtures on 127.0.0.1."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from werkzeug import Response

from briefing.core import sync as syncmod
from briefing.core.errors import BriefingError
from briefing.core.store import Store
from tests.feedkit import FAST, NOW, fingerprint

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "feed"
TODAY = NOW.date().isoformat()


def _model(repo, downloads, total, likes, tags=()):
    base = copy.deepcopy(json.loads((FIX / "hf_models_list_page__trimmed_real.json").read_text())[0])
    base.update(id=repo, modelId=repo, downloads=downloads, downloadsAllTime=total, likes=likes, tags=list(tags))
    return base


@pytest.fixture
def hub(httpserver):
    """Qwen: two pages (Link header), a fine-tune, a base model with children, one 401 RepoNotFound."""
    page1 = [
        _model("Qwen/Qwen2.5-7B", 1000, 50000, 10),
        _model("Qwen/Qwen2.5-7B-Instruct", 500, 9000, 5, ["base_model:finetune:Qwen/Qwen2.5-7B"]),
    ]
    page2 = [_model("Qwen/Gone", 7, 70, 1)]
    children = json.loads((FIX / "hf_lineage_expand_examples__THIRD_PARTY.json").read_text())
    kids = next(v for k, v in children.items() if "childrenModelCount" in k)
    calls = {"429": 0}

    def models(request):
        author = request.args.get("author")
        if request.args.get("cursor") == "p2":
            return Response(json.dumps(page2), content_type="application/json")
        if author == "Qwen":
            assert request.args.getlist("expand")[:2] == ["downloads", "downloadsAllTime"]
            nxt = httpserver.url_for("/api/models") + "?author=Qwen&sort=downloads&cursor=p2"
            return Response(
                json.dumps(page1), content_type="application/json", headers={"Link": f'<{nxt}>; rel="next"'}
            )
        if author == "deepseek-ai" and calls["429"] == 0:
            calls["429"] += 1
            return Response(
                "slow down",
                status=429,
                headers={"RateLimit": '"api";r=0;t=1', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'},
            )
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/api/models").respond_with_handler(models)
    httpserver.expect_request("/api/models/Qwen/Qwen2.5-7B").respond_with_json(kids)
    httpserver.expect_request("/api/models/Qwen/Gone").respond_with_data(
        "Repository not found",
        status=401,
        headers={"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
    )
    return calls


def test_huggingface_observations_dated_the_sync_day(home, httpserver, hub):
    waits = []
    result = syncmod.sync(
        home,
        source="huggingface",
        endpoint=httpserver.url_for("/").rstrip("/"),
        config=FAST,
        now=NOW,
        sleep=waits.append,
    )
    assert result.outcome == "applied" and hub["429"] == 1 and waits == [1.0]  # waited the RateLimit reset once
    with Store(home.data_path, readonly=True) as s:
        obs = {r["id"]: r for r in s.records("adoption", with_origin=True) if r["origin"] == "huggingface"}
        assert obs[f"hf/Qwen/Qwen2.5-7B/downloads_30d/{TODAY}"]["value"] == 1000
        assert obs[f"hf/Qwen/Qwen2.5-7B/downloads_total/{TODAY}"]["value"] == 50000
        assert obs[f"hf/Qwen/Qwen2.5-7B/derivatives/{TODAY}"]["value"] == 716 + 19 + 190 + 328
        assert f"hf/Qwen/Gone/derivatives/{TODAY}" not in obs  # 401 RepoNotFound: not found, not an error
        org = obs[f"hf-org/alibaba-qwen/downloads_30d/{TODAY}"]
        assert org["value"] == 1507 and org["as_of"] == TODAY and "3 models" in org["method"]
        assert org["sources"] == [f"hf-api/Qwen/Qwen2.5-7B/children/{TODAY}", f"hf-api/Qwen/models/{TODAY}"]
        assert s.record("source", f"hf-api/Qwen/models/{TODAY}")["url"].startswith("https://huggingface.co/api/models")
        assert s.verify() == []
    # A feed version never removes the reader's own observations: LOCAL_ORIGINS.
    from briefing.core.records import LOCAL_ORIGINS

    assert "huggingface" in LOCAL_ORIGINS


def test_huggingface_rate_limit_too_long_fails_cleanly(home, httpserver):
    httpserver.expect_request("/api/models").respond_with_data(
        "no", status=429, headers={"RateLimit": '"api";r=0;t=3600'}
    )
    before = fingerprint(home.data_path)
    with pytest.raises(BriefingError, match="rate-limiting"):
        syncmod.sync(
            home,
            source="huggingface",
            endpoint=httpserver.url_for("/").rstrip("/"),
            config=FAST,
            now=NOW,
            sleep=lambda s: None,
        )
    assert fingerprint(home.data_path) == before


def _fr_server(httpserver, pages):
    """Serve /documents.json: `pages(request) -> dict`."""

    def handler(request):
        return Response(json.dumps(pages(request)), content_type="application/json")

    httpserver.expect_request("/api/v1/documents.json").respond_with_handler(handler)
    return httpserver.url_for("/api/v1")


def test_federal_register_import_pages_dedup_and_zero_results(home, httpserver):
    week = json.loads((FIX / "fr_documents_search__recorded_week_2026-08-17_to_21.json").read_text())
    zero = json.loads((FIX / "fr_documents_search__zero_results.json").read_text())
    first, rest = dict(week, results=week["results"][:3]), dict(week, results=week["results"][3:])
    # A document the curated data already has (same FR number) must not be duplicated or overwritten.
    dup = dict(week["results"][0], document_number="2025-00636", title="Should never replace the curated record")
    first["results"] = first["results"] + [dup]
    seen = []

    def pages(request):
        seen.append(request.full_path)
        if request.args.get("page") == "2":
            return rest
        if request.args.get("conditions[term]") == '"artificial intelligence"':
            assert request.args.get("order") == "oldest"
            assert "industry-and-security-bureau" in request.args.getlist("conditions[agencies][]")
            return dict(
                first, next_page_url=httpserver.url_for("/api/v1/documents.json") + "?page=2&search_after=opaque"
            )
        return zero  # no `results` key at all

    endpoint = _fr_server(httpserver, pages)
    result = syncmod.sync(
        home,
        source="federal_register",
        endpoint=endpoint,
        config=FAST,
        now=NOW,
        since=dt.date(2026, 11, 1),
        terms=('"artificial intelligence"', '"model weights"'),
    )
    assert result.added == {"source": 6, "policy_action": 6}
    assert any("search_after=opaque" in p for p in seen)  # next_page_url followed verbatim
    with Store(home.data_path, readonly=True) as s:
        curated = s.record("policy_action", "us-bis-2025-ai-diffusion")
        assert curated["title"] == "Framework for Artificial Intelligence Diffusion" and curated["origin"] == "snapshot"
        rule = s.record("policy_action", "fr-2026-17082")
        assert rule["origin"] == "federal_register" and rule["stance_on_open_models"] == "unassessed"
        assert rule["identifiers"]["fr_doc"] == "2026-17082" and rule["stage"] == "in_force"
        assert rule["summary"].startswith("Imported automatically from the Federal Register; awaiting review.")
        assert s.record("source", "fr-doc-2026-17082")["url"].startswith("https://www.federalregister.gov/")
        assert s.meta()["federal_register_through"] == TODAY
        assert s.verify() == []
    # Again: nothing new, nothing duplicated.
    again = syncmod.sync(
        home,
        source="federal_register",
        endpoint=endpoint,
        config=FAST,
        now=NOW,
        since=dt.date(2026, 11, 1),
        terms=('"artificial intelligence"',),
    )
    assert again.added == {}


def test_federal_register_splits_windows_past_the_50_page_cap(home, httpserver):
    windows = []

    def pages(request):
        start = request.args.get("conditions[publication_date][gte]")
        end = request.args.get("conditions[publication_date][lte]")
        windows.append((start, end))
        if start != end:
            return {"description": "many", "count": 6000, "total_pages": 50, "results": []}
        return {"description": "none", "count": 0}

    endpoint = _fr_server(httpserver, pages)
    syncmod.sync(
        home,
        source="federal_register",
        endpoint=endpoint,
        config=FAST,
        now=NOW,
        since=dt.date(2026, 11, 26),
        terms=("x",),
    )
    singles = sorted({w for w in windows if w[0] == w[1]})
    assert singles == [(f"2026-11-{d}", f"2026-11-{d}") for d in range(26, 30)]


def test_federal_register_next_page_to_another_host_is_refused(home, httpserver):
    def pages(request):
        return {"count": 200, "results": [], "next_page_url": "https://evil.example/api/v1/documents.json?page=2"}

    endpoint = _fr_server(httpserver, pages)
    before = fingerprint(home.data_path)
    with pytest.raises(BriefingError, match="another host"):
        syncmod.sync(
            home,
            source="federal_register",
            endpoint=endpoint,
            config=FAST,
            now=NOW,
            since=dt.date(2026, 11, 28),
            terms=("x",),
        )
    assert fingerprint(home.data_path) == before


def test_sync_all_runs_every_source_and_a_failure_does_not_stop_the_rest(home, httpserver, hub):
    httpserver.expect_request("/feed.json").respond_with_data("nope", status=404)
    fr = _fr_server(httpserver, lambda request: {"count": 0})
    seen: list[tuple[float, str]] = []
    results, errors = syncmod.sync_all(
        home,
        feed_url=httpserver.url_for("/feed.json"),
        config=FAST,
        now=NOW,
        endpoints={"huggingface": httpserver.url_for("/").rstrip("/"), "federal_register": fr},
        progress=lambda f, m: seen.append((f, m)),
    )
    assert errors == [f"feed: feed unavailable (HTTP 404) at {httpserver.url_for('/feed.json')}"]
    assert [r.source for r in results] == ["huggingface", "federal_register"]
    assert results[0].added["adoption"] > 0
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[0][0] >= 0 and seen[-1][0] <= 1
    assert {m.split(":")[0] for _, m in seen} == {"feed", "huggingface", "federal_register"}
