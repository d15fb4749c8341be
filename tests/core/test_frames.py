"""frames: store rows -> DataFrames; each grouping equals a hand-computed expectation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from briefing.core import frames
from briefing.core.records import validate

SRC = ["kbhandari-forecast"]


def _obs(subject: str, as_of: str, value: float, metric: str = "downloads_total", kind: str = "hf_repo") -> dict:
    return validate("adoption", {
        "id": f"t-{subject.replace('/', '-')}-{metric}-{as_of}", "subject_kind": kind, "subject": subject,
        "metric": metric, "value": value, "unit": "count", "as_of": as_of, "method": "test", "sources": SRC,
    })


@pytest.fixture
def richer(store):
    """The fixture store plus: a catalogue-less DeepSeek repo with a gap, an unknown namespace repo."""
    store.put_records("adoption", [
        _obs("deepseek-ai/DeepSeek-V3", "2024-07-14", 50),   # namespace only: org deepseek, CN, no family
        _obs("deepseek-ai/DeepSeek-V3", "2024-07-28", 80),   # gap on 07-21: forward-filled (50)
        _obs("nobody/unknown-model", "2024-07-21", 10),       # not attributable at all
        _obs("Qwen/Qwen2.5-72B", "2024-07-07", 7, metric="downloads_30d"),
        _obs("Qwen/Qwen2.5-72B", "2024-07-21", 9, metric="downloads_30d"),
        _obs("meta-llama/Llama-3.1-8B", "2024-07-14", 5, metric="downloads_30d"),
    ], origin="local")
    return store


def test_adoption_frame_rows_and_attribution(richer):
    f = frames.adoption_frame(richer)
    assert list(f.columns) == frames.ADOPTION_COLUMNS
    assert len(f) == 8 + 3
    assert f.attrs["metric"] == "downloads_total"
    assert pd.api.types.is_datetime64_any_dtype(f["date"])
    by_subject = f.drop_duplicates("subject").set_index("subject")
    assert by_subject.loc["Qwen/Qwen2.5-72B", "model"] == "qwen2.5-72b"
    assert by_subject.loc["Qwen/Qwen2.5-72B", "country"] == "CN"
    assert by_subject.loc["meta-llama/Llama-3.1-8B", "family"] == "Llama"
    assert by_subject.loc["meta-llama/Llama-3.1-8B", "organization_name"] == "Meta"
    ds = by_subject.loc["deepseek-ai/DeepSeek-V3"]
    assert (ds["organization"], ds["country"]) == ("deepseek", "CN") and pd.isna(ds["model"]) and pd.isna(ds["family"])
    assert pd.isna(by_subject.loc["nobody/unknown-model", "country"])


def test_group_by_country_hand_computed(richer):
    g = frames.group_adoption(frames.adoption_frame(richer), "country")
    expected = pd.DataFrame(
        {
            # Qwen 100,300,700,1500 + DeepSeek-V3 -,50,50(filled),80
            "CN": [100.0, 350.0, 750.0, 1580.0],
            "US": [500.0, 900.0, 1200.0, 1400.0],
            # unknown repo seen once on 07-21, carried forward (cumulative metric)
            frames.OTHER: [math.nan, math.nan, 10.0, 10.0],
        },
        index=pd.DatetimeIndex(["2024-07-07", "2024-07-14", "2024-07-21", "2024-07-28"], name="date"),
    )
    pd.testing.assert_frame_equal(g, expected, check_names=False, check_index_type=False, check_freq=False)


def test_group_by_organization_and_family(richer):
    f = frames.adoption_frame(richer)
    org = frames.group_adoption(f, "organization")
    assert list(org.columns) == ["Alibaba Cloud (Qwen team)", "Meta", "DeepSeek", frames.OTHER]
    assert org["DeepSeek"].tolist()[1:] == [50.0, 50.0, 80.0] and math.isnan(org["DeepSeek"].iloc[0])
    assert org["Meta"].tolist() == [500.0, 900.0, 1200.0, 1400.0]
    fam = frames.group_adoption(f, "family")
    assert fam["Qwen"].tolist() == [100.0, 300.0, 700.0, 1500.0]
    # DeepSeek-V3 has no family in the catalogue: it joins the unattributed repo rather than vanishing
    assert fam[frames.OTHER].tolist()[1:] == [50.0, 60.0, 90.0]
    total = fam.fillna(0).sum(axis=1)
    assert total.tolist() == frames.group_adoption(f, "country").fillna(0).sum(axis=1).tolist()


def test_date_range_cuts_after_filling(richer):
    f = frames.adoption_frame(richer)
    g = frames.group_adoption(f, "country", start="2024-07-20", end="2024-07-28")
    assert [d.strftime("%Y-%m-%d") for d in g.index] == ["2024-07-21", "2024-07-28"]
    assert g["CN"].tolist() == [750.0, 1580.0]  # DeepSeek's 50 from 07-14 still counts on 07-21
    assert frames.group_adoption(f, "country", start="2030-01-01").empty


def test_window_metric_is_not_carried_past_last_observation(richer):
    f = frames.adoption_frame(richer, metric="downloads_30d")
    g = frames.group_adoption(f, "country")
    assert g.index.strftime("%Y-%m-%d").tolist() == ["2024-07-07", "2024-07-14", "2024-07-21"]
    assert g["CN"].tolist() == [7.0, 7.0, 9.0]   # gap on 07-14 filled inside Qwen's span
    assert g["US"].tolist()[1] == 5.0 and math.isnan(g["US"].iloc[2])  # Llama seen once: not extended


def test_bad_grouping_and_empty_metric(store):
    with pytest.raises(ValueError):
        frames.group_adoption(frames.adoption_frame(store), "planet")
    empty = frames.adoption_frame(store, metric="downloads_30d")
    assert len(empty) == 0
    assert frames.group_adoption(empty, "family").empty


def test_milestones_and_format(store):
    m = frames.milestones(store)
    assert m["id"].tolist() == ["share-cn-2025"]
    assert m["label"].iloc[0] == "CN: 17.1%"
    from briefing.core import numbers  # the one formatter (chart axes use its axis form)

    assert numbers.number(650_000_000, axis=True) == "650M"
    assert numbers.number(1_234_000_000, axis=True) == "1.23B"


def test_models_frame_and_filters(store):
    f = frames.adoption_frame(store)
    models = frames.models_frame(store, f)
    assert models.set_index("id").loc["qwen2.5-72b", "latest"] == 1500.0
    assert np.isnan(models.set_index("id").loc["deepseek-r1", "latest"])
    assert set(frames.filter_models(models, countries={"CN"})["id"]) == {"deepseek-r1", "qwen2.5-72b"}
    assert frames.filter_models(models, access={"open_weights"})["id"].tolist() == ["deepseek-r1"]
    assert frames.filter_models(models, licenses={"MIT"}, countries={"US"}).empty
    assert frames.filter_models(models, text="LLAMA")["id"].tolist() == ["llama-3.1-8b"]


def test_investment_frames(store):
    inv = frames.investment_frame(store)
    assert inv.loc[0, "amount_usd"] == 112_400_000_000.0 and inv.loc[0, "currency"] == "EUR"
    store.put_records("investment", [validate("investment", {
        "id": "x-1", "country": "FR", "actor": "A", "title": "<img src=file:///etc/passwd>", "amount": 5,
        "currency": "USD", "amount_usd": 5e9, "announced_on": "2024-01-01", "category": "compute",
        "status": "committed", "sources": SRC}), validate("investment", {
        "id": "x-2", "country": "DE", "actor": "B", "title": "No USD", "amount": 5, "currency": "EUR",
        "announced_on": "2024-01-01", "category": "compute", "status": "committed", "sources": SRC})],
        origin="local")
    inv = frames.investment_frame(store)
    by_cat = frames.investment_by_country(inv, "category")
    assert by_cat.loc["FR", "mixed"] == 112.4e9 and by_cat.loc["FR", "compute"] == 5e9
    assert "DE" not in by_cat.index  # no USD figure, so not summable
    by_status = frames.investment_by_country(inv, "status")
    assert by_status.loc["FR"].to_dict() == {"announced": 112.4e9, "committed": 5e9}
    assert frames.filter_investments(inv, categories={"compute"})["id"].tolist() == ["x-1", "x-2"]
    assert frames.filter_investments(inv, text="<img")["id"].tolist() == ["x-1"]
    assert frames.filter_investments(inv, start="2025-01-01")["id"].tolist() == ["fr-2025-ai-109bn"]


def test_policy_frame_and_filters(store):
    store.put_records("policy_action", [validate("policy_action", {
        "id": "cn-1", "jurisdiction": "CN", "body": "CAC", "title": "Interim measures", "instrument": "regulation",
        "stage": "in_force", "date": "2023-07-10", "stance_on_open_models": "mixed", "summary": "s",
        "sources": SRC})], origin="local")
    p = frames.policy_frame(store)
    assert p["id"].tolist() == ["cn-1", "us-bis-2025-ai-diffusion"]
    assert p.loc[1, "stance"] == "mixed" and p.loc[1, "identifiers"] == {"fr_doc": "2025-00636"}
    assert frames.filter_policy(p, jurisdictions={"CN"})["id"].tolist() == ["cn-1"]
    assert frames.filter_policy(p, instruments={"export_control"}, stages={"rescinded"})["id"].tolist() == [
        "us-bis-2025-ai-diffusion"]
    assert frames.filter_policy(p, stances={"supportive"}).empty
    assert frames.filter_policy(p, start="2024-01-01", end="2025-12-31")["id"].tolist() == ["us-bis-2025-ai-diffusion"]


def test_other_group_is_named_counted_and_kept(richer):
    f = frames.adoption_frame(richer)
    assert frames.OTHER == "Other (not in catalogue)"
    assert frames.unattributed_subjects(f, "country") == 1  # nobody/unknown-model
    assert frames.unattributed_subjects(f, "family") == 2  # ... and DeepSeek-V3 (no family)
    assert frames.other_note(1, "country") == "1 repository not attributed to a catalogued developer"
    assert frames.other_note(1234, "family") == "1,234 repositories not matched to a catalogued model family"


def test_top_groups_sums_the_rest_and_keeps_other(richer):
    org = frames.group_adoption(frames.adoption_frame(richer), "organization")
    top = frames.top_groups(org, 2)
    assert list(top.columns) == ["Alibaba Cloud (Qwen team)", "2 more organizations (combined)", frames.OTHER]
    combined = top["2 more organizations (combined)"]
    assert combined.tolist() == org[["Meta", "DeepSeek"]].sum(axis=1, min_count=1).tolist()
    assert frames.top_groups(org, 10) is org
