"""The sync lock without fcntl (simulated); the log file rotates and masks secrets in addresses
(the note-text check, which needs widgets, is in tests/ui/test_log.py)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from briefing.core import logs
from tests.feedkit import feed_bytes, make_key, sign

ROOT = Path(__file__).resolve().parents[2]

NO_FCNTL_CHILD = r"""
import sys
sys.modules["fcntl"] = None  # as where the platform has no fcntl: `import fcntl` raises ImportError
from pathlib import Path
from briefing.core import staging
from briefing.core.home import Home

home = Home(Path(sys.argv[1]))
with staging.SyncLock(home) as held:
    print("lock:", type(held.lock).__name__)
    try:
        with staging.SyncLock(home):
            print("second: taken")
    except staging.SyncError as exc:
        print("second:", exc)
from briefing.cli import main
main(["sync", "--home", sys.argv[1], "--feed", sys.argv[2], "--trust-key", sys.argv[3]])
"""


def test_sync_lock_and_sync_work_without_fcntl(home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)
    body = feed_bytes(home.data_path, 2)
    httpserver.expect_request("/feed.json").respond_with_data(body)
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", NO_FCNTL_CHILD, str(home.dir), httpserver.url_for("/feed.json"), str(pub)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("lock: ") and lines[0] != "lock: UnixFileLock"
    assert lines[1] == "second: another sync is already running in this home"
    assert "feed v2 applied" in run.stdout
    assert "Traceback" not in run.stderr


def test_log_rotates(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    folder = tmp_path / "rot"
    logs.setup(folder)
    log = logging.getLogger("briefing.test")
    for i in range(200):
        log.info("line %d %s", i, "x" * 40)
    names = sorted(p.name for p in folder.iterdir())
    assert "briefing.log" in names and "briefing.log.1" in names and "briefing.log.4" not in names
    assert all(p.stat().st_size <= 2100 for p in folder.glob("briefing.log*"))


def test_scrub():
    assert logs.scrub("GET https://u:p@host/x?sig=abc&y=1") == "GET https://***@host/x?sig=***&y=1"
