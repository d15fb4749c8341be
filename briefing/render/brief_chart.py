"""The brief's chart: its data read without pandas where the figure layer allows, and drawn as a
plain SVG (no Qt, no widget, any thread), which Typst places in the PDF and rasterises for Word
and slides.

`load_brief_chart(store, name, policies=...)` gives a `BriefChart`: the same title, source line,
data date, caption note and alternative text as the app's chart of that name
(`charts.load_chart_data`), and the series it plots:

* `adoption-share`: `reading_series.share_table` (the rows `readings.shares` gives the app's chart;
  tests/render/test_brief_chart.py checks them reading by reading);
* `policy-timeline`: the policy records themselves (the figure layer's `Context.policies`);
* `investment-*`: `frames.investment_by_country` (pandas, imported for that brief only).

`chart_svg(chart, width, height)` draws it in points: axes with labels, the key as text under
the plot, the dates or amounts shown, the colour-blind-safe palette of the app (`palette`). Every
string is escaped as XML text, so a record's text never becomes markup.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass, field
from typing import Any

from briefing.core import names, numbers, reading_series
from briefing.core.errors import BriefingError
from briefing.core.figures import place_name as place
from briefing.core.store import Store
from briefing.render.captions import caption_text, source_line
from briefing.render.palette import (
    BUCKET_COLOURS,
    INSTRUMENT_SYMBOLS,
    PALETTE,
    STANCE_COLOURS,
    VALUE_COLOURS,
    stack_offsets,
)

SHARE_TITLE = "Share of 30-day Hugging Face downloads by developer country, per reading"
POLICY_TITLE = "AI policy actions by jurisdiction (colour: stance on open models)"
FONT = "DejaVu Sans, WenQuanYi Micro Hei, sans-serif"
INK, MUTED, GRID, AXIS, OUTLINE = "#1f2328", "#4f5864", "#e6e9ed", "#8a929b", "#333333"
TICK_PT, LABEL_PT, KEY_PT = 7.2, 7.2, 7.2
BOLD = 1.15  # bold DejaVu Sans is this much wider
SINGLE_WIDTH_DAYS = 4.0  # a series with one reading is a stacked bar this wide (as in the app)
#: The investment charts of the registry (`charts.CHARTS`) and what their bars are split by.
INVESTMENT_COLOUR_BY = {
    "investment-by-country": "scope",
    "investment-by-status": "status",
    "investment-by-confirmation": "confirmation",
}


@dataclass(frozen=True)
class BriefChart:
    """A chart for the brief: what `charts.ChartData` says about it, and the series it plots."""

    name: str
    kind: str  # "share" | "timeline" | "bars"
    title: str
    source_line: str
    as_of: str
    note: str = ""
    description: str = ""  # alternative text: what the chart shows, in words
    data: Any = None
    extra: dict = field(default_factory=dict)

    def caption_text(self) -> str:
        return caption_text(self.source_line, self.as_of, self.note)


# -- data ---------------------------------------------------------------------------------------------
def load_brief_chart(store: Store, name: str, *, policies: list[dict[str, Any]] | None = None) -> BriefChart:
    """The named chart's data and captions (module docstring). Any thread, the caller's own Store."""
    if name == "adoption-share":
        return _share(store)
    if name == "policy-timeline":
        return _timeline(store, store.records("policy_action") if policies is None else policies)
    if name in INVESTMENT_COLOUR_BY:
        return _bars(store, name, INVESTMENT_COLOUR_BY[name])
    raise BriefingError(f"the brief has no chart {name!r}")


def readings_source(store: Store, metric: str, used: list[str]) -> str:
    """'Sources: <series labels> (N source records)': a readings chart's compact credit (two lines
    on a one-pager; the notes list the records). The app's charts print the same."""
    if not used:
        return ""
    ids = store.reading_source_ids(metric=metric, series=used)
    labels = "; ".join(reading_series.SERIES[s].label for s in used)
    return f"Sources: {labels} ({len(ids)} source record{'' if len(ids) == 1 else 's'})"


def share_note(panel: str, found: list[reading_series.Crossover], between: list[str]) -> str:
    """The share chart's caption note: the panel sentence, then each crossover, else each change
    of lead between series (the app's chart prints the same)."""
    notes = [panel]
    notes += [f"crossover {c.date.isoformat()} within the {reading_series.SERIES[c.series].label}" for c in found]
    notes += between if not found else []
    return ".  ".join(n for n in notes if n) + ("." if notes else "")


