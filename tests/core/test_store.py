"""The store: records round-trip, writes are atomic, queries bind every value."""

from __future__ import annotations

import sqlite3

import pytest

from briefing.core import records
from briefing.core.notes import NoteStore
from briefing.core.store import Store


def test_counts_and_round_trip(store):
    counts = store.counts()
    assert set(counts) == set(records.KINDS)
    assert counts["model"] == 3 and counts["policy_action"] == 1
    model = store.record("model", "deepseek-r1")
    assert model["hf_repos"] == ["deepseek-ai/DeepSeek-R1"]
    assert model["sources"] == ["epoch-notable"] and model["origin"] == "snapshot"
    assert store.records("model")[0]["id"] == "deepseek-r1"


def test_pragmas(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_foreign_keys_enforced(store):
    bad = records.validate(
        "model",
        {
            "id": "orphan",
            "name": "Orphan",
            "family": "X",
            "organization": "nobody",
            "released_on": "2025-01-01",
            "access": "open_weights",
            "sources": ["epoch-notable"],
        },
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.put_records("model", [bad], origin="feed")
    assert store.record("model", "orphan") is None


def test_a_failing_batch_leaves_nothing(store):
    good = dict(store.record("model", "deepseek-r1"), id="new-model")
    bad = dict(good, id="bad-model", sources=["no-such-source"])
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.put_records("model", [good, bad], origin="feed")
    assert store.record("model", "new-model") is None


def test_put_reports_added_and_changed(store):
    rec = store.record("model", "deepseek-r1")
    rec.pop("origin")
    assert store.put_records("model", [rec], origin="snapshot") == (0, 0)
    assert store.put_records("model", [dict(rec, name="DeepSeek R1")], origin="snapshot") == (0, 1)
    assert store.put_records("model", [dict(rec, id="r1-copy")], origin="feed") == (1, 0)


def test_hostile_text_is_stored_literally(store):
    rec = dict(store.record("source", "epoch-notable"), title="'); DROP TABLE model;-- <img src=x>")
    rec.pop("origin")
    store.put_records("source", [records.validate("source", rec)], origin="feed")
    assert store.record("source", "epoch-notable")["title"].startswith("'); DROP TABLE")
    assert store.counts()["model"] == 3
    assert store.search('"unbalanced') == []
    assert store.search("100%") == []


def test_search_finds_by_name(store):
    hits = store.search("qwen")
    # the organization whose name holds the whole word first, then the model whose name starts with it
    assert [(h["kind"], h["id"]) for h in hits[:2]] == [("organization", "alibaba-qwen"), ("model", "qwen2.5-72b")]
    assert hits[1]["title"] == "Qwen2.5-72B" and hits[1]["where"] == "CN"
    assert any(h["kind"] == "organization" for h in hits)


def test_remove_cascades_citations(store):
    assert store.remove_records("policy_action", ["us-bis-2025-ai-diffusion"]) == 1
    assert store.db.execute("SELECT count(*) FROM policy_action_source").fetchone()[0] == 0
    assert store.verify() == []


def test_readonly_store_cannot_write(home):
    with Store(home.data_path, readonly=True) as ro, pytest.raises(sqlite3.OperationalError):
        ro.set_meta({"x": "1"})


def test_notes_live_in_their_own_file(home):
    with home.notes() as notes:
        notes.set("model", "qwen2.5-72b", "Check the licence")
        assert notes.get("model", "qwen2.5-72b") == "Check the licence"
        assert notes.search("licence")[0]["record_id"] == "qwen2.5-72b"
        notes.set_text("onepager/policy/bottom_line", "Mine")
        assert notes.get_text("onepager/policy/bottom_line") == "Mine"
        notes.set("model", "qwen2.5-72b", "")
        assert notes.count() == 0
    with home.store() as store:
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "note" not in tables
    assert NoteStore(home.notes_path).count() == 0


def test_citing_lists_records_with_titles_and_counts_all(store):
    rows, total = store.citing("kbhandari-forecast")
    assert total == len(rows) == 8
    assert rows[0] == (
        "adoption",
        "fc-llama-3.1-8b-2024-07-07",
        "meta-llama/Llama-3.1-8B · downloads_total · 2024-07-07",
    )
    limited, total = store.citing("kbhandari-forecast", limit=3)
    assert len(limited) == 3 and total == 8
    many, _ = store.citing("epoch-notable")
    assert ("model", "deepseek-r1", "DeepSeek-R1") in many


# -- bulk writes: indexes built after the rows --------------------------------------------------


def _schema(store: Store) -> list[tuple]:
    return sorted(store.db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def _readings(n: int, *, source: str = "kbhandari-forecast") -> list[dict]:
    return [
        records.validate(
            "adoption",
            {
                "id": f"bulk-{i}",
                "subject_kind": "hf_repo",
                "subject": f"ns/m{i % 7}",
                "metric": "downloads_30d",
                "value": i,
                "unit": "count",
                "as_of": "2025-01-01",
                "method": "Bulk.",
                "sources": [source],
            },
        )
        for i in range(n)
    ]


def test_a_bulk_write_rebuilds_the_indexes_it_dropped(store, monkeypatch):
    """Mostly-new rows go in without their table's secondary indexes, which are then built again
    from the same SQL: the schema is as before, every index holds every row, the queries use them."""
    from briefing.core import store as storemod

    monkeypatch.setattr(storemod, "BULK_MIN_ROWS", 10)
    before = _schema(store)
    dropped = []
    store.db.conn.set_trace_callback(lambda sql: dropped.append(sql) if sql.startswith("DROP INDEX") else None)
    assert store.put_records("adoption", _readings(500), origin="feed", bulk=True) == (500, 0)
    store.db.conn.set_trace_callback(None)
    assert {s.split('"')[1] for s in dropped} >= {"adoption_subject", "adoption_metric", "adoption_source_by_source"}
    assert _schema(store) == before
    assert store.verify() == []  # integrity_check compares each index with its table
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM adoption WHERE subject_kind = 'hf_repo' AND subject = 'ns/m3'"
    ).fetchall()
    assert "adoption_subject" in str(plan)
    assert len(store.adoption_of_subjects(["ns/m3"])) == len([i for i in range(500) if i % 7 == 3])


def test_a_failed_bulk_write_leaves_rows_and_indexes_as_they_were(store, monkeypatch):
    from briefing.core import store as storemod

    monkeypatch.setattr(storemod, "BULK_MIN_ROWS", 10)
    before, count = _schema(store), store.counts()["adoption"]
    with pytest.raises(sqlite3.IntegrityError):  # the last reading cites a source that is not there
        store.put_records("adoption", _readings(499) + _readings(1, source="no-such-source"), origin="feed", bulk=True)
    assert _schema(store) == before and store.counts()["adoption"] == count
    assert store.verify() == []


def test_a_small_or_mostly_known_write_keeps_the_indexes(store, monkeypatch):
    from briefing.core import store as storemod

    monkeypatch.setattr(storemod, "BULK_MIN_ROWS", 10)
    store.put_records("adoption", _readings(300), origin="feed")
    seen = []
    store.db.conn.set_trace_callback(seen.append)
    store.put_records("adoption", _readings(400), origin="feed", bulk=True)  # 100 new of 400: no rebuild
    store.put_records("investment", [], origin="feed", bulk=True)
    store.db.conn.set_trace_callback(None)
    assert not any(s.startswith("DROP INDEX") for s in seen)
