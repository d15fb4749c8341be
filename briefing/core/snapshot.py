"""The bundled snapshot: built deterministically from `data/records/*.jsonl`, seeded into a home."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from briefing.core import atomic
from briefing.core.errors import BriefingError, RecordError
from briefing.core.records import ALL_KINDS, validate
from briefing.core.store import Store, connect

#: Insert order that satisfies the foreign keys.
LOAD_ORDER = (
    "source",
    "organization",
    "model",
    "adoption",
    "investment",
    "policy_action",
    "consideration",
    "hf_namespace",
    "hf_repo",
)
assert set(LOAD_ORDER) == set(ALL_KINDS)
META_FILE = "snapshot.json"


def load_records(records_dir: str | os.PathLike[str]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Read and validate every record file; raise BriefingError naming the file and line."""
    records_dir = Path(records_dir)
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in LOAD_ORDER:
        path = records_dir / f"{kind}.jsonl"
        rows: list[dict[str, Any]] = []
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for number, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        rows.append(validate(kind, json.loads(line)))
                    except (ValueError, RecordError) as exc:
                        raise BriefingError(f"{path.name}:{number}: {exc}") from None
        out[kind] = rows
    try:
        meta = json.loads((records_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BriefingError(f"cannot read {records_dir / META_FILE}: {exc}") from None
    return out, meta


def build(records_dir: str | os.PathLike[str], out: str | os.PathLike[str]) -> dict[str, int]:
    """Build the snapshot file from the records; returns counts per kind. Same input, same content."""
    out = Path(out)
    records, meta = load_records(records_dir)
    with atomic.atomic_output(out, own=True) as tmp:
        counts = _build_into(tmp, records, meta)
    return counts


def _build_into(tmp: Path, records: dict[str, list[dict[str, Any]]], meta: dict[str, Any]) -> dict[str, int]:
    store = Store(tmp)
    try:
        with store.transaction():
            for kind in LOAD_ORDER:
                store.put_records(kind, records[kind], origin="snapshot")
            store.set_meta(
                {
                    "snapshot_version": meta["snapshot_version"],
                    "snapshot_built_at": meta["built_at"],
                    "data_as_of": meta["data_as_of"],
                }
            )
            # The migrations table records wall-clock times; pin them so builds compare equal.
            store.db.execute("UPDATE _sqlite_migrations SET applied_at = ?", [meta["built_at"]])
        problems = store.verify()
        if problems:
            raise BriefingError(f"snapshot fails verification: {problems[0]} (+{len(problems) - 1} more)")
        counts = store.counts(ALL_KINDS)
        store.db.execute("PRAGMA journal_mode = DELETE")
        store.db.execute("VACUUM")
    finally:
        store.close()
    return counts


def dump(path: str | os.PathLike[str]) -> list[str]:
    """A logical, ordered dump of a database's tables, for comparing two builds."""
    db = connect(path, readonly=True)
    try:
        return list(db.conn.iterdump())
    finally:
        db.conn.close()


def seed(bundled: Path, target: Path) -> bool:
    """Copy the bundled snapshot to `target` if it is absent (temp file + atomic rename).

    Returns True when it seeded. The bundled file is only read.
    """
    if target.exists():
        return False
    if not bundled.exists():
        raise BriefingError(f"the bundled snapshot is missing: {bundled}")
    try:
        with atomic.atomic_output(target, own=True) as tmp:
            shutil.copyfile(bundled, tmp)
    except OSError as exc:
        raise BriefingError(f"cannot seed {target}: {exc.strerror or exc}") from None
    return True


if __name__ == "__main__":  # `make snapshot`: python -m briefing.core.snapshot RECORDS_DIR OUT
    import sys

    counts = build(sys.argv[1], sys.argv[2])
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
