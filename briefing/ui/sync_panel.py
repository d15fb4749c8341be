"""Sync in the app: the controller behind Data > Sync now and auto-sync, and the "What changed" review.

The main window builds the menu entries and connects a `SyncController`'s signals. Sync now runs
every source `briefing sync --source all` runs (`core.sync.sync_all`: the feed, the Hub, the Federal
Register), each all or nothing, with per-source progress and Cancel in the status bar; it first
probes the sources' hosts on the network pool (`core.sync.probe`, a few seconds at most, even while
the database thread is busy), so being offline is known at once and the message says that nothing
changed and which data is in use. Auto-sync runs the feed only (`core.sync.sync`). Syncs run through
`tasks.run_task` on the serialized db pool (they open their own connections on that thread). Every
text from the feed is shown as plain text. GUI thread only.
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
from briefing.core.settings import Settings
from briefing.core.sync_log import last_attempt
from briefing.ui import tasks

if TYPE_CHECKING:
    from briefing.core.staging import SyncResult

OK_OUTCOMES = ("applied", "unchanged")
CHECK_INTERVAL_MS = 10 * 60 * 1000  # how often the scheduler looks whether a sync is due
FIRST_CHECK_MS = 2 * 60 * 1000  # not at start-up: let the window settle first
OFFLINE_BACKOFF_MIN = (15, 30, 60, 120, 240)
#: `core.sync.SOURCES` (a test keeps them equal): named here so start-up never imports the sync
#: module, which loads requests and cryptography.
SYNC_SOURCES = ("feed", "huggingface", "federal_register")
#: Attempts this close to the newest one belong to the same Sync now.
SAME_RUN_S = 15 * 60


def run_feed_sync(home_dir: str, *, progress: Progress = noop, cancelled: CancelCheck = never) -> SyncResult:
    """Worker: one feed sync of the home (opens its own connections)."""
    from briefing.core.sync import sync  # requests and cryptography load with the first sync, not at start-up

    return sync(Home(Path(home_dir)), source="feed", progress=progress, cancelled=cancelled)


def probe_sources(
    home_dir: str, endpoints: dict[str, str] | None = None, *, cancelled: CancelCheck = never
) -> str | None:
    """Worker (network pool): None when a source's host answers, else the 'offline: ...' line."""
    from briefing.core import sync

    home = Home(Path(home_dir))
    return sync.probe(sync.endpoints_of(home, endpoints=endpoints), cancelled=cancelled)


def run_all_sync(
    home_dir: str, endpoints: dict[str, str] | None = None, *, progress: Progress = noop, cancelled: CancelCheck = never
) -> tuple[list[SyncResult], list[str]]:
    """Worker: every source, as `briefing sync --source all` (each all or nothing)."""
    from briefing.core.sync import sync_all

    return sync_all(Home(Path(home_dir)), endpoints=endpoints, progress=progress, cancelled=cancelled)


def data_in_use(home: Home) -> str:
    """'snapshot v1 (feed v3), data as of 2026-08-22': what the app shows now."""
    with home.store() as store:
        meta = store.meta()
    version = f"snapshot v{meta.get('snapshot_version') or '?'}"
    if meta.get("feed_version"):
        version += f", feed v{meta['feed_version']}"
    return f"{version}, data as of {meta.get('data_as_of') or 'unknown'}"


def all_sync_report(home: Home, results: list[SyncResult], errors: list[str]) -> tuple[str, bool]:
    """(plain text, whether anything failed) for the box after Sync now: one line per source."""
    lines = [r.summary() for r in results] + [f"{e} (nothing changed from this source)" for e in errors]
    if errors and not results and all(": offline" in e for e in errors):
        head = "You are offline: nothing changed."
    elif errors:
        head = f"{len(errors)} of {len(results) + len(errors)} sources failed; the others synced."
    else:
        head = "Every source synced."
    return f"{head}\nIn use: {data_in_use(home)}.\n\n" + "\n".join(lines), bool(errors)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else repr(value) if not isinstance(value, (list, dict)) else str(value)


def last_changes(home: Home) -> list[dict[str, Any]]:
    """The latest applied sync of each source (a Sync now runs them all), newest first, with their
    field-level changes; [] when none applied yet."""
    found = [last_attempt(home.sync_log_path, source=s, outcomes=("applied",)) for s in SYNC_SOURCES]
    return sorted((e for e in found if e), key=lambda e: str(e.get("finished_at")), reverse=True)


def last_run(home: Home) -> list[dict[str, Any]]:
    """`last_changes` of the latest Sync now only: the attempts finished near the newest one."""
    entries = last_changes(home)
    if not entries:
        return []
    newest = _when(entries[0])
    return [
        e
        for e in entries
        if newest is None or (_when(e) is not None and (newest - _when(e)).total_seconds() <= SAME_RUN_S)
    ]


def _when(entry: dict[str, Any]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(entry.get("finished_at")).replace("Z", "+00:00"))
    except ValueError:
        return None


