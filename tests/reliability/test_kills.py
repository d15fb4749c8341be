"""SIGKILL at random instants of real `briefing sync` processes (30), and at every stage of a backup
and a restore (10): the data is always wholly one accepted version, notes are never touched, and
`restore --list` / `restore` always work (red-team K00, KB00, KB13, K-backup*, KP01, KR00, KRP*)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.core import staging
from briefing.core.home import Home
from briefing.core.snapshot import dump
from briefing.core.store import Store
from tests.feedkit import feed_bytes, file_hash, make_key, sign
from tests.reliability.conftest import ROOT, cli

pytestmark = pytest.mark.slow


def _lines(path: Path) -> list[str]:
    """The data's logical content, less the wall-clock time of the last sync (the kills run on the
    real clock, so two syncs of one feed differ only there)."""
    return [ln for ln in dump(path) if "'last_sync'" not in ln]


def state(path: Path) -> str:
    return hashlib.sha256("\n".join(_lines(path)).encode()).hexdigest()


def _how_it_differs(path: Path, world) -> str:
    """For a failure: how the data differs from the old and the new state (a few lines each), and
    where a copy of the home was kept, so a rare failure can be read after the run."""
    import difflib

    kept = Path(os.environ.get("TMPDIR", "/tmp")) / f"briefing-kill-failure-{os.getpid()}-{time.time_ns()}"
    shutil.copytree(path.parent, kept)
    now = _lines(path)
    out = [f"home kept at {kept}"]
    for name in ("old", "new"):
        diff = [d[:200] for d in difflib.unified_diff(world[f"{name}_lines"], now, lineterm="", n=0)][2:10]
        out.append(f"vs {name}: " + (" | ".join(diff) or "no line differs"))
    return "\n".join(out)


def _grow(doc):
    src = next(i for i in doc["items"] if i["_briefing"]["kind"] == "source")
    for n in range(3000):
        clone = json.loads(json.dumps(src))
        clone["_briefing"]["record"].update(id=f"extra-{n}", title=f"t{n} " + "t" * 300)
        clone["id"] = f"source/extra-{n}"
        doc["items"].insert(0, clone)


@pytest.fixture(scope="module")
def world(tmp_path_factory, fixture_snapshot):
    """A pristine home with a note and a backup, a big signed feed served on 127.0.0.1, and the
    state after a complete sync of it."""
    from pytest_httpserver import HTTPServer

    base = tmp_path_factory.mktemp("kills")
    secret, pub = make_key(base)
    pristine = Home.open(base / "pristine", bundled=fixture_snapshot)
    with pristine.notes() as notes:
        notes.set("model", "qwen2.5-7b", "a note that must survive every kill")
    staging.backup_generation(pristine, "feed-v1")
    body = feed_bytes(pristine.data_path, 7, mutate=_grow)
    server = HTTPServer(host="127.0.0.1")
    server.start()
    server.expect_request("/feed.json").respond_with_data(body, content_type="application/feed+json")
    server.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    url = server.url_for("/feed.json")
    ref = base / "reference"
    shutil.copytree(pristine.dir, ref)
    started = time.monotonic()
    done = _finish(_child(ref, url, pub))
    duration = time.monotonic() - started
    assert done == 0
    yield {
        "pristine": pristine,
        "url": url,
        "pub": pub,
        "old": state(pristine.data_path),
        "new": state(ref / "briefing.sqlite"),
        "old_lines": _lines(pristine.data_path),
        "new_lines": _lines(ref / "briefing.sqlite"),
        "notes": file_hash(pristine.notes_path),
        "duration": duration,
        "base": base,
    }
    server.stop()


def _child(home_dir: Path, url: str, pub: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    cmd = args or ("sync", "--feed", url, "--trust-key", str(pub))
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", *cmd, "--home", str(home_dir)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _finish(child: subprocess.Popen, timeout: float = 120) -> int:
    """Wait for a child and close its stderr pipe (no unclosed-file warning at garbage collection)."""
    child.communicate(timeout=timeout)
    return child.returncode


def _consistent(home_dir: Path, world, allowed: set[str], why: str) -> str:
    data = home_dir / "briefing.sqlite"
    with Store(data, readonly=True) as s:
        assert s.quick_check() == "ok", why
    now = state(data)
    assert now in allowed, f"{why}: the data is neither wholly old nor wholly new\n{_how_it_differs(data, world)}"
    assert file_hash(home_dir / "notes.sqlite") == world["notes"], why
    r = cli("restore", "--list", "--home", home_dir)
    assert r.exit_code == 0 and "Traceback" not in r.output and "unreadable" not in r.stdout, f"{why}: {r.output}"
    assert not list((home_dir / "backups").glob("briefing-*.sqlite-journal")), why
    return now


def _fresh(world, name: str) -> Path:
    target = world["base"] / name
    shutil.copytree(world["pristine"].dir, target)
    return target


def test_30_random_sigkills_during_sync(world):
    seed = int(os.environ.get("BRIEFING_KILL_SEED", time.time_ns() % 10**6))
    rng = random.Random(seed)
    seen = {"old": 0, "new": 0}
    for n in range(30):
        home_dir = _fresh(world, f"k{n}")
        child = _child(home_dir, world["url"], world["pub"])
        at = rng.uniform(0.0, world["duration"] * 1.05)
        time.sleep(at)
        child.send_signal(signal.SIGKILL)
        _finish(child, 30)
        why = f"kill {n} at {at:.2f} s (seed {seed})"
        now = _consistent(home_dir, world, {world["old"], world["new"]}, why)
        seen["old" if now == world["old"] else "new"] += 1
        if n % 6 == 5:  # and the next sync always works
            assert _finish(_child(home_dir, world["url"], world["pub"])) == 0, why
            assert _consistent(home_dir, world, {world["new"]}, why)
        shutil.rmtree(home_dir)
    print(f"30 kills (seed {seed}): {seen}; a full sync took {world['duration']:.2f} s")
    assert seen["old"] + seen["new"] == 30


def _paused(home_dir: Path, world, stage: str, *args: str) -> None:
    """Run a child until it reaches the named pause point, then SIGKILL it there."""
    marker = home_dir.parent / f"{home_dir.name}.{stage}.reached"
    child = _child(home_dir, world["url"], world["pub"], *args, env={staging.PAUSE_ENV: f"{stage}:{marker}"})
    try:
        for _ in range(1200):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), (
            f"the child never reached {stage}: {child.stderr.read().decode() if child.poll() is not None else ''}"
        )
    finally:
        child.kill()
        child.wait(30)
        child.stderr.close()


@pytest.mark.parametrize("n", range(3))
def test_kill_mid_promotion_of_a_sync_leaves_the_old_data_for_every_reader(world, n):
    """A home seeded from the bundled snapshot is in rollback-journal mode until something opens it
    for writing, so a sync killed while promoting leaves a hot journal in the live file. Readers open
    read-only and may not read the torn file: the journal is rolled back first (it was read as
    immutable, torn, before)."""
    home_dir = _fresh(world, f"p{n}")
    _paused(home_dir, world, "promote")
    journal = home_dir / "briefing.sqlite-journal"
    assert journal.exists() and journal.stat().st_size, "the kill left the promotion's hot journal"
    assert _consistent(home_dir, world, {world["old"]}, f"mid-promotion kill {n}") == world["old"]
    assert not journal.exists()  # rolled back by the first reader
    r = cli("info", "--home", home_dir)
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    assert _finish(_child(home_dir, world["url"], world["pub"])) == 0  # and the next sync completes
    assert _consistent(home_dir, world, {world["new"]}, f"sync after mid-promotion kill {n}") == world["new"]


@pytest.mark.parametrize("n", range(4))
def test_kill_mid_backup_leaves_no_half_generation(world, n):
    home_dir = _fresh(world, f"b{n}")
    before = sorted(p.name for p in (home_dir / "backups").glob("briefing-*.sqlite"))
    for _ in range(n + 1):  # several killed backups in a row never push a good generation out (KP01)
        _paused(home_dir, world, "backup")
        _consistent(home_dir, world, {world["old"]}, f"mid-backup kill {n}")
    assert sorted(p.name for p in (home_dir / "backups").glob("briefing-*.sqlite")) == before
    assert _finish(_child(home_dir, world["url"], world["pub"])) == 0
    assert len(staging.backups(Home(home_dir))) == 2
    assert not list((home_dir / "backups").glob(".briefing-*"))  # the killed ones' temp files are swept
    assert cli("restore", "--generation", "2", "--home", home_dir).exit_code == 0


@pytest.mark.parametrize("n", range(3))
def test_kill_mid_restore_leaves_old_or_restored_data(world, n):
    home_dir = _fresh(world, f"r{n}")
    assert _finish(_child(home_dir, world["url"], world["pub"])) == 0  # now: new data, two backups
    _paused(home_dir, world, "promote", "restore", "--generation", "1")
    _consistent(home_dir, world, {world["new"], world["old"]}, f"mid-restore kill {n}")
    assert cli("restore", "--generation", "1", "--home", home_dir).exit_code == 0
    assert _consistent(home_dir, world, {world["old"]}, "restore after the kill") == world["old"]


@pytest.mark.parametrize("n", range(3))
def test_kill_while_restore_replaces_a_damaged_file(world, n):
    home_dir = _fresh(world, f"d{n}")
    (home_dir / "briefing.sqlite").write_bytes(b"garbage " * 1000)
    _paused(home_dir, world, "restore", "restore", "--generation", "1")
    data = (home_dir / "briefing.sqlite").read_bytes()
    assert data == b"garbage " * 1000 or data.startswith(b"SQLite format 3")  # the old bytes or the restored file
    assert cli("restore", "--generation", "1", "--home", home_dir).exit_code == 0
    assert _consistent(home_dir, world, {world["old"]}, "restore after the kill") == world["old"]
