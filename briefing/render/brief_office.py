"""The brief as Word (python-docx) and slides (python-pptx): the same ReportSpec as the PDF.

Word: real headings (Title, Heading 1/2), the definitions, the key figures with what each measures,
the figure as an image with alternative text and its Source line, the policy actions, the
considerations as a bulleted list, and the sources as numbered notes ("[3]" in the text points to
note 3), so it drops into an office memo template. Slides: a title slide, then one slide per topic
(a brief is one topic) with the figure and the key figures, and a sources slide. Every string is
set as a text run (never parsed). No Qt; any thread; python-docx/python-pptx are imported here only.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from briefing.core.report import ReportSpec

NAVY = (0x1B, 0x36, 0x5D)
MUTED = (0x4F, 0x58, 0x64)
WARN = (0xB4, 0x23, 0x18)


def _notes(numbers: tuple[int, ...]) -> str:
    return f" [{','.join(str(n) for n in numbers)}]" if numbers else ""


def _change_lines(spec: ReportSpec) -> list[str]:
    from briefing.render.brief import change_text

    return [f"{c.title}: {change_text(c)}" for c in spec.changes]


# -- Word ---------------------------------------------------------------------------------------------
def write_docx(spec: ReportSpec, chart_png: bytes | None, path: Path) -> None:
    """Write the brief as a .docx at `path`."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt, RGBColor

    doc = docx.Document()
    props = doc.core_properties
    props.title = spec.full_title
    props.subject = f"One-page brief, {spec.topic}; data as of {spec.data_as_of}; {spec.version}"
    props.author = spec.prepared_by or spec.app_name
    props.language = "en-US"
    props.keywords = f"open-weight AI; {spec.topic}; briefing"
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    # the document's language, for screen readers and spell checkers
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")

    def para(
        text: str,
        *,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        colour: tuple[int, int, int] | None = None,
    ) -> Any:
        p = doc.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if colour:
            run.font.color.rgb = RGBColor(*colour)
        return p

    para(f"{spec.app_name} \u00b7 In Focus \u00b7 {spec.topic.title()}", bold=True, size=9, colour=MUTED)
    doc.add_heading(spec.title, level=0)
    para(f"Updated {spec.updated} \u00b7 {spec.data_age} \u00b7 {spec.version}", size=9, colour=MUTED)
    if spec.prepared_line:
        para(spec.prepared_line, size=9)
    if spec.old and spec.age_warning:
        para(spec.age_warning, bold=True, size=9, colour=WARN)
    if spec.stale:
        para("The feed has expired: the data may be out of date.", bold=True, size=9, colour=WARN)

    doc.add_heading("Bottom line" + (" (edited)" if spec.bottom_line_edited else ""), level=1)
    para(spec.bottom_line)
    doc.add_heading("Definitions", level=1)
    for d in spec.definitions:
        p = doc.add_paragraph()
        p.add_run(d.term + ": ").bold = True
        p.add_run(d.text)

    doc.add_heading("Key figures", level=1)
    for f in spec.key_figures:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f.value).bold = True
        p.add_run(f" \u2014 {f.label} ({f.as_of}){_notes(f.notes)}")
        if f.weak:
            r = p.add_run(" Weakly sourced.")
            r.bold = True
            r.font.color.rgb = RGBColor(*WARN)
        if f.measure:
            q = doc.add_paragraph(f"Measure: {f.measure}")
            q.paragraph_format.left_indent = Inches(0.25)
            q.runs[0].font.size = Pt(9)
            q.runs[0].font.color.rgb = RGBColor(*MUTED)

    doc.add_heading(f"Figure 1. {spec.chart_title}", level=2)
    if chart_png is not None:
        doc.add_picture(io.BytesIO(chart_png), width=Inches(6.5))
        _docx_alt_text(doc.inline_shapes[-1], spec.chart_alt or spec.chart_title, spec.chart_title)
    else:
        para("Chart not available.", italic=True)
    para(f"{spec.chart_source}{_notes(spec.chart_notes)}", size=8.5, colour=MUTED)

    doc.add_heading("Policy actions on this topic", level=1)
    if not spec.policy:
        para("No policy actions on record for this topic.", italic=True)
    for item in spec.policy:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(
            f"{item.date} \u00b7 {item.jurisdiction} \u00b7 {item.stage}"
            + (f" \u00b7 {item.stance}" if item.stance else "")
            + ": "
        ).bold = True
        p.add_run(item.title + _notes(item.notes))
    if spec.policy_more:
        para(f"+{spec.policy_more:,} more in the app.", italic=True, size=9)

    doc.add_heading("Considerations for Congress" + (" (edited)" if spec.considerations_edited else ""), level=1)
    if not spec.considerations:
        para("No considerations on record for this topic.", italic=True)
    for b in spec.considerations:
        doc.add_paragraph(b.text + _notes(b.notes), style="List Bullet")
    if spec.considerations_more:
        para(f"+{spec.considerations_more:,} more in the app.", italic=True, size=9)

    if spec.last_brief:
        doc.add_heading(f"What changed since your last brief ({spec.last_brief})", level=1)
        lines = _change_lines(spec) or ["None of the figures this brief quotes has changed."]
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("Sources", level=1)
    for n in spec.sources:
        p = doc.add_paragraph(style="List Number")
        p.add_run(n.text)
        p.runs[0].font.size = Pt(9)
    para(
        "Every figure comes from a sourced record; numbers in brackets point to the numbered sources.",
        italic=True,
        size=8.5,
        colour=MUTED,
    )
    _save(doc, path)


