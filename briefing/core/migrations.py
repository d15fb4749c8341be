"""Schema migrations of the three files: the data, the notes and the sync log (append-only, recorded
by sqlite-utils).

Never edit a migration that has shipped: add a new one. Each runs in a transaction together with
the record of it having been applied, so a file is never left half-migrated.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from briefing.core.records import ALL_KINDS, FIELDS

data_migrations = Migrations("briefing-data")
notes_migrations = Migrations("briefing-notes")
synclog_migrations = Migrations("briefing-synclog")

# SQL types for the spec's fields; lists and objects are stored as JSON text.
_TYPES = {
    "value": "REAL", "amount": "REAL", "amount_usd": "REAL", "horizon_years": "REAL",
    "parameters": "INTEGER", "active_parameters": "INTEGER",
}
_REQUIRED_NULLABLE = {
    "published_on", "license", "parameters", "active_parameters", "period_start", "amount_usd",
    "usd_basis", "horizon_years", "effective_on",
}
#: Fields added to a kind by a later migration: m001 must keep creating exactly the tables it
#: shipped with, so these are left out of its column list (the later migration adds them).
_ADDED_LATER = {("investment", "part_of")}


def _columns(kind: str) -> list[str]:
    cols = []
    for field in FIELDS[kind]:
        if field == "sources":
            continue  # a link table, so every citation is a real foreign key
        if (kind, field) in _ADDED_LATER:
            continue
        if field == "id":
            cols.append("id TEXT PRIMARY KEY")
            continue
        sql_type = _TYPES.get(field, "TEXT")
        null = "" if field in _REQUIRED_NULLABLE else " NOT NULL"
        ref = " REFERENCES organization(id)" if (kind, field) == ("model", "organization") else ""
        cols.append(f"{field} {sql_type}{null}{ref}")
    cols.append("origin TEXT NOT NULL DEFAULT 'snapshot'")
    return cols


@data_migrations()
def m001_records(db: Database) -> None:
    """One table per record kind, a citation table per kind, and key/value metadata."""
    for kind in ALL_KINDS:
        db.execute(f"CREATE TABLE {kind} ({', '.join(_columns(kind))})")
        if kind == "source":
            continue
        db.execute(
            f"CREATE TABLE {kind}_source ("
            f" record_id TEXT NOT NULL REFERENCES {kind}(id) ON DELETE CASCADE,"
            " source_id TEXT NOT NULL REFERENCES source(id),"
            " position INTEGER NOT NULL,"
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
    for kind in ALL_KINDS:
        if kind != "source":
            db.execute(f"CREATE INDEX {kind}_source_by_source ON {kind}_source(source_id)")


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
