"""The shared detail pane: every field of one record, its sources, and the user's note on it.

For the views (adoption, investment, policy, sources, overview)::

    self.detail = DetailPane(home, parent=self)       # constructed once per view
    self.detail.show_record("model", "deepseek-r1")   # on selection; returns False if not found
    self.detail.note_saved.connect(self._refresh_note_marks)   # (kind, id) after a save

Contract:
* Everything is plain text (labels are Qt.PlainText, tooltips escaped); nothing from a record is
  ever rendered as markup. Source addresses open only through `plain.open_https` (https only).
* The note editor saves to `NoteStore` (notes.sqlite, which no data operation writes). Saving an
  empty note deletes it. A pending edit is saved before another record is shown, so no note is lost.
* A note on a record that no longer exists in the data (withdrawn by a feed update) is still shown
  and editable, marked "withdrawn"; so are records whose status/stage is `withdrawn`.
* "Related" records and the "cited by" list emit `record_requested(kind, id)`; the view passes it on
  and the main window shows the record in the view for its kind.
* GUI thread only. Reads open a short-lived read-only Store (one small query, well under 50 ms).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGroupBox, QHBoxLayout, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from briefing.core import cite, numbers
from briefing.core.home import Home
from briefing.core.records import RecordRef, title_of
from briefing.ui import plain
from briefing.ui.export import copy_citation

KIND_LABELS = {
    "source": "Source", "organization": "Organization", "model": "Model", "adoption": "Adoption observation",
    "investment": "Investment", "policy_action": "Policy action", "consideration": "Consideration",
}
_SKIP_FIELDS = {"sources", "related"}
#: Citing records listed as buttons; a dataset source is cited by tens of thousands of rows.
MAX_CITING = 100


def field_label(field: str) -> str:
    return {"stance_on_open_models": "Stance on open models", "usd_basis": "USD basis",
            "amount_usd": "Amount (USD)", "hf_repos": "HF repos", "hf_namespaces": "HF namespaces",
            "id": "ID"}.get(field, field.replace("_", " ").capitalize())


def is_withdrawn(record: dict[str, Any] | None) -> bool:
    """True for a record gone from the data, or one whose status/stage says withdrawn."""
    return record is None or record.get("status") == "withdrawn" or record.get("stage") == "withdrawn"


class DetailPane(QWidget):
    """Shows one record; see the module docstring for the contract."""

    note_saved = Signal(str, str)
    """(kind, id) after the note of a record was saved or deleted; GUI thread."""
    record_requested = Signal(str, str)
    """(kind, id) of a related or citing record the user clicked; GUI thread."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self._ref: RecordRef | None = None
        self._saved_text = ""
        self.setAccessibleName("Record details")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Record details area")
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._layout = QVBoxLayout(body)

        self.heading = plain.label("Select a record to see its details.", name="Record title", wrap=True, selectable=True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.kind_label = plain.label("", name="Record kind")
        self.withdrawn_label = plain.label("", name="Withdrawn mark", wrap=True)
        self.withdrawn_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.withdrawn_label.hide()
        for w in (self.heading, self.kind_label, self.withdrawn_label):
            self._layout.addWidget(w)
        self.cite_button = QPushButton("Copy citation")
        self.cite_button.setAccessibleName("Copy a citation of this record")
        self.cite_button.setToolTip("Copy the record's title, date and sources as a citation (plain text)")
        self.cite_button.clicked.connect(lambda _=False: self.copy_citation())
        self._citation = ""
        self._layout.addWidget(self.cite_button)

        self.fields_box = QWidget()
        self.fields_box.setAccessibleName("Record fields")
        self.form = QFormLayout(self.fields_box)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.addWidget(self.fields_box)

        self.related_box = QGroupBox("Related records")
        self.related_box.setAccessibleName("Related records")
        self.related_layout = QVBoxLayout(self.related_box)
        self._layout.addWidget(self.related_box)

        self.sources_box = QGroupBox("Sources")
        self.sources_box.setAccessibleName("Sources")
        self.sources_layout = QVBoxLayout(self.sources_box)
        self._layout.addWidget(self.sources_box)
        self.link_status = plain.label("", name="Link status", wrap=True)
        self._layout.addWidget(self.link_status)

        notes_box = QGroupBox("Your note")
        notes_box.setAccessibleName("Your note")
        notes_layout = QVBoxLayout(notes_box)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("Note text")
        self.note_edit.setPlaceholderText("Write a note on this record (kept in notes.sqlite, never overwritten by a sync).")
        self.note_edit.setMaximumHeight(140)
        self.note_edit.textChanged.connect(self._update_note_buttons)
        row = QHBoxLayout()
        self.save_button = QPushButton("Save note")
        self.save_button.setAccessibleName("Save note")
        self.save_button.clicked.connect(self.save_note)
        self.note_status = plain.label("", name="Note status")
        row.addWidget(self.save_button)
        row.addWidget(self.note_status, 1)
        notes_layout.addWidget(self.note_edit)
        notes_layout.addLayout(row)
        self.notes_box = notes_box
        self._layout.addWidget(notes_box)
        self._layout.addStretch(1)
        QShortcut(QKeySequence.StandardKey.Save, self.note_edit, activated=self.save_note)
        self._set_empty()

    # -- public --------------------------------------------------------------------------------
    def current(self) -> RecordRef | None:
        return self._ref

    def show_record(self, kind: str, record_id: str) -> bool:
        """Show a record (saving any pending note edit first). False if neither it nor a note exists."""
        self._save_pending()
        with self.home.store() as store:
            record = store.record(kind, record_id)
            sources = store.sources_of(kind, record_id) if record else []
            related = [(r, store.find_record(r)) for r in (record or {}).get("related") or []]
            citing, n_citing = store.citing(record_id, limit=MAX_CITING) if kind == "source" and record else ([], 0)
        with self.home.notes() as notes:
            note = notes.get(kind, record_id)
        if record is None and note is None:
            self._set_empty(f"No {KIND_LABELS.get(kind, kind)} with id {record_id} in the data.")
            return False
        self._ref = RecordRef(kind, record_id)
        self._citation = cite.record_citation(kind, record, sources) if record else ""
        self.cite_button.setEnabled(bool(self._citation))
        self.heading.setText(title_of(kind, record) if record else record_id)
        self.kind_label.setText(KIND_LABELS.get(kind, kind))
        self._show_withdrawn(record)
        self._fill_fields(record or {"id": record_id})
        self._fill_related(related, citing, n_citing)
        self._fill_sources(sources)
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(note or "")
        self.note_edit.blockSignals(False)
        self._saved_text = note or ""
        self.notes_box.setEnabled(True)
        self.note_status.setText("")
        self._update_note_buttons()
        return True

    def clear(self) -> None:
        self._save_pending()
        self._set_empty()

    def copy_citation(self) -> str:
        """The shown record as a citation (plain text, CRS-like) on the clipboard; '' if none is shown."""
        return copy_citation(self._citation) if self._citation else ""

    def save_note(self) -> None:
        """Write the editor's text as the current record's note (empty deletes it)."""
        if self._ref is None:
            return
        text = self.note_edit.toPlainText()
        with self.home.notes() as notes:
            notes.set(self._ref.kind, self._ref.id, text)
        self._saved_text = text if text.strip() else ""
        self.note_status.setText("Note saved." if text.strip() else "Note deleted.")
        self._update_note_buttons()
        self.note_saved.emit(self._ref.kind, self._ref.id)

    # -- internals -------------------------------------------------------------------------------
    def _save_pending(self) -> None:
        if self._ref is not None and self.note_edit.toPlainText() != self._saved_text:
            self.save_note()

    def _update_note_buttons(self) -> None:
        dirty = self.note_edit.toPlainText() != self._saved_text
        self.save_button.setEnabled(self._ref is not None and dirty)

    def _set_empty(self, message: str = "Select a record to see its details.") -> None:
        self._ref = None
        self._citation = ""
        self.cite_button.setEnabled(False)
        self.heading.setText(message)
        self.kind_label.setText("")
        self.withdrawn_label.hide()
        self._fill_fields({})
        self._fill_related([], [])
        self._fill_sources([])
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.blockSignals(False)
        self._saved_text = ""
        self.notes_box.setEnabled(False)
        self._update_note_buttons()

    def _show_withdrawn(self, record: dict[str, Any] | None) -> None:
        if record is None:
            self.withdrawn_label.setText("Withdrawn: this record is no longer in the data. Your note is kept.")
        elif is_withdrawn(record):
            self.withdrawn_label.setText("Withdrawn: this record's status is withdrawn.")
        self.withdrawn_label.setVisible(is_withdrawn(record))

    def _fill_fields(self, record: dict[str, Any]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        for field, value in record.items():
            if field in _SKIP_FIELDS:
                continue
            name = field_label(field)
            text = numbers.display(value) if value not in (None, "", [], {}) else "—"
            self.form.addRow(plain.label(name, name=f"{name} label"),
                             plain.label(text, name=name, wrap=True, selectable=True))

    def _clear_layout(self, layout: QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def _fill_related(
        self, related: list[tuple[str, tuple[str, str] | None]], citing: list[tuple[str, str, str]], n_citing: int = 0
    ) -> None:
        self._clear_layout(self.related_layout)
        entries: list[tuple[str | None, str, str]] = []
        for rid, found in related:
            entries.append((found[0], rid, found[1]) if found else (None, rid, rid))
        entries += [(k, rid, f"{KIND_LABELS.get(k, k)}: {title}") for k, rid, title in citing]
        self.related_box.setTitle("Cited by" if citing and not related else "Related records")
        for kind, rid, title in entries:
            button = QPushButton(plain.button_text(title))
            button.setFlat(True)
            button.setAccessibleName(f"Open related record {title}")
            button.setToolTip(plain.tooltip(f"{kind or 'record'} {rid}"))
            button.setEnabled(kind is not None)
            button.clicked.connect(lambda _=False, k=kind, r=rid: self._open_record(k, r))
            self.related_layout.addWidget(button)
        if n_citing > len(citing):
            self.related_layout.addWidget(plain.label(
                f"+{n_citing - len(citing):,} more records cite this source (see its records in their views)",
                name="More citing records",
            ))
        self.related_box.setVisible(bool(entries))

    def _fill_sources(self, sources: list[dict[str, Any]]) -> None:
        self._clear_layout(self.sources_layout)
        self.link_status.setText("")
        for src in sources:
            button = QPushButton(plain.button_text(src.get("title") or src["id"]))
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(f"Open source {src.get('title') or src['id']}")
            url = src.get("url") or ""
            button.setToolTip(plain.tooltip(url))
            button.setStyleSheet("text-align: left; color: palette(link); text-decoration: underline;")
            button.clicked.connect(lambda _=False, url=url: self._open_url(url))
            grade = src.get("grade") or ("primary" if src.get("reliability") == "primary" else "weak")
            read = f"read {src['retrieved_on']}" if src.get("retrieved_on") else "date read not recorded"
            meta = ", ".join(
                x for x in (src.get("publisher"), src.get("published_on") or "undated", f"{grade} source", read,
                            f"licence: {src['license']}" if src.get("license") else None) if x
            )
            self.sources_layout.addWidget(button)
            self.sources_layout.addWidget(plain.label(meta, name="Source details", wrap=True))
        self.sources_box.setVisible(bool(sources))

    def _open_url(self, url: str) -> None:
        if not plain.open_https(url):
            self.link_status.setText(f"Not opened: only https addresses are opened ({url[:200]}).")

    def _open_record(self, kind: str | None, record_id: str) -> None:
        if kind:
            self.record_requested.emit(kind, record_id)