def _save(document: Any, path: Path) -> None:
    """Saved in memory, then written in one call: a failing write (a full disk) is one OSError here,
    not a half-closed zip file whose finaliser prints a traceback later."""
    buffer = io.BytesIO()
    document.save(buffer)
    with open(path, "wb") as fh:
        fh.write(buffer.getbuffer())


def _docx_alt_text(shape: Any, description: str, title: str) -> None:
    """Word's alternative text: wp:docPr@descr (and @title) of the inline picture."""
    from docx.oxml.ns import qn

    doc_pr = shape._inline.find(qn("wp:docPr"))
    doc_pr.set("descr", description)
    doc_pr.set("title", title)


# -- slides -------------------------------------------------------------------------------------------
def write_pptx(spec: ReportSpec, chart_png: bytes | None, path: Path) -> None:
    """Write the brief as a .pptx at `path`: a title slide, the topic's slide (figure and key
    figures), what changed (when there was a last brief) and the sources."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    props = prs.core_properties
    props.title = spec.full_title
    props.subject = f"One-page brief, {spec.topic}; data as of {spec.data_as_of}; {spec.version}"
    props.author = spec.prepared_by or spec.app_name
    props.language = "en-US"

    def text_box(
        slide: Any,
        left: float,
        top: float,
        width: float,
        height: float,
        lines: list[tuple[str, float, bool]],
        colour: tuple[int, int, int] = (0x1F, 0x23, 0x28),
    ) -> Any:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for i, (text, size, bold) in enumerate(lines):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = p.add_run()
            run.text = text
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = RGBColor(*colour)
        return box

    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = spec.title
    sub = [f"{spec.app_name} \u00b7 In Focus \u00b7 {spec.topic.title()}", f"Updated {spec.updated}", spec.data_age]
    if spec.prepared_line:
        sub.append(spec.prepared_line)
    if spec.old and spec.age_warning:
        sub.append(spec.age_warning)
    title_slide.placeholders[1].text = "\n".join(sub)

    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = spec.title
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
    text_box(slide, 0.5, 1.25, 12.3, 1.0, [(spec.bottom_line, 13, False)])
    if chart_png is not None:
        pic = slide.shapes.add_picture(io.BytesIO(chart_png), Inches(0.5), Inches(2.45), width=Inches(8.2))
        _pptx_alt_text(pic, spec.chart_alt or spec.chart_title, spec.chart_title)
        bottom = pic.top + pic.height
    else:
        text_box(slide, 0.5, 2.45, 8.2, 3.5, [("Chart not available.", 12, False)])
        bottom = Inches(6.0)
    text_box(
        slide,
        0.5,
        Emu(bottom).inches + 0.05,
        8.2,
        0.8,
        [(f"Figure 1. {spec.chart_title}", 10, True), (f"{spec.chart_source}{_notes(spec.chart_notes)}", 8, False)],
        colour=MUTED,
    )
    lines: list[tuple[str, float, bool]] = [("Key figures", 14, True)]
    for f in spec.key_figures:
        lines.append((f"{f.value}{_notes(f.notes)}", 18, True))
        lines.append((f"{f.label} ({f.as_of})" + (" \u2014 weakly sourced" if f.weak else ""), 10, False))
    text_box(slide, 9.0, 2.45, 3.9, 4.8, lines)

    if spec.last_brief:
        changed = prs.slides.add_slide(prs.slide_layouts[5])
        changed.shapes.title.text = f"What changed since your last brief ({spec.last_brief})"
        rows = _change_lines(spec) or ["None of the figures this brief quotes has changed."]
        text_box(changed, 0.6, 1.5, 12.1, 5.5, [(r, 13, False) for r in rows])

    per_slide = 12  # complete notes, never shortened: as many slides as they need
    chunks = [spec.sources[i : i + per_slide] for i in range(0, len(spec.sources), per_slide)] or [()]
    for i, chunk in enumerate(chunks):
        sources = prs.slides.add_slide(prs.slide_layouts[5])
        sources.shapes.title.text = "Sources" + (f" ({i + 1} of {len(chunks)})" if len(chunks) > 1 else "")
        text_box(sources, 0.5, 1.3, 12.3, 6.0, [(f"{n.number}. {n.text}", 10, False) for n in chunk])
    _save(prs, path)


def _pptx_alt_text(picture: Any, description: str, title: str) -> None:
    """PowerPoint's alternative text: p:cNvPr@descr (and @title) of the picture."""
    c_nv_pr = picture._element.nvPicPr.cNvPr
    c_nv_pr.set("descr", description)
    c_nv_pr.set("title", title)
