"""Export from the app: File > Export one-pager… (with a page preview and an editable bottom line),
and the chart and table exports each view calls.

* `install_exports(window, home)` adds "Export one-pager…" to the File menu.
* `export_chart_dialog(parent, chart)` saves a view's chart (as it is shown) to PNG or SVG.
* `export_table_dialog(parent, kind, ids, home=None)` saves a view's rows (the ids it shows) to
  CSV, XLSX or JSON on the database worker.

The preview is the page itself, painted by `briefing.render.pdf` into an image. Edits to the bottom
line and considerations are plain text, saved in the notes file (never in the data). GUI thread only;
the table export runs through `briefing.ui.tasks`. The one-pager is drawn on the GUI thread because
the chart is a widget (about 0.1-0.3 s).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QMessageBox,
    QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from briefing.core.errors import BriefingError
from briefing.core.home import Home
from briefing.core.report import TOPIC_TITLES, TOPICS, bottom_line_key, build_report, considerations_key
from briefing.core.store import Store
from briefing.core.tables import FORMATS as TABLE_FORMATS
from briefing.core.tables import export_table
from briefing.render.chart_export import build_chart, export_chart
from briefing.render.pdf import render_image, render_pdf
from briefing.ui import tasks

PREVIEW_DPI = 72
_FILTERS = {"png": "PNG image, 2x (*.png)", "svg": "SVG vector image (*.svg)", "csv": "CSV, UTF-8 (*.csv)",
            "xlsx": "Excel workbook (*.xlsx)", "json": "JSON (*.json)", "pdf": "PDF (*.pdf)"}


def _ask_path(parent: QWidget | None, title: str, name: str, formats: tuple[str, ...]) -> tuple[Path, str] | None:
    """A save dialog; returns (path with the chosen format's suffix, format) or None if cancelled."""
    filters = ";;".join(_FILTERS[f] for f in formats)
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(Path.home() / f"{name}.{formats[0]}"), filters)
    if not path:
        return None
    fmt = next((f for f in formats if _FILTERS[f] == chosen), None) or Path(path).suffix.lstrip(".").lower()
    if fmt not in formats:
        fmt = formats[0]
    out = Path(path)
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    return out, fmt


