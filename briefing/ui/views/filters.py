"""Small widgets shared by the views: choice filters, date range edits, a caption beside a control.

GUI thread only. Combo items are plain text (Qt never renders item text as markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from briefing.ui import plain

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

    def values(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        s, e = self.start.date(), self.end.date()
        return pd.Timestamp(s.year(), s.month(), s.day()), pd.Timestamp(e.year(), e.month(), e.day())

