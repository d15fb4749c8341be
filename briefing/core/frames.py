"""Store rows -> pandas DataFrames for the charts, tables and exports (no Qt here).

Adoption is loaded once (`adoption_frame`, possibly millions of rows: call it from a worker) and
regrouped many times (`group_adoption`, vectorised, no per-row Python). Grouping rule:

* every observed subject (an HF repo or a model) is a series of (date, value);
* each subject's series is forward-filled onto the union of all dates in the frame, so a subject
  observed on 1 July and 15 July still counts on 8 July when another subject was observed then.
  Cumulative metrics (downloads_total, likes, derivatives) are also carried forward past a subject's
  last observation, since a running total never falls; for downloads_30d (a window) and
  download_share values are only filled *between* a subject's first and last observations.
* before a subject's first observation it counts as absent, never as zero;
* a group's value at a date is the sum over its subjects present at that date (NaN if none are).

Subjects whose repo is not in the catalogue are attributed by the repo's namespace (organization and
country, no model or family) and otherwise grouped under ``OTHER`` ("Other (not in catalogue)":
third-party re-uploads, image models, test repos...), so nothing is dropped; charts may hide that
group by default but must say so (`other_note`).
All functions are pure and thread-agnostic; a `Store` passed in must belong to the calling thread.
"""

from __future__ import annotations

import weakref
from typing import Any, Literal

import numpy as np
import pandas as pd

from briefing.core import numbers
from briefing.core.store import Store

OTHER = "Other (not in catalogue)"
GROUPINGS = ("country", "organization", "family")
CUMULATIVE_METRICS = {"downloads_total", "likes", "derivatives"}
ADOPTION_COLUMNS = ["date", "subject", "value", "model", "family", "organization", "organization_name", "country"]
Grouping = Literal["country", "organization", "family"]


# -- adoption ---------------------------------------------------------------------------------
def _dates(strings: pd.Series | np.ndarray) -> pd.DatetimeIndex | np.ndarray:
    """ISO date strings -> datetime64, parsing each distinct date once (1M rows hold few dates)."""
    codes, uniques = pd.factorize(np.asarray(strings, dtype=object))
    parsed = pd.to_datetime(pd.Index(uniques, dtype=object), format="%Y-%m-%d").to_numpy()
    return parsed[codes]


def _attribution(store: Store) -> tuple[dict[str, tuple], dict[str, tuple], dict[str, str]]:
    """(repo -> attrs, namespace -> attrs, model id -> attrs) with attrs (model, family, org, country)."""
    repos: dict[str, tuple] = {}
    namespaces: dict[str, tuple] = {}
    for key, model, family, org, country in store.repo_index():
        if model is not None:
            repos.setdefault(key, (model, family, org, country))
        else:
            namespaces.setdefault(key, (None, None, org, country))
    orgs = {o["id"]: o for o in store.records("organization")}
    models = {
        m["id"]: (m["id"], m["family"], m["organization"], orgs.get(m["organization"], {}).get("country"))
        for m in store.records("model")
    }
    return repos, namespaces, models


def adoption_frame(store: Store, *, metric: str = "downloads_total") -> pd.DataFrame:
    """One row per HF-repo or model observation of `metric`, with its attribution.

    Columns: date (datetime64), subject, value (float), model, family, organization (id),
    organization_name, country — all but date/value categorical; attribution is the catalogue's
    exact repo match, else the repo's namespace (organization and country only). `frame.attrs`
    holds "metric". Rows are sorted by subject then date.
    """
    rows = store.adoption_series(metric=metric)
    repos, namespaces, models = _attribution(store)
    org_names = {o["id"]: o["name"] for o in store.records("organization")}
    if rows:
        kinds, subjects, as_of, values = zip(*rows)
    else:
        kinds, subjects, as_of, values = (), (), (), ()
    subj = pd.Categorical(np.asarray(subjects, dtype=object))
    kind_by_subject = dict(zip(subjects, kinds))
    # Attribute each distinct subject once, then spread to rows through the category codes.
    attrs = []
    for name in subj.categories:
        if kind_by_subject.get(name) == "model":
            attrs.append(models.get(name, (name, None, None, None)))
            continue
        key = str(name).lower()
        found = repos.get(key) or namespaces.get(key.split("/", 1)[0])
        attrs.append(found or (None, None, None, None))
    codes = subj.codes
    frame = pd.DataFrame({
        "date": _dates(as_of) if rows else np.array([], dtype="datetime64[ns]"),
        "subject": subj,
        "value": np.asarray(values, dtype=float),
    })
    for i, col in enumerate(("model", "family", "organization", "country")):
        per_subject = pd.Categorical([a[i] for a in attrs])
        frame[col] = pd.Categorical.from_codes(
            per_subject.codes[codes] if len(codes) else np.array([], dtype=int), dtype=per_subject.dtype
        )
    names = pd.Categorical([org_names.get(a[2], a[2]) if a[2] else None for a in attrs])
    frame["organization_name"] = pd.Categorical.from_codes(
        names.codes[codes] if len(codes) else np.array([], dtype=int), dtype=names.dtype
    )
    # by subject then date (the store returns rows unordered; sorting integer codes is cheap)
    order = np.lexsort((frame["date"].to_numpy(), codes)) if len(codes) else np.array([], dtype=int)
    frame = frame[ADOPTION_COLUMNS].take(order).reset_index(drop=True)
    frame.attrs["metric"] = metric
    return frame


