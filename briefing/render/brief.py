"""ReportSpec -> the brief as a tagged PDF (Typst, PDF/UA-1), a page preview (PNG), Word (DOCX) and
slides (PPTX): one content, three formats.

Why Typst: Qt's PDF writer cannot tag a PDF; Typst writes tagged PDF/UA-1 (title, language,
headings, lists, the figure's alternative text, links, embedded font subsets, real text) from a
template, `brief.typ`, that receives every data string as JSON through `sys.inputs` and shows it
as text, so markup in a record is never run (docs/architecture.md). The chart is a plain SVG
(`brief_chart.chart_svg`, sized to the planned box; Typst's SVG reader does not draw Qt's SVG
curves, so the app's widgets are not used), and `chart_png` rasterises the same SVG with Typst for
Word and slides: a brief needs no Qt.

The page is always exactly one page, plus a second page for the numbered source list when it does
not fit on the first. `plan_brief()` lays the page out with an empty box where the chart goes and
reads back where it ends (a Typst query, a few ms), then gives way in this order until it fits:
the source list moves to page 2; the taller of the two columns (policy actions, oldest first;
considerations, last first) loses an item while both keep two; the chart shrinks to its minimum;
then items again, down to none. Spare room goes to the chart. `typst` is imported only here, when
a brief is made. No widget: any thread.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import paths
from briefing.core.errors import BriefingError
from briefing.core.report import ReportSpec

TEMPLATE = Path(__file__).with_name("brief.typ")
PAPER = {"letter": "us-letter", "a4": "a4"}
#: Page sizes in points, and the template's margins (top = band + 14, bottom 40, sides 40).
PAGE_PT = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 40.0, 92.0, 40.0
CHART_H, CHART_MIN_H, CHART_MAX_H = 190.0, 130.0, 290.0
MIN_ITEMS = 2
#: The height of the "Sources: ... on page 2" line the notes replace on page 1.
NOTES_ELSEWHERE_H = 10.0
#: The chart image for Word and slides: this many pixels per point (3 px/pt = 216 dpi; crisp in print).
CHART_PX_PER_PT = 3.0
#: A run of this many characters without a break opportunity gets one (a hostile 4,000-character
#: word would otherwise run off the page); only for drawing, never stored.
LONG_WORD = 36
#: Typst's PDF standard for the brief: tagged, with title, language and alternative text checked.
PDF_STANDARDS = ["ua-1"]


@dataclass(frozen=True)
class Plan:
    """What fits: the trimmed spec, the page, the chart's size in points and where the notes go."""

    spec: ReportSpec
    page: str
    chart_w: float
    chart_h: float
    notes_on_page: bool
    pages: int = 1


def _breakable(text: str) -> str:
    """Text with a zero-width break opportunity inside very long unbroken runs (drawing only)."""

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        return "\u200b".join(word[i : i + 24] for i in range(0, len(word), 24))

    return re.sub(r"[^\s/\-\u00b7.,;:]{%d,}" % LONG_WORD, split, text)


def _notes(numbers: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in numbers)


