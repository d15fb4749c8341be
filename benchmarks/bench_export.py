"""Export figures: a one-pager PDF from the command line, process start to file written.

On the bundled snapshot, seeded into a fresh temporary home (the seeding run is not timed).
Each timed run is a new `python -m briefing export onepager` process with an offscreen Qt platform.
Medians of repeated runs; target <= 2 s per one-pager.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
TARGET_S = 2.0


def time_command(cmd: list[str], env: dict[str, str], out: Path) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if not out.exists():
        raise SystemExit(f"{out} was not written")
    return elapsed


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        for topic in ("overview", "policy"):
            out = Path(tmp) / f"{topic}.pdf"
            cmd = [sys.executable, "-m", "briefing", "export", "onepager", "--topic", topic, "--out", str(out), "--home", str(home)]
            time_command(cmd, env, out)  # seeds the home and warms the OS file cache
            times = [time_command(cmd, env, out) for _ in range(RUNS)]
            print(f"export_onepager_{topic}: {statistics.median(times):.3f} s (target <= {TARGET_S} s; median of {RUNS},"
                  f" process start to PDF written)")
        out = Path(tmp) / "models.csv"
        cmd = [sys.executable, "-m", "briefing", "export", "table", "--kind", "models", "--format", "csv", "--out", str(out), "--home", str(home)]
        times = [time_command(cmd, env, out) for _ in range(RUNS)]
        print(f"export_table_models_csv: {statistics.median(times):.3f} s (median of {RUNS}, process start to CSV written)")


if __name__ == "__main__":
    main()
