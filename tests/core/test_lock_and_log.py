"""The sync lock without fcntl (simulated), and the log file: written, rotated, free of note text and secrets."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from briefing.core import logs, minisign
from briefing.core.report import bottom_line_key
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
    run = subprocess.run([sys.executable, "-c", NO_FCNTL_CHILD, str(home.dir), httpserver.url_for("/feed.json"), str(pub)],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("lock: ") and lines[0] != "lock: UnixFileLock"
    assert lines[1] == "second: another sync is already running in this home"
    assert "feed v2 applied" in run.stdout
    assert "Traceback" not in run.stderr


NOTE = "Member asked about Qwen; source is my cousin at the lab, do not repeat"
BOTTOM_LINE = "Off the record: the committee chair wants a harsher line"


def _all_log_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir() if p.is_file())


def test_the_log_is_written_and_holds_no_note_text_nor_secrets(home, tmp_path, httpserver, qtbot):
    folder = tmp_path / "logs"
    assert logs.setup(folder) == folder / "briefing.log"
    with home.notes() as notes:
        notes.set("investment", "fr-2025-ai-109bn", NOTE)
        notes.set_text(bottom_line_key("overview"), BOTTOM_LINE)

    # The GUI: a note typed and saved in the detail pane.
    from briefing.ui.detail import DetailPane

    pane = DetailPane(home)
    qtbot.addWidget(pane)
    pane.show_record("model", "deepseek-r1")
    pane.note_edit.setPlainText(NOTE + " (gui)")
    with qtbot.waitSignal(pane.note_saved):
        pane.save_button.click()

    # The CLI: a brief with the edited bottom line, a good sync, a failing one with a password in the address.
    secret, pub = make_key(tmp_path)
    body = feed_bytes(home.data_path, 2)
    httpserver.expect_request("/feed.json").respond_with_data(body)
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    runner = CliRunner()
    r = runner.invoke(cli, ["export", "onepager", "--topic", "overview", "--out", str(tmp_path / "b.pdf"), "--home", str(home.dir)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["sync", "--home", str(home.dir), "--feed", httpserver.url_for("/feed.json"), "--trust-key", str(pub)])
    assert r.exit_code == 0, r.output
    httpserver.expect_request("/nothing.json").respond_with_data("gone", status=404)
    secret_url = httpserver.url_for("/nothing.json").replace("http://", "http://staffer:hunter2@") + "?token=abc123"
    r = runner.invoke(cli, ["sync", "--home", str(home.dir), "--feed", secret_url, "--trust-key", str(pub)])
    assert r.exit_code == 1
    # Publishing reads the secret key: its text must not reach the log either.
    key_dir = tmp_path / "keys"
    r = runner.invoke(cli, ["feed", "keygen", "--out", str(key_dir)])
    r = runner.invoke(cli, ["feed", "build", "--out", str(tmp_path / "site"), "--secret-key", str(key_dir / "briefing.key"),
                            "--version", "3", "--home", str(home.dir)])
    assert r.exit_code == 0, r.output
    logging.getLogger("briefing.test").info("a key slipped into a message: %s", (key_dir / "briefing.key").read_text())

    text = _all_log_text(folder)
    assert "briefing 0.1.0: export" in text and "sync: feed v2 applied" in text
    assert "sync feed failed: feed unavailable (HTTP 404)" in text and "/nothing.json" in text  # the failure is there...
    assert "hunter2" not in text and "abc123" not in text and "staffer" not in text  # ...without the credentials
    assert NOTE not in text and "cousin" not in text and BOTTOM_LINE not in text and "harsher" not in text
    secret_line = [ln for ln in (key_dir / "briefing.key").read_text().splitlines() if ln and not ln.startswith("untrusted")][0]
    assert secret_line not in text and minisign.load_secret_key(key_dir / "briefing.key").public().to_text() not in text


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
