"""Domain settings (feed address, sync schedule, extra trusted keys) and the user's own country
groups and saved views, stored as JSON in the home."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields

from briefing.core import atomic, names

#: Where `.github/workflows/publish.yml` deploys the feed (GitHub Pages of the project's repository).
#: A fork that publishes its own feed changes this and `resources/keys/` (README, "Publishing").
DEFAULT_FEED_URL = "https://open-model-briefing.github.io/open-model-briefing/feed.json"


@dataclass
class Settings:
    feed_url: str = DEFAULT_FEED_URL
    auto_sync: bool = True
    sync_interval_hours: float = 24.0
    trusted_key_files: list[str] = field(default_factory=list)
    #: Days after the data date past which the app and the briefs show an age warning.
    stale_after_days: int = 90
    #: How many of the most-downloaded text-generation models a Hub sync reads for its whole-Hub
    #: share reading (0: none).
    hub_top_n: int = 1000
    #: The brief's "Prepared by ... for ..." line (edited in the one-pager dialog; blank: no line).
    prepared_by: str = ""
    prepared_for: str = ""
    #: Print "What changed since your last brief" on the brief (the dialog always lists the changes).
    show_changes: bool = False
    #: The user's own country groups (name -> codes), beside the builtin ones (`names.country_groups`).
    country_groups: dict[str, list[str]] = field(default_factory=dict)
    #: Saved views: name -> view link (`view_links`), reopened from View > Saved views.
    saved_views: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Settings:
        """Read settings; a missing or unreadable file gives the defaults (unknown keys ignored).

        A value of the wrong type or out of range (NaN, a negative interval, a list of numbers as
        key files) is ignored, its default kept: a hand-edited file never crashes a sync or the app."""
        try:
            with open(path, "rb") as fh:
                data = json.loads(fh.read(1_000_000).decode("utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        out = cls(**{k: v for k, v in data.items() if k in _CHECKS and _CHECKS[k](v)})
        # hand-edited or foreign entries of the user's groups and views are dropped, never an error
        out.country_groups = names.clean_groups(out.country_groups)
        out.saved_views = clean_saved_views(out.saved_views)
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        atomic.write_bytes(path, (json.dumps(asdict(self), indent=2, sort_keys=True) + "\n").encode("utf-8"), own=True)


def _number(low: float, high: float):
    return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and low <= v <= high


_CHECKS = {
    "feed_url": lambda v: isinstance(v, str) and 0 < len(v) <= 2000,
    "auto_sync": lambda v: isinstance(v, bool),
    "sync_interval_hours": _number(0.01, 24 * 365),
    "trusted_key_files": lambda v: isinstance(v, list) and len(v) <= 20 and all(isinstance(p, str) and p for p in v),
    "stale_after_days": lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 100_000,
    "hub_top_n": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100_000,
    "prepared_by": lambda v: isinstance(v, str) and len(v) <= 500,
    "prepared_for": lambda v: isinstance(v, str) and len(v) <= 500,
    "show_changes": lambda v: isinstance(v, bool),
    "country_groups": lambda v: isinstance(v, dict),
    "saved_views": lambda v: isinstance(v, dict),
}
assert set(_CHECKS) == {f.name for f in fields(Settings)}, "every setting has its check"


MAX_SAVED_VIEWS = 100
MAX_VIEW_NAME = 80
MAX_LINK = 4000


def clean_saved_views(raw: object) -> dict[str, str]:
    """name -> link pairs that are both short plain strings (the link is parsed when opened)."""
    if not isinstance(raw, dict):
        return {}
    return {
        name.strip(): link
        for name, link in list(raw.items())[:MAX_SAVED_VIEWS]
        if isinstance(name, str)
        and name.strip()
        and len(name) <= MAX_VIEW_NAME
        and isinstance(link, str)
        and 0 < len(link) <= MAX_LINK
    }
