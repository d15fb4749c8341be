"""Small widgets shared by the chart views (adoption, investment, policy): choice filters, date
range edits and a loader that runs a view's data query through `tasks.run_task`.

GUI thread only. Combo items are plain text (Qt never renders item text as markup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from briefing.ui import plain
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
        if self._current() and type(exc).__name__ != "TaskCancelled":
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _finished(self) -> None:
        if self.task is self.sender():
            self.task = None