class _Cube:
    """A frame as a dense (dates x subjects) matrix, filled by the module's rule, built once per frame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        metric = frame.attrs.get("metric", "downloads_total")
        date_codes, dates = pd.factorize(frame["date"], sort=True)
        self.dates = pd.DatetimeIndex(dates)
        subj_codes = frame["subject"].cat.codes.to_numpy() if len(frame) else np.array([], dtype=int)
        n_subj = len(frame["subject"].cat.categories)
        dense = np.full((len(self.dates), n_subj), np.nan)
        dense[date_codes, subj_codes] = frame["value"].to_numpy()
        # forward fill down each column: index of the last observed row so far (0 before any)
        seen = ~np.isnan(dense)
        last_row = np.maximum.accumulate(np.where(seen, np.arange(len(dense))[:, None], 0), axis=0)
        filled = dense[last_row, np.arange(n_subj)[None, :]]
        if metric not in CUMULATIVE_METRICS and dense.size:
            # windows and shares: fill gaps, never extend past a subject's last observation
            last = np.where(seen.any(axis=0), len(dense) - 1 - np.argmax(seen[::-1], axis=0), -1)
            filled[np.arange(len(dense))[:, None] > last[None, :]] = np.nan
        self.present = (~np.isnan(filled)).astype(np.float64)
        self.values = np.nan_to_num(filled, nan=0.0)
        self.subject_codes = subj_codes
        self.n_subjects = n_subj

    def group_codes(self, frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
        """Per-subject group code (attribution is constant per subject) and group labels."""
        col = frame[column]
        labels = [str(c) for c in col.cat.categories]
        per_subject = np.full(self.n_subjects, -1, dtype=np.int64)
        per_subject[self.subject_codes] = col.cat.codes.to_numpy()
        if (per_subject < 0).any():
            per_subject[per_subject < 0] = len(labels)
            labels.append(OTHER)
        return per_subject, labels


_CUBES: dict[int, _Cube] = {}


def _cube(frame: pd.DataFrame) -> _Cube:
    key = id(frame)
    cube = _CUBES.get(key)
    if cube is None:
        cube = _CUBES[key] = _Cube(frame)
        weakref.finalize(frame, _CUBES.pop, key, None)
    return cube


def group_adoption(
    frame: pd.DataFrame, by: Grouping, *, start: Any = None, end: Any = None,
) -> pd.DataFrame:
    """Wide frame: index date, one column per group (by the module's fill rule), summed per date.

    `by` is "country", "organization" (columns are organization names) or "family". `start`/`end`
    (inclusive, anything pandas reads as a date) cut the dates after filling, so a value observed
    before `start` still counts at `start`. Columns are ordered by their last value, largest first.
    Treat `frame` as immutable: its dense form is cached for as long as it lives.
    """
    if by not in GROUPINGS:
        raise ValueError(f"cannot group adoption by {by!r}")
    cube = _cube(frame)
    column = "organization_name" if by == "organization" else by
    codes, labels = cube.group_codes(frame, column)
    lo = 0 if start is None else int(cube.dates.searchsorted(pd.Timestamp(start), "left"))
    hi = len(cube.dates) if end is None else int(cube.dates.searchsorted(pd.Timestamp(end), "right"))
    onehot = np.zeros((cube.n_subjects, len(labels)))
    onehot[np.arange(cube.n_subjects), codes] = 1.0
    sums = cube.values[lo:hi] @ onehot
    counts = cube.present[lo:hi] @ onehot
    sums[counts == 0] = np.nan
    out = pd.DataFrame(sums, index=cube.dates[lo:hi], columns=labels)
    out.index.name = "date"
    out = out.loc[:, counts.sum(axis=0) > 0]
    if len(out):
        last = out.ffill().iloc[-1].fillna(0)
        order = sorted(out.columns, key=lambda c: (-last[c], c))
        out = out[order]
    out.columns.name = by
    return out


PLURALS = {"country": "countries", "organization": "organizations", "family": "families"}


def top_groups(wide: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most `limit` columns: the largest `limit - 1` groups (columns are ordered largest first,
    as `group_adoption` leaves them) and one summed column "N more <groups> (combined)" for the
    rest, so a small chart stays legible and nothing is dropped. OTHER is never merged in: it is
    kept as its own column (after the combined one) for callers to show, hide or leave out."""
    other = [c for c in wide.columns if str(c) == OTHER]
    groups = [c for c in wide.columns if str(c) != OTHER]
    if len(groups) <= limit:
        return wide
    keep, rest = groups[: limit - 1], groups[limit - 1:]
    out = wide[keep].copy()
    by = wide.columns.name or "group"
    out[f"{len(rest)} more {PLURALS.get(by, by + 's')} (combined)"] = wide[rest].sum(axis=1, min_count=1)
    for c in other:
        out[c] = wide[c]
    out.columns.name = wide.columns.name
    return out


def unattributed_subjects(frame: pd.DataFrame, by: Grouping) -> int:
    """How many distinct subjects (HF repos or models) of `frame` fall in the OTHER group for `by`."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group adoption by {by!r}")
    if not len(frame):
        return 0
    column = "organization_name" if by == "organization" else by
    per_subject = frame.drop_duplicates("subject")
    return int(per_subject[column].isna().sum())


def other_note(count: int, by: Grouping) -> str:
    """Plain words for the OTHER group, e.g. '141 repositories not attributed to a catalogued developer'."""
    noun = "repository" if count == 1 else "repositories"
    what = "matched to a catalogued model family" if by == "family" else "attributed to a catalogued developer"
    return f"{count:,} {noun} not {what}"


def milestones(store: Store, *, metric: str | None = None) -> pd.DataFrame:
    """Headline adoption figures (family and country records) for labelled chart markers.

    Columns: date, subject_kind, subject, metric, value, unit, label, id, sources; by date.
    """
    recs = store.adoption_records_of(subject_kinds=("family", "country"))
    if metric is not None:
        recs = [r for r in recs if r["metric"] == metric]
    rows = [
        {
            "date": pd.Timestamp(r["as_of"]), "subject_kind": r["subject_kind"], "subject": r["subject"],
            "metric": r["metric"], "value": float(r["value"]), "unit": r["unit"],
            "label": f"{r['subject']}: {numbers.percent(r['value']) if r['unit'] == 'percent' else numbers.number(r['value'], axis=True)}",
            "id": r["id"],
            "sources": list(r["sources"]),
        }
        for r in recs
    ]
    cols = ["date", "subject_kind", "subject", "metric", "value", "unit", "label", "id", "sources"]
    return pd.DataFrame(rows, columns=cols)


def models_frame(store: Store, adoption: pd.DataFrame | None = None) -> pd.DataFrame:
    """The models table: id, name, family, organization, organization_name, country, access, license,
    released_on, parameters, and (given an adoption frame) `latest`, the sum of its subjects' last values."""
    orgs = {o["id"]: o for o in store.records("organization")}
    rows = []
    for m in store.records("model"):
        org = orgs.get(m["organization"], {})
        rows.append({
            "id": m["id"], "name": m["name"], "family": m["family"], "organization": m["organization"],
            "organization_name": org.get("name", m["organization"]), "country": org.get("country"),
            "access": m["access"], "license": m["license"], "released_on": m["released_on"],
            "parameters": m["parameters"], "hf_repos": list(m["hf_repos"]), "sources": list(m["sources"]),
        })
    out = pd.DataFrame(rows, columns=[
        "id", "name", "family", "organization", "organization_name", "country", "access", "license",
        "released_on", "parameters", "hf_repos", "sources",
    ])
    if adoption is not None:
        if len(adoption):
            # rows are by subject then date, so each subject's last row is its latest value
            attributed = adoption.loc[adoption["model"].notna(), ["model", "subject", "value"]]
            latest = attributed.groupby(["model", "subject"], observed=True, sort=False)["value"].last()
            per_model = latest.groupby(level=0, observed=True).sum()
            out["latest"] = out["id"].map(per_model.rename(index=str)).astype(float)
        else:
            out["latest"] = np.nan
    return out


def filter_models(
    frame: pd.DataFrame, *, countries: Any = None, access: Any = None, licenses: Any = None, text: str = "",
) -> pd.DataFrame:
    """Rows whose country/access/license is in the given collections (None = any) and whose name
    contains `text` (case-insensitive, literal)."""
    mask = pd.Series(True, index=frame.index)
    for col, allowed in (("country", countries), ("access", access), ("license", licenses)):
        if allowed is not None:
            mask &= frame[col].isin(list(allowed))
    if text:
        mask &= frame["name"].str.contains(text, case=False, regex=False, na=False)
    return frame.loc[mask]


# -- investment --------------------------------------------------------------------------------
INVESTMENT_COLUMNS = [
    "id", "country", "actor", "title", "amount", "currency", "amount_usd", "usd_basis", "announced_on",
    "horizon_years", "category", "status", "sources", "part_of", "scope", "confirmation", "kind", "overlaps",
    "fx_rate", "fx_month",
]
#: What the investment bars can be coloured by.
INVESTMENT_COLOURS = ("scope", "confirmation", "kind", "status", "category")


def investment_frame(store: Store) -> pd.DataFrame:
    """Every investment record; announced_on as datetime64, amount_usd NaN where not converted;
    scope, confirmation and kind "unassessed" where a (schema-1) record does not say."""
    out = pd.DataFrame(store.records("investment"), columns=INVESTMENT_COLUMNS)
    for col in ("scope", "confirmation", "kind"):
        out[col] = out[col].fillna("unassessed")
    out["announced_on"] = pd.to_datetime(out["announced_on"], format="%Y-%m-%d")
    out["amount_usd"] = out["amount_usd"].astype(float)
    out["amount"] = out["amount"].astype(float)
    return out


def filter_investments(
    frame: pd.DataFrame, *, countries: Any = None, categories: Any = None, statuses: Any = None,
    scopes: Any = None, confirmations: Any = None, start: Any = None, end: Any = None, text: str = "",
) -> pd.DataFrame:
    """Rows matching every given filter (None = any; dates inclusive; text literal, case-insensitive)."""
    mask = pd.Series(True, index=frame.index)
    for col, allowed in (("country", countries), ("category", categories), ("status", statuses),
                         ("scope", scopes), ("confirmation", confirmations)):
        if allowed is not None:
            mask &= frame[col].isin(list(allowed))
    if start is not None:
        mask &= frame["announced_on"] >= pd.Timestamp(start)
    if end is not None:
        mask &= frame["announced_on"] <= pd.Timestamp(end)
    if text:
        hay = frame["title"].fillna("") + "\n" + frame["actor"].fillna("")
        mask &= hay.str.contains(text, case=False, regex=False)
    return frame.loc[mask]


def counted_investments(frame: pd.DataFrame) -> pd.Series:
    """True for the rows whose amount_usd enters a USD sum of `frame`, so nothing is counted twice.

    A row counts when it has a USD figure and no package enclosing it (following `part_of` upwards)
    is itself in `frame` with a USD figure: a component is added only when its package is filtered
    out or cannot be summed in USD, and then it is the best figure there is. A row whose money may
    also be counted in another shown row (`overlaps`, e.g. a fund that also invests in a listed
    package) is left out while that row counts (docs/methods.md; `figures.investment_total` alike).
    """
    base = _inside_package_rule(frame)
    if "overlaps" not in frame:
        return base
    counted_ids = set(frame.loc[base, "id"])
    clash = frame["overlaps"].map(lambda ids: bool(set(ids or ()) & counted_ids))
    return base & ~clash.astype(bool)


def _inside_package_rule(frame: pd.DataFrame) -> pd.Series:
    has_usd = frame["amount_usd"].notna()
    if "part_of" not in frame or not frame["part_of"].notna().any():
        return has_usd
    parent_of = {rid: up for rid, up in zip(frame["id"], frame["part_of"]) if isinstance(up, str)}
    summed = set(frame.loc[has_usd, "id"])

    def inside_summed(rid: str) -> bool:
        seen = {rid}
        up = parent_of.get(rid)
        while up is not None and up not in seen:
            if up in summed:
                return True
            seen.add(up)
            up = parent_of.get(up)
        return False

    return has_usd & ~frame["id"].map(inside_summed).astype(bool)


def investment_components(frame: pd.DataFrame, parent_id: str) -> pd.DataFrame:
    """The rows of `frame` that declare themselves part of `parent_id` (direct components), by date."""
    if "part_of" not in frame:
        return frame.iloc[0:0]
    return frame.loc[frame["part_of"] == parent_id].sort_values(["announced_on", "id"], kind="stable")


def investment_by_country(frame: pd.DataFrame, colour_by: str = "scope") -> pd.DataFrame:
    """USD totals: index country, one column per value of `colour_by` (INVESTMENT_COLOURS), ordered
    by total, largest first.

    Records without an amount_usd cannot be summed in USD and are left out (the table still lists them,
    and `unconverted` names them); so are components of a package that is itself summed and money
    counted in an overlapping row (see `counted_investments`).
    """
    if colour_by not in INVESTMENT_COLOURS:
        raise ValueError(f"cannot colour investments by {colour_by!r}")
    usd = frame.loc[counted_investments(frame)]
    wide = usd.pivot_table(index="country", columns=colour_by, values="amount_usd", aggfunc="sum", fill_value=0.0)
    if wide.empty:
        return pd.DataFrame(index=pd.Index([], name="country"))
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    wide.columns = [str(c) for c in wide.columns]
    wide.columns.name = colour_by
    return wide.astype(float)


def unconverted(frame: pd.DataFrame) -> list[str]:
    """'Germany: 5,500,000,000 EUR'-style names of the top-level rows that have no USD figure (no
    official rate), for the chart itself to name what its bars leave out."""
    ids = set(frame["id"])
    rows = frame.loc[frame["amount_usd"].isna() & ~frame["part_of"].isin(ids)]
    return [f"{r.country} {numbers.number(r.amount, style='full')} {r.currency}" for r in rows.itertuples()]


# -- policy ------------------------------------------------------------------------------------
POLICY_COLUMNS = [
    "date", "jurisdiction", "instrument", "stage", "stance", "relevance", "topics", "title", "id", "body",
    "effective_on", "published_on", "scheduled", "summary", "identifiers", "related", "sources",
]


def policy_frame(store: Store) -> pd.DataFrame:
    """Every policy action, by date then id; `stance` is the record's stance_on_open_models."""
    recs = store.records("policy_action")
    rows = [{**r, "stance": r["stance_on_open_models"]} for r in recs]
    out = pd.DataFrame(rows, columns=POLICY_COLUMNS)
    out["date"] = pd.to_datetime(out["date"], format="%Y-%m-%d")
    return out.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def policy_data_date(frame: pd.DataFrame) -> str:
    """The latest action date in `frame` that is not a scheduled milestone (ISO), '' if none: a chart
    is dated by what had happened, never by a date still to come."""
    done = frame.loc[~frame["scheduled"].fillna(False).astype(bool), "date"] if len(frame) else frame["date"]
    return done.max().strftime("%Y-%m-%d") if len(done) else ""


def filter_policy(
    frame: pd.DataFrame, *, jurisdictions: Any = None, instruments: Any = None, stages: Any = None,
    stances: Any = None, relevances: Any = None, topics: Any = None, start: Any = None, end: Any = None,
    text: str = "",
) -> pd.DataFrame:
    """Rows matching every given filter (None = any; dates inclusive; text literal, case-insensitive).
    `relevances` matches the relevance level (None in the data = unassessed, matched by "unassessed");
    `topics` keeps rows tagged with any of the given topics."""
    mask = pd.Series(True, index=frame.index)
    for col, allowed in (
        ("jurisdiction", jurisdictions), ("instrument", instruments), ("stage", stages), ("stance", stances),
    ):
        if allowed is not None:
            mask &= frame[col].isin(list(allowed))
    if relevances is not None:
        mask &= frame["relevance"].fillna("unassessed").isin(list(relevances))
    if topics is not None:
        wanted = set(topics)
        mask &= frame["topics"].map(lambda ts: bool(wanted & set(ts or ()))).astype(bool)
    if start is not None:
        mask &= frame["date"] >= pd.Timestamp(start)
    if end is not None:
        mask &= frame["date"] <= pd.Timestamp(end)
    if text:
        hay = frame["title"].fillna("") + "\n" + frame["body"].fillna("") + "\n" + frame["summary"].fillna("")
        mask &= hay.str.contains(text, case=False, regex=False)
    return frame.loc[mask]
