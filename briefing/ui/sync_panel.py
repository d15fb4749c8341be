"""Sync in the app: the controller behind Data > Sync now and auto-sync, and the "What changed" review.

The main window builds the menu entries and connects a `SyncController`'s signals. The sync itself
is `briefing.core.sync.sync`, run through `tasks.run_task` on the serialized db pool (it opens its
own connections on that thread). Every text from the feed is shown as plain text. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from briefing.core.errors import Cancelled
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, Progress, never, noop
from briefing.core.sync_log import last_attempt
from briefing.core.settings import Settings
from briefing.ui import tasks

if TYPE_CHECKING:
    from briefing.core.staging import SyncResult

OK_OUTCOMES = ("applied", "unchanged")
CHECK_INTERVAL_MS = 10 * 60 * 1000  # how often the scheduler looks whether a sync is due
FIRST_CHECK_MS = 2 * 60 * 1000  # not at start-up: let the window settle first
OFFLINE_BACKOFF_MIN = (15, 30, 60, 120, 240)


def run_feed_sync(home_dir: str, *, progress: Progress = noop, cancelled: CancelCheck = never) -> SyncResult:
    """Worker: one feed sync of the home (opens its own connections)."""
    from briefing.core.sync import sync  # requests and cryptography load with the first sync, not at start-up

    return sync(Home(Path(home_dir)), source="feed", progress=progress, cancelled=cancelled)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else repr(value) if not isinstance(value, (list, dict)) else str(value)


def last_changes(home: Home) -> dict[str, Any] | None:
    """The latest applied sync in the log (with its field-level changes), or None."""
    return last_attempt(home.sync_log_path, outcomes=("applied",))


class WhatChangedDialog(QDialog):
    """Added, changed (field by field) and removed records of the latest applied sync."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What changed")
        self.setAccessibleName("What changed")
        layout = QVBoxLayout(self)
        entry = last_changes(home)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Change", "Record", "Before", "After"])
        self.tree.setAccessibleName("Changes since the previous sync")
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 520)
        if entry is None:
            self.summary.setText("No sync has changed the data yet.")
            return
        ver = f" (feed v{entry['version']})" if entry.get("version") is not None else ""
        counts = "; ".join(
            f"{name} " + (", ".join(f"{k} {n}" for k, n in entry[name].items()) or "none")
            for name in ("added", "changed", "removed")
        )
        self.summary.setText(f"{entry['source']}{ver} at {entry['finished_at']}: {counts}")
        for change in entry["changes"]:
            if change.get("action") == "truncated":
                QTreeWidgetItem(self.tree, ["…", f"{change['count']} more changes not listed", "", ""])
                continue
            item = QTreeWidgetItem(self.tree, [change["action"], f"{change['kind']} {change['id']}: {change['title']}", "", ""])
            for f in change.get("fields", []):
                QTreeWidgetItem(item, ["", f["field"], _text(f["old"]), _text(f["new"])])
        self.tree.expandAll()
        for col in range(4):
            self.tree.resizeColumnToContents(col)


class SyncController(QObject):
    """Runs feed syncs for one window: manual (Sync now) and scheduled (auto), never two at once.

    It only emits; the window connects: `task_started(task)` for a manual sync (the status bar shows
    it with Cancel), `message(text, ms)` for the status line, `synced(result)` after a sync applied or
    found nothing new (the window reloads), `sync_failed(message)` after a failure. A cancelled sync
    is neither: the data is as it was, and the status line says so.
    """

    task_started = Signal(object)  # tasks.Task
    message = Signal(str, int)  # text, how long to show it (ms)
    synced = Signal(object)  # SyncResult
    sync_failed = Signal(str)

    def __init__(self, home: Home, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.task: tasks.Task | None = None
        self.offline_failures = 0
        self.backoff_until: dt.datetime | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_due)

    def start_schedule(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        QTimer.singleShot(first_check_ms, self, self.check_due)
        self.timer.start()

    # -- scheduling -------------------------------------------------------------------------------
    def is_due(self, now: dt.datetime | None = None) -> bool:
        """Auto-sync on, not backing off, and the last success older than the interval."""
        now = now or dt.datetime.now(dt.timezone.utc)
        settings = Settings.load(self.home.settings_path)
        if not settings.auto_sync or self.task is not None:
            return False
        if self.backoff_until is not None and now < self.backoff_until:
            return False
        last = last_attempt(self.home.sync_log_path, source="feed", outcomes=OK_OUTCOMES)
        if last is None:
            return True
        when = dt.datetime.fromisoformat(last["finished_at"].replace("Z", "+00:00"))
        return now - when >= dt.timedelta(hours=settings.sync_interval_hours)

    def check_due(self) -> None:
        if self.is_due():
            self.sync_now(auto=True)

    # -- running ------------------------------------------------------------------------------------
    def sync_now(self, auto: bool = False) -> tasks.Task | None:
        """Start a feed sync (ignored while one runs). Manual failures open a box; auto ones don't."""
        if self.task is not None:
            return None
        task = tasks.run_task(run_feed_sync, str(self.home.dir), task_name="sync")
        self.task = task
        task.done.connect(self._on_done)
        task.failed.connect(lambda exc, a=auto: self._on_failed(exc, a))
        task.finished.connect(self._on_finished)
        if auto:
            task.progress.connect(lambda f, m: self.message.emit(f"Auto-sync: {m}", 3000))
        else:
            self.task_started.emit(task)
        return task

    def _on_done(self, result: SyncResult) -> None:
        self.offline_failures = 0
        self.backoff_until = None
        self.message.emit(result.summary(), 15000)
        self.synced.emit(result)

    def _on_failed(self, exc: BaseException, auto: bool) -> None:
        if isinstance(exc, Cancelled):  # stopped on request: the data is as it was, nothing to report
            self.message.emit("Sync cancelled: the data is as it was", 5000)
            return
        message = str(exc)
        if message.startswith("offline"):
            # Back off while offline: 15 min, 30, 60 ... so a laptop on a train is not hammered.
            delay = OFFLINE_BACKOFF_MIN[min(self.offline_failures, len(OFFLINE_BACKOFF_MIN) - 1)]
            self.offline_failures += 1
            self.backoff_until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=delay)
        if auto:
            self.message.emit(f"Auto-sync failed: {message}", 15000)
        self.sync_failed.emit(message)

    def _on_finished(self) -> None:
        self.task = None