def brief_data(plan: Plan, *, image: bool, measure_notes: bool = False) -> dict[str, Any]:
    """The JSON the template reads: every string display-ready and plain."""
    spec = plan.spec
    b = _breakable
    age, _, ago = (spec.data_age or f"Data as of {spec.data_as_of}").partition(" (")
    data = {
        "paper": PAPER[plan.page],
        "title": b(spec.title),
        "full_title": b(spec.full_title),
        "author": spec.prepared_by or spec.app_name,
        "subject": f"One-page brief, {spec.topic}; data as of {spec.data_as_of}; {spec.version}",
        "keywords": ["open-weight AI", spec.topic, "briefing"],
        "kicker": f"{spec.app_name.upper()}  \u00b7  IN FOCUS  \u00b7  {spec.topic.upper()}",
        "updated": f"Updated {spec.updated}",
        "data_age": age,
        "data_ago": ("(" + ago) if ago else "",
        "version": spec.version,
        "prepared": b(spec.prepared_line),
        "stale": "STALE: feed expired" if spec.stale else "",
        "warning": spec.age_warning if spec.old else "",
        "warning_badge": "AGE WARNING: data may be out of date",
        "bottom_line_heading": "Bottom line" + (" (edited)" if spec.bottom_line_edited else ""),
        "bottom_line": b(spec.bottom_line),
        "definitions": [{"term": d.term, "text": b(d.text)} for d in spec.definitions],
        "figures": [
            {"value": f.value, "label": b(f.label), "when": f.as_of, "notes": _notes(f.notes), "weak": f.weak}
            for f in spec.key_figures
        ],
        "chart": {
            "label": b(f"Figure 1. {spec.chart_title}"),
            "image": image,
            "height": round(plan.chart_h, 2),
            "alt": b(spec.chart_alt or f"Chart: {spec.chart_title}."),
            "missing": "Chart not available",
            "source": b(spec.chart_source),
            "notes": _notes(spec.chart_notes),
        },
        "policy_heading": "Policy actions on this topic",
        "policy_none": "No policy actions on record for this topic.",
        "policy": [
            {
                "meta": f"{p.date}  \u00b7  {p.jurisdiction}  \u00b7  {p.stage}"
                + (f"  \u00b7  {p.stance}" if p.stance else ""),
                "title": b(p.title),
                "notes": _notes(p.notes),
            }
            for p in spec.policy
        ],
        "policy_more": spec.policy_more,
        "policy_more_text": f"+{spec.policy_more:,} more in the app",
        "considerations_heading": "Considerations for Congress" + (" (edited)" if spec.considerations_edited else ""),
        "considerations_none": "No considerations on record for this topic.",
        "considerations": [{"text": b(c.text), "notes": _notes(c.notes)} for c in spec.considerations],
        "considerations_more": spec.considerations_more,
        "considerations_more_text": f"+{spec.considerations_more:,} more in the app",
        "changes_heading": (
            f"What changed since your last brief ({spec.last_brief})" if spec.show_changes and spec.last_brief else ""
        ),
        "changes_none": "None of the figures this brief quotes has changed.",
        "changes": [{"title": b(c.title), "text": b(change_text(c))} for c in spec.changes[:6]],
        "notes_on_page": plan.notes_on_page,
        "notes_split": _split(spec),
        "measure_notes": measure_notes,
        "continued": b(f"{spec.full_title} · {spec.updated} · the sources of page 1"),
        "notes_elsewhere": "Sources: the numbered source notes are on page 2.",
        "notes": [
            {
                "number": n.number,
                "text": b(n.text),
                "url": n.url,
                "address": b(n.address),
                "head": b(n.text[: len(n.text) - len(n.address) - 2])
                if n.url and n.text.endswith(n.address + ".")
                else "",
            }
            for n in spec.sources
        ],
        "footer": "Every figure comes from a sourced record; numbers in brackets point to the numbered sources.",
    }
    for n in data["notes"]:  # a note whose text does not end in its address is printed without a link
        if n["url"] and not n["head"]:
            n["url"] = ""
    return data


def _split(spec: ReportSpec) -> int:
    """Where the second column of source notes starts: about half of the text in each."""
    lengths = [len(n.text) + 60 for n in spec.sources]  # + a line's worth: each note starts a line
    total, run = sum(lengths), 0
    for i, n in enumerate(lengths):
        if run + n / 2 > total / 2:
            return i
        run += n
    return len(lengths)


def change_text(c: Any) -> str:
    """'17.1% → 18.0% (+0.9 percentage points): a new reading.'"""
    delta = f" ({c.delta})" if c.delta else ""
    if not c.before:
        return f"{c.after}: {c.why}."
    if not c.after:
        return f"{c.before}: {c.why}."
    return f"{c.before} \u2192 {c.after}{delta}: {c.why}."


# -- Typst --------------------------------------------------------------------------------------------
_FONTS: Any = None