def _share(store: Store) -> BriefChart:
    table = reading_series.share_table(store, reading_series.SHARE_SERIES)
    rows = table.rows
    used = [s for s in reading_series.SERIES if s in {r.series for r in rows}]
    found = reading_series.share_crossovers(rows)
    note = share_note(table.describe_short(), found, reading_series.share_lead_between_series(rows))
    return BriefChart(
        "adoption-share",
        "share",
        SHARE_TITLE,
        readings_source(store, "downloads_30d", used),
        max(r.date for r in rows).isoformat() if rows else "",
        note,
        describe_shares(rows, SHARE_TITLE, note),
        rows,
        {"crossovers": found},
    )


def describe_shares(rows: tuple[reading_series.ShareRow, ...] | list, title: str, note: str) -> str:
    """'Stacked 100% chart: <title>, N readings from ... to .... At the latest reading: China 41%, ...'
    (alternative text; the app's share chart says the same)."""
    if not rows:
        return f"Chart: {title}. No readings to show."
    last = rows[-1]
    at_end = ", ".join(
        f"{_name(b)} {numbers.percent(round(last.shares[b], 1))}"
        for b in reading_series.BUCKETS
        if not math.isnan(last.shares[b])
    )
    text = (
        f"Stacked 100% chart: {title}, {len(rows):,} readings from {numbers.date(rows[0].date.isoformat())} to"
        f" {numbers.date(last.date.isoformat())}, each split by developer country. At the latest reading: {at_end}."
    )
    return text + (f" {note.rstrip('.')}." if note else "")


def _name(group: object) -> str:
    text = str(group)
    return place(text) if len(text) <= 3 and text.isupper() else text


def _timeline(store: Store, policies: list[dict[str, Any]]) -> BriefChart:
    actions = sorted(policies, key=lambda a: (a["date"], a["id"]))
    ids = {s for a in actions for s in a["sources"]}
    done = [a["date"] for a in actions if not a.get("scheduled")]
    as_of = max(done) if done else ""
    return BriefChart(
        "policy-timeline",
        "timeline",
        POLICY_TITLE,
        source_line(store, ids),
        as_of,
        "",
        _describe_timeline(actions, POLICY_TITLE, as_of),
        actions,
    )


def _counts(values: list[str]) -> list[tuple[str, int]]:
    """(value, count), most first, ties in order of first appearance (pandas' value_counts)."""
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


def _describe_timeline(actions: list[dict[str, Any]], title: str, as_of: str) -> str:
    """'Timeline: <title>: N actions from ... to ...; most in US (48), ...; by stance: ...' (the
    app's chart says the same: `charts._policy_load`)."""
    if not actions:
        return f"Timeline: {title}. No actions to show."
    most = ", ".join(f"{place(j)} ({n})" for j, n in _counts([a["jurisdiction"] for a in actions])[:4])
    by_stance = ", ".join(
        f"{n} {names.code_words(s)}" for s, n in _counts([a["stance_on_open_models"] for a in actions])
    )
    return (
        f"Timeline: {title}: {len(actions):,} actions from {numbers.date(actions[0]['date'])} to"
        f" {numbers.date(as_of)}, one marker each, in a row per jurisdiction; most in {most}. By stance on open"
        f" models: {by_stance}."
    )


def investment_data(store: Store, colour_by: str) -> tuple[Any, str, str, str, str, str]:
    """An investment chart's frame, title, source line, data date, note and alternative text (the
    app's chart and the brief's). Imports pandas (`frames`)."""
    from briefing.core import frames

    frame = frames.investment_frame(store)
    ids = {s for srcs in frame.loc[frame["amount_usd"].notna(), "sources"] for s in srcs}
    as_of = frame["announced_on"].max().strftime("%Y-%m-%d") if len(frame) else ""
    note = ". ".join(frames.investment_chart_notes(frame))  # named on the chart, not only in a table
    title = f"AI investment commitments by country (USD), by {colour_by}"
    wide = frames.investment_by_country(frame, colour_by) if len(frame) else frame
    return frame, title, source_line(store, ids), as_of, note, _describe_bars(wide, title, colour_by, note)


