"""frames: store rows -> the models, investment and policy DataFrames, each equal to a hand-computed expectation."""

from __future__ import annotations

from briefing.core import frames, readings
from briefing.core.records import validate

SRC = ["kbhandari-forecast"]


def test_format(store):
    from briefing.core import numbers  # the one formatter (chart axes use its axis form)

    assert numbers.number(650_000_000, axis=True) == "650M"
    assert numbers.number(1_234_000_000, axis=True) == "1.23B"


def test_models_frame_and_filters(store):
    f = readings.readings_frame(store)
    models = frames.models_frame(store, f).set_index("id")
    # each model's repos at its latest reading (llmfit, 2026-05-01), never a sum across dates
    assert models.loc["qwen2.5-72b", "latest"] == 2600.0 and models.loc["qwen2.5-72b", "latest_on"] == "2026-05-01"
    assert models.loc["deepseek-r1", "latest"] == 700.0
    models = models.reset_index()
    assert set(frames.filter_models(models, countries={"CN"})["id"]) == {"deepseek-r1", "qwen2.5-72b"}
    assert frames.filter_models(models, access={"open_weights"})["id"].tolist() == ["deepseek-r1"]
    assert frames.filter_models(models, licenses={"MIT"}, countries={"US"}).empty
    assert frames.filter_models(models, text="LLAMA")["id"].tolist() == ["llama-3.1-8b"]


def test_investment_frames(store):
    inv = frames.investment_frame(store)
    assert inv.loc[0, "amount_usd"] == 112_400_000_000.0 and inv.loc[0, "currency"] == "EUR"
    store.put_records(
        "investment",
        [
            validate(
                "investment",
                {
                    "id": "x-1",
                    "country": "FR",
                    "actor": "A",
                    "title": "<img src=file:///etc/passwd>",
                    "amount": 5,
                    "currency": "USD",
                    "amount_usd": 5e9,
                    "announced_on": "2024-01-01",
                    "category": "compute",
                    "status": "committed",
                    "sources": SRC,
                },
            ),
            validate(
                "investment",
                {
                    "id": "x-2",
                    "country": "DE",
                    "actor": "B",
                    "title": "No USD",
                    "amount": 5,
                    "currency": "EUR",
                    "announced_on": "2024-01-01",
                    "category": "compute",
                    "status": "committed",
                    "sources": SRC,
                },
            ),
        ],
        origin="local",
    )
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
    store.put_records(
        "policy_action",
        [
            validate(
                "policy_action",
                {
                    "id": "cn-1",
                    "jurisdiction": "CN",
                    "body": "CAC",
                    "title": "Interim measures",
                    "instrument": "regulation",
                    "stage": "in_force",
                    "date": "2023-07-10",
                    "stance_on_open_models": "mixed",
                    "summary": "s",
                    "sources": SRC,
                },
            )
        ],
        origin="local",
    )
    p = frames.policy_frame(store)
    assert p["id"].tolist() == ["cn-1", "us-bis-2025-ai-diffusion"]
    assert p.loc[1, "stance"] == "mixed" and p.loc[1, "identifiers"] == {"fr_doc": "2025-00636"}
    assert frames.filter_policy(p, jurisdictions={"CN"})["id"].tolist() == ["cn-1"]
    assert frames.filter_policy(p, instruments={"export_control"}, stages={"rescinded"})["id"].tolist() == [
        "us-bis-2025-ai-diffusion"
    ]
    assert frames.filter_policy(p, stances={"supportive"}).empty
    assert frames.filter_policy(p, start="2024-01-01", end="2025-12-31")["id"].tolist() == ["us-bis-2025-ai-diffusion"]
