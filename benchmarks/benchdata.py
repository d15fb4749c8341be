"""Benchmark-only data helpers: a fast bulk insert of generated observations, and one extra query.

Not part of the app (the app writes through `Store.put_records` and reads through the store's
named queries); kept here so the store module holds only what the app runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefing.core.store import Store


def bulk_insert_adoption(
    store: Store, rows: Iterable[tuple], *, source_id: str, origin: str = "local", series: str | None = None
) -> int:
    """Insert generated (id, subject_kind, subject, metric, value, unit, as_of, method) tuples, each
    citing `source_id` (which must exist) and in `series`, in one transaction. Skips validation:
    only for data the benchmark built itself. The two tables' secondary indexes are dropped for
    the insert and built again after it (millions of rows go in several times faster)."""
    n = 0
    indexes = store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('adoption', 'adoption_source')"
    ).fetchall()
    with store.transaction():
        for name, _ in indexes:
            store.db.execute(f'DROP INDEX "{name}"')
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 50_000:
                n += _insert_batch(store, batch, source_id, origin, series)
                batch = []
        n += _insert_batch(store, batch, source_id, origin, series)
        for _, sql in indexes:
            store.db.execute(sql)
    return n


def _insert_batch(store: Store, batch: list[tuple], source_id: str, origin: str, series: str | None) -> int:
    store.db.conn.executemany(
        "INSERT INTO adoption (id, subject_kind, subject, metric, value, unit, as_of, method, origin, series)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*r, origin, series) for r in batch],
    )
    store.db.conn.executemany(
        "INSERT INTO adoption_source(record_id, source_id, position) VALUES (?, ?, 0)",
        [(r[0], source_id) for r in batch],
    )
    return len(batch)


def adoption_by_country(store: Store, metric: str = "downloads_30d") -> list[tuple[str, str, float]]:
    """(country, as_of, summed value) of HF-repo observations, attributed by HF namespace, in SQL."""
    return store.db.execute(
        "WITH ns AS (SELECT DISTINCT lower(j.value) AS ns, o.country FROM organization o,"
        " json_each(o.hf_namespaces) j)"
        " SELECT ns.country, a.as_of, sum(a.value) FROM adoption a"
        " JOIN ns ON ns.ns = lower(substr(a.subject, 1, instr(a.subject, '/') - 1))"
        " WHERE a.subject_kind = 'hf_repo' AND a.metric = ?"
        " GROUP BY ns.country, a.as_of ORDER BY a.as_of, ns.country",
        [metric],
    ).fetchall()
