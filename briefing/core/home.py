"""A home folder: the data file, the notes file, the sync log, backups and settings."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from briefing import paths
from briefing.core import atomic, snapshot
from briefing.core.errors import BriefingError
from briefing.core.migrations import data_migrations
from briefing.core.notes import NoteStore
from briefing.core.store import Store


@dataclass(frozen=True)
class Home:
    """Paths inside one home folder. `Home.open()` creates and seeds it on first use."""

    dir: Path

    @property
    def data_path(self) -> Path:
        return self.dir / paths.DATA_FILE

    @property
    def notes_path(self) -> Path:
        return self.dir / paths.NOTES_FILE

    @property
    def sync_log_path(self) -> Path:
        return self.dir / paths.SYNC_LOG_FILE

    @property
    def settings_path(self) -> Path:
        return self.dir / paths.SETTINGS_FILE

    @property
    def backups_dir(self) -> Path:
        return self.dir / paths.BACKUPS_DIR

    @classmethod
    def open(cls, override: str | os.PathLike[str] | None = None, *, bundled: Path | None = None) -> Home:
        """Resolve the home (--home > BRIEFING_HOME > user data dir), create it, seed the data file
        and bring it to the current schema, so every reader after this sees every column."""
        home = cls.locate(override)
        snapshot.seed(bundled or paths.bundled_snapshot(), home.data_path)
        home.migrate()
        return home

    @classmethod
    def locate(cls, override: str | os.PathLike[str] | None = None) -> Home:
        """The home folder, created if absent, its own files protected from exports; the data file
        is neither seeded nor opened (what `restore` needs when that file is damaged)."""
        home = cls(paths.home(override))
        try:
            home.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BriefingError(f"cannot create home {home.dir}: {exc.strerror or exc}") from None
        atomic.protect(home.dir)
        return home

    def migrate(self) -> None:
        """Check the data file (a quick check, ~15 ms for the bundled 21 MB) and apply its pending
        migrations (a file made by an older release), if any.

        A damaged file, or one that is not a database, is one line that names the way back
        (`briefing restore`), never a traceback from the first view that reads it. The check is
        read-only; only a file that needs it is opened for writing (each migration in its own
        transaction)."""
        try:
            opened = Store(self.data_path, readonly=True)
        except BriefingError as exc:
            raise BriefingError(f"{exc}; `briefing restore` brings back the last backup") from None
        with opened as store:
            try:
                state = store.quick_check()
                pending = data_migrations.pending_names(store.db.conn) if state == "ok" else []
            except sqlite3.DatabaseError as exc:
                state = str(exc)
        if state != "ok" and any(w in state for w in ("unable to open", "readonly", "locked")):
            raise BriefingError(f"cannot read the data file {self.data_path} ({state.splitlines()[0][:120]})")
        if state != "ok":
            raise BriefingError(
                f"the data file {self.data_path} is damaged ({state.splitlines()[0][:120]}); "
                "`briefing restore` brings back the last backup"
            )
        if pending:
            Store(self.data_path).close()  # a writable open applies them

    def store(self, *, readonly: bool = True) -> Store:
        """A connection to the data file, read-only unless asked (writers say `readonly=False`)."""
        return Store(self.data_path, readonly=readonly)

    def notes(self, *, readonly: bool = False) -> NoteStore:
        return NoteStore(self.notes_path, readonly=readonly)
