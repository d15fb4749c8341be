"""The Forecast series' columns are running sums of daily 30-day readings (docs/methods.md): check
the derivation on the raw file, and that every shipped Forecast reading is what it derives."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build():
    sys.path.insert(0, str(ROOT / "data" / "build"))
    try:
        yield importlib.import_module("adoption")
    finally:
        sys.path.remove(str(ROOT / "data" / "build"))


@pytest.fixture(scope="module")
def raw(build):
    repos, dates, values = build.forecast_matrix()
    return repos, dates, values, build.forecast_readings(values)


def test_llama_8b_instruct_reads_as_the_30_day_counter(raw):
    repos, dates, values, readings = raw
    i = repos.index("meta-llama/Llama-3.1-8B-Instruct")
    first = dates.index("2024-09-26")
    assert np.all(values[i, :first] == 0)  # not tracked before: zero, not "no downloads yet"
    assert values[i, first] == 3_144_344
    assert readings[i, first] == 3_144_344  # the first value is that day's reading
    assert readings[i, first + 1] == values[i, first + 1] - values[i, first] == 3_134_749
    # the next day repeats that increase exactly: a filled-in day, not a reading
    assert values[i, first + 2] - values[i, first + 1] == 3_134_749
    assert np.isnan(readings[i, first + 2])
    # the raw column is the running sum of the daily increases, ending near 0.71 billion
    assert values[i, -1] == 709_848_441
    assert values[i, -1] == values[i, first] + np.sum(np.diff(values[i, first:]))


def test_first_value_matches_the_next_days_increase_for_old_repos(raw, build):
    """A repo already 40+ days old when tracking began: its first value is about one day's
    increase (a 30-day count), never the repo's all-time total."""
    repos, dates, values, _ = raw
    import pandas as pd

    created = {}
    base = ROOT / "data" / "raw" / "hf_adoption" / "forecast_hf" / "2025-02-18" / "download"
    for f in sorted(base.glob("*.csv")):
        d = pd.read_csv(f, usecols=["model", "created_at"])
        created.update(zip(d["model"], pd.to_datetime(d["created_at"], utc=True, errors="coerce")))
    ratios = []
    for i, repo in enumerate(repos):
        pos = np.flatnonzero(values[i] > 0)
        if len(pos) < 2 or pd.isna(created.get(repo)):
            continue
        start = pd.Timestamp(dates[pos[0]], tz="UTC")
        if (start - created[repo]).days > 40:
            ratios.append((values[i, pos[0] + 1] - values[i, pos[0]]) / values[i, pos[0]])
    assert len(ratios) >= 40
    assert 0.9 <= float(np.median(ratios)) <= 1.15


def test_no_reading_is_negative_and_filled_days_are_found(raw, build):
    _, dates, values, readings = raw
    assert np.nanmin(readings) >= 0
    filled = {dates[j] for j in build.filled_days(values, readings)}
    assert {"2024-11-04", "2024-12-09", "2025-01-07"} <= filled
    assert "2024-10-01" not in filled
    days = [dates[j] for j in build.forecast_sample_days(dates, build.filled_days(values, readings))]
    assert "2025-01-07" not in days and "2025-01-06" in days  # a sample on a filled day moves back
    assert days[0] == "2024-07-02" and days[-1] == "2025-02-18"


def test_shipped_forecast_readings_equal_the_derivation(raw):
    repos, dates, _, readings = raw
    row = {r: i for i, r in enumerate(repos)}
    col = {d: j for j, d in enumerate(dates)}
    shipped = 0
    with (ROOT / "data" / "records" / "adoption.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["sources"] == ["forecast-hf-models"]:
                assert rec["metric"] != "downloads_total"  # the mislabelled series left the records
            if rec.get("series") == "forecast" and rec["metric"] == "downloads_30d":
                assert rec["value"] == readings[row[rec["subject"]], col[rec["as_of"]]]
                assert rec["period_start"] < rec["as_of"]
                shipped += 1
    assert shipped > 10_000
