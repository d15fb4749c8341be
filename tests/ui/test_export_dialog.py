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
    assert dialog.last_image is not None, dialog.more_label.text()


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
    with qtbot.waitSignal(again.texts_ready, timeout=20_000):  # the generated text comes from a task
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
    with qtbot.waitSignal(dialog.texts_ready, timeout=20_000):
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


def test_prepared_by_for_are_settings_and_the_dialog_always_lists_changes(qtbot, home, tmp_path):
    from briefing.core.records import validate
    from briefing.core.settings import Settings

    dialog = _dialog(qtbot, home, topic="adoption")
    assert "no earlier brief on this topic" in dialog.changes_label.text()
    dialog.prepared_by.setText("A. Staffer <script>")
    dialog.prepared_for.setText("Rep. Member")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        dialog.save_to(tmp_path / "first.pdf")
    settings = Settings.load(home.settings_path)
    assert (settings.prepared_by, settings.prepared_for) == ("A. Staffer <script>", "Rep. Member")
    text = " ".join(PdfReader(str(tmp_path / "first.pdf")).pages[0].extract_text().split())
    assert "Prepared by A. Staffer <script> for Rep. Member" in text
    with home.store(readonly=False) as store:  # a record changes after the brief
        rec = next(r for r in store.records("adoption") if r["metric"] == "download_share")
        store.put_records("adoption", [validate("adoption", {**rec, "value": rec["value"] + 2})], origin="local")
    again = _dialog(qtbot, home, topic="adoption")
    assert again.prepared_by.text() == "A. Staffer <script>"  # remembered
    assert "What changed since your last brief" in again.changes_label.text()
    assert "+2 percentage points" in again.changes_label.text() and "a corrected record" in again.changes_label.text()
    assert again.changes_label.textFormat() == again.changes_label.textFormat().PlainText


def test_word_and_slides_from_the_dialog(qtbot, home, tmp_path):
    import docx
    from pptx import Presentation

    dialog = _dialog(qtbot, home, topic="policy")
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
    assert dialog.fmt == "docx"
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        dialog.save_to(tmp_path / "brief.docx")
    assert docx.Document(str(tmp_path / "brief.docx")).core_properties.title.startswith("Open Model Briefing")
    again = _dialog(qtbot, home, topic="policy")
    with qtbot.waitSignal(again.finished, timeout=20_000):
        again.save_to(tmp_path / "brief.pptx")  # the suffix says which
    assert len(Presentation(str(tmp_path / "brief.pptx")).slides) >= 3


def test_copy_citation_on_a_figure_a_chart_and_a_record(qtbot, home):
    from PySide6.QtWidgets import QApplication

    from briefing.ui.detail import DetailPane
    from briefing.ui.views.investment import InvestmentView
    from briefing.ui.views.overview import OverviewView

    overview = OverviewView(home)
    qtbot.addWidget(overview)
    overview.refresh()
    card = overview.cards[0]
    assert [a.text() for a in card.actions()] == ["Copy citation"]
    card.actions()[0].trigger()
    text = QApplication.clipboard().text()
    assert text.startswith(card.figure.title + ": ") and "Compiled in Open Model Briefing, data current to" in text
    pane = DetailPane(home)
    qtbot.addWidget(pane)
    assert not pane.cite_button.isEnabled()
    with home.store() as store:
        rid = sorted(store.ids("policy_action"))[0]
        title = store.record("policy_action", rid)["title"]
    pane.show_record("policy_action", rid)
    pane.cite_button.click()
    assert QApplication.clipboard().text().startswith(f"\u201c{title.rstrip('.')},\u201d")
    view = InvestmentView(home)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: bool(view.chart.title and view.chart.source_line), timeout=20_000)
    view.exports.cite_button.click()
    chart_text = QApplication.clipboard().text()
    assert (
        chart_text.startswith(f"\u201c{view.chart.title}")
        and "chart." in chart_text
        and "click" not in chart_text.lower()
    )
