"""The app's log: a rotating file in the user log folder, and faulthandler for hard crashes.

`setup()` is called once per process by the CLI (every command, the GUI included). Modules log
through `logging.getLogger(__name__)`. What goes in: commands, syncs and their counts, exports
written, failures (unexpected ones with their traceback). What never goes in: note text, bottom
lines or considerations the user wrote, key material, passwords or tokens in addresses (every
line passes through `scrub`), HTTP bodies.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
from pathlib import Path
from typing import IO

from briefing import paths

LOG_FILE = "briefing.log"
CRASH_FILE = "crash.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@")
_SECRET_QUERY = re.compile(
    r"([?&](?:access_token|api_key|apikey|key|password|secret|sig|signature|token)=)[^&#\s]+",
    re.IGNORECASE,
)
#: A minisign secret key's base64 line (and anything as long and as random-looking).
_KEY_TEXT = re.compile(r"\b[A-Za-z0-9+/]{100,}={0,2}")

_handler: logging.Handler | None = None
_crash_file: IO[str] | None = None


def scrub(text: str) -> str:
    """`text` with passwords in addresses, secret query values and long key-like strings masked."""
    text = _USERINFO.sub(r"\1***@", text)
    text = _SECRET_QUERY.sub(r"\1***", text)
    return _KEY_TEXT.sub("***", text)


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def log_path(directory: str | os.PathLike[str] | None = None) -> Path:
    return Path(directory or paths.log_dir()) / LOG_FILE


def setup(directory: str | os.PathLike[str] | None = None) -> Path | None:
    """Log INFO and up from `briefing.*` to DIR/briefing.log (rotated at 1 MB, 3 kept), and dump
    the threads' stacks to DIR/crash.log on a fatal signal. DIR: $BRIEFING_LOG_DIR, else the user
    log folder. Returns the log file, or None if the folder cannot be written (the app runs on
    without a log). Calling it again with another folder moves the log there."""
    global _handler, _crash_file
    path = log_path(directory)
    logger = logging.getLogger("briefing")
    if _handler is not None and getattr(_handler, "baseFilename", None) == str(path.absolute()):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path,
            maxBytes=MAX_BYTES,
            backupCount=BACKUP_COUNT,
            encoding="utf-8",
            delay=True,
        )
        crash = open(path.parent / CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    except OSError:
        return None
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _handler = handler
    # Only if nobody chose otherwise (python -X faulthandler, pytest): a GUI started from a menu has no stderr.
    if not faulthandler.is_enabled() or _crash_file is not None:
        faulthandler.enable(file=crash, all_threads=True)
        if _crash_file is not None:
            _crash_file.close()
        _crash_file = crash
    else:
        crash.close()
    return path
