"""`make bench`: run every benchmarks/bench_*.py in turn and print what each measured.

Each bench script prints one line per metric (`name: value unit (target ...)`) and exits 0.
Results are also appended to benchmarks/results/latest.txt (not tracked by git).

The benchmarks run Python as a user's install does, with its bytecode cache: a shell that sets
PYTHONDONTWRITEBYTECODE (some tool environments do) would make every process compile every
module it imports from source, adding a second or more to each start. Each bench that starts
processes drops it for them too, so running one directly measures the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: with the bytecode cache
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    lines = [f"# {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent)
        print(proc.stdout, end="")
        if proc.returncode:
            failed += 1
            print(f"!! {script.name} failed:\n{proc.stderr[-2000:]}")
        lines += [f"== {script.name}", proc.stdout.rstrip()]
    (out_dir / "latest.txt").write_text("\n".join(lines) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
