"""Schema migrations of the three files: the data, the notes and the sync log (append-only, recorded
by sqlite-utils).

The record is sqlite-utils' `_sqlite_migrations` table, and `Migrations` keeps its rules (each
migration and the record of it in one transaction, `transactional=False` outside one, in the order
defined), but applies them without importing sqlite-utils: importing it imports pandas and numpy
when they are installed (~0.3 s), and every command opens these files, a new home creates them.
sqlite-utils' own `Migrations` over the same set (`Migrations.sqlite_utils()`) reads and applies
the same record; the tests use it.

Never edit a migration that has shipped: add a new one at the end of its file's list (sqlite-utils
applies them in the order they are defined and records each by name). Each is written out as the
literal SQL it ran, never derived from today's `records.FIELDS`, so a file made by any release
migrates to the same schema as a new one. Each runs in a transaction together with the record of
it having been applied, so a file is never left half-migrated (m004, which must rebuild a table
with foreign keys off, runs its own transaction and is idempotent instead). Every open of a home applies the
pending ones (`Home.open` for the data file; `NoteStore` and `SyncLog` on each open).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' table: files made by any release keep it


@dataclass
class Step:
    """One migration: its recorded name, the function (given the file's `db`), and whether it runs
    in a transaction with its record."""

    name: str
    fn: Callable[..., None]
    transactional: bool = True


class Migrations:
    """A named, ordered set of migrations, recorded in sqlite-utils' table (see the module docstring)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Step] = []

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[Callable[..., None]], Callable[..., None]]:
        def inner(fn: Callable[..., None]) -> Callable[..., None]:
            self._migrations.append(Step(name or fn.__name__, fn, transactional))
            return fn

        return inner

    def sqlite_utils(self) -> Any:
        """sqlite-utils' Migrations over the same steps (it reads and applies the same record)."""
        from sqlite_utils.migrations import Migrations as Real

        real = Real(self.name)
        for step in self._migrations:
            real(name=step.name, transactional=step.transactional)(step.fn)
        return real

    def applied_names(self, conn: sqlite3.Connection) -> list[str]:
        """Names recorded as applied in the file, in the order applied (read-only)."""
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
        ).fetchone():
            return []
        return [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [self.name]
            )
        ]

    def pending_names(self, conn: sqlite3.Connection) -> list[str]:
        """Names of the migrations not yet recorded in the file, in order (read-only, one query)."""
        done = set(self.applied_names(conn))
        return [step.name for step in self._migrations if step.name not in done]

    def pending(self, db: Any) -> list[Step]:
        names = set(self.pending_names(getattr(db, "conn", db)))
        return [step for step in self._migrations if step.name in names]

    def applied(self, db: Any) -> list[Step]:
        steps = {step.name: step for step in self._migrations}
        return [steps.get(n) or Step(n, lambda db: None) for n in self.applied_names(getattr(db, "conn", db))]

    def apply(self, db: Any, *, stop_before: str | None = None) -> None:
        """Apply the pending migrations in order (stopping before `stop_before`), each with its record.
        `db`: anything with `conn` and `execute` (the stores' `Database`, sqlite-utils' Database)."""
        conn: sqlite3.Connection = getattr(db, "conn", db)
        pending = self.pending_names(conn)
        if not pending:
            return
        if stop_before is not None and stop_before not in pending and stop_before in {m.name for m in self._migrations}:
            raise ValueError(f"cannot stop before migration {stop_before} in set '{self.name}': already applied")
        self._ensure_table(conn)
        for step in self.pending(conn):
            if step.name == stop_before:
                return
            if not step.transactional:
                step.fn(db)
                self._record(conn, step.name)
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                step.fn(db)
                self._record(conn, step.name)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _record(self, conn: sqlite3.Connection, name: str) -> None:
        conn.execute(
            f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [self.name, name, str(dt.datetime.now(dt.timezone.utc))],  # sqlite-utils' format
        )

    @staticmethod
    def _ensure_table(conn: sqlite3.Connection) -> None:
        """sqlite-utils' table and unique index, as it creates them."""
        conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{MIGRATIONS_TABLE}" (\n   "id" INTEGER PRIMARY KEY,\n'
            '   "migration_set" TEXT,\n   "name" TEXT,\n   "applied_at" TEXT\n)'
        )
        conn.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "idx_{MIGRATIONS_TABLE}_migration_set_name"\n'
            f'    ON "{MIGRATIONS_TABLE}" ("migration_set", "name")'
        )

    def create_schema(self, db: Any) -> None:
        """Run every migration on an empty in-memory file, recording none: the tables a reader of
        an absent file sees (a transactional migration only calls `db.execute`)."""
        for step in self._migrations:
            step.fn(db)


