"""The data file (briefing.sqlite): records, their citations, metadata and the views' queries.

All SQL lives in the store modules, one per database file: this one, `notes` (notes.sqlite) and
`sync_log` (sync-log.sqlite); `connect` and `SQLiteFile` here are what the three share.
A `Store` wraps one connection (a connection belongs to the thread that opened it: open one
per worker). Opening a writable store applies pending migrations, each in a transaction.
Table and column names come only from the constants in `records`; every value is bound as a
parameter, so no SQL is ever built from data.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import operator
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from briefing.core import names, search
from briefing.core.errors import BriefingError
from briefing.core.migrations import data_migrations
from briefing.core.records import ALL_KINDS, BOOL_FIELDS, ENUMS, FIELDS, KINDS, LIST_FIELDS, OBJECT_FIELDS, title_of

BUSY_TIMEOUT_MS = 10_000
_savepoints = itertools.count()
_JSON_FIELDS = LIST_FIELDS | OBJECT_FIELDS
#: `put_records(bulk=True)` rebuilds indexes only for at least this many new rows.
BULK_MIN_ROWS = 5000
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Database:
    """One sqlite3 connection and `execute`: all the stores need (sqlite-utils' Database, which
    imports pandas, is built only to apply a migration: `migrations.Migrations.apply`)."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Iterable[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)


