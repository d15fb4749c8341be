"""m004 (record schema 2) on a file from before it: rows and citations kept, new fields defaulted,
retrieved_on now nullable, and a rerun after a crash between the work and its record is harmless."""

from __future__ import annotations

from sqlite_utils import Database

from briefing.core.migrations import data_migrations, m004_record_schema_2
from briefing.core.store import Store


def _old_file(path):
    db = Database(path)
    data_migrations.apply(db, stop_before="m004_record_schema_2")
    db.execute(
        "INSERT INTO source(id, url, title, publisher, retrieved_on, reliability)"
        " VALUES ('s', 'https://x.test', 'S', 'P', '2025-01-01', 'secondary')"
    )
    db.execute(
        "INSERT INTO policy_action(id, jurisdiction, body, title, instrument, stage, date,"
        " stance_on_open_models, identifiers, summary, related) VALUES ('p', 'US', 'B', 'T',"
        " 'guidance', 'in_force', '2025-01-01', 'neutral', '{}', 'S', '[]')"
    )
    db.execute("INSERT INTO policy_action_source(record_id, source_id, position) VALUES ('p', 's', 0)")
    db.conn.commit()
    db.conn.close()


def test_m004_keeps_rows_and_defaults_the_new_fields(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_file(path)
    with Store(path) as store:
        src = store.record("source", "s")
        pol = store.record("policy_action", "p")
        assert src["retrieved_on"] == "2025-01-01" and src["grade"] is None
        assert pol["sources"] == ["s"] and pol["topics"] == [] and pol["scheduled"] is False
        assert pol["relevance"] is None
        assert store.verify() == []
        # retrieved_on may now be unknown
        store.put_records("source", [{**src, "id": "s2", "retrieved_on": None, "grade": "weak"}], origin="local")
        assert store.record("source", "s2")["retrieved_on"] is None


def test_m004_rerun_after_a_crash_before_its_record_is_a_no_op(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_file(path)
    with Store(path) as store:
        m004_record_schema_2(store.db)  # as if the record of it had been lost
        assert store.record("source", "s")["title"] == "S"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
