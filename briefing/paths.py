"""Where things live: the home folder (--home > BRIEFING_HOME > platformdirs), the log folder, and
the bundled files.

The bundled files (snapshot, resources, licence texts, fonts) are found in one of two layouts:
an installed wheel or the standalone bundle carries them inside the package, in `briefing/_bundled/`
(setup.py and the PyInstaller spec put them there); a checkout or an editable install reads them
where the project keeps them (`data/`, `resources/`, `LICENSE`, `data/raw/licenses/`).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "open-model-briefing"
PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
PROJECT_DIR = PACKAGE_DIR.parent
#: True in a wheel or the standalone bundle; False in a checkout (editable install).
INSTALLED = BUNDLED_DIR.is_dir()
_ROOT = BUNDLED_DIR if INSTALLED else PROJECT_DIR
RESOURCES_DIR = _ROOT / "resources"
DATA_DIR = _ROOT / "data"
#: The project's licence and the data licences (the bundle adds the Qt/PySide6 and font notices).
LICENSES_DIR = BUNDLED_DIR / "licenses" if INSTALLED else PROJECT_DIR / "data" / "raw" / "licenses"
#: Fonts the standalone bundle carries (absent elsewhere: the system's fonts are used).
FONTS_DIR = BUNDLED_DIR / "fonts"
#: Methods and definitions: shown under Help, the same text as the documentation (docs/methods.md).
METHODS_FILE = _ROOT / "docs" / "methods.md"

DATA_FILE = "briefing.sqlite"
NOTES_FILE = "notes.sqlite"
SYNC_LOG_FILE = "sync-log.sqlite"
SETTINGS_FILE = "settings.json"
BACKUPS_DIR = "backups"
LOCK_FILE = "sync.lock"
#: The files a home keeps for itself (with their SQLite and staging side files): no export writes them.
HOME_FILES = (DATA_FILE, NOTES_FILE, SYNC_LOG_FILE, SETTINGS_FILE, LOCK_FILE)


def home(override: str | os.PathLike[str] | None = None) -> Path:
    """The home folder: the explicit override, then $BRIEFING_HOME, then the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("BRIEFING_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The log folder: $BRIEFING_LOG_DIR, else the platform's user log folder."""
    env = os.environ.get("BRIEFING_LOG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def bundled_snapshot() -> Path:
    """The snapshot shipped with the app. It is only ever read."""
    return DATA_DIR / "snapshot.sqlite"


def records_dir() -> Path:
    """The reviewable records the bundled snapshot is built from (in a checkout only)."""
    return DATA_DIR / "records"
