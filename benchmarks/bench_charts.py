"""Adoption chart figures on a generated database of 1,000,000 readings.

Builds a real SQLite data file (fixture snapshot + 40 organizations in 8 countries, 600 catalogued
models in 30 families, 2,000 HF repos of which 100 have an unknown namespace, 500 weekly 30-day
download readings each in one Hub-sync series, with staggered starts), loads it once the way the
Adoption view does (off the GUI thread in the app), then times, on an offscreen AdoptionView:

* regrouping country -> organization -> family (select + group + setData on the chart, the dot
  of every reading included), and
* filtering to a date range (the range selector: the same with start/end),
* the developer-country share (shares + the stacked chart), and the fixed-panel share,

each a median over many runs; target <= 150 ms. Also printed: the one-off load, and a regroup
including an offscreen repaint of the chart. A floor in the same run: the bare numpy matrix
product a regroup cannot avoid.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_S = 0.150
N_REPOS = 2_000
N_OBS = 500
N_ORGS = 40
N_MODELS = 600
COUNTRIES = ["US", "CN", "FR", "DE", "GB", "AE", "KR", "JP"]


def build_db(path: Path) -> int:
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
        orgs = [validate("organization", {
            "id": f"bench-org-{i}", "name": f"Bench Org {i}", "country": COUNTRIES[i % len(COUNTRIES)],
            "kind": "company", "hf_namespaces": [f"bench-org-{i}"], "sources": [src],
        }) for i in range(N_ORGS)]
        store.put_records("organization", orgs, origin="local")
        repos = [f"bench-org-{i % N_ORGS}/model-{i}" if i % 20 else f"stranger-{i}/model-{i}" for i in range(N_REPOS)]
        models = [validate("model", {
            "id": f"bench-model-{i}", "name": f"Bench Model {i}", "family": f"Family {i % 30}",
            "organization": f"bench-org-{i % N_ORGS}", "released_on": "2020-01-01", "access": "open_weights",
            "hf_repos": [repos[i]], "sources": [src],
        }) for i in range(1, N_MODELS + 1)]
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


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import pandas as pd

    from briefing.core.home import Home
    from briefing.ui.views.adoption import MEASURES, AdoptionView, load_adoption

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        t0 = time.perf_counter()
        n = build_db(tmp_path / "bench.sqlite")
        print(f"generated_observations: {n:,} in {time.perf_counter() - t0:.1f} s (setup, not a target)")
        home = Home.open(tmp_path / "home", bundled=tmp_path / "bench.sqlite")

        t0 = time.perf_counter()
        data = load_adoption(home.data_path, "downloads_30d")
        load_s = time.perf_counter() - t0
        print(f"adoption_load_1m: {load_s:.2f} s (one-off, on the task runner; no target)")

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
        print(f"adoption_regroup_1m: {med * 1000:.1f} ms median, max {max(regroup) * 1000:.1f} ms"
              f" (target <= {TARGET_S * 1000:.0f} ms)")

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
        print(f"adoption_filter_dates_1m: {med_f * 1000:.1f} ms median, max {max(filtering) * 1000:.1f} ms"
              f" (target <= {TARGET_S * 1000:.0f} ms)")

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
        print(f"adoption_share_1m: {statistics.median(shares) * 1000:.1f} ms median, max {max(shares) * 1000:.1f} ms"
              f" (all repos and fixed panel; target <= {TARGET_S * 1000:.0f} ms)")
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
        print(f"floor_matrix_product_1m: {statistics.median(floor) * 1000:.1f} ms median (the sum a regroup cannot avoid)")

        painted: list[float] = []
        for by in ("organization", "family", "country") * 3:
            t0 = time.perf_counter()
            view.set_grouping(by)
            view.chart.grab()  # force a full paint of the chart offscreen
            painted.append(time.perf_counter() - t0)
        print(f"adoption_regroup_and_paint_1m: {statistics.median(painted) * 1000:.1f} ms median"
              f" (target <= {TARGET_S * 1000:.0f} ms)")
        view.deleteLater()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
