"""A stateful test: syncs of good and bad feeds, notes, crashes at every stage of a sync and
restores, in any order. Invariants: notes are never lost, and the data always equals exactly one
accepted version (the last applied feed, or the backup generation last restored)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from briefing.core import minisign, staging
from briefing.core import sync as syncmod
from briefing.core.errors import BriefingError
from briefing.core.home import Home
from briefing.core.store import Store
from tests.feedkit import FAST, NOW, feed_bytes, fingerprint, sign
from tests.fuzz import SCALE


class Crash(BaseException):
    """Stands for the process dying at a stage (a BaseException, like a kill: nothing catches it)."""


BAD = ("signature", "rollback", "same-version", "invalid-record", "future", "expired", "truncated", "not-json")
TWEAKS = ("none", "retitle-source", "drop-consideration", "add-consideration")


class Briefing(RuleBasedStateMachine):
    server = None  # set by the test
    snapshot: Path

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="briefing-state-"))
        self.home = Home.open(self.tmp / "home", bundled=self.snapshot)
        self.secret = minisign.keygen()
        self.pub = self.tmp / "k.pub"
        self.pub.write_text(self.secret.public().to_text())
        self.clock = NOW
        self.published = 1  # the highest version ever published
        self.accepted = fingerprint(self.home.data_path)
        self.backups: list[str] = []  # what each generation holds, newest first
        self.notes: dict[tuple[str, str], str] = {}
        self.n = 0

    def teardown(self) -> None:
        staging.FAULT = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------
    def _tick(self) -> dt.datetime:
        self.clock += dt.timedelta(hours=1)
        return self.clock

    def _feed(self, version: int, tweak: str = "none", **kw) -> bytes:
        self.n += 1
        n = self.n

        def mutate(doc):
            items = doc["items"]
            if tweak == "retitle-source":
                next(i for i in items if i["_briefing"]["kind"] == "source")["_briefing"]["record"]["title"] = (
                    f"Title {n}"
                )
            elif tweak == "drop-consideration":
                cons = [i for i in items if i["_briefing"]["kind"] == "consideration"]
                if cons:
                    items.remove(cons[-1])
            elif tweak == "add-consideration":
                sid = next(i for i in items if i["_briefing"]["kind"] == "source")["_briefing"]["record"]["id"]
                items.append(
                    {
                        "id": f"consideration/c-{n}",
                        "title": "c",
                        "content_text": "c",
                        "_briefing": {
                            "kind": "consideration",
                            "record": {"id": f"c-{n}", "topic": "overview", "text": f"point {n}", "sources": [sid]},
                        },
                    }
                )

        kw.setdefault("generated", self.clock - dt.timedelta(minutes=1))
        kw.setdefault("expires", self.clock + dt.timedelta(days=30))
        return feed_bytes(self.home.data_path, version, mutate=mutate, **kw)

    def _serve(self, body: bytes, sig: bytes | None = None) -> None:
        self.server.clear()
        self.server.expect_request("/feed.json").respond_with_data(body, content_type="application/feed+json")
        self.server.expect_request("/feed.json.minisig").respond_with_data(
            sig if sig is not None else sign(body, self.secret)
        )

    def _sync(self):
        return syncmod.sync(
            self.home,
            feed_url=self.server.url_for("/feed.json"),
            trust_keys=[self.pub],
            pinned=False,
            config=FAST,
            now=self.clock,
        )

    def _stored_version(self) -> int:
        with Store(self.home.data_path, readonly=True) as s:
            return int(s.meta().get("feed_version") or 0)

    def _backed_up(self, what: str) -> None:
        self.backups.insert(0, what)
        del self.backups[staging.KEEP_BACKUPS :]

    # -- rules --------------------------------------------------------------------------------
    @rule(tweak=st.sampled_from(TWEAKS))
    def sync_good_feed(self, tweak):
        self._tick()
        self.published += 1
        self._serve(self._feed(self.published, tweak))
        before = self.accepted
        result = self._sync()
        assert result.outcome == "applied" and result.version == self.published
        self._backed_up(before)
        self.accepted = fingerprint(self.home.data_path)

    @rule(bad=st.sampled_from(BAD))
    def sync_bad_feed(self, bad):
        now = self._tick()
        stored = self._stored_version()
        version = self.published + 1
        body, sig = self._feed(version), None
        if bad == "signature":
            sig = sign(body, minisign.keygen())
        elif bad == "rollback":
            if stored < 2:
                return
            body = self._feed(stored - 1)
        elif bad == "same-version":
            if stored < 2:
                return
            body = self._feed(stored, "add-consideration")
        elif bad == "invalid-record":
            doc = json.loads(body)
            next(i for i in doc["items"] if i["_briefing"]["kind"] == "organization")["_briefing"]["record"][
                "country"
            ] = "US\n"
            body = json.dumps(doc).encode()
        elif bad == "future":
            body = self._feed(version, generated=now + dt.timedelta(days=3), expires=now + dt.timedelta(days=30))
        elif bad == "expired":
            body = self._feed(version, generated=now - dt.timedelta(days=3), expires=now - dt.timedelta(days=1))
        elif bad == "truncated":
            sig = sign(body, self.secret)
            body = body[: len(body) // 2]
        else:
            body = b"<html>captive portal</html>"
            sig = minisign.sign(body, self.secret, "file=feed.json version=1 expires=2030-01-01T00:00:00Z").encode()
        self._serve(body, sig)
        with pytest.raises(BriefingError):
            self._sync()

    @rule(stage=st.sampled_from(["apply", "backup", "promote"]))
    def crash_mid_sync(self, stage):
        self._tick()
        self._serve(self._feed(self.published + 1, "add-consideration"))

        def fault(where: str) -> None:
            if where == stage:
                raise Crash(where)

        staging.FAULT = fault
        try:
            with pytest.raises(Crash):
                self._sync()
        finally:
            staging.FAULT = None
        if stage == "promote":  # the backup was made (whole) before the promotion died
            self._backed_up(self.accepted)

    @rule(
        kind_id=st.sampled_from([("model", "qwen2.5-7b"), ("source", "s-qwen"), ("policy_action", "gone-record")]),
        text=st.sampled_from(["", "first thought", "a longer note\nwith two lines", "üñí \u202e text"]),
    )
    def write_note(self, kind_id, text):
        with self.home.notes() as notes:
            notes.set(*kind_id, text)
        if text.strip():
            self.notes[kind_id] = text
        else:
            self.notes.pop(kind_id, None)

    @rule(data=st.data())
    def restore_a_generation(self, data):
        if not self.backups:
            return
        generation = data.draw(st.integers(1, len(self.backups)))
        staging.restore(self.home, generation)
        self.accepted = self.backups[generation - 1]

    # -- invariants ---------------------------------------------------------------------------
    @invariant()
    def notes_are_never_lost(self):
        with self.home.notes(readonly=True) as notes:
            assert {(n["kind"], n["record_id"]): n["text"] for n in notes.all()} == self.notes

    @invariant()
    def data_is_exactly_one_accepted_version(self):
        assert fingerprint(self.home.data_path) == self.accepted
        generations = staging.backups(self.home)
        assert [fingerprint(p) for p in generations] == self.backups
        assert not list(self.home.backups_dir.glob(".briefing-*")) if self.home.backups_dir.exists() else True


def test_syncs_notes_crashes_and_restores(httpserver, fixture_snapshot):
    Briefing.server = httpserver
    Briefing.snapshot = fixture_snapshot
    run_state_machine_as_test(Briefing, settings=settings(max_examples=8 * SCALE, stateful_step_count=10))
