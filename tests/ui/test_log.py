"""The log from the app's side: written, and free of note text and secrets, after notes typed in the GUI,
a brief with an edited bottom line and syncs; Help > Open log folder opens its folder."""

from __future__ import annotations

import logging
from pathlib import Path

from click.testing import CliRunner
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu

from briefing.cli import cli
from briefing.core import logs, minisign
from briefing.core.report import bottom_line_key
from briefing.ui.main_window import MainWindow
from tests.feedkit import feed_bytes, make_key, sign


class _Catcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toLocalFile())


def test_help_open_log_folder(qtbot, home, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_LOG_DIR", str(tmp_path / "the-logs"))
    catcher = _Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        window = MainWindow(home)
        qtbot.addWidget(window)
        help_menu = next(m for m in window.findChildren(QMenu) if m.accessibleName() == "Help menu")
        assert window.open_log_action in help_menu.actions()
        window.open_log_action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert catcher.urls == [str(tmp_path / "the-logs")]
    assert (tmp_path / "the-logs").is_dir()


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
    r = runner.invoke(
        cli, ["export", "onepager", "--topic", "overview", "--out", str(tmp_path / "b.pdf"), "--home", str(home.dir)]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        cli, ["sync", "--home", str(home.dir), "--feed", httpserver.url_for("/feed.json"), "--trust-key", str(pub)]
    )
    assert r.exit_code == 0, r.output
    httpserver.expect_request("/nothing.json").respond_with_data("gone", status=404)
    secret_url = httpserver.url_for("/nothing.json").replace("http://", "http://staffer:hunter2@") + "?token=abc123"
    r = runner.invoke(cli, ["sync", "--home", str(home.dir), "--feed", secret_url, "--trust-key", str(pub)])
    assert r.exit_code == 1
    # Publishing reads the secret key: its text must not reach the log either.
    key_dir = tmp_path / "keys"
    r = runner.invoke(cli, ["feed", "keygen", "--out", str(key_dir)])
    r = runner.invoke(
        cli,
        [
            "feed",
            "build",
            "--out",
            str(tmp_path / "site"),
            "--secret-key",
            str(key_dir / "briefing.key"),
            "--version",
            "3",
            "--home",
            str(home.dir),
        ],
    )
    assert r.exit_code == 0, r.output
    logging.getLogger("briefing.test").info("a key slipped into a message: %s", (key_dir / "briefing.key").read_text())

    text = _all_log_text(folder)
    assert "briefing 0.1.0: export" in text and "sync: feed v2 applied" in text
    assert (
        "sync feed failed: feed unavailable (HTTP 404)" in text and "/nothing.json" in text
    )  # the failure is there...
    assert "hunter2" not in text and "abc123" not in text and "staffer" not in text  # ...without the credentials
    assert NOTE not in text and "cousin" not in text and BOTTOM_LINE not in text and "harsher" not in text
    secret_line = [
        ln for ln in (key_dir / "briefing.key").read_text().splitlines() if ln and not ln.startswith("untrusted")
    ][0]
    assert secret_line not in text and minisign.load_secret_key(key_dir / "briefing.key").public().to_text() not in text
