"""Every fault of the reliability matrix against a real local HTTP server.

Each refused sync must leave the data file exactly as it was (a dump hash), the notes file
byte-for-byte untouched, log the attempt, and give a one-line reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug import Response

from briefing.core import sync as syncmod
from briefing.core.errors import BriefingError
from briefing.core.sync_log import SyncLog
from tests.feedkit import FAST, NOW, RawServer, feed_bytes, file_hash, fingerprint, http_response, make_key, sign


@dataclass
class Env:
    home: object
    secret: object
    pub: Path
    url: str
    server: object

    def sync(self, **kw):
        kw.setdefault("now", NOW)
        kw.setdefault("config", FAST)
        return syncmod.sync(self.home, feed_url=kw.pop("url", self.url), trust_keys=[self.pub], pinned=False, **kw)

    def serve(self, body: bytes, sig: bytes | None = None, **headers) -> None:
        self.server.clear()
        self.server.expect_request("/feed.json").respond_with_data(
            body, content_type="application/feed+json", headers=headers
        )
        self.server.expect_request("/feed.json.minisig").respond_with_data(
            sig if sig is not None else sign(body, self.secret)
        )

    def v(self, version: int, **kw) -> bytes:
        return feed_bytes(self.home.data_path, version, **kw)


@pytest.fixture
def env(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    with home.notes() as notes:
        notes.set("model", "deepseek-r1", "my own note")
    e = Env(home, secret, pub, httpserver.url_for("/feed.json"), httpserver)
    e.serve(e.v(5), ETag='"v5"')
    assert e.sync().outcome == "applied"
    return e


def refused(env: Env, match: str, **kw) -> str:
    before, notes = fingerprint(env.home.data_path), file_hash(env.home.notes_path)
    with pytest.raises(BriefingError, match=match) as info:
        env.sync(**kw)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert fingerprint(env.home.data_path) == before
    assert file_hash(env.home.notes_path) == notes
    with SyncLog(env.home.sync_log_path) as log:
        last = log.attempts(1)[0]
    assert last["outcome"] in ("failed", "stale") and last["error"] == message
    return message


def changed_v(env: Env, version: int, **kw) -> bytes:
    def bump(doc):
        for item in doc["items"]:
            if item["_briefing"]["kind"] == "investment":
                item["_briefing"]["record"]["amount"] += 1

    return env.v(version, mutate=bump, **kw)


def test_bad_signature(env):
    body = changed_v(env, 6)
    sig = bytearray(sign(body, env.secret))
    line2 = sig.index(b"\n") + 1
    sig[line2 + 20] = ord("A") if sig[line2 + 20] != ord("A") else ord("B")
    env.serve(body, bytes(sig))
    refused(env, "signature")


def test_unknown_key(env, tmp_path):
    other, _ = make_key(tmp_path, "other")
    body = changed_v(env, 6)
    env.serve(body, sign(body, other))
    refused(env, "unknown key")


def test_signature_of_another_file(env):
    body = changed_v(env, 6)
    env.serve(body, sign(env.v(6), env.secret))
    refused(env, "bad signature")


def test_rollback(env):
    env.serve(env.v(4))
    refused(env, "rollback")


def test_same_version_different_bytes(env):
    env.serve(changed_v(env, 5))
    refused(env, "different content")


def test_expired_feed(env):
    env.serve(changed_v(env, 6, expires=NOW - dt.timedelta(minutes=1)))
    msg = refused(env, "expired")
    assert "stale" in msg


def test_304_after_expiry_is_stale(env, httpserver):
    httpserver.clear()
    httpserver.expect_request("/feed.json", headers={"If-None-Match": '"v5"'}).respond_with_data("", status=304)
    assert env.sync().outcome == "unchanged"  # before expiry: fine
    httpserver.expect_request("/feed.json", headers={"If-None-Match": '"v5"'}).respond_with_data("", status=304)
    msg = refused(env, "stale", now=NOW + dt.timedelta(days=31))
    assert "not been re-signed" in msg


def _raw(env: Env, body: bytes, sig: bytes, feed_parts) -> RawServer:
    def respond(path):
        if path.endswith(".minisig"):
            return [(http_response(sig), 0)]
        return feed_parts(body)

    return RawServer(respond)


def test_truncated_with_content_length(env):
    body = changed_v(env, 6)
    srv = _raw(env, body, sign(body, env.secret), lambda b: [(http_response(b[:200], length=len(b)), 0)])
    try:
        refused(env, "incomplete", url=srv.url("/feed.json"))
    finally:
        srv.close()


def test_truncated_without_content_length(env):
    body = changed_v(env, 6)
    srv = _raw(env, body, sign(body, env.secret), lambda b: [(http_response(b[:-40], length=None), 0)])
    try:
        refused(env, "signature", url=srv.url("/feed.json"))
    finally:
        srv.close()


def test_slow_drip_past_deadline(env):
    body = changed_v(env, 6)

    def drip(b):
        yield http_response(b"", length=len(b)), 0
        for i in range(0, len(b), 64):
            yield b[i : i + 64], 0.1

    srv = _raw(env, body, sign(body, env.secret), drip)
    try:
        refused(env, "deadline", url=srv.url("/feed.json"), config=FAST.__class__(**{**FAST.__dict__, "deadline": 0.5}))
    finally:
        srv.close()


def test_body_past_the_cap_while_streaming(env):
    body = changed_v(env, 6) + b" " * 3_000_000  # no Content-Length: only the streaming count can stop it
    srv = _raw(env, body, b"", lambda b: [(http_response(b, length=None), 0)])
    try:
        refused(env, "cap", url=srv.url("/feed.json"))
    finally:
        srv.close()


def test_500_500_then_200_succeeds(env, httpserver):
    body = changed_v(env, 6)
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        if calls["n"] <= 2:
            return Response("oops", status=500)
        return Response(body, content_type="application/feed+json")

    httpserver.clear()
    httpserver.expect_request("/feed.json").respond_with_handler(handler)
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, env.secret))
    result = env.sync()
    assert result.outcome == "applied" and result.version == 6 and calls["n"] == 3
    assert result.changed == {"investment": 1}


def test_429_with_huge_retry_after_gives_up_quickly(env, httpserver):
    httpserver.clear()
    httpserver.expect_request("/feed.json").respond_with_data("slow down", status=429, headers={"Retry-After": "99999"})
    refused(env, "429")


def test_404(env, httpserver):
    httpserver.clear()
    httpserver.expect_request("/feed.json").respond_with_data("not here", status=404)
    refused(env, "HTTP 404")


def test_captive_portal_html(env, httpserver):
    httpserver.clear()
    page = b"<!DOCTYPE html><html><body>Please log in to the hotel Wi-Fi</body></html>"
    httpserver.expect_request("/feed.json").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/feed.json.minisig").respond_with_data(page, content_type="text/html")
    refused(env, "web page")


def _signed_raw(env: Env, raw: bytes, version: int = 6) -> None:
    expires = (NOW + dt.timedelta(days=30)).isoformat().replace("+00:00", "Z")
    from briefing.core import minisign

    env.serve(raw, minisign.sign(raw, env.secret, f"file=feed.json version={version} expires={expires}").encode())


def test_invalid_utf8(env):
    _signed_raw(env, changed_v(env, 6).replace(b"Open Model", b"Open \xff\xfe Model", 1))
    refused(env, "UTF-8")


def test_duplicate_keys(env):
    body = changed_v(env, 6)
    _signed_raw(env, body.replace(b'"title":', b'"title":"x","title":', 1))
    refused(env, "duplicate key")


def test_nan(env):
    body = changed_v(env, 6)
    _signed_raw(env, body.replace(b'"feed_version"', b'"x": NaN, "feed_version"', 1))
    refused(env, "NaN")


def test_deep_nesting(env):
    _signed_raw(env, b"[" * 100_000 + b"]" * 100_000)
    refused(env, "nested too deeply")


def _schema(env: Env, edit) -> None:
    def mutate(doc):
        edit(doc["items"])

    env.serve(env.v(6, mutate=mutate))


def _first(items, kind):
    return next(i for i in items if i["_briefing"]["kind"] == kind)["_briefing"]["record"]


@pytest.mark.parametrize(
    "case, edit, match",
    [
        ("missing field", lambda items: _first(items, "model").pop("family"), "family"),
        ("bad date", lambda items: _first(items, "investment").update(announced_on="2025-02-30"), "real date"),
        ("unknown enum", lambda items: _first(items, "policy_action").update(stage="vibes"), "stage"),
        ("dangling source", lambda items: _first(items, "model").update(sources=["nowhere"]), "missing source"),
        ("duplicate ids", lambda items: items.append(json.loads(json.dumps(items[-1]))), "duplicate item id"),
        # checked outside the compiled schema (records._compiled): jsonschema still words it
        ("repeated citation", lambda items: _first(items, "model").update(sources=["epoch-notable"] * 2), "non-unique"),
    ],
)
def test_schema_violations(env, case, edit, match):
    _schema(env, edit)
    refused(env, match)


def test_staging_disk_full(env, monkeypatch):
    # A real SQLITE_FULL: the staged copy is capped at its current size, so the apply cannot grow it.
    from briefing.core import staging

    monkeypatch.setattr(staging, "STAGING_MAX_PAGES", 1)
    env.serve(_bigger(env, 6))
    refused(env, "disk is full")


def _bigger(env: Env, version: int) -> bytes:
    def grow(doc):
        src = next(i for i in doc["items"] if i["_briefing"]["kind"] == "source")
        for n in range(300):
            clone = json.loads(json.dumps(src))
            clone["_briefing"]["record"]["id"] = f"extra-{n}"
            clone["_briefing"]["record"]["title"] = "x" * 400
            clone["id"] = f"source/extra-{n}"
            doc["items"].insert(0, clone)

    return env.v(version, mutate=grow)


def test_staging_read_only_home(env, monkeypatch):
    # Tests run as root, where chmod does not stop writes: the failure is injected at the write
    # call that creates the staged copy (what a read-only folder raises there).
    from briefing.core import store as storemod

    real = storemod.Store.backup_to

    def refuse(self, dest, **kw):
        if str(dest).endswith(".staged"):
            raise PermissionError(13, "Permission denied", str(dest))
        return real(self, dest, **kw)

    monkeypatch.setattr(storemod.Store, "backup_to", refuse)
    env.serve(changed_v(env, 6))
    msg = refused(env, "read-only")
    assert str(env.home.dir) in msg


def test_the_collector_is_running_again_after_a_sync_applied_or_refused(env):
    """The feed is read and applied with the cyclic garbage collector paused (feed.collector_paused),
    never left paused."""
    import gc

    env.serve(changed_v(env, 6))
    assert env.sync().outcome == "applied" and gc.isenabled()
    env.serve(env.v(4))
    refused(env, "rollback")
    assert gc.isenabled()
    gc.disable()  # paused by the caller: left as it was
    try:
        env.serve(changed_v(env, 7))
        env.sync()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_home_holding_an_older_releases_sha256_still_catches_equivocation(env):
    """The content digest is now the signature's BLAKE2b prehash; a home whose last sync stored a
    SHA-256 (an older release) is still compared by it, and holds the new digest after the next apply."""
    import hashlib

    from briefing.core.store import Store

    body = env.v(5)
    with Store(env.home.data_path) as s:
        assert s.meta()["feed_blake2b"] == hashlib.blake2b(body, digest_size=64).hexdigest()
        assert "feed_sha256" not in s.meta()
        s.set_meta({"feed_blake2b": None, "feed_sha256": hashlib.sha256(body).hexdigest()})
    env.serve(body)
    assert env.sync().outcome == "unchanged"
    env.serve(changed_v(env, 5))
    refused(env, "different content")
    with Store(env.home.data_path) as s:
        s.set_meta({"feed_sha256": None})  # no digest at all: never taken as the same content
    refused(env, "different content")
    env.serve(changed_v(env, 6))
    assert env.sync().outcome == "applied"
    with Store(env.home.data_path, readonly=True) as s:
        meta = s.meta()
    assert "feed_sha256" not in meta and len(meta["feed_blake2b"]) == 128
