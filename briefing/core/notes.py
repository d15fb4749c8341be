"""notes.sqlite: the user's notes on records, the texts they edit (a brief's bottom line...) and the
log of the briefs they exported (the figures each quoted, for "what changed since my last brief").

Only the user writes this file: no sync, restore or data operation ever opens it. Every open
applies pending migrations (`migrations.notes_migrations`). Values are bound as parameters.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from briefing.core.errors import BriefingError
from briefing.core.migrations import notes_migrations
from briefing.core.store import SQLiteFile, connect


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _damaged(path: Path, exc: Exception) -> str:
    """One line: which file, and the way on (notes have no backup: `restore` is for the data)."""
    return (
        f"the notes file {path} cannot be read ({str(exc)[:120]}); it has no backup (`briefing restore` is for"
        " the data file): move it aside to go on with no notes"
    )


class NoteStore(SQLiteFile):
    """The user's own notes and texts, in a file no data operation ever writes to."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        """`readonly=True` (commands that only read: `info`; `export onepager` in a home it cannot
        write) never creates or writes the file, so they work in a read-only home; an absent file
        reads as no notes."""
        self.path = Path(path)
        if readonly and self.path.exists():
            self.db = connect(self.path, readonly=True)
            try:
                self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as exc:
                self.close()
                raise BriefingError(_damaged(self.path, exc)) from None
            return
        self.db = connect(":memory:" if readonly else self.path, synchronous="FULL")
        try:
            if readonly:  # an absent file: the empty tables, in memory (nothing to record, nothing imported)
                notes_migrations.create_schema(self.db)
            else:
                notes_migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise BriefingError(_damaged(self.path, exc)) from exc

    def get(self, kind: str, record_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM note WHERE kind = ? AND record_id = ?", [kind, record_id]).fetchone()
        return row[0] if row else None

    def set(self, kind: str, record_id: str, text: str) -> None:
        """Save a note; an empty text deletes it."""
        with self.transaction():
            if not text.strip():
                self.db.execute("DELETE FROM note WHERE kind = ? AND record_id = ?", [kind, record_id])
                return
            stamp = now_iso()
            self.db.execute(
                "INSERT INTO note(kind, record_id, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(kind, record_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                [kind, record_id, text, stamp, stamp],
            )

    def all(self) -> list[dict[str, str]]:
        cur = self.db.execute("SELECT kind, record_id, text, created_at, updated_at FROM note ORDER BY updated_at DESC")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]

    def keys(self) -> set[tuple[str, str]]:
        return {(k, r) for k, r in self.db.execute("SELECT kind, record_id FROM note")}

    def search(self, text: str) -> list[dict[str, str]]:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        cur = self.db.execute(
            "SELECT kind, record_id, text FROM note WHERE text LIKE ? ESCAPE '\\' ORDER BY updated_at DESC", [pattern]
        )
        return [{"kind": k, "record_id": r, "text": t} for k, r, t in cur]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM note").fetchone()[0]

    def get_text(self, key: str) -> str | None:
        row = self.db.execute("SELECT text FROM user_text WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_text(self, key: str, text: str | None) -> None:
        """Save a user-edited text (e.g. a brief's bottom line); None or empty restores the default."""
        with self.transaction():
            if not text:
                self.db.execute("DELETE FROM user_text WHERE key = ?", [key])
            else:
                self.db.execute(
                    "INSERT INTO user_text(key, text, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    [key, text, now_iso()],
                )

    # -- the briefs exported (core/brief_history.py reads and writes the figures' JSON) --------
    def log_brief(self, topic: str, fmt: str, figures_json: str, *, exported_at: str | None = None) -> None:
        """Record an exported brief and the figures it quoted."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO brief(topic, format, exported_at, figures) VALUES (?, ?, ?, ?)",
                [topic, fmt, exported_at or now_iso(), figures_json],
            )

    def last_brief(self, topic: str) -> tuple[str, str] | None:
        """(exported_at, figures JSON) of the latest brief exported on `topic`, or None (also for a
        read-only file from before the brief log)."""
        try:
            row = self.db.execute(
                "SELECT exported_at, figures FROM brief WHERE topic = ? ORDER BY exported_at DESC, id DESC LIMIT 1",
                [topic],
            ).fetchone()
        except sqlite3.OperationalError:  # no brief table: a read-only notes file of an older release
            return None
        return (row[0], row[1]) if row else None
