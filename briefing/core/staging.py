"""All-or-nothing changes to the data file: stage, diff, check, back up, promote; restore a backup.

`apply_staged(home, mutate, ...)` copies the live data file to a staged file through SQLite's
backup API, runs `mutate(store)` on the copy in ONE transaction, records the meta, runs
integrity, foreign-key and record checks, keeps a backup generation of the live file, then promotes
the staged file with the backup API (the live file changes in one transaction: a kill at any moment
leaves it wholly old or wholly new). notes.sqlite is never opened. One sync at a time (`SyncLock`).
Every sync writes its records through `put_diffed`, which notes each addition and field-level
change in a `Changes`; `Changes.applied(source)` turns that into the `SyncResult` the log and the
app show. Plain functions: run them from a worker, never on the GUI thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sqlite3
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from briefing import paths
from briefing.core import atomic
from briefing.core.errors import BriefingError
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, Progress, check, never, noop
from briefing.core.records import title_of
from briefing.core.store import Store

with warnings.catch_warnings():
    # Where fcntl is missing (not Windows), filelock warns once that it falls back to a soft lock.
    warnings.simplefilter("ignore")
    import filelock

log = logging.getLogger(__name__)

KEEP_BACKUPS = 3
STAGED_SUFFIX = ".staged"
LOCK_FILE = paths.LOCK_FILE
#: Test hook: a page limit on the staged file, so SQLite reports a real SQLITE_FULL while staging.
STAGING_MAX_PAGES: int | None = None
#: Test hook (env): "<stage>:<marker file>" makes the process write the marker and pause at a stage
#: ("apply" mid-transaction, "promote" mid-copy into the live file), so a test can SIGKILL it there.
PAUSE_ENV = "BRIEFING_TEST_SYNC_PAUSE"
#: The staged copy's page cache while it is checked, in KiB.
CHECK_CACHE_KIB = 32 * 1024
#: At most this many field-level changes are logged per sync; the rest are counted.
MAX_LOGGED_CHANGES = 5000

T = TypeVar("T")


class SyncError(BriefingError):
    """A sync or restore failed; the data file is as it was."""


# -- what a sync changed: every applied change is written through `put_diffed` ---------------------


@dataclass
class SyncResult:
    """What one sync did: counts per kind, the field-level changes, a one-line message."""

    source: str
    outcome: str  # "applied" | "unchanged" | "stale" | "failed"
    version: int | None = None
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    message: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: The source's own time (a feed's generated_at), logged beside the local clock.
    source_time: str | None = None
    #: One line each, about side matters that did not change the outcome (a damaged log set aside).
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: outcome, non-zero counts per kind, and the message (what was left out) if any."""
        parts = []
        for name, counts in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            body = ", ".join(f"{k} {n}" for k, n in counts.items() if n)
            parts.append(f"{name}: {body or 'none'}")
        ver = f" v{self.version}" if self.version is not None else ""
        note = f"; note: {self.message}" if self.message and self.outcome == "applied" else ""
        return f"{self.source}{ver} {self.outcome}; " + "; ".join(parts) + note


