"""One-pager content: figures from records only, sourced, trimmed with consistent footnotes."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.core import numbers
from briefing.core.errors import BriefingError
from briefing.core.records import validate
from briefing.core.report import TOPICS, bottom_line_key, build_report, considerations_key

TODAY = dt.date(2026, 11, 29)


def figures_policy_date(store) -> str:
    done = [p["date"] for p in store.records("policy_action") if not p.get("scheduled") and p["date"] <= "2025-08-31"]
    return numbers.date(max(done))


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_masthead_figures_and_notes(store, home, topic):
    with home.notes() as notes:
        spec = build_report(store, topic, notes=notes, today=TODAY)
    assert spec.updated == "Nov 29, 2026"
    # a brief is current to the data it rests on: the latest measurement, the policy actions' own
    # date, the latest investment announcement (the fixture's download readings run to Aug 2025)
    assert spec.data_as_of == {"investment": "Feb 9, 2025", "policy": figures_policy_date(store)}.get(
        topic, "Aug 31, 2025"
    )
    assert spec.data_age.startswith(f"Data current to {spec.data_as_of} (")
    assert spec.version == "snapshot v1"
    assert not spec.stale
    assert 1 <= len(spec.key_figures) <= 4
    numbers = {n.number for n in spec.sources}
    assert numbers == set(range(1, len(spec.sources) + 1))
    for fig in spec.key_figures:
        assert fig.notes and set(fig.notes) <= numbers, fig  # every figure carries a source note
        assert fig.as_of
    assert spec.bottom_line


def test_figures_come_from_records(store):
    spec = build_report(store, "adoption", today=TODAY)
    share = spec.key_figures[0]
    assert share.figure_id == "download-share-china-hf-2026"  # China alone: no US share to pair it with
    assert share.value == "17.1%" and share.as_of == "Aug 1, 2024 \u2013 Aug 31, 2025"
    note = spec.sources[share.notes[0] - 1]
    assert note.publisher == "Epoch AI" and note.address == "epoch.ai/data/notable-ai-models"
    assert "17.1%" in spec.bottom_line
    # no US share record in the fixture's study: the brief says nothing about it rather than inventing
    # one (the US share it does state is the latest Hub reading's, a figure of its own)
    study_part, _, hub_part = spec.bottom_line.partition("In the latest Hub reading")
    assert "US-based" not in study_part and "US-based ones" in hub_part


def test_missing_data_says_less(store):
    store.remove_records("adoption", store.ids("adoption"))
    spec = build_report(store, "adoption", today=TODAY)
    assert all("%" not in f.value for f in spec.key_figures)
    assert "%" not in spec.bottom_line


def test_user_edits_replace_bottom_line_and_considerations(store, home):
    with home.notes() as notes:
        notes.set_text(bottom_line_key("policy"), "My own \u202econclusion.")
        notes.set_text(considerations_key("policy"), "- First point\n\n- Second point\u200b\n")
        spec = build_report(store, "policy", notes=notes, today=TODAY)
    assert spec.bottom_line == "My own conclusion." and spec.bottom_line_edited
    assert [b.text for b in spec.considerations] == ["First point", "Second point"]
    assert spec.considerations_edited


def test_considerations_come_from_records(store):
    spec = build_report(store, "policy", today=TODAY)
    assert [b.text for b in spec.considerations] == [
        "Whether export controls should ever reach published open weights."
    ]
    note = spec.sources[spec.considerations[0].notes[0] - 1]
    assert note.publisher == "Federal Register"


def _add_actions(store, n):
    recs = [
        validate(
            "policy_action",
            {
                "id": f"extra-{i:03d}",
                "jurisdiction": "US",
                "body": "Congress",
                "title": f"Extra action {i}",
                "instrument": "legislation",
                "stage": "introduced",
                "date": f"2025-0{1 + i % 8}-{1 + i % 27:02d}",
                "stance_on_open_models": "neutral",
                "relevance": "core",
                "topics": ["model_weights"],
                "summary": "s",
                "sources": ["fr-2025-00636"],
            },
        )
        for i in range(n)
    ]
    store.put_records("policy_action", recs, origin="local")


def test_policy_strip_is_recent_first_and_counts_the_rest(store):
    _add_actions(store, 40)
    spec = build_report(store, "policy", today=TODAY)
    dates = [dt.datetime.strptime(p.date, "%b %d, %Y") for p in spec.policy]
    assert dates == sorted(dates, reverse=True)
    assert spec.policy_total == 41 and spec.policy_more == 41 - len(spec.policy)


def test_trimmed_renumbers_notes_to_what_is_kept(store):
    _add_actions(store, 3)
    spec = build_report(store, "policy", today=TODAY)
    small = spec.trimmed(policy=1, considerations=0)
    assert len(small.policy) == 1 and small.considerations == ()
    cited = (
        {n for f in small.key_figures for n in f.notes}
        | set(small.chart_notes)
        | {n for p in small.policy for n in p.notes}
    )
    assert cited == {n.number for n in small.sources}
    assert small.policy_more == spec.policy_total - 1


def test_stale_when_feed_expired(store):
    store.set_meta({"feed_expires_at": "2020-01-01T00:00:00Z", "feed_version": 7})
    spec = build_report(store, "overview", today=TODAY)
    assert spec.stale and spec.version == "snapshot v1 · feed v7"


def test_unknown_topic(store):
    with pytest.raises(BriefingError):
        build_report(store, "weather")


def test_policy_milestones_are_next_only_while_ahead_of_today(store):
    _add_actions(store, 2)
    future = validate(
        "policy_action",
        {
            "id": "future-milestone",
            "jurisdiction": "EU",
            "body": "Commission",
            "title": "Scheduled milestone",
            "instrument": "regulation",
            "stage": "enacted",
            "date": "2026-08-02",
            "scheduled": True,
            "stance_on_open_models": "neutral",
            "relevance": "core",
            "topics": ["general_ai_rules"],
            "summary": "s",
            "sources": ["fr-2025-00636"],
        },
    )
    store.put_records("policy_action", [future], origin="local")
    before = build_report(store, "policy", today=dt.date(2026, 4, 1))  # fixture data as of Aug 31, 2025
    assert "next scheduled: \u201cScheduled milestone\u201d (the EU, Aug 2, 2026)" in before.bottom_line
    after = build_report(store, "policy", today=TODAY)
    assert "next scheduled" not in after.bottom_line.lower()
    assert "was scheduled for Aug 2, 2026, which has passed" in after.bottom_line
    assert all(p.title != "Scheduled milestone" for p in after.policy)  # not a "recent" action
    assert after.policy_total == len(after.policy) + after.policy_more  # but still counted


def test_policy_figures_are_counts_footnoted_with_their_records(store):
    _add_actions(store, 3)
    spec = build_report(store, "policy", today=TODAY)
    labels = [f.label for f in spec.key_figures]
    assert any(label.startswith("Export-control actions recorded since") for label in labels)
    for fig in spec.key_figures:
        assert fig.value.replace(",", "").isdigit(), fig  # a number a staffer can quote
        note = spec.sources[fig.notes[0] - 1]
        assert note.publisher.startswith("Computed from the ") and note.publisher.endswith(
            "policy-action records in this data set"
        )


def test_a_brief_defines_its_terms_and_names_who_prepared_it(store):
    from briefing.core.definitions import TERMS

    spec = build_report(store, "investment", today=TODAY, prepared_by="A. Staffer", prepared_for="Rep. B. Member")
    assert spec.prepared_line == "Prepared by A. Staffer for Rep. B. Member"
    terms = [d.term for d in spec.definitions]
    assert terms == ["AI-specific commitment", "Announced, committed, disbursing, completed", "Open-weight model"]
    for status in ("announced", "committed", "disbursing", "completed"):  # every status the total is split by
        assert f"{status} means" in spec.definitions[1].text.lower(), status
    assert TERMS["announced_committed"][:20].lower() in spec.definitions[1].text.lower()
    assert build_report(store, "policy", today=TODAY, prepared_for="Rep. B").prepared_line == "Prepared for Rep. B"
    assert build_report(store, "policy", today=TODAY).prepared_line == ""


def test_bottom_lines_are_two_or_three_sentences_and_say_how_sure(store):
    import re

    for topic in TOPICS:
        line = build_report(store, topic, today=TODAY).bottom_line
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c])", line) if s]
        assert 1 <= len(sentences) <= 3, (topic, sentences)
        assert len(line.split()) <= 90, (topic, len(line.split()))
        if "records hold too little" not in line:
            assert "How sure:" in line, (topic, line)


def test_policy_list_is_the_topics_own_actions(store):
    _add_actions(store, 3)
    context = validate(
        "policy_action",
        {
            "id": "chips-only",
            "jurisdiction": "US",
            "body": "BIS",
            "title": "A chip rule",
            "instrument": "export_control",
            "stage": "in_force",
            "date": "2025-08-01",
            "stance_on_open_models": "not_applicable",
            "relevance": "context",
            "topics": ["chips"],
            "summary": "s",
            "sources": ["fr-2025-00636"],
        },
    )
    store.put_records("policy_action", [context], origin="local")
    policy = build_report(store, "policy", today=TODAY)
    assert "A chip rule" not in [p.title for p in policy.policy]  # not about open models
    investment = build_report(store, "investment", today=TODAY)
    assert "A chip rule" in [p.title for p in investment.policy]  # chips are the money brief's context
    adoption = build_report(store, "adoption", today=TODAY)
    assert "A chip rule" not in [p.title for p in adoption.policy]
    assert all(p.jurisdiction in ("US", "EU", "China", "International", "UK") for p in policy.policy)


def test_hostile_and_huge_user_text_is_bounded_text(store, home):
    from briefing.core.report import BOTTOM_LINE_CHARS, BULLET_CHARS

    with home.notes() as notes:
        notes.set_text(bottom_line_key("policy"), '<b>x</b> #eval("1") $x$ ' + "word " * 5000)
        notes.set_text(considerations_key("policy"), "\n".join(["=HYPERLINK(1) " + "z" * 9000] * 20))
        spec = build_report(store, "policy", notes=notes, today=TODAY)
    assert spec.bottom_line.startswith('<b>x</b> #eval("1") $x$ ') and len(spec.bottom_line) <= BOTTOM_LINE_CHARS + 1
    assert all(len(b.text) <= BULLET_CHARS + 1 for b in spec.considerations)
    assert spec.considerations_total == 20 and len(spec.considerations) == 6
