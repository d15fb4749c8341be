"""The export dialog: preview of the page, edits kept with the notes, PDF saved; chart/table exports."""

from __future__ import annotations

import csv

from pypdf import PdfReader
from PySide6.QtWidgets import QMainWindow

from briefing.core.report import bottom_line_key
from briefing.render.charts import build_chart
from briefing.ui import export
from briefing.ui.export import export_chart_dialog, export_table_dialog
from briefing.ui.onepager_dialog import OnePagerDialog


def _dialog(qtbot, home, **kwargs) -> OnePagerDialog:
    """A dialog whose first preview (drawn in the background) has arrived."""
    dialog = OnePagerDialog(home, **kwargs)
    qtbot.addWidget(dialog)
    _wait_preview(qtbot, dialog)
    return dialog


def _wait_preview(qtbot, dialog) -> None:
    job = dialog.preview_job
    if not job.is_finished():
        with qtbot.waitSignal(job.finished, timeout=20_000):
            pass
    assert dialog.last_image is not None


def _save(qtbot, dialog, out):
    job = dialog.save_to(out)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    return job


def test_preview_edit_and_save(qtbot, home, tmp_path):
    dialog = _dialog(qtbot, home, topic="policy")
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    assert "Whether export controls" in dialog.considerations.toPlainText()
    dialog.bottom_line.setPlainText("My <b>own</b> bottom line.")
    with qtbot.waitSignal(dialog.preview_ready, timeout=20_000):
        dialog.update_preview()
    with home.notes() as notes:
        assert notes.get_text(bottom_line_key("policy")) == "My <b>own</b> bottom line."
    with qtbot.waitSignal(dialog.finished, timeout=20_000):  # the dialog closes once the PDF is written
        job = dialog.save_to(tmp_path / "brief.pdf")
    out = tmp_path / "brief.pdf"
    assert job.is_finished() and out.exists()
    text = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "My <b>own</b> bottom line." in text  # literal, as typed

    again = _dialog(qtbot, home, topic="policy")  # the edit survives the dialog
    assert again.bottom_line.toPlainText() == "My <b>own</b> bottom line."
    again.reset_texts()
    assert again.bottom_line.toPlainText() != "My <b>own</b> bottom line."
    with home.notes() as notes:
        assert notes.get_text(bottom_line_key("policy")) is None


def test_switching_topic_and_paper_redraws(qtbot, home):
    dialog = _dialog(qtbot, home)
    letter = dialog.last_image.size()
    with qtbot.waitSignal(dialog.preview_ready, timeout=20_000):
        dialog.page_box.setCurrentIndex(1)  # A4: narrower and taller
    a4 = dialog.last_image.size()
    assert a4.width() < letter.width() and a4.height() > letter.height()
    dialog.topic_box.setCurrentIndex(2)
    assert dialog.topic == "investment"
    assert "commitments" in dialog.bottom_line.toPlainText()


def test_chart_and_table_exports(qtbot, home, store, tmp_path, monkeypatch):
    window = QMainWindow()
    qtbot.addWidget(window)
    tracked: list[tuple[str, str]] = []

    chart = build_chart(store, "investment-by-country")
    qtbot.addWidget(chart)
    monkeypatch.setattr(export, "ask_path", lambda *a: (tmp_path / "c.svg", "svg"))
    task = export_chart_dialog(window, chart, track=lambda t, label, title: tracked.append((label, title)))
    assert tracked == [("Exporting the chart", "Export failed")]
    with qtbot.waitSignal(task.done, timeout=10_000) as blocker:  # written by the task runner
        pass
    assert blocker.args == [tmp_path / "c.svg"]
    assert "<svg" in (tmp_path / "c.svg").read_text(encoding="utf-8")

    monkeypatch.setattr(export, "ask_path", lambda *a: (tmp_path / "m.csv", "csv"))
    task = export_table_dialog(window, home, "models", ["qwen2.5-72b", "deepseek-r1"])
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    rows = list(csv.reader((tmp_path / "m.csv").open(encoding="utf-8-sig", newline="")))
    assert [r[0] for r in rows[1:]] == ["qwen2.5-72b", "deepseek-r1"]
