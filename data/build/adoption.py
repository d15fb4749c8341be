"""Adoption importer: dated Hugging Face readings per repo, and derivative counts.

The one download measure is `downloads_30d`: the Hub's own `downloads` field, a rolling ~30-day
count, read at a date. Each record belongs to a *series* (one collection of readings by one
source, see `SERIES`); a *reading* is one series at one date, and its coverage is the set of
repos it holds. Sources:

* ForecastHuggingFaceModels (Bhandari et al., MIT): the `download/*.csv` columns are not
  cumulative downloads. Each repo starts at its first tracked value and then grows every day by
  that day's reading of the 30-day counter (docs/methods.md, "The Forecast series"). So the
  readings are the first value and the day-to-day increments (`forecast_readings`); one per
  week is shipped. The raw file stays in data/raw with its caveat.
* llmfit (MIT): 14 dated re-scrapes of the Hub `downloads` field by AlexsJones/llmfit, plus the
  rauletorresc fork's full file of 2026-03-01.
* daily-huggingface (MIT): the Hub's trending list, 12 models a day; a selection (trending,
  not most downloaded), kept as its own series.

Deterministic: no clock reads, sorted output.
"""
import datetime as dt
import os
import re

import numpy as np
import pandas as pd

from common import RAW, slug

FORECAST = os.path.join(RAW, "hf_adoption", "forecast_hf", "2025-02-18")
LLMFIT_FORK = os.path.join(RAW, "hf_adoption", "llmfit_hf_models_2026-03-01.csv")
LLMFIT_HISTORY = os.path.join(RAW, "hf_adoption", "llmfit_history",
                              "llmfit_hf_downloads_30d_history_2026-02_to_2026-05.csv")
TRENDING = os.path.join(RAW, "hf_adoption", "daily_huggingface_top_trending_models.csv")

SRC_FORECAST = "forecast-hf-models"
SRC_LLMFIT_FORK = "llmfit-hf-models"
SRC_TRENDING = "daily-huggingface-trending"
SOURCE_TRENDING = {
    "id": SRC_TRENDING, "url": "https://github.com/hyeonseo2/daily-huggingface",
    "title": "daily-huggingface newsletters/daily-huggingface-YYYY-MM-DD.md: the Hub's trending models with their "
             "downloads and likes, 2025-09-28 to 2026-08-22 (commit b298497)",
    "publisher": "hyeonseo2/daily-huggingface (GitHub)", "published_on": "2026-08-22", "retrieved_on": "2026-12-01",
    "reliability": "secondary", "license": "MIT", "grade": "weak",
}
LLMFIT_REPO = "https://github.com/AlexsJones/llmfit"
LLMFIT_PATH = "llmfit-core/data/hf_models.json"

#: The series keys (mirrored by briefing.core.records.ENUMS["series"]).
SERIES = ("forecast", "llmfit", "trending", "hub_orgs", "hub_top")
WINDOW_DAYS = 30  # Hugging Face: "downloads of the model over the last 30 days"
WEEK = 7
#: A day on which at least this share of tracked repos repeats the previous day's increment (or
#: shows none) is a day the authors filled in; a sample falling on it moves to the day before.
FILLED_DAY_SHARE = 0.5


def hf_slug(repo):
    return slug(repo.replace("/", "--"))


def window_start(day):
    return (dt.date.fromisoformat(day) - dt.timedelta(days=WINDOW_DAYS)).isoformat()


def reading(series, repo, metric, value, day, method, sources):
    """One dated observation of one repo in one series."""
    return {
        "id": f"{series}.{hf_slug(repo)}.{metric}.{day}", "subject_kind": "hf_repo", "subject": repo,
        "metric": metric, "value": int(value), "unit": "count", "as_of": day,
        "period_start": window_start(day) if metric == "downloads_30d" else None,
        "method": method, "series": series, "sources": list(sources),
    }


# ---------------------------------------------------------------- the Forecast series
def forecast_matrix():
    """(repos, ISO dates, values) of every download/*.csv: one row per repo, one column per day."""
    base = os.path.join(FORECAST, "download")
    frames = [pd.read_csv(os.path.join(base, f)) for f in sorted(os.listdir(base)) if f.endswith(".csv")]
    d = pd.concat(frames, ignore_index=True)
    cols = sorted(c for c in d.columns if re.match(r"^\d{4}-\d{2}-\d{2}", c))
    return list(d["model"].astype(str)), [c[:10] for c in cols], d[cols].to_numpy(dtype=float)


