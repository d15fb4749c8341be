"""Stands in for a view whose module has not landed yet: a note and a working detail pane."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from briefing.core.home import Home
from briefing.ui import plain
from briefing.ui.detail import DetailPane


class PlaceholderView(QWidget):
    """Same protocol as every view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`."""

    def __init__(self, home: Home, parent: QWidget | None = None, *, title: str = "This view") -> None:
        super().__init__(parent)
        self.setAccessibleName(f"{title} view")
        layout = QVBoxLayout(self)
        layout.addWidget(plain.label(f"{title}: this view is not built yet. Records opened here show in the details below.",
                                     name="Placeholder note", wrap=True))
        self.detail = DetailPane(home, self)
        layout.addWidget(self.detail, 1)

    def refresh(self) -> None:
        """Nothing to reload."""

    def show_record(self, kind: str, record_id: str) -> None:
        self.detail.show_record(kind, record_id)
