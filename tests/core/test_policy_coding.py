"""The stance rubric (docs/methods.md) applied to every shipped action: values, equal reasoning
gets an equal stance, relevance and topics, dates, and the relevance and topic filters."""

from __future__ import annotations

import pytest

from briefing.core import frames
from briefing.core.records import ENUMS
from briefing.core.store import Store


@pytest.fixture(scope="module")
def actions():
    with Store("data/snapshot.sqlite", readonly=True) as s:
        return {p["id"]: p for p in s.records("policy_action")}, frames.policy_frame(s)


def test_every_action_is_coded_with_the_rubric(actions):
    recs, _ = actions
    for p in recs.values():
        assert p["stance_on_open_models"] in ENUMS["stance"]
        assert p["relevance"] in ("core", "context"), p["id"]  # out-of-scope records are not shipped
        if p["stance_on_open_models"] in ("restrictive", "supportive", "mixed", "neutral"):
            assert p["relevance"] == "core" and p["topics"], p["id"]
        if p["stance_on_open_models"] == "not_applicable":
            assert p["relevance"] == "context", p["id"]
        assert "Stance:" in p["summary"] or p["stance_on_open_models"] == "unassessed", p["id"]


@pytest.mark.parametrize(
    "ids",
    [
        # P1: the same finding that open weights' benefits outweigh their risks, with no control on weights
        ("us-ntia-2024-open-weights-report",),
        # P2: duties by model scale whatever the release mode
        ("us-ca-sb-53", "us-ny-2025-raise-act", "us-eo-14110"),
        # P3: declarations that name open-source AI
        ("int-2025-paris-ai-action-summit-statement", "int-2026-new-delhi-declaration-ai-impact"),
        # P4: measures against DeepSeek's app or hosted service only
        (
            "it-2025-garante-deepseek-restriction",
            "kr-2025-pipc-deepseek-download-suspension",
            "us-tx-2025-deepseek-state-devices-ban",
            "us-ny-2025-deepseek-state-devices-ban",
            "tw-2025-deepseek-government-ban",
            "us-hr-1121-no-deepseek-government-devices",
        ),
        # measures covering DeepSeek's (or adversaries') models themselves
        ("au-2025-deepseek-government-devices-ban", "us-navy-2025-deepseek-ban", "us-2025-no-adversarial-ai-act"),
    ],
)
def test_equal_reasoning_gets_an_equal_stance(actions, ids):
    recs, _ = actions
    assert len({recs[i]["stance_on_open_models"] for i in ids}) == 1, {i: recs[i]["stance_on_open_models"] for i in ids}


def test_key_stances(actions):
    recs, _ = actions
    assert recs["us-bis-2025-ai-diffusion-framework"]["stance_on_open_models"] == "mixed"
    assert recs["us-ntia-2024-open-weights-report"]["stance_on_open_models"] == "supportive"
    assert recs["int-2026-new-delhi-declaration-ai-impact"]["stance_on_open_models"] == "supportive"
    assert recs["us-ca-sb-1047"]["stage"] == "vetoed"
    assert recs["us-bis-2022-advanced-computing-rule"]["stance_on_open_models"] == "not_applicable"


def test_noise_is_gone_and_the_gaps_are_filled(actions):
    recs, _ = actions
    for gone in (
        "us-nyc-local-law-144",
        "us-eo-2025-ai-education",
        "us-bis-fr-2023-24508",
        "us-bis-fr-2022-07643",
        "us-bis-fr-2022-19415",
        "us-bis-fr-2022-14069",
    ):
        assert gone not in recs
    for new in (
        "us-nist-2025-caisi-deepseek-evaluation",
        "us-hr-1121-no-deepseek-government-devices",
        "us-tx-2025-deepseek-state-devices-ban",
        "us-navy-2025-deepseek-ban",
    ):
        assert recs[new]["sources"], new
    assert not [i for i in recs if i.startswith("us-bis-fr-") and recs[i]["relevance"] not in ("core", "context")]


def test_executive_orders_are_dated_by_signature(actions):
    recs, _ = actions
    assert (recs["us-eo-14179-removing-barriers"]["date"], recs["us-eo-14179-removing-barriers"]["published_on"]) == (
        "2025-01-23",
        "2025-01-31",
    )
    assert recs["us-eo-2025-national-ai-policy-framework"]["date"] == "2025-12-11"
    assert recs["us-eo-2025-preventing-woke-ai"]["date"] == "2025-07-23"


def test_relevance_and_topic_filters(actions):
    recs, frame = actions
    weights = frames.filter_policy(frame, topics={"model_weights"})
    assert set(weights["id"]) == {i for i, p in recs.items() if "model_weights" in p["topics"]}
    assert "us-bis-2025-ai-diffusion-framework" in set(weights["id"]) and "us-hr-8315-enforce-act" in set(weights["id"])
    core = frames.filter_policy(frame, relevances={"core"})
    assert set(core["relevance"]) == {"core"} and len(core) < len(frame)
    both = frames.filter_policy(frame, relevances={"core"}, topics={"chinese_apps"})
    assert set(both["id"]) >= {"it-2025-garante-deepseek-restriction", "us-navy-2025-deepseek-ban"}


def test_a_chart_is_dated_by_what_had_happened_not_a_scheduled_milestone(actions):
    recs, frame = actions
    scheduled = max(p["date"] for p in recs.values() if p["scheduled"])
    as_of = frames.policy_data_date(frame)
    assert as_of < scheduled and as_of == max(p["date"] for p in recs.values() if not p["scheduled"])
