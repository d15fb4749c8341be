"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from briefing.core.home import Home


def run(home: Home) -> int:
    """Run the app on a home until the window closes; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("Open Model Briefing")
    layout = QVBoxLayout(window)
    with home.store() as store:
        for kind, n in store.counts().items():
            label = QLabel(f"{kind}: {n:,}")
            label.setTextFormat(label.textFormat().PlainText)
            layout.addWidget(label)
    window.show()
    return app.exec()
