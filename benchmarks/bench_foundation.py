"""Foundation figures: `briefing info` end to end, and the adoption-by-country query.

Both on the bundled snapshot, seeded into a fresh temporary home. Medians of repeated runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Child processes run as an installed app does, with the bytecode cache (see run.py).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from benchdata import adoption_by_country

from briefing.core.home import Home


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Home.open(Path(tmp) / "home")
        cmd = [sys.executable, "-m", "briefing", "info", "--json", "--home", str(home.dir)]
        env = dict(os.environ)
        subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the OS file cache
        info = median_seconds(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env), 7)
        print(f"briefing_info_end_to_end: {info:.3f} s (median of 7, process start to exit)")
        with home.store() as store:
            n = store.counts()["adoption"]
            for metric in ("downloads_total", "downloads_30d"):
                rows = adoption_by_country(store, metric)
                q = median_seconds(lambda m=metric: adoption_by_country(store, m), 15)
                print(
                    f"adoption_by_country[{metric}]: {q * 1000:.1f} ms (median of 15; {len(rows)} rows out of {n} observations)"
                )


if __name__ == "__main__":
    main()
