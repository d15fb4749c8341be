"""The main window's status bar: data as-of, snapshot/feed version, last sync, STALE, task progress.

`BriefingStatusBar.track(task, label)` shows a running `tasks.Task` with a progress bar and a
Cancel button, and shows its failure as a plain-text message box; a task that stopped on request
(`Cancelled`, whichever task raised it) shows nothing.
GUI thread only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressBar, QPushButton, QStatusBar, QWidget

from briefing.core import dates, numbers
from briefing.core.errors import Cancelled
from briefing.ui import plain
from briefing.ui.tasks import Task


def parse_when(value: str | None) -> dt.datetime | None:
    """An ISO date or date-time from meta as an aware UTC datetime (dates mean midnight UTC)."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def is_stale(meta: dict[str, str], now: dt.datetime | None = None) -> bool:
    """True when the feed's expiry (meta `feed_expires_at`) is earlier than now."""
    expires = parse_when(meta.get("feed_expires_at"))
    return expires is not None and expires < (now or dt.datetime.now(dt.timezone.utc))


def show_error(parent: QWidget | None, title: str, error: object) -> None:
    """A plain-text error box (the message may quote data, so never rich text)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(str(error) or type(error).__name__)
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal without a nested event loop, so background work keeps going


class BriefingStatusBar(QStatusBar):
    """Permanent data labels on the right; task progress and Cancel when work is running."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Status bar")
        self.task_label = plain.label("", name="Background task")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Background task progress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(180)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel background task")
        self.cancel_button.clicked.connect(self.cancel_all)
        for w in (self.task_label, self.progress, self.cancel_button):
            self.addWidget(w)
            w.hide()
        self.old_label = plain.label("OLD DATA", name="Data age warning")
        self.old_label.setStyleSheet("color: white; background: #b42318; font-weight: bold; padding: 1px 6px;")
        self.stale_label = plain.label("STALE", name="Stale data mark")
        self.stale_label.setStyleSheet("color: white; background: #b00020; font-weight: bold; padding: 1px 6px;")
        self.as_of_label = plain.label("", name="Data as of")
        self.version_label = plain.label("", name="Data version")
        self.sync_label = plain.label("", name="Last sync")
        for w in (self.old_label, self.stale_label, self.as_of_label, self.version_label, self.sync_label):
            self.addPermanentWidget(w)
        self.stale_label.hide()
        self.old_label.hide()
        self._tasks: list[tuple[Task, str]] = []

    def set_meta(
        self,
        meta: dict[str, str],
        now: dt.datetime | None = None,
        stale_after_days: int = dates.DEFAULT_STALE_AFTER_DAYS,
    ) -> None:
        """Show the data date and its age, versions, last sync, the STALE mark (an expired feed) and
        the OLD DATA mark (data date more than `stale_after_days` ago, whatever the data's origin)."""
        today = (now or dt.datetime.now(dt.timezone.utc)).date()
        as_of = meta.get("data_as_of")
        age = dates.age_days(as_of, today=today)
        self.as_of_label.setText(
            f"Data as of {as_of or 'unknown'}" + ("" if age is None else f" ({numbers.plural(age, 'day')} old)")
        )
        old = dates.is_old(as_of, today=today, stale_after_days=stale_after_days)
        self.old_label.setVisible(old)
        if old:
            self.old_label.setToolTip(
                plain.tooltip(
                    f"The data date ({as_of or 'unknown'}) is more than {stale_after_days} days before today: "
                    "check for newer figures before quoting them (Help > Methods and definitions)."
                )
            )
            self.old_label.setAccessibleDescription(f"Data older than {stale_after_days} days")
        version = f"Snapshot v{meta.get('snapshot_version') or '?'}"
        if meta.get("feed_version"):
            version += f" · feed v{meta['feed_version']}"
        self.version_label.setText(version)
        last = meta.get("last_sync")
        self.sync_label.setText(f"Last sync: {last.replace('T', ' ').replace('Z', ' UTC') if last else 'never'}")
        stale = is_stale(meta, now)
        self.stale_label.setVisible(stale)
        if stale:
            expiry = meta.get("feed_expires_at", "")
            self.stale_label.setToolTip(plain.tooltip(f"The feed expired on {expiry}: sync to get current data."))
            self.stale_label.setAccessibleDescription(f"Feed expired {expiry}")

    # -- background tasks ------------------------------------------------------------------------
    def track(self, task: Task, label: str, *, error_title: str | None = None) -> Task:
        """Show `task` here until it finishes; its failure (not a cancel) opens a message box."""
        self._tasks.append((task, label))
        task.progress.connect(lambda f, m, t=task: self._on_progress(t, f, m))
        task.failed.connect(lambda exc, text=label: self._on_failed(error_title or f"{text} failed", exc))
        task.finished.connect(lambda t=task: self._on_finished(t))
        self._show_current()
        return task

    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self) -> None:
        for task, _ in self._tasks:
            task.cancel()
        self.task_label.setText("Cancelling…")

    def _show_current(self) -> None:
        running = bool(self._tasks)
        for w in (self.task_label, self.progress, self.cancel_button):
            w.setVisible(running)
        if running:
            task, label = self._tasks[-1]
            self.task_label.setText(label)
            self.progress.setRange(0, 0)  # busy until the first progress report

    def _on_progress(self, task: Task, fraction: float, message: str) -> None:
        if self._tasks and self._tasks[-1][0] is task:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(fraction * 1000))
            if message:
                self.task_label.setText(f"{self._tasks[-1][1]}: {message}")

    def _on_failed(self, title: str, exc: object) -> None:
        if not isinstance(exc, Cancelled):  # Cancel is not a failure: no box
            show_error(self.window(), title, exc)

    def _on_finished(self, task: Task) -> None:
        self._tasks = [(t, text) for t, text in self._tasks if t is not task]
        self._show_current()
