"""Word and slides hold what the PDF holds (read back with python-docx / python-pptx), and each
exported brief records the figures it quoted, so the next one says what changed since."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.core import brief_history, figures
from briefing.core.records import validate
from briefing.render.pdf import export_onepager
from tests.render.test_pdf import pdf_text, squash

TOPIC = "adoption"


def _docx_text(path):
    import docx

    doc = docx.Document(str(path))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def _pptx_text(path):
    from pptx import Presentation

    prs = Presentation(str(path))
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
    return prs, "\n".join(texts)


@pytest.mark.parametrize("topic", ["adoption", "policy"])
def test_docx_and_pptx_hold_the_pdfs_figures_and_citations(qapp, home, store, tmp_path, topic):
    with home.notes() as notes:
        pdf = export_onepager(store, topic, tmp_path / "b.pdf", notes=notes, prepared_by="A. Staffer")
        docx_draft = export_onepager(
            store, topic, tmp_path / "b.docx", fmt="docx", notes=notes, prepared_by="A. Staffer"
        )
        pptx_draft = export_onepager(
            store, topic, tmp_path / "b.pptx", fmt="pptx", notes=notes, prepared_by="A. Staffer"
        )
    spec = pdf.plan.spec
    pdf_words = squash(pdf_text(tmp_path / "b.pdf"))
    doc, dtext = _docx_text(tmp_path / "b.docx")
    prs, ptext = _pptx_text(tmp_path / "b.pptx")
    # the same key figures (value and what it is), the same bottom line, the same complete citations
    for fig in spec.key_figures:
        assert fig.value in dtext and fig.value in ptext and fig.value in pdf_text(tmp_path / "b.pdf")
        assert fig.label in dtext and fig.label in ptext
    assert spec.bottom_line in dtext and spec.bottom_line in ptext
    for note in docx_draft.spec.sources:
        assert note.text in dtext
    for note in spec.sources:
        assert squash(note.text) in pdf_words
        assert note.text in dtext and f"{note.number}. {note.text}" in ptext
    assert [n.text for n in docx_draft.spec.sources][: len(spec.sources)] == [n.text for n in spec.sources]
    # Word: real headings, a numbered source list, the figure with its alternative text, the language
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", spec.title) in headings
    assert {"Bottom line", "Definitions", "Key figures", "Considerations for Congress", "Sources"} <= {
        t for _, t in headings
    }
    assert any(s.startswith("Heading 2") and t.startswith("Figure 1.") for s, t in headings)
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == [n.text for n in docx_draft.spec.sources]
    assert len(doc.inline_shapes) == 1
    doc_pr = doc.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == spec.chart_alt and len(spec.chart_alt) > 40
    assert doc.core_properties.title == spec.full_title and doc.core_properties.language == "en-US"
    assert "Prepared by A. Staffer" in dtext
    # slides: a title slide, the topic's slide with the figure and the key figures, the sources
    slides = list(prs.slides)
    assert slides[0].shapes.title.text == spec.title
    assert slides[1].shapes.title.text == spec.title
    pictures = [s for s in slides[1].shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1 and pictures[0]._element.nvPicPr.cNvPr.get("descr") == spec.chart_alt
    assert slides[-1].shapes.title.text.startswith("Sources")
    assert pptx_draft.spec.key_figures == docx_draft.spec.key_figures


def _bump(store, rid, **changes):
    rec = store.record("adoption", rid)
    store.put_records("adoption", [validate("adoption", {**rec, **changes})], origin="local")


def test_what_changed_since_the_last_brief(qapp, home, store, tmp_path):
    """Export, change a record, export again: the second brief says which figure changed, by how
    much and why; a new source and a new reading are told apart from a correction."""
    with home.notes() as notes:
        first = export_onepager(store, TOPIC, tmp_path / "1.pdf", notes=notes, show_changes=True)
        assert first.spec.last_brief == "" and first.spec.changes == ()
        assert "What changed" not in pdf_text(tmp_path / "1.pdf")
        share = next(f for f in figures.compute(store) if f.id == "download-share-china-hf-2026")
        rid = share.record_ids[0]
        _bump(store, rid, value=float(store.record("adoption", rid)["value"]) + 1.5)  # a corrected record
        second = export_onepager(store, TOPIC, tmp_path / "2.pdf", notes=notes, show_changes=True)
    changes = {c.figure_id: c for c in second.spec.changes}
    assert set(changes) == {"download-share-china-hf-2026"}
    c = changes["download-share-china-hf-2026"]
    assert c.delta == "+1.5 percentage points" and c.why == "a corrected record"
    assert c.before == share.value_text() and c.after != c.before
    text = pdf_text(tmp_path / "2.pdf")
    today = dt.date.today()
    assert (
        f"WHAT CHANGED SINCE YOUR LAST BRIEF ({today.strftime('%b').upper()} {today.day}, {today.year})" in text.upper()
    )
    assert "China 17.1% \u2192 China 18.6% (+1.5 percentage points): a corrected record" in text
    # unchanged since the second brief: the third says so
    with home.notes() as notes:
        third = export_onepager(store, TOPIC, tmp_path / "3.pdf", notes=notes, show_changes=True)
    assert third.spec.changes == () and "None of the figures this brief quotes has changed" in pdf_text(
        tmp_path / "3.pdf"
    )


def test_changes_say_why(home, store):
    ctx = figures.Context.load(store)
    before = brief_history.quoted(ctx, figures.compute_from(ctx), TOPIC)
    share = next(q for q in before if q.id == "download-share-china-hf-2026")
    rid = next(iter(share.records))
    rec = store.record("adoption", rid)
    store.put_records(
        "source",
        [
            validate(
                "source",
                {
                    "id": "new-src",
                    "url": "https://example.org/new",
                    "title": "A new report",
                    "publisher": "Someone",
                    "reliability": "primary",
                },
            )
        ],
        origin="local",
    )
    store.put_records(
        "adoption", [validate("adoption", {**rec, "sources": rec["sources"] + ["new-src"]})], origin="local"
    )
    ctx = figures.Context.load(store)
    now = brief_history.quoted(ctx, figures.compute_from(ctx), TOPIC)
    why = {c.figure_id: c.why for c in brief_history.compare(before, now)}
    assert why == {"download-share-china-hf-2026": "unchanged, but a new source"}
    # a newer reading of the same measure, as a later record
    store.put_records(
        "adoption",
        [
            validate(
                "adoption",
                {**rec, "id": rec["id"] + "-later", "as_of": "2025-09-30", "period_start": "2024-10-01", "value": 19.0},
            )
        ],
        origin="local",
    )
    ctx = figures.Context.load(store)
    later = brief_history.quoted(ctx, figures.compute_from(ctx), TOPIC)
    change = next(c for c in brief_history.compare(now, later) if c.figure_id == "download-share-china-hf-2026")
    assert change.why.startswith("a new reading") and change.delta.startswith("+")
    # stored and read back from the home's notes file, never from the data
    with home.notes() as notes:
        brief_history.record(notes, TOPIC, "pdf", later)
        when, back = brief_history.last(notes, TOPIC)
    assert back == later and when
    assert brief_history.compare(back, later) == []
    assert brief_history.loads("not json") == []
