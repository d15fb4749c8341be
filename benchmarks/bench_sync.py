"""Sync benchmarks: apply a signed 100,000-record feed (time, peak RSS) and a no-change 304 sync.

Targets: apply <= 15 s and <= 500 MB peak RSS; a 304 sync <= 1 s. The feed is served by a real
HTTP server on 127.0.0.1; each sync runs in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
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

N_RECORDS = 100_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the bench output to its figures
        pass


def make_records(n: int) -> dict[str, list[dict]]:
    srcs = [{"id": f"src-{i}", "url": f"https://example.org/s/{i}", "title": f"Source {i}", "publisher": "Bench",
             "published_on": None, "retrieved_on": "2026-11-01", "reliability": "primary", "license": None} for i in range(1000)]
    orgs = [{"id": f"org-{i}", "name": f"Org {i}", "country": "US" if i % 2 else "CN", "kind": "company",
             "hf_namespaces": [f"ns{i}"], "sources": [f"src-{i}"]} for i in range(100)]
    models = [{"id": f"model-{i}", "name": f"Model {i}", "family": f"F{i % 50}", "organization": f"org-{i % 100}",
               "released_on": "2025-01-01", "parameters": 7_000_000_000, "active_parameters": None, "license": "MIT",
               "access": "open_weights", "hf_repos": [f"ns{i % 100}/m{i}"], "sources": [f"src-{i % 1000}"]} for i in range(2000)]
    rest = n - len(srcs) - len(orgs) - len(models)
    start = dt.date(2024, 1, 1)
    adoption = [{"id": f"obs-{i}", "subject_kind": "hf_repo", "subject": f"ns{i % 100}/m{i % 2000}", "metric": "downloads_30d",
                 "value": i * 3, "unit": "count", "as_of": (start + dt.timedelta(days=i // 2000)).isoformat(),
                 "period_start": None, "method": "Hub downloads over 30 days, read on the day.", "sources": [f"src-{i % 1000}"]}
                for i in range(rest)]
    return {"source": srcs, "organization": orgs, "model": models, "adoption": adoption}


def child(home_dir: str, url: str, pub: str) -> None:
    from briefing.core import sync
    from briefing.core.feed import FetchConfig
    from briefing.core.home import Home

    t = time.perf_counter()
    result = sync.sync(Home(Path(home_dir)), feed_url=url, trust_keys=[pub], pinned=False, config=FetchConfig())
    elapsed = time.perf_counter() - t
    print(json.dumps({"elapsed": elapsed, "outcome": result.outcome, "added": sum(result.added.values())}))


def run_child(home_dir: Path, url: str, pub: Path) -> tuple[dict, float]:
    proc = subprocess.run([sys.executable, __file__, "--child", str(home_dir), url, str(pub)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return json.loads(proc.stdout.strip().splitlines()[-1]), peak_mb


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

    applies, peaks = [], []
    for run in range(2):
        home = Home.open(tmp / f"home{run}", bundled=seed)
        result, peak = run_child(home.dir, url, pub)
        assert result["outcome"] == "applied" and result["added"] >= N_RECORDS - 50, result
        applies.append(result["elapsed"])
        peaks.append(peak)
    no_change = []
    for _ in range(5):
        result, _ = run_child(home.dir, url, pub)
        assert result["outcome"] == "unchanged", result
        no_change.append(result["elapsed"])
    # The same no-change sync as a user runs it: the whole `briefing sync` command, process start to exit.
    cli = [sys.executable, "-m", "briefing", "sync", "--source", "feed", "--feed", url,
           "--trust-key", str(pub), "--home", str(home.dir)]
    cli_times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True, cwd=ROOT)
        cli_times.append(time.perf_counter() - start)
    server.shutdown()
    size_mb = (site / "feed.json").stat().st_size / 1e6
    print(f"sync_apply_100k_records: {statistics.median(applies):.2f} s (target <= 15 s; feed {size_mb:.0f} MB)")
    print(f"sync_apply_peak_rss: {max(peaks):.0f} MB (target <= 500 MB)")
    print(f"sync_no_change_304: {statistics.median(no_change):.3f} s (target <= 1 s; the sync call, median of 5)")
    print(f"sync_no_change_304_cli: {statistics.median(cli_times):.3f} s (target <= 1 s; `briefing sync`, process start to exit, median of 5)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        sys.exit(0)
    sys.exit(main())
