"""Small widgets shared by the views: multi-select filters (with country groups), date range edits,
a caption beside a control.

GUI thread only. Menu entries are plain text (Qt never renders an action's text as markup; `&` is
doubled so a value is never a mnemonic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from briefing.core import names
from briefing.ui import plain

if TYPE_CHECKING:
    import pandas as pd

ANY = "All"
MAX_FILTER_WIDTH = 170


def _missing(value: object) -> bool:
    """NaN, NaT or pandas' NA (each unequal to itself, or pandas' NA whose comparison is NA)."""
    try:
        return bool(value != value)  # NaN and NaT are the values unequal to themselves
    except TypeError:  # pandas.NA: its comparison is NA, whose truth is ambiguous
        return True


class _StayOpenMenu(QMenu):
    """A menu whose checkable entries toggle without closing it (a multi-select list)."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        action = self.activeAction()
        if (
            event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and action is not None
            and action.isCheckable()
            and action.isEnabled()
        ):
            action.trigger()
            return
        super().keyPressEvent(event)


class ChoiceFilter(QToolButton):
    """A multi-select filter: a button naming what is chosen ('All', 'China, Japan', 'EU-27', '5 of
    12') that opens a list of checkable values (and, for countries, checkable groups that tick
    their members). Nothing ticked means all. `selected()` is None for all, else the set of ticked
    values (what frames' filters take); `changed` after every toggle. GUI thread only."""

    changed = Signal()

    def __init__(
        self,
        name: str,
        parent: QWidget | None = None,
        *,
        labels: dict[str, str] | None = None,
        label_of: Callable[[str], str] | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        #: the key of this filter in a view link
        self.key = key or name.lower().replace(" ", "_")
        self.labels = labels or {}
        self.label_of = label_of
        self.groups: list[names.CountryGroup] = []
        self.offers_groups = False
        self.setAccessibleName(f"{name} filter")
        self.setToolTip(f"Show only some {name.lower()} values (several may be ticked)")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.menu_ = _StayOpenMenu(self)
        self.menu_.setAccessibleName(f"{name} choices")
        self.clicked.connect(self.open_menu)
        self._values: list[str] = []
        self._actions: dict[str, QAction] = {}
        self._group_actions: dict[str, QAction] = {}
        self._rebuild(set())

    # -- choices -----------------------------------------------------------------------------------
    def label(self, value: str) -> str:
        if value in self.labels:
            return self.labels[value]
        if self.label_of is not None:
            return self.label_of(value)
        return names.code_words(value)

    def set_choices(self, values: Iterable[Any]) -> None:
        """Replace the choices (sorted by label), keeping the ticked ones that still exist (no signal)."""
        kept = set(self._ticked())
        self._values = sorted(
            {str(v) for v in values if v is not None and not _missing(v)}, key=lambda v: self.label(v).casefold()
        )
        self._rebuild(kept & set(self._values))

    def set_groups(self, groups: Iterable[names.CountryGroup]) -> None:
        """Offer country groups above the values: ticking one ticks its members among the choices."""
        self.groups = list(groups)
        self.offers_groups = True
        self._rebuild(set(self._ticked()))

    def choices(self) -> list[str]:
        return list(self._values)

    def find_label(self, text: str) -> str | None:
        """The value whose label is `text`, or None."""
        return next((v for v in self._values if self.label(v) == text), None)

    # -- state ---------------------------------------------------------------------------------------
    def selected(self) -> set[str] | None:
        ticked = self._ticked()
        return set(ticked) if ticked else None

    def is_active(self) -> bool:
        return bool(self._ticked())

    def choose(self, value: str | Iterable[str] | None) -> bool:
        """Tick exactly these values (a str is one value, None = all); emits `changed`. False (and no
        change) when a value is not a choice."""
        wanted = set() if value is None else {value} if isinstance(value, str) else set(value)
        if not wanted <= set(self._values):
            return False
        self._set_ticked(wanted)
        self.changed.emit()
        return True

    def choose_group(self, name: str) -> bool:
        group = names.group_named(name, self.groups)
        if group is None:
            return False
        self._set_ticked(group.members & set(self._values))
        self.changed.emit()
        return True

    def action_for(self, value: str) -> QAction | None:
        """The menu entry of a value (tests click it), or of a group by its name."""
        return self._actions.get(value) or self._group_actions.get(value)

    def open_menu(self) -> None:
        """Show the list under the button (not modal: the window keeps running)."""
        self.menu_.popup(self.mapToGlobal(QPoint(0, self.height())))

    # -- internals -----------------------------------------------------------------------------------
    def _ticked(self) -> list[str]:
        return [v for v in self._values if self._actions.get(v) is not None and self._actions[v].isChecked()]

    def _set_ticked(self, values: set[str]) -> None:
        for v, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(v in values)
            action.blockSignals(False)
        self._update()

    def _rebuild(self, ticked: set[str]) -> None:
        menu = self.menu_
        menu.clear()
        self._actions = {}
        self._group_actions = {}
        all_action = menu.addAction("All (clear this filter)")
        all_action.triggered.connect(lambda _=False: self.choose(None))
        present = set(self._values)
        shown_groups = [g for g in self.groups if g.members & present]
        if shown_groups:
            menu.addSection("Groups")
            for g in shown_groups:
                action = menu.addAction(plain.button_text(g.label()))
                action.setCheckable(True)
                action.setToolTip(g.description)
                action.triggered.connect(lambda on, g=g: self._toggle_group(g, on))
                self._group_actions[g.name] = action
            menu.addSection(self.name)
        elif self._values:
            menu.addSeparator()
        for v in self._values:
            action = menu.addAction(plain.button_text(self.label(v)))
            action.setCheckable(True)
            action.setChecked(v in ticked)
            action.toggled.connect(lambda _on: self._on_toggled())
            self._actions[v] = action
        if not self._values:
            menu.addAction("(no values in the data)").setEnabled(False)
        widest = max((self.fontMetrics().horizontalAdvance(self.label(v)) for v in self._values), default=0)
        # wide enough to read a chosen value (up to a limit: the toolbar wraps, it never clips)
        self.setMinimumWidth(min(max(widest, self.fontMetrics().horizontalAdvance("All")) + 34, MAX_FILTER_WIDTH))
        self._update()

    def _toggle_group(self, group: names.CountryGroup, on: bool) -> None:
        members = group.members & set(self._values)
        ticked = set(self._ticked())
        self._set_ticked(ticked | members if on else ticked - members)
        self.changed.emit()

    def _on_toggled(self) -> None:
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        ticked = self._ticked()
        present = set(self._values)
        for name, action in self._group_actions.items():
            g = names.group_named(name, self.groups)
            members = g.members & present if g else set()
            action.blockSignals(True)
            action.setChecked(bool(members) and members <= set(ticked))
            action.blockSignals(False)
        text = self.summary()
        metrics = self.fontMetrics()
        self.setText(
            plain.button_text(metrics.elidedText(text, Qt.TextElideMode.ElideRight, MAX_FILTER_WIDTH - 34)) + " \u25be"
        )
        full = ", ".join(self.label(v) for v in ticked) if ticked else "all"
        self.setToolTip(plain.tooltip(f"{self.name}: {full}. Click to tick one or several."))
        self.setAccessibleDescription(f"{self.name}: {full}")

    def summary(self) -> str:
        """What the button says: 'All', a group's name, up to two labels, or 'N of M'."""
        ticked = self._ticked()
        if not ticked:
            return ANY
        present = set(self._values)
        for g in self.groups:
            members = g.members & present
            if members and members == set(ticked):
                return g.name
        if len(ticked) <= 2:
            return ", ".join(self.label(v) for v in ticked)
        return f"{len(ticked)} of {len(self._values)}"


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
        if lo is None or hi is None or _missing(lo) or _missing(hi):
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
        import pandas as pd  # the views that hold date ranges have loaded it already

        return pd.Timestamp(s.year(), s.month(), s.day()), pd.Timestamp(e.year(), e.month(), e.day())
