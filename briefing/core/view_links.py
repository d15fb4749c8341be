"""View links: the state of a view (filters, grouping, metric, range, scale, the open record) as one
short line of text, e.g. ``policy?jurisdiction=US,CN&stance=restrictive&from=2024-10-01``.

`briefing gui --view LINK` opens it, View > Saved views keeps links under a name (settings.json),
and "Copy link to this view" puts one on the clipboard. The text is the view's name, then
`key=value` pairs; a list value is comma-separated, each item percent-encoded (so a value may hold
a comma). Keys are the view's own state names; a key the view does not know is ignored when the
link is opened (an older or newer app), and the view says which. A link never carries a path,
a query or anything that runs: it only sets widgets.

`parse` and `make` are pure; no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from briefing.core.errors import BriefingError

PREFIX = "briefing:"
MAX_LINK = 4000
MAX_ITEMS = 500
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
#: Kept readable in a link (RFC 3986 unreserved, plus ':' and '@' for record ids).
SAFE = "-._~:@/"

State = dict[str, list[str]]


@dataclass(frozen=True)
class ViewLink:
    """A view's name and its state: key -> list of values (one item for a scalar)."""

    view: str
    state: State = field(default_factory=dict)

    def text(self) -> str:
        return make(self.view, self.state)

    def one(self, key: str, default: str | None = None) -> str | None:
        values = self.state.get(key)
        return values[0] if values else default


def make(view: str, state: Mapping[str, Iterable[str] | str | bool | None]) -> str:
    """The link for a view and its state. None, empty lists and False are left out (the default);
    True is written '1'; keys in the order given."""
    parts = []
    for key, value in state.items():
        if not KEY.match(key):
            raise ValueError(f"not a view-link key: {key!r}")
        if value is None or value is False:
            continue
        items = ["1"] if value is True else [value] if isinstance(value, str) else [str(v) for v in value]
        if not items or items == [""]:
            continue
        parts.append(f"{key}=" + ",".join(quote(v, safe=SAFE) for v in items))
    return view + ("?" + "&".join(parts) if parts else "")


def parse(text: str, views: Iterable[str]) -> ViewLink:
    """A link (with or without the 'briefing:' prefix) -> ViewLink; BriefingError (one line) when it
    is not one: unknown view, bad key, too long."""
    raw = (text or "").strip()
    if raw.startswith(PREFIX):
        raw = raw[len(PREFIX) :]
    known = tuple(views)
    if not raw:
        raise BriefingError("empty view link")
    if len(raw) > MAX_LINK:
        raise BriefingError(f"view link too long ({len(raw):,} characters; at most {MAX_LINK:,})")
    if any(ord(c) < 32 or c.isspace() for c in raw):
        raise BriefingError("a view link has no spaces or control characters (copy it again)")
    view, _, query = raw.partition("?")
    if view not in known:
        raise BriefingError(f"unknown view {view[:40]!r} in the link (choose from {', '.join(known)})")
    state: State = {}
    n = 0
    for pair in filter(None, query.split("&")):
        key, eq, value = pair.partition("=")
        if not eq or not KEY.match(key):
            raise BriefingError(f"not a view link: {pair[:40]!r} is not key=value")
        items = [unquote(v) for v in value.split(",")] if value else []
        n += len(items)
        if n > MAX_ITEMS:
            raise BriefingError(f"view link has too many values (at most {MAX_ITEMS})")
        state[key] = items
    return ViewLink(view, state)


def resolve(text: str, views: Iterable[str], saved: Mapping[str, str]) -> ViewLink:
    """A view name, a link, or the name of a saved view -> ViewLink (the saved name wins over
    nothing else: a link is tried first, then the saved views)."""
    known = tuple(views)
    try:
        return parse(text, known)
    except BriefingError as exc:
        name = (text or "").strip()
        if name in saved:
            return parse(saved[name], known)
        raise BriefingError(f"{exc}; nor is it a saved view" if saved else str(exc)) from None
