"""`RecordView`: the scaffolding the chart-and-table views (adoption, investment, policy) share.

A record view is a chart above a filterable table of records of one kind, with a detail pane beside
the table, "Export chart…/Export table…" buttons and a status line, and data loaded through a
`Loader` on the task runner. The base builds those parts and owns the plumbing around them:

* `status` / `_show_status(text)`, `loader` (its `loaded` goes to `_on_loaded`, a failure to the
  status line), `loaded` emitted by `_load_finished()` once fresh data is on screen;
* `_add_filters(...)` wires the choice filters and the text filter to `apply_filters()`;
  `clear_filters()` resets them (`_reset_filter_widgets`, extendable) without a signal per widget;
* `_add_table(...)` makes `table_model`, `table`, `rows_label`, `exports` and `detail`;
  `_lay_out(...)` puts controls, status, chart, table and detail side in place;
* `show_record(kind, id)`: kept until data arrives, then selects the record in the table (clearing
  filters that hide it) and opens it in the detail pane; note marks follow saved notes.

A subclass sets `record_kind` and `load_error`, builds its controls and chart, calls the helpers, and
implements `refresh()`, `apply_filters()`, `_on_loaded(data)` and `_has_data()`. GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLayout, QLineEdit, QSplitter, QVBoxLayout, QWidget

from briefing.core.home import Home
from briefing.ui import plain
from briefing.ui.detail import DetailPane
from briefing.ui.table_model import RecordTableModel, make_table_view, ref_at_view_index, select_record
from briefing.ui.views import View
from briefing.ui.export import ExportButtons
from briefing.ui.tasks import Loader
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
            f.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.text_filter.textChanged.connect(lambda _t: self.apply_filters())

    def _add_filter_captions(self, row: QLayout) -> None:
        """Each choice filter, captioned with its name, into a row of controls."""
        for f in self.choice_filters:
            row.addWidget(labelled(f.name, f))

    def _add_table(self, *, columns: list[tuple[str, str]], name: str, widths: tuple[tuple[int, int], ...],
                   rows_name: str, chart: Any, table_kind: str, what: str) -> None:
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

    def _lay_out(self, *, controls: list[QLayout], chart: QWidget, side: QWidget | None = None,
                 above_table: QLayout | None = None, below_table: tuple[QWidget, ...] = (),
                 main_stretch: tuple[int, int] | None = None) -> None:
        """Control rows, status line, then the chart over (table | `side`, the detail pane by default)."""
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        if above_table is not None:
            table_layout.addLayout(above_table)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.rows_label)
        for widget in below_table:
            table_layout.addWidget(widget)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(table_box)
        bottom.addWidget(side if side is not None else self.detail)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(chart)
        main.addWidget(bottom)
        if main_stretch is not None:
            main.setStretchFactor(0, main_stretch[0])
            main.setStretchFactor(1, main_stretch[1])
        layout = QVBoxLayout(self)
        for row in controls:
            layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(main, 1)

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
        """After `_on_loaded` has drawn the data: open the record asked for meanwhile, emit `loaded`."""
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
