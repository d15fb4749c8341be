"""What the data's date means, and how old it is (no Qt).

The *data date* is the latest measurement the records hold: the latest adoption `as_of`, investment
`announced_on`, model `released_on` or policy `date` — never a policy milestone scheduled after the
data were gathered (`scheduled`), and never the build, feed or export date. Its *age* is counted
against the real clock, which callers pass in (`today`) so tests can fix it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

#: Days after the data date past which the app and the brief show an age warning (a setting).
DEFAULT_STALE_AFTER_DAYS = 90

_DATE_OF = {"adoption": "as_of", "investment": "announced_on", "model": "released_on", "policy_action": "date"}


def today() -> dt.date:
    """The real clock's date (UTC). Everything else takes `today` as a parameter."""
    return dt.datetime.now(dt.timezone.utc).date()


def data_date(records: Mapping[str, Iterable[dict[str, Any]]]) -> str | None:
    """The latest measurement date among records by kind (ISO), or None when there are none."""
    latest: str | None = None
    for kind, field in _DATE_OF.items():
        for rec in records.get(kind, ()):
            if kind == "policy_action" and rec.get("scheduled"):
                continue
            value = rec.get(field)
            if value and (latest is None or value > latest):
                latest = value
    return latest


def parse(value: str | None) -> dt.date | None:
    """'2026-03-17' (or a longer ISO string) -> date; None for None or a non-date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def age_days(data_as_of: str | None, *, today: dt.date) -> int | None:
    """Whole days from the data date to `today` (never negative), or None without a data date."""
    d = parse(data_as_of)
    return None if d is None else max(0, (today - d).days)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (Mar 17 -> Dec 1 of the same year is 8)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(0, months)


def is_old(data_as_of: str | None, *, today: dt.date, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS) -> bool:
    """True when the data date is more than `stale_after_days` before `today` (or unknown)."""
    age = age_days(data_as_of, today=today)
    return age is None or age > stale_after_days
