"""Sources: every source with publisher, dates, grade (primary, reputable, weak) and licence, and the
records citing it.

Selecting a source shows it in the detail pane with its "Cited by" list (click to open a record);
"Open in browser" opens the address through `plain.open_https`, so only https addresses ever open.
GUI thread only; the queries are small (a few hundred rows).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMenu, QPushButton, QSplitter, QVBoxLayout, QWidget

from briefing.core.home import Home
from briefing.ui import plain
from briefing.ui.detail import DetailPane
from briefing.ui.export import ExportButtons
from briefing.ui.flow import FlowLayout
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index, select_record
from briefing.ui.views import View

COLUMNS = [
    ("title", "Title"),
    ("publisher", "Publisher"),
    ("published_on", "Published"),
    ("retrieved_on", "Read on"),
    ("grade", "Grade"),
    ("license", "Licence"),
    ("cited_by", "Cited by"),
    ("url", "Address"),
]


class SourcesView(View):
    """`SourcesView(home, parent=None)`, `refresh()`, `show_record("source", id)`."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName("Sources view")
        layout = QVBoxLayout(self)
        bar = FlowLayout()
        self.filter_edit = QLineEdit()
        self.filter_edit.setAccessibleName("Filter sources")
        self.filter_edit.setPlaceholderText("Filter by title, publisher, licence or address…")
        self.filter_edit.setClearButtonEnabled(True)
        self.open_button = QPushButton("Open in browser")
        self.open_button.setAccessibleName("Open selected source in browser")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        self.copy_button = QPushButton("Copy address")
        self.copy_button.setAccessibleName("Copy the selected source's address")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(lambda _=False: self.copy_selected())
        self.count_label = plain.label("", name="Number of sources")
        self.filter_edit.setMinimumWidth(320)
        bar.addWidget(self.filter_edit)
        bar.addWidget(self.count_label)
        bar.addWidget(self.open_button)
        bar.addWidget(self.copy_button)
        layout.addLayout(bar)
        self.message = plain.label("", name="Sources message", wrap=True)
        layout.addWidget(self.message)

        self.model = RecordTableModel(kind="source", columns=COLUMNS, parent=self)
        self.table = make_table_view(self.model, name="Sources table")
        self.proxy = self.table.model()
        self.exports = ExportButtons(home, table=self.table, table_kind="sources", what="sources")
        self.exports.task_started.connect(self.task_started)
        bar.addWidget(self.exports)
        for column, width in ((1, 200), (2, 110), (3, 65), (4, 80), (5, 90), (6, 60)):
            self.table.setColumnWidth(column, width)
        self.filter_edit.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.detail = DetailPane(home, self)
        self.detail.note_saved.connect(lambda *_: self._refresh_notes())
        self.detail.record_requested.connect(self.record_requested)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setAccessibleName("Sources table and details")
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        """Reload every source and its citation count, keeping the selection."""
        current = self.detail.current()
        with self.home.store() as store:
            counts = store.citation_counts()
            rows = [{**src, "cited_by": counts.get(src["id"], 0)} for src in store.records("source")]
        self.model.set_rows(rows)
        self._refresh_notes()
        self._update_count()
        if current is not None and current.kind == "source":
            self.show_record("source", current.id)

    def _refresh_notes(self) -> None:
        with self.home.notes() as notes:
            self.model.set_note_keys(notes.keys())

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total} sources" if shown != total else f"{total} sources")

    def _on_current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        ref = ref_at_view_index(self.table, index)
        self.open_button.setEnabled(ref is not None)
        self.copy_button.setEnabled(ref is not None)
        if ref is not None:
            self.detail.show_record(ref.kind, ref.id)

    def selected_url(self) -> str | None:
        ref = self.detail.current()
        if ref is None:
            return None
        row = self.model.row_of(ref.kind, ref.id)
        return self.model.row(row).get("url") if row >= 0 else None

    def open_selected(self) -> bool:
        """Open the selected source's address in the system browser: https only."""
        url = self.selected_url()
        if not url:
            return False
        result = plain.open_https(url)
        if result == plain.NO_BROWSER:
            QGuiApplication.clipboard().setText(url)
            self.message.setText("No web browser could be started: the address is copied, paste it into a browser.")
        elif result == plain.NOT_HTTPS:
            self.message.setText(f"Not opened (not an https address): {url[:200]}")
        else:
            self.message.setText("")
        return result == plain.OPENED

    def copy_selected(self) -> str:
        """Copy the selected source's address to the clipboard; returns it ('' if none)."""
        url = self.selected_url() or ""
        if url:
            QGuiApplication.clipboard().setText(url)
            self.message.setText("Address copied.")
        return url

    def view_state(self) -> dict:
        state = super().view_state()
        state["text"] = self.filter_edit.text().strip() or None
        return state

    def apply_view_state(self, state: dict[str, list[str]]) -> list[str]:
        self.filter_edit.setText((state.get("text") or [""])[0])
        return super().apply_view_state({k: v for k, v in state.items() if k != "text"})

    def _table_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        ref = ref_at_view_index(self.table, index)
        if ref is None:
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setAccessibleName("Source actions")
        menu.addAction("Open in browser", self.open_selected)
        menu.addAction("Copy address", self.copy_selected)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))
        self.table_menu = menu

    def show_record(self, kind: str, record_id: str) -> None:
        if kind != "source":
            self.detail.show_record(kind, record_id)
            return
        if not select_record(self.table, kind, record_id):
            self.filter_edit.clear()
            select_record(self.table, kind, record_id)
        self.detail.show_record(kind, record_id)
