"""File > Export one-pager…: pick a topic, paper and format, edit the bottom line, considerations and
the "Prepared by / for" line, see the page and what changed since your last brief, save it.

The preview is the page itself, drawn by the same engine as the PDF (`briefing.render.pdf`). Edits to
the bottom line and considerations are plain text, saved in the notes file (never in the data); the
"Prepared by / for" names and whether the brief prints its changes are settings. The main window
opens the dialog with `open()` (window-modal, no nested event loop). GUI thread only; every slow
step runs through `briefing.ui.tasks`: a one-pager (preview or PDF) is a `PageJob` whose report,
chart (a plain SVG, no widget), layout, painting and file writing are tasks; the GUI thread only
passes the results on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from briefing.core.errors import BriefingError, Cancelled
from briefing.core.home import Home
from briefing.core.notes import NoteStore
from briefing.core.progress import CancelCheck, Progress, check, never, noop
from briefing.core.report import TOPIC_TITLES, TOPICS, bottom_line_key, build_report, considerations_key
from briefing.core.settings import Settings
from briefing.core.store import Store
from briefing.render.brief import change_text
from briefing.render.pdf import Draft, draft_page, preview_image, write_brief
from briefing.ui import tasks
from briefing.ui.export import ask_path
from briefing.ui.status import show_error

PREVIEW_DPI = 72
FORMAT_NAMES = {"pdf": "PDF (tagged, accessible)", "docx": "Word (.docx)", "pptx": "Slides (.pptx)"}


def _draft_job(
    data_path: str,
    notes_path: str,
    topic: str,
    page: str,
    options: dict[str, Any],
    *,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Draft:
    """Worker, stage 1: its own read-only Store and NoteStore (a connection belongs to its thread)."""
    with Store(data_path, readonly=True) as store, NoteStore(notes_path, readonly=True) as notes:
        return draft_page(store, topic, notes=notes, page=page, progress=progress, cancelled=cancelled, **options)


def _texts_job(data_path: str, topic: str) -> tuple[str, str]:
    """Worker: the topic's generated bottom line and considerations (no user edits, no chart)."""
    with Store(data_path, readonly=True) as store:
        spec = build_report(store, topic)
    return spec.bottom_line, "\n".join(b.text for b in spec.considerations)


