"""An older file opens and is migrated, each migration in a transaction."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from briefing.core.migrations import data_migrations
from briefing.core.store import Store


def test_older_file_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    db = Database(path)
    data_migrations.apply(db, stop_before="m002_view_indexes")
    db.conn.close()
    with Store(path) as store:
        names = [m.name for m in data_migrations.applied(store.db)]
        indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert names == ["m001_records", "m002_view_indexes"]
    assert "adoption_subject" in indexes


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
