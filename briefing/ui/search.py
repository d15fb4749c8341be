"""Ctrl+K search: one box over models, organizations, investments, policy actions, sources and notes.

Records come from `Store.search` (ranked by `core.search`: records before sources, whole words
before parts of words, every word before some), notes from `NoteStore.search` (both bound LIKE
patterns, so no text reaches SQL). Each result line says its kind, date and jurisdiction or country
(by name) or publisher. Picking a result emits `record_chosen(kind, id)`; the main window switches
to that record's view and shows it. Results are plain text. GUI thread only: the queries are small.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from briefing.core import names
from briefing.core.home import Home
from briefing.core.text import elide
from briefing.ui import plain
from briefing.ui.detail import KIND_LABELS

DEBOUNCE_MS = 120
LIMIT = 60


def search_all(home: Home, text: str, *, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Record hits then note hits: dicts with kind, id, title, label (the line shown) and note flag."""
    text = text.strip()
    if not text:
        return []
    with home.store() as store:
        hits = store.search(text, limit=limit)
        with home.notes() as notes:
            note_hits = notes.search(text)[:limit]
            noted = notes.keys()
        found = [(n, store.find_record(n["record_id"], kinds=(n["kind"],))) for n in note_hits]
    out = []
    for h in hits:
        mark = "  \u270e" if (h["kind"], h["id"]) in noted else ""
        out.append({**h, "note": False, "label": result_label(h) + mark})
    for note, rec in found:
        title = rec[1] if rec else f"{note['record_id']} (withdrawn)"
        excerpt = elide(" ".join(note["text"].split()), 80)
        out.append(
            {
                "kind": note["kind"],
                "id": note["record_id"],
                "title": title,
                "note": True,
                "label": f"Note on {KIND_LABELS.get(note['kind'], note['kind']).lower()} {title}: {excerpt}",
            }
        )
    return out


def result_label(hit: dict[str, Any]) -> str:
    """'Policy action · 2025-01-15 · United States: Framework for ...' (kind, date, where, title)."""
    where = hit.get("where") or ""
    if where and names.CODE_PATTERN.match(where):
        where = names.country(where)
    head = " \u00b7 ".join(x for x in (KIND_LABELS.get(hit["kind"], hit["kind"]), hit.get("date") or "", where) if x)
    return f"{head}: {hit['title']}"


class SearchDialog(QDialog):
    """A search box and its results; Enter or double-click opens the selected result."""

    record_chosen = Signal(str, str)
    """(kind, id) of the picked result; GUI thread."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setWindowTitle("Search records and notes")
        self.setAccessibleName("Search records and notes")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.box = QLineEdit()
        self.box.setAccessibleName("Search text")
        self.box.setPlaceholderText("Search models, organizations, investments, policy actions, sources and notes…")
        self.box.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.status = plain.label("Type to search.", name="Search status")
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.box.textChanged.connect(lambda _t: self._timer.start())
        self.box.returnPressed.connect(self.choose_current)
        self.results.itemActivated.connect(lambda _item: self.choose_current())
        self.box.installEventFilter(self)

    def run_search(self) -> list[dict[str, Any]]:
        """Search now for the box's text and list the results (first one selected)."""
        self._timer.stop()
        hits = search_all(self.home, self.box.text())
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(hit["label"])
            item.setData(Qt.ItemDataRole.UserRole, (hit["kind"], hit["id"]))
            item.setToolTip(plain.tooltip(f"{hit['kind']} {hit['id']}"))
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        text = self.box.text().strip()
        self.status.setText(f"{len(hits)} result(s)" if text else "Type to search.")
        return hits

    def choose_current(self) -> None:
        if self._timer.isActive():
            self.run_search()
        item = self.results.currentItem()
        if item is None:
            return
        kind, rid = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        self.record_chosen.emit(kind, rid)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        # Up/Down in the box move through the results, so the keyboard never has to leave the box.
        if (
            obj is self.box
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
            and self.results.count()
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return True
        return super().eventFilter(obj, event)
