"""The brief as a tagged PDF, read back with pypdf: one page for the brief (Letter and A4, the
longest real content, hostile and huge text), the sources on page 2 when they do not fit, and the
PDF/UA structure (title, /Lang, /MarkInfo, headings, lists, the figure's alternative text, fonts
embedded, real text)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from briefing.core.records import validate
from briefing.core.report import TOPICS, bottom_line_key, considerations_key
from briefing.render.pdf import draft_page, export_onepager, preview_image

HOSTILE = [
    "<img src=file:///etc/passwd>",
    '#eval("1+1") $x^2$ *bold* _em_ = Heading',
    "]) #set page(width: 1pt) //",
    '\\u{202e} @label <ref> `code` #import "/etc/passwd"',
]


def pages_text(path) -> list[str]:
    return [" ".join(page.extract_text().replace("\u200b", "").split()) for page in PdfReader(str(path)).pages]


def pdf_text(path) -> str:
    return " ".join(pages_text(path))


def squash(text: str) -> str:
    """Text without whitespace: a line may break an address after a slash, and extraction adds a space."""
    return "".join(text.split())


def structure(path) -> list[tuple[str, object]]:
    """(role, /Alt) of every element of the structure tree, in document order."""
    root = PdfReader(str(path)).trailer["/Root"]
    out: list[tuple[str, object]] = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            out.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "keys") and "/S" in kid:  # a structure element (not a marked-content reference)
                walk(kid)

    walk(root["/StructTreeRoot"])
    return out


def embedded_fonts(path) -> list[bool]:
    found = []
    for page in PdfReader(str(path)).pages:
        for ref in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts") or [font]:
                fd = desc.get_object().get("/FontDescriptor")
                found.append(fd is not None and any(k.startswith("/FontFile") for k in fd.get_object()))
    return found


def assert_tagged(path, spec):
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == spec.full_title
    xmp = reader.xmp_metadata.stream.get_data()
    assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp and spec.full_title.encode() in xmp
    roles = structure(path)
    names = [r for r, _ in roles]
    assert names.count("/H1") == 1 and names.count("/H2") >= 6
    if spec.policy or spec.considerations:
        assert "/L" in names and "/LI" in names
    figures = [alt for r, alt in roles if r == "/Figure"]
    assert figures == [spec.chart_alt] and len(spec.chart_alt) > 60  # it says what the chart shows
    assert all(embedded_fonts(path))
    text = pdf_text(path)
    assert spec.title in text and "Bottom line".upper() in text.upper()  # real text, not paths


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_is_a_tagged_one_page_brief(qapp, home, store, tmp_path, topic):
    out = tmp_path / f"{topic}.pdf"
    with home.notes() as notes:
        draft = export_onepager(store, topic, out, notes=notes, prepared_by="A. Staffer", prepared_for="Rep. Member")
    spec = draft.plan.spec
    pages = pages_text(out)
    assert len(pages) == draft.plan.pages == 1  # the fixture's notes fit on the page
    text = pages[0]
    assert f"Updated {spec.updated}" in text and "Prepared by A. Staffer for Rep. Member" in text
    assert spec.data_age.split(" (")[0] in text and "AGE WARNING" in text
    assert "DEFINITIONS" in text.upper() and "CONSIDERATIONS FOR CONGRESS" in text.upper()
    for fig in spec.key_figures:
        assert fig.value in text, fig
    for note in spec.sources:  # complete: publisher, title, date and address, never cut
        assert squash(f"{note.number}. {note.text}") in squash(text), note
    assert_tagged(out, spec)


def _flood(store, n=120, *, title=None, summary="s"):
    sources = [
        validate(
            "source",
            {
                "id": f"src-{i:03d}",
                "url": f"https://example.org/a/very/long/path/to/document-number-{i}/index.html",
                "title": f"Source {i}: a report with a long, descriptive title that takes a line of its own",
                "publisher": f"Publisher number {i}",
                "retrieved_on": "2025-06-01",
                "reliability": "primary",
            },
        )
        for i in range(n)
    ]
    store.put_records("source", sources, origin="local")
    actions = [
        {
            "id": f"flood-{i:03d}",
            "jurisdiction": "US",
            "body": "Congress",
            "relevance": "core",
            "topics": ["model_weights"],
            "title": title or f"Flood action number {i} with a fairly long title to wrap over lines",
            "instrument": "legislation",
            "stage": "introduced",
            "date": f"2025-{1 + i % 8:02d}-{1 + i % 27:02d}",
            "effective_on": None,
            "stance_on_open_models": "neutral",
            "identifiers": {},
            "summary": summary,
            "related": [],
            "sources": sorted({f"src-{i:03d}", f"src-{(i + 1) % n:03d}", f"src-{(i + 2) % n:03d}"}),
        }
        for i in range(n)
    ]
    store.put_records("policy_action", actions, origin="local")  # as stored, not re-validated
    cons = [
        validate(
            "consideration",
            {
                "id": f"c-{i}",
                "topic": "policy",
                "text": f"Consideration {i} " * 12,
                "sources": sorted({f"src-{(i * 7) % n:03d}", f"src-{(i * 11 + 1) % n:03d}"}),
            },
        )
        for i in range(30)
    ]
    store.put_records("consideration", cons, origin="local")


@pytest.mark.parametrize("page", ["letter", "a4"])
def test_notes_that_do_not_fit_go_to_page_two_and_the_brief_stays_on_page_one(qapp, store, tmp_path, page):
    _flood(store)
    draft = export_onepager(store, "policy", tmp_path / "p.pdf", page=page)
    spec = draft.plan.spec
    pages = pages_text(tmp_path / "p.pdf")
    assert len(pages) == 2 and draft.plan.pages == 2
    first, second = pages
    assert "numbered source notes are on page 2" in first and "CONSIDERATIONS FOR CONGRESS" in first.upper()
    assert f"+{spec.policy_more:,} more in the app" in first and spec.policy_more > 100
    assert "CONSIDERATIONS" not in second.upper() and "SOURCES" in second.upper()  # page 2: the sources only
    for note in spec.sources:
        assert squash(f"{note.number}. {note.text}") in squash(second), note
    cited = (
        {n for f in spec.key_figures for n in f.notes}
        | set(spec.chart_notes)
        | {n for p in spec.policy for n in p.notes}
        | {n for c in spec.considerations for n in c.notes}
    )
    assert cited == {n.number for n in spec.sources}  # every note number shown is listed, and only those
    box = PdfReader(str(tmp_path / "p.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == ((612, 792) if page == "letter" else (595, 842))


@pytest.mark.parametrize("page", ["letter", "a4"])
@pytest.mark.parametrize("topic", TOPICS)
def test_the_longest_real_content_keeps_the_brief_on_one_page(qapp, bundled_home, tmp_path, topic, page):
    with bundled_home.store() as store, bundled_home.notes() as notes:
        draft = export_onepager(
            store,
            topic,
            tmp_path / "b.pdf",
            notes=notes,
            page=page,
            show_changes=True,
            prepared_by="A Staffer with a long name, Office of a Member",
            prepared_for="The Member",
        )
    pages = pages_text(tmp_path / "b.pdf")
    assert len(pages) == draft.plan.pages <= 2
    assert "CONSIDERATIONS FOR CONGRESS" in pages[0].upper() and "BOTTOM LINE" in pages[0].upper()
    if len(pages) == 2:
        assert "CONSIDERATIONS" not in pages[1].upper()
    assert_tagged(tmp_path / "b.pdf", draft.plan.spec)


def test_hostile_text_is_literal_and_runs_nothing(qapp, store, home, tmp_path):
    _flood(store, 4, title=HOSTILE[0] + " " + HOSTILE[1])
    with home.notes() as notes:
        notes.set_text(bottom_line_key("policy"), " ".join(HOSTILE))
        notes.set_text(considerations_key("policy"), "\n".join(HOSTILE))
        draft = export_onepager(store, "policy", tmp_path / "h.pdf", notes=notes, prepared_by=HOSTILE[2])
    text = pdf_text(tmp_path / "h.pdf")
    for hostile in HOSTILE[:3]:
        assert " ".join(hostile.split()) in text, hostile
    assert "root:x:0:0" not in text and b"root:x:0:0" not in (tmp_path / "h.pdf").read_bytes()
    assert draft.plan.pages <= 2 and PdfReader(str(tmp_path / "h.pdf")).pages[0].mediabox.width == 612


def test_huge_texts_keep_the_brief_on_one_page(qapp, store, home, tmp_path):
    _flood(store, 5, title="T" * 100_000, summary="S" * 100_000)
    with home.notes() as notes:
        notes.set_text(bottom_line_key("policy"), "word " * 20_000)
        notes.set_text(considerations_key("policy"), "\n".join(["x" * 50_000] * 40))
        draft = export_onepager(store, "policy", tmp_path / "big.pdf", notes=notes, prepared_for="P" * 10_000)
    pages = pages_text(tmp_path / "big.pdf")
    assert len(pages) <= 2 and "BOTTOM LINE" in pages[0].upper() and "CONSIDERATIONS" in pages[0].upper()
    assert "\u2026" in pages[0]  # cut visibly, not silently
    assert draft.plan.spec.considerations_more > 0


def test_bidi_and_zero_width_removed(qapp, store, tmp_path):
    _flood(store, 2, title="Safe\u202e txet\u200b title\u2066")
    export_onepager(store, "policy", tmp_path / "b.pdf")
    text = pdf_text(tmp_path / "b.pdf")
    assert "Safe txet title" in text
    assert not any(ch in text for ch in "\u202e\u2066")


def test_preview_image_is_the_page(qapp, store):
    draft = draft_page(store, "overview", with_chart=False)
    image = preview_image(draft, dpi=60)
    assert (image.width(), image.height()) == (510, 660)
    assert image.pixelColor(5, 5).name() != "#ffffff"  # the masthead band is drawn


def test_weakly_sourced_key_figure_is_marked_on_paper(qapp, store, tmp_path):
    import dataclasses
    import io

    from briefing.core.report import build_report
    from briefing.render.brief import plan_brief, render_pdf

    spec = build_report(store, "overview")
    weak = dataclasses.replace(
        spec, key_figures=(dataclasses.replace(spec.key_figures[0], weak=True),) + spec.key_figures[1:]
    )
    strong = dataclasses.replace(spec, key_figures=tuple(dataclasses.replace(k, weak=False) for k in spec.key_figures))

    def text(s) -> str:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(plan_brief(s), None))).pages)

    assert "weakly sourced" in text(weak) and "weakly sourced" not in text(strong)