def _describe_bars(wide: Any, title: str, colour_by: str, note: str = "") -> str:
    """'Horizontal bar chart: <title>. Largest: US $553 billion, ...; N more jurisdictions.'"""
    if wide is None or not len(wide):
        return f"Bar chart: {title}. No data to show."
    totals = wide.sum(axis=1).sort_values(ascending=False)
    shown = ", ".join(f"{place(str(c))} {numbers.usd(float(v))}" for c, v in totals.head(6).items())
    rest = len(totals) - 6
    text = (
        f"Horizontal bar chart: {title}, each bar split by {colour_by.replace('_', ' ')}. Largest: {shown}"
        + (f"; {rest} more jurisdictions, smaller" if rest > 0 else "")
        + "."
    )
    return text + (f" {note.rstrip('.')}." if note else "")


def _bars(store: Store, name: str, colour_by: str) -> BriefChart:
    from briefing.core import frames  # pandas: only the investment brief's bars need the frames

    frame, title, src, as_of, note, description = investment_data(store, colour_by)
    wide = frames.investment_by_country(frame, colour_by) if len(frame) else None
    rows = (
        [(str(c), [(str(k), float(v)) for k, v in wide.loc[c].items()]) for c in wide.index]
        if wide is not None and len(wide)
        else []
    )
    columns = [str(c) for c in wide.columns] if wide is not None else []
    return BriefChart(
        name, "bars", title, src, as_of, note, description, rows, {"colour_by": colour_by, "columns": columns}
    )


