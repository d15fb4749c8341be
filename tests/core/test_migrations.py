"""An older file opens and is migrated, each migration in a transaction."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from briefing.core.home import Home
from briefing.core.migrations import data_migrations
from briefing.core.records import ALL_KINDS, FIELDS
from briefing.core.store import Store


def test_older_file_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    db = Database(path)
    data_migrations.apply(db, stop_before="m002_view_indexes")
    db.conn.close()
    with Store(path) as store:
        names = [m.name for m in data_migrations.applied(store.db)]
        indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert names == [m.name for m in data_migrations._migrations]  # every migration, in order
    assert names[-1] == "m005_adoption_readings"
    assert "adoption_subject" in indexes


def test_file_from_before_part_of_gains_the_column_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    db = Database(path)
    data_migrations.apply(db, stop_before="m003_investment_part_of")
    assert "part_of" not in {c.name for c in db["investment"].columns}
    db.execute(
        "INSERT INTO source(id, url, title, publisher, retrieved_on, reliability)"
        " VALUES ('s', 'https://x.test', 'S', 'P', '2025-01-01', 'primary')"
    )
    db.execute(
        "INSERT INTO investment(id, country, actor, title, amount, currency, announced_on, category,"
        " status) VALUES ('old-1', 'FR', 'A', 'T', 1, 'EUR', '2025-01-01', 'mixed', 'announced')"
    )
    db.execute("INSERT INTO investment_source(record_id, source_id, position) VALUES ('old-1', 's', 0)")
    db.conn.commit()
    db.conn.close()
    with Store(path) as store:
        assert "part_of" in set(_columns(store, "investment"))
        assert store.record("investment", "old-1")["part_of"] is None
        assert store.verify() == []


def test_file_from_before_readings_gains_series_and_keeps_its_hub_history(tmp_path):
    path = tmp_path / "old.sqlite"
    db = Database(path)
    data_migrations.apply(db, stop_before="m005_adoption_readings")
    db.execute(
        "INSERT INTO source(id, url, title, publisher, retrieved_on, reliability)"
        " VALUES ('s', 'https://x.test', 'S', 'P', '2025-01-01', 'primary')"
    )
    for rid, origin in (("hf/Qwen/Qwen3-8B/downloads_30d/2026-06-01", "huggingface"), ("old-study", "snapshot")):
        db.execute(
            "INSERT INTO adoption(id, subject_kind, subject, metric, value, unit, as_of, method, origin)"
            " VALUES (?, 'hf_repo', 'Qwen/Qwen3-8B', 'downloads_30d', 5, 'count', '2026-06-01', 'm', ?)",
            [rid, origin],
        )
        db.execute("INSERT INTO adoption_source(record_id, source_id, position) VALUES (?, 's', 0)", [rid])
    db.conn.commit()
    db.conn.close()
    with Store(path) as store:
        assert store.record("adoption", "hf/Qwen/Qwen3-8B/downloads_30d/2026-06-01")["series"] == "hub_orgs"
        assert store.record("adoption", "old-study")["series"] is None
        assert store.records("hf_namespace") == [] and store.records("hf_repo") == []
        assert store.verify() == []


def test_fresh_file_schema_equals_migrated_file_schema(tmp_path):
    # m001 must keep creating what it shipped with; part_of comes only from m003
    old = Database(tmp_path / "old.sqlite")
    data_migrations.apply(old, stop_before="m003_investment_part_of")
    old.conn.close()
    with Store(tmp_path / "old.sqlite") as a, Store(tmp_path / "new.sqlite") as b:
        assert _columns(a, "investment") == _columns(b, "investment")


def test_failed_migration_leaves_no_trace(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    db = Database(path)
    data_migrations.apply(db, stop_before="m002_view_indexes")
    db.conn.close()
    broken = data_migrations._migrations[1]

    def explode(db):
        db.execute("CREATE INDEX half_done ON adoption(as_of)")
        raise RuntimeError("disk gone")

    monkeypatch.setattr(broken, "fn", explode)
    with pytest.raises(RuntimeError):
        Store(path)
    db = Database(path)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "half_done" not in indexes
    assert [m.name for m in data_migrations.applied(db)] == ["m001_records"]


def test_opening_an_older_home_migrates_it_so_read_only_readers_see_every_column(older_home_dir):
    with Store(older_home_dir / "briefing.sqlite", readonly=True) as before:
        assert "part_of" not in set(_columns(before, "investment"))
    home = Home.open(older_home_dir)
    with home.store() as store:  # read-only, as every view reads
        assert store.readonly
        assert [m.name for m in data_migrations.pending(store.db)] == []
        assert all(r["part_of"] is None for r in store.records("investment"))
        assert store.verify() == []


def test_opening_a_current_home_does_not_write_it(home):
    stamp = home.data_path.stat().st_mtime_ns
    Home.open(home.dir)
    assert home.data_path.stat().st_mtime_ns == stamp


def test_the_migrated_schema_holds_every_field_of_the_spec(tmp_path):
    """A field added to records.FIELDS needs a migration that adds its column (and this test says so)."""
    with Store(tmp_path / "new.sqlite") as store:
        for kind in ALL_KINDS:
            columns = set(_columns(store, kind))
            fields = set(FIELDS[kind]) - {"sources"}
            assert columns == fields | {"origin"}, f"{kind}: add a migration for {sorted(fields - columns)}"


def _columns(store: Store, table: str) -> list[str]:
    return [row[1] for row in store.db.execute(f"PRAGMA table_info({table})")]


def test_sqlite_utils_reads_our_record_of_applied_migrations(tmp_path):
    """The record is sqlite-utils' own table: its Migrations sees nothing pending in a file we made,
    and a file it migrated part-way is finished by ours."""
    Store(tmp_path / "ours.sqlite").close()
    for migrations in (data_migrations,):
        assert migrations.sqlite_utils().pending(Database(tmp_path / "ours.sqlite")) == []
    theirs = Database(tmp_path / "theirs.sqlite")
    data_migrations.sqlite_utils().apply(theirs, stop_before="m003_investment_part_of")
    theirs.conn.close()
    with Store(tmp_path / "theirs.sqlite") as store:
        assert data_migrations.pending_names(store.db.conn) == []
        assert "part_of" in _columns(store, "investment")