def _counts(entry: dict[str, Any]) -> str:
    return "; ".join(
        f"{name} " + (", ".join(f"{k} {n}" for k, n in entry[name].items()) or "none")
        for name in ("added", "changed", "removed")
    )


class WhatChangedDialog(QDialog):
    """Added, changed (field by field) and removed records of the latest applied sync of each source."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What changed")
        self.setAccessibleName("What changed")
        layout = QVBoxLayout(self)
        entries = last_changes(home)
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
        if not entries:
            self.summary.setText("No sync has changed the data yet.")
            return
        lines = []
        for entry in entries:
            ver = f" (feed v{entry['version']})" if entry.get("version") is not None else ""
            lines.append(f"{entry['source']}{ver} at {entry['finished_at']}: {_counts(entry)}")
            for change in entry["changes"]:
                if change.get("action") == "truncated":
                    QTreeWidgetItem(self.tree, ["…", f"{change['count']} more changes not listed", "", ""])
                    continue
                item = QTreeWidgetItem(
                    self.tree, [change["action"], f"{change['kind']} {change['id']}: {change['title']}", "", ""]
                )
                for f in change.get("fields", []):
                    QTreeWidgetItem(item, ["", f["field"], _text(f["old"]), _text(f["new"])])
        self.summary.setText("\n".join(lines))
        self.tree.expandAll()
        for col in range(4):
            self.tree.resizeColumnToContents(col)


class SyncController(QObject):
    """Runs syncs for one window: manual (Sync now: every source) and scheduled (auto: the feed),
    never two at once.

    It only emits; the window connects: `task_started(task)` for a manual sync (the status bar shows
    it with Cancel), `message(text, ms)` for the status line, `synced(result)` after a sync applied or
    found nothing new (the window reloads), `sync_failed(message)` after a failure, `reported(text,
    failed)` after Sync now (the window's box). A cancelled sync is neither: the data is as it was,
    and the status line says so.
    """

    task_started = Signal(object)  # tasks.Task
    message = Signal(str, int)  # text, how long to show it (ms)
    synced = Signal(object)  # SyncResult (or the list of them after Sync now)
    sync_failed = Signal(str)
    #: after Sync now: (report text, whether a source failed) for the window's box
    reported = Signal(str, bool)

    def __init__(self, home: Home, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.task: tasks.Task | None = None
        self.offline_failures = 0
        self.backoff_until: dt.datetime | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_due)
        #: other base addresses of the public sources (tests, mirrors), as `sync_all` takes them
        self.endpoints: dict[str, str] | None = None
        self.last_report: tuple[str, bool] | None = None

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

    def sync_all_now(self) -> tasks.Task | None:
        """Data > Sync now: probe the hosts (network pool), then every source (db pool). Ignored
        while a sync runs. Offline: the report says nothing changed and which data is in use."""
        if self.task is not None:
            return None
        probe = tasks.run_task(
            probe_sources, str(self.home.dir), self.endpoints, task_pool=tasks.NETWORK_POOL, task_name="sync probe"
        )
        self.task = probe
        probe.done.connect(self._on_probed)
        probe.failed.connect(lambda exc: self._on_failed(exc, False))
        probe.finished.connect(lambda p=probe: self._clear(p))
        self.task_started.emit(probe)
        return probe

    def _on_probed(self, offline: str | None) -> None:
        self.task = None
        if offline:
            self._backoff()
            text = f"You are offline ({offline.removeprefix('offline: ')}): nothing changed.\nIn use: {data_in_use(self.home)}."
            self.message.emit(text.replace("\n", " "), 15000)
            self.last_report = (text, True)
            self.reported.emit(text, True)
            self.sync_failed.emit(offline)
            return
        task = tasks.run_task(run_all_sync, str(self.home.dir), self.endpoints, task_name="sync all")
        self.task = task
        task.done.connect(self._on_all_done)
        task.failed.connect(lambda exc: self._on_failed(exc, False))
        task.finished.connect(self._on_finished)
        self.task_started.emit(task)

    def _on_all_done(self, outcome: tuple[list[SyncResult], list[str]]) -> None:
        results, errors = outcome
        text, failed = all_sync_report(self.home, results, errors)
        if results:
            self.offline_failures = 0
            self.backoff_until = None
        self.message.emit(text.splitlines()[0], 15000)
        self.last_report = (text, failed)
        self.reported.emit(text, failed)
        if results:
            self.synced.emit(results)
        else:
            self.sync_failed.emit(errors[0] if errors else "")

    def _backoff(self) -> None:
        # Back off while offline: 15 min, 30, 60 ... so a laptop on a train is not hammered.
        delay = OFFLINE_BACKOFF_MIN[min(self.offline_failures, len(OFFLINE_BACKOFF_MIN) - 1)]
        self.offline_failures += 1
        self.backoff_until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=delay)

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
            self._backoff()
        if auto:
            self.message.emit(f"Auto-sync failed: {message}", 15000)
        self.sync_failed.emit(message)

    def _on_finished(self) -> None:
        self.task = None

    def _clear(self, task: tasks.Task) -> None:
        if self.task is task:
            self.task = None
