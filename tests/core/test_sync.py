"""Feed sync end to end: round trip, withdrawals, local records kept, backups/restore, lock, SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.core import feed_publish, staging
from briefing.core import sync as syncmod
from briefing.core.home import Home
from briefing.core.store import Store
from briefing.core.sync_log import SyncLog
from tests.feedkit import FAST, NOW, feed_bytes, file_hash, fingerprint, make_key, sign

ROOT = Path(__file__).resolve().parents[2]


def serve(httpserver, body, sig):
    httpserver.clear()
    httpserver.expect_request("/feed.json").respond_with_data(body, content_type="application/feed+json")
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sig)


def run(home, httpserver, pub, **kw):
    kw.setdefault("now", NOW)
    return syncmod.sync(
        home, feed_url=httpserver.url_for("/feed.json"), trust_keys=[pub], pinned=False, config=FAST, **kw
    )


def all_records(path):
    from briefing.core.records import ALL_KINDS

    with Store(path, readonly=True) as s:
        return {k: s.records(k) for k in ALL_KINDS}


def test_round_trip_build_serve_sync_same_records(home, tmp_path, httpserver, fixture_snapshot):
    key, pub, _ = feed_publish.keygen(tmp_path / "keys")
    out = tmp_path / "site"
    feed_publish.build(home.data_path, out, secret_key=key, version=3, now=NOW)
    serve(httpserver, (out / "feed.json").read_bytes(), (out / "feed.json.minisig").read_bytes())
    fresh = Home.open(tmp_path / "fresh", bundled=fixture_snapshot)
    with Store(fresh.data_path) as s:  # make the fresh home differ, so the sync has work to do
        s.remove_records("consideration", s.ids("consideration"))
    result = run(fresh, httpserver, pub)
    assert result.outcome == "applied" and result.version == 3 and result.added == {"consideration": 1}
    assert all_records(fresh.data_path) == all_records(home.data_path)
    meta = Store(fresh.data_path, readonly=True).meta()
    assert meta["feed_version"] == "3" and meta["last_sync"] == "2026-11-29T12:00:00Z"


def test_a_bulk_apply_leaves_the_same_records_schema_and_indexes(
    home, tmp_path, httpserver, fixture_snapshot, monkeypatch
):
    """A version that brings mostly new rows is written with the indexes built afterwards
    (store.put_records(bulk=True)): same records, same schema, every check passes."""
    from briefing.core import store as storemod

    monkeypatch.setattr(storemod, "BULK_MIN_ROWS", 1)
    key, pub, _ = feed_publish.keygen(tmp_path / "keys")
    out = tmp_path / "site"
    feed_publish.build(home.data_path, out, secret_key=key, version=3, now=NOW)
    serve(httpserver, (out / "feed.json").read_bytes(), (out / "feed.json.minisig").read_bytes())
    fresh = Home.open(tmp_path / "fresh", bundled=fixture_snapshot)
    with Store(fresh.data_path) as s:
        s.remove_records("adoption", s.ids("adoption"))
        schema = sorted(s.db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    dropped = []
    real = storemod.Store._indexes_rebuilt
    monkeypatch.setattr(storemod.Store, "_indexes_rebuilt", lambda self, kind: dropped.append(kind) or real(self, kind))
    result = run(fresh, httpserver, pub)
    assert result.outcome == "applied" and result.added["adoption"] > 0 and "adoption" in dropped
    assert all_records(fresh.data_path) == all_records(home.data_path)
    with Store(fresh.data_path, readonly=True) as s:
        assert sorted(s.db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")) == schema
        assert s.verify() == []


def test_withdrawn_removed_local_kept_notes_untouched(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    with Store(home.data_path) as s:
        s.put_records(
            "source",
            [
                {
                    "id": "fr-doc-x",
                    "url": "https://www.federalregister.gov/d/x",
                    "title": "X",
                    "publisher": "Federal Register",
                    "published_on": None,
                    "retrieved_on": "2026-11-01",
                    "reliability": "primary",
                    "license": None,
                }
            ],
            origin="federal_register",
        )
        s.put_records(
            "policy_action",
            [
                {
                    "id": "fr-x",
                    "jurisdiction": "US",
                    "body": "BIS",
                    "title": "Imported",
                    "instrument": "export_control",
                    "stage": "proposed",
                    "date": "2026-11-01",
                    "effective_on": None,
                    "stance_on_open_models": "unassessed",
                    "identifiers": {"fr_doc": "x"},
                    "summary": "s",
                    "related": [],
                    "sources": ["fr-doc-x"],
                }
            ],
            origin="federal_register",
        )
    with home.notes() as n:
        n.set("investment", "fr-2025-ai-109bn", "note on a record about to be withdrawn")
    notes_before = file_hash(home.notes_path)

    def withdraw(doc):
        doc["items"] = [
            i
            for i in doc["items"]
            if i["_briefing"]["kind"] != "investment"
            and i["id"] != "source/fr-doc-x"
            and i["id"] != "policy_action/fr-x"
        ]
        for i in doc["items"]:
            if i["id"] == "model/deepseek-r1":
                i["_briefing"]["record"]["name"] = "DeepSeek R1 (renamed)"

    body = feed_bytes(home.data_path, 2, mutate=withdraw)
    serve(httpserver, body, sign(body, secret))
    result = run(home, httpserver, pub)
    assert result.removed.get("investment") == 1
    assert result.changed == {"model": 1}
    with Store(home.data_path, readonly=True) as s:
        assert s.ids("investment") == set()
        assert s.record("policy_action", "fr-x")["origin"] == "federal_register"  # the reader's own: kept
        assert s.record("model", "deepseek-r1")["name"] == "DeepSeek R1 (renamed)"
    assert file_hash(home.notes_path) == notes_before
    with SyncLog(home.sync_log_path) as log:
        entry = log.last(source="feed", outcomes=("applied",))
    change = next(c for c in entry["changes"] if c["action"] == "changed")
    assert change["fields"] == [{"field": "name", "old": "DeepSeek-R1", "new": "DeepSeek R1 (renamed)"}]
    assert any(c["action"] == "removed" and c["kind"] == "investment" for c in entry["changes"])


def test_same_version_same_bytes_is_a_no_op_and_legacy_signatures_verify(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    body = feed_bytes(home.data_path, 1)
    serve(httpserver, body, sign(body, secret, prehash=False))  # legacy "Ed"
    assert run(home, httpserver, pub).outcome == "applied"
    before = fingerprint(home.data_path)
    assert run(home, httpserver, pub).outcome == "unchanged"
    assert fingerprint(home.data_path) == before


def test_backups_keep_three_and_restore(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    prints = []
    for version in range(1, 6):
        prints.append(fingerprint(home.data_path))
        body = feed_bytes(home.data_path, version)
        serve(httpserver, body, sign(body, secret))
        run(home, httpserver, pub)
    gens = staging.backups(home)
    assert len(gens) == 3
    current = fingerprint(home.data_path)
    staging.restore(home, 1)  # the state before the last sync
    assert fingerprint(home.data_path) == prints[-1] != current
    assert Store(home.data_path, readonly=True).meta()["feed_version"] == "4"
    with pytest.raises(staging.SyncError, match="no backup generation 9"):
        staging.restore(home, 9)


def test_one_sync_at_a_time(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    with staging.SyncLock(home), pytest.raises(staging.SyncError, match="another sync"):
        run(home, httpserver, pub)


def test_no_trusted_key_is_refused(home, httpserver):
    with pytest.raises(syncmod.SyncError, match="no trusted feed keys"):
        syncmod.sync(home, feed_url=httpserver.url_for("/feed.json"), pinned=False, config=FAST, now=NOW)


def test_cancel_leaves_data_unchanged(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    body = feed_bytes(home.data_path, 1)
    serve(httpserver, body, sign(body, secret))
    before = fingerprint(home.data_path)
    calls = {"n": 0}

    def cancelled():
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(syncmod.BriefingError, match="cancelled"):
        run(home, httpserver, pub, cancelled=cancelled)
    assert fingerprint(home.data_path) == before


CHILD = """
import sys, datetime as dt
from briefing.core.home import Home
from briefing.core import sync
from tests.feedkit import FAST
home = Home(__import__('pathlib').Path(sys.argv[1]))
sync.sync(home, feed_url=sys.argv[2], trust_keys=[sys.argv[3]], pinned=False, config=FAST,
          now=dt.datetime(2026, 11, 29, 12, tzinfo=dt.timezone.utc))