def connect(path: str | os.PathLike[str], *, readonly: bool = False, synchronous: str = "NORMAL") -> Database:
    """Open an SQLite file with our pragmas: WAL, foreign keys on, a busy timeout."""
    path = Path(path)
    try:
        if readonly:
            conn = _connect_readonly(path)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {synchronous}")
    except sqlite3.DatabaseError as exc:
        raise BriefingError(f"cannot open {path}: {exc}") from exc
    return Database(conn)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to the committed content of `path`.

    A write killed mid-way (a sync's promotion, in rollback-journal mode) leaves a hot journal
    that only a writable connection can roll back (a read-only one gets SQLITE_READONLY_ROLLBACK):
    it is rolled back first, as SQLite does on any writable open, so a reader never sees half a
    write; where the folder cannot be written that is an error, never a read of the torn file.
    A WAL-mode file in a folder this process cannot write (a read-only mount, another user's home)
    cannot get its -shm file; when no -wal file and no hot journal are left over (so every
    committed page is in the main file) it is read as immutable instead, so reading commands work."""
    uri = path.resolve().as_uri()
    timeout = BUSY_TIMEOUT_MS / 1000
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
            _roll_back_hot_journal(path)
            return sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=timeout)
        wal, journal = Path(f"{path}-wal"), Path(f"{path}-journal")
        leftover = any(f.exists() and f.stat().st_size for f in (wal, journal))
        if "unable to open" not in str(exc) and "readonly" not in str(exc) or leftover:
            raise
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=timeout)
    except sqlite3.DatabaseError:
        pass  # a damaged file: the caller's first query says so
    return conn


def _roll_back_hot_journal(path: Path) -> None:
    """Roll back an interrupted write: a writable connection's first read does it."""
    try:
        fix = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            fix.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            fix.close()
    except sqlite3.OperationalError as exc:
        raise sqlite3.OperationalError(
            f"an interrupted write to {path.name} must be rolled back and this folder cannot be written ({exc})"
        ) from None


class SQLiteFile:
    """One connection to one SQLite file: close/with, transactions, a quick check."""

    db: Database
    path: Path

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen or none do. Outermost: BEGIN IMMEDIATE; nested: a savepoint."""
        conn = self.db.conn
        if conn.in_transaction:
            name = f"nested_{id(self)}_{_savepoints.__next__()}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended the whole transaction
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def quick_check(self) -> str:
        return str(self.db.execute("PRAGMA quick_check").fetchone()[0])


class Store(SQLiteFile):
    """The local database of records, their sources and the snapshot/feed metadata."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if readonly and not self.path.exists():
            raise BriefingError(f"no database at {self.path}")
        self.db = connect(self.path, readonly=readonly)
        if not readonly:
            try:
                data_migrations.apply(self.db)
            except sqlite3.DatabaseError as exc:
                self.close()
                raise BriefingError(f"cannot migrate {self.path}: {exc}") from exc

    # -- metadata ---------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {k: v for k, v in self.db.execute("SELECT key, value FROM meta ORDER BY key")}

    def set_meta(self, values: dict[str, Any]) -> None:
        with self.transaction():
            for key, value in values.items():
                if value is None:
                    self.db.execute("DELETE FROM meta WHERE key = ?", [key])
                else:
                    self.db.execute(
                        "INSERT INTO meta(key, value) VALUES (?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [key, str(value)],
                    )

    # -- reading records ----------------------------------------------------------------------
    def counts(self, kinds: Iterable[str] = KINDS) -> dict[str, int]:
        return {kind: self.db.execute(f"SELECT count(*) FROM {_kind(kind)}").fetchone()[0] for kind in kinds}

    def _decode(self, kind: str, row: sqlite3.Row | tuple, columns: list[str]) -> dict[str, Any]:
        rec = dict(zip(columns, row))
        for field in _JSON_FIELDS & rec.keys():
            rec[field] = json.loads(rec[field]) if rec[field] is not None else None
        for field in BOOL_FIELDS & rec.keys():
            rec[field] = bool(rec[field])
        return rec

    def _sources_map(self, kind: str, ids: list[str] | None = None) -> dict[str, list[str]]:
        if kind == "source":
            return {}
        out: dict[str, list[str]] = {}
        if ids is None:
            rows = self.db.execute(f"SELECT record_id, source_id FROM {kind}_source ORDER BY record_id, position")
        else:
            rows = self.db.execute(
                f"SELECT record_id, source_id FROM {kind}_source WHERE record_id IN"
                " (SELECT value FROM json_each(?)) ORDER BY record_id, position",
                [json.dumps(ids)],
            )
        for rid, sid in rows:
            out.setdefault(rid, []).append(sid)
        return out

    def _with_sources(self, kind: str, rows: list[tuple], cols: list[str]) -> list[dict[str, Any]]:
        """Decode rows of `cols` (id first) into spec dicts with their citation lists."""
        sources = self._sources_map(kind, [r[0] for r in rows]) if rows else {}
        out = []
        for row in rows:
            rec = self._decode(kind, row, cols)
            rec["sources"] = sources.get(rec["id"], [])
            out.append(rec)
        return out

    def records(self, kind: str, *, origin: str | None = None, with_origin: bool = False) -> list[dict[str, Any]]:
        """Every record of a kind as a spec dict (sources included), ordered by id."""
        cols = _stored_columns(kind)
        sql = f"SELECT {', '.join(cols)}, origin FROM {_kind(kind)}"
        args: list[Any] = []
        if origin is not None:
            sql += " WHERE origin = ?"
            args.append(origin)
        rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        sources = self._sources_map(kind)
        out = []
        for row in rows:
            rec = self._decode(kind, row[:-1], cols)
            if kind != "source":
                rec["sources"] = sources.get(rec["id"], [])
            if with_origin:
                rec["origin"] = row[-1]
            out.append(rec)
        return out

    def record(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """One record with its sources and origin, or None."""
        cols = _stored_columns(kind)
        row = self.db.execute(
            f"SELECT {', '.join(cols)}, origin FROM {_kind(kind)} WHERE id = ?", [record_id]
        ).fetchone()
        if row is None:
            return None
        rec = self._decode(kind, row[:-1], cols)
        if kind != "source":
            rec["sources"] = self._sources_map(kind, [record_id]).get(record_id, [])
        rec["origin"] = row[-1]
        return rec

    def records_with_ids(self, kind: str, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The records of a kind with these ids (those that exist), as spec dicts, ordered by id."""
        cols = _stored_columns(kind)
        rows = self.db.execute(
            f"SELECT {', '.join(cols)} FROM {_kind(kind)} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [json.dumps(list(ids))],
        ).fetchall()
        if kind == "source":
            return [self._decode(kind, row, cols) for row in rows]
        return self._with_sources(kind, rows, cols)

    def ids(self, kind: str, *, origins: Iterable[str] | None = None) -> set[str]:
        if origins is None:
            return {r[0] for r in self.db.execute(f"SELECT id FROM {_kind(kind)}")}
        return {
            r[0]
            for r in self.db.execute(
                f"SELECT id FROM {_kind(kind)} WHERE origin IN (SELECT value FROM json_each(?))",
                [json.dumps(list(origins))],
            )
        }

    def sources_of(self, kind: str, record_id: str) -> list[dict[str, Any]]:
        """The source records a record cites, in citation order."""
        if kind == "source":
            rec = self.record("source", record_id)
            return [rec] if rec else []
        ids = self._sources_map(kind, [record_id]).get(record_id, [])
        return [s for s in (self.record("source", sid) for sid in ids) if s]

    def find_record(self, record_id: str, kinds: Iterable[str] = ALL_KINDS) -> tuple[str, str] | None:
        """(kind, title) of the first record with this id among `kinds`, or None (ids may repeat across kinds)."""
        for kind in kinds:
            rec = self.record(kind, record_id)
            if rec:
                return kind, title_of(kind, rec)
        return None

    def citation_counts(self) -> dict[str, int]:
        """How many records (of every kind) cite each source id; uncited sources are absent."""
        out: dict[str, int] = {}
        for kind in ALL_KINDS:
            if kind == "source":
                continue
            for sid, n in self.db.execute(f"SELECT source_id, count(*) FROM {kind}_source GROUP BY source_id"):
                out[sid] = out.get(sid, 0) + n
        return out

    def citing(self, source_id: str, *, limit: int | None = None) -> tuple[list[tuple[str, str, str]], int]:
        """(kind, id, title) of the records citing a source (at most `limit`), and how many there are."""
        out: list[tuple[str, str, str]] = []
        total = 0
        for kind in ALL_KINDS:
            if kind == "source":
                continue
            total += self.db.execute(f"SELECT count(*) FROM {kind}_source WHERE source_id = ?", [source_id]).fetchone()[
                0
            ]
            room = -1 if limit is None else max(0, limit - len(out))
            cols = _stored_columns(kind)
            # One join per kind, not one query per citing record: a dataset is cited by ~30,000 rows.
            rows = self.db.execute(
                f"SELECT {', '.join('r.' + c for c in cols)} FROM {kind}_source x JOIN {kind} r ON r.id = x.record_id"
                " WHERE x.source_id = ? ORDER BY r.id LIMIT ?",
                [source_id, room],
            )
            out += [(kind, rec["id"], title_of(kind, rec)) for rec in (self._decode(kind, row, cols) for row in rows)]
        return out, total

    # -- writing records ----------------------------------------------------------------------
    def put_records(
        self,
        kind: str,
        records: Iterable[dict[str, Any]],
        *,
        origin: str,
        noted: Callable[[dict[str, Any] | None, dict[str, Any]], object] | None = None,
        bulk: bool = False,
    ) -> tuple[int, int]:
        """Insert or replace validated records (and their citations). Returns (added, changed).

        A record whose fields, citations and origin are all as stored is not rewritten (nor
        counted). `noted`,
        if given, is called before the write with (None, record) for each new record and (stored
        record, record) for each whose fields or citations differ. The rows go in with one
        `executemany` per table. Runs inside the caller's transaction when there is one, else in
        its own. A repeated id: the last one counts. `bulk`: when at least as many records are new
        as the table held (and thousands of them), its and its citations' secondary indexes are
        built afresh after the rows are in (`_indexes_rebuilt`); the snapshot build leaves it off,
        so its file stays as it was.
        """
        cols = _stored_columns(kind)
        placeholders = ", ".join("?" for _ in cols)
        insert = (
            f"INSERT INTO {_kind(kind)} ({', '.join(cols)}, origin) VALUES ({placeholders}, ?)"
            f" ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols[1:])},"
            " origin = excluded.origin"
        )
        # A validated record has every field: one C call takes its values in column order (a
        # Python loop over the fields was most of the Python time of a 100,000-record apply).
        take = operator.itemgetter(*cols) if len(cols) > 1 else lambda r: (r[cols[0]],)
        encoded = [(i, enc) for i, enc in enumerate(_ENCODERS.get(c) for c in cols) if enc is not None]
        cited = kind != "source"
        with self.transaction():
            existing = {r[0]: r[1:] for r in self.db.execute(f"SELECT {', '.join(cols)}, origin FROM {_kind(kind)}")}
            old_sources = self._sources_map(kind) if existing and cited else {}
            written: list[dict[str, Any]] = []
            replaced: list[tuple[str]] = []
            counts = [0, 0]  # added, changed
            incoming = {r["id"]: r for r in records}
            new = len(incoming.keys() - existing.keys()) if bulk else 0

            def rows() -> Iterator[list[Any]]:
                """The rows to write, worked out as SQLite takes them (never all held at once)."""
                for rid, rec in incoming.items():
                    try:
                        values = list(take(rec))
                    except KeyError:  # not from `validate`: a missing field is stored as empty
                        values = [rec.get(c) for c in cols]
                    for i, enc in encoded:
                        values[i] = enc(values[i])
                    before = existing.get(rid)
                    if before is None:
                        counts[0] += 1
                        if noted is not None:
                            noted(None, rec)
                    else:
                        old_cites = old_sources.get(rid, [])
                        same = tuple(values[1:]) == before[:-1] and (
                            not cited or old_cites == list(rec.get("sources") or [])
                        )
                        if same and before[-1] == origin:
                            continue
                        counts[1] += 1
                        if not same and noted is not None:
                            old = self._decode(kind, (rid, *before[:-1]), cols)
                            if cited:
                                old["sources"] = old_cites
                            noted(old, rec)
                        replaced.append((rid,))
                    written.append(rec)
                    values.append(origin)
                    yield values

            bulk = new >= max(BULK_MIN_ROWS, len(existing))
            with self._indexes_rebuilt(kind) if bulk else contextlib.nullcontext():
                self.db.conn.executemany(insert, rows())
                if cited:
                    self.db.conn.executemany(f"DELETE FROM {kind}_source WHERE record_id = ?", replaced)
                    self.db.conn.executemany(
                        f"INSERT INTO {kind}_source(record_id, source_id, position) VALUES (?, ?, ?)",
                        ((rec["id"], sid, i) for rec in written for i, sid in enumerate(rec.get("sources") or [])),
                    )
            added, changed = counts
        return added, changed

    @contextlib.contextmanager
    def _indexes_rebuilt(self, kind: str) -> Iterator[None]:
        """The secondary indexes of a kind's table and of its citation table dropped, then created
        again from the SQL the file holds for them, inside the caller's transaction. Building an
        index over rows already in place sorts once; keeping it while 100,000 rows go in costs a
        B-tree insertion per row and index (about twice the time). Only plain `CREATE INDEX`es with
        plain names: a unique index would refuse a duplicate at the end instead of at its row."""
        tables = [kind, f"{kind}_source"] if kind != "source" else [kind]
        indexes = [
            (name, sql)
            for name, sql in self.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                " AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY rowid",
                [json.dumps(tables)],
            )
            if _PLAIN_NAME.fullmatch(name) and sql.startswith("CREATE INDEX ")
        ]
        for name, _ in indexes:
            self.db.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            self.db.execute(sql)

    def remove_records(self, kind: str, ids: Iterable[str]) -> int:
        """Delete records by id (their citations go with them). Returns how many were removed."""
        ids = list(ids)
        if not ids:
            return 0
        with self.transaction():
            cur = self.db.execute(
                f"DELETE FROM {_kind(kind)} WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]
            )
        return cur.rowcount

    # -- queries for the views ------------------------------------------------------------------
    ADOPTION_COLUMNS = (
        "id",
        "subject_kind",
        "subject",
        "metric",
        "value",
        "unit",
        "as_of",
        "period_start",
        "origin",
        "series",
    )

    def adoption_rows(self, *, metric: str | None = None, subject_kind: str | None = None) -> list[tuple]:
        """Adoption observations as tuples in ADOPTION_COLUMNS order, by subject then date."""
        sql = f"SELECT {', '.join(self.ADOPTION_COLUMNS)} FROM adoption WHERE 1 = 1"
        args: list[Any] = []
        if metric is not None:
            sql += " AND metric = ?"
            args.append(metric)
        if subject_kind is not None:
            sql += " AND subject_kind = ?"
            args.append(subject_kind)
        return self.db.execute(sql + " ORDER BY subject_kind, subject, metric, as_of", args).fetchall()

    def repo_index(self) -> list[tuple[str, str | None, str | None, str, str]]:
        """(namespace-or-repo lowercased, model id, family, organization id, country).

        Rows for each model's HF repos, then one per organization HF namespace (model and family
        None), so an HF repo can be attributed to a model or at least to its developer.
        """
        models = self.db.execute(
            "SELECT lower(j.value), m.id, m.family, o.id, o.country FROM model m"
            " JOIN organization o ON o.id = m.organization, json_each(m.hf_repos) j"
        ).fetchall()
        namespaces = self.db.execute(
            "SELECT lower(j.value), NULL, NULL, o.id, o.country FROM organization o, json_each(o.hf_namespaces) j"
        ).fetchall()
        return models + namespaces

    def adoption_series(self, *, metric: str, subject_kinds: Iterable[str] = ("hf_repo", "model")) -> list[tuple]:
        """(subject_kind, subject, as_of, value) of one metric's observations, in no particular order.

        The narrow query behind the adoption charts (frames.adoption_frame); it may return millions of
        rows. A plain table scan: reading most rows through an index costs a random lookup each (3x slower).
        """
        return self.db.execute(
            "SELECT subject_kind, subject, as_of, value FROM adoption NOT INDEXED WHERE metric = ?"
            " AND subject_kind IN (SELECT value FROM json_each(?))",
            [metric, json.dumps(list(subject_kinds))],
        ).fetchall()

    def adoption_readings(self, *, metric: str) -> list[tuple]:
        """(series, subject, as_of, value) of one metric's HF-repo readings that belong to a series,
        in no particular order (readings.readings_frame; may be millions of rows: a table scan)."""
        return self.db.execute(
            "SELECT series, subject, as_of, value FROM adoption NOT INDEXED WHERE metric = ?"
            " AND subject_kind = 'hf_repo' AND series IS NOT NULL",
            [metric],
        ).fetchall()

    def adoption_reading_chunks(self, *, metric: str, size: int, series: Iterable[str]) -> Iterator[list[tuple]]:
        """`adoption_readings`' rows, `size` at a time (millions of rows are never all held as
        tuples), with the series as its position in `series` (-1 if absent): a small int costs
        nothing to make, a string is decoded per row."""
        names = list(series)
        case = " ".join(f"WHEN ? THEN {i}" for i in range(len(names)))
        cursor = self.db.execute(
            f"SELECT CASE series {case} ELSE -1 END, subject, as_of, value FROM adoption NOT INDEXED"
            " WHERE metric = ? AND subject_kind = 'hf_repo' AND series IS NOT NULL",
            [*names, metric],
        )
        while rows := cursor.fetchmany(size):
            yield rows

    def adoption_reading_text(self, *, metric: str, series: Iterable[str], rows: int) -> Iterator[Any]:
        """`adoption_readings`' rows as a few long strings per block, for the caller to decode in C
        (no Python object per row; readings.readings_frame), all read in one read transaction.

        Yields first (subjects, days): every distinct HF-repo subject in SQLite's BINARY (code
        point) order, and every distinct as_of of `metric` with CAST(julianday(as_of) AS INTEGER)
        (None where SQLite reads no date). Then, per block of about `rows` rowids in rowid order,
        (n, series, as_of, subjects, values, exact), row for row: `series` one digit a row (the
        series' position in `series`, len(series) if absent; at most 9 series), `as_of` the dates
        end to end, `subjects` the subject's position in `subjects` as a zero-padded number of
        len(str(len(subjects))) digits ("-" padded where a subject is not listed), `values` the
        values, comma-separated, where integer (text is exact then), else "nan": `exact` holds
        those rows' (value, subject position, Julian day), in order. A block without rows is skipped.
        """
        names = list(series)
        if len(names) > 9:
            raise ValueError("at most 9 series fit one digit")
        case = " ".join(f"WHEN ? THEN '{i}'" for i in range(len(names)))
        conn = self.db.conn
        mark = next(_savepoints)
        conn.execute(f"SAVEPOINT readings_{mark}")  # one snapshot: the lists match the blocks
        try:
            # a loose index scan: one seek per distinct value, not a pass over millions of rows
            subjects = [
                r[0]
                for r in conn.execute(
                    "WITH RECURSIVE r(s) AS (SELECT (SELECT min(subject) FROM adoption WHERE subject_kind = 'hf_repo')"
                    " UNION ALL SELECT (SELECT min(subject) FROM adoption WHERE subject_kind = 'hf_repo'"
                    " AND subject > r.s) FROM r WHERE r.s IS NOT NULL) SELECT s FROM r WHERE s IS NOT NULL"
                )
            ]
            days = conn.execute(
                "WITH RECURSIVE r(d) AS (SELECT (SELECT min(as_of) FROM adoption WHERE metric = ?1)"
                " UNION ALL SELECT (SELECT min(as_of) FROM adoption WHERE metric = ?1 AND as_of > r.d)"
                " FROM r WHERE r.d IS NOT NULL) SELECT d, CAST(julianday(d) AS INTEGER) FROM r WHERE d IS NOT NULL",
                [metric],
            ).fetchall()
            yield subjects, days
            width = len(str(len(subjects)))
            table = f"temp.reading_subject_{mark}"
            conn.execute(f"CREATE TABLE {table} (subject TEXT PRIMARY KEY, code TEXT NOT NULL) WITHOUT ROWID")
            try:
                # the codes as text: a text value is appended as it is, a number is formatted per row
                conn.executemany(
                    f"INSERT INTO {table} VALUES (?, ?)", ((s, f"{i:0{width}d}") for i, s in enumerate(subjects))
                )
                integral = "a.value = CAST(a.value AS INTEGER)"
                rows_of = (
                    f" FROM adoption AS a NOT INDEXED LEFT JOIN {table} AS s ON s.subject = a.subject"
                    " WHERE a.rowid BETWEEN ? AND ? AND a.metric = ? AND a.subject_kind = 'hf_repo'"
                    " AND a.series IS NOT NULL"
                )
                block = (
                    f"SELECT count(*), group_concat(CASE a.series {case} ELSE '{len(names)}' END, ''),"
                    f" group_concat(a.as_of, ''), group_concat(ifnull(s.code, '{'-' * width}'), ''),"
                    f" group_concat(CASE WHEN {integral} THEN CAST(a.value AS INTEGER) ELSE 'nan' END)" + rows_of
                )
                others = (
                    "SELECT a.value, ifnull(CAST(s.code AS INTEGER), -1), CAST(julianday(a.as_of) AS INTEGER)"
                    + rows_of
                    + f" AND NOT {integral} ORDER BY a.rowid"
                )
                # apart: min() and max() in one SELECT read the whole table, alone each is one seek
                lo = conn.execute("SELECT min(rowid) FROM adoption").fetchone()[0]
                hi = conn.execute("SELECT max(rowid) FROM adoption").fetchone()[0]
                if lo is None:
                    return
                step = max(rows, -(-(hi - lo + 1) // 256))  # sparse rowids: at most 256 blocks
                start = lo
                while start <= hi:
                    end = min(start + step - 1, hi)
                    n, ser, as_of, codes, values = conn.execute(block, [*names, start, end, metric]).fetchone()
                    if n:
                        exact = conn.execute(others, [start, end, metric]).fetchall() if "n" in values else []
                        yield n, ser, as_of, codes, values, exact
                    start = end + 1
            finally:
                conn.execute(f"DROP TABLE {table}")
        finally:
            conn.execute(f"RELEASE readings_{mark}")

    def reading_records(self, *, metric: str, series: str, as_of: str) -> list[dict[str, Any]]:
        """Every record (sources included) of one reading: one series' `metric` on one date."""
        cols = _stored_columns("adoption")
        rows = self.db.execute(
            f"SELECT {', '.join(cols)} FROM adoption WHERE metric = ? AND series = ? AND as_of = ?"
            " AND subject_kind = 'hf_repo' ORDER BY value DESC, subject",
            [metric, series, as_of],
        ).fetchall()
        return self._with_sources("adoption", rows, cols)

    def reading_sources_by_series(self, *, metric: str) -> dict[str, set[str]]:
        """Per series with readings of `metric`, the sources its readings cite."""
        return self._reading_sources(metric, None)

    def reading_source_ids(self, *, metric: str, series: Iterable[str]) -> list[str]:
        """The distinct sources cited by the readings of `metric` in `series` (a chart's source line)."""
        return sorted(set().union(*self._reading_sources(metric, list(series)).values()))

    #: Citations or readings looked at before counting which side of a (source, series) pair is smaller.
    _FIRST_LOOK = 256
    #: Below this many readings, their citations are all read (one lookup each: 13 ms for the
    #: bundled snapshot's 24,000, where asking source by source reads more).
    _JOIN_READINGS = 50_000

    def _reading_sources(self, metric: str, series: list[str] | None) -> dict[str, set[str]]:
        """Per series (those given, or every series with readings of `metric`), the sources cited.

        Few readings: each reading's citations. Many: pair by pair (source, series), each stopping
        at its first qualifying citation (the join costs a lookup per reading: 4 s for 10 million),
        and a pair whose source is not cited by the series reads all of its smaller side: the
        source's citations or the series' readings, whichever is fewer (counted up to the other).
        """
        db = self.db
        if series is None:  # the series present, one index seek each
            series = [
                r[0]
                for r in db.execute(
                    "WITH RECURSIVE r(s) AS (SELECT (SELECT min(series) FROM adoption WHERE metric = ?1)"
                    " UNION ALL SELECT (SELECT min(series) FROM adoption WHERE metric = ?1 AND series > r.s)"
                    " FROM r WHERE r.s IS NOT NULL) SELECT s FROM r WHERE s IS NOT NULL",
                    [metric],
                )
            ]
        # CROSS JOIN keeps the join order written (a subquery with a LIMIT would be read whole
        # first); the unary + keeps SQLite from driving by_source by the (metric, series) index
        look = (
            "SELECT 1 FROM (SELECT record_id FROM adoption_source WHERE source_id = ? LIMIT ?) x"
            " JOIN adoption a ON a.id = x.record_id WHERE +a.metric = ? AND +a.series = ? LIMIT 1"
        )
        by_source = (
            "SELECT 1 FROM adoption_source x CROSS JOIN adoption a ON a.id = x.record_id"
            " WHERE x.source_id = ? AND +a.metric = ? AND +a.series = ? LIMIT 1"
        )
        by_series = (
            "SELECT 1 FROM adoption a CROSS JOIN adoption_source x ON x.record_id = a.id AND x.source_id = ?"
            " WHERE a.metric = ? AND a.series = ? LIMIT 1"
        )
        cites = "SELECT count(*) FROM (SELECT 1 FROM adoption_source WHERE source_id = ? LIMIT ?)"
        holds = "SELECT count(*) FROM (SELECT 1 FROM adoption WHERE metric = ? AND series = ? LIMIT ?)"
        first = self._FIRST_LOOK
        out: dict[str, set[str]] = {}
        limit = self._JOIN_READINGS
        if sum(db.execute(holds, [metric, key, limit]).fetchone()[0] for key in series) < limit:
            # a small table is read whole (in its order: a lookup through the index is a random
            # read each), a large one through the (metric, series) index, the series' rows only
            span = [db.execute(f"SELECT {f}(rowid) FROM adoption").fetchone()[0] or 0 for f in ("min", "max")]
            table = "adoption a NOT INDEXED" if span[1] - span[0] < 4 * limit else "adoption a"
            for key, source in db.execute(
                f"SELECT DISTINCT a.series, x.source_id FROM {table} CROSS JOIN adoption_source x"
                " ON x.record_id = a.id WHERE a.metric = ? AND a.series IN (SELECT value FROM json_each(?))",
                [metric, json.dumps(series)],
            ):
                out.setdefault(key, set()).add(source)
            return {key: out[key] for key in series if key in out}
        sources = [r[0] for r in db.execute("SELECT id FROM source ORDER BY id")]
        for source in sources:
            if not db.execute(cites, [source, 1]).fetchone()[0]:
                continue
            for key in series:
                if db.execute(look, [source, first, metric, key]).fetchone():
                    out.setdefault(key, set()).add(source)
                    continue
                # not among its first citations: find the smaller side, counting both up to a cap
                cap = first + 1  # above `first`: a count of `first` or fewer is exact
                while True:
                    n_cites = db.execute(cites, [source, cap]).fetchone()[0]
                    n_holds = db.execute(holds, [metric, key, cap]).fetchone()[0]
                    if n_cites < cap or n_holds < cap:
                        break
                    cap *= 16
                if n_cites <= first or not n_holds:
                    continue  # every citation looked at already, or no reading in the series
                found = (
                    db.execute(by_source, [source, metric, key])
                    if n_cites <= n_holds
                    else db.execute(by_series, [source, metric, key])
                ).fetchone()
                if found:
                    out.setdefault(key, set()).add(source)
        return {key: out[key] for key in series if key in out}

    def adoption_source_ids(self, *, metric: str, subject_kinds: Iterable[str] = ("hf_repo", "model")) -> list[str]:
        """The distinct sources cited by one metric's observations (for a chart's source line)."""
        # per source, stop at the first qualifying citation (a DISTINCT over the join reads them all)
        return [
            r[0]
            for r in self.db.execute(
                "SELECT s.id FROM source s WHERE EXISTS (SELECT 1 FROM adoption_source x JOIN adoption a"
                " ON a.id = x.record_id WHERE x.source_id = s.id AND +a.metric = ?"
                " AND +a.subject_kind IN (SELECT value FROM json_each(?))) ORDER BY s.id",
                [metric, json.dumps(list(subject_kinds))],
            )
        ]

    def adoption_records_of(self, *, subject_kinds: Iterable[str] = ("family", "country")) -> list[dict[str, Any]]:
        """Whole adoption records (sources included) of some subject kinds: the headline figures."""
        cols = _stored_columns("adoption")
        rows = self.db.execute(
            f"SELECT {', '.join(cols)} FROM adoption WHERE subject_kind IN (SELECT value FROM json_each(?))"
            " ORDER BY as_of, subject, metric",
            [json.dumps(list(subject_kinds))],
        ).fetchall()
        return self._with_sources("adoption", rows, cols)

    def adoption_of_subjects(self, subjects: Iterable[str]) -> list[dict[str, Any]]:
        """Every adoption record (sources included) whose subject is one of `subjects`, by metric and date."""
        cols = _stored_columns("adoption")
        rows = self.db.execute(
            # the subject_kind IN (...) lets SQLite use the (subject_kind, subject, ...) index
            f"SELECT {', '.join(cols)} FROM adoption WHERE subject_kind IN (SELECT value FROM json_each(?))"
            " AND subject IN (SELECT value FROM json_each(?)) ORDER BY subject, metric, as_of",
            [json.dumps(list(ENUMS["subject_kind"])), json.dumps(list(subjects))],
        ).fetchall()
        return self._with_sources("adoption", rows, cols)

    SEARCH_FIELDS = {
        "model": ("name", "family", "id"),
        "organization": ("name", "id", "hf_namespaces"),
        "investment": ("title", "actor", "country"),
        "policy_action": ("title", "body", "summary", "identifiers", "jurisdiction"),
        "source": ("title", "publisher", "url"),
    }
    #: (title, date, where) columns of a search hit, literal SQL per kind
    SEARCH_SHOWN = {
        "model": ("name", "released_on", "(SELECT o.country FROM organization o WHERE o.id = model.organization)"),
        "organization": ("name", "NULL", "country"),
        "investment": ("title", "announced_on", "country"),
        "policy_action": ("title", "date", "jurisdiction"),
        "source": ("title", "published_on", "publisher"),
    }

    def search(self, text: str, *, limit: int = 50) -> list[dict[str, str]]:
        """Records matching the query's words (`core.search`: every word, else any), ranked records
        before sources and whole words before parts of words: dicts of kind, id, title, date, where."""
        words = search.tokens(text)
        if not words:
            return []
        found = self._search_candidates(words, every=True) or self._search_candidates(words, every=False)
        return [
            {"kind": c.kind, "id": c.id, "title": c.title, "date": c.date, "where": c.where}
            for c in search.rank(found, words, limit=limit)
        ]

    def _search_candidates(self, words: list[str], *, every: bool, per_kind: int = 300) -> list[search.Candidate]:
        out: list[search.Candidate] = []
        patterns = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
        for kind, fields in self.SEARCH_FIELDS.items():
            title_col, date_col, where_col = self.SEARCH_SHOWN[kind]
            # a word naming a country ('Saudi') also finds the records of its code (SA)
            place_col = where_col if kind != "source" else None
            conds, params = [], []
            for word, pattern in zip(words, patterns):
                parts = [f"{f} LIKE ? ESCAPE '\\'" for f in fields]
                params += [pattern] * len(fields)
                codes = names.codes_named(word) if place_col else []
                if codes:
                    parts.append(f"{place_col} IN (SELECT value FROM json_each(?))")
                    params.append(json.dumps(codes))
                conds.append("(" + " OR ".join(parts) + ")")
            where = (" AND " if every else " OR ").join(conds)
            rest = " || ' ' || ".join(f"coalesce({f}, '')" for f in fields if f != title_col)
            rows = self.db.execute(
                f"SELECT id, {title_col}, {rest}, {date_col}, {where_col} FROM {kind} WHERE {where} LIMIT ?",
                [*params, per_kind],
            ).fetchall()
            out += [
                search.Candidate(
                    kind,
                    rid,
                    title or rid,
                    f"{other or ''} {names.country(place) if place_col else ''}",
                    date or "",
                    place or "",
                )
                for rid, title, other, date, place in rows
            ]
        return out

    # -- integrity ---------------------------------------------------------------------------------
    def verify(self) -> list[str]:
        """Every integrity problem found, as one line each; an empty list means all is well."""
        problems: list[str] = []
        try:
            for (line,) in self.db.execute("PRAGMA integrity_check"):
                if line != "ok":
                    problems.append(f"integrity: {line}")
        except sqlite3.DatabaseError as exc:
            return [f"integrity: {exc}"]
        if problems:
            return problems  # the other checks read a damaged file: they would only add noise
        for table, rowid, parent, _ in self.db.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
        for kind in ALL_KINDS:
            if kind == "source":
                continue
            for (rid,) in self.db.execute(
                f"SELECT id FROM {kind} WHERE id NOT IN (SELECT record_id FROM {kind}_source) ORDER BY id"
            ):
                problems.append(f"unsourced: {kind} {rid!r} cites no source")
            for rid, sid in self.db.execute(
                f"SELECT record_id, source_id FROM {kind}_source WHERE source_id NOT IN (SELECT id FROM source)"
            ):
                problems.append(f"dangling source: {kind} {rid!r} cites missing source {sid!r}")
        for rid, kind, subject in self.db.execute(
            "SELECT id, subject_kind, subject FROM adoption WHERE"
            " (subject_kind = 'model' AND subject NOT IN (SELECT id FROM model))"
            " OR (subject_kind = 'organization' AND subject NOT IN (SELECT id FROM organization))"
        ):
            problems.append(f"dangling subject: adoption {rid!r} is about missing {kind} {subject!r}")
        # in SQL: reading every id of every kind into Python (100,000 after a large feed) took longer
        anywhere = " OR ".join(f"EXISTS (SELECT 1 FROM {kind} WHERE id = j.value)" for kind in ALL_KINDS)
        for rid, rel in self.db.execute(
            f"SELECT p.id, j.value FROM policy_action p, json_each(p.related) j"
            f" WHERE j.type != 'text' OR NOT ({anywhere}) ORDER BY p.id, j.key"
        ):
            problems.append(f"dangling related: policy_action {rid!r} names missing {rel!r}")
        problems += self._part_of_problems()
        return problems

    def _part_of_problems(self) -> list[str]:
        """investment.part_of must name another existing investment, and never loop back."""
        parent = dict(self.db.execute("SELECT id, part_of FROM investment WHERE part_of IS NOT NULL ORDER BY id"))
        ids = self.ids("investment")
        problems = []
        for rid, up in parent.items():
            if up == rid:
                problems.append(f"bad part_of: investment {rid!r} is part of itself")
            elif up not in ids:
                problems.append(f"dangling part_of: investment {rid!r} is part of missing {up!r}")
            else:
                seen = {rid}
                while up in parent and up not in seen:
                    seen.add(up)
                    up = parent[up]
                if up in seen:
                    problems.append(f"bad part_of: investment {rid!r} is in a part_of cycle")
        return problems

    def backup_to(
        self,
        dest: str | os.PathLike[str],
        *,
        pages: int = -1,
        progress: Callable[[int, int, int], object] | None = None,
        cache_pages: int | None = None,
    ) -> None:
        """A consistent copy through SQLite's backup API (never a plain file copy of a live db).

        Copying into a live file is atomic for its readers: the destination is written in one
        transaction. `pages`/`progress` are passed to sqlite3's backup (copy in steps);
        `cache_pages` sets the destination's page cache (the kill tests make it spill).
        """
        target = sqlite3.connect(str(dest), timeout=BUSY_TIMEOUT_MS / 1000)
        if cache_pages is not None:
            target.execute(f"PRAGMA cache_size = {int(cache_pages)}")
        try:
            self.db.conn.backup(target, pages=pages, progress=progress)
        finally:
            target.close()

    # -- sync support (briefing/core/sync.py) ------------------------------------------------------
    def fr_doc_numbers(self) -> set[str]:
        """Every Federal Register document number any policy action already carries."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT json_extract(identifiers, '$.fr_doc') FROM policy_action"
                " WHERE json_extract(identifiers, '$.fr_doc') IS NOT NULL"
            )
        }

    def referenced_ids(self, kind: str) -> set[str]:
        """Ids of `kind` that other records still point at (citations, model organization, subjects)."""
        if kind == "source":
            out: set[str] = set()
            for other in ALL_KINDS:
                if other != "source":
                    out |= {r[0] for r in self.db.execute(f"SELECT DISTINCT source_id FROM {other}_source")}
            return out
        if kind == "organization":
            rows = self.db.execute(
                "SELECT organization FROM model UNION SELECT subject FROM adoption WHERE subject_kind = 'organization'"
            )
            return {r[0] for r in rows}
        if kind == "model":
            return {r[0] for r in self.db.execute("SELECT subject FROM adoption WHERE subject_kind = 'model'")}
        return set()


def _kind(kind: str) -> str:
    if kind not in ALL_KINDS:  # table names only ever come from this fixed list
        raise ValueError(f"unknown record kind {kind!r}")
    return kind


def _stored_columns(kind: str) -> list[str]:
    return [f for f in FIELDS[_kind(kind)] if f != "sources"]


def _json_list(value: Any) -> str:
    return json.dumps(value if value is not None else [], ensure_ascii=False, sort_keys=True)


def _json_object(value: Any) -> str:
    return json.dumps(value if value is not None else {}, ensure_ascii=False, sort_keys=True)


#: How a field is stored when it is not stored as it is: booleans as 0/1, lists and objects as JSON.
_ENCODERS: dict[str, Callable[[Any], Any]] = {
    **{f: bool for f in BOOL_FIELDS},
    **{f: _json_list for f in LIST_FIELDS},
    **{f: _json_object for f in OBJECT_FIELDS},
}