def forecast_readings(values):
    """The daily 30-day readings behind the Forecast columns, NaN where there is none.

    Per repo (row): nothing before its first positive value; the first positive value is that
    day's reading; each later day's reading is the increase over the day before. Two kinds of
    increase are not readings and become NaN: an exact repeat of the previous day's increase (a
    day the authors filled in with the last one) and a zero between two positive readings (a
    missed day: a rolling 30-day count cannot drop to zero and come back overnight).
    """
    out = np.full(values.shape, np.nan)
    for i, row in enumerate(values):
        pos = np.flatnonzero(row > 0)
        if not len(pos):
            continue
        s = pos[0]
        inc = np.concatenate([[row[s]], np.diff(row[s:])])
        repeat = np.zeros(len(inc), dtype=bool)
        repeat[1:] = inc[1:] == inc[:-1]
        zero = np.zeros(len(inc), dtype=bool)
        zero[1:-1] = (inc[1:-1] == 0) & (inc[:-2] > 0) & (inc[2:] > 0)
        inc[repeat | zero] = np.nan
        out[i, s:] = inc
    return out


def filled_days(values, readings):
    """Column indexes of days the authors filled in for most tracked repos (see FILLED_DAY_SHARE)."""
    tracked = np.zeros(values.shape, dtype=bool)
    for i, row in enumerate(values):
        pos = np.flatnonzero(row > 0)
        if len(pos):
            tracked[i, pos[0]:] = True
    missing = tracked & np.isnan(readings)
    n = tracked.sum(axis=0)
    share = np.divide(missing.sum(axis=0), n, out=np.zeros(len(n)), where=n > 0)
    return {j for j in range(values.shape[1]) if n[j] and share[j] >= FILLED_DAY_SHARE}


def forecast_sample_days(dates, filled):
    """One column per week (every 7th day from the first, and the last), each moved back to the
    nearest day that is not a filled day (at most 3 days)."""
    picks = list(range(0, len(dates), WEEK))
    if picks[-1] != len(dates) - 1:
        picks.append(len(dates) - 1)
    out = []
    for j in picks:
        k = j
        while k in filled and j - k < 3 and k > 0:
            k -= 1
        out.append(k if k not in filled else j)
    return sorted(set(out))


def adoption_forecast(log):
    repos, dates, values = forecast_matrix()
    readings = forecast_readings(values)
    filled = filled_days(values, readings)
    days = forecast_sample_days(dates, filled)
    log.append(f"forecast: {len(filled)} filled-in days; weekly samples on {len(days)} days")
    method = ("Hub 30-day downloads this day: the Forecast series' first value or the day's increase "
              "(docs/methods.md). Weekly sample.")
    out = []
    for i, repo in enumerate(repos):
        if "/" not in repo:
            continue
        for j in days:
            v = readings[i, j]
            if np.isnan(v):
                continue
            out.append(reading("forecast", repo, "downloads_30d", v, dates[j], method, [SRC_FORECAST]))
    return out


def adoption_finetune(log):
    """Cumulative fine-tune counts per base repo, one record per monthly bin of the authors' series,
    dated that many months after the repo's creation (never after the snapshot date)."""
    out = []
    base = os.path.join(FORECAST, "finetune")
    method = "Fine-tunes on the Hub naming this repo as base model, {k} months after its creation (Forecast series)."
    seen = set()
    last_day = dt.date(2025, 2, 18)
    for f in sorted(os.listdir(base)):
        d = pd.read_csv(os.path.join(base, f))
        months = sorted((c for c in d.columns if re.match(r"^\d+-month$", c)), key=lambda c: int(c.split("-")[0]))
        for _, row in d.iterrows():
            repo = str(row["model"])
            created = str(row.get("created_at", ""))[:10]
            if "/" not in repo or repo in seen or not re.match(r"^\d{4}-\d{2}-\d{2}$", created):
                continue
            seen.add(repo)
            start = dt.date.fromisoformat(created)
            points = []
            for c in months:
                v = row[c]
                if pd.isna(v):
                    continue
                k = int(c.split("-")[0])
                y, m = divmod(start.month - 1 + k, 12)
                day = min(start.day, 28)
                when = min(dt.date(start.year + y, m + 1, day), last_day)
                points.append((when.isoformat(), k, int(v)))
            # every sixth bin and the last: enough for a curve at a sixth of the rows; zeros (no
            # fine-tune yet) add nothing to a sum and are left out (docs/methods.md)
            keep = [p for n, p in enumerate(points) if (n % 6 == 0 or n == len(points) - 1) and p[2] > 0]
            for when, k, v in dict((p[0], p) for p in keep).values():
                rec = reading("forecast", repo, "derivatives", v, when, method.format(k=k), [SRC_FORECAST])
                rec["period_start"] = created
                out.append(rec)
    return out


