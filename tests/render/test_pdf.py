"""One-page PDF briefs read back with pypdf: one page, masthead, figures, notes, hostile text."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from briefing.core.records import validate
from briefing.core.report import TOPICS, bottom_line_key
from briefing.render.pdf import draft_page, export_onepager, paint_image

HOSTILE_TITLE = "<img src=file:///etc/passwd>"


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_count(path) -> int:
    return len(PdfReader(str(path)).pages)


def image_xobjects(path) -> list[str]:
    found = []
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}  # an indirect object on pypdf 4
        xobjects = resources.get("/XObject", {}) or {}
        xobjects = xobjects.get_object() if xobjects else {}
        for name, ref in xobjects.items():
            if ref.get_object().get("/Subtype") == "/Image":
                found.append(name)
    return found


def all_streams(path) -> bytes:
    """Every decoded stream of the file (content, fonts, XObjects): what a reader would see."""
    reader = PdfReader(str(path))
    out = []
    for i in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(i)
        except Exception:  # noqa: BLE001 - free or compressed-away object numbers
            continue
        if obj is not None and hasattr(obj, "get_data"):
            try:
                out.append(obj.get_data())
            except Exception:  # noqa: BLE001 - a stream pypdf cannot decode is not one a reader sees
                pass
    return b"\n".join(out)


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_is_one_page_with_masthead_figures_and_notes(qapp, home, store, tmp_path, topic):
    out = tmp_path / f"{topic}.pdf"
    with home.notes() as notes:
        plan = export_onepager(store, topic, out, notes=notes)
    spec = plan.spec
    assert page_count(out) == 1
    text = pdf_text(out)
    assert f"Updated {spec.updated}" in text
    assert spec.data_age.startswith(f"Data current to {spec.data_as_of} (") and spec.data_age in text
    assert spec.old and "AGE WARNING" in text  # the fixture's data date is long past the 90-day setting
    for fig in spec.key_figures:
        assert fig.value in text, fig
    assert "SOURCE NOTES" in text
    for note in spec.sources:
        assert f"{note.number}. {note.publisher[:12]}" in text, note
    meta = PdfReader(str(out)).metadata
    assert meta.title == f"Open Model Briefing: {spec.title}"
    assert topic in meta.subject and meta.creation_date is not None
    assert image_xobjects(out) == []  # the chart is vector paths and text, not a picture


def test_a4_is_one_a4_page(qapp, store, tmp_path):
    export_onepager(store, "overview", tmp_path / "a4.pdf", page="a4")
    box = PdfReader(str(tmp_path / "a4.pdf")).pages[0].mediabox
    assert page_count(tmp_path / "a4.pdf") == 1
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


def _flood(store, n=500, *, title=None, summary="s"):
    sources = [validate("source", {
        "id": f"src-{i:03d}", "url": f"https://example.org/{i}", "title": f"Source {i}", "publisher": f"Pub {i}",
        "retrieved_on": "2025-06-01", "reliability": "primary",
    }) for i in range(n)]
    store.put_records("source", sources, origin="local")
    actions = [{
        "id": f"flood-{i:03d}", "jurisdiction": "US", "body": "Congress",
        "title": title or f"Flood action number {i} with a fairly long title to wrap over lines",
        "instrument": "legislation", "stage": "introduced", "date": f"2025-{1 + i % 8:02d}-{1 + i % 27:02d}",
        "effective_on": None, "stance_on_open_models": "unassessed", "identifiers": {}, "summary": summary,
        "related": [], "sources": [f"src-{i:03d}", f"src-{(i + 1) % n:03d}"],
    } for i in range(n)]
    store.put_records("policy_action", actions, origin="local")  # as stored, not re-validated
    cons = [validate("consideration", {"id": f"c-{i}", "topic": "policy", "text": f"Consideration {i} " * 12,
                                       "sources": [f"src-{i % n:03d}"]}) for i in range(30)]
    store.put_records("consideration", cons, origin="local")


def test_overflow_still_one_page_with_more_line(qapp, store, tmp_path):
    _flood(store)
    plan = export_onepager(store, "policy", tmp_path / "p.pdf")
    assert page_count(tmp_path / "p.pdf") == 1
    text = pdf_text(tmp_path / "p.pdf")
    more = re.findall(r"\+([\d,]+) more in the app", text)
    assert more, text[-500:]
    assert int(more[0].replace(",", "")) == plan.spec.policy_more > 400
    assert plan.spec.considerations_more > 0
    for note in plan.spec.sources:  # every footnote shown is listed
        assert f"{note.number}. " in text
    assert plan.overflow <= 0


def test_hostile_title_is_literal_and_loads_nothing(qapp, store, tmp_path):
    _flood(store, 3, title=HOSTILE_TITLE)
    out = tmp_path / "h.pdf"
    export_onepager(store, "policy", out)
    text = pdf_text(out)
    assert HOSTILE_TITLE in text
    streams = all_streams(out)
    assert b"BT" in streams  # the decoded page content is really there to search
    assert b"root:x:0:0" not in out.read_bytes() + streams
    assert image_xobjects(out) == []


def test_huge_texts_keep_one_page(qapp, store, home, tmp_path):
    _flood(store, 5, title="T" * 100_000, summary="S" * 100_000)
    with home.notes() as notes:
        notes.set_text(bottom_line_key("policy"), "word " * 20_000)
        plan = export_onepager(store, "policy", tmp_path / "big.pdf", notes=notes)
    assert page_count(tmp_path / "big.pdf") == 1
    assert plan.overflow <= 0
    assert "\u2026" in pdf_text(tmp_path / "big.pdf")  # cut visibly, not silently


def test_bidi_and_zero_width_removed(qapp, store, tmp_path):
    _flood(store, 2, title="Safe\u202e txet\u200b title\u2066")
    export_onepager(store, "policy", tmp_path / "b.pdf")
    text = pdf_text(tmp_path / "b.pdf")
    assert "Safe txet title" in text
    assert not any(ch in text for ch in "\u202e\u200b\u2066")


def test_preview_image_is_the_page(qapp, store):
    draft = draft_page(store, "overview", dpi=60, with_chart=False)
    image = paint_image(draft.plan, dpi=60)
    assert (image.width(), image.height()) == (510, 660)
    assert image.pixelColor(5, 5).name() != "#ffffff"  # the masthead band is drawn


def test_items_are_shown_whole_or_left_out(qapp, store, tmp_path):
    """Considerations and policy titles are never cut mid-sentence: what does not fit is dropped
    whole and counted in "+N more in the app"."""
    _flood(store, 40)
    sentence = "This consideration is one full sentence about open-weight models, export controls and adoption."
    cons = [validate("consideration", {"id": f"long-{i}", "topic": "policy", "text": f"Option {i}: {sentence} {sentence}",
                                       "sources": [f"src-{i:03d}"]}) for i in range(12)]
    store.put_records("consideration", cons, origin="local")
    plan = export_onepager(store, "policy", tmp_path / "w.pdf")
    text = pdf_text(tmp_path / "w.pdf")
    assert plan.spec.policy_more > 0 and plan.spec.considerations_more > 0
    assert plan.spec.policy and plan.spec.considerations
    for role in ("policy", "considerations"):
        assert "\u2026" not in plan.all_text(role), plan.all_text(role)
    for bullet in plan.spec.considerations:
        assert " ".join(bullet.text.split()) in text
    for item in plan.spec.policy:
        assert item.title in text
    assert f"+{plan.spec.considerations_more} more in the app" in text


def test_wrap_shortens_only_at_word_boundaries_and_keeps_footnotes(qapp):
    from PySide6.QtGui import QImage

    from briefing.render.page_layout import Fonts

    fonts = Fonts(QImage(10, 10, QImage.Format.Format_RGB32), 72)
    words = [f"word{i}" for i in range(300)]
    lines = fonts.wrap("item", " ".join(words), 200, 3, suffix="[4]")
    joined = " ".join(lines)
    assert len(lines) == 3 and joined.endswith("\u2026 [4]")
    shown = joined[: -len("\u2026 [4]")].split()
    assert shown == words[: len(shown)]  # whole words, in order
    assert fonts.wrap("item", "A short item.", 200, 3, suffix="[1]") == ["A short item. [1]"]
    assert len(fonts.wrap("item", "x" * 5000, 200, 2)) == 2  # one endless word: cut inside it