class Changes:
    """Counts per kind and a capped, field-level list of what changed (for the log and the UI)."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}
        self.changed: dict[str, int] = {}
        self.removed: dict[str, int] = {}
        self.items: list[dict[str, Any]] = []
        self.truncated = 0

    def _room(self) -> bool:
        """True while the list has room; past the cap a change is only counted."""
        if len(self.items) < MAX_LOGGED_CHANGES:
            return True
        self.truncated += 1
        return False

    def add(self, kind: str, rec: dict[str, Any]) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1
        if self._room():
            self.items.append({"action": "added", "kind": kind, "id": rec["id"], "title": title_of(kind, rec)})

    def change(self, kind: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
        fields = [
            {"field": f, "old": old.get(f), "new": new.get(f)}
            for f in new
            if f != "origin" and old.get(f) != new.get(f)
        ]
        if not fields:
            return False
        self.changed[kind] = self.changed.get(kind, 0) + 1
        if self._room():
            self.items.append(
                {"action": "changed", "kind": kind, "id": new["id"], "title": title_of(kind, new), "fields": fields}
            )
        return True

    def remove(self, kind: str, rec: dict[str, Any]) -> None:
        self.removed[kind] = self.removed.get(kind, 0) + 1
        if self._room():
            self.items.append({"action": "removed", "kind": kind, "id": rec["id"], "title": title_of(kind, rec)})

    def applied(self, source: str, version: int | None = None) -> SyncResult:
        """The result of a sync that applied these changes (a note closes a capped list)."""
        items = self.items
        if self.truncated:
            items = items + [{"action": "truncated", "count": self.truncated}]
        return SyncResult(source, "applied", version, self.added, self.changed, self.removed, changes=items)


def put_diffed(
    store: Store, kind: str, records: list[dict[str, Any]], *, origin: str, changes: Changes, bulk: bool = False
) -> None:
    """Write records of one kind, noting what is new or different (origin aside).

    The store compares each record with the stored row as it writes (one read of the table, one
    `executemany` per table); only the rows that differ are decoded for the field-level list.
    `bulk`: as `Store.put_records` (indexes built after the rows when most of them are new)."""

    def noted(before: dict[str, Any] | None, rec: dict[str, Any]) -> None:
        if before is None:
            changes.add(kind, rec)
        else:
            changes.change(kind, before, rec)

    store.put_records(kind, records, origin=origin, noted=noted, bulk=bulk)


#: Test hook (in-process): called with the stage name at every pause point ("apply", "backup",
#: "promote" mid-copy, "restore"); the stateful tests raise from it to crash a sync there.
FAULT: Callable[[str], None] | None = None


def pause_point(stage: str) -> None:
    """If the test hook names this stage, announce it and wait to be killed."""
    if FAULT is not None:
        FAULT(stage)
    spec = os.environ.get(PAUSE_ENV, "")
    if spec.partition(":")[0] == stage:
        Path(spec.partition(":")[2]).write_text(str(os.getpid()))
        time.sleep(120)


class SyncLock:
    """An exclusive, non-blocking lock file in the home: a second sync fails at once.

    Through filelock: flock on POSIX, msvcrt on Windows, a soft lock file (with stale-owner
    detection) where neither exists. The OS releases the first two when the process dies.
    """

    def __init__(self, home: Home) -> None:
        self.path = home.dir / LOCK_FILE
        self.lock = filelock.FileLock(self.path, timeout=0, mode=0o600)

    def __enter__(self) -> SyncLock:
        try:
            self.lock.acquire()
        except filelock.Timeout:
            raise SyncError("another sync is already running in this home") from None
        except OSError as exc:
            raise SyncError(f"cannot create the sync lock in {self.path.parent}: {exc.strerror or exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "full" in str(exc):
        return "the disk is full"
    if isinstance(exc, PermissionError) or "readonly" in str(exc) or "read-only" in str(exc):
        return "the folder is read-only"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def apply_staged(
    home: Home,
    mutate: Callable[[Store], T],
    *,
    meta: dict[str, Any],
    label: str,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> T:
    """Run `mutate` on a staged copy in one transaction, check it, back up, promote. Returns its result.

    Raises SyncError, or Cancelled when `cancelled()` says to stop (data file unchanged either way),
    on any failure before promotion. The caller holds SyncLock.
    """
    live = home.data_path
    staged = live.with_name(live.name + STAGED_SUFFIX)
    _remove(staged)
    try:
        progress(0.0, "Staging a copy of the data")
        try:
            with Store(live, readonly=True) as current:
                current.backup_to(staged)
        except (OSError, sqlite3.Error, BriefingError) as exc:
            raise SyncError(f"cannot stage the new data in {staged.parent}: {_why(exc)}") from None
        check(cancelled, "sync")
        try:
            store = Store(staged)
        except BriefingError as exc:
            raise SyncError(f"cannot open the staged copy: {exc}") from None
        try:
            # The staged file is private scratch, deleted on any failure and never read after a
            # crash: a rollback journal without fsyncs writes each page once (WAL would write it
            # twice, then checkpoint); the live file keeps its own journal (WAL once the app has
            # written to it, the snapshot's rollback journal before) and its fsyncs when promoted into.
            store.db.execute("PRAGMA journal_mode = TRUNCATE")
            store.db.execute("PRAGMA synchronous = OFF")
            if STAGING_MAX_PAGES is not None:
                store.db.execute(f"PRAGMA max_page_count = {int(STAGING_MAX_PAGES)}")
            progress(0.1, f"Applying {label}")
            try:
                with store.transaction():
                    result = mutate(store)
                    pause_point("apply")
                    check(cancelled, "sync")
                store.set_meta(meta)  # only after the data committed; promoted together with it
            except (OSError, sqlite3.Error) as exc:
                raise SyncError(f"cannot stage the new data in {staged.parent}: {_why(exc)}") from None
            progress(0.6, "Checking the new data")
            # The integrity check looks every index entry up in its table: with the default 2 MB
            # page cache, a 30 MB file's pages are read again and again (a third of the check).
            # The parsed feed's text is gone by now, so this cache stays within the parse's peak.
            store.db.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
            problems = store.verify()
            if problems:
                more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
                raise SyncError(f"the new data fails its checks: {problems[0]}{more}")
        finally:
            store.close()
        check(cancelled, "sync")
        progress(0.75, "Keeping a backup of the current data")
        backup_generation(home, label)
        progress(0.85, "Switching to the new data")
        _promote(staged, live)
        progress(1.0, "Done")
        return result
    finally:
        with contextlib.suppress(OSError):  # a leftover staged copy is removed by the next sync
            _remove(staged)


def _promote(staged: Path, live: Path) -> None:
    """Copy staged → live with the backup API: one write transaction on the live file."""

    def step(status: int, remaining: int, total: int) -> None:
        if remaining > 0:  # mid-copy: the live file's write transaction is open, not committed
            pause_point("promote")

    # Copy in steps (small ones under the test hook, so there is a mid-copy point to kill at; there
    # the live file's page cache is one page, so pages reach the file before the commit, as a large
    # copy's do: the kill then leaves a torn file and its hot journal, what a kill mid-commit leaves).
    hooked = bool(os.environ.get(PAUSE_ENV)) or FAULT is not None
    try:
        with Store(staged, readonly=True) as new:
            new.backup_to(live, pages=8 if hooked else 4096, progress=step, cache_pages=1 if hooked else None)
    except (OSError, sqlite3.Error, BriefingError) as exc:
        raise SyncError(f"cannot replace the data file {live}: {_why(exc)}") from None


# -- backups ---------------------------------------------------------------------------------------


def backups(home: Home) -> list[Path]:
    """Backup generations, newest first (generation 1 is the newest).

    A backup is written under a temp name and renamed when whole (`atomic.atomic_output`), so a
    kill mid-backup leaves no file here that takes a generation's place."""
    if not home.backups_dir.is_dir():
        return []
    return sorted(home.backups_dir.glob("briefing-*.sqlite"), key=lambda p: p.name, reverse=True)


