"""Public sources that misbehave (red-team HF01, HF07/08, HF11, HF13/14, HF16, HF17, FR02, FR05,
FR08, FR10, FR11): real local servers on 127.0.0.1, real home files."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from werkzeug import Response

from briefing.core import sync as syncmod
from briefing.core.errors import BriefingError
from briefing.core.feed import FetchConfig
from briefing.core.sources import federal_register
from briefing.core.store import Store
from tests.core.test_sources import _fr_server, _model
from tests.feedkit import FAST, NOW, fingerprint

TODAY = NOW.date().isoformat()


def _hub(httpserver, qwen_pages, *, children=None):
    """Serve /api/models: `qwen_pages(request) -> (json body, headers)` for author=Qwen, [] for others."""
    calls = []

    def models(request):
        calls.append(request.full_path)
        if request.args.get("author") == "Qwen":
            body, headers = qwen_pages(request)
            return Response(json.dumps(body), content_type="application/json", headers=headers)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/api/models").respond_with_handler(models)
    httpserver.expect_request("/api/models/Qwen/Qwen2.5-7B").respond_with_json(children or {"childrenModelCount": 4})
    return calls


def _sync_hub(home, httpserver, **kw):
    kw.setdefault("top_base", 0)  # derivatives are asked only where a test says so
    return syncmod.sync(
        home,
        source="huggingface",
        endpoint=httpserver.url_for("/").rstrip("/"),
        config=FAST,
        now=NOW,
        sleep=lambda s: None,
        **kw,
    )


def _org_total(home, metric="downloads_30d"):
    with Store(home.data_path, readonly=True) as s:
        rec = s.record("adoption", f"hf-org/alibaba-qwen/{metric}/{TODAY}") or s.record(
            "adoption", f"hf-org/qwen/{metric}/{TODAY}"
        )
        if rec is None:
            rec = next(
                (
                    r
                    for r in s.records("adoption")
                    if r["id"].startswith("hf-org/")
                    and r["subject"] != "deepseek"
                    and metric in r["id"]
                    and "Qwen" in r["method"]
                ),
                None,
            )
        return rec


def test_link_pointing_back_to_the_same_page_is_not_counted_twice(home, httpserver):  # HF01
    page = [_model("Qwen/Qwen2.5-7B", 1000, 5000, 1), _model("Qwen/Qwen2.5-1.5B", 500, 900, 1)]
    calls = _hub(
        httpserver,
        lambda r: (page, {"Link": f'<{httpserver.url_for("/api/models")}?author=Qwen&sort=downloads>; rel="next"'}),
    )
    result = _sync_hub(home, httpserver)
    assert result.outcome == "applied"
    org = _org_total(home)
    assert org["value"] == 1500 and "over the 2 models" in org["method"]
    assert len([c for c in calls if "author=Qwen" in c]) <= 2  # the looping page ends the list


def test_relative_link_is_followed_and_models_are_counted_once(home, httpserver):  # HF17 + dedupe
    def pages(request):
        if request.args.get("cursor") == "p2":  # the second page repeats a model of the first
            return [_model("Qwen/Qwen2.5-7B", 1000, 5000, 1), _model("Qwen/Qwen2.5-0.5B", 20, 30, 1)], {}
        return [_model("Qwen/Qwen2.5-7B", 1000, 5000, 1)], {
            "Link": '</api/models?author=Qwen&sort=downloads&cursor=p2>; rel="next"'
        }

    _hub(httpserver, pages)
    _sync_hub(home, httpserver)
    assert _org_total(home)["value"] == 1020


def test_link_to_another_host_is_refused(home, httpserver):
    _hub(
        httpserver,
        lambda r: ([_model("Qwen/Qwen2.5-7B", 1, 1, 1)], {"Link": '<https://evil.example/api/models?x=1>; rel="next"'}),
    )
    before = fingerprint(home.data_path)
    with pytest.raises(BriefingError, match="another host"):
        _sync_hub(home, httpserver)
    assert fingerprint(home.data_path) == before


def test_pagination_stops_at_the_page_cap(home, httpserver):
    n = [0]

    def pages(request):
        n[0] += 1
        nxt = f'</api/models?author=Qwen&cursor=c{n[0]}>; rel="next"'
        return [_model(f"Qwen/m{n[0]}", 10, 10, 1)], {"Link": nxt}

    _hub(httpserver, pages)
    _sync_hub(home, httpserver, max_pages=3)
    assert n[0] == 3 and "(first 300 models by downloads only)" in _org_total(home)["method"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("downloads", 10**30),
        ("downloads", 2**63),
        ("downloads", -5),
        ("downloads", "many"),
        ("tags", 5),
    ],
)
def test_one_absurd_value_from_the_hub_does_not_fail_the_sync(home, httpserver, field, value):  # HF07, HF08, HF11
    odd = _model("Qwen/Qwen2.5-1.5B", 5, 5, 5)
    odd[field] = value
    _hub(httpserver, lambda r: ([_model("Qwen/Qwen2.5-7B", 1000, 5000, 1), odd], {}))
    result = _sync_hub(home, httpserver)
    assert result.outcome == "applied"
    with Store(home.data_path, readonly=True) as s:
        assert s.record("adoption", f"hf/Qwen/Qwen2.5-7B/downloads_30d/{TODAY}")["value"] == 1000
        assert s.record("adoption", f"hf/Qwen/Qwen2.5-1.5B/likes/{TODAY}")["value"] == 5
    if field == "downloads":
        assert "out of range left out" in result.summary()
        assert _org_total(home)["value"] == 1000


@pytest.mark.parametrize("repo", ["Qwen/has space", "Qwen/" + "x" * 600, "Qwen/rtl\u202eexe", ""])
def test_an_odd_repo_id_is_left_out_not_the_whole_sync(home, httpserver, repo):  # HF13, HF14
    _hub(httpserver, lambda r: ([_model("Qwen/Qwen2.5-7B", 1000, 5000, 1), _model(repo, 5, 5, 5)], {}))
    result = _sync_hub(home, httpserver)
    assert result.outcome == "applied"
    with Store(home.data_path, readonly=True) as s:
        repos = {r["subject"] for r in s.records("adoption") if r["id"].startswith("hf/")}
    if "\u202e" in repo:  # cleaned, then recorded under its visible name
        assert "Qwen/rtlexe" in repos
    else:
        assert repos == {"Qwen/Qwen2.5-7B"} and "wrong shape left out" in result.summary()


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"finetune": 10**25, "adapter": 3}, None),
        ({"finetune": 2, "adapter": 3}, 5),
        (10**19, None),
        ({"finetune": -1}, None),
    ],
)
def test_absurd_children_count_is_left_out(home, httpserver, counts, expected):  # HF16
    _hub(
        httpserver, lambda r: ([_model("Qwen/Qwen2.5-7B", 1000, 5000, 1)], {}), children={"childrenModelCount": counts}
    )
    result = _sync_hub(home, httpserver, top_base=1)
    assert result.outcome == "applied"
    with Store(home.data_path, readonly=True) as s:
        rec = s.record("adoption", f"hf/Qwen/Qwen2.5-7B/derivatives/{TODAY}")
        assert (rec and rec["value"]) == expected


def test_hub_429_with_a_huge_retry_after_gives_up_at_once_and_says_when(home, httpserver):
    httpserver.expect_request("/api/models").respond_with_data("no", status=429, headers={"Retry-After": "99999"})
    start = time.monotonic()
    with pytest.raises(BriefingError, match=r"rate-limiting us \(HTTP 429\); try again after 20\d\d-"):
        syncmod.sync(
            home, source="huggingface", endpoint=httpserver.url_for("/").rstrip("/"), config=FetchConfig(), now=NOW
        )
    assert time.monotonic() - start < 10


# -- Federal Register ------------------------------------------------------------------------------


def test_fr_count_of_a_billion_and_a_self_pointing_next_page_is_bounded(home, httpserver):  # FR02
    seen = []

    def pages(request):
        seen.append(request.full_path)
        return {
            "count": 10**9,
            "results": [],
            "next_page_url": httpserver.url_for("/api/v1/documents.json") + "?same=1",
        }

    endpoint = _fr_server(httpserver, pages)
    with Store(home.data_path) as s:
        s.set_meta({"federal_register_through": "2026-09-01"})
    start = time.monotonic()
    result = syncmod.sync(home, source="federal_register", endpoint=endpoint, config=FAST, now=NOW, max_requests=60)
    assert len(seen) == 60 and time.monotonic() - start < 60
    assert "stopped after 60 requests" in result.summary()
    with Store(home.data_path, readonly=True) as s:  # only windows fetched whole move "synced through"
        assert s.meta()["federal_register_through"] < TODAY
    assert federal_register.MAX_REQUESTS <= 400


def test_fr_self_pointing_next_page_ends_the_query(home, httpserver):
    week = json.loads((federal_register_fixture()).read_text())
    seen = []

    def pages(request):
        seen.append(request.full_path)
        return dict(
            week, count=len(week["results"]), next_page_url=httpserver.url_for("/api/v1/documents.json") + "?p=2"
        )

    endpoint = _fr_server(httpserver, pages)
    result = syncmod.sync(
        home,
        source="federal_register",
        endpoint=endpoint,
        config=FAST,
        now=NOW,
        since=dt.date(2026, 11, 20),
        terms=("x",),
    )
    assert len(seen) == 2 and "pointed back to a page already read" in result.summary()


def federal_register_fixture():
    from tests.core.test_sources import FIX

    return FIX / "fr_documents_search__recorded_week_2026-08-17_to_21.json"


@pytest.mark.parametrize(
    "answer",
    [
        {"count": 2, "results": {"0": {"document_number": "2026-1"}}},  # FR08: results is an object
        {"count": 2, "results": [[{"document_number": "2026-1"}, {"document_number": "2026-2"}]]},  # FR10: nested lists
        {"count": "2", "results": []},
        [1, 2, 3],
    ],
)
def test_fr_answer_of_the_wrong_shape_is_an_error_and_does_not_move_synced_through(home, httpserver, answer):
    endpoint = _fr_server(httpserver, lambda request: answer)
    with Store(home.data_path) as s:
        s.set_meta({"federal_register_through": "2026-11-01"})
    before = fingerprint(home.data_path)
    with pytest.raises(BriefingError, match="unexpected shape"):
        syncmod.sync(home, source="federal_register", endpoint=endpoint, config=FAST, now=NOW, terms=("x",))
    assert fingerprint(home.data_path) == before


def test_fr_documents_that_cannot_be_recorded_are_counted_in_the_summary(home, httpserver):  # FR05
    week = json.loads(federal_register_fixture().read_text())
    good = week["results"][0]
    bad = [
        dict(good, document_number="2026-90001", abstract="A" * 30_000),
        dict(good, document_number="2026-90002", publication_date="2026-02-30"),
        dict(good, document_number="2026 900 03"),
    ]
    endpoint = _fr_server(httpserver, lambda request: {"count": 4, "results": [good, *bad]})
    result = syncmod.sync(
        home,
        source="federal_register",
        endpoint=endpoint,
        config=FAST,
        now=NOW,
        since=dt.date(2026, 11, 28),
        terms=("x",),
    )
    assert result.added == {"source": 1, "policy_action": 1}
    assert "3 document(s) could not be recorded" in result.summary()


def test_fr_429_with_a_huge_retry_after_gives_up_within_the_bound(home, httpserver):  # FR11
    hits = []

    def handler(request):
        hits.append(1)
        return Response("slow down", status=429, headers={"Retry-After": "99999"})

    httpserver.expect_request("/api/v1/documents.json").respond_with_handler(handler)
    start = time.monotonic()
    with pytest.raises(BriefingError, match=r"HTTP 429\); try again after"):
        syncmod.sync(
            home,
            source="federal_register",
            endpoint=httpserver.url_for("/api/v1"),
            config=FetchConfig(),
            now=NOW,
            terms=("x",),
        )
    assert time.monotonic() - start < 10 and len(hits) == 1


def test_429_waits_add_up_to_at_most_retry_after_max(home, httpserver):
    waits = []
    httpserver.expect_request("/api/v1/documents.json").respond_with_data(
        "no", status=429, headers={"Retry-After": "20"}
    )
    with pytest.raises(BriefingError, match="429"):
        syncmod.sync(
            home,
            source="federal_register",
            endpoint=httpserver.url_for("/api/v1"),
            config=FetchConfig(retries=5),
            now=NOW,
            terms=("x",),
            sleep=waits.append,
        )
    assert sum(waits) <= FetchConfig().retry_after_max == 30
