"""Adoption chart figures on generated databases of 1,000,000 and 10,000,000 readings.

Builds real SQLite data files (fixture snapshot + 40 organizations in 8 countries, 600 catalogued
models in 30 families, 2,000 or 20,000 HF repos of which 1 in 20 has an unknown namespace, 500
weekly 30-day download readings each in one Hub-sync series, with staggered starts). A child
process per size (its peak RSS is its own: VmHWM) loads one the way the Adoption view does (off the
GUI thread in the app), then times, on an offscreen AdoptionView:

* regrouping country -> organization -> family (select + group + setData on the chart, the dot
  of every reading included), and
* filtering to a date range (the range selector: the same with start/end),
* the developer-country share (shares + the stacked chart), and the fixed-panel share,

each a median over many runs. Targets: 1M, <= 150 ms; 10M (issue 12), load <= 10 s, regroup and
filter <= 250 ms, peak RSS <= 2 GB. Also printed: a regroup including an offscreen repaint of the
chart. A floor in the same run: the bare numpy matrix product a regroup cannot avoid.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGETS = {  # repos: (regroup/filter target s, load target s or None, peak RSS target MB or None)
    2_000: (0.150, None, None),
    20_000: (0.250, 10.0, 2048),
}
N_OBS = 500
N_ORGS = 40
N_MODELS = 600
COUNTRIES = ["US", "CN", "FR", "DE", "GB", "AE", "KR", "JP"]


def build_db(path: Path, n_repos: int) -> int:
    """Seed from the test fixture snapshot, then add the generated catalogue and 1M observations."""
    import datetime as dt

    from benchdata import bulk_insert_adoption

    from briefing.core import snapshot
    from briefing.core.records import validate
    from briefing.core.store import Store

    fixtures = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "records"
    snapshot.build(fixtures, path)
    rng = random.Random(7)
    src = "kbhandari-forecast"
    with Store(path) as store:
        orgs = [
            validate(
                "organization",
                {
                    "id": f"bench-org-{i}",
                    "name": f"Bench Org {i}",
                    "country": COUNTRIES[i % len(COUNTRIES)],
                    "kind": "company",
                    "hf_namespaces": [f"bench-org-{i}"],
                    "sources": [src],
                },
            )
            for i in range(N_ORGS)
        ]
        store.put_records("organization", orgs, origin="local")
        repos = [f"bench-org-{i % N_ORGS}/model-{i}" if i % 20 else f"stranger-{i}/model-{i}" for i in range(n_repos)]
        models = [
            validate(
                "model",
                {
                    "id": f"bench-model-{i}",
                    "name": f"Bench Model {i}",
                    "family": f"Family {i % 30}",
                    "organization": f"bench-org-{i % N_ORGS}",
                    "released_on": "2020-01-01",
                    "access": "open_weights",
                    "hf_repos": [repos[i]],
                    "sources": [src],
                },
            )
            for i in range(1, N_MODELS + 1)
        ]
        store.put_records("model", models, origin="local")
        start = dt.date(2016, 1, 3)

        def rows():
            for r, repo in enumerate(repos):
                offset = rng.randrange(0, 300)
                total = 0
                for k in range(N_OBS):
                    total = rng.randrange(0, 5_000)  # a 30-day count: a reading, not a running total
                    day = (start + dt.timedelta(weeks=offset + k)).isoformat()
                    yield (f"bench-{r}-{k}", "hf_repo", repo, "downloads_30d", total, "count", day, "generated")

        return bulk_insert_adoption(store, rows(), source_id=src, series="hub_orgs")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(db_path: str, n_repos: int) -> int:
    """In its own process: load, then time regroup, filter, share and paint on an AdoptionView."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import pandas as pd

    from briefing.core.home import Home
    from briefing.ui.views.adoption import MEASURES, AdoptionView, load_adoption

    target_s, load_target, rss_target = TARGETS[n_repos]
    tag = f"{n_repos * N_OBS // 1_000_000}m"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        home = Home.open(tmp_path / "home", bundled=Path(db_path))

        # The floor of any row-by-row read: the same rows' values alone, fetched through sqlite3.
        import sqlite3

        conn = sqlite3.connect(f"{home.data_path.resolve().as_uri()}?mode=ro", uri=True)
        t0 = time.perf_counter()
        cursor = conn.execute(
            "SELECT value FROM adoption NOT INDEXED WHERE metric = 'downloads_30d'"
            " AND subject_kind = 'hf_repo' AND series IS NOT NULL"
        )
        while cursor.fetchmany(250_000):
            pass
        floor_s = time.perf_counter() - t0
        conn.close()
        t0 = time.perf_counter()
        data = load_adoption(home.data_path, "downloads_30d")
        load_s = time.perf_counter() - t0
        print(f"adoption_load_floor_{tag}: {floor_s:.2f} s (the same rows' values alone, fetched through sqlite3)")
        print(
            f"adoption_load_{tag}: {load_s:.2f} s (one-off, on the task runner; "
            + (f"target <= {load_target:g} s; " if load_target else "no target; ")
            + f"ratio {load_s / floor_s:.1f}x the floor)"
        )

        view = AdoptionView(home)
        view.resize(1400, 900)
        view._on_loaded(data)  # what the Loader does when the task is done
        app.processEvents()

        regroup: list[float] = []
        for _ in range(7):
            for by in ("organization", "family", "country"):
                t0 = time.perf_counter()
                view.set_grouping(by)
                regroup.append(time.perf_counter() - t0)
        med = statistics.median(regroup)
        print(
            f"adoption_regroup_{tag}: {med * 1000:.1f} ms median, max {max(regroup) * 1000:.1f} ms"
            f" (target <= {target_s * 1000:.0f} ms)"
        )

        dates = data["frame"]["date"]
        lo, hi = dates.min(), dates.max()
        rng = random.Random(3)
        filtering: list[float] = []
        for _ in range(20):
            a = lo + (hi - lo) * rng.uniform(0, 0.6)
            b = a + (hi - a) * rng.uniform(0.2, 1.0)
            t0 = time.perf_counter()
            view.set_date_range(pd.Timestamp(a), pd.Timestamp(b))
            filtering.append(time.perf_counter() - t0)
        med_f = statistics.median(filtering)
        print(
            f"adoption_filter_dates_{tag}: {med_f * 1000:.1f} ms median, max {max(filtering) * 1000:.1f} ms"
            f" (target <= {target_s * 1000:.0f} ms)"
        )

        view.reset_view()
        share_index = [m[0] for m in MEASURES].index("share")
        shares: list[float] = []
        for panel in ("all", "fixed", "all"):
            view.metric_combo.setCurrentIndex(share_index)
            view.set_panel(panel)
            for _ in range(5):
                t0 = time.perf_counter()
                view.regroup()
                shares.append(time.perf_counter() - t0)
        print(
            f"adoption_share_{tag}: {statistics.median(shares) * 1000:.1f} ms median, max {max(shares) * 1000:.1f} ms"
            f" (all repos and fixed panel; target <= {target_s * 1000:.0f} ms)"
        )
        view.metric_combo.setCurrentIndex(0)
        view.set_panel("all")

        import numpy as np

        cube = view.selection.cube
        onehot = np.zeros((cube.n_subjects, 40))
        onehot[np.arange(cube.n_subjects), np.arange(cube.n_subjects) % 40] = 1.0
        dense = np.nan_to_num(cube.values)
        floor: list[float] = []
        for _ in range(15):
            t0 = time.perf_counter()
            _ = dense @ onehot
            floor.append(time.perf_counter() - t0)
        print(
            f"floor_matrix_product_{tag}: {statistics.median(floor) * 1000:.1f} ms median (the sum a regroup cannot avoid)"
        )

        painted: list[float] = []
        for by in ("organization", "family", "country") * 3:
            t0 = time.perf_counter()
            view.set_grouping(by)
            view.chart.grab()  # force a full paint of the chart offscreen
            painted.append(time.perf_counter() - t0)
        print(
            f"adoption_regroup_and_paint_{tag}: {statistics.median(painted) * 1000:.1f} ms median"
            f" (target <= {target_s * 1000:.0f} ms)"
        )
        view.deleteLater()
        app.processEvents()
    peak = peak_rss_mb()
    print(
        f"adoption_peak_rss_{tag}: {peak:.0f} MB (the whole process: load, view, regroups"
        + (f"; target <= {rss_target} MB)" if rss_target else ")")
    )
    return 0


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for n_repos in TARGETS:
            path = Path(tmp) / f"bench-{n_repos}.sqlite"
            t0 = time.perf_counter()
            n = build_db(path, n_repos)
            print(
                f"generated_observations: {n:,} in {time.perf_counter() - t0:.1f} s (setup, not a target)", flush=True
            )
            done = subprocess.run(
                [sys.executable, __file__, "--measure", str(path), str(n_repos)], capture_output=True, text=True
            )
            print(done.stdout, end="", flush=True)
            if done.returncode:
                print(f"!! {n_repos} repos: {done.stderr[-2000:]}")
                return 1
            path.unlink()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        sys.exit(measure(sys.argv[2], int(sys.argv[3])))
    sys.exit(main())
