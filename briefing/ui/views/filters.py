"""Small widgets shared by the views (adoption, investment, policy, sources): choice filters, date
range edits, the "Export chart…/Export table…" buttons and a loader that runs a view's data query
through `tasks.run_task`.

GUI thread only. Combo items are plain text (Qt never renders item text as markup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QTableView, QWidget

from briefing.core.errors import Cancelled
from briefing.core.home import Home
from briefing.ui import export_dialog, plain
from briefing.ui.table_model import ref_at_view_index
from briefing.ui.tasks import Task, run_task

ANY = "All"


class ChoiceFilter(QComboBox):
    """'All' or one value; `selected()` is None for all, else a one-element set (what frames' filters take)."""

    def __init__(self, name: str, parent: QWidget | None = None, *, labels: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.labels = labels or {}
        self.setAccessibleName(f"{name} filter")
        self.setToolTip(f"Show only one {name.lower()}")
        self.set_choices([])

    def set_choices(self, values: Iterable[Any]) -> None:
        """Replace the choices, keeping the current one when it still exists."""
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(ANY, None)
        for value in sorted({str(v) for v in values if v is not None and not pd.isna(v)}):
            self.addItem(self.labels.get(value, value.replace("_", " ")), value)
        index = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def selected(self) -> set[str] | None:
        value = self.currentData()
        return None if value is None else {value}

    def choose(self, value: str | None) -> bool:
        """Select a value (None = All); False when it is not a choice."""
        index = 0 if value is None else self.findData(value)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True


def labelled(text: str, widget: QWidget) -> QWidget:
    """A caption and a control side by side (the caption is the control's buddy)."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    caption: QLabel = plain.label(text)
    caption.setBuddy(widget)
    row.addWidget(caption)
    row.addWidget(widget)
    return box


def shown_ids(table: QTableView) -> list[str]:
    """Record ids of the rows a table made by `make_table_view` shows: after its filters, in its order."""
    proxy = table.model()
    ids = []
    for row in range(proxy.rowCount()):
        ref = ref_at_view_index(table, proxy.index(row, 1))
        if ref is not None:
            ids.append(ref.id)
    return ids


class ExportButtons(QWidget):
    """'Export chart…' (when given a chart) and 'Export table…' for one view: the chart as shown
    (zoom, hidden series and caption kept) and the table's rows as shown (filters, order).

    `table_kind` is a `briefing.core.tables` kind ("models", "investments", ...). Each export's task
    goes out through `task_started(task, label, error title)` (the view passes it on to the window's
    status bar). The last table export's task is kept in `last_task` (tests wait on it).
    """

    task_started = Signal(object, str, str)

    def __init__(self, home: Home, *, table: QTableView, table_kind: str, chart: Any = None,
                 what: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.table = table
        self.table_kind = table_kind
        self.chart = chart
        self.last_task: Task | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        what = what or table_kind
        self.chart_button: QPushButton | None = None
        if chart is not None:
            self.chart_button = QPushButton("Export chart…")
            self.chart_button.setAccessibleName(f"Export the {what} chart")
            self.chart_button.setToolTip("Save the chart as shown, with its source line, as PNG or SVG")
            self.chart_button.clicked.connect(lambda _=False: self.export_chart())
            row.addWidget(self.chart_button)
        self.table_button = QPushButton("Export table…")
        self.table_button.setAccessibleName(f"Export the {what} table")
        self.table_button.setToolTip("Save the rows shown (after filters, in table order) as CSV, Excel or JSON")
        self.table_button.clicked.connect(lambda _=False: self.export_table())
        row.addWidget(self.table_button)

    def export_chart(self) -> Task | None:
        return export_dialog.export_chart_dialog(self, self.chart, track=self.task_started.emit)

    def export_table(self) -> Task | None:
        self.last_task = export_dialog.export_table_dialog(
            self, self.home, self.table_kind, shown_ids(self.table), track=self.task_started.emit,
        )
        return self.last_task


class DateRange(QWidget):
    """Two date edits (from, to) bounded by the data's dates; `changed` when either moves."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.start = QDateEdit(calendarPopup=True)
        self.end = QDateEdit(calendarPopup=True)
        for edit, name in ((self.start, "From date"), (self.end, "To date")):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self.changed)
        row.addWidget(labelled("From", self.start))
        row.addWidget(labelled("to", self.end))

    def set_bounds(self, lo: pd.Timestamp | None, hi: pd.Timestamp | None) -> None:
        """Allow and select the whole span of the data (no signal)."""
        if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
            return
        qlo, qhi = QDate(lo.year, lo.month, lo.day), QDate(hi.year, hi.month, hi.day)
        for edit in (self.start, self.end):
            edit.blockSignals(True)
            edit.setDateRange(qlo, qhi)
        self.start.setDate(qlo)
        self.end.setDate(qhi)
        for edit in (self.start, self.end):
            edit.blockSignals(False)

    def set_range(self, start: pd.Timestamp, end: pd.Timestamp) -> None:
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))

    def values(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        s, e = self.start.date(), self.end.date()
        return pd.Timestamp(s.year(), s.month(), s.day()), pd.Timestamp(e.year(), e.month(), e.day())


class Loader(QObject):
    """Runs `fn(*args)` on the task runner; emits `loaded(result)` for the latest call only,
    `failed(message)` on error. Older results that arrive late are dropped."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self.task: Task | None = None

    def start(self, fn: Callable[..., Any], *args: Any, name: str = "") -> Task:
        self._generation += 1
        generation = self._generation
        if self.task is not None and not self.task.is_finished():
            self.task.cancel()
        task = run_task(fn, *args, task_name=name)
        task.setProperty("generation", generation)
        # bound methods, not lambdas, and no reference kept once finished: a Task and a closure over
        # this (possibly already deleted) QObject in one garbage cycle crashes PySide's collector
        task.done.connect(self._done)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self.task = task
        return task

    def busy(self) -> bool:
        return self.task is not None and not self.task.is_finished()

    def _current(self) -> bool:
        task = self.sender()
        return task is not None and task.property("generation") == self._generation

    def _done(self, result: object) -> None:
        if self._current():
            self.loaded.emit(result)

    def _failed(self, exc: object) -> None:
        if self._current() and not isinstance(exc, Cancelled):
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _finished(self) -> None:
        if self.task is self.sender():
            self.task = None