def _sweep_partials(folder: Path) -> None:
    """Remove what a backup killed mid-copy left behind (its temp file and that file's journal)."""
    for leftover in folder.glob(".briefing-*.part*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def backup_generation(home: Home, label: str) -> Path:
    """Back up the live data file as a new generation; keep the newest KEEP_BACKUPS."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in label)[:40]
    dest = home.backups_dir / f"briefing-{stamp}-{safe}.sqlite"
    try:
        home.backups_dir.mkdir(parents=True, exist_ok=True)
        _sweep_partials(home.backups_dir)
        with atomic.atomic_output(dest, own=True) as tmp, Store(home.data_path, readonly=True) as current:
            current.backup_to(tmp)
            pause_point("backup")
    except (OSError, sqlite3.Error, BriefingError) as exc:
        raise SyncError(f"cannot write a backup in {home.backups_dir}: {_why(exc)}") from None
    for old in backups(home)[KEEP_BACKUPS:]:
        with contextlib.suppress(OSError):
            _remove(old)
    return dest


def describe_backup(path: Path) -> dict[str, Any]:
    """Name, size and feed/snapshot versions of one backup file (`error` says why it is unreadable)."""
    info: dict[str, Any] = {"file": path.name, "bytes": path.stat().st_size}
    try:
        with Store(path, readonly=True) as s:
            meta = s.meta()
        info.update(
            feed_version=meta.get("feed_version"), last_sync=meta.get("last_sync"), data_as_of=meta.get("data_as_of")
        )
    except (BriefingError, sqlite3.Error) as exc:
        info["error"] = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return info


def live_is_usable(path: Path) -> bool:
    """True when the data file opens as a database and passes a quick check."""
    try:
        with Store(path, readonly=True) as s:
            return s.quick_check() == "ok"
    except (BriefingError, sqlite3.Error, OSError):
        return False


def restore(home: Home, generation: int = 1) -> Path:
    """Bring back a backup generation as the live data file (checked first, promoted atomically).

    A live file that is damaged, or not a database at all, is replaced whole (temp file and
    rename, its stale -wal/-shm removed first); a sound one is overwritten in one transaction, so a
    kill at any moment leaves the old data or the restored data."""
    gens = backups(home)
    if not gens:
        raise SyncError(f"no backups in {home.backups_dir}")
    if not 1 <= generation <= len(gens):
        raise SyncError(f"no backup generation {generation} (there are {len(gens)})")
    path = gens[generation - 1]
    with SyncLock(home):
        try:
            with Store(path, readonly=True) as s:
                problems = [p for p in s.verify() if p.startswith(("integrity", "foreign key"))]
        except (sqlite3.Error, BriefingError) as exc:
            raise SyncError(f"backup {path.name} is unreadable: {exc}") from None
        if problems:
            raise SyncError(f"backup {path.name} is damaged: {problems[0]}")
        live = home.data_path
        if live.exists() and live_is_usable(live):
            _promote(path, live)
        else:
            _replace_whole(path, live)
    return path


def _replace_whole(backup: Path, live: Path) -> None:
    """Put a copy of `backup` in place of a damaged (or missing) live file by an atomic rename."""
    try:
        with atomic.atomic_output(live, own=True) as tmp:
            with Store(backup, readonly=True) as s:
                s.backup_to(tmp)
            pause_point("restore")
            for side in ("-wal", "-shm", "-journal"):  # the damaged file's, never to be read with the new one
                Path(f"{live}{side}").unlink(missing_ok=True)
    except (OSError, sqlite3.Error, BriefingError) as exc:
        raise SyncError(f"cannot replace the data file {live}: {_why(exc)}") from None
