"""A read-only table over a list of dicts, shared by every view.

    model = RecordTableModel(
        kind="model",                                   # or None when rows carry a "kind" key
        columns=[("name", "Name"), ("released_on", "Released"), ("parameters", "Parameters")],
    )
    model.set_rows(store.records("model"))
    model.set_note_keys(notes.keys())                   # {(kind, id)}: marks the Note column
    view = make_table_view(model, name="Models table")  # sortable through a QSortFilterProxyModel
    model.ref_at(view.model().mapToSource(index))       # -> RecordRef(kind, id)

Give the model a parent (the view widget that owns the table); `make_table_view` parents a
parentless model to the QTableView, because a parentless Qt object collected later by Python's
cycle collector can crash. Column 0 is the note marker (✎ when the user has a note on that record). Display text is plain
(item views never render markup), elided past `CELL_LIMIT` characters, newlines flattened; the
full text is in the tooltip (escaped). Sorting uses the raw value (`SORT_ROLE`), so numbers and
ISO dates sort correctly. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from briefing.core import numbers
from briefing.core.records import RecordRef
from briefing.core.text import elide
from briefing.ui.plain import tooltip

CELL_LIMIT = 80
NOTE_MARK = "\u270e"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REF_ROLE = Qt.ItemDataRole.UserRole + 2

Formatter = Callable[[Any], str]


def _sort_key(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return numbers.display(value).casefold()


class RecordTableModel(QAbstractTableModel):
    """Rows are dicts with at least "id" (and "kind" if `kind` is None); columns pick keys."""

    def __init__(
        self,
        *,
        kind: str | None,
        columns: Sequence[tuple[str, str]],
        formatters: dict[str, Formatter] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.columns = list(columns)
        self.formatters = formatters or {}
        self._rows: list[dict[str, Any]] = []
        self._notes: set[tuple[str, str]] = set()

    # -- data in ------------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_note_keys(self, keys: Iterable[tuple[str, str]]) -> None:
        self._notes = set(keys)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # -- data out -----------------------------------------------------------------------------
    def row(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def ref_at(self, index: QModelIndex | int) -> RecordRef:
        """The record behind a source-model index (or row number)."""
        row = index if isinstance(index, int) else index.row()
        rec = self._rows[row]
        return RecordRef(self.kind or rec["kind"], rec["id"])

    def row_of(self, kind: str, record_id: str) -> int:
        """The row of a record, or -1."""
        for i, rec in enumerate(self._rows):
            if rec.get("id") == record_id and (self.kind or rec.get("kind")) == kind:
                return i
        return -1

    def has_note(self, row: int) -> bool:
        ref = self.ref_at(row)
        return (ref.kind, ref.id) in self._notes

    # -- Qt -------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802 - Qt override
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return NOTE_MARK if section == 0 else self.columns[section - 1][1]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) and section == 0:
            return "Has a note"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rec, col = self._rows[index.row()], index.column()
        if role == REF_ROLE:
            return self.ref_at(index.row())
        if col == 0:
            noted = self.has_note(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return NOTE_MARK if noted else ""
            if role == SORT_ROLE:
                return 0 if noted else 1
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return "Has a note" if noted else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        key = self.columns[col - 1][0]
        value = rec.get(key)
        if role == SORT_ROLE:  # a formatted column (a code shown by name) sorts by what it shows
            return (
                self.formatters[key](value).casefold()
                if key in self.formatters and value is not None
                else _sort_key(value)
            )
        text = self.formatters[key](value) if key in self.formatters else numbers.display(value)
        if role == Qt.ItemDataRole.DisplayRole:
            return elide(" ".join(text.split()), CELL_LIMIT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(text) if len(text) > CELL_LIMIT or "\n" in text else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return text
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def make_proxy(model: RecordTableModel) -> QSortFilterProxyModel:
    """A sort/filter proxy sorting on raw values; text filter matches any column, any case."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def make_table_view(model: RecordTableModel, *, name: str, parent: QWidget | None = None) -> QTableView:
    """A sortable, row-selecting, read-only QTableView over `model` through a proxy."""
    view = QTableView(parent)
    if model.parent() is None:
        # Qt must own the model: a parentless model freed later by Python's cycle collector,
        # after its view is gone, crashes shiboken (seen as a segfault in gc.collect()).
        model.setParent(view)
    view.setModel(make_proxy(model))
    view.setAccessibleName(name)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab moves to the next pane; arrows move between rows
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)  # compact rows
    header = view.horizontalHeader()
    header.setAccessibleName(f"{name} columns")
    view.verticalHeader().setAccessibleName(f"{name} rows")
    # The note column holds one mark or nothing, never wider than its header (the same mark):
    # a fixed width from the header alone. Sized to contents, Qt measured up to 1,000 rows' cells
    # (every role of each, through Python) each time the table was shown: ~40 ms a view switch.
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(0, header.sectionSizeFromContents(0).width())
    header.setStretchLastSection(True)
    header.setSortIndicatorShown(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the model's order until a click
    return view


def ref_at_view_index(view: QTableView, index: QModelIndex) -> RecordRef | None:
    """The record behind an index of a view made by `make_table_view`."""
    if not index.isValid():
        return None
    return view.model().data(index, REF_ROLE)


def select_record(view: QTableView, kind: str, record_id: str) -> bool:
    """Select and scroll to a record's row in a view made by `make_table_view`."""
    proxy = view.model()
    source: RecordTableModel = proxy.sourceModel()
    row = source.row_of(kind, record_id)
    if row < 0:
        return False
    index = proxy.mapFromSource(source.index(row, 1))
    if not index.isValid():  # filtered out
        return False
    view.selectRow(index.row())
    view.scrollTo(index)
    return True


def shown_ids(table: QTableView) -> list[str]:
    """Record ids of the rows a table made by `make_table_view` shows: after its filters, in its order."""
    proxy = table.model()
    ids = []
    for row in range(proxy.rowCount()):
        ref = ref_at_view_index(table, proxy.index(row, 1))
        if ref is not None:
            ids.append(ref.id)
    return ids
