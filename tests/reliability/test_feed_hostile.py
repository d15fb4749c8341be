"""What a signed feed can send, the clock, and a sync's outcome told truly (red-team M2 F14/F15,
M3 P06, M9, L1 S11, L2 F21-F23, L3 S27, L8 P29/P30, D25): real feeds, signed at run time, served on
127.0.0.1, applied to real home files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from briefing.core import minisign
from briefing.core.errors import BriefingError
from briefing.core.store import Store
from briefing.core.sync_log import SyncLog, last_attempt
from tests.core.test_feed_faults import Env
from tests.feedkit import NOW, feed_bytes, file_hash, fingerprint, make_key
from tests.reliability.conftest import cli, error_lines


@pytest.fixture
def env(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    with home.notes() as notes:
        notes.set("model", "deepseek-r1", "my own note")
    return Env(home, secret, pub, httpserver.url_for("/feed.json"), httpserver)


def _first(doc, kind):
    return next(i["_briefing"]["record"] for i in doc["items"] if i["_briefing"]["kind"] == kind)


def _refused(env, body, match, sig=None, **kw):
    before, notes = fingerprint(env.home.data_path), file_hash(env.home.notes_path)
    env.serve(body, sig)
    with pytest.raises(BriefingError, match=match) as info:
        env.sync(**kw)
    assert fingerprint(env.home.data_path) == before and file_hash(env.home.notes_path) == notes
    assert len(str(info.value)) < 400 and "\n" not in str(info.value)
    return str(info.value)


# -- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("literal", [b"1e309", b"-1e309", b"1e400", b"100000000000000000000000000000", b"-5"])
@pytest.mark.parametrize(
    "kind, field",
    [("adoption", "value"), ("investment", "amount"), ("investment", "amount_usd"), ("model", "parameters")],
)
def test_numbers_beyond_their_bounds_are_refused(env, literal, kind, field):  # P06, F14-like values
    def plant(doc):
        _first(doc, kind)[field] = 123456789.25

    body = env.v(6, mutate=plant).replace(b"123456789.25", literal)
    assert literal in body
    _refused(env, body, "out of range|maximum|minimum")


def test_feed_version_beyond_64_bits_is_refused_before_anything_and_later_feeds_still_apply(env):  # F14, F15
    body = env.v(10**30)
    message = _refused(env, body, "feed_version")
    assert "largest allowed" in message
    assert last_attempt(env.home.sync_log_path)["outcome"] == "failed"
    env.serve(env.v(4))
    assert env.sync().outcome == "applied"


def test_the_largest_allowed_version_applies(env):  # F16
    env.serve(env.v(2**63 - 1))
    assert env.sync().version == 2**63 - 1


# -- strings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, field, value",
    [
        ("investment", "country", "US\n"),
        ("investment", "currency", "USD\n"),
        ("policy_action", "jurisdiction", "EU\n"),
        ("source", "id", "s3\n"),
        ("policy_action", "date", "2026-01-01\n"),
        ("source", "url", "https://x.example/\n"),
        ("investment", "country", "U\u0301S"),
        ("policy_action", "date", "２０２６-01-01"),
    ],
)
def test_code_fields_match_in_full(env, kind, field, value):  # S11
    def plant(doc):
        item = next(i for i in doc["items"] if i["_briefing"]["kind"] == kind)
        item["_briefing"]["record"][field] = value
        if field == "id":
            item["id"] = f"{kind}/{value}"

    _refused(env, env.v(6, mutate=plant), "does not match|not a real date")


def test_every_text_field_is_cleaned_identifiers_lists_and_namespaces_included(env):  # M9, lone surrogates, NUL
    rtl, zw = "\u202e", "\u200b"

    def plant(doc):
        p = _first(doc, "policy_action")
        p["identifiers"] = {"invoice" + rtl + "gpj.exe": "x" + zw + "y", "fr_doc": "2026-1\x00"}
        p["title"] = "bad \x00 nul" + rtl
        o = _first(doc, "organization")
        o["hf_namespaces"] = ["Qwen" + zw]
        m = _first(doc, "model")
        m["hf_repos"] = ["Qwen/Qwen" + rtl + "2.5"]
        m["name"] = "Model\x00Name"

    body = env.v(6, mutate=plant)
    env.serve(body)
    assert env.sync().outcome == "applied"
    with Store(env.home.data_path, readonly=True) as s:
        stored = json.dumps([s.records(k) for k in ("policy_action", "organization", "model")], ensure_ascii=False)
    for bad in (rtl, zw, "\x00"):
        assert bad not in stored
    assert "invoicegpj.exe" in stored and "Qwen/Qwen2.5" in stored and "ModelName" in stored


@pytest.mark.parametrize(
    "kind, field",
    [("policy_action", "title"), ("source", "url"), ("model", "hf_repos"), ("policy_action", "identifiers")],
)
def test_a_lone_surrogate_is_refused_not_stored(env, kind, field):  # P17, P18
    def plant(doc):
        rec = _first(doc, kind)
        rec[field] = (
            {"fr_doc": "x\ud800"}
            if field == "identifiers"
            else ["a/\udfff"]
            if field == "hf_repos"
            else ("https://example.org/s1\udfff" if field == "url" else "Policy \ud800 One")
        )

    body = env.v(6, mutate=plant)
    assert b"\\ud" in body  # a JSON escape that Python turns into an unpaired surrogate
    _refused(env, body, "lone surrogate")


@pytest.mark.parametrize(
    "kind, field, size",
    [("consideration", "text", 1_500_000), ("source", "url", 1_500_000), ("source", "title", 100_000)],
)
def test_errors_quote_a_short_prefix_and_say_why(env, kind, field, size):  # P29, P30
    def plant(doc):
        _first(doc, kind)[field] = ("https://x/" if field == "url" else "") + "B" * size

    message = _refused(env, env.v(6, mutate=plant), "too long")
    assert len(message) < 300 and f"({size + (10 if field == 'url' else 0):,} characters)" in message


# -- the trusted comment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "file=feed.json version=06 expires={e}",
        "file=feed.json version=6 expires={e} ",
        "file=feed.json  version=6 expires={e}",
        "file=feed.json version=٦ expires={e}",
        "file=feed.json version=6 expires={e} extra=1",
        "file=feed.json version=+6 expires={e}",
        "file=feed.json version=6",
        "file=other.json version=6 expires={e}",
    ],
)
def test_the_trusted_comment_is_parsed_strictly(env, comment):  # F06 and friends
    body = env.v(6)
    expires = json.loads(body)["_briefing"]["expires_at"]
    sig = minisign.sign(body, env.secret, comment.format(e=expires)).encode()
    _refused(env, body, "trusted comment", sig=sig)


# -- time ------------------------------------------------------------------------------------------


def test_a_feed_from_the_future_is_refused_and_both_times_are_logged(env):  # F21, F22
    generated = NOW + dt.timedelta(days=730)
    body = feed_bytes(env.home.data_path, 6, generated=generated, expires=generated + dt.timedelta(days=30))
    message = _refused(env, body, "later than this computer's clock")
    assert "2028-11-28" in message and "2026-11-29T12:00:00Z" in message
    attempt = last_attempt(env.home.sync_log_path)
    assert attempt["started_at"] == "2026-11-29T12:00:00Z" and attempt["source_time"].startswith("2028-11-28")


def test_a_feed_a_few_minutes_ahead_is_accepted(env):
    body = feed_bytes(env.home.data_path, 6, generated=NOW + dt.timedelta(minutes=5))
    env.serve(body)
    result = env.sync()
    assert result.outcome == "applied" and result.source_time.startswith("2026-11-29T12:05")
    assert last_attempt(env.home.sync_log_path)["source_time"] == result.source_time


def test_a_clock_set_back_before_the_last_sync_is_refused(env):  # F23
    env.serve(env.v(3))
    assert env.sync().outcome == "applied"
    earlier = NOW - dt.timedelta(days=45)
    body = feed_bytes(
        env.home.data_path, 4, generated=earlier - dt.timedelta(days=1), expires=earlier + dt.timedelta(days=5)
    )
    message = _refused(env, body, "earlier than when", now=earlier)
    assert "2026-10-15T12:00:00Z" in message and "check the date and time" in message


# -- origin ----------------------------------------------------------------------------------------


def test_a_feed_never_takes_over_or_removes_what_this_reader_pulled(env):  # S27
    with Store(env.home.data_path) as s:
        s.put_records(
            "source",
            [
                {
                    "id": "fr-doc-2026-00001",
                    "url": "https://www.federalregister.gov/d/2026-00001",
                    "title": "FR",
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
                    "id": "fr-2026-00001",
                    "jurisdiction": "US",
                    "body": "BIS",
                    "title": "Imported",
                    "instrument": "export_control",
                    "stage": "proposed",
                    "date": "2026-11-01",
                    "effective_on": None,
                    "stance_on_open_models": "unassessed",
                    "identifiers": {"fr_doc": "2026-00001"},
                    "summary": "s",
                    "related": [],
                    "sources": ["fr-doc-2026-00001"],
                }
            ],
            origin="federal_register",
        )
    body3 = env.v(3)  # the feed now carries the reader's own ids, with other content

    def retitle(doc):
        for item in doc["items"]:
            if item["id"] == "policy_action/fr-2026-00001":
                item["_briefing"]["record"]["title"] = "Taken over by the feed"

    env.serve(feed_bytes(env.home.data_path, 3, mutate=retitle))
    assert b"fr-2026-00001" in body3
    result = env.sync()
    assert "kept the reader's own" in result.summary()
    with Store(env.home.data_path, readonly=True) as s:
        rec = s.record("policy_action", "fr-2026-00001")
        assert rec["origin"] == "federal_register" and rec["title"] == "Imported"

    def drop(doc):
        doc["items"] = [i for i in doc["items"] if "2026-00001" not in i["id"]]

    env.serve(feed_bytes(env.home.data_path, 4, mutate=drop))
    env.sync()
    with Store(env.home.data_path, readonly=True) as s:
        assert s.record("policy_action", "fr-2026-00001")["origin"] == "federal_register"
        assert s.record("source", "fr-doc-2026-00001") is not None


# -- the outcome -----------------------------------------------------------------------------------


def _damage_log(path, how):
    with SyncLog(path) as log:
        for n in range(200):
            log.add(
                {
                    "started_at": "2026-11-01T00:00:00Z",
                    "finished_at": "2026-11-01T00:00:01Z",
                    "source": "feed",
                    "outcome": "failed",
                    "error": "x" * 500,
                    "changes": [{"n": n}],
                }
            )
    if how == "zeroed-pages":
        with open(path, "r+b") as fh:
            fh.seek(4096 * 3)
            fh.write(b"\0" * 4096 * 30)
    elif how == "wrong-schema":
        conn = sqlite3.connect(path)
        conn.executescript("DROP TABLE attempt; CREATE TABLE attempt (id INTEGER PRIMARY KEY, started_at TEXT);")
        conn.close()
    elif how == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif how == "folder":
        path.unlink()
        path.mkdir()
        (path / "x").write_text("a folder where the log should be")


@pytest.mark.parametrize("how", ["zeroed-pages", "wrong-schema", "garbage", "folder"])
def test_a_damaged_sync_log_never_turns_a_good_sync_into_a_failure(env, tmp_path, how):  # D25
    _damage_log(env.home.sync_log_path, how)
    body = env.v(6)
    env.serve(body)
    r = cli("sync", "--feed", env.url, "--trust-key", env.pub, "--home", env.home.dir)
    assert r.exit_code == 0, r.output
    assert "feed v6 applied" in r.stdout and "Traceback" not in r.output
    warnings = [ln for ln in error_lines(r.stderr) if ln.startswith("warning:")]
    assert len(warnings) == 1 and ("sync log" in warnings[0])
    with Store(env.home.data_path, readonly=True) as s:
        assert s.meta()["feed_version"] == "6"
    if how != "folder":
        assert last_attempt(env.home.sync_log_path)["version"] == 6  # a new log, with this attempt
        assert list(env.home.dir.glob("sync-log.sqlite.damaged-*"))  # the old one kept aside
    r = cli("info", "--home", env.home.dir)
    assert r.exit_code == 0


def test_a_damaged_sync_log_never_breaks_the_views(home, tmp_path):  # D25: the app still opens
    _damage_log(home.sync_log_path, "zeroed-pages")
    from tests.reliability.conftest import cli_child

    r = cli_child("screenshot", "--view", "overview", "--out", tmp_path / "o.png", "--home", home.dir)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_a_clock_set_back_before_the_bundled_data_was_built_is_refused(env):  # F22 on a fresh home
    earlier = NOW - dt.timedelta(days=380)  # the fixture snapshot was built on 2026-11-29
    body = feed_bytes(
        env.home.data_path, 3, generated=earlier - dt.timedelta(days=20), expires=earlier + dt.timedelta(days=10)
    )
    _refused(env, body, "the data this app came with was built", now=earlier)
