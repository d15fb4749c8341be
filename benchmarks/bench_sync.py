"""Sync benchmarks: apply a signed 100,000-record feed (time, peak RSS) and a no-change 304 sync.

The apply (verify, parse, validate, stage, check, back up, promote) is timed inside a child process
from the `sync()` call to its return; its floor, measured in the same run and interleaved with it,
is another child doing what no sync can avoid: `json.loads` of the same feed.json, one
`executemany` per table of the same records into a fresh SQLite file of the same schema, a commit
and `PRAGMA integrity_check`. Targets: apply <= 2x the floor and <= 2.5 s; peak RSS <= 250 MB (the
child's own VmHWM, imports included). The feed is served by a real HTTP server on 127.0.0.1.
`briefing sync` on a 304, process start to exit, is in bench_cli.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Child processes run as an installed app does, with the bytecode cache (see run.py).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

N_RECORDS = 100_000
RUNS = 3
TARGET_RATIO = 2.0
TARGET_S = 2.5
TARGET_MB = 250


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the bench output to its figures
        pass


def make_records(n: int) -> dict[str, list[dict]]:
    srcs = [
        {
            "id": f"src-{i}",
            "url": f"https://example.org/s/{i}",
            "title": f"Source {i}",
            "publisher": "Bench",
            "published_on": None,
            "retrieved_on": "2026-11-01",
            "reliability": "primary",
            "license": None,
        }
        for i in range(1000)
    ]
    orgs = [
        {
            "id": f"org-{i}",
            "name": f"Org {i}",
            "country": "US" if i % 2 else "CN",
            "kind": "company",
            "hf_namespaces": [f"ns{i}"],
            "sources": [f"src-{i}"],
        }
        for i in range(100)
    ]
    models = [
        {
            "id": f"model-{i}",
            "name": f"Model {i}",
            "family": f"F{i % 50}",
            "organization": f"org-{i % 100}",
            "released_on": "2025-01-01",
            "parameters": 7_000_000_000,
            "active_parameters": None,
            "license": "MIT",
            "access": "open_weights",
            "hf_repos": [f"ns{i % 100}/m{i}"],
            "sources": [f"src-{i % 1000}"],
        }
        for i in range(2000)
    ]
    rest = n - len(srcs) - len(orgs) - len(models)
    start = dt.date(2024, 1, 1)
    adoption = [
        {
            "id": f"obs-{i}",
            "subject_kind": "hf_repo",
            "subject": f"ns{i % 100}/m{i % 2000}",
            "metric": "downloads_30d",
            "value": i * 3,
            "unit": "count",
            "as_of": (start + dt.timedelta(days=i // 2000)).isoformat(),
            "period_start": None,
            "method": "Hub downloads over 30 days, read on the day.",
            "sources": [f"src-{i % 1000}"],
        }
        for i in range(rest)
    ]
    return {"source": srcs, "organization": orgs, "model": models, "adoption": adoption}


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM: its own since exec, unlike ru_maxrss, which a
    child inherits from the parent it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(home_dir: str, url: str, pub: str) -> None:
    from briefing.core import sync
    from briefing.core.feed import FetchConfig
    from briefing.core.home import Home

    marks: list[tuple[float, str]] = []
    t = time.perf_counter()
    result = sync.sync(
        Home(Path(home_dir)),
        feed_url=url,
        trust_keys=[pub],
        pinned=False,
        config=FetchConfig(),
        progress=lambda fraction, message: marks.append((time.perf_counter(), message)),
    )
    elapsed = time.perf_counter() - t
    # each phase runs from its progress message to the next one (the last to the return)
    ends = [m[0] for m in marks[1:]] + [t + elapsed]
    phases = {phase_of(msg): end - start for (start, msg), end in zip(marks, ends)}
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "outcome": result.outcome,
                "added": sum(result.added.values()),
                "peak_mb": peak_rss_mb(),
                "phases": phases,
            }
        )
    )


#: The sync's progress messages (their start) and the phase each one begins: it runs to the next.
PHASES = (
    ("Fetching", "fetch"),
    ("Checking the signature", "signature"),  # the .minisig fetched, the feed's digest checked
    ("Reading", "parse"),  # decode, strict JSON, validate, references, clock/rollback/expiry checks
    ("Staging", "stage"),  # the live file copied to the staged file
    ("Applying", "apply"),  # the records written in one transaction
    ("Checking the new data", "check"),  # integrity, foreign keys, references
    ("Keeping", "backup"),
    ("Switching", "promote"),
    ("Done", "log"),  # the sync log written, the result returned
)


def phase_of(message: str) -> str:
    return next((name for prefix, name in PHASES if message.startswith(prefix)), message)


def floor_child(feed_path: str, schema_path: str, db_path: str) -> None:
    """The floor: json.loads + one executemany per table into a fresh file + commit + integrity check."""
    import sqlite3

    schema = json.loads(Path(schema_path).read_text())
    body = Path(feed_path).read_bytes()  # the app's download is not in the floor either way: both read bytes
    t = time.perf_counter()
    doc = json.loads(body)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for ddl in schema["ddl"]:
        conn.execute(ddl)
    by_kind: dict[str, list[dict]] = {}
    for item in doc["items"]:
        by_kind.setdefault(item["_briefing"]["kind"], []).append(item["_briefing"]["record"])
    conn.execute("BEGIN")
    for kind in schema["order"]:
        recs = by_kind.get(kind, [])
        cols = schema["columns"][kind]
        listy = set(schema["json_fields"])
        conn.executemany(
            f"INSERT INTO {kind} ({', '.join(cols)}, origin) VALUES ({', '.join('?' for _ in cols)}, 'feed')",
            [[json.dumps(r.get(c)) if c in listy else r.get(c) for c in cols] for r in recs],
        )
        if kind != "source":
            conn.executemany(
                f"INSERT INTO {kind}_source (record_id, source_id, position) VALUES (?, ?, ?)",
                [(r["id"], sid, i) for r in recs for i, sid in enumerate(r["sources"])],
            )
    conn.execute("COMMIT")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    elapsed = time.perf_counter() - t
    print(json.dumps({"elapsed": elapsed, "peak_mb": peak_rss_mb()}))


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_schema(path: Path, tmp: Path) -> None:
    """The data file's tables and indexes (from a freshly migrated empty file) and each kind's columns."""
    from briefing.core.records import FIELDS, LIST_FIELDS, OBJECT_FIELDS
    from briefing.core.snapshot import LOAD_ORDER
    from briefing.core.store import Store

    with Store(tmp / "empty.sqlite") as s:
        ddl = [
            sql
            for name, sql in s.db.execute(
                "SELECT tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type = 'index', rowid"
            )
            if not name.startswith(("_sqlite", "sqlite_"))
        ]
    columns = {kind: [f for f in FIELDS[kind] if f != "sources"] for kind in FIELDS}
    path.write_text(
        json.dumps(
            {
                "ddl": ddl,
                "order": list(LOAD_ORDER),
                "columns": columns,
                "json_fields": sorted(LIST_FIELDS | OBJECT_FIELDS),
            }
        )
    )


def main() -> int:
    from briefing.core import feed_publish, snapshot
    from briefing.core.home import Home
    from briefing.core.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    seed = tmp / "seed.sqlite"
    snapshot.build(ROOT / "tests" / "fixtures" / "records", seed)
    publisher = tmp / "publisher.sqlite"
    with Store(publisher) as s, s.transaction():
        for kind, recs in make_records(N_RECORDS).items():
            s.put_records(kind, recs, origin="feed")
    key, pub, _ = feed_publish.keygen(tmp / "keys")
    site = tmp / "site"
    feed_publish.build(publisher, site, secret_key=key, version=1)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/feed.json"

    schema = tmp / "schema.json"
    write_schema(schema, tmp)

    applies, peaks, floors, floor_peaks, phases = [], [], [], [], []
    for run in range(RUNS):  # interleaved: a busy machine slows the floor and the app alike
        db = tmp / f"floor{run}.sqlite"
        floor = run_child("--floor", str(site / "feed.json"), str(schema), str(db))
        floors.append(floor["elapsed"])
        floor_peaks.append(floor["peak_mb"])
        home = Home.open(tmp / f"home{run}", bundled=seed)
        result = run_child("--child", str(home.dir), url, str(pub))
        assert result["outcome"] == "applied" and result["added"] >= N_RECORDS - 50, result
        applies.append(result["elapsed"])
        phases.append(result["phases"])
        peaks.append(result["peak_mb"])
    no_change = []
    for _ in range(5):
        result = run_child("--child", str(home.dir), url, str(pub))
        assert result["outcome"] == "unchanged", result
        no_change.append(result["elapsed"])
    server.shutdown()
    size_mb = (site / "feed.json").stat().st_size / 1e6
    apply_s, floor_s = statistics.median(applies), statistics.median(floors)
    print(
        f"sync_apply_floor: {floor_s:.2f} s (json.loads + executemany per table + integrity check; median of {RUNS};"
        f" peak RSS {max(floor_peaks):.0f} MB)"
    )
    print(
        f"sync_apply_100k_records: {apply_s:.2f} s (target <= {TARGET_S} s and <= {TARGET_RATIO:g}x the floor;"
        f" ratio {apply_s / floor_s:.1f}x; median of {RUNS}; all runs {', '.join(f'{a:.2f}' for a in applies)};"
        f" feed {size_mb:.0f} MB)"
    )
    median_run = phases[applies.index(apply_s)] if apply_s in applies else phases[0]
    print(
        "sync_apply_phases: "
        + ", ".join(f"{name} {seconds:.2f}" for name, seconds in median_run.items())
        + " s (the median run, from the sync's progress messages)"
    )
    print(f"sync_apply_peak_rss: {max(peaks):.0f} MB (target <= {TARGET_MB} MB; floor {max(floor_peaks):.0f} MB)")
    print(f"sync_no_change_304: {statistics.median(no_change):.3f} s (the sync call, median of 5)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "--floor":
        floor_child(*sys.argv[2:5])
        sys.exit(0)
    sys.exit(main())
