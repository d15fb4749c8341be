"""Help > Methods and definitions: docs/methods.md itself, so the app and the documentation never
differ. The file is the project's own text (not data), shown as Markdown. GUI thread only."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from briefing import paths


def methods_text() -> str:
    """The text of docs/methods.md, or a one-line note when the file is missing."""
    try:
        return paths.METHODS_FILE.read_text(encoding="utf-8")
    except OSError:
        return f"Methods and definitions are not available: {paths.METHODS_FILE} could not be read."


class MethodsDialog(QDialog):
    """Every measure, status, stance, relevance level and date rule, as docs/methods.md states them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Methods and definitions")
        self.setAccessibleName("Methods and definitions")
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Methods and definitions text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(methods_text())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
