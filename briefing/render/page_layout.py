"""The one-pager's layout: measure every block, decide what fits, then replay the drawing.

All geometry is in points (1/72 in). `plan_page()` measures text with QTextLayout/QFontMetricsF on
the target device and returns a `Page`: a list of drawing operations plus what was kept and what
gave way. `draw_page()` replays the operations with QPainter.drawText/drawRect only (record text is
never parsed as markup). Fonts are sized so that, under a painter scaled by dpi/72, one unit is one
point on any device (PDF at 1200 dpi or a preview image). Planning and drawing touch no widget, so
they run on any thread (one painter at a time) when the chart is a recorded `ScenePicture`; drawing
a chart widget directly is for the GUI thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintDevice, QPen, QTextLayout, QTextOption

from briefing.core.report import ReportSpec

NAVY = "#1b365d"
ACCENT = "#2a6f97"
INK = "#1f2328"
MUTED = "#5b6470"
RULE = "#c7cfd8"
TINT = "#eef3f8"
STALE_RED = "#b42318"

MARGIN = 40.0
BAND_H = 74.0
GAP = 11.0
CHART_H, CHART_MIN_H, CHART_MAX_H = 196.0, 150.0, 300.0
BOTTOM_LINE_LINES, BOTTOM_LINE_MIN_LINES = 8, 4
#: Lines an item may take before it is shortened (an item that long could not share its column).
POLICY_TITLE_LINES, CONSIDERATION_LINES = 4, 7
#: Items a column keeps before the chart gives up height for more.
MIN_ITEMS = 2
ITEM_GAP = 4.5
#: Input cut before layout: a 100,000-character text is elided anyway, and layout cost grows with it.
MAX_LAYOUT_CHARS = 4000

#: name -> (family, size in points, bold, italic)
FONT_SPECS = {
    "kicker": ("DejaVu Sans", 7.5, True, False),
    "title": ("DejaVu Serif", 19.0, True, False),
    "mast": ("DejaVu Sans", 7.6, False, False),
    "mast_bold": ("DejaVu Sans", 8.2, True, False),
    "stale": ("DejaVu Sans", 7.6, True, False),
    "heading": ("DejaVu Sans", 7.6, True, False),
    "body": ("DejaVu Serif", 9.4, False, False),
    "fig_value": ("DejaVu Sans", 17.0, True, False),
    "fig_value_small": ("DejaVu Sans Condensed", 12.5, True, False),
    "fig_note": ("DejaVu Sans", 6.5, False, False),
    "fig_label": ("DejaVu Sans Condensed", 7.6, False, False),
    "fig_asof": ("DejaVu Sans Condensed", 6.6, False, True),
    "chart_title": ("DejaVu Sans", 8.2, True, False),
    "small": ("DejaVu Sans Condensed", 6.8, False, False),
    "item_meta": ("DejaVu Sans Condensed", 6.8, True, False),
    "item": ("DejaVu Serif Condensed", 8.2, False, False),
    "more": ("DejaVu Sans Condensed", 7.0, True, True),
    "note": ("DejaVu Sans Condensed", 6.3, False, False),
    "note_bold": ("DejaVu Sans Condensed", 6.3, True, False),
}


class Fonts:
    """QFonts sized so that one unit of a painter scaled by dpi/72 is one point."""

    def __init__(self, device: QPaintDevice, dpi: float) -> None:
        self.device = device
        self.fonts: dict[str, QFont] = {}
        self.metrics: dict[str, QFontMetricsF] = {}
        for name, (family, size, bold, italic) in FONT_SPECS.items():
            font = QFont(family)
            font.setPointSizeF(size * 72.0 / dpi)
            font.setBold(bold)
            font.setItalic(italic)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            font.setKerning(True)
            # Ligatures would turn "fi" into one glyph, and copied/extracted text into "ﬁ".
            for tag in ("liga", "clig", "dlig"):
                font.setFeature(QFont.Tag(tag), 0)
            self.fonts[name] = font
            self.metrics[name] = QFontMetricsF(font, device)

    def width(self, name: str, text: str) -> float:
        return self.metrics[name].horizontalAdvance(text)

    def line_h(self, name: str, leading: float = 1.22) -> float:
        return FONT_SPECS[name][1] * leading

    def ascent(self, name: str) -> float:
        return self.metrics[name].ascent()

    def elide(self, name: str, text: str, width: float) -> str:
        return self.metrics[name].elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))

    def _spans(self, name: str, text: str, width: float, limit: int) -> list[str]:
        """Word-wrapped lines of `text` (at most `limit` + 1, so callers can tell it ran over)."""
        layout = QTextLayout(text, self.fonts[name], self.device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        spans: list[tuple[int, int]] = []
        layout.beginLayout()
        while len(spans) <= limit:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            spans.append((line.textStart(), line.textLength()))
        layout.endLayout()
        return [text[s:s + n].strip() for s, n in spans]

    def wrap(self, name: str, text: str, width: float, max_lines: int, *, suffix: str = "") -> list[str]:
        """`text` + `suffix` word-wrapped in at most `max_lines` lines.

        Whole text when it fits (a one-word last line is avoided by wrapping a little narrower when
        that costs no extra line). Otherwise the text is cut at a word boundary and ends with '…'
        (inside a single over-long word only when no word boundary fits); `suffix` (footnote
        numbers) is always kept whole."""
        text = " ".join(text[:MAX_LAYOUT_CHARS].split())
        suffix = suffix.strip()
        if not text and not suffix or max_lines <= 0:
            return []
        full = f"{text} {suffix}".strip()
        lines = self._spans(name, full, width, max_lines)
        if len(lines) <= max_lines:
            return self._no_widow(name, full, width, lines)
        # Longest prefix (by word, else by character) whose shortened form fits in max_lines.
        words = text.split(" ")
        cuts = [len(" ".join(words[:i])) for i in range(1, len(words))] if len(words) > 1 else []

        def fits(cut: int) -> bool:
            return len(self._spans(name, self._cut(text, cut, suffix), width, max_lines)) <= max_lines

        best = _last_true(cuts, fits)
        if best is None:  # not even the first word fits: cut inside it
            best = _last_true(list(range(1, min(len(words[0]), 400))), fits) or 0
        return self._spans(name, self._cut(text, best, suffix), width, max_lines)[:max_lines]

    @staticmethod
    def _cut(text: str, cut: int, suffix: str) -> str:
        head = text[:cut].rstrip(" ,;:.\u2013-")
        return f"{head}\u2026 {suffix}".strip()

    def _no_widow(self, name: str, text: str, width: float, lines: list[str]) -> list[str]:
        if len(lines) < 2 or " " in lines[-1]:
            return lines
        for shrink in (0.96, 0.92, 0.88):
            tried = self._spans(name, text, width * shrink, len(lines))
            if len(tried) == len(lines) and " " in tried[-1]:
                return tried
        return lines


def _last_true(values: list[int], pred: Any) -> int | None:
    """The last value for which `pred` holds, by bisection (pred is monotone: true, then false)."""
    lo, hi, found = 0, len(values) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if pred(values[mid]):
            found, lo = values[mid], mid + 1
        else:
            hi = mid - 1
    return found


@dataclass
class Page:
    """What `draw_page` paints, and what was kept or gave way (for the caller and tests)."""

    width: float
    height: float
    ops: list[tuple] = field(default_factory=list)
    chart_rect: QRectF | None = None
    spec: ReportSpec | None = None
    policy_shown: int = 0
    considerations_shown: int = 0
    fonts: Fonts | None = None
    overflow: float = 0.0
    #: Bottom of the policy and considerations columns (the taller one gives way first).
    policy_bottom: float = 0.0
    considerations_bottom: float = 0.0

    def text(self, x: float, baseline: float, value: str, font: str, color: str = INK, role: str = "") -> None:
        self.ops.append(("text", x, baseline, value, font, color, role))

    def rect(self, rect: QRectF, fill: str | None, pen: str | None = None, pen_w: float = 0.6) -> None:
        self.ops.append(("rect", rect, fill, pen, pen_w))

    def line(self, x1: float, y1: float, x2: float, y2: float, color: str = RULE, width: float = 0.6) -> None:
        self.ops.append(("line", x1, y1, x2, y2, color, width))

    def all_text(self, role: str | None = None) -> str:
        """The page's text in drawing order; only one block's (e.g. "policy", "considerations") if given."""
        return "\n".join(op[3] for op in self.ops if op[0] == "text" and (role is None or op[6] == role))


def _notes(numbers: tuple[int, ...]) -> str:
    return f"[{','.join(str(n) for n in numbers)}]" if numbers else ""


def _layout(spec: ReportSpec, f: Fonts, w: float, h: float, *, chart_h: float, bl_lines: int, note_columns: int = 2) -> Page:
    """Lay out a (already trimmed) spec top to bottom; `overflow` > 0 says it does not fit."""
    page = Page(w, h, spec=spec, fonts=f, policy_shown=len(spec.policy), considerations_shown=len(spec.considerations))
    left, right = MARGIN, w - MARGIN
    inner = right - left

    # Masthead band, full bleed.
    page.rect(QRectF(0, 0, w, BAND_H), NAVY)
    page.rect(QRectF(0, BAND_H, w, 2.5), ACCENT)
    kicker = f"{spec.app_name.upper()}  \u00b7  {spec.topic.upper()} BRIEF"
    page.text(left, 24, kicker, "kicker", "#b9cce4")
    # "Data current to <date>" and "(<N> months before this brief)" on their own lines, so the title keeps its room
    age, _, ago = (spec.data_age or f"Data as of {spec.data_as_of}").partition(" (")
    right_lines = [(f"Updated {spec.updated}  \u00b7  {spec.version}", "mast_bold", "#ffffff"),
                   (age, "mast", "#dbe5f1")] + ([("(" + ago, "mast", "#dbe5f1")] if ago else [])
    y = 24.0
    right_w = 0.0
    for value, font, color in right_lines:
        page.text(right - f.width(font, value), y, value, font, color)
        right_w = max(right_w, f.width(font, value))
        y += 11
    badges = (["STALE: feed expired"] if spec.stale else []) + (["AGE WARNING: data may be out of date"] if spec.old else [])
    bx = right
    for label in badges:  # side by side, right-aligned under the data line
        bw = f.width("stale", label) + 10
        page.rect(QRectF(bx - bw, y - 7.5, bw, 11.5), STALE_RED)
        page.text(bx - bw + 5, y + 1, label, "stale", "#ffffff")
        bx -= bw + 4
    title = f.elide("title", spec.title, inner - right_w - 16)
    page.text(left, 54, title, "title", "#ffffff")

    y = BAND_H + 2.5 + GAP + 2

    # Bottom line box.
    pad = 8.0
    heading = "BOTTOM LINE" + ("  (edited)" if spec.bottom_line_edited else "")
    body = f.wrap("body", spec.bottom_line, inner - 2 * pad - 4, bl_lines)
    box_h = pad + f.line_h("heading") + 3 + len(body) * f.line_h("body", 1.32) + pad - 2
    page.rect(QRectF(left, y, inner, box_h), TINT)
    page.rect(QRectF(left, y, 3, box_h), NAVY)
    by = y + pad + f.ascent("heading")
    page.text(left + pad + 4, by, heading, "heading", NAVY)
    by += f.line_h("heading") - f.ascent("heading") + 3
    for line in body:
        page.text(left + pad + 4, by + f.ascent("body"), line, "body", INK)
        by += f.line_h("body", 1.32)
    y += box_h + GAP

    # Key figures.
    n = max(1, len(spec.key_figures))
    cell_w = inner / n
    page.line(left, y, right, y, NAVY, 1.4)
    fig_h = 0.0
    cells = []
    for fig in spec.key_figures:
        label = f.wrap("fig_label", fig.label, cell_w - 14, 3)
        cells.append((fig, label))
        fig_h = max(fig_h, 6 + f.line_h("fig_value", 1.1) + 2 + len(label) * f.line_h("fig_label", 1.18) + 2 + f.line_h("fig_asof"))
    for i, (fig, label) in enumerate(cells):
        x = left + i * cell_w + (0 if i == 0 else 8)
        if i:
            page.line(left + i * cell_w, y + 6, left + i * cell_w, y + fig_h, RULE, 0.6)
        cy = y + 6 + f.ascent("fig_value")
        room = cell_w - 12 - f.width("fig_note", _notes(fig.notes))
        vfont = "fig_value" if f.width("fig_value", fig.value) <= room else "fig_value_small"
        value = f.elide(vfont, fig.value, room)
        page.text(x, cy, value, vfont, NAVY)
        page.text(x + f.width(vfont, value) + 1.5, cy - 8, _notes(fig.notes), "fig_note", ACCENT)
        cy += f.line_h("fig_value", 1.1) - f.ascent("fig_value") + 2
        for line in label:
            page.text(x, cy + f.ascent("fig_label"), line, "fig_label", INK)
            cy += f.line_h("fig_label", 1.18)
        when = (fig.as_of if "\u2013" in fig.as_of else f"As of {fig.as_of}") if fig.as_of else ""
        page.text(x, cy + 2 + f.ascent("fig_asof"), when, "fig_asof", MUTED)
        if fig.weak:  # the figure rests only on weak sources: said on paper, next to its date
            page.text(x + f.width("fig_asof", when) + (4 if when else 0), cy + 2 + f.ascent("fig_asof"),
                      "weakly sourced", "stale", STALE_RED, "weak")
    y += fig_h + GAP + 2

    # Chart with title and source line.
    page.text(left, y + f.ascent("chart_title"), f"FIGURE 1.  {spec.chart_title}", "chart_title", NAVY)
    y += f.line_h("chart_title") + 3
    page.chart_rect = QRectF(left, y, inner, chart_h)
    y += chart_h + 3
    # the footnote numbers always show, even when the source text is shortened
    lines = f.wrap("small", spec.chart_source, inner, 2, suffix=_notes(spec.chart_notes))
    for line in lines:
        page.text(left, y + f.ascent("small"), line, "small", MUTED)
        y += f.line_h("small")
    if spec.definitions:  # e.g. what announced and committed mean (docs/methods.md)
        y += 2
        for line in f.wrap("small", spec.definitions, inner, 3):
            page.text(left, y + f.ascent("small"), line, "small", INK, "definitions")
            y += f.line_h("small")
    y += GAP

    # Two columns: policy strip | considerations.
    col_gap = 18.0
    lw = inner * 0.56 - col_gap / 2
    rx = left + inner * 0.56 + col_gap / 2
    rw = right - rx
    top = y
    page.line(left, y, left + lw, y, NAVY, 1.0)
    page.line(rx, y, right, y, NAVY, 1.0)
    y += 4
    page.text(left, y + f.ascent("heading"), "RECENT POLICY ACTIONS", "heading", NAVY)
    page.text(rx, y + f.ascent("heading"), "CONSIDERATIONS" + ("  (edited)" if spec.considerations_edited else ""), "heading", NAVY)
    y += f.line_h("heading") + 4
    ly = y
    if not spec.policy and not spec.policy_more:
        page.text(left, ly + f.ascent("small"), "No policy actions on record.", "small", MUTED)
        ly += f.line_h("small")
    for item in spec.policy:
        meta = f"{item.date}  \u00b7  {item.jurisdiction}  \u00b7  {item.stage}"
        page.text(left, ly + f.ascent("item_meta"), f.elide("item_meta", meta, lw), "item_meta", ACCENT, "policy")
        ly += f.line_h("item_meta")
        for line in f.wrap("item", item.title, lw, POLICY_TITLE_LINES, suffix=_notes(item.notes)):
            page.text(left, ly + f.ascent("item"), line, "item", INK, "policy")
            ly += f.line_h("item")
        ly += ITEM_GAP
    if spec.policy_more:
        page.text(left, ly + f.ascent("more"), f"+{spec.policy_more:,} more in the app", "more", ACCENT)
        ly += f.line_h("more")
    page.policy_bottom = ly
    ry = y
    if not spec.considerations and not spec.considerations_more:
        page.text(rx, ry + f.ascent("small"), "No considerations on record for this topic.", "small", MUTED)
        ry += f.line_h("small")
    for bullet in spec.considerations:
        lines = f.wrap("item", bullet.text, rw - 10, CONSIDERATION_LINES, suffix=_notes(bullet.notes))
        page.text(rx, ry + f.ascent("item"), "\u2022", "item", NAVY)
        for line in lines:
            page.text(rx + 10, ry + f.ascent("item"), line, "item", INK, "considerations")
            ry += f.line_h("item")
        ry += ITEM_GAP
    if spec.considerations_more:
        page.text(rx, ry + f.ascent("more"), f"+{spec.considerations_more:,} more in the app", "more", ACCENT)
        ry += f.line_h("more")
    page.considerations_bottom = ry
    y = max(ly, ry, top + 20) + GAP - 3

    # Numbered source notes, two columns, one line each.
    page.line(left, y, right, y, RULE, 0.6)
    y += 3
    page.text(left, y + f.ascent("heading"), "SOURCE NOTES", "heading", NAVY)
    y += f.line_h("heading") + 1
    columns = 1 if len(spec.sources) <= 4 else note_columns
    col_w = (inner - 14 * (columns - 1)) / columns
    rows = math.ceil(len(spec.sources) / columns)
    for i, note in enumerate(spec.sources):
        col, row = divmod(i, rows) if rows else (0, 0)
        x = left + col * (col_w + 14)
        ny = y + row * f.line_h("note", 1.3) + f.ascent("note")
        num = f"{note.number}. "
        page.text(x, ny, num, "note_bold", NAVY, "notes")
        page.text(x + f.width("note_bold", num), ny, _note_line(f, note, col_w - f.width("note_bold", num)), "note", MUTED, "notes")
    y += rows * f.line_h("note", 1.3)

    # Footer.
    foot_y = h - 22
    page.line(left, foot_y - 9, right, foot_y - 9, RULE, 0.5)
    page.text(left, foot_y, "Every figure comes from a sourced record; numbers in brackets point to the source notes.", "small", MUTED)
    label = "Page 1 of 1"
    page.text(right - f.width("small", label), foot_y, label, "small", MUTED)
    page.overflow = y - (foot_y - 14)
    return page


def _note_line(f: Fonts, note: Any, width: float) -> str:
    """One source note on one line: 'Publisher, “Title,” date, domain/path'. When space is short the
    address keeps only its domain and first path segment, a long publisher keeps its lead name (before
    a comma or parenthesis), and the title is cut at a word boundary (ending '…'); publisher, date and
    address always show."""
    if not note.address:  # computed: "Computed from the N … records; data as of <date>"
        tail = f"; data as of {note.date}" if note.date else ""  # the date is never the part cut
        text = note.publisher + (f", {note.title}" if note.title else "")
        return (f.wrap("note", text, width - f.width("note", tail), 1) or [""])[0] + tail
    publisher, address = note.publisher, note.address

    def parts() -> tuple[str, str, float]:
        tail = ", ".join(part for part in (note.date, address) if part)
        head, rest = f"{publisher}, \u201c", (f",\u201d {tail}" if tail else "\u201d")
        return head, rest, width - f.width("note", head + rest)

    head, rest, room = parts()
    want = min(f.width("note", note.title), width * 0.5)  # the title's fair share of the line
    if room < want and "/" in address:
        host, _, path = address.partition("/")
        first = path.split("/", 1)[0]
        address = f"{host}/{first}/\u2026" if len(first) <= 14 and first != "\u2026" and "/" in path else f"{host}/\u2026"
        head, rest, room = parts()
    if room < want:
        for sep in (" (", ", ", " / "):
            if sep in publisher and publisher.index(sep) >= 4:
                publisher = publisher[: publisher.index(sep)]
        head, rest, room = parts()
    for share, short in ((0.3, min(want, 60.0)), (0.18, 30.0)):
        if room < short and f.width("note", publisher) > width * share:
            publisher = (f.wrap("note", publisher, width * share, 1) or [publisher])[0]
            head, rest, room = parts()
    if room < 30 and "/" in address:  # last resort: the domain alone
        address = address.split("/", 1)[0]
        head, rest, room = parts()
    title = (f.wrap("note", note.title, max(room, 20.0), 1) or [""])[0]
    return f"{head}{title}{rest}"


def plan_page(spec: ReportSpec, *, width_pt: float, height_pt: float, dpi: float, device: QPaintDevice) -> Page:
    """Measure and choose what fits on one page; least important items give way first.

    Items are shown whole or not at all. Order of giving way: the last item of the taller of the two
    columns (policy actions, oldest last; considerations, least important last) while a column keeps
    more than MIN_ITEMS; then the chart shrinks to its minimum; then items again, down to none; then
    the bottom line is shortened (at a word boundary) line by line.
    """
    fonts = Fonts(device, dpi)
    p, c = len(spec.policy), len(spec.considerations)
    chart_h, bl_lines = CHART_H, BOTTOM_LINE_LINES
    # Source notes read best one per full-width line; use that whenever nothing has to give way for it.
    page = _layout(spec.trimmed(policy=p, considerations=c), fonts, width_pt, height_pt, chart_h=CHART_H,
                   bl_lines=bl_lines, note_columns=1)
    if page.overflow <= -1:
        grown = min(CHART_MAX_H, CHART_H - page.overflow - 1)
        return _layout(page.spec, fonts, width_pt, height_pt, chart_h=grown, bl_lines=bl_lines, note_columns=1)
    while True:
        trimmed = spec.trimmed(policy=p, considerations=c)
        page = _layout(trimmed, fonts, width_pt, height_pt, chart_h=chart_h, bl_lines=bl_lines)
        if page.overflow <= 0:
            if page.overflow < -1 and chart_h >= CHART_H:  # spare room goes to the chart
                grown = min(CHART_MAX_H, chart_h - page.overflow - 1)
                page = _layout(trimmed, fonts, width_pt, height_pt, chart_h=grown, bl_lines=bl_lines)
            return page
        # Only the taller column pushes the page down: it gives way (the other if it is empty).
        policy_taller = page.policy_bottom >= page.considerations_bottom
        taller, other = ("p", "c") if policy_taller else ("c", "p")
        counts = {"p": p, "c": c}
        floor = MIN_ITEMS if chart_h > CHART_MIN_H else 0
        drop = taller if counts[taller] > floor else (other if counts[other] > floor and floor == 0 else None)
        if drop == "p":
            p -= 1
        elif drop == "c":
            c -= 1
        elif chart_h > CHART_MIN_H:
            chart_h = max(CHART_MIN_H, chart_h - page.overflow - 1)
        elif bl_lines > BOTTOM_LINE_MIN_LINES:
            bl_lines -= 1
        else:
            return page  # cannot happen with bounded items; draw what we have rather than fail


def draw_page(painter: QPainter, page: Page, *, chart: Any = None) -> None:
    """Replay the planned operations, then draw the chart (vector) into its rectangle.

    `chart` is a `chart_export.ScenePicture` (any thread), a chart widget (GUI thread) or None."""
    dpi = painter.device().logicalDpiX()
    painter.save()
    painter.scale(dpi / 72.0, dpi / 72.0)
    fonts = page.fonts
    assert fonts is not None
    for op in page.ops:
        if op[0] == "rect":
            _, rect, fill, pen, pen_w = op
            painter.setPen(QPen(QColor(pen), pen_w) if pen else Qt.PenStyle.NoPen)
            painter.setBrush(QColor(fill) if fill else Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
        elif op[0] == "line":
            _, x1, y1, x2, y2, color, width = op
            painter.setPen(QPen(QColor(color), width))
            painter.drawLine(QLineF(x1, y1, x2, y2))
        else:
            _, x, baseline, value, font, color, _role = op
            if value:
                painter.setFont(fonts.fonts[font])
                painter.setPen(QColor(color))
                painter.drawText(QPointF(x, baseline), value)
    if page.chart_rect is not None:
        _draw_chart(painter, page.chart_rect, chart, fonts)
    painter.restore()


def _draw_chart(painter: QPainter, rect: QRectF, chart: Any, fonts: Fonts) -> None:
    if chart is None:
        painter.setPen(QPen(QColor(RULE), 0.6))
        painter.setBrush(QColor("#f6f8fa"))
        painter.drawRect(rect)
        painter.setFont(fonts.fonts["small"])
        painter.setPen(QColor(MUTED))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "Chart not available")
        return
    from briefing.render.chart_export import ScenePicture, draw_picture, render_scene  # the one chart renderer

    if isinstance(chart, ScenePicture):  # recorded on the GUI thread: safe to replay on any thread
        draw_picture(painter, rect, chart)
    else:
        render_scene(painter, rect, chart)
