"""The bounds on every number and string a feed or a public source can send: one place.

The record schemas (`records.SCHEMAS`) take their `maximum`s, lengths and full-match patterns from
here; the strict JSON reader (`feed.parse_json`) refuses non-finite numbers (`1e309` is not
infinity); the feed header's `feed_version` and `briefing feed build --version` share one range;
the public-source adapters read every count through `count()`. Text rules (bidi controls,
zero-width and control characters, lone surrogates, NUL) live beside them in `text`.
All declarative constants, so a compiled validator can use them as they are.
"""

from __future__ import annotations

import math
from typing import Any

#: SQLite's INTEGER is 64-bit signed: nothing larger is ever stored.
MAX_INT = 2**63 - 1
#: Feed versions: positive, at most this (what `feed build` writes and what a reader accepts).
MAX_FEED_VERSION = MAX_INT
#: Any figure in a record (amounts in any currency, parameters, downloads, likes): finite, 0..this.
MAX_NUMBER = 10**15
#: A horizon in years.
MAX_YEARS = 1000
#: How much of a bad value an error message quotes.
QUOTE_PREFIX = 40
#: How far in the future a feed's `generated_at` may be, for clocks that are a little off.
CLOCK_TOLERANCE_SECONDS = 600
#: The longest `--expires-days` a publisher may sign (100 years).
MAX_EXPIRES_DAYS = 36_500.0


def count(value: Any) -> int | None:
    """`value` if it is a whole number in 0..MAX_NUMBER (not a bool), else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_NUMBER:
        return value
    return None


def finite(value: float) -> bool:
    return math.isfinite(value)


def quote(value: Any, limit: int = QUOTE_PREFIX) -> str:
    """A value for an error message: its repr, cut to a short prefix with the full length said."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + "…"