data_migrations = Migrations("briefing-data")
notes_migrations = Migrations("briefing-notes")
synclog_migrations = Migrations("briefing-synclog")


@data_migrations()
def m001_records(db: Database) -> None:
    """One table per record kind, a citation table per kind, and key/value metadata."""
    db.execute(
        "CREATE TABLE source (id TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL,"
        " publisher TEXT NOT NULL, published_on TEXT, retrieved_on TEXT NOT NULL,"
        " reliability TEXT NOT NULL, license TEXT, origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE organization (id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL,"
        " kind TEXT NOT NULL, hf_namespaces TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE organization_source ( record_id TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,"
        " source_id TEXT NOT NULL REFERENCES source(id), position INTEGER NOT NULL,"
        " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE model (id TEXT PRIMARY KEY, name TEXT NOT NULL, family TEXT NOT NULL,"
        " organization TEXT NOT NULL REFERENCES organization(id), released_on TEXT NOT NULL,"
        " parameters INTEGER, active_parameters INTEGER, license TEXT, access TEXT NOT NULL,"
        " hf_repos TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE model_source ( record_id TEXT NOT NULL REFERENCES model(id) ON DELETE CASCADE,"
        " source_id TEXT NOT NULL REFERENCES source(id), position INTEGER NOT NULL,"
        " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE adoption (id TEXT PRIMARY KEY, subject_kind TEXT NOT NULL, subject TEXT NOT NULL,"
        " metric TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, as_of TEXT NOT NULL,"
        " period_start TEXT, method TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE adoption_source ( record_id TEXT NOT NULL REFERENCES adoption(id) ON DELETE CASCADE,"
        " source_id TEXT NOT NULL REFERENCES source(id), position INTEGER NOT NULL,"
        " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE investment (id TEXT PRIMARY KEY, country TEXT NOT NULL, actor TEXT NOT NULL,"
        " title TEXT NOT NULL, amount REAL NOT NULL, currency TEXT NOT NULL, amount_usd REAL,"
        " usd_basis TEXT, announced_on TEXT NOT NULL, horizon_years REAL, category TEXT NOT NULL,"
        " status TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE investment_source ( record_id TEXT NOT NULL REFERENCES investment(id) ON DELETE CASCADE,"
        " source_id TEXT NOT NULL REFERENCES source(id), position INTEGER NOT NULL,"
        " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE policy_action (id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL,"
        " body TEXT NOT NULL, title TEXT NOT NULL, instrument TEXT NOT NULL, stage TEXT NOT NULL,"
        " date TEXT NOT NULL, effective_on TEXT, stance_on_open_models TEXT NOT NULL,"
        " identifiers TEXT NOT NULL, summary TEXT NOT NULL, related TEXT NOT NULL,"
        " origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE policy_action_source ( record_id TEXT NOT NULL REFERENCES policy_action(id) ON DELETE CASCADE,"
        " source_id TEXT NOT NULL REFERENCES source(id), position INTEGER NOT NULL,"
        " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE consideration (id TEXT PRIMARY KEY, topic TEXT NOT NULL, text TEXT NOT NULL,"
        " origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE consideration_source ( record_id TEXT NOT NULL REFERENCES consideration(id) ON DELETE CASCADE,"
        " source_id TEXT NOT NULL REFERENCES source(id), position INTEGER NOT NULL,"
        " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")