def _fonts() -> Any:
    """The fonts Typst may use (the system's, the bundle's, its own), searched once per process."""
    global _FONTS
    if _FONTS is None:
        import typst

        _FONTS = typst.Fonts(
            include_system_fonts=True,
            include_embedded_fonts=True,
            font_paths=[str(paths.FONTS_DIR)] if paths.FONTS_DIR.is_dir() else [],
        )
    return _FONTS


class _Typst:
    """The template in a scratch root of its own, beside the chart (chart.svg)."""

    def __init__(self, chart_svg: str | None = None) -> None:
        import typst  # native module: only when a brief is made

        self._typst = typst
        self._dir = tempfile.TemporaryDirectory(prefix="briefing-typst-")
        self.root = Path(self._dir.name)
        if chart_svg is not None:
            (self.root / "chart.svg").write_text(chart_svg, encoding="utf-8")
        self.main = self.root / "brief.typ"
        self.main.write_bytes(TEMPLATE.read_bytes())

    def close(self) -> None:
        self._dir.cleanup()

    def __enter__(self) -> _Typst:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _compiler(self, plan: Plan, image: bool, measure_notes: bool = False) -> Any:
        inputs = {"brief": json.dumps(brief_data(plan, image=image, measure_notes=measure_notes), ensure_ascii=False)}
        return self._typst.Compiler(str(self.main), root=str(self.root), font_paths=_fonts(), sys_inputs=inputs)

    def end(self, plan: Plan, *, measure_notes: bool = False) -> tuple[int, float, float, float, float, float]:
        """(page, y of the brief's end, top of the two columns, bottom of the policy column, bottom of
        the considerations, height the source notes would take on page 1 or 0) in points, a later
        page counting 10,000 lower, for a layout with an empty chart box (a query: layout only)."""
        compiler = self._compiler(plan, False, measure_notes)
        try:
            end = json.loads(compiler.query("<brief-end>", field="value"))[0]
            top = json.loads(compiler.query("<columns-start>", field="value"))
            pol = json.loads(compiler.query("<policy-end>", field="value"))
            con = json.loads(compiler.query("<considerations-end>", field="value"))
            notes = json.loads(compiler.query("<notes-height>", field="value")) if measure_notes else [0.0]
        except self._typst.TypstError as exc:  # the template is ours: a failure here is a bug
            raise BriefingError(f"cannot lay out the brief: {exc}") from exc
        return int(end["page"]), _pt(end["y"]), _y(top), _y(pol), _y(con), float(notes[0] if notes else 0.0)

    def pdf(self, plan: Plan, image: bool) -> bytes:
        try:
            return self._compiler(plan, image).compile(format="pdf", pdf_standards=PDF_STANDARDS)
        except self._typst.TypstError as exc:
            raise BriefingError(f"cannot write the brief: {exc}") from exc

    def png(self, plan: Plan, image: bool, ppi: float) -> bytes:
        """Page 1 as a PNG (the preview)."""
        try:
            out = self._compiler(plan, image).compile(format="png", ppi=ppi)
        except self._typst.TypstError as exc:
            raise BriefingError(f"cannot draw the brief: {exc}") from exc
        return out[0] if isinstance(out, list) else out


def _pt(value: Any) -> float:
    """Typst lengths come back as '123.4pt' (or a number)."""
    if isinstance(value, (int, float)):
        return float(value)
    m = re.match(r"^\s*(-?[\d.]+)\s*pt\s*$", str(value))
    return float(m.group(1)) if m else 0.0


def _y(located: list[Any]) -> float:
    if not located:
        return 0.0
    loc = located[0]
    if isinstance(loc, dict):  # a later page counts as lower down
        return (int(loc.get("page", 1)) - 1) * 10_000 + _pt(loc.get("y"))
    return 0.0


