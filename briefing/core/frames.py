"""Store rows -> pandas DataFrames for the tables, charts and exports (no Qt here).

Adoption readings (per series, attributed, with coverage) live in `briefing.core.readings`; this
module holds the models table, the investment frames and the policy frame.
All functions are pure and thread-agnostic; a `Store` passed in must belong to the calling thread.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from briefing.core import figures, numbers
from briefing.core.store import Store

Grouping = Literal["country", "organization", "family"]


def models_frame(store: Store, adoption: pd.DataFrame | None = None) -> pd.DataFrame:
    """The models table: id, name, family, organization, organization_name, country, access, license,
    released_on, parameters, and (given a readings frame) `latest`, the sum over the model's repos
    read on its latest reading date, and `latest_on`, that date (ISO)."""
    orgs = {o["id"]: o for o in store.records("organization")}
    rows = []
    for m in store.records("model"):
        org = orgs.get(m["organization"], {})
        rows.append(
            {
                "id": m["id"],
                "name": m["name"],
                "family": m["family"],
                "organization": m["organization"],
                "organization_name": org.get("name", m["organization"]),
                "country": org.get("country"),
                "access": m["access"],
                "license": m["license"],
                "released_on": m["released_on"],
                "parameters": m["parameters"],
                "hf_repos": list(m["hf_repos"]),
                "sources": list(m["sources"]),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "family",
            "organization",
            "organization_name",
            "country",
            "access",
            "license",
            "released_on",
            "parameters",
            "hf_repos",
            "sources",
        ],
    )
    if adoption is not None:
        out["latest"], out["latest_on"] = np.nan, None
        if len(adoption):
            # one date per model (its repos' latest reading), never a sum of values of different dates
            rows = adoption.loc[adoption["model"].notna(), ["model", "subject", "value", "date"]]
            rows = rows.assign(model=rows["model"].astype(str), subject=rows["subject"].astype(str))
            last = rows["date"] == rows.groupby("model")["date"].transform("max")
            at_last = rows.loc[last].drop_duplicates(["model", "subject"])  # two series, one day: once
            per_model = at_last.groupby("model")["value"].sum()
            when = at_last.groupby("model")["date"].max().dt.strftime("%Y-%m-%d")
            out["latest"] = out["id"].map(per_model).astype(float)
            out["latest_on"] = out["id"].map(when)
    return out


def filter_models(
    frame: pd.DataFrame,
    *,
    countries: Any = None,
    access: Any = None,
    licenses: Any = None,
    text: str = "",
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
    "id",
    "country",
    "actor",
    "title",
    "amount",
    "currency",
    "amount_usd",
    "usd_basis",
    "announced_on",
    "horizon_years",
    "category",
    "status",
    "sources",
    "part_of",
    "scope",
    "confirmation",
    "kind",
    "overlaps",
    "fx_rate",
    "fx_month",
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
    frame: pd.DataFrame,
    *,
    countries: Any = None,
    categories: Any = None,
    statuses: Any = None,
    scopes: Any = None,
    confirmations: Any = None,
    start: Any = None,
    end: Any = None,
    text: str = "",
) -> pd.DataFrame:
    """Rows matching every given filter (None = any; dates inclusive; text literal, case-insensitive)."""
    mask = pd.Series(True, index=frame.index)
    for col, allowed in (
        ("country", countries),
        ("category", categories),
        ("status", statuses),
        ("scope", scopes),
        ("confirmation", confirmations),
    ):
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
    package) is left out while the larger row counts (`figures.resolve_overlaps`, the rule of the
    headline total too).
    """
    base = _inside_package_rule(frame)
    if "overlaps" not in frame:
        return base
    rows = frame.loc[base]
    dropped = figures.resolve_overlaps(zip(rows["id"], rows["amount_usd"], rows["overlaps"].map(lambda o: o or [])))
    return base & ~frame["id"].isin(list(dropped))


def investment_chart_notes(frame: pd.DataFrame) -> list[str]:
    """What the bars of `frame` leave out or include that a reader must see on the chart itself:
    commitments without an official exchange rate, those whose money another bar already holds,
    and the countries whose bars include press-reported commitments."""
    notes = []
    missing = unconverted(frame)
    if missing:
        notes.append("Not in the bars (no official exchange rate): " + "; ".join(missing))
    overlapping = frame.loc[overlap_left_out(frame)]
    if len(overlapping):
        notes.append(
            "Not in the bars (its money is also counted in another bar): "
            + "; ".join(
                f"{figures.place_name(r.country)} {str(r.actor).split(' (')[0]} ({numbers.usd(r.amount_usd, style='short')})"
                for r in overlapping.itertuples()
            )
        )
    shown = frame.loc[counted_investments(frame)]
    if "confirmation" in shown:
        reported = sorted(set(shown.loc[shown["confirmation"] == "press_reported", "country"]))
        if reported:
            notes.append(
                "Includes commitments reported only by the press ("
                + ", ".join(figures.place_name(c) for c in reported)
                + ")"
            )
    return notes


def overlap_left_out(frame: pd.DataFrame) -> pd.Series:
    """True for the rows `counted_investments` leaves out because their money is also counted in a
    larger row (not for components inside a summed package): the chart names them."""
    return _inside_package_rule(frame) & ~counted_investments(frame)


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
    "date",
    "jurisdiction",
    "instrument",
    "stage",
    "stance",
    "relevance",
    "topics",
    "title",
    "id",
    "body",
    "effective_on",
    "published_on",
    "scheduled",
    "summary",
    "identifiers",
    "related",
    "sources",
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
    frame: pd.DataFrame,
    *,
    jurisdictions: Any = None,
    instruments: Any = None,
    stages: Any = None,
    stances: Any = None,
    relevances: Any = None,
    topics: Any = None,
    start: Any = None,
    end: Any = None,
    text: str = "",
) -> pd.DataFrame:
    """Rows matching every given filter (None = any; dates inclusive; text literal, case-insensitive).
    `relevances` matches the relevance level (None in the data = unassessed, matched by "unassessed");
    `topics` keeps rows tagged with any of the given topics."""
    mask = pd.Series(True, index=frame.index)
    for col, allowed in (
        ("jurisdiction", jurisdictions),
        ("instrument", instruments),
        ("stage", stages),
        ("stance", stances),
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