"""


@pytest.mark.parametrize("stage", ["apply", "promote"])
def test_sigkill_while_applying(home, tmp_path, httpserver, stage):
    secret, pub = make_key(tmp_path)

    # A big enough feed that the promotion copies in several steps.
    def grow(doc):
        src = next(i for i in doc["items"] if i["_briefing"]["kind"] == "source")
        for n in range(1500):
            clone = json.loads(json.dumps(src))
            clone["_briefing"]["record"].update(id=f"extra-{n}", title="t" * 300)
            clone["id"] = f"source/extra-{n}"
            doc["items"].insert(0, clone)

    body = feed_bytes(home.data_path, 7, mutate=grow)
    serve(httpserver, body, sign(body, secret))
    old = fingerprint(home.data_path)
    notes = file_hash(home.notes_path)
    marker = tmp_path / "paused"
    env = {**os.environ, staging.PAUSE_ENV: f"{stage}:{marker}", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(home.dir), httpserver.url_for("/feed.json"), str(pub)], env=env, cwd=ROOT
    )
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the child never reached the pause point"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    os.unlink(home.dir / "sync.lock")  # a leftover lock file is harmless (flock dies with the process)
    with Store(home.data_path) as s:
        assert s.quick_check() == "ok"
        assert [p for p in s.verify() if p.startswith(("integrity", "foreign"))] == []
    assert fingerprint(home.data_path) == old  # wholly old: the kill came before the promotion committed
    assert file_hash(home.notes_path) == notes
    result = run(home, httpserver, pub)
    assert result.outcome == "applied" and result.version == 7
    assert Store(home.data_path, readonly=True).counts(["source"])["source"] == 1505