# ---------------------------------------------------------------- llmfit
def llmfit_source(commit, when):
    day = when[:10]
    return {"id": f"llmfit-hf-models-{commit[:7]}", "url": f"{LLMFIT_REPO}/blob/{commit}/{LLMFIT_PATH}",
            "title": f"llmfit {LLMFIT_PATH} at commit {commit[:7]} ({day}): Hugging Face model list with 30-day downloads",
            "publisher": "AlexsJones/llmfit (GitHub)", "published_on": day, "retrieved_on": "2026-12-01",
            "reliability": "secondary", "license": "MIT", "grade": "reputable"}


def adoption_llmfit(log):
    """llmfit readings: the fork's full 2026-03-01 file and the upstream history's scrapes.

    The upstream version of 2026-03-01 is partial (72 repos) and equal to the fork's file for
    those repos, so the fork's 514-repo file stands for that date. A zero is a fallback row for a
    gated repo in llmfit's scraper, not a reading: left out.
    """
    out, sources = [], {}
    fork = pd.read_csv(LLMFIT_FORK)
    m30 = "Hub 30-day downloads, scraped by llmfit; file of {day}."
    mlk = "Hub likes, scraped by the llmfit project; file dated {day}."
    for _, r in fork.sort_values("repo_id").iterrows():
        repo = str(r["repo_id"])
        if "/" not in repo:
            continue
        if pd.notna(r["hf_downloads_last30d"]) and int(r["hf_downloads_last30d"]) > 0:
            out.append(reading("llmfit", repo, "downloads_30d", r["hf_downloads_last30d"], "2026-03-01",
                               m30.format(day="2026-03-01"), [SRC_LLMFIT_FORK]))
    hist = pd.read_csv(LLMFIT_HISTORY)
    hist["day"] = pd.to_datetime(hist["commit_date_utc"], utc=True).dt.strftime("%Y-%m-%d")
    # likes are a side metric: the latest scrape's only (one reading, drawn as bars), not all 14
    last_day = hist["day"].max()
    for (commit, when, day), snap in hist.groupby(["snapshot_commit", "commit_date_utc", "day"], sort=True):
        if day == "2026-03-01":
            continue  # the fork's full file of that day (see above)
        src = llmfit_source(commit, str(pd.Timestamp(when).tz_convert("UTC")))
        sources[src["id"]] = src
        method = m30.format(day=day) + f" Commit {commit[:7]}."
        # Hub ids are case-insensitive: a repo listed twice in two spellings (same downloads) is one
        snap = snap.assign(_key=snap["repo_id"].str.lower()).sort_values(["_key", "hf_likes", "repo_id"],
                                                                          ascending=[True, False, True])
        snap = snap.drop_duplicates("_key")
        for _, r in snap.iterrows():
            repo = str(r["repo_id"])
            if "/" not in repo:
                continue
            if pd.notna(r["hf_downloads_30d"]) and int(r["hf_downloads_30d"]) > 0:
                out.append(reading("llmfit", repo, "downloads_30d", r["hf_downloads_30d"], day, method, [src["id"]]))
            if pd.notna(r["hf_likes"]) and day == last_day:
                out.append(reading("llmfit", repo, "likes", r["hf_likes"], day, mlk.format(day=day), [src["id"]]))
    days = sorted({r["as_of"] for r in out if r["metric"] == "downloads_30d"})
    log.append(f"llmfit: {len(days)} readings {days[0]} .. {days[-1]}")
    return out, sources


# ---------------------------------------------------------------- trending list
def adoption_trending(log):
    """The daily-huggingface newsletter's list: 12 models a day, picked by the Hub's trending
    sort (recent likes), with their `downloads` as the newsletter printed them (rounded in later
    issues). A selection of new, rising models: its own series, never a panel of the Hub."""
    d = pd.read_csv(TRENDING)
    method = ("Hub 30-day downloads as printed (rounded later) for a model on the trending list of {day} "
              "(12 a day, chosen by trending).")
    out = {}
    for _, r in d.sort_values(["newsletter_date", "repo_id"]).iterrows():
        repo, day = str(r["repo_id"]), str(r["newsletter_date"])
        if "/" not in repo or pd.isna(r["downloads"]):
            continue
        rec = reading("trending", repo, "downloads_30d", r["downloads"], day, method.format(day=day), [SRC_TRENDING])
        out[rec["id"]] = rec  # a repo listed in two sections of one issue counts once
    log.append(f"trending: {d['newsletter_date'].nunique()} daily lists")
    return list(out.values())


def build(log):
    """(adoption records, extra source records) from every raw adoption file."""
    llm, llm_sources = adoption_llmfit(log)
    records = adoption_forecast(log) + adoption_finetune(log) + llm + adoption_trending(log)
    return records, {**llm_sources, SRC_TRENDING: SOURCE_TRENDING}
