"""The shared detail pane: every field of one record, its sources, and the user's note on it.

For the views (adoption, investment, policy, sources, overview)::

    self.detail = DetailPane(home, parent=self)       # constructed once per view
    self.detail.show_record("model", "deepseek-r1")   # on selection; returns False if not found
    self.detail.note_saved.connect(self._refresh_note_marks)   # (kind, id) after a save

Contract:
* Everything is plain text (labels are Qt.PlainText, tooltips escaped); nothing from a record is
  ever rendered as markup. Source addresses open only through `plain.open_https` (https only);
  each can be copied (button, context menu, Ctrl+C on the list); when no browser can be started the
  pane says so and copies the address instead.
* Layout: the heading, then the fields (which scroll), then the sources and the note, which stay
  in view whatever the fields' length (a staffer never scrolls to reach them).
* Codes are shown by name: a country or jurisdiction as 'China (CN)', an organization by its name.
* `set_filtered_out(True)` marks a record the view's filters hide (with a "Clear filters" button
  that emits `clear_filters_requested`); `show_summary(...)` shows a chart point that is not one
  record (a reading's sum for a group) with its value, method and sources, and no note.
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

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from briefing.core import cite, names, numbers
from briefing.core.home import Home
from briefing.core.records import RecordRef, title_of
from briefing.ui import plain
from briefing.ui.export import copy_citation

KIND_LABELS = {
    "source": "Source",
    "organization": "Organization",
    "model": "Model",
    "adoption": "Adoption observation",
    "investment": "Investment",
    "policy_action": "Policy action",
    "consideration": "Consideration",
}
_SKIP_FIELDS = {"sources", "related"}
#: Citing records listed as buttons; a dataset source is cited by tens of thousands of rows.
MAX_CITING = 100
#: Fields holding a country or jurisdiction code, and those holding an organization id.
COUNTRY_FIELDS = {"country", "jurisdiction"}
ORG_FIELDS = {"organization", "developer"}
#: Source rows visible before the list scrolls; the note editor's height in lines.
SOURCE_ROWS = 3
NOTE_LINES = 3
URL_ROLE = Qt.ItemDataRole.UserRole + 1


def field_label(field: str) -> str:
    return {
        "stance_on_open_models": "Stance on open models",
        "usd_basis": "USD basis",
        "amount_usd": "Amount (USD)",
        "hf_repos": "HF repos",
        "hf_namespaces": "HF namespaces",
        "id": "ID",
    }.get(field, field.replace("_", " ").capitalize())


def field_text(field: str, value: Any, org_names: dict[str, str]) -> str:
    """A field's value as the pane shows it: names for codes, '—' for nothing."""
    if value in (None, "", [], {}):
        return "\u2014"
    if field in COUNTRY_FIELDS and isinstance(value, str):
        return names.country_with_code(value)
    if field in ORG_FIELDS and isinstance(value, str):
        name = names.organization(value, org_names)
        return name if name == value else f"{name} ({value})"
    return numbers.display(value)


def is_withdrawn(record: dict[str, Any] | None) -> bool:
    """True for a record gone from the data, or one whose status/stage says withdrawn."""
    return record is None or record.get("status") == "withdrawn" or record.get("stage") == "withdrawn"


def source_line(src: dict[str, Any]) -> str:
    """'Title' then 'Publisher · date · grade · day read · licence' (plain text, two lines)."""
    grade = src.get("grade") or ("primary" if src.get("reliability") == "primary" else "weak")
    read = f"read {src['retrieved_on']}" if src.get("retrieved_on") else "date read not recorded"
    meta = " \u00b7 ".join(
        x
        for x in (
            src.get("publisher"),
            src.get("published_on") or "undated",
            f"{grade} source",
            read,
            f"licence: {src['license']}" if src.get("license") else None,
        )
        if x
    )
    return f"{src.get('title') or src['id']}\n{meta}"