@data_migrations()
def m002_view_indexes(db: Database) -> None:
    """Indexes for the queries the views run."""
    db.execute("CREATE INDEX adoption_subject ON adoption(subject_kind, subject, metric, as_of)")
    db.execute("CREATE INDEX adoption_metric ON adoption(metric, as_of)")
    db.execute("CREATE INDEX policy_date ON policy_action(date)")
    db.execute("CREATE INDEX policy_jurisdiction ON policy_action(jurisdiction, date)")
    db.execute("CREATE INDEX model_organization ON model(organization)")
    db.execute("CREATE INDEX investment_country ON investment(country)")
    db.execute("CREATE INDEX record_origin_policy ON policy_action(origin)")
    db.execute("CREATE INDEX organization_source_by_source ON organization_source(source_id)")
    db.execute("CREATE INDEX model_source_by_source ON model_source(source_id)")
    db.execute("CREATE INDEX adoption_source_by_source ON adoption_source(source_id)")
    db.execute("CREATE INDEX investment_source_by_source ON investment_source(source_id)")
    db.execute("CREATE INDEX policy_action_source_by_source ON policy_action_source(source_id)")
    db.execute("CREATE INDEX consideration_source_by_source ON consideration_source(source_id)")


@data_migrations()
def m003_investment_part_of(db: Database) -> None:
    """investment.part_of: the id of the enclosing investment (NULL for a top-level one)."""
    db.execute("ALTER TABLE investment ADD COLUMN part_of TEXT")
    db.execute("CREATE INDEX investment_part_of ON investment(part_of)")


@notes_migrations()
def n001_notes(db: Database) -> None:
    """Notes keyed by record kind and id, and free texts the user edits (brief bottom lines...)."""
    db.execute(
        "CREATE TABLE note (kind TEXT NOT NULL, record_id TEXT NOT NULL, text TEXT NOT NULL,"
        " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (kind, record_id))"
    )
    db.execute("CREATE TABLE user_text (key TEXT PRIMARY KEY, text TEXT NOT NULL, updated_at TEXT NOT NULL)")


@synclog_migrations()
def s001_attempts(db: Database) -> None:
    """One row per attempt; counts and field-level changes as JSON."""
    db.execute(
        "CREATE TABLE attempt (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,"
        " source TEXT NOT NULL, version INTEGER, outcome TEXT NOT NULL, error TEXT,"
        " added TEXT NOT NULL, changed TEXT NOT NULL, removed TEXT NOT NULL, changes TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX attempt_source ON attempt(source, outcome, started_at)")


#: m004's source table, written out: retrieved_on becomes nullable ("not recorded") and grade is added.
_M004_SOURCE = (
    "CREATE TABLE source_m004 (id TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL,"
    " publisher TEXT NOT NULL, published_on TEXT, retrieved_on TEXT, reliability TEXT NOT NULL,"
    " license TEXT, origin TEXT NOT NULL DEFAULT 'snapshot', grade TEXT)"
)
_M004_SOURCE_COLUMNS = "id, url, title, publisher, published_on, retrieved_on, reliability, license, origin"
_M004_COLUMNS = (
    "ALTER TABLE adoption ADD COLUMN as_of_precision TEXT",
    "ALTER TABLE adoption ADD COLUMN measure_id TEXT",
    "ALTER TABLE investment ADD COLUMN scope TEXT",
    "ALTER TABLE investment ADD COLUMN confirmation TEXT",
    "ALTER TABLE investment ADD COLUMN kind TEXT",
    "ALTER TABLE investment ADD COLUMN overlaps TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE investment ADD COLUMN fx_rate REAL",
    "ALTER TABLE investment ADD COLUMN fx_month TEXT",
    "ALTER TABLE policy_action ADD COLUMN relevance TEXT",
    "ALTER TABLE policy_action ADD COLUMN topics TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE policy_action ADD COLUMN published_on TEXT",
    "ALTER TABLE policy_action ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE policy_action ADD COLUMN superseded_by TEXT",
    "CREATE INDEX policy_relevance ON policy_action(relevance, date)",
    "CREATE INDEX investment_scope ON investment(scope, confirmation)",
)