# -- drawing ------------------------------------------------------------------------------------------
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: object) -> str:
    """Text as XML character data (characters XML cannot hold are dropped)."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def text_width(text: str, size: float) -> float:
    """About how wide DejaVu Sans sets `text` at `size` points (for layout only; generous)."""
    w = 0.0
    for ch in text:
        if ch in "il.,:;'|!":
            w += 0.3
        elif ch in "fjtrI ()[]-":
            w += 0.4
        elif ch in "mwMW%":
            w += 0.95
        elif ch.isupper() or ch.isdigit():
            w += 0.7
        elif ord(ch) > 0x2E80:  # CJK: a full em
            w += 1.0
        else:
            w += 0.6
    return w * size


class _Svg:
    def __init__(self, width: float, height: float) -> None:
        self.w, self.h = width, height
        self.parts: list[str] = []

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self, x: float, y: float, text: str, *, size: float = TICK_PT, anchor: str = "start", fill: str = INK, **kw: str
    ) -> None:
        extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
        self.add(
            f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f"{_esc(text)}</text>"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 0.5) -> None:
        self.add(
            f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{stroke}" stroke-width="{width}"/>'
        )

    def done(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.w:.2f}pt" height="{self.h:.2f}pt"'
            f' viewBox="0 0 {self.w:.2f} {self.h:.2f}" font-family="{FONT}">'
            f'<rect width="{self.w:.2f}" height="{self.h:.2f}" fill="#ffffff"/>' + "".join(self.parts) + "</svg>"
        )


@dataclass
class _Key:
    """A key laid out in rows under the plot: (swatch kind, colour or symbol, label) entries, each
    row starting with its header."""

    groups: list[tuple[str, list[tuple[str, str, str]]]]
    width: float
    rows: list[list[tuple[str, str, str, str]]] = field(default_factory=list)  # (header?, kind, paint, label)

    def __post_init__(self) -> None:
        for header, entries in self.groups:
            row: list[tuple[str, str, str, str]] = []
            used = text_width(header, KEY_PT) * BOLD + 6 if header else 0.0
            if header:
                row.append(("h", "", "", header))
            for kind, paint, label in entries:
                need = 12 + text_width(label, KEY_PT) + 8
                if row and used + need > self.width:
                    self.rows.append(row)
                    row, used = [], 0.0
                row.append(("e", kind, paint, label))
                used += need
            if row:
                self.rows.append(row)

    @property
    def height(self) -> float:
        return len(self.rows) * 11.5

    def draw(self, svg: _Svg, x0: float, y0: float) -> None:
        for i, row in enumerate(self.rows):
            x, y = x0, y0 + i * 11.5 + 8
            for what, kind, paint, label in row:
                if what == "h":
                    svg.text(x, y, label, size=KEY_PT, font_weight="bold")
                    x += text_width(label, KEY_PT) * BOLD + 6
                    continue
                if kind == "box":
                    svg.add(f'<rect x="{x:.2f}" y="{y - 6.5:.2f}" width="7" height="7" fill="{paint}"/>')
                elif kind == "dot":
                    svg.add(_marker("o", x + 3.5, y - 3, 3.4, paint, OUTLINE))
                else:
                    svg.add(_marker(paint, x + 3.5, y - 3, 3.6, "none", OUTLINE))
                svg.text(x + 11, y, label, size=KEY_PT)
                x += 12 + text_width(label, KEY_PT) + 8


def _marker(symbol: str, cx: float, cy: float, r: float, fill: str, stroke: str) -> str:
    """An app marker shape (pyqtgraph's symbol names) centred on (cx, cy), about 2r across."""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="0.6"'
    if symbol == "o":
        return f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{r:.2f}" {paint}/>'

    def poly(points: list[tuple[float, float]]) -> str:
        return '<polygon points="' + " ".join(f"{cx + x * r:.2f},{cy + y * r:.2f}" for x, y in points) + f'" {paint}/>'

    def regular(n: int, start: float, radius: float = 1.0) -> list[tuple[float, float]]:
        return [
            (radius * math.cos(start + 2 * math.pi * k / n), radius * math.sin(start + 2 * math.pi * k / n))
            for k in range(n)
        ]

    if symbol == "s":
        return poly([(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)])
    if symbol == "d":
        return poly([(0, -1.1), (0.8, 0), (0, 1.1), (-0.8, 0)])
    if symbol == "t":  # pointing down
        return poly([(-1, -0.75), (1, -0.75), (0, 1)])
    if symbol == "t1":  # pointing up
        return poly([(-1, 0.75), (1, 0.75), (0, -1)])
    if symbol == "h":
        return poly(regular(6, 0.0))
    if symbol == "p":
        return poly(regular(5, -math.pi / 2))
    if symbol == "star":
        pts = []
        for k in range(10):
            a = -math.pi / 2 + math.pi * k / 5
            rad = 1.05 if k % 2 == 0 else 0.45
            pts.append((rad * math.cos(a), rad * math.sin(a)))
        return poly(pts)
    if symbol in ("+", "x"):
        a = 0.3
        arms = [
            (-a, -1),
            (a, -1),
            (a, -a),
            (1, -a),
            (1, a),
            (a, a),
            (a, 1),
            (-a, 1),
            (-a, a),
            (-1, a),
            (-1, -a),
            (-a, -a),
        ]
        if symbol == "x":
            c = math.sqrt(0.5)
            arms = [((x - y) * c, (x + y) * c) for x, y in arms]
        return poly(arms)
    return f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{r:.2f}" {paint}/>'


def _date_ticks(lo: dt.date, hi: dt.date, width: float) -> list[tuple[dt.date, str]]:
    """Month starts to label ('Jul 2025'; years alone from a step of 12 months), every 1, 3, 6, 12 or
    more months, as many as fit (about 58 pt apart)."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    for step in (1, 3, 6, 12, 24, 60):
        if months / step <= max(1.0, width / 58):
            break
    out = []
    y, m = lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        if (m - 1) % step == 0 and dt.date(y, m, 1) >= lo:
            d = dt.date(y, m, 1)
            out.append((d, str(y) if step >= 12 else d.strftime("%b %Y")))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _day(d: dt.date | str) -> float:
    return float((dt.date.fromisoformat(d) if isinstance(d, str) else d).toordinal())


def chart_svg(chart: BriefChart, width: float, height: float) -> str:
    """The chart as an SVG document `width` x `height` points (module docstring)."""
    draw = {"share": _draw_share, "timeline": _draw_timeline, "bars": _draw_bars}[chart.kind]
    svg = _Svg(width, height)
    draw(svg, chart)
    return svg.done()


def _x_axis_dates(svg: _Svg, x0: float, x1: float, y: float, lo: float, hi: float, top: float) -> None:
    span = max(hi - lo, 1.0)
    for d, label in _date_ticks(dt.date.fromordinal(math.ceil(lo)), dt.date.fromordinal(math.floor(hi)), x1 - x0):
        x = x0 + (d.toordinal() - lo) / span * (x1 - x0)
        svg.line(x, top, x, y)
        svg.line(x, y, x, y + 2.5, AXIS, 0.6)
        half = text_width(label, TICK_PT) / 2
        if x - half >= 0 and x + half <= svg.w:  # a label the edge would cut is left to its grid line
            svg.text(x, y + 9.5, label, anchor="middle")
    svg.line(x0, y, x1, y, AXIS, 0.6)


def _draw_share(svg: _Svg, chart: BriefChart) -> None:
    rows = [r for r in chart.data if r.total > 0]
    buckets = reading_series.BUCKETS
    key = _Key([("", [("box", BUCKET_COLOURS[b], reading_series.BUCKET_LABELS[b]) for b in buckets])], svg.w - 40)
    shown = f"Readings shown: {numbers.window(rows[0].date.isoformat(), rows[-1].date.isoformat())}" if rows else ""
    x0, x1, top = 40.0, svg.w - 6.0, 5.0
    y1 = svg.h - 14 - key.height - 2
    svg.text(
        9,
        (top + y1) / 2,
        "Share of 30-day downloads (%)",
        size=LABEL_PT,
        anchor="middle",
        transform=f"rotate(-90 9 {(top + y1) / 2:.2f})",
    )
    ymin, ymax = -2.0, 102.0

    def Y(v: float) -> float:  # noqa: N802 - a coordinate map
        return y1 - (v - ymin) / (ymax - ymin) * (y1 - top)

    for v in range(0, 101, 20):
        svg.line(x0, Y(v), x1, Y(v))
        svg.text(x0 - 3, Y(v) + 2.3, str(v), anchor="end")
    svg.line(x0, top, x0, y1, AXIS, 0.6)
    if not rows:
        # as the app's chart: the 0-100 % scale stays, no dates are claimed
        svg.text((x0 + x1) / 2, (top + y1) / 2, "No reading with downloads", size=LABEL_PT, anchor="middle", fill=MUTED)
    else:
        lo, hi = _day(rows[0].date), _day(rows[-1].date)
        pad = max((hi - lo) * 0.02, SINGLE_WIDTH_DAYS)
        lo, hi = lo - pad, hi + pad

        def X(d: dt.date | float) -> float:  # noqa: N802 - a coordinate map
            day = d if isinstance(d, float) else _day(d)
            return x0 + (day - lo) / (hi - lo) * (x1 - x0)

        _x_axis_dates(svg, x0, x1, y1, lo, hi, top)
        for _key, part in reading_series.share_segments(rows):
            lower = [0.0] * len(part)
            for b in buckets:
                upper = [lw + r.shares[b] for lw, r in zip(lower, part)]
                colour = BUCKET_COLOURS[b]
                if len(part) == 1:
                    half = SINGLE_WIDTH_DAYS / 2
                    xa, xb = X(_day(part[0].date) - half), X(_day(part[0].date) + half)
                    svg.add(
                        f'<rect x="{xa:.2f}" y="{Y(upper[0]):.2f}" width="{xb - xa:.2f}"'
                        f' height="{Y(lower[0]) - Y(upper[0]):.2f}" fill="{colour}"/>'
                    )
                else:
                    top_edge = [f"{X(r.date):.2f},{Y(u):.2f}" for r, u in zip(part, upper)]
                    bottom_edge = [f"{X(r.date):.2f},{Y(lw):.2f}" for r, lw in zip(reversed(part), reversed(lower))]
                    svg.add(
                        f'<polygon points="{" ".join(top_edge + bottom_edge)}" fill="{colour}"'
                        f' stroke="{colour}" stroke-width="0.5" stroke-linejoin="round"/>'
                    )
                lower = upper
        for r in rows:  # a dot per reading, at China's share (the app's points)
            svg.add(_marker("o", X(r.date), Y(r.shares["CN"]), 1.9, "#ffffff", OUTLINE))
        for c in chart.extra.get("crossovers", ()):
            x = X(c.date)
            svg.line(x, top, x, y1, INK, 1.0)
            who = reading_series.BUCKET_LABELS
            svg.text(x + 2, top + 7, f"{who[c.leader]} passes {who[c.other]}: {c.date.isoformat()}", size=KEY_PT)
    ky = y1 + 12
    key.draw(svg, x0, ky)
    if shown:
        svg.text(svg.w - 6, ky + 8, shown, size=KEY_PT, anchor="end", fill=MUTED)


def _draw_timeline(svg: _Svg, chart: BriefChart) -> None:
    actions = chart.data
    counts = dict(_counts([a["jurisdiction"] for a in actions]))
    lanes = sorted(counts, key=lambda j: (-counts[j], j))
    labels = [names.country(j) for j in lanes]
    gutter = max([text_width(t, TICK_PT) for t in labels] + [20.0]) + 8
    key = _Key(
        [
            ("Stance on open models:", [("dot", c, names.code_words(s)) for s, c in STANCE_COLOURS.items()]),
            ("Instrument:", [("shape", sym, names.code_words(i)) for i, sym in INSTRUMENT_SYMBOLS.items()]),
        ],
        svg.w - gutter,
    )
    x0, x1, top = gutter, svg.w - 6.0, 3.0
    y1 = svg.h - 14 - key.height - 2
    n = len(lanes)
    ymin, ymax = -0.7, max(n - 1, 0) + 0.7

    def Y(v: float) -> float:  # noqa: N802 - a coordinate map
        return y1 - (v - ymin) / (ymax - ymin) * (y1 - top)

    lane_of = {j: i for i, j in enumerate(lanes)}
    for i, label in enumerate(labels):
        y = Y(n - 1 - i)
        svg.line(x0, y, x1, y)
        svg.text(x0 - 4, y + 2.3, label, anchor="end")
    svg.line(x0, top, x0, y1, AXIS, 0.6)
    if actions:
        days = [_day(a["date"]) for a in actions]
        lo, hi = min(days), max(days)
        pad = max((hi - lo) * 0.06, 30.0)
        lo, hi = lo - pad, hi + pad
        _x_axis_dates(svg, x0, x1, y1, lo, hi, top)
        lane_y = [n - 1 - lane_of[a["jurisdiction"]] for a in actions]
        offsets = stack_offsets(lane_y, days)
        r = min(4.4, (y1 - top) / max(1, n) * 0.42)
        for a, d, ly, off in zip(actions, days, lane_y, offsets):
            colour = STANCE_COLOURS.get(a["stance_on_open_models"] or "unassessed", "#BBBBBB")
            x = x0 + (d - lo) / (hi - lo) * (x1 - x0)
            svg.add(_marker(INSTRUMENT_SYMBOLS.get(a["instrument"], "o"), x, Y(ly + off), r, colour, OUTLINE))
    else:
        svg.text((x0 + x1) / 2, (top + y1) / 2, "No actions to show", size=LABEL_PT, anchor="middle", fill=MUTED)
    key.draw(svg, x0, y1 + 12)


def _nice_step(hi: float, ticks: int = 6) -> float:
    raw = hi / ticks
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _usd_tick(v: float, hi: float) -> str:
    """'$100B' (the app's axis), '$500M' below a billion."""
    unit, suffix = (1e9, "B") if hi >= 1e9 else (1e6, "M")
    return f"${v / unit:,.4g}{suffix}"


def _draw_bars(svg: _Svg, chart: BriefChart) -> None:
    rows = chart.data
    colour_by = chart.extra.get("colour_by", "scope")
    columns = chart.extra.get("columns", [])
    colours = {c: VALUE_COLOURS.get(colour_by, {}).get(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(columns)}
    labels = [names.country(c) for c, _ in rows]
    gutter = max([text_width(t, TICK_PT) for t in labels] + [20.0]) + 8
    key = _Key(
        [(f"{colour_by.replace('_', ' ').title()}:", [("box", colours[c], names.code_words(c)) for c in columns])],
        svg.w - gutter,
    )
    x0, x1, top = gutter, svg.w - 10.0, 3.0
    y1 = svg.h - 24 - key.height - 2
    totals = [sum(v for _, v in parts) for _, parts in rows]
    hi = max(totals + [1.0]) * 1.03
    step = _nice_step(hi)
    n = max(1, len(rows))
    band = (y1 - top) / n

    def X(v: float) -> float:  # noqa: N802 - a coordinate map
        return x0 + v / hi * (x1 - x0)

    v = step if rows else hi + 1  # no bars: no amounts on the axis either
    while v <= hi:
        svg.line(X(v), top, X(v), y1)
        svg.line(X(v), y1, X(v), y1 + 2.5, AXIS, 0.6)
        svg.text(X(v), y1 + 9.5, _usd_tick(v, hi), anchor="middle")
        v += step
    svg.line(x0, y1, x1, y1, AXIS, 0.6)
    svg.line(x0, top, x0, y1, AXIS, 0.6)
    svg.text((x0 + x1) / 2, y1 + 19, "Commitments (USD, each counted once)", size=LABEL_PT, anchor="middle")
    for i, (label, (_c, parts)) in enumerate(zip(labels, rows)):
        yc = top + band * (i + 0.5)
        svg.text(x0 - 4, yc + 2.3, label, anchor="end")
        left = 0.0
        for col, value in parts:
            if value > 0:
                svg.add(
                    f'<rect x="{X(left):.2f}" y="{yc - band * 0.35:.2f}" width="{X(left + value) - X(left):.2f}"'
                    f' height="{band * 0.7:.2f}" fill="{colours.get(col, PALETTE[0])}"/>'
                )
            left += value
    if not rows:
        svg.text((x0 + x1) / 2, (top + y1) / 2, "No data to show", size=LABEL_PT, anchor="middle", fill=MUTED)
    key.draw(svg, x0, y1 + 24)