def _value_label(text: str, name: str) -> QWidget:
    """A field's value: wraps to the pane's width (a long id may be cut at the edge; it is selectable)."""
    label = plain.label(text, name=name, wrap=True, selectable=True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(60)
    return label


class DetailPane(QWidget):
    """Shows one record; see the module docstring for the contract."""

    note_saved = Signal(str, str)
    """(kind, id) after the note of a record was saved or deleted; GUI thread."""
    record_requested = Signal(str, str)
    """(kind, id) of a related or citing record the user clicked; GUI thread."""
    clear_filters_requested = Signal()
    """The user asked to show a record the view's filters hide."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self._ref: RecordRef | None = None
        self._saved_text = ""
        self.setAccessibleName("Record details")
        self.setMinimumWidth(280)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 0, 0)
        self.heading = plain.label(
            "Select a record to see its details.", name="Record title", wrap=True, selectable=True
        )
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.kind_label = plain.label("", name="Record kind")
        self.withdrawn_label = plain.label("", name="Withdrawn mark", wrap=True)
        self.withdrawn_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.withdrawn_label.hide()
        self.hidden_box = QFrame()
        self.hidden_box.setObjectName("hiddenMark")
        self.hidden_box.setAccessibleName("Hidden by the filters")
        self.hidden_box.setStyleSheet("#hiddenMark { border: 1px solid #b54708; border-radius: 3px; }")
        hidden_row = QHBoxLayout(self.hidden_box)
        hidden_row.setContentsMargins(6, 2, 2, 2)
        self.hidden_label = plain.label(
            "Hidden by the current filters: not in the chart or the table.",
            name="Hidden by the filters mark",
            wrap=True,
        )
        self.show_hidden_button = QPushButton("Clear filters")
        self.show_hidden_button.setAccessibleName("Clear filters to show this record")
        self.show_hidden_button.clicked.connect(self.clear_filters_requested)
        hidden_row.addWidget(self.hidden_label, 1)
        hidden_row.addWidget(self.show_hidden_button)
        self.hidden_box.hide()
        self.cite_button = QPushButton("Copy citation")
        self.cite_button.setAccessibleName("Copy a citation of this record")
        self.cite_button.setToolTip("Copy the record's title, date and sources as a citation (plain text)")
        self.cite_button.clicked.connect(lambda _=False: self.copy_citation())
        self._citation = ""
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_label, 1)
        kind_row.addWidget(self.cite_button)
        outer.addWidget(self.heading)
        outer.addLayout(kind_row)
        for w in (self.withdrawn_label, self.hidden_box):
            outer.addWidget(w)

        # the fields (and related records) scroll; sources and the note below them never do
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Record fields area")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setMinimumHeight(60)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # values wrap instead
        outer.addWidget(scroll, 1)
        body = QWidget()
        scroll.setWidget(body)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.fields_box = QWidget()
        self.fields_box.setAccessibleName("Record fields")
        self.form = QFormLayout(self.fields_box)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.fields_box)
        self.related_box = QGroupBox("Related records")
        self.related_box.setAccessibleName("Related records")
        self.related_layout = QVBoxLayout(self.related_box)
        self._layout.addWidget(self.related_box)
        self._layout.addStretch(1)

        self.sources_box = QGroupBox("Sources")
        self.sources_box.setAccessibleName("Sources")
        sources_layout = QVBoxLayout(self.sources_box)
        sources_layout.setContentsMargins(4, 2, 4, 2)
        self.sources_list = QListWidget()
        self.sources_list.setAccessibleName("Sources of this record")
        self.sources_list.setWordWrap(True)
        self.sources_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.sources_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sources_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sources_list.customContextMenuRequested.connect(self._source_menu)
        self.sources_list.itemActivated.connect(lambda item: self.open_source(item))
        self.sources_list.currentItemChanged.connect(lambda *_: self._update_source_buttons())
        QShortcut(
            QKeySequence.StandardKey.Copy,
            self.sources_list,
            activated=self.copy_address,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        sources_layout.addWidget(self.sources_list)
        buttons = QHBoxLayout()
        self.open_source_button = QPushButton("Open")
        self.open_source_button.setAccessibleName("Open the selected source in the browser")
        self.open_source_button.clicked.connect(lambda _=False: self.open_source())
        self.copy_button = QPushButton("Copy address")
        self.copy_button.setAccessibleName("Copy the selected source's address")
        self.copy_button.clicked.connect(lambda _=False: self.copy_address())
        self.link_status = plain.label("", name="Link status", wrap=True)
        buttons.addWidget(self.open_source_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.link_status, 1)
        sources_layout.addLayout(buttons)
        outer.addWidget(self.sources_box)

        notes_box = QGroupBox("Your note")
        notes_box.setAccessibleName("Your note")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(4, 2, 4, 2)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("Note text")
        self.note_edit.setPlaceholderText(
            "Write a note on this record (kept in notes.sqlite, never overwritten by a sync)."
        )
        self.note_edit.setTabChangesFocus(True)  # Tab leaves the editor; it never types a tab
        line = self.note_edit.fontMetrics().lineSpacing()
        self.note_edit.setFixedHeight(int(line * NOTE_LINES + 14))
        self.note_edit.textChanged.connect(self._update_note_buttons)
        row = QHBoxLayout()
        self.save_button = QPushButton("Save note")
        self.save_button.setAccessibleName("Save note")
        self.save_button.setToolTip("Save the note (Ctrl+S); it is also saved when you open another record")
        self.save_button.clicked.connect(self.save_note)
        self.note_status = plain.label("", name="Note status")
        row.addWidget(self.save_button)
        row.addWidget(self.note_status, 1)
        notes_layout.addWidget(self.note_edit)
        notes_layout.addLayout(row)
        self.notes_box = notes_box
        outer.addWidget(notes_box)
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
            org_names = names.organization_names(store) if record and ORG_FIELDS & set(record) else {}
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
        self.hidden_box.hide()
        self._fill_fields(record or {"id": record_id}, org_names)
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

    def show_summary(self, title: str, kind_text: str, fields: list[tuple[str, str]], source_ids: list[str]) -> None:
        """A chart point that is not one record (a sum over a reading's repos): its fields, in order,
        and the sources of the records behind it. No note (notes belong to records)."""
        self._save_pending()
        with self.home.store() as store:
            sources = [s for s in (store.record("source", sid) for sid in sorted(set(source_ids))) if s]
        self._ref = None
        self._citation = ""
        self.cite_button.setEnabled(False)
        self.heading.setText(title)
        self.kind_label.setText(kind_text)
        self.withdrawn_label.hide()
        self.hidden_box.hide()
        while self.form.rowCount():
            self.form.removeRow(0)
        for name, text in fields:
            self.form.addRow(plain.label(name, name=f"{name} label"), _value_label(text, name))
        self._fill_related([], [])
        self._fill_sources(sources)
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.blockSignals(False)
        self._saved_text = ""
        self.notes_box.setEnabled(False)
        self.note_status.setText("Notes are kept on records: open one of the records listed to note it.")
        self._update_note_buttons()

    def set_filtered_out(self, hidden: bool) -> None:
        """Mark (or unmark) the record as hidden by the view's filters."""
        self.hidden_box.setVisible(hidden and self._ref is not None)

    def is_marked_hidden(self) -> bool:
        return not self.hidden_box.isHidden()

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

    def source_urls(self) -> list[str]:
        return [self.sources_list.item(i).data(URL_ROLE) for i in range(self.sources_list.count())]

    def open_source(self, item: QListWidgetItem | None = None) -> bool:
        """Open a source's address (https only). When no browser starts, say so and copy the address."""
        item = item or self.sources_list.currentItem()
        if item is None:
            return False
        url = str(item.data(URL_ROLE) or "")
        result = plain.open_https(url)
        if result == plain.OPENED:
            self.link_status.setText("")
            return True
        if result == plain.NO_BROWSER:
            QGuiApplication.clipboard().setText(url)
            self.link_status.setText("No web browser could be started: the address is copied, paste it into a browser.")
        else:
            self.link_status.setText(f"Not opened (not an https address): {url[:200]}")
        return False

    def copy_address(self, item: QListWidgetItem | None = None) -> str:
        """Put a source's address on the clipboard; returns it ('' if none is selected)."""
        item = item or self.sources_list.currentItem()
        if item is None:
            return ""
        url = str(item.data(URL_ROLE) or "")
        QGuiApplication.clipboard().setText(url)
        self.link_status.setText("Address copied.")
        return url

    # -- internals -------------------------------------------------------------------------------
    def _source_menu(self, pos: QPoint) -> None:
        item = self.sources_list.itemAt(pos)
        if item is None:
            return
        self.sources_list.setCurrentItem(item)
        menu = QMenu(self)
        menu.setAccessibleName("Source actions")
        menu.addAction("Open in browser", lambda: self.open_source(item))
        menu.addAction("Copy address", lambda: self.copy_address(item))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.sources_list.viewport().mapToGlobal(pos))
        self.source_menu = menu  # tests reach it

    def _update_source_buttons(self) -> None:
        has = self.sources_list.currentItem() is not None
        self.open_source_button.setEnabled(has)
        self.copy_button.setEnabled(has)

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
        self.hidden_box.hide()
        self._fill_fields({}, {})
        self._fill_related([], [])
        self._fill_sources([])
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.blockSignals(False)
        self._saved_text = ""
        self.notes_box.setEnabled(False)
        self.note_status.setText("")
        self._update_note_buttons()

    def _show_withdrawn(self, record: dict[str, Any] | None) -> None:
        if record is None:
            self.withdrawn_label.setText("Withdrawn: this record is no longer in the data. Your note is kept.")
        elif is_withdrawn(record):
            self.withdrawn_label.setText("Withdrawn: this record's status is withdrawn.")
        self.withdrawn_label.setVisible(is_withdrawn(record))

    def _fill_fields(self, record: dict[str, Any], org_names: dict[str, str]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        for field, value in record.items():
            if field in _SKIP_FIELDS:
                continue
            name = field_label(field)
            self.form.addRow(
                plain.label(name, name=f"{name} label"), _value_label(field_text(field, value, org_names), name)
            )

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
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _=False, k=kind, r=rid: self._open_record(k, r))
            self.related_layout.addWidget(button)
        if n_citing > len(citing):
            self.related_layout.addWidget(
                plain.label(
                    f"+{n_citing - len(citing):,} more records cite this source (see its records in their views)",
                    name="More citing records",
                )
            )
        self.related_box.setVisible(bool(entries))

    def _fill_sources(self, sources: list[dict[str, Any]]) -> None:
        self.sources_list.clear()
        self.link_status.setText("")
        for src in sources:
            item = QListWidgetItem(source_line(src))  # item text is plain, never markup
            url = src.get("url") or ""
            item.setData(URL_ROLE, url)
            item.setToolTip(plain.tooltip(url))
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"{src.get('title') or src['id']}, {src.get('publisher', '')}"
            )
            self.sources_list.addItem(item)
        self.sources_box.setTitle(f"Sources ({len(sources)})" if sources else "Sources")
        if sources:
            self.sources_list.setCurrentRow(0)
        # tall enough for SOURCE_ROWS sources (two lines each); more scroll inside the list
        row_h = self.sources_list.sizeHintForRow(0) if sources else self.fontMetrics().lineSpacing() * 2 + 6
        self.sources_list.setFixedHeight(int(min(max(len(sources), 1), SOURCE_ROWS) * max(row_h, 1) + 6))
        self.sources_box.setVisible(bool(sources))
        self._update_source_buttons()

    def _open_record(self, kind: str | None, record_id: str) -> None:
        if kind:
            self.record_requested.emit(kind, record_id)
