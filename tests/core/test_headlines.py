"""Overview headline figures: read as reported or counted from records, dated and sourced."""

from __future__ import annotations

import datetime as dt

from briefing.core import headlines
from briefing.core.records import validate


def _obs(rid, kind, subject, metric, value, as_of, unit="count"):
    return validate("adoption", {
        "id": rid, "subject_kind": kind, "subject": subject, "metric": metric, "value": value,
        "unit": unit, "as_of": as_of, "method": "as reported", "sources": ["epoch-notable"],
    })


def test_compact_number():
    assert headlines.compact_number(112_400_000_000) == "112.4 bn"
    assert headlines.compact_number(1_000_000_000) == "1 bn"
    assert headlines.compact_number(27_000) == "27 k"
    assert headlines.compact_number(950) == "950"


def test_headlines_on_fixture(store):
    store.put_records("adoption", [
        _obs("s-cn-1", "country", "CN", "download_share", 10, "2025-01-01", "percent"),
        _obs("s-us-1", "country", "US", "download_share", 30, "2025-01-01", "percent"),
        _obs("s-cn-2", "country", "CN", "download_share", 17.1, "2025-12-01", "percent"),
        _obs("s-us-2", "country", "US", "download_share", 15.8, "2025-12-01", "percent"),
        _obs("s-cn-3", "country", "CN", "download_share", 41, "2026-03-17", "percent"),  # no US figure that day
        _obs("f-llama-1", "family", "Llama", "downloads_total", 350_000_000, "2024-08-29"),
        _obs("f-llama-2", "family", "Llama", "downloads_total", 1_000_000_000, "2025-03-18"),
        _obs("f-qwen-1", "family", "Qwen", "downloads_total", 700_000_000, "2026-01-13"),
    ], origin="local")
    items = {h.key: h for h in headlines.headlines(store, today=dt.date(2025, 8, 31))}

    share = items["download_share"]
    assert share.value == "China 17.1% · US 15.8%" and share.as_of == "2025-12-01"
    assert share.parts == {"CN": 17.1, "US": 15.8}
    assert share.source_ids == ("epoch-notable",)
    assert share.sources == ("Epoch AI: Notable AI Models",)

    fam = items["family_downloads_total"]
    assert fam.value == "Llama 1 bn · Qwen 700 M"
    assert fam.as_of == "2025-03-18 – 2026-01-13"

    money = items["commitments"]
    assert money.parts == {"total_usd": 112_400_000_000, "without_usd": 0, "components": 0}
    assert money.value == "US$ 112.4 bn" and money.as_of == "2025-02-09"
    assert money.source_ids == ("brussels-signal-macron",)

    policy = items["policy_12m"]
    assert policy.parts == {"neutral": 1} and policy.value == "1 neutral"
    assert policy.as_of == "2025-08-31"

    tracked = items["models_tracked"]
    assert set(tracked.parts) == {"CN", "US"}
    assert "derivatives" not in " ".join(items)  # no data -> no card, never a zero


def test_policy_window_excludes_old_actions(store):
    assert headlines.policy_by_stance(store, today=dt.date(2027, 1, 1)) is None


def test_withdrawn_commitments_not_counted(store):
    rec = {k: v for k, v in store.record("investment", "fr-2025-ai-109bn").items() if k != "origin"}
    rec["status"] = "withdrawn"
    store.put_records("investment", [validate("investment", rec)], origin="local")
    assert headlines.commitments(store) is None


def test_reference_date_is_data_as_of(store):
    assert headlines.reference_date(store) == dt.date(2025, 8, 31)