def plan_brief(spec: ReportSpec, *, page: str = "letter") -> Plan:
    """Choose what fits on page 1 (see the module docstring). Any thread.

    Each try is a Typst layout (a query, no PDF). The first lays the brief out with its notes on
    page 2 and measures how tall they would be on page 1; they go there only if the brief then
    still ends on page 1. When the brief runs over, the taller column gives up as many of its last
    items as the overflow needs, by the column's average item height (at least one), so a long list
    costs a few layouts, not one per item."""
    if page not in PAGE_PT:
        raise BriefingError(f"unknown page size {page!r} (choose letter or a4)")
    width, height = PAGE_PT[page]
    bottom = height - MARGIN_BOTTOM
    p, c = len(spec.policy), len(spec.considerations)
    chart_h = CHART_H
    with _Typst() as ty:
        first = True
        for _ in range(40):  # bounded: every step removes something
            trimmed = spec.trimmed(policy=p, considerations=c)
            plan = Plan(trimmed, page, width - 2 * MARGIN_X, chart_h, False)
            pages, y, top, pol, con, notes_h = ty.end(plan, measure_notes=first)
            if pages == 1:
                if first and y - NOTES_ELSEWHERE_H + notes_h + 2 <= bottom:  # the notes fit on page 1 too
                    on = dataclasses.replace(plan, notes_on_page=True)
                    pages_on, y_on, *_ = ty.end(on)
                    if pages_on == 1:
                        plan, y = on, y_on
                spare = bottom - y - 2
                if spare > 1 and chart_h < CHART_MAX_H:  # spare room goes to the chart
                    plan = dataclasses.replace(plan, chart_h=min(CHART_MAX_H, chart_h + spare))
                return dataclasses.replace(plan, pages=1 if plan.notes_on_page else 2)
            first = False
            overflow = y - MARGIN_TOP + 4  # how far page 2 runs, in points
            taller, other = ("p", "c") if pol >= con else ("c", "p")
            counts = {"p": p, "c": c}
            floor = MIN_ITEMS if chart_h > CHART_MIN_H else 0
            drop = taller if counts[taller] > floor else (other if floor == 0 and counts[other] > 0 else None)
            if drop is None:
                if chart_h > CHART_MIN_H:
                    chart_h = CHART_MIN_H
                    continue
                break
            end_y = pol if drop == "p" else con
            # a column running onto page 2: its part on page 1 plus its part on page 2
            column_h = end_y - top if end_y < 10_000 else (bottom - top) + (end_y - 10_000 - MARGIN_TOP)
            per_item = max(8.0, column_h / max(1, counts[drop]))
            k = max(1, min(counts[drop] - floor, math.ceil(overflow / per_item)))
            if drop == "p":
                p -= k
            else:
                c -= k
    return Plan(spec.trimmed(policy=p, considerations=c), page, width - 2 * MARGIN_X, chart_h, False, pages=2)


def render_pdf(plan: Plan, chart_svg: str | None) -> bytes:
    """The planned brief as tagged PDF bytes (an empty, labelled box when there is no chart)."""
    with _Typst(chart_svg) as ty:
        return ty.pdf(plan, chart_svg is not None)


def render_png(plan: Plan, chart_svg: str | None, *, ppi: float = 72.0) -> bytes:
    """Page 1 of the planned brief as PNG bytes (the dialog's preview, `make onepagers`)."""
    with _Typst(chart_svg) as ty:
        return ty.png(plan, chart_svg is not None, ppi)


CHART_PAGE = '#set page(width: {w}pt, height: {h}pt, margin: 0pt)\n#image("/chart.svg", width: 100%, height: 100%)\n'


def chart_png(chart_svg: str, width: float, height: float, *, ppi: float = CHART_PX_PER_PT * 72) -> bytes:
    """The chart SVG (`width` x `height` points) as PNG bytes, rasterised by Typst (Word, slides)."""
    with _Typst(chart_svg) as ty:
        ty.main.write_text(CHART_PAGE.format(w=round(width, 2), h=round(height, 2)), encoding="utf-8")
        try:
            out = ty._typst.Compiler(str(ty.main), root=str(ty.root), font_paths=_fonts()).compile(
                format="png", ppi=ppi
            )
        except ty._typst.TypstError as exc:
            raise BriefingError(f"cannot draw the chart image: {exc}") from exc
    return out[0] if isinstance(out, list) else out
