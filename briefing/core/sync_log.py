"""sync-log.sqlite: one row per sync attempt, with its counts and field-level changes.

Written by `sync.sync` (never the data file), read by `briefing sync`, the status bar, the Overview
and "What changed". Every open applies pending migrations (`migrations.synclog_migrations`).
"""

from __future__ import annotations

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

    COLUMNS = ("id", "started_at", "finished_at", "source", "version", "outcome", "error", "added", "changed", "removed", "changes")
    _JSON = ("added", "changed", "removed", "changes")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        try:
            synclog_migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise BriefingError(f"cannot open the sync log {self.path}: {exc}") from exc

    def add(self, entry: dict[str, Any]) -> int:
        """Record one attempt (keys as COLUMNS, id excluded); returns its id."""
        values = [
            json.dumps(entry.get(c) or ([] if c == "changes" else {}), ensure_ascii=False) if c in self._JSON else entry.get(c)
            for c in self.COLUMNS[1:]
        ]
        with self.transaction():
            cur = self.db.execute(
                f"INSERT INTO attempt ({', '.join(self.COLUMNS[1:])}) VALUES ({', '.join('?' for _ in values)})", values
            )
        return int(cur.lastrowid)

    def _rows(self, where: str, args: list[Any], limit: int) -> list[dict[str, Any]]:
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