@data_migrations(transactional=False)
def m004_record_schema_2(db: Database) -> None:
    """Record schema 2 (docs/feed-spec.md): source grade and a nullable retrieved_on; adoption
    precision and measure id; investment scope, confirmation, kind, overlaps and FX rate; policy
    relevance, topics, publication date, scheduled flag and superseded_by.

    SQLite cannot relax NOT NULL in place, so the source table is rebuilt. That needs foreign keys
    off, which cannot change inside a transaction: hence not `transactional`, and the work runs in
    its own explicit transaction. A crash before the record of it being applied leaves the new
    schema in place, and the rerun sees it (source.grade exists) and only records it.
    """
    conn = db.conn
    if "grade" in {row[1] for row in conn.execute("PRAGMA table_info(source)")}:
        return
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_M004_SOURCE)
            conn.execute(f"INSERT INTO source_m004 ({_M004_SOURCE_COLUMNS}) SELECT {_M004_SOURCE_COLUMNS} FROM source")
            conn.execute("DROP TABLE source")
            conn.execute("ALTER TABLE source_m004 RENAME TO source")
            for statement in _M004_COLUMNS:
                conn.execute(statement)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise sqlite3.IntegrityError(f"m004: {len(broken)} dangling references after the rebuild")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


@synclog_migrations()
def s002_source_time(db: Database) -> None:
    """Both clocks of an attempt: the local clock (started_at) and the source's own time (a feed's
    generated_at), so a clock that was off can be seen afterwards."""
    db.execute("ALTER TABLE attempt ADD COLUMN source_time TEXT")


@data_migrations()
def m005_adoption_readings(db: Database) -> None:
    """adoption.series (the collection a reading belongs to); Hugging Face accounts with their ATOM
    region (hf_namespace) and repos with their declared base models (hf_repo), for attribution."""
    db.execute("ALTER TABLE adoption ADD COLUMN series TEXT")
    # the reader's own Hub syncs so far listed tracked organizations' models: that series
    db.execute("UPDATE adoption SET series = 'hub_orgs' WHERE origin = 'huggingface' AND subject_kind = 'hf_repo'")
    db.execute("CREATE INDEX adoption_series ON adoption(metric, series, as_of)")
    db.execute(
        "CREATE TABLE hf_namespace (id TEXT PRIMARY KEY, region TEXT NOT NULL, note TEXT,"
        " origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    db.execute(
        "CREATE TABLE hf_repo (id TEXT PRIMARY KEY, base_models TEXT NOT NULL, relation TEXT,"
        " as_of TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'snapshot')"
    )
    for kind in ("hf_namespace", "hf_repo"):
        db.execute(
            f"CREATE TABLE {kind}_source ("
            f" record_id TEXT NOT NULL REFERENCES {kind}(id) ON DELETE CASCADE,"
            " source_id TEXT NOT NULL REFERENCES source(id),"
            " position INTEGER NOT NULL,"
            " PRIMARY KEY (record_id, source_id)) WITHOUT ROWID"
        )
        db.execute(f"CREATE INDEX {kind}_source_by_source ON {kind}_source(source_id)")


@notes_migrations()
def n002_brief_log(db: Database) -> None:
    """One row per exported brief: its topic, format, time and the figures it quoted (JSON), so the
    next brief on the topic can say what changed since (`core/brief_history.py`)."""
    db.execute(
        "CREATE TABLE brief (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, format TEXT NOT NULL,"
        " exported_at TEXT NOT NULL, figures TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX brief_topic ON brief (topic, exported_at)")
