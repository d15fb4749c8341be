"""tasks.py: results, errors, progress and cancellation arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from briefing.core.errors import BriefingError, Cancelled
from briefing.ui import tasks


def _on_gui_thread() -> bool:
    from PySide6.QtWidgets import QApplication

    return QThread.currentThread() is QApplication.instance().thread()


def test_done_delivered_on_gui_thread_with_result(qtbot):
    worker_threads = []

    def work(a, b):
        worker_threads.append(threading.current_thread())
        return a + b

    seen = {}
    task = tasks.run_task(work, 2, b=3)
    task.done.connect(lambda value: seen.update(value=value, gui=_on_gui_thread()))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen == {"value": 5, "gui": True}
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    assert task.is_finished()


def test_failed_delivers_the_exception_on_gui_thread(qtbot):
    def work():
        raise BriefingError("feed unreachable")

    seen = {}
    task = tasks.run_task(work)
    task.failed.connect(lambda exc: seen.update(exc=exc, gui=_on_gui_thread()))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert isinstance(seen["exc"], BriefingError) and str(seen["exc"]) == "feed unreachable"
    assert seen["gui"] is True


def test_progress_and_cancel(qtbot):
    started = threading.Event()

    def work(*, progress, cancelled):
        progress(0.0, "starting")
        started.set()
        steps = 0
        while not cancelled():
            steps += 1
            time.sleep(0.005)
            progress(min(steps / 1000, 0.99), f"step {steps}")
            if steps > 4000:  # never reached unless cancel is broken
                return "not cancelled"
        return "stopped"

    progress_seen = []
    results = []
    task = tasks.run_task(work, task_name="spin")
    task.progress.connect(lambda f, m: progress_seen.append((f, m, _on_gui_thread())))
    task.done.connect(results.append)
    qtbot.waitUntil(lambda: bool(progress_seen), timeout=5000)
    assert started.wait(5)
    task.cancel()
    assert task.is_cancelled()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert results == ["stopped"]
    assert progress_seen[0][1] == "starting"
    assert all(gui for _, _, gui in progress_seen)
    assert all(0.0 <= f <= 1.0 for f, _, _ in progress_seen)


def test_callbacks_only_passed_when_accepted(qtbot):
    task = tasks.run_task(lambda: "plain")
    with qtbot.waitSignal(task.done, timeout=5000) as blocker:
        pass
    assert blocker.args == ["plain"]


def test_db_pool_serializes_and_cancel_before_start_never_runs(qtbot):
    gate = threading.Event()
    ran = []

    def first():
        gate.wait(5)
        ran.append("first")

    def second():
        ran.append("second")

    t1 = tasks.run_task(first)
    t2 = tasks.run_task(second)
    t2.cancel()
    failures = []
    t2.failed.connect(failures.append)
    gate.set()
    with qtbot.waitSignals([t1.finished, t2.finished], timeout=5000):
        pass
    assert ran == ["first"]
    assert isinstance(failures[0], Cancelled)


def test_network_pool_runs_in_parallel(qtbot):
    barrier = threading.Barrier(2, timeout=5)
    ts = [tasks.run_task(barrier.wait, task_pool=tasks.NETWORK_POOL) for _ in range(2)]
    with qtbot.waitSignals([t.done for t in ts], timeout=5000):
        pass


def test_unknown_pool_rejected():
    with pytest.raises(ValueError):
        tasks.run_task(print, task_pool="nope")


def test_shutdown_cancels_queued_and_waits(qtbot):
    started = threading.Event()

    def running(cancelled):
        started.set()
        deadline = time.monotonic() + 5
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.002)
        return cancelled()

    t1 = tasks.run_task(running)
    t2 = tasks.run_task(lambda: "never")
    failures, results = [], []
    t1.done.connect(results.append)
    t2.failed.connect(failures.append)
    assert started.wait(5)
    assert tasks.shutdown(5000)
    # Both outcomes are delivered before shutdown returns: t1 saw the cancel, t2 never ran.
    assert results == [True]
    assert isinstance(failures[0], Cancelled)
    assert t1.is_finished() and t2.is_finished()
    assert tasks.active_tasks() == []