def _write_job(
    draft: Draft,
    out: str,
    fmt: str,
    notes_path: str,
    *,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Path:
    """Worker, stage 2: the brief's file, then the brief logged in the notes file (its own NoteStore)."""
    return write_brief(draft, out, fmt=fmt, notes_path=notes_path, progress=progress, cancelled=cancelled)


def _image_job(draft: Draft, dpi: int, ratio: float, *, cancelled: CancelCheck = never) -> QImage:
    """Worker, stage 2 of a preview: page 1 as an image (drawn at `dpi`, shown at `ratio`)."""
    check(cancelled, "preview")
    image = preview_image(draft, dpi=dpi)
    image.setDevicePixelRatio(ratio)
    return image


class PageJob(tasks.Task):
    """One render of the dialog's page: draft (task) -> file or preview image (task).

    A `tasks.Task` made of tasks: the same signals, `cancel()` and `is_finished()`, held by the task
    runner until it ends. The GUI thread only passes the draft on: the report, the chart (a plain
    SVG, no widget), the layout, the painting and the file are done by `tasks.run_task` workers
    (`tasks` lists them). Emits `progress(fraction, message)` (a PDF only), then exactly one of
    `done(value)` (the Path written, or the preview QImage) / `failed(exception)` (Cancelled after
    `cancel()`), then `finished`; nothing once the dialog is deleted.
    """

    def __init__(
        self,
        dialog: OnePagerDialog,
        *,
        out: Path | None = None,
        fmt: str = "pdf",
        dpi: int = PREVIEW_DPI,
        ratio: float = 1.0,
    ) -> None:
        self.kind = fmt.upper() if out is not None else "preview"
        super().__init__(f"one-pager {self.kind}")  # no parent: it outlives a closed dialog until its task reports
        self.dialog, self.out, self.fmt, self.dpi, self.ratio = dialog, out, fmt, dpi, ratio
        self.topic, self.page, self.options = dialog.topic, dialog.page, dialog.options()
        self.tasks: list[tasks.Task] = []
        self.draft: Draft | None = None
        self._current: tasks.Task | None = None

    def start(self) -> PageJob:
        tasks.hold(self)
        home = self.dialog.home
        task = self._run(
            _draft_job, str(home.data_path), str(home.notes_path), self.topic, self.page, self.options, name="draft"
        )
        task.done.connect(self._drafted)
        return self

    def cancel(self) -> None:
        """Stop at the next check: the running task is cancelled, no later stage starts, no file is left."""
        super().cancel()
        if self._current is not None:
            self._current.cancel()

    def _run(self, fn: Any, *args: Any, name: str) -> tasks.Task:
        task = tasks.run_task(fn, *args, task_name=f"{self.name} {name}")
        self.tasks.append(task)
        self._current = task
        if self.out is not None:
            task.progress.connect(self.progress.emit)
        task.failed.connect(self._fail)
        return task

    def _stopped(self) -> bool:
        if self.is_cancelled() or not isValid(self.dialog) or self.dialog.closed:
            self._fail(Cancelled(f"{self.kind} cancelled"))
            return True
        return False

    def _drafted(self, draft: Draft) -> None:
        if self._stopped():
            return
        self.draft = draft
        self.progress.emit(0.45, "Drawing the page")
        if self.out is not None:
            task = self._run(_write_job, draft, str(self.out), self.fmt, str(self.dialog.home.notes_path), name="write")
        else:
            task = self._run(_image_job, draft, self.dpi, self.ratio, name="paint")
        task.done.connect(self._finish)

    def _finish(self, value: object) -> None:
        self._end(True, value)

    def _fail(self, exc: object) -> None:
        self._end(False, exc)

    def _end(self, ok: bool, value: object) -> None:
        if not self.is_finished():
            # the dialog was deleted while a task ran: nobody to tell
            self._deliver_result(ok, value, quiet=not isValid(self.dialog))


class OnePagerDialog(QDialog):
    """Pick a topic, paper and format; edit the bottom line, considerations and "Prepared by / for";
    see the page and what changed since the last brief on the topic; save the file.

    The preview and the PDF are made by `PageJob`s (background tasks; the window stays responsive).
    `preview_ready` fires when a new preview is shown; `save_to` returns the job writing the PDF."""

    preview_ready = Signal()
    texts_ready = Signal()  # the editors hold the topic's texts (generated, or the user's saved edits)

    def __init__(self, home: Home, parent: QWidget | None = None, *, topic: str = "overview") -> None:
        super().__init__(parent)
        self.home = home
        # the notes file exists and is migrated before any worker reads it (two first opens at once
        # could meet halfway through the file's creation)
        try:
            with home.notes():
                pass
        except BriefingError:
            pass  # a read-only home: the workers read what there is
        self.setWindowTitle("Export one-pager")
        self.setAccessibleName("Export one-pager")
        self._generated: dict[str, tuple[str, str]] = {}
        self._loading = False
        self.closed = False
        self.last_image: QImage | None = None
        self.preview_job: PageJob | None = None
        self.save_job: PageJob | None = None
        self.texts_job: tasks.Task | None = None

        self.topic_box = QComboBox()
        self.topic_box.setAccessibleName("Topic")
        for t in TOPICS:
            self.topic_box.addItem(f"{t.title()}: {TOPIC_TITLES[t]}", t)
        self.page_box = QComboBox()
        self.page_box.setAccessibleName("Paper size")
        self.page_box.addItem("US Letter", "letter")
        self.page_box.addItem("A4", "a4")
        self.format_box = QComboBox()
        self.format_box.setAccessibleName("Format")
        for fmt, name in FORMAT_NAMES.items():
            self.format_box.addItem(name, fmt)
        settings = Settings.load(home.settings_path)
        self.prepared_by = QLineEdit(settings.prepared_by)
        self.prepared_by.setAccessibleName("Prepared by")
        self.prepared_by.setPlaceholderText("Your name and office (optional)")
        self.prepared_for = QLineEdit(settings.prepared_for)
        self.prepared_for.setAccessibleName("Prepared for")
        self.prepared_for.setPlaceholderText("The Member or principal (optional)")
        self.show_changes = QCheckBox("Print what changed since my last brief")
        self.show_changes.setAccessibleName("Print what changed since my last brief")
        self.show_changes.setChecked(settings.show_changes)
        self.changes_label = QLabel()
        self.changes_label.setAccessibleName("What changed since your last brief")
        self.changes_label.setTextFormat(Qt.TextFormat.PlainText)  # figure titles are data: never rich text
        self.changes_label.setWordWrap(True)
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
        form.addRow("Format", self.format_box)
        form.addRow("Prepared by", self.prepared_by)
        form.addRow("Prepared for", self.prepared_for)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.show_changes)
        side.addWidget(self.changes_label)
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
        # the save's progress and its own Cancel (the dialog's Cancel closes the dialog)
        self.progress_label = QLabel()
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Export progress")
        self.progress_bar.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel export")
        self.cancel_button.setAccessibleName("Cancel export")
        self.cancel_button.clicked.connect(self.cancel_save)
        status = QHBoxLayout()
        status.addWidget(self.progress_label)
        status.addWidget(self.progress_bar, 1)
        status.addWidget(self.cancel_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save…")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(status)
        layout.addWidget(buttons)
        self._show_progress(False)

        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.update_preview)
        self.bottom_line.textChanged.connect(self._edited)
        self.considerations.textChanged.connect(self._edited)
        self.topic_box.currentIndexChanged.connect(lambda _: self.load_topic())
        self.page_box.currentIndexChanged.connect(lambda _: self.update_preview())
        self.prepared_by.textChanged.connect(self._edited)
        self.prepared_for.textChanged.connect(self._edited)
        self.show_changes.toggled.connect(lambda _: self.update_preview())
        self.topic_box.setCurrentIndex(TOPICS.index(topic) if topic in TOPICS else 0)
        self.load_topic()

    @property
    def topic(self) -> str:
        return self.topic_box.currentData()

    @property
    def page(self) -> str:
        return self.page_box.currentData()

    @property
    def fmt(self) -> str:
        return self.format_box.currentData()

    def options(self) -> dict[str, Any]:
        """What the brief is drawn with besides topic and paper (`render.pdf.draft_page`'s keywords)."""
        settings = Settings.load(self.home.settings_path)
        return {
            "prepared_by": self.prepared_by.text().strip(),
            "prepared_for": self.prepared_for.text().strip(),
            "show_changes": self.show_changes.isChecked(),
            "stale_after_days": settings.stale_after_days,
        }

    def save_settings(self) -> None:
        """Keep the names and the changes choice for the next brief (settings.json in the home)."""
        settings = Settings.load(self.home.settings_path)
        settings.prepared_by, settings.prepared_for = self.prepared_by.text().strip(), self.prepared_for.text().strip()
        settings.show_changes = self.show_changes.isChecked()
        try:
            settings.save(self.home.settings_path)
        except OSError:
            pass  # a read-only home: the names still go on this brief, they are just not remembered

    def load_topic(self) -> None:
        """Redraw for the chosen topic, and fill the editors with the saved edit, else the generated
        text, once a task has made it (the figures take a moment: never on the GUI thread)."""
        topic = self.topic
        self._generated.pop(topic, None)  # until the texts arrive, nothing is saved over the user's edits
        task = tasks.run_task(_texts_job, str(self.home.data_path), topic, task_name="one-pager texts")
        task.done.connect(lambda texts, t=topic: self._texts_ready(t, texts))
        self.texts_job = task
        self.update_preview()

    def _texts_ready(self, topic: str, texts: tuple[str, str]) -> None:
        if self.closed or not isValid(self) or topic != self.topic:
            return
        self._generated[topic] = texts
        with self.home.notes() as notes:  # the dialog's own file: it saves the edits there too
            bl = notes.get_text(bottom_line_key(topic)) or texts[0]
            cons = notes.get_text(considerations_key(topic)) or texts[1]
        self._loading = True
        self.bottom_line.setPlainText(bl)
        self.considerations.setPlainText(cons)
        self._loading = False
        self.texts_ready.emit()

    def _edited(self) -> None:
        if not self._loading:
            self._debounce.start()

    def save_texts(self) -> None:
        """Keep the edits in the notes file; text equal to the generated one is not stored (nothing
        is saved before the topic's texts have arrived)."""
        if self.topic not in self._generated:
            return
        gen_bl, gen_cons = self._generated[self.topic]
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

    def update_preview(self) -> PageJob:
        """Save the edits and redraw the preview in the background (a newer request replaces an older one)."""
        self._debounce.stop()
        self.save_texts()
        old = self.preview_job
        if old is not None:
            old.cancel()
        ratio = self.devicePixelRatioF() if self.isVisible() else 1.0
        # crisp on high-DPI screens: paint at the device resolution
        job = PageJob(self, dpi=round(PREVIEW_DPI * max(1.0, ratio)), ratio=max(1.0, ratio))
        job.done.connect(lambda image, j=job: self._show_preview(j, image))
        job.failed.connect(lambda exc, j=job: self._preview_failed(j, exc))
        self.preview_job = job
        return job.start()

    def _show_preview(self, job: PageJob, image: QImage) -> None:
        if job is not self.preview_job or self.closed:
            return
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.last_image = image
        spec = job.draft.spec if job.draft is not None else None
        more = []
        if spec is not None and spec.policy_more:
            more.append(f"{spec.policy_more:,} more policy actions")
        if spec is not None and spec.considerations_more:
            more.append(f"{spec.considerations_more:,} more considerations")
        if spec is not None and job.draft is not None and job.draft.plan.pages > 1:
            more.append("the numbered sources, on page 2")
        self.more_label.setText(("Not on page 1: " + ", ".join(more)) if more else "")
        self.changes_label.setText(changes_summary(spec) if spec is not None else "")
        self.preview_ready.emit()

    def _preview_failed(self, job: PageJob, exc: object) -> None:
        if job is self.preview_job and not self.closed and not isinstance(exc, Cancelled):
            self.more_label.setText(f"The preview could not be drawn: {exc}")

    def save(self) -> PageJob | None:
        formats = (self.fmt,) + tuple(f for f in FORMAT_NAMES if f != self.fmt)
        answer = ask_path(self, "Save one-pager", f"briefing-{self.topic}", formats)
        if answer is None:
            return None
        return self.save_to(answer[0], fmt=answer[1])

    def save_to(self, out: Path, *, fmt: str | None = None) -> PageJob:
        """Write the PDF of the current topic, paper and edits to `out` in the background.

        Progress and Cancel show in the dialog; on success the dialog closes, a failure shows a
        message (plain text), a cancel leaves no file. Returns the job (its `done` carries the path)."""
        self.save_texts()
        self.save_settings()
        if self.save_job is not None and not self.save_job.is_finished():
            self.save_job.cancel()
        fmt = fmt or (
            Path(out).suffix.lstrip(".").lower() if Path(out).suffix.lstrip(".").lower() in FORMAT_NAMES else self.fmt
        )
        job = PageJob(self, out=Path(out), fmt=fmt)
        job.progress.connect(self._on_progress)
        job.done.connect(lambda _path: None if self.closed else self.accept())
        job.failed.connect(self._on_save_failed)
        job.finished.connect(lambda: self._show_progress(False))
        self.save_job = job
        self._show_progress(True, f"Saving the {fmt.upper()}")
        return job.start()

    def cancel_save(self) -> None:
        if self.save_job is not None:
            self.save_job.cancel()
            self.progress_label.setText("Cancelling…")

    def _show_progress(self, on: bool, label: str = "") -> None:
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(on)
        self.save_button.setEnabled(not on)
        if on:
            self.progress_label.setText(label)
            self.progress_bar.setValue(0)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(round(fraction * 1000))
        if message:
            self.progress_label.setText(message)

    def _on_save_failed(self, exc: object) -> None:
        if not isinstance(exc, Cancelled) and not self.closed:
            show_error(self, "Export failed", exc)

    def done(self, result: int) -> None:  # Qt override: stop the jobs
        self.closed = True
        for job in (self.preview_job, self.save_job):
            if job is not None:
                job.cancel()
        super().done(result)


def changes_summary(spec: Any) -> str:
    """The dialog's "What changed since your last brief" text (plain)."""
    if not spec.last_brief:
        return "What changed since your last brief: no earlier brief on this topic."
    if not spec.changes:
        return f"What changed since your last brief ({spec.last_brief}): none of the figures it quoted."
    lines = [f"What changed since your last brief ({spec.last_brief}):"]
    lines += [f"\u2022 {c.title}: {change_text(c)}" for c in spec.changes]
    return "\n".join(lines)
