"""The shared detail pane: fields, sources, notes (incl. withdrawn records), plain text only."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from briefing.ui import plain
from briefing.ui.detail import DetailPane

from .conftest import HOSTILE


def _texts(widget) -> list[str]:
    return [lbl.text() for lbl in widget.findChildren(QLabel)]


def test_shows_every_field_and_sources(qtbot, home):
    pane = DetailPane(home)
    qtbot.addWidget(pane)
    assert pane.show_record("model", "deepseek-r1")
    texts = _texts(pane)
    assert "DeepSeek-R1" in texts
    assert "671,000,000,000" in texts  # parameters, formatted
    assert "MIT" in texts
    sources = [pane.sources_list.item(i).text() for i in range(pane.sources_list.count())]
    assert any(s.startswith("Notable AI Models\n") for s in sources)
    assert pane.sources_box.title() == f"Sources ({len(sources)})"
    assert not pane.show_record("model", "no-such-model")


def test_note_saved_and_reloaded(qtbot, home):
    pane = DetailPane(home)
    qtbot.addWidget(pane)
    pane.show_record("investment", "fr-2025-ai-109bn")
    pane.note_edit.setPlainText("check the USD basis")
    with qtbot.waitSignal(pane.note_saved):
        pane.save_button.click()
    with home.notes() as notes:
        assert notes.get("investment", "fr-2025-ai-109bn") == "check the USD basis"
    # A pending edit is saved when another record is shown.
    pane.note_edit.setPlainText("changed")
    pane.show_record("model", "deepseek-r1")
    with home.notes() as notes:
        assert notes.get("investment", "fr-2025-ai-109bn") == "changed"


def test_note_on_withdrawn_record_stays_marked(qtbot, home):
    with home.notes() as notes:
        notes.set("policy_action", "gone-action", "was important")
    pane = DetailPane(home)
    qtbot.addWidget(pane)
    assert pane.show_record("policy_action", "gone-action")
    assert pane.withdrawn_label.isVisibleTo(pane)
    assert "Withdrawn" in pane.withdrawn_label.text()
    assert pane.note_edit.toPlainText() == "was important"


def test_hostile_strings_stay_literal(qtbot, hostile_home):
    pane = DetailPane(hostile_home)
    qtbot.addWidget(pane)
    pane.show_record("model", "deepseek-r1")
    assert pane.heading.text() == HOSTILE
    for lbl in pane.findChildren(QLabel):
        assert lbl.textFormat() == lbl.textFormat().PlainText
    sources = [pane.sources_list.item(i).text() for i in range(pane.sources_list.count())]
    assert (
        f"{HOSTILE}\n{HOSTILE} · undated · weak source · read 2025-01-01 · licence: CC BY 4.0" in sources
    )  # title, publisher: literal
    tip = plain.tooltip(HOSTILE)
    assert "<img" not in tip and "&lt;img" in tip


def test_only_https_opened(qtbot, home, monkeypatch):
    opened = []
    monkeypatch.setattr(plain.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    assert plain.open_https("https://example.org/a") == plain.OPENED
    for bad in ("file:///etc/passwd", "http://example.org", "javascript:alert(1)", "https://", "HTTPS://x y"):
        assert plain.open_https(bad) == plain.NOT_HTTPS
    assert opened == ["https://example.org/a"]


def test_citing_records_are_capped_with_a_count(qtbot, home, monkeypatch):
    monkeypatch.setattr("briefing.ui.detail.MAX_CITING", 3)
    pane = DetailPane(home)
    qtbot.addWidget(pane)
    pane.show_record("source", "kbhandari-forecast")
    buttons = [b for b in pane.related_box.findChildren(QPushButton) if b.accessibleName().startswith("Open related")]
    assert len(buttons) == 3
    assert "+5 more records cite this source (see its records in their views)" in _texts(pane.related_box)
