"""The feed's record schema is versioned: a schema-2 feed carries the new fields, a schema-1 feed
(an older publisher) still applies, and a feed of a major version this app does not know is refused
with one line, the data left exactly as they were."""

from __future__ import annotations

import json

import pytest

from briefing.core import sync as syncmod
from briefing.core.feed import NEWER_APP_NEEDED, FeedError, parse_feed
from briefing.core.records import SCHEMA_MAJOR
from briefing.core.store import Store
from tests.feedkit import FAST, NOW, feed_bytes, fingerprint, make_key, sign


def test_published_feed_is_schema_2_and_carries_the_new_fields(home):
    body = feed_bytes(home.data_path, 3)
    head = json.loads(body)["_briefing"]
    assert (head["schema"], head["schema_minor"]) == (SCHEMA_MAJOR, 0) == (2, 0)
    doc = parse_feed(body)
    inv = doc.records["investment"][0]
    assert (inv["scope"], inv["confirmation"], inv["kind"]) == ("ai", "official", "private_pledge")
    assert {s["grade"] for s in doc.records["source"]} <= {"primary", "reputable", "weak"}
    assert doc.records["policy_action"][0]["relevance"] == "core"


def _as_schema_1(doc):
    """What an older publisher wrote: schema 1, no schema-2 fields in any record."""
    doc["_briefing"]["schema"] = 1
    doc["_briefing"].pop("schema_minor", None)
    new = {
        "source": {"grade"},
        "adoption": {"as_of_precision", "measure_id"},
        "investment": {"scope", "confirmation", "kind", "overlaps", "fx_rate", "fx_month"},
        "policy_action": {"relevance", "topics", "published_on", "scheduled", "superseded_by"},
    }
    for item in doc["items"]:
        rec = item["_briefing"]["record"]
        for key in new.get(item["_briefing"]["kind"], set()) & set(rec):
            rec.pop(key)


def test_a_schema_1_feed_from_an_older_publisher_still_parses(home):
    doc = parse_feed(feed_bytes(home.data_path, 3, mutate=_as_schema_1))
    src = {s["id"]: s for s in doc.records["source"]}
    assert src["fr-2025-00636"]["grade"] == "primary"  # derived from reliability
    assert src["brussels-signal-macron"]["grade"] == "weak"  # secondary and not graded: treated as weak
    assert doc.records["policy_action"][0]["relevance"] is None and doc.records["policy_action"][0]["topics"] == []


@pytest.mark.parametrize("schema", [3, 99])
def test_unknown_major_version_is_refused_in_one_line(home, schema):
    def newer(doc):
        doc["_briefing"]["schema"] = schema

    with pytest.raises(FeedError) as err:
        parse_feed(feed_bytes(home.data_path, 3, mutate=newer))
    assert str(err.value).startswith(NEWER_APP_NEEDED) and "\n" not in str(err.value)


def test_sync_of_a_newer_schema_leaves_the_data_untouched(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    body = feed_bytes(home.data_path, 9, mutate=lambda d: d["_briefing"].update(schema=3))
    httpserver.expect_request("/feed.json").respond_with_data(body, content_type="application/feed+json")
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    before = fingerprint(home.data_path)
    with pytest.raises(FeedError, match=f"^{NEWER_APP_NEEDED}"):
        syncmod.sync(
            home, feed_url=httpserver.url_for("/feed.json"), trust_keys=[pub], pinned=False, config=FAST, now=NOW
        )
    assert fingerprint(home.data_path) == before


def test_feed_data_date_is_the_latest_measurement_not_the_generation_day(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    with Store(home.data_path) as s:
        s.remove_records("consideration", s.ids("consideration"))  # so the sync has work to do
    src = tmp_path / "src.sqlite"
    import shutil

    shutil.copyfile(home.data_path, src)
    body = feed_bytes(src, 4)
    httpserver.expect_request("/feed.json").respond_with_data(body, content_type="application/feed+json")
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    result = syncmod.sync(
        home, feed_url=httpserver.url_for("/feed.json"), trust_keys=[pub], pinned=False, config=FAST, now=NOW
    )
    assert result.outcome == "applied", result.error
    with Store(home.data_path, readonly=True) as s:
        # the fixture's latest measurement (its llmfit reading of 2026-05-01), not 2026-11-29
        assert s.meta()["data_as_of"] == "2026-05-01"


def test_reading_a_feed_makes_no_reference_cycles(home):
    """What parse_feed makes is freed by reference counting alone, so pausing the cyclic
    collector while a feed is read and applied (feed.collector_paused) leaves no garbage behind."""
    import gc

    body = feed_bytes(home.data_path, 3)
    parse_feed(body)  # compiles the validators once
    gc.collect()
    gc.disable()
    try:
        doc = parse_feed(body)
        assert sum(len(v) for v in doc.records.values()) > 30
        del doc
        assert gc.collect() == 0  # nothing was left for the collector to find
    finally:
        gc.enable()
