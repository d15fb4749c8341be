"""sync-log.sqlite: one row per sync attempt, with its counts and field-level changes.

Written by `sync.sync` (never the data file), read by `briefing sync`, the status bar, the Overview
and "What changed". Every open applies pending migrations (`migrations.synclog_migrations`).
The log must never turn a good sync into a failure: a log that is damaged or is not ours (zeroed
pages, a foreign `attempt` table) is set aside as `sync-log.sqlite.damaged-<time>` and a new one
started, with a one-line warning in `warnings`; readers use `last_attempt`, which never raises.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from briefing.core.errors import BriefingError
from briefing.core.migrations import synclog_migrations
from briefing.core.store import SQLiteFile, connect


class SyncLog(SQLiteFile):
    """The sync log at `home.sync_log_path`. Written by the sync, read by the CLI and the app."""

    COLUMNS = (
        "id",
        "started_at",
        "finished_at",
        "source",
        "version",
        "outcome",
        "error",
        "added",
        "changed",
        "removed",
        "changes",
        "source_time",
    )
    _JSON = ("added", "changed", "removed", "changes")

    def __init__(self, path: str | os.PathLike[str], *, repair: bool = True) -> None:
        """`repair=False` (readers): a damaged log raises sqlite3.DatabaseError and is left for the
        next writer to set aside, with its warning."""
        self.path = Path(path)
        self.warnings: list[str] = []
        self.repair = repair
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if not repair:
                raise
            self._set_aside(exc)

    def _open(self) -> None:
        try:
            self.db = connect(self.path)
        except BriefingError as exc:
            if isinstance(exc.__cause__, sqlite3.DatabaseError) and not _unwritable(exc.__cause__):
                raise exc.__cause__ from None  # a damaged file: set aside by the caller
            raise
        try:
            synclog_migrations.apply(self.db)
            have = {row[1] for row in self.db.execute("PRAGMA table_info(attempt)")}
            if not set(self.COLUMNS) <= have:
                raise sqlite3.DatabaseError(f"its attempt table lacks {', '.join(sorted(set(self.COLUMNS) - have))}")
        except sqlite3.DatabaseError as exc:
            self.close()
            if _unwritable(exc):
                raise BriefingError(f"cannot open the sync log {self.path}: {exc}") from exc
            raise

    def _set_aside(self, exc: BaseException) -> None:
        """Move a damaged or foreign log out of the way and start a new one (one warning line)."""
        with contextlib.suppress(Exception):
            self.db.conn.close()
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            os.replace(self.path, aside)
            for side in ("-wal", "-shm", "-journal"):
                Path(f"{self.path}{side}").unlink(missing_ok=True)
        except OSError as err:
            raise BriefingError(
                f"the sync log {self.path} is damaged and cannot be set aside: {err.strerror or err}"
            ) from None
        why = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        self.warnings.append(f"the sync log was damaged ({why}); kept it as {aside.name} and started a new one")
        self._open()

    def _retry(self, work):
        try:
            return work()
        except sqlite3.DatabaseError as exc:
            if _unwritable(exc):
                raise BriefingError(f"cannot write the sync log {self.path}: {exc}") from exc
            if not self.repair:
                raise
            self._set_aside(exc)
            return work()

    def add(self, entry: dict[str, Any]) -> int:
        """Record one attempt (keys as COLUMNS, id excluded); returns its id."""
        values = [
            json.dumps(entry.get(c) or ([] if c == "changes" else {}), ensure_ascii=False)
            if c in self._JSON
            else entry.get(c)
            for c in self.COLUMNS[1:]
        ]

        def insert() -> int:
            with self.transaction():
                cur = self.db.execute(
                    f"INSERT INTO attempt ({', '.join(self.COLUMNS[1:])}) VALUES ({', '.join('?' for _ in values)})",
                    values,
                )
            return int(cur.lastrowid)

        return self._retry(insert)

    def _rows(self, where: str, args: list[Any], limit: int) -> list[dict[str, Any]]:
        return self._retry(lambda: self._read(where, args, limit))

    def _read(self, where: str, args: list[Any], limit: int) -> list[dict[str, Any]]:
        cur = self.db.execute(
            f"SELECT {', '.join(self.COLUMNS)} FROM attempt {where} ORDER BY id DESC LIMIT ?", [*args, limit]
        )
        out = []
        for row in cur:
            rec = dict(zip(self.COLUMNS, row))
            for c in self._JSON:
                rec[c] = json.loads(rec[c])
            out.append(rec)
        return out

    def attempts(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest attempts, newest first."""
        return self._rows("", [], limit)

    def last(self, *, source: str | None = None, outcomes: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """The latest attempt for a source (any when None) with one of `outcomes` (any when None)."""
        where, args = "WHERE 1 = 1", []
        if source is not None:
            where += " AND source = ?"
            args.append(source)
        if outcomes is not None:
            where += " AND outcome IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(outcomes)))
        rows = self._rows(where, args, 1)
        return rows[0] if rows else None


def _unwritable(exc: BaseException) -> bool:
    """A read-only or unreachable file, not a damaged one (never set aside)."""
    text = str(exc).lower()
    return any(w in text for w in ("readonly", "read-only", "unable to open", "disk i/o", "locked", "full"))


def last_attempt(
    path: str | os.PathLike[str], *, source: str | None = None, outcomes: tuple[str, ...] | None = None
) -> dict[str, Any] | None:
    """The latest matching attempt, or None when there is none or the log cannot be read (a reader
    of the log never fails because of it; an absent log is not created)."""
    if not Path(path).exists():
        return None
    try:
        with SyncLog(path, repair=False) as log:
            return log.last(source=source, outcomes=outcomes)
    except (BriefingError, sqlite3.Error, OSError, ValueError):
        return None
