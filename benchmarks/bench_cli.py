"""CLI start-up: `briefing --help`, `briefing info`, `briefing sync` on a 304, process start to exit.

Floor, measured in the same run: `python -c "import sqlite3, json"` (the interpreter and the two
standard modules every command needs). The runs are interleaved (floor, help, info, sync, floor,
...) so a busy machine slows all of them alike; each figure is the median of RUNS, with the CPU
time (user + system) the process used beside it, which a shared machine disturbs less than the
wall clock. Target: <= 0.3 s each, process start to exit.
"""

from __future__ import annotations

import functools
import http.server
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

RUNS = 9
TARGET_S = 0.3


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the bench output to its figures
        pass


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process, start to exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    from briefing.core import feed_publish, snapshot
    from briefing.core.home import Home

    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    seed = tmp / "seed.sqlite"
    snapshot.build(ROOT / "tests" / "fixtures" / "records", seed)
    key, pub, _ = feed_publish.keygen(tmp / "keys")
    site = tmp / "site"
    feed_publish.build(seed, site, secret_key=key, version=1)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/feed.json"
    home = Home.open(tmp / "home")  # the bundled snapshot, as a user's home
    py = sys.executable
    commands = {
        "floor": [py, "-c", "import sqlite3, json"],
        "help": [py, "-m", "briefing", "--help"],
        "info": [py, "-m", "briefing", "info", "--home", str(home.dir)],
        "sync_304": [
            py,
            "-m",
            "briefing",
            "sync",
            "--source",
            "feed",
            "--feed",
            url,
            "--trust-key",
            str(pub),
            "--home",
            str(home.dir),
        ],
    }
    subprocess.run(commands["sync_304"], check=True, capture_output=True, cwd=ROOT)  # applies v1: later runs get a 304
    for cmd in commands.values():
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)  # warm the OS file cache
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, cmd in commands.items():
            w, c = timed(cmd)
            wall[name].append(w)
            cpu[name].append(c)
    server.shutdown()
    floor_w, floor_c = statistics.median(wall["floor"]), statistics.median(cpu["floor"])
    print(f"cli_floor_python_import_sqlite3_json: {floor_w:.3f} s (cpu {floor_c:.3f} s; median of {RUNS})")
    for name in ("help", "info", "sync_304"):
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(
            f"cli_{name}: {w:.3f} s (target <= {TARGET_S} s; floor {floor_w:.3f} s, ratio {w / floor_w:.1f}x;"
            f" cpu {c:.3f} s, floor {floor_c:.3f} s, ratio {c / floor_c:.1f}x; median of {RUNS}, process start to exit)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
