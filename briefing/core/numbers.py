"""The one number and date formatter of the app: cards, briefs, charts' axes, tables, the CLI.

Styles, one per kind of surface:
* ``"short"``: cards and chart axes, e.g. ``1.2 M``, ``112.4 bn``, ``17.1%``; ``axis=True`` gives the
  tick form without spaces (``650M``, ``1.2B``) where room is scarce;
* ``"words"``: sentences and briefs, e.g. ``1 billion``, ``700 million``, ``$887 billion``;
* ``"full"``: tables, e.g. ``1,234,567``.
No Qt; pure functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

Style = Literal["short", "words", "full"]

_SHORT = ((1e12, " tn"), (1e9, " bn"), (1e6, " M"), (1e3, " k"))
_AXIS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: float, *, style: Style = "short", axis: bool = False) -> str:
    """A count in the given style (see the module docstring)."""
    v = float(value)
    if style == "full":
        return f"{v:,.0f}" if v.is_integer() or abs(v) >= 1000 else f"{v:,.3g}"
    if axis:
        for size, suffix in _AXIS:
            if abs(v) >= size:
                return f"{v / size:.3g}{suffix}"
        return f"{v:.4g}"
    steps = _SHORT if style == "short" else tuple((s, " " + w) for s, w in _WORDS)
    for size, suffix in steps:
        if abs(v) >= size:
            return _trim(f"{v / size:,.1f}") + suffix
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"


def percent(value: float) -> str:
    """17.1 -> '17.1%'; 41.0 -> '41%'."""
    return _trim(f"{float(value):.1f}") + "%"


def usd(value: float, *, style: Style = "words") -> str:
    """112.4e9 -> '$112.4 billion' (words), 'US$ 112.4 bn' (short), '$112,400,000,000' (full)."""
    if style == "short":
        return "US$ " + number(value, style="short")
    if style == "full":
        return "$" + number(value, style="full")
    return "$" + number(value, style="words")


def value(v: float, unit: str, *, style: Style = "short") -> str:
    """A value of a figure or record by unit: 'percent', 'usd', anything else a count."""
    if unit == "percent":
        return percent(v)
    if unit == "usd":
        return usd(v, style=style)
    return number(v, style=style)


def display(v: Any) -> str:
    """Plain text for any stored value (tables, detail panes): counts with separators, lists
    joined, booleans yes/no, None blank."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return number(v, style="full")
    if isinstance(v, (list, tuple)):
        return ", ".join(display(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {display(x)}" for k, x in v.items())
    return str(v)


def date(value: str | None, *, precision: str | None = None) -> str:
    """'2025-03-17' -> 'Mar 17, 2025'; with precision 'month' -> 'Aug 2025'; 'approximate' ->
    'c. Jun 2025'. '' for None; the input unchanged if it is not a date."""
    if not value:
        return ""
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    if precision == "month":
        return f"{d.strftime('%b')} {d.year}"
    if precision == "approximate":
        return f"c. {d.strftime('%b')} {d.year}"
    return f"{d.strftime('%b')} {d.day}, {d.year}"


def window(start: str | None, end: str | None, *, precision: str | None = None) -> str:
    """'Aug 2024 – Aug 2025' (a window), or the end date alone when there is no start."""
    if not start or start == end:
        return date(end, precision=precision)
    return f"{date(start, precision=precision)} \u2013 {date(end, precision=precision)}"


def plural_points(v: float) -> str:
    """1.3 -> '1.3 percentage points'; 1 -> '1 percentage point'."""
    text = _trim(f"{float(v):.1f}")
    return f"{text} percentage point{'' if text == '1' else 's'}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """plural(1, 'action') -> '1 action'; plural(3, 'action') -> '3 actions'."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
