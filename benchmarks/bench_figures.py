"""The figure layer: every headline figure on the bundled snapshot, against a floor measured in the
same run (reading the records it needs), and `briefing figures --json` end to end.

The Overview computes its cards on the GUI thread, so this must stay well under a frame budget of
interactive work (target: all figures <= 150 ms on the 2-core machine). Medians of repeated runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.core import figures
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
        with home.store() as store:
            floor = median_seconds(lambda: figures.Context.load(store), 9)
            ctx = figures.Context.load(store)
            compute = median_seconds(lambda: figures.compute_from(ctx), 9)
            both = median_seconds(lambda: figures.compute(store), 9)
        n = len(figures.FIGURES)
        print(f"figures_load_records (floor): {floor * 1000:.1f} ms (median of 9)")
        print(f"figures_compute_all: {compute * 1000:.1f} ms for {n} figures on loaded records (median of 9)")
        print(f"figures_load_and_compute: {both * 1000:.1f} ms (median of 9; target <= 150 ms)")
        cmd = [sys.executable, "-m", "briefing", "figures", "--json", "--home", str(home.dir)]
        subprocess.run(cmd, check=True, capture_output=True)
        cli = median_seconds(lambda: subprocess.run(cmd, check=True, capture_output=True), 5)
        print(f"briefing_figures_json_end_to_end: {cli:.3f} s (median of 5, process start to exit)")


if __name__ == "__main__":
    main()
