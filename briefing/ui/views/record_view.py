"""`RecordView`: the scaffolding the chart-and-table views (adoption, investment, policy) share.

A record view is a chart above a filterable table of records of one kind, with a detail pane beside
the table, "Export chart…/Export table…" buttons and a status line, and data loaded through a
`Loader` on the task runner. The base builds those parts and owns the plumbing around them:

* `status` / `_show_status(text)`, `loader` (its `loaded` goes to `_on_loaded`, a failure to the
  status line), `loaded` emitted by `_load_finished()` once fresh data is on screen;
* `_add_filters(...)` wires the multi-select filters and the text filter to `apply_filters()`;
  `clear_filters()` (the visible "Clear filters" button) resets them (`_reset_filter_widgets`,
  extendable) without a signal per widget; a subclass's `apply_filters` ends with
  `_filtered(shown_ids)`, which enables the button and marks the detail pane when the filters hide
  the record it shows;
* `view_state()` / `apply_view_state(state)`: the filters, text and the subclass's own controls
  (`_extra_state`, `_apply_extra_state`) and the open record, as a view link's state;
* `_add_table(...)` makes `table_model`, `table`, `rows_label`, `exports` and `detail`;
  `_lay_out(...)` puts controls, status, chart, table and detail side in place;
* `show_record(kind, id)`: kept until data arrives, then selects the record in the table (clearing
  filters that hide it) and opens it in the detail pane; note marks follow saved notes.

A subclass sets `record_kind` and `load_error`, builds its controls and chart, calls the helpers, and
implements `refresh()`, `apply_filters()`, `_on_loaded(data)` and `_has_data()`. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLayout, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from briefing.core.home import Home
from briefing.ui import plain
from briefing.ui.detail import DetailPane
from briefing.ui.export import ExportButtons
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index, select_record
from briefing.ui.tasks import Loader
from briefing.ui.views import View
from briefing.ui.views.filters import ChoiceFilter, labelled


class RecordView(View):
    """Base of the record views: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`,
    `clear_filters()`, `apply_filters()`; `loaded` after fresh data is on screen (tests wait for it)."""

    loaded = Signal()
    #: the record kind the table lists (`show_record` selects those in it)
    record_kind = ""
    #: status line prefix when loading fails ('Could not load ...: <message>')
    load_error = "Could not load the data"

    def __init__(self, home: Home, parent: QWidget | None = None, *, title: str) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName(f"{title} view")
        self._pending: tuple[str, str] | None = None
        self.choice_filters: tuple[ChoiceFilter, ...] = ()
        self.text_filter = QLineEdit()
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setMinimumWidth(200)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setToolTip("Show every record again (all filters back to All, text cleared)")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(lambda _=False: self.clear_filters())
        self._shown_ids: set[str] | None = None
        self._pending_state: dict[str, list[str]] | None = None
        self.status = plain.label("Loading…", name=f"{title} status", wrap=True)
        self.loader = Loader(self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_load_failed)

    # -- to implement ------------------------------------------------------------------------------
    def refresh(self) -> None:
        raise NotImplementedError

    def apply_filters(self) -> None:
        raise NotImplementedError

    def _on_loaded(self, data: Any) -> None:
        raise NotImplementedError

    def _has_data(self) -> bool:
        """True once a load has landed (before that, `show_record` only remembers its record)."""
        raise NotImplementedError

    # -- building ----------------------------------------------------------------------------------
    def _add_filters(self, filters: tuple[ChoiceFilter, ...], *, placeholder: str, name: str) -> None:
        """Keep the choice filters and set up `text_filter`; any change re-runs `apply_filters()`."""
        self.choice_filters = filters
        self.text_filter.setPlaceholderText(placeholder)
        self.text_filter.setAccessibleName(name)
        for f in filters:
            f.changed.connect(self.apply_filters)
        self.text_filter.textChanged.connect(lambda _t: self.apply_filters())

    def _add_filter_captions(self, row: QLayout) -> None:
        """Each choice filter, captioned with its name, into a row of controls, then "Clear filters"."""
        for f in self.choice_filters:
            row.addWidget(labelled(f.name, f))

    def filters_active(self) -> bool:
        """True when any filter hides records (subclasses add their own, e.g. a date range)."""
        return any(f.is_active() for f in self.choice_filters) or bool(self.text_filter.text().strip())

    def _filtered(self, shown_ids: Iterable[str]) -> None:
        """After the filters were applied: the Clear button, and the detail pane's hidden mark."""
        self._shown_ids = {str(i) for i in shown_ids}
        self.clear_button.setEnabled(self.filters_active())
        self._mark_detail()

    def _mark_detail(self) -> None:
        ref = self.detail.current()
        hidden = (
            ref is not None
            and ref.kind == self.record_kind
            and self._shown_ids is not None
            and ref.id not in self._shown_ids
        )
        self.detail.set_filtered_out(hidden)

    def _add_table(
        self,
        *,
        columns: list[tuple[str, str]],
        name: str,
        widths: tuple[tuple[int, int], ...],
        rows_name: str,
        chart: Any,
        table_kind: str,
        what: str,
    ) -> None:
        """The records table (`table_model`, `table`), its `rows_label`, `exports` and `detail`."""
        self.table_model = RecordTableModel(kind=self.record_kind, columns=columns, parent=self)  # Qt-owned
        self.table = make_table_view(self.table_model, name=name)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_selected(cur))
        for column, width in widths:
            self.table.setColumnWidth(column, width)
        self.rows_label = plain.label("", name=rows_name)
        self.note_models = [self.table_model]
        self.exports = ExportButtons(self.home, table=self.table, table_kind=table_kind, chart=chart, what=what)
        self.exports.task_started.connect(self.task_started)
        self.detail = DetailPane(self.home, self)
        self.detail.note_saved.connect(lambda *_: self._refresh_notes())
        self.detail.record_requested.connect(self.record_requested)
        self.detail.clear_filters_requested.connect(self.clear_filters)

    def _lay_out(
        self,
        *,
        controls: list[QLayout],
        chart: QWidget,
        side: QWidget | None = None,
        above_table: QLayout | None = None,
        below_table: tuple[QWidget, ...] = (),
        main_stretch: tuple[int, int] | None = None,
        tabs: tuple[Any, str, list[tuple[QWidget, str]]] | None = None,
    ) -> None:
        """Control rows (they wrap), the status line, then the chart over the table on the left and
        the detail pane (or `side`) the whole height on the right, so its sources and note fit.
        `tabs` = (tab widget, the table's tab title, [(widget, title), ...]) puts the table in a tab."""
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        if above_table is not None:
            table_layout.addLayout(above_table)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.rows_label)
        for widget in below_table:
            table_layout.addWidget(widget)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(chart)
        if tabs is not None:
            tab_widget, title, others = tabs
            tab_widget.addTab(table_box, title)
            for widget, other in others:
                tab_widget.addTab(widget, other)
            table_box = tab_widget
        left.addWidget(table_box)
        stretch = main_stretch or (3, 2)
        left.setStretchFactor(0, stretch[0])
        left.setStretchFactor(1, stretch[1])
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setChildrenCollapsible(False)
        self.main_split.addWidget(left)
        self.main_split.addWidget(side if side is not None else self.detail)
        self.main_split.setStretchFactor(0, 5)
        self.main_split.setStretchFactor(1, 2)
        self.main_split.setSizes([700, 360])
        layout = QVBoxLayout(self)
        for row in controls:
            layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.main_split, 1)

    # -- records -----------------------------------------------------------------------------------
    def show_record(self, kind: str, record_id: str) -> None:
        """Open a record in the detail pane; one of `record_kind` is also selected in the table
        (clearing filters that hide it). Before data has landed, the last request waits for it."""
        if not self._has_data():
            self._pending = (kind, record_id)
            return
        if kind == self.record_kind and not select_record(self.table, kind, record_id):
            self.clear_filters()
            select_record(self.table, kind, record_id)
        self._open_in_detail(kind, record_id)

    def clear_filters(self) -> None:
        self._reset_filter_widgets()
        self.apply_filters()

    # -- internals ---------------------------------------------------------------------------------
    def _reset_filter_widgets(self) -> None:
        """Every filter back to 'all', without a signal per widget (`clear_filters` applies once)."""
        for f in self.choice_filters:
            f.blockSignals(True)
            f.choose(None)
            f.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)

    def _open_in_detail(self, kind: str, record_id: str) -> None:
        self.detail.show_record(kind, record_id)
        self._record_opened(kind, record_id)

    def _record_opened(self, kind: str, record_id: str) -> None:
        """A record is now in the detail pane: mark it if hidden, highlight it on the chart."""
        self._mark_detail()
        self._highlight(record_id if kind == self.record_kind else None)

    def _highlight(self, record_id: str | None) -> None:
        """Show the selected record on the chart (subclasses with a chart that can)."""

    # -- view state (links and saved views) --------------------------------------------------------
    def view_state(self) -> dict[str, Any]:
        """This view's state as a view link's (`core.view_links.make` takes it): ticked filters,
        the text filter, the subclass's controls, and the record open in the detail pane."""
        state: dict[str, Any] = {f.key: sorted(f.selected() or ()) for f in self.choice_filters}
        state["text"] = self.text_filter.text().strip() or None
        state.update(self._extra_state())
        ref = self.detail.current()
        state["record"] = f"{ref.kind}:{ref.id}" if ref is not None else None
        return state

    def apply_view_state(self, state: dict[str, list[str]]) -> list[str]:
        """Set the view as a link says (once its data is there); returns the keys it did not know
        (or values it could not set), for the window to mention."""
        if not self._has_data():
            self._pending_state = state
            return []
        unknown: list[str] = []
        by_key = {f.key: f for f in self.choice_filters}
        for f in self.choice_filters:
            f.blockSignals(True)
            wanted = [v for v in state.get(f.key, []) if v in f.choices()]
            if len(wanted) != len(state.get(f.key, [])):
                unknown.append(f.key)
            f.choose(wanted or None)
            f.blockSignals(False)
        self.text_filter.blockSignals(True)
        self.text_filter.setText((state.get("text") or [""])[0])
        self.text_filter.blockSignals(False)
        known = set(by_key) | {"text", "record"} | set(self._extra_keys())
        unknown += [k for k in state if k not in known]
        unknown += self._apply_extra_state(state)
        self.apply_filters()
        record = (state.get("record") or [""])[0]
        if ":" in record:
            kind, rid = record.split(":", 1)
            self.show_record(kind, rid)
        return unknown

    def _extra_keys(self) -> tuple[str, ...]:
        return ()

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _apply_extra_state(self, state: dict[str, list[str]]) -> list[str]:
        """Set the subclass's controls (no signals; `apply_filters` follows); returns bad keys."""
        return []

    def _on_selected(self, index: Any) -> None:
        ref = ref_at_view_index(self.table, index)
        if ref is not None:
            self._open_in_detail(ref.kind, ref.id)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _on_load_failed(self, message: str) -> None:
        self._show_status(f"{self.load_error}: {message}")

    def _load_finished(self) -> None:
        """After `_on_loaded` has drawn the data: apply a view link and open the record asked for
        meanwhile, emit `loaded`."""
        if self._pending_state is not None:
            state, self._pending_state = self._pending_state, None
            self.apply_view_state(state)
        if self._pending:
            kind, rid = self._pending
            self._pending = None
            self.show_record(kind, rid)
        self.loaded.emit()

    def _refresh_notes(self) -> None:
        with self.home.notes() as notes:
            keys = notes.keys()
        for model in self.note_models:
            model.set_note_keys(keys)
