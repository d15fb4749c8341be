"""Help > Open log folder opens the user log folder (created if absent) through the desktop's URL handler."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu

from briefing.ui.main_window import MainWindow


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
