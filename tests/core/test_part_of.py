"""investment.part_of: schema, and no double counting in the by-country bars or the headline."""

from __future__ import annotations

import pytest

from briefing.core import figures, frames
from briefing.core.errors import RecordError
from briefing.core.records import FIELDS, validate

SRC = ["brussels-signal-macron"]


def _inv(
    rid: str,
    country: str,
    usd: float | None,
    *,
    part_of: str | None = None,
    category: str = "mixed",
    status: str = "announced",
) -> dict:
    return validate(
        "investment",
        {
            "id": rid,
            "country": country,
            "actor": "A",
            "title": f"Title {rid}",
            "amount": 1.0,
            "currency": "EUR",
            "amount_usd": usd,
            "usd_basis": "test" if usd is not None else None,
            "announced_on": "2025-02-10",
            "category": category,
            "status": status,
            "sources": SRC,
            "part_of": part_of,
        },
    )


def test_schema_accepts_an_id_or_null_and_defaults_to_null():
    assert "part_of" in FIELDS["investment"]
    assert _inv("a", "FR", 1.0, part_of="fr-2025-ai-109bn")["part_of"] == "fr-2025-ai-109bn"
    rec = _inv("b", "FR", 1.0)
    del rec["part_of"]
    assert validate("investment", rec)["part_of"] is None  # older feeds without the field still load
    with pytest.raises(RecordError, match="part_of"):
        validate("investment", {**rec, "part_of": "not an id!"})
    with pytest.raises(RecordError, match="part_of"):
        validate("investment", {**rec, "part_of": 7})


def test_part_of_round_trips_through_the_store(store):
    store.put_records("investment", [_inv("fr-brookfield", "FR", 21.6e9, part_of="fr-2025-ai-109bn")], origin="local")
    assert store.record("investment", "fr-brookfield")["part_of"] == "fr-2025-ai-109bn"
    assert store.record("investment", "fr-2025-ai-109bn")["part_of"] is None


@pytest.fixture()
def packages(store):
    store.put_records(
        "investment",
        [
            _inv("fr-brookfield", "FR", 21.6e9, part_of="fr-2025-ai-109bn", category="compute"),
            _inv("eu-package", "EU", None),  # no USD figure: its parts are the best there is
            _inv("eu-part", "EU", 20e9, part_of="eu-package", category="compute"),
            _inv("ca-package", "CA", 1.8e9),
            _inv("ca-envelope", "CA", 1.4e9, part_of="ca-package", category="compute"),
            _inv("ca-fund", "CA", 0.2e9, part_of="ca-envelope", category="compute"),  # nested two deep
        ],
        origin="local",
    )
    return frames.investment_frame(store)


def test_bars_do_not_add_components_on_top_of_their_package(packages):
    counted = dict(zip(packages["id"], frames.counted_investments(packages)))
    assert counted == {
        "fr-2025-ai-109bn": True,
        "fr-brookfield": False,
        "eu-package": False,
        "eu-part": True,
        "ca-package": True,
        "ca-envelope": False,
        "ca-fund": False,
    }
    wide = frames.investment_by_country(packages, "category")
    assert wide.sum(axis=1).to_dict() == {"FR": 112.4e9, "EU": 20e9, "CA": 1.8e9}
    assert "compute" not in wide.columns or wide.loc["FR", "compute"] == 0.0


def test_a_component_counts_when_its_package_is_filtered_out(packages):
    compute_only = frames.filter_investments(packages, categories={"compute"})
    wide = frames.investment_by_country(compute_only, "category")
    # the CA package (mixed) is filtered out, so its envelope stands in for it; the fund is inside the envelope
    assert wide.sum(axis=1).to_dict() == {"FR": 21.6e9, "EU": 20e9, "CA": 1.4e9}


def test_components_are_listed_under_their_package(packages):
    assert frames.investment_components(packages, "ca-package")["id"].tolist() == ["ca-envelope"]
    assert frames.investment_components(packages, "fr-brookfield").empty


def test_headline_sums_top_level_records_and_names_the_rest(store):
    store.put_records(
        "investment",
        [
            _inv("fr-brookfield", "FR", 21.6e9, part_of="fr-2025-ai-109bn"),
            _inv("de-no-usd", "DE", None),
        ],
        origin="local",
    )
    t = figures.investment_total(store.records("investment"), figures.EVERYTHING)
    assert [r["id"] for r in t.counted] == ["fr-2025-ai-109bn"] and t.usd == 112.4e9
    assert [r["id"] for r in t.components] == ["fr-brookfield"]
    assert [(r["id"], why) for r, why in t.left_out] == [("de-no-usd", "confirmation not recorded")]


def test_investment_one_pager_adds_no_component_on_top_of_its_package(store):
    import datetime as dt

    from briefing.core import report

    store.put_records(
        "investment",
        [
            _inv("fr-brookfield", "FR", 21.6e9, part_of="fr-2025-ai-109bn"),
            _inv("de-no-usd", "DE", None),
        ],
        origin="local",
    )
    spec = report.build_report(store, "investment", today=dt.date(2025, 8, 31))
    total = spec.key_figures[0]
    assert total.value == "$112.4 billion" and total.figure_id == "investment-total"
    assert "Title fr-brookfield" not in " ".join(f.label for f in spec.key_figures)
    assert "1 other commitment" in spec.bottom_line


def test_feed_publish_and_parse_carry_part_of(store):
    import datetime as dt

    from briefing.core.feed import parse_feed
    from briefing.core.feed_publish import build_document

    store.put_records("investment", [_inv("fr-brookfield", "FR", 21.6e9, part_of="fr-2025-ai-109bn")], origin="local")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    body = build_document(store, version=3, generated_at=now, expires_at=now + dt.timedelta(days=30))
    doc = parse_feed(body)
    by_id = {r["id"]: r for r in doc.records["investment"]}
    assert by_id["fr-brookfield"]["part_of"] == "fr-2025-ai-109bn"
    assert by_id["fr-2025-ai-109bn"]["part_of"] is None
