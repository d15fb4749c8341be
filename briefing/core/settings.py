"""Domain settings (feed address, sync schedule, extra trusted keys) stored as JSON in the home."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from briefing.core import atomic

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

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Settings:
        """Read settings; a missing or unreadable file gives the defaults (unknown keys ignored)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known}) if isinstance(data, dict) else cls()

    def save(self, path: str | os.PathLike[str]) -> None:
        atomic.write_bytes(path, (json.dumps(asdict(self), indent=2, sort_keys=True) + "\n").encode("utf-8"), own=True)
