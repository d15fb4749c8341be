"""Where things live: the home folder (--home > BRIEFING_HOME > platformdirs) and bundled files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "open-model-briefing"
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
RESOURCES_DIR = PROJECT_DIR / "resources"
DATA_DIR = PROJECT_DIR / "data"

DATA_FILE = "briefing.sqlite"
NOTES_FILE = "notes.sqlite"
SYNC_LOG_FILE = "sync-log.sqlite"
SETTINGS_FILE = "settings.json"
BACKUPS_DIR = "backups"


def home(override: str | os.PathLike[str] | None = None) -> Path:
    """The home folder: the explicit override, then $BRIEFING_HOME, then the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("BRIEFING_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def bundled_snapshot() -> Path:
    """The snapshot shipped with the app. It is only ever read."""
    return DATA_DIR / "snapshot.sqlite"


def records_dir() -> Path:
    """The reviewable records the bundled snapshot is built from."""
    return DATA_DIR / "records"
