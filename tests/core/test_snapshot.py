"""The bundled snapshot: a deterministic build of data/records, seeded into a home untouched."""

from __future__ import annotations

import hashlib
import json

import pytest

from briefing import paths
from briefing.core import snapshot
from briefing.core.errors import BriefingError
from briefing.core.home import Home
from tests.conftest import FIXTURE_RECORDS


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    snapshot.build(FIXTURE_RECORDS, a)
    snapshot.build(FIXTURE_RECORDS, b)
    assert snapshot.dump(a) == snapshot.dump(b)


def test_shipped_snapshot_equals_a_fresh_build(tmp_path):
    fresh = tmp_path / "fresh.sqlite"
    snapshot.build(paths.records_dir(), fresh)
    assert snapshot.dump(paths.bundled_snapshot()) == snapshot.dump(fresh), "run `make snapshot`"


def test_bad_record_names_file_and_line(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    for f in FIXTURE_RECORDS.iterdir():
        (records / f.name).write_bytes(f.read_bytes())
    lines = (records / "model.jsonl").read_text().splitlines()
    bad = json.loads(lines[1])
    bad["access"] = "sort-of-open"
    lines[1] = json.dumps(bad)
    (records / "model.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(BriefingError, match=r"model.jsonl:2: .*access"):
        snapshot.build(records, tmp_path / "out.sqlite")


def test_seeding_copies_once_and_never_writes_the_bundle(tmp_path, fixture_snapshot):
    before = hashlib.sha256(fixture_snapshot.read_bytes()).hexdigest()
    home = Home.open(tmp_path / "h", bundled=fixture_snapshot)
    with home.store(readonly=False) as store:
        store.set_meta({"last_sync": "2026-01-01T00:00:00Z"})
    Home.open(tmp_path / "h", bundled=fixture_snapshot)  # second open does not re-seed
    with home.store() as store:
        assert store.meta()["last_sync"] == "2026-01-01T00:00:00Z"
    assert hashlib.sha256(fixture_snapshot.read_bytes()).hexdigest() == before
    assert not list((tmp_path / "h").glob("*.seeding"))


def test_home_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path / "env"))
    assert paths.home(tmp_path / "flag") == tmp_path / "flag"
    assert paths.home() == tmp_path / "env"
    monkeypatch.delenv("BRIEFING_HOME")
    assert "open-model-briefing" in str(paths.home())


def test_unwritable_home_is_one_line_error(tmp_path, fixture_snapshot):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BriefingError, match="cannot create home"):
        Home.open(blocker / "home", bundled=fixture_snapshot)


def test_shipped_snapshot_was_never_opened_for_writing():
    # The build leaves a rollback-journal file; any writable open (our pragmas set WAL) flips
    # header bytes 18-19 to 2, which would then be committed as a spurious binary change.
    header = paths.bundled_snapshot().read_bytes()[:100]
    assert (header[18], header[19]) == (1, 1), "data/snapshot.sqlite was opened for writing: run `make snapshot`"
