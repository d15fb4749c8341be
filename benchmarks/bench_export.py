"""Export figures: a brief from the command line (tagged PDF, DOCX, PPTX), process start to file
written, beside a floor (`briefing --version`, the same interpreter's start-up and CLI import, in the
same run); and how long the app's event loop is ever blocked while the export dialog previews and
saves a one-pager.

On the bundled snapshot, seeded into a fresh temporary home (the seeding run is not timed).
Each timed CLI run is a new `python -m briefing export onepager` process (it imports no Qt, numpy or
pandas for the overview and policy briefs: the chart is a plain SVG; tests/render/test_brief_chart.py). Medians of repeated runs; target <= 0.8 s per one-pager (PDF), with the interpreter's floor
(`python -c "import sqlite3, json"`) measured in the same run beside it.

`export_onepager_event_loop_max_gap`: in a child process (offscreen), a 10 ms QTimer ticks while an
`OnePagerDialog` switches to each topic (new texts and a new preview; the chart is drawn by the
worker, no widget) and saves its PDF; the metric is the largest gap between ticks, median over runs
(target <= 100 ms).
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
TARGET_S = 0.8
GAP_TARGET_MS = 100
GAP_RUNS = 5

# Child processes run as an installed app does, with the bytecode cache (see run.py).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

GAP_SCRIPT = r"""
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from briefing.core.home import Home
from briefing.core.report import TOPICS
from briefing.ui.onepager_dialog import OnePagerDialog

home = Home.open(Path(sys.argv[1]))
out_dir = Path(tempfile.mkdtemp())

def wait(signal):
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    loop.exec()

worst = {}
clock = QElapsedTimer()
gap = [0]
def tick():
    gap[0] = max(gap[0], clock.restart())
timer = QTimer(interval=10)
timer.timeout.connect(tick)
dialog = OnePagerDialog(home, topic="investment")  # its first preview is not measured (start-up)
wait(dialog.preview_job.finished)
for topic in TOPICS:
    if topic == "investment":
        continue
    gap[0] = 0
    clock.start(); timer.start()
    dialog.topic_box.setCurrentIndex(TOPICS.index(topic))  # new texts, the preview
    wait(dialog.preview_job.finished)
    job = dialog.save_to(out_dir / f"{topic}.pdf")
    wait(job.finished)
    timer.stop()
    if not (out_dir / f"{topic}.pdf").exists():
        raise SystemExit(f"{topic}: no PDF written")
    worst[topic] = gap[0]
    dialog.setResult(0)
    dialog.closed = False  # saving closes the dialog; keep using it for the next topic
print(max(worst.values()), " ".join(f"{t}={ms}" for t, ms in worst.items()))
"""


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
        floor_out = Path(tmp) / "version.txt"

        def version() -> float:
            start = time.perf_counter()
            with floor_out.open("w") as fh:
                subprocess.run([sys.executable, "-m", "briefing", "--version"], check=True, stdout=fh, env=env)
            return time.perf_counter() - start

        version()
        floor = statistics.median(version() for _ in range(RUNS))
        print(f"cli_start_floor: {floor:.3f} s (median of {RUNS}, `briefing --version`: interpreter and CLI start-up)")
        python_floor_cmd = [sys.executable, "-c", "import sqlite3, json"]
        for topic, fmt in (("overview", "pdf"), ("policy", "pdf"), ("overview", "docx"), ("overview", "pptx")):
            out = Path(tmp) / f"{topic}.{fmt}"
            cmd = [
                sys.executable,
                "-m",
                "briefing",
                "export",
                "onepager",
                "--topic",
                topic,
                "--out",
                str(out),
                "--home",
                str(home),
            ]
            time_command(cmd, env, out)  # seeds the home and warms the OS file cache
            times, floors = [], []
            for _ in range(RUNS):  # interleaved with the interpreter's floor: a busy machine slows both alike
                start = time.perf_counter()
                subprocess.run(python_floor_cmd, check=True, capture_output=True, env=env)
                floors.append(time.perf_counter() - start)
                times.append(time_command(cmd, env, out))
            py_floor = statistics.median(floors)
            name = f"export_onepager_{topic}" + ("" if fmt == "pdf" else f"_{fmt}")
            target = f"target <= {TARGET_S} s; " if fmt == "pdf" else ""
            print(
                f"{name}: {statistics.median(times):.3f} s ({target}median of {RUNS}, process start"
                f" to {fmt.upper()} written; floor {floor:.3f} s; python floor {py_floor:.3f} s,"
                f" ratio {statistics.median(times) / py_floor:.1f}x)"
            )
        gaps, details = [], []
        for _ in range(GAP_RUNS):
            done = subprocess.run(
                [sys.executable, "-c", GAP_SCRIPT, str(home)], check=True, capture_output=True, text=True, env=env
            )
            worst, _, detail = done.stdout.strip().splitlines()[-1].partition(" ")
            gaps.append(int(worst))
            details.append(detail)
        print(
            f"export_onepager_event_loop_max_gap: {statistics.median(gaps) / 1000:.3f} s (target <= {GAP_TARGET_MS / 1000}"
            f" s; median of {GAP_RUNS} runs' largest gap between 10 ms timer ticks while the export dialog switches"
            f" topic and saves the PDF; worst run {max(gaps)} ms; per topic, ms: {details[gaps.index(max(gaps))]})"
        )
        out = Path(tmp) / "models.csv"
        cmd = [
            sys.executable,
            "-m",
            "briefing",
            "export",
            "table",
            "--kind",
            "models",
            "--format",
            "csv",
            "--out",
            str(out),
            "--home",
            str(home),
        ]
        times = [time_command(cmd, env, out) for _ in range(RUNS)]
        print(
            f"export_table_models_csv: {statistics.median(times):.3f} s (median of {RUNS}, process start to CSV written)"
        )


if __name__ == "__main__":
    main()
