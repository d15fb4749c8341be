"""The only threading code in the app: run a plain callable off the GUI thread, get signals back.

Usage (from the GUI thread)::

    task = run_task(run_feed_sync, str(home.dir))         # fn(*args, progress=..., cancelled=...)
    task.progress.connect(bar.set_progress)               # (fraction 0..1, message)
    task.done.connect(self._on_synced)                    # the return value
    task.failed.connect(self._on_error)                   # the exception (Cancelled if stopped)
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
never runs and fails with `errors.Cancelled`, which every surface ignores (see `core/progress.py`).

`shutdown()` (installed on QCoreApplication.aboutToQuit by `install_shutdown_hook`) cancels every
task, waits for the pools and delivers the outcomes, so no worker outlives the app.

Workers never hold a Task: they report through one process-wide relay QObject by task id, so every
Task is created, used and destroyed on the GUI thread whatever thread drops a reference last.

Also here: `Loader`, a view's "latest call wins" data loader, and `hold(task)` for a task made of
tasks (the one-pager's `PageJob` subclasses `Task`).
"""

from __future__ import annotations

import atexit
import inspect
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal, Slot

from briefing.core.errors import Cancelled

DB_POOL = "db"
NETWORK_POOL = "network"
PROGRESS_INTERVAL_S = 0.03  # at most ~33 progress updates a second reach the GUI
NETWORK_THREADS = 4

_pools: dict[str, QThreadPool] = {}
_active: dict[int, Task] = {}  # strong refs until `finished`, so a caller may drop its Task
_ids = itertools.count(1)


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


class _Relay(QObject):
    """Lives on the GUI thread for the whole process; workers emit its signals, never a Task's.

    Workers hold only a task id and the cancel flag, never the Task itself, so a Task (a QObject)
    is only ever created, used and destroyed on the GUI thread.
    """

    progress = Signal(int, float, str)
    result = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)

    @Slot(int, float, str)
    def _on_progress(self, task_id: int, fraction: float, message: str) -> None:
        task = _active.get(task_id)
        if task is not None:
            task._deliver_progress(fraction, message)

    @Slot(int, bool, object)
    def _on_result(self, task_id: int, ok: bool, value: object) -> None:
        task = _active.pop(task_id, None)
        if task is not None:
            task._deliver_result(ok, value)


_relay: _Relay | None = None


