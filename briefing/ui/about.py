"""Help > About: the version, and every data source that carries a licence, with its attribution."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from briefing import __version__
from briefing.core.home import Home
from briefing.ui import plain


def licence_lines(sources: list[dict[str, Any]]) -> list[str]:
    """One line per source with a non-null licence: publisher, title, licence, address."""
    out = []
    for src in sorted(sources, key=lambda s: (s["publisher"].casefold(), s["title"].casefold())):
        if src.get("license"):
            out.append(f"{src['publisher']}: {src['title']}. Licence: {src['license']}. {src['url']}")
    return out


class AboutDialog(QDialog):
    """Plain-text about box; the licence list is read from the source records."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Open Model Briefing")
        self.setAccessibleName("About Open Model Briefing")
        self.resize(720, 480)
        with home.store() as store:
            sources = store.records("source")
            meta = store.meta()
        layout = QVBoxLayout(self)
        layout.addWidget(plain.label(f"Open Model Briefing {__version__}", name="Application and version"))
        layout.addWidget(
            plain.label(
                "Offline briefings on the open-weight AI race: adoption, investment and policy, every figure sourced. "
                f"Data as of {meta.get('data_as_of') or 'unknown'}, snapshot v{meta.get('snapshot_version') or '?'}"
                + (f", feed v{meta['feed_version']}" if meta.get("feed_version") else "")
                + ".",
                name="Description",
                wrap=True,
            )
        )
        lines = licence_lines(sources)
        layout.addWidget(
            plain.label(
                f"Data sources with a stated licence ({len(lines)} of {len(sources)} sources; all are listed in the Sources view):",
                name="Licences heading",
                wrap=True,
            )
        )
        self.licences = QPlainTextEdit("\n".join(lines) or "No source states a licence.")
        self.licences.setReadOnly(True)
        self.licences.setAccessibleName("Data sources and their licences")
        layout.addWidget(self.licences, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setAccessibleName("Close about")
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
