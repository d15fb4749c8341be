"""The five views of the main window, and `View`, the contract each keeps with the window.

A view is built as `View(home, parent)` the first time it is shown and loads nothing in its
constructor: the window calls `refresh()` then, and again when the data changed. `show_record(kind,
id)` may arrive before a refresh's background load has finished. A view never reaches for the
window: it emits, the window connects (`MainWindow.view`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from briefing.core.names import CountryGroup
from briefing.ui.detail import DetailPane
from briefing.ui.views.filters import ChoiceFilter


class View(QWidget):
    """Base of the views: each has a `detail` pane for the record it shows. GUI thread only."""

    detail: DetailPane

    record_requested = Signal(str, str)
    """(kind, id): show this record in the view for its kind (a related record, a change, a citer)."""
    view_requested = Signal(str)
    """(view name): switch to that view (a headline card names where its records are)."""
    task_started = Signal(object, str, str)
    """(tasks.Task, label, error title): background work to show in the status bar (an export)."""

    def refresh(self) -> None:
        """Reload from the data file (after a sync, or when first shown)."""
        raise NotImplementedError

    def show_record(self, kind: str, record_id: str) -> None:
        """Select and show one record."""
        raise NotImplementedError

    def save_pending(self) -> None:
        """Save what the user is still editing (a note) before the window closes."""
        self.detail.clear()

    def view_state(self) -> dict[str, Any]:
        """The view's state for a view link (`core.view_links.make`): here, the open record."""
        ref = self.detail.current()
        return {"record": f"{ref.kind}:{ref.id}" if ref is not None else None}

    def apply_view_state(self, state: dict[str, list[str]]) -> list[str]:
        """Set the view as a link says; returns the keys it could not set."""
        record = (state.get("record") or [""])[0]
        if ":" in record:
            kind, rid = record.split(":", 1)
            self.show_record(kind, rid)
        return [k for k in state if k != "record"]

    def set_country_groups(self, groups: list[CountryGroup]) -> None:
        """New country groups (the user edited theirs): every country filter offers them."""
        for f in self.findChildren(ChoiceFilter):
            if f.offers_groups:
                f.set_groups(groups)
