"""The only threading code in the app: run a plain callable off the GUI thread, get signals back.

Usage (from the GUI thread)::

    task = run_task(sync_feed, home.data_path, url)      # fn(*args, progress=..., cancelled=...)
    task.progress.connect(bar.set_progress)               # (fraction 0..1, message)
    task.done.connect(self._on_synced)                    # the return value
    task.failed.connect(self._on_error)                   # the exception (TaskCancelled if never run)
    ...
    task.cancel()

Thread rules:

* `fn` runs on a pool thread. It must never touch a widget, and it must open its own
  `Store`/`NoteStore` (a SQLite connection belongs to the thread that opened it) and close it.
* `progress(fraction, message)` and `cancelled()` are the callbacks handed to `fn` (only if its
  signature accepts parameters of those names, or **kwargs). They are called on the pool thread and
  are thread-safe; `progress` is throttled so a chatty worker cannot flood the event queue.
* The signals `progress`, `done`, `failed` and `finished` are always emitted on the GUI thread
  (they are relayed through queued connections), so their slots may update widgets directly.
  Exactly one of `done`/`failed` is emitted per task, then `finished`.

Pools: the default pool ("db") has ONE worker, so everything that touches the database is
serialized (SQLite allows one writer; this also keeps reads consistent with writes). Pass
`task_pool="network"` for work that only fetches over the network and may run in parallel.

Cancellation is cooperative: after `cancel()`, `cancelled()` returns True and `fn` should stop
soon; whatever it then returns or raises is delivered as usual. A task cancelled before it started
never runs and fails with `TaskCancelled`.

`shutdown()` (installed on QCoreApplication.aboutToQuit by `install_shutdown_hook`) cancels every
task, drops queued ones and waits for running ones, so no worker outlives the app.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Qt, Signal, Slot

from briefing.core.errors import BriefingError

DB_POOL = "db"
NETWORK_POOL = "network"
PROGRESS_INTERVAL_S = 0.03  # at most ~33 progress updates a second reach the GUI
NETWORK_THREADS = 4

_pools: dict[str, QThreadPool] = {}
_active: set[Task] = set()  # strong refs until `finished`, so a caller may drop its Task


class TaskCancelled(BriefingError):
    """A task was cancelled before it started; delivered through `Task.failed`."""


def _pool(name: str) -> QThreadPool:
    if name not in (DB_POOL, NETWORK_POOL):
        raise ValueError(f"unknown task pool {name!r}")
    pool = _pools.get(name)
    if pool is None:
        pool = QThreadPool()
        pool.setMaxThreadCount(1 if name == DB_POOL else NETWORK_THREADS)
        pool.setExpiryTimeout(-1 if name == DB_POOL else 30_000)
        _pools[name] = pool
    return pool


class Task(QObject):
    """A handle on one background call. Create it with `run_task`, use it from the GUI thread."""

    progress = Signal(float, str)
    """(fraction 0..1, message); GUI thread."""
    done = Signal(object)
    """The callable's return value; GUI thread."""
    failed = Signal(object)
    """The exception the callable raised (or TaskCancelled); GUI thread."""
    finished = Signal()
    """After done or failed; GUI thread."""

    # Emitted on the worker thread, received on the GUI thread (queued), re-emitted publicly.
    _progress_relay = Signal(float, str)
    _result_relay = Signal(bool, object)

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.name = name
        self._cancel = threading.Event()
        self._finished = False
        self._progress_relay.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)
        self._result_relay.connect(self._relay_result, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the work to stop (any thread). `is_cancelled()` is True from now on."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """Thread-safe; this is the `cancelled` callback handed to the callable."""
        return self._cancel.is_set()

    def is_finished(self) -> bool:
        """True once done/failed has been delivered (GUI thread)."""
        return self._finished

    @Slot(float, str)
    def _relay_progress(self, fraction: float, message: str) -> None:
        if not self._finished:
            self.progress.emit(fraction, message)

    @Slot(bool, object)
    def _relay_result(self, ok: bool, value: object) -> None:
        self._finished = True
        try:
            (self.done if ok else self.failed).emit(value)
            self.finished.emit()
        finally:
            _active.discard(self)


class _Runnable(QRunnable):
    """Runs on a pool thread; talks to the GUI only through the task's relay signals."""

    def __init__(self, task: Task, fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Task keeps it; Python owns its lifetime
        self.task, self.fn, self.args, self.kwargs = task, fn, args, kwargs
        self._last_progress = 0.0

    def _progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self.task._progress_relay.emit(float(max(0.0, min(1.0, fraction))), str(message))

    def run(self) -> None:  # pool thread
        task = self.task
        if task.is_cancelled():
            task._result_relay.emit(False, TaskCancelled(f"{task.name or 'task'} cancelled"))
            return
        kwargs = dict(self.kwargs)
        accepted = _accepted_callbacks(self.fn)
        if "progress" in accepted:
            kwargs.setdefault("progress", self._progress)
        if "cancelled" in accepted:
            kwargs.setdefault("cancelled", task.is_cancelled)
        try:
            result = self.fn(*self.args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI, not the pool
            task._result_relay.emit(False, exc)
        else:
            task._result_relay.emit(True, result)


def _accepted_callbacks(fn: Callable[..., Any]) -> set[str]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return set()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return {"progress", "cancelled"}
    return {name for name in ("progress", "cancelled") if name in params}


def run_task(fn: Callable[..., Any], *args: Any, task_pool: str = DB_POOL, task_name: str = "", **kwargs: Any) -> Task:
    """Run `fn(*args, **kwargs)` on a pool thread and return its Task (call from the GUI thread).

    `progress` and `cancelled` are added to kwargs when `fn` accepts them. `task_pool` is "db"
    (serialized, the default) or "network" (parallel). Connect to the Task's signals right after
    this call: results are queued, so none is delivered before control returns to the event loop.
    """
    task = Task(task_name or getattr(fn, "__name__", "task"))
    runnable = _Runnable(task, fn, args, kwargs)
    task._runnable = runnable  # type: ignore[attr-defined]
    _active.add(task)
    _pool(task_pool).start(runnable)
    return task


def active_tasks() -> list[Task]:
    """Tasks started and not yet finished (GUI thread)."""
    return list(_active)


def shutdown(timeout_ms: int = 5_000) -> bool:
    """Cancel every task, drop queued ones, wait for running ones. True if all stopped in time."""
    for task in list(_active):
        task.cancel()
        runnable = getattr(task, "_runnable", None)
        for pool in _pools.values():
            if runnable is not None and pool.tryTake(runnable):  # queued, never started
                task._relay_result(False, TaskCancelled(f"{task.name or 'task'} cancelled"))
                break
    ok = True
    for pool in _pools.values():
        ok = pool.waitForDone(timeout_ms) and ok
    return ok


def install_shutdown_hook(app: QCoreApplication) -> None:
    """Run `shutdown()` when the application is about to quit."""
    app.aboutToQuit.connect(shutdown)
