"""The one-pager export runs through the task runner: the window keeps ticking, Cancel and failures
leave no file, a failure is shown as a message. No timed asserts (the gap is in benchmarks/)."""

from __future__ import annotations

import time

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QMessageBox

from briefing.core.errors import Cancelled
from briefing.render.pdf import draft_page, write_brief
from briefing.ui import onepager_dialog, tasks
from briefing.ui.onepager_dialog import OnePagerDialog


def _ready_dialog(qtbot, home, topic="overview") -> OnePagerDialog:
    dialog = OnePagerDialog(home, topic=topic)
    qtbot.addWidget(dialog)
    if not dialog.preview_job.is_finished():
        with qtbot.waitSignal(dialog.preview_job.finished, timeout=20_000):
            pass
    return dialog


class Ticker:
    """A 10 ms QTimer on the GUI thread: counts ticks and the largest gap between them."""

    def __init__(self) -> None:
        self.ticks, self.max_gap_ms = 0, 0
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1
        self.max_gap_ms = max(self.max_gap_ms, self.clock.restart())

    def stop(self) -> None:
        self.timer.stop()


def test_save_runs_in_tasks_and_the_event_loop_keeps_ticking(qtbot, home, tmp_path, monkeypatch):
    started: list[tasks.Task] = []
    delivered: list[str] = []
    real_run_task = tasks.run_task

    def spy(fn, *args, **kwargs):
        task = real_run_task(fn, *args, **kwargs)
        started.append(task)
        task.done.connect(lambda _value, name=task.name: delivered.append(name))
        return task

    monkeypatch.setattr(tasks, "run_task", spy)
    dialog = _ready_dialog(qtbot, home)
    started.clear()
    delivered.clear()
    out = tmp_path / "brief.pdf"
    ticker = Ticker()
    real_draft = onepager_dialog.draft_page

    def draft_while_the_gui_ticks(*args, **kwargs):  # worker thread: wait for 3 GUI-thread ticks
        deadline = time.monotonic() + 10
        while ticker.ticks < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        return real_draft(*args, **kwargs)

    monkeypatch.setattr(onepager_dialog, "draft_page", draft_while_the_gui_ticks)
    ticker.start()
    progress: list[float] = []
    job = dialog.save_to(out)
    job.progress.connect(lambda fraction, _message: progress.append(fraction))
    assert dialog.progress_bar.isVisible() or not dialog.isVisible()  # shown with the dialog
    assert dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(job.done, timeout=20_000) as blocker:
        pass
    ticker.stop()
    assert blocker.args == [out]
    # the report + chart data + layout, then the painting + file: both through the task runner
    assert [t.name for t in started] == ["one-pager PDF draft", "one-pager PDF write"]
    assert delivered == ["one-pager PDF draft", "one-pager PDF write"]
    assert all(t.is_finished() for t in started)
    assert progress and max(progress) == 1.0
    assert len(PdfReader(str(out)).pages) == 1
    assert ticker.ticks >= 3  # the GUI thread kept delivering timer events while the draft task ran


def test_cancel_leaves_no_file(qtbot, home, tmp_path):
    dialog = _ready_dialog(qtbot, home)
    out = tmp_path / "brief.pdf"
    failures: list[object] = []
    job = dialog.save_to(out)
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        qtbot.mouseClick(dialog.cancel_button, onepager_dialog.Qt.MouseButton.LeftButton)
    assert failures and isinstance(failures[0], Cancelled)
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".brief.pdf.*")) == []
    assert not dialog.cancel_button.isVisible() and dialog.save_button.isEnabled()
    assert dialog.result() == 0 and not dialog.closed  # the dialog stays open for another try


def test_cancel_while_writing_leaves_no_file(qapp, home, tmp_path):
    with home.store() as store:
        draft = draft_page(store, "policy", with_chart=False)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        write_brief(draft, folder / "brief.pdf", cancelled=lambda: True)
    assert list(folder.iterdir()) == []  # neither the PDF nor its temp file


def test_failure_shows_a_message_and_leaves_no_file(qtbot, home, tmp_path):
    dialog = _ready_dialog(qtbot, home, topic="policy")
    blocker_file = tmp_path / "not-a-folder"
    blocker_file.write_text("x")
    out = blocker_file / "brief.pdf"  # its parent is a file: the write fails
    job = dialog.save_to(out)
    with qtbot.waitSignal(job.failed, timeout=20_000):
        pass
    boxes = [w for w in dialog.findChildren(QMessageBox) if w.accessibleName() == "Export failed"]
    assert len(boxes) == 1 and "not-a-folder" in boxes[0].text()
    assert not out.exists() and not dialog.closed
    for box in boxes:
        box.close()


def test_the_dialog_builds_no_chart_widget(qtbot, home, tmp_path):
    """The brief's chart is an SVG the workers draw: switching topics and saving make no chart widget
    on the GUI thread (building one was the dialog's longest GUI-thread slice)."""
    from PySide6.QtWidgets import QApplication

    from briefing.render.chart_base import ChartWidget

    before = {id(w) for w in QApplication.allWidgets() if isinstance(w, ChartWidget)}
    dialog = _ready_dialog(qtbot, home, topic="policy")
    dialog.topic_box.setCurrentIndex(0)  # the overview: another chart
    with qtbot.waitSignal(dialog.preview_job.finished, timeout=20_000):
        pass
    job = dialog.save_to(tmp_path / "overview.pdf")
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    made = [w for w in QApplication.allWidgets() if isinstance(w, ChartWidget) and id(w) not in before]
    assert made == []
    assert dialog.last_image is not None and not dialog.last_image.isNull()  # the preview was drawn
    assert len(PdfReader(str(tmp_path / "overview.pdf")).pages) >= 1
