"""Export from a view: the chart as shown to PNG/SVG, the table's rows as shown to CSV/XLSX/JSON.

* `export_chart_dialog(parent, chart, track=...)`: the chart is recorded on the GUI thread, the file
  painted and written by a task.
* `export_table_dialog(parent, home, kind, ids, track=...)`: the rows (the ids the view shows, in its
  order) written on the database worker.
* `ExportButtons`: a view's "Export chart…" / "Export table…" buttons; their tasks go out through
  its `task_started` signal, which the view passes on and the main window shows in its status bar.

Each returns its `tasks.Task` (None when no file was chosen) and hands it to `track(task, label,
error title)`; without one, a failure (never a Cancel) opens a plain-text message box. GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QHBoxLayout, QPushButton, QTableView, QWidget

from briefing.core import cite
from briefing.core.errors import BriefingError, Cancelled
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, Progress, never, noop
from briefing.core.store import Store
from briefing.core.table_export import FORMATS as TABLE_FORMATS
from briefing.core.table_export import export_table
from briefing.render.chart_export import grab_chart, write_chart
from briefing.ui import tasks
from briefing.ui.status import show_error
from briefing.ui.table_model import shown_ids

FILTERS = {
    "png": "PNG image, 2x (*.png)",
    "svg": "SVG vector image (*.svg)",
    "csv": "CSV for Excel, UTF-8 (*.csv)",
    "xlsx": "Excel workbook (*.xlsx)",
    "json": "JSON (*.json)",
    "pdf": "PDF (*.pdf)",
}


def ask_path(parent: QWidget | None, title: str, name: str, formats: tuple[str, ...]) -> tuple[Path, str] | None:
    """A save dialog; returns (path with the chosen format's suffix, format) or None if cancelled."""
    filters = ";;".join(FILTERS[f] for f in formats)
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(Path.home() / f"{name}.{formats[0]}"), filters)
    if not path:
        return None
    fmt = next((f for f in formats if FILTERS[f] == chosen), None) or Path(path).suffix.lstrip(".").lower()
    if fmt not in formats:
        fmt = formats[0]
    out = Path(path)
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    return out, fmt


def copy_citation(text: str) -> str:
    """Put a citation (plain text) on the clipboard; returns it. GUI thread."""
    QApplication.clipboard().setText(text)
    return text


def chart_citation(chart: Any) -> str:
    """A chart as shown, cited: its title, source line and the dates it shows (a static note)."""
    caption = " · ".join(
        p for p in (chart.source_line, f"Data as of {chart.as_of}" if chart.as_of else "", chart.static_note()) if p
    )
    return cite.chart_citation(getattr(chart, "title", "") or "Chart", caption)


#: `track(task, label, error_title)`: show a task's progress, Cancel and failure (the status bar's `track`).
Track = Callable[[tasks.Task, str, str], object]


def _follow(task: tasks.Task, parent: QWidget | None, label: str, track: Track | None) -> tasks.Task:
    """Hand the task to `track`; without one, a failure (never a Cancel) opens a message box."""
    if track is not None:
        track(task, label, "Export failed")
    else:
        task.failed.connect(
            lambda exc: None if isinstance(exc, Cancelled) else show_error(parent, "Export failed", exc)
        )
    return task


def export_chart_dialog(parent: QWidget | None, chart: Any, *, track: Track | None = None) -> tasks.Task | None:
    """Ask for a file and save `chart` as shown (its zoom kept) with title, source and as-of date.

    The chart is recorded on the GUI thread (~5-15 ms); the PNG/SVG is painted, encoded and written
    by a task (a 2x PNG takes ~0.1 s), handed to `track`. Returns the Task (its `done` carries the
    path), or None if no file was chosen."""
    answer = ask_path(parent, "Export chart", "chart", ("png", "svg"))
    if answer is None:
        return None
    out, fmt = answer
    try:
        picture = grab_chart(chart)
    except BriefingError as exc:
        show_error(parent, "Export failed", exc)
        return None
    task = tasks.run_task(write_chart, picture, fmt, str(out), task_name="Export chart")
    return _follow(task, parent, "Exporting the chart", track)


def _export_table_job(
    data_path: str,
    kind: str,
    fmt: str,
    out: str,
    ids: list[str] | None,
    *,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> int:
    """Worker: its own read-only Store (a connection belongs to its thread)."""
    with Store(data_path, readonly=True) as store:
        return export_table(store, kind, fmt, out, ids=ids, progress=progress, cancelled=cancelled)


def export_table_dialog(
    parent: QWidget | None, home: Home, kind: str, ids: list[str] | None = None, *, track: Track | None = None
) -> tasks.Task | None:
    """Ask for a file and export the view's rows (`ids`, in view order; None for all) on the db worker,
    handed to `track`. Returns the Task, or None if no file was chosen."""
    answer = ask_path(parent, "Export table", kind, TABLE_FORMATS)
    if answer is None:
        return None
    out, fmt = answer
    task = tasks.run_task(
        _export_table_job,
        str(home.data_path),
        kind,
        fmt,
        str(out),
        list(ids) if ids is not None else None,
        task_name=f"Export {kind}",
    )
    return _follow(task, parent, f"Exporting {kind}", track)


class ExportButtons(QWidget):
    """'Export chart…' and 'Copy citation' (when given a chart) and 'Export table…' for one view: the chart as shown
    (zoom, hidden series and caption kept) and the table's rows as shown (filters, order).

    `table_kind` is a `briefing.core.table_export` kind ("models", "investments", ...). Each export's task
    goes out through `task_started(task, label, error title)` (the view passes it on to the window's
    status bar). The last table export's task is kept in `last_task` (tests wait on it).
    """

    task_started = Signal(object, str, str)

    def __init__(
        self,
        home: Home,
        *,
        table: QTableView,
        table_kind: str,
        chart: Any = None,
        what: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.table = table
        self.table_kind = table_kind
        self.chart = chart
        self.last_task: tasks.Task | None = None
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
            self.cite_button = QPushButton("Copy citation")
            self.cite_button.setAccessibleName(f"Copy a citation of the {what} chart")
            self.cite_button.setToolTip("Copy the chart's title, sources and dates as a citation (plain text)")
            self.cite_button.clicked.connect(lambda _=False: copy_citation(chart_citation(self.chart)))
            row.addWidget(self.cite_button)
        self.table_button = QPushButton("Export table…")
        self.table_button.setAccessibleName(f"Export the {what} table")
        self.table_button.setToolTip("Save the rows shown (after filters, in table order) as CSV, Excel or JSON")
        self.table_button.clicked.connect(lambda _=False: self.export_table())
        row.addWidget(self.table_button)

    def export_chart(self) -> tasks.Task | None:
        return export_chart_dialog(self, self.chart, track=self.task_started.emit)

    def export_table(self) -> tasks.Task | None:
        self.last_task = export_table_dialog(
            self,
            self.home,
            self.table_kind,
            shown_ids(self.table),
            track=self.task_started.emit,
        )
        return self.last_task
