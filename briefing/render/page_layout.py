"""The one-pager's layout: measure every block, decide what fits, then replay the drawing.

All geometry is in points (1/72 in). `plan_page()` measures text with QTextLayout/QFontMetricsF on
the target device and returns a `Page`: a list of drawing operations plus what was kept and what
gave way. `draw_page()` replays the operations with QPainter.drawText/drawRect only (record text is
never parsed as markup). Fonts are sized so that, under a painter scaled by dpi/72, one unit is one
point on any device (PDF at 1200 dpi or a preview image). GUI thread only.
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
CHART_H, CHART_MIN_H, CHART_MAX_H = 196.0, 120.0, 300.0
BOTTOM_LINE_LINES, BOTTOM_LINE_MIN_LINES = 8, 4
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

    def wrap(self, name: str, text: str, width: float, max_lines: int) -> list[str]:
        """Word-wrapped lines (at most `max_lines`, the last elided with '…' if text remains)."""
        text = " ".join(text[:MAX_LAYOUT_CHARS].split())
        if not text or max_lines <= 0:
            return []
        layout = QTextLayout(text, self.fonts[name], self.device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        spans: list[tuple[int, int]] = []
        layout.beginLayout()
        while len(spans) <= max_lines:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            spans.append((line.textStart(), line.textLength()))
        layout.endLayout()
        lines = [text[s:s + n].rstrip() for s, n in spans[:max_lines]]
        if len(spans) > max_lines:
            rest = text[spans[max_lines - 1][0]:]
            lines[-1] = self.elide(name, rest, width)
            if not lines[-1].endswith("\u2026"):
                lines[-1] = self.elide(name, lines[-1] + " \u2026", width)
        return lines


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

    def text(self, x: float, baseline: float, value: str, font: str, color: str = INK) -> None:
        self.ops.append(("text", x, baseline, value, font, color))

    def rect(self, rect: QRectF, fill: str | None, pen: str | None = None, pen_w: float = 0.6) -> None:
        self.ops.append(("rect", rect, fill, pen, pen_w))

    def line(self, x1: float, y1: float, x2: float, y2: float, color: str = RULE, width: float = 0.6) -> None:
        self.ops.append(("line", x1, y1, x2, y2, color, width))

    def all_text(self) -> str:
        return "\n".join(op[3] for op in self.ops if op[0] == "text")


def _notes(numbers: tuple[int, ...]) -> str:
    return f"[{','.join(str(n) for n in numbers)}]" if numbers else ""


def _layout(spec: ReportSpec, f: Fonts, w: float, h: float, *, chart_h: float, bl_lines: int) -> Page:
    """Lay out a (already trimmed) spec top to bottom; `overflow` > 0 says it does not fit."""
    page = Page(w, h, spec=spec, fonts=f, policy_shown=len(spec.policy), considerations_shown=len(spec.considerations))
    left, right = MARGIN, w - MARGIN
    inner = right - left

    # Masthead band, full bleed.
    page.rect(QRectF(0, 0, w, BAND_H), NAVY)
    page.rect(QRectF(0, BAND_H, w, 2.5), ACCENT)
    kicker = f"{spec.app_name.upper()}  \u00b7  {spec.topic.upper()} BRIEF"
    page.text(left, 24, kicker, "kicker", "#b9cce4")
    right_lines = [(f"Updated {spec.updated}", "mast_bold", "#ffffff"),
                   (f"Data as of {spec.data_as_of}", "mast", "#dbe5f1"),
                   (spec.version, "mast", "#dbe5f1")]
    y = 24.0
    right_w = 0.0
    for value, font, color in right_lines:
        page.text(right - f.width(font, value), y, value, font, color)
        right_w = max(right_w, f.width(font, value))
        y += 11
    if spec.stale:
        label = "STALE: feed expired"
        bw = f.width("stale", label) + 10
        page.rect(QRectF(right - bw, y - 7.5, bw, 11.5), STALE_RED)
        page.text(right - bw + 5, y + 1, label, "stale", "#ffffff")
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
        page.text(x, cy + 2 + f.ascent("fig_asof"), f"As of {fig.as_of}" if fig.as_of else "", "fig_asof", MUTED)
    y += fig_h + GAP + 2

    # Chart with title and source line.
    page.text(left, y + f.ascent("chart_title"), f"FIGURE 1.  {spec.chart_title}", "chart_title", NAVY)
    y += f.line_h("chart_title") + 3
    page.chart_rect = QRectF(left, y, inner, chart_h)
    y += chart_h + 3
    notes = _notes(spec.chart_notes)
    lines = f.wrap("small", spec.chart_source, inner, 2)
    if notes:  # the footnote numbers always show, even when the source text is elided
        if not lines or f.width("small", f"{lines[-1]} {notes}") > inner:
            lines = f.wrap("small", spec.chart_source, inner - f.width("small", notes) - 4, 2)
        lines = lines or [""]
        lines[-1] = f"{lines[-1]} {notes}".strip()
    for line in lines:
        page.text(left, y + f.ascent("small"), line, "small", MUTED)
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
        page.text(left, ly + f.ascent("item_meta"), f.elide("item_meta", meta, lw), "item_meta", ACCENT)
        ly += f.line_h("item_meta")
        for line in f.wrap("item", f"{item.title} {_notes(item.notes)}", lw, 2):
            page.text(left, ly + f.ascent("item"), line, "item", INK)
            ly += f.line_h("item")
        ly += 3.5
    if spec.policy_more:
        page.text(left, ly + f.ascent("more"), f"+{spec.policy_more:,} more in the app", "more", ACCENT)
        ly += f.line_h("more")
    ry = y
    if not spec.considerations and not spec.considerations_more:
        page.text(rx, ry + f.ascent("small"), "No considerations on record for this topic.", "small", MUTED)
        ry += f.line_h("small")
    for bullet in spec.considerations:
        lines = f.wrap("item", f"{bullet.text} {_notes(bullet.notes)}".strip(), rw - 10, 3)
        page.text(rx, ry + f.ascent("item"), "\u2022", "item", NAVY)
        for line in lines:
            page.text(rx + 10, ry + f.ascent("item"), line, "item", INK)
            ry += f.line_h("item")
        ry += 3.5
    if spec.considerations_more:
        page.text(rx, ry + f.ascent("more"), f"+{spec.considerations_more:,} more in the app", "more", ACCENT)
        ry += f.line_h("more")
    y = max(ly, ry, top + 20) + GAP - 3

    # Numbered source notes, two columns, one line each.
    page.line(left, y, right, y, RULE, 0.6)
    y += 3
    page.text(left, y + f.ascent("heading"), "SOURCE NOTES", "heading", NAVY)
    y += f.line_h("heading") + 1
    columns = 1 if len(spec.sources) <= 4 else 2
    col_w = (inner - 14 * (columns - 1)) / columns
    rows = math.ceil(len(spec.sources) / columns)
    for i, note in enumerate(spec.sources):
        col, row = divmod(i, rows) if rows else (0, 0)
        x = left + col * (col_w + 14)
        ny = y + row * f.line_h("note", 1.3) + f.ascent("note")
        num = f"{note.number}. "
        tail = f", {note.date}, {note.address}" if note.date else f", {note.address}"
        head = f"{note.publisher}, "
        avail = col_w - f.width("note_bold", num) - f.width("note", head) - f.width("note", tail)
        if avail < 40:  # a long publisher: elide the whole line instead
            text = f.elide("note", f"{head}{note.title}{tail}", col_w - f.width("note_bold", num))
        else:
            text = head + f.elide("note", note.title, avail) + tail
        page.text(x, ny, num, "note_bold", NAVY)
        page.text(x + f.width("note_bold", num), ny, text, "note", MUTED)
    y += rows * f.line_h("note", 1.3)

    # Footer.
    foot_y = h - 22
    page.line(left, foot_y - 9, right, foot_y - 9, RULE, 0.5)
    page.text(left, foot_y, "Every figure comes from a sourced record; numbers in brackets point to the source notes.", "small", MUTED)
    label = "Page 1 of 1"
    page.text(right - f.width("small", label), foot_y, label, "small", MUTED)
    page.overflow = y - (foot_y - 14)
    return page


def plan_page(spec: ReportSpec, *, width_pt: float, height_pt: float, dpi: float, device: QPaintDevice) -> Page:
    """Measure and choose what fits on one page; least important items give way first.

    Order of giving way: the last consideration and the oldest shown policy action, alternately;
    then the chart shrinks to its minimum; then the bottom line is cut to fewer lines (elided).
    """
    fonts = Fonts(device, dpi)
    p, c = len(spec.policy), len(spec.considerations)
    chart_h, bl_lines = CHART_H, BOTTOM_LINE_LINES
    while True:
        trimmed = spec.trimmed(policy=p, considerations=c)
        page = _layout(trimmed, fonts, width_pt, height_pt, chart_h=chart_h, bl_lines=bl_lines)
        if page.overflow <= 0:
            if page.overflow < -1 and chart_h >= CHART_H:  # spare room goes to the chart
                grown = min(CHART_MAX_H, chart_h - page.overflow - 1)
                page = _layout(trimmed, fonts, width_pt, height_pt, chart_h=grown, bl_lines=bl_lines)
            return page
        if p or c:
            # policy item i has priority 100-10i, consideration j 95-10j: drop the lowest kept.
            if c and (not p or 95 - 10 * (c - 1) < 100 - 10 * (p - 1)):
                c -= 1
            else:
                p -= 1
        elif chart_h > CHART_MIN_H:
            chart_h = max(CHART_MIN_H, chart_h - page.overflow - 1)
        elif bl_lines > BOTTOM_LINE_MIN_LINES:
            bl_lines -= 1
        else:
            return page  # cannot happen with bounded items; draw what we have rather than fail


def draw_page(painter: QPainter, page: Page, *, chart: Any = None) -> None:
    """Replay the planned operations, then draw the chart (vector) into its rectangle."""
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
            _, x, baseline, value, font, color = op
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
    from briefing.render.chart_export import render_scene  # the one chart renderer

    render_scene(painter, rect, chart)
