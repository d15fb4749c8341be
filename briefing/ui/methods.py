"""Help > Methods and definitions: docs/methods.md itself, so the app and the documentation never
differ. The file is the project's own text (not data), shown as Markdown. GUI thread only."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

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
        row = QHBoxLayout()
        self.find_box = QLineEdit()
        self.find_box.setAccessibleName("Find in the methods")
        self.find_box.setPlaceholderText("Find a term (e.g. committed, EU-27, crossover); Enter for the next")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(lambda: self.find(self.find_box.text()))
        previous = QPushButton("Previous")
        previous.clicked.connect(lambda: self.find(self.find_box.text(), backward=True))
        row.addWidget(self.find_box, 1)
        row.addWidget(previous)
        layout.addLayout(row)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Methods and definitions text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(methods_text())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def find(self, text: str, *, backward: bool = False) -> bool:
        """Select the next (or previous) place the text occurs, wrapping round; False if nowhere."""
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.browser.find(text, flags):
            return True
        cursor = self.browser.textCursor()  # wrap round once
        cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        return self.browser.find(text, flags)