def _error(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def export_chart_dialog(parent: QWidget | None, chart: Any) -> Path | None:
    """Ask for a file and save `chart` as shown (its zoom kept) with title, source and as-of date."""
    answer = _ask_path(parent, "Export chart", "chart", ("png", "svg"))
    if answer is None:
        return None
    out, fmt = answer
    try:
        return export_chart(chart, fmt, out)
    except (BriefingError, OSError) as exc:
        _error(parent, str(exc))
        return None


def _export_table_job(data_path: str, kind: str, fmt: str, out: str, ids: list[str] | None, progress: Any = None) -> int:
    """Worker: its own read-only Store (a connection belongs to its thread)."""
    with Store(data_path, readonly=True) as store:
        return export_table(store, kind, fmt, out, ids=ids, progress=progress or (lambda f, m: None))


def export_table_dialog(parent: QWidget | None, kind: str, ids: list[str] | None = None, *, home: Home | None = None) -> tasks.Task | None:
    """Ask for a file and export the view's rows (`ids`, in view order; None for all) on the db worker."""
    home = home or getattr(parent.window() if parent else None, "home", None)
    if home is None:
        raise BriefingError("no home to export from")
    answer = _ask_path(parent, "Export table", kind, TABLE_FORMATS)
    if answer is None:
        return None
    out, fmt = answer
    task = tasks.run_task(_export_table_job, str(home.data_path), kind, fmt, str(out), list(ids) if ids is not None else None,
                          task_name=f"Export {kind}")
    window = parent.window() if parent else None
    if hasattr(window, "track_task"):
        window.track_task(task, f"Exporting {kind}", error_title="Export failed")
    else:
        task.failed.connect(lambda exc: _error(parent, str(exc)))
    return task


class OnePagerDialog(QDialog):
    """Pick a topic and paper, edit the bottom line and considerations, see the page, save the PDF."""

    def __init__(self, home: Home, parent: QWidget | None = None, *, topic: str = "overview") -> None:
        super().__init__(parent)
        self.home = home
        self.setWindowTitle("Export one-pager")
        self.setAccessibleName("Export one-pager")
        self._charts: dict[str, Any] = {}
        self._generated: dict[str, tuple[str, str]] = {}
        self._loading = False

        self.topic_box = QComboBox()
        self.topic_box.setAccessibleName("Topic")
        for t in TOPICS:
            self.topic_box.addItem(f"{t.title()}: {TOPIC_TITLES[t]}", t)
        self.page_box = QComboBox()
        self.page_box.setAccessibleName("Paper size")
        self.page_box.addItem("US Letter", "letter")
        self.page_box.addItem("A4", "a4")
        self.bottom_line = QPlainTextEdit()
        self.bottom_line.setAccessibleName("Bottom line")
        self.bottom_line.setPlaceholderText("The bottom line generated from the data")
        self.considerations = QPlainTextEdit()
        self.considerations.setAccessibleName("Considerations, one per line")
        reset = QPushButton("Reset to generated text")
        reset.setAccessibleName("Reset to generated text")
        reset.clicked.connect(self.reset_texts)

        form = QFormLayout()
        form.addRow("Topic", self.topic_box)
        form.addRow("Paper", self.page_box)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(QLabel("Bottom line (your edit is kept with your notes):"))
        side.addWidget(self.bottom_line, 2)
        side.addWidget(QLabel("Considerations (one per line):"))
        side.addWidget(self.considerations, 2)
        side.addWidget(reset)
        self.more_label = QLabel()
        self.more_label.setTextFormat(Qt.TextFormat.PlainText)
        self.more_label.setWordWrap(True)
        side.addWidget(self.more_label)

        self.preview = QLabel()
        self.preview.setAccessibleName("Page preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(round(8.5 * PREVIEW_DPI) + 24)

        body = QHBoxLayout()
        body.addLayout(side, 1)
        body.addWidget(scroll, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save PDF…")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.update_preview)
        self.bottom_line.textChanged.connect(self._edited)
        self.considerations.textChanged.connect(self._edited)
        self.topic_box.currentIndexChanged.connect(lambda _: self.load_topic())
        self.page_box.currentIndexChanged.connect(lambda _: self.update_preview())
        self.topic_box.setCurrentIndex(TOPICS.index(topic) if topic in TOPICS else 0)
        self.load_topic()

    @property
    def topic(self) -> str:
        return self.topic_box.currentData()

    @property
    def page(self) -> str:
        return self.page_box.currentData()

    def _chart(self, store: Store, name: str) -> Any:
        if name not in self._charts:  # built once per dialog: the slow part of a preview
            try:
                chart = build_chart(store, name)
                chart.set_captions(title=False, source=False)
            except BriefingError:
                chart = None
            self._charts[name] = chart
        return self._charts[name]

    def _spec(self) -> tuple[Any, Any]:
        with self.home.store() as store, self.home.notes() as notes:
            spec = build_report(store, self.topic, notes=notes)
            chart = self._chart(store, spec.chart_name)
        if chart is not None:
            spec = spec.with_chart(title=chart.title, source_line=chart.caption_text())
        return spec, chart

    def load_topic(self) -> None:
        """Fill the editors with the saved edit, else the generated text, and redraw."""
        topic = self.topic
        with self.home.store() as store:
            generated = build_report(store, topic)  # without the user's edits
        self._generated[topic] = (generated.bottom_line, "\n".join(b.text for b in generated.considerations))
        with self.home.notes() as notes:
            bl = notes.get_text(bottom_line_key(topic)) or generated.bottom_line
            cons = notes.get_text(considerations_key(topic)) or self._generated[topic][1]
        self._loading = True
        self.bottom_line.setPlainText(bl)
        self.considerations.setPlainText(cons)
        self._loading = False
        self.update_preview()

    def _edited(self) -> None:
        if not self._loading:
            self._debounce.start()

    def save_texts(self) -> None:
        """Keep the edits in the notes file; text equal to the generated one is not stored."""
        gen_bl, gen_cons = self._generated.get(self.topic, ("", ""))
        bl = self.bottom_line.toPlainText().strip()
        cons = self.considerations.toPlainText().strip()
        with self.home.notes() as notes:
            notes.set_text(bottom_line_key(self.topic), None if bl == gen_bl.strip() else bl)
            notes.set_text(considerations_key(self.topic), None if cons == gen_cons.strip() else cons)

    def reset_texts(self) -> None:
        with self.home.notes() as notes:
            notes.set_text(bottom_line_key(self.topic), None)
            notes.set_text(considerations_key(self.topic), None)
        self.load_topic()

    def update_preview(self) -> None:
        self._debounce.stop()
        self.save_texts()
        spec, chart = self._spec()
        image = render_image(spec, page=self.page, chart=chart, dpi=PREVIEW_DPI)
        ratio = self.devicePixelRatioF() if self.isVisible() else 1.0
        if ratio > 1.0:  # crisp on high-DPI screens: paint at the device resolution
            image = render_image(spec, page=self.page, chart=chart, dpi=round(PREVIEW_DPI * ratio))
            image.setDevicePixelRatio(ratio)
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.last_image = image
        more = []
        if spec.policy_more:
            more.append(f"{spec.policy_more:,} more policy actions")
        if spec.considerations_more:
            more.append(f"{spec.considerations_more:,} more considerations")
        self.more_label.setText(("Not on the page, listed as \u201c+N more in the app\u201d: " + ", ".join(more)) if more else "")

    def save(self) -> Path | None:
        answer = _ask_path(self, "Save one-pager", f"briefing-{self.topic}", ("pdf",))
        if answer is None:
            return None
        return self.save_to(answer[0])

    def save_to(self, out: Path) -> Path | None:
        """Write the PDF of the current topic, paper and edits to `out`; closes the dialog."""
        self.save_texts()
        spec, chart = self._spec()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            render_pdf(spec, out, page=self.page, chart=chart)
        except (BriefingError, OSError) as exc:
            _error(self, str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
        return out

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: free the offscreen charts
        for chart in self._charts.values():
            if chart is not None:
                chart.deleteLater()
        self._charts.clear()
        super().done(result)


def install_exports(window: Any, home: Home) -> QAction:
    """Add File > Export one-pager… to the main window (Ctrl+Shift+E)."""
    action = QAction("Export &one-pager…", window)
    action.setShortcut("Ctrl+Shift+E")

    def open_dialog() -> None:
        view = window.current_view_name() if hasattr(window, "current_view_name") else "overview"
        OnePagerDialog(home, window, topic=view if view in TOPICS else "overview").exec()

    action.triggered.connect(lambda _=False: open_dialog())
    window.addAction(action)
    if hasattr(window, "add_file_action"):
        window.add_file_action(action)
    return action