def _get_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class Task(QObject):
    """A handle on one background call. Create it with `run_task`, use it from the GUI thread."""

    progress = Signal(float, str)
    """(fraction 0..1, message); GUI thread."""
    done = Signal(object)
    """The callable's return value; GUI thread."""
    failed = Signal(object)
    """The exception the callable raised (Cancelled if it stopped on request); GUI thread."""
    finished = Signal()
    """After done or failed; GUI thread."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.name = name
        self.id = next(_ids)
        self._cancel = threading.Event()
        self._finished = False

    def cancel(self) -> None:
        """Ask the work to stop (any thread). `is_cancelled()` is True from now on."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """Thread-safe."""
        return self._cancel.is_set()

    def is_finished(self) -> bool:
        """True once done/failed has been delivered (GUI thread)."""
        return self._finished

    def _deliver_progress(self, fraction: float, message: str) -> None:
        if not self._finished:
            self.progress.emit(fraction, message)

    def _deliver_result(self, ok: bool, value: object, *, quiet: bool = False) -> None:
        """Finish: emit done/failed then finished (`quiet`: emit nothing, nobody is left to tell)."""
        _active.pop(self.id, None)
        self._finished = True
        if not quiet:
            (self.done if ok else self.failed).emit(value)
            self.finished.emit()


class _Work:
    """Runs on a pool thread; reports only through the process-wide relay (see `_Relay`).

    A plain Python callable handed to QThreadPool.start, so Qt manages the runnable wrapping it
    and no Qt object's lifetime depends on which thread drops the last Python reference.
    """

    def __init__(self, task: Task, fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> None:
        self.task_id, self.name, self.cancel_flag = task.id, task.name, task._cancel
        self.relay = _get_relay()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self._last_progress = 0.0

    def cancelled(self) -> bool:
        return self.cancel_flag.is_set()

    def _progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self.relay.progress.emit(self.task_id, float(max(0.0, min(1.0, fraction))), str(message))

    def __call__(self) -> None:  # pool thread
        if self.cancelled():
            self.relay.result.emit(self.task_id, False, Cancelled(f"{self.name or 'task'} cancelled"))
            return
        fn, args, kwargs = self.fn, self.args, dict(self.kwargs)
        self.fn = self.args = self.kwargs = None  # the worker keeps nothing of the caller's once done
        accepted = _accepted_callbacks(fn)
        if "progress" in accepted:
            kwargs.setdefault("progress", self._progress)
        if "cancelled" in accepted:
            kwargs.setdefault("cancelled", self.cancelled)
        try:
            outcome = (True, fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI, not the pool
            outcome = (False, exc)
        try:
            self.relay.result.emit(self.task_id, *outcome)
        except RuntimeError:  # the relay is gone: the process is exiting, nobody is waiting
            pass


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
    pool = _pool(task_pool)
    task = Task(task_name or getattr(fn, "__name__", "task"))
    _active[task.id] = task
    pool.start(_Work(task, fn, args, kwargs))
    return task


class Loader(QObject):
    """Runs `fn(*args)` on the task runner; emits `loaded(result)` for the latest call only,
    `failed(message)` on error. Older results that arrive late are dropped."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self.task: Task | None = None

    def start(self, fn: Callable[..., Any], *args: Any, name: str = "") -> Task:
        self._generation += 1
        generation = self._generation
        if self.task is not None and not self.task.is_finished():
            self.task.cancel()
        task = run_task(fn, *args, task_name=name)
        task.setProperty("generation", generation)
        # bound methods, not lambdas, and no reference kept once finished: a Task and a closure over
        # this (possibly already deleted) QObject in one garbage cycle crashes PySide's collector
        task.done.connect(self._done)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self.task = task
        return task

    def busy(self) -> bool:
        return self.task is not None and not self.task.is_finished()

    def _current(self) -> bool:
        task = self.sender()
        return task is not None and task.property("generation") == self._generation

    def _done(self, result: object) -> None:
        if self._current():
            self.loaded.emit(result)

    def _failed(self, exc: object) -> None:
        if self._current() and not isinstance(exc, Cancelled):
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _finished(self) -> None:
        if self.task is self.sender():
            self.task = None


def hold(task: Task) -> None:
    """Hold a task made of other tasks (a one-pager's `PageJob`) like `run_task` holds its own: listed
    in `active_tasks()`, cancelled by `shutdown()`, kept alive until it delivers its result."""
    _active[task.id] = task


def active_tasks() -> list[Task]:
    """Tasks started and not yet finished (GUI thread)."""
    return list(_active.values())


def shutdown(timeout_ms: int = 5_000) -> bool:
    """Cancel every task and wait for the pools; outcomes are delivered before this returns.

    Queued tasks see the cancel flag when they start and fail with Cancelled without running.
    True if every pool stopped within `timeout_ms`. GUI thread.
    """
    for task in list(_active.values()):
        task.cancel()
    ok = True
    for pool in _pools.values():
        ok = pool.waitForDone(timeout_ms) and ok
    if _relay is not None:
        QCoreApplication.sendPostedEvents(_relay, 0)  # deliver the queued outcomes now
    return ok


def _at_exit() -> None:
    # A script that never ran app.exec() gets no aboutToQuit: still stop workers before the
    # interpreter tears down the objects they report to.
    for task in list(_active.values()):
        task.cancel()
    for pool in _pools.values():
        pool.waitForDone(5_000)


atexit.register(_at_exit)


def install_shutdown_hook(app: QCoreApplication) -> None:
    """Run `shutdown()` when the application is about to quit."""
    app.aboutToQuit.connect(shutdown)
