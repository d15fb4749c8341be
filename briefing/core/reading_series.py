"""The Hub readings' series, attribution and share split, in plain Python (no numpy, no pandas).

The constants and the attribution every adoption figure uses (`readings` re-exports them), and
`share_table(store)`: each reading's split of 30-day downloads by developer country, as rows, with
the same selection rule as `readings.select(frame, SHARE_SERIES)` (overlapping series resolved by
priority, panel "all") and the same numbers as `readings.shares` (tests/render/test_brief_chart.py
checks them reading by reading). The brief's chart is drawn from it, so a brief needs neither
numpy nor pandas (about 0.3 s of a CLI run's imports). The app's views keep the vectorised frame:
it regroups ten million observations. Pure functions; a Store must belong to the calling thread.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from briefing.core.store import Store

UNATTRIBUTED = "Unattributed"
NO_FAMILY = "Family not catalogued"
#: The developer-country buckets of the share figures, in stacking order.
BUCKETS = ("CN", "US", "Other", UNATTRIBUTED)
BUCKET_LABELS = {"CN": "China", "US": "United States", "Other": "Other countries", UNATTRIBUTED: UNATTRIBUTED}
#: Country labels for accounts only the ATOM map places (its buckets are regions, not countries).
REGION_LABELS = {"us": "US", "china": "CN", "eu": "Europe (ATOM region)", "other": "Elsewhere (ATOM region)"}
GROUPINGS = ("country", "organization", "family")
Grouping = Literal["country", "organization", "family"]
#: Metrics whose value is a running total: carried forward between a repo's observations within a
#: series (never past the series' last reading). The others are readings of a window or a count
#: at a date and stand alone.
CARRIED = {"derivatives"}
PLURALS = {"country": "countries", "organization": "organizations", "family": "families"}
#: In a fixed panel, a reading covering under this share of its series' median is partial.
PARTIAL_SHARE = 0.5


@dataclass(frozen=True)
class SeriesInfo:
    key: str
    label: str
    population: str  # which repos a reading of this series holds, in words
    priority: int  # the wider panel wins where two series overlap in time
    short: str = ""  # for a checkbox


SERIES: dict[str, SeriesInfo] = {
    s.key: s
    for s in (
        SeriesInfo(
            "trending",
            "Hub trending list (daily-huggingface)",
            "the 12 models on the Hub's trending list that day (chosen by trending, not downloads)",
            1,
            "Trending list",
        ),
        SeriesInfo(
            "forecast",
            "Forecast study (Bhandari et al.)",
            "the repos the ForecastHuggingFaceModels authors tracked (17 developer groups and 100 others)",
            2,
            "Forecast study",
        ),
        SeriesInfo(
            "llmfit", "llmfit scrapes", "the repos llmfit listed (language models that run locally)", 3, "llmfit"
        ),
        SeriesInfo(
            "hub_orgs",
            "Hub syncs: tracked organizations",
            "the models under our tracked organizations' Hub accounts (up to 500 each)",
            4,
            "Hub: tracked orgs",
        ),
        SeriesInfo(
            "hub_top",
            "Hub syncs: top text-generation models",
            "the most-downloaded text-generation models on the Hub (top N)",
            5,
            "Hub: top models",
        ),
    )
}
#: Series a figure on the whole Hub's split uses by default (hub_orgs is our own selection of
#: accounts: every repo in it is attributed by construction).
SHARE_SERIES = ("forecast", "llmfit", "hub_top")
#: Series the downloads-by-developer figures use by default (hub_top overlaps hub_orgs on every
#: sync day and would stand in for it). The trending list is opt-in everywhere: twelve models a
#: day, picked by trending, is a selection of new releases, not a panel of the Hub.
DOWNLOAD_SERIES = ("forecast", "llmfit", "hub_orgs")


# -- attribution --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attr:
    """Who a repo counts for, and why (`basis`, plain words)."""

    model: str | None
    family: str | None
    organization: str | None  # our organization id, or "hf:<account>" for an ATOM-only account
    organization_name: str
    country: str | None  # ISO code, or a REGION_LABELS label, or None (unattributed)
    bucket: str  # one of BUCKETS
    basis: str

    @property
    def attributed(self) -> bool:
        return self.bucket != UNATTRIBUTED


def bucket_of(country: str | None) -> str:
    if country is None:
        return UNATTRIBUTED
    return country if country in ("CN", "US") else "Other"


class Attribution:
    """Repo -> `Attr` from the catalogue, our organizations, hf_repo lineage and the ATOM map."""

    MAX_DEPTH = 3  # a re-upload of a re-upload of a base model

    def __init__(self, store: Store) -> None:
        orgs = {o["id"]: o for o in store.records("organization")}
        self.org_names = {oid: o["name"] for oid, o in orgs.items()}
        self.repos: dict[str, tuple[str, str, str, str]] = {}
        self.accounts: dict[str, tuple[str, str]] = {}
        for key, model, family, org, country in store.repo_index():
            if model is not None:
                self.repos.setdefault(key, (model, family, org, country))
            else:
                self.accounts.setdefault(key, (org, country))
        self.regions = {r["id"].lower(): r["region"] for r in store.records("hf_namespace")}
        self.lineage = {r["id"].lower(): r for r in store.records("hf_repo")}
        self._memo: dict[str, Attr] = {}

    def of(self, repo: str) -> Attr:
        key = repo.lower()
        if key not in self._memo:
            self._memo[key] = self._resolve(key, repo, 0)
        return self._memo[key]

    def _resolve(self, key: str, repo: str, depth: int) -> Attr:
        if key in self.repos:
            model, family, org, country = self.repos[key]
            return Attr(
                model,
                family,
                org,
                self.org_names.get(org, org),
                country,
                bucket_of(country),
                "a catalogued model's repo",
            )
        account = key.split("/", 1)[0]
        if account in self.accounts:
            org, country = self.accounts[account]
            return Attr(
                None,
                None,
                org,
                self.org_names.get(org, org),
                country,
                bucket_of(country),
                f"the developer's Hub account ({repo.split('/', 1)[0]})",
            )
        base = self._base(key, repo)
        if base is not None and depth < self.MAX_DEPTH:
            up = self._resolve(base.lower(), base, depth + 1)
            if up.attributed:
                return Attr(
                    up.model,
                    up.family,
                    up.organization,
                    up.organization_name,
                    up.country,
                    up.bucket,
                    f"a re-upload of {base} (Hub base_model metadata)",
                )
        region = self.regions.get(account)
        if region in REGION_LABELS:
            country = REGION_LABELS[region]
            name = repo.split("/", 1)[0]
            return Attr(
                None,
                None,
                f"hf:{name}",
                f"{name} (Hub account)",
                country,
                bucket_of(country),
                f"the ATOM Project's region for the account {name}",
            )
        why = (
            "the ATOM Project gives the account no single country"
            if region == "unknown"
            else ("no catalogued developer account, no recorded base model")
        )
        return Attr(None, None, None, UNATTRIBUTED, None, UNATTRIBUTED, why)

    def _base(self, key: str, repo: str) -> str | None:
        """The base model a re-upload or quantization copies, if its Hub metadata names one."""
        rec = self.lineage.get(key)
        if rec is None or not rec["base_models"]:
            return None
        bases = rec["base_models"]
        name = repo.split("/", 1)[-1].lower()
        for base in bases:
            base_name = base.split("/", 1)[-1].lower()
            # quantized: the weights themselves; same name (optionally -GGUF etc.): a re-upload.
            # A fine-tune, adapter or merge under a new name is its uploader's own model.
            if rec.get("relation") == "quantized" or name == base_name or name.startswith(base_name + "-"):
                return base
        return None


@dataclass(frozen=True)
class Split:
    """One reading's split by developer country: percent per BUCKETS, the total and its coverage."""

    shares: dict[str, float]
    total: float
    n: int
    unattributed: int


def reading_shares(attribution: Attribution, repos: Iterable[tuple[str, float]]) -> Split:
    """The split of one reading given as (repo, value) pairs: the same figure `shares` gives for
    that reading from the readings frame (used where a reading is stored as it is taken)."""
    sums = dict.fromkeys(BUCKETS, 0.0)
    n = unattributed = 0
    for repo, value in repos:
        bucket = attribution.of(repo).bucket
        sums[bucket] += float(value)
        n += 1
        unattributed += bucket == UNATTRIBUTED
    total = sum(sums.values())
    shares = {b: (sums[b] * 100.0 / total if total > 0 else float("nan")) for b in BUCKETS}
    return Split(shares, total, n, unattributed)


@dataclass(frozen=True)
class Crossover:
    """The reading of one series at which `leader`'s share passed `other`'s and stayed ahead to the
    series' last reading in the selection."""

    series: str
    date: dt.date
    before: dt.date  # the last reading with leader <= other
    leader: str
    other: str
    crossings: int  # how many times the lead changed within the series


@dataclass(frozen=True)
class ShareReading:
    date: dt.date
    series: str
    shares: dict[str, float]  # BUCKETS -> percent
    n_repos: int


@dataclass(frozen=True)
class ShareSummary:
    """CN / US / other shares of 30-day downloads at the first and latest readings, on one panel."""

    first: ShareReading
    latest: ShareReading
    panel: str
    series: tuple[str, ...]
    crossovers: tuple[Crossover, ...]
    between: tuple[str, ...]  # changes of lead between series (not dated)
    left_out: tuple[str, ...]


# -- the share split per reading, without the frame ------------------------------------------------
@dataclass(frozen=True)
class ShareRow:
    """One kept reading: percent per BUCKETS (NaN when it has no downloads), its repos and total."""

    date: dt.date
    series: str
    shares: dict[str, float]
    n_repos: int
    total: float


@dataclass(frozen=True)
class ShareTable:
    """`readings.shares(readings.select(frame, series))` as rows (by date, then series priority),
    with what the selection left out (plain sentences)."""

    rows: tuple[ShareRow, ...]
    series_keys: tuple[str, ...]
    left_out: tuple[str, ...]

    def describe_short(self) -> str:
        """`Selection.describe(short=True)`: the printed caption's sentence on panel and coverage."""
        if not self.rows:
            return ALL_PANEL_TEXT
        n = [r.n_repos for r in self.rows]
        span = f"{min(n):,}" if min(n) == max(n) else f"{min(n):,} to {max(n):,}"
        breaks = "; lines break between series" if len({r.series for r in self.rows}) > 1 else ""
        text = f"{len(n):,} readings of {span} repos, each on its own repos{breaks}"
        if self.left_out:
            text += f"; {len(self.left_out)} overlap(s) left out (see the app)"
        return text


def share_table(store: Store, series: Iterable[str] = SHARE_SERIES, *, metric: str = "downloads_30d") -> ShareTable:
    """Each reading of `series` with its split by developer country (module docstring)."""
    wanted = tuple(s for s in series if s in SERIES)
    names = list(SERIES)
    values: dict[tuple[str, str], dict[str, float]] = {}  # (date, series) -> subject -> value
    for rows in store.adoption_reading_chunks(metric=metric, size=250_000, series=names):
        for code, subject, day, value in rows:
            if code >= 0:
                values.setdefault((day, names[code]), {})[subject] = float(value)  # a repeated row: the last
    # readings by date, then series priority (the frame's cube order)
    keys = sorted(values, key=lambda k: (k[0], SERIES[k[1]].priority))
    kept = [k for k in keys if k[1] in wanted]
    left_out: list[str] = []
    present = [s for s in wanted if any(k[1] == s for k in kept)]
    for s in present:  # a lower-priority series' readings inside a higher-priority series' span go
        days = [k[0] for k in kept if k[1] == s]
        if not days:
            continue
        lo, hi = min(days), max(days)
        for other in present:
            if SERIES[other].priority >= SERIES[s].priority:
                continue
            inside = [k for k in kept if k[1] == other and lo <= k[0] <= hi]
            if inside:
                kept = [k for k in kept if k not in set(inside)]
                left_out.append(
                    f"{len(inside)} {SERIES[other].label} readings inside the span of the {SERIES[s].label} ({lo} to {hi})"
                )
    attribution = Attribution(store)
    bucket: dict[str, str] = {}  # per repo, looked up once (a repo is in many readings)
    out = []
    for day, key in kept:
        sums = dict.fromkeys(BUCKETS, 0.0)
        reading = values[(day, key)]
        for subject, value in reading.items():
            b = bucket.get(subject)
            if b is None:
                b = bucket[subject] = attribution.of(subject).bucket
            sums[b] += 0.0 if math.isnan(value) else value
        total = sum(sums.values())
        shares = {b: (sums[b] * 100.0 / total if total > 0 else math.nan) for b in BUCKETS}
        n = sum(1 for v in reading.values() if not math.isnan(v))
        out.append(ShareRow(dt.date.fromisoformat(day), key, shares, n, total))
    return ShareTable(tuple(out), wanted, tuple(left_out))


def share_segments(rows: Iterable[ShareRow]) -> list[tuple[str, list[ShareRow]]]:
    """Runs of consecutive rows of one series (`readings.segments`)."""
    out: list[tuple[str, list[ShareRow]]] = []
    for r in rows:
        if out and out[-1][0] == r.series:
            out[-1][1].append(r)
        else:
            out.append((r.series, [r]))
    return out


def _both(rows: list[ShareRow], leader: str, other: str) -> list[ShareRow]:
    return [r for r in rows if not math.isnan(r.shares[leader]) and not math.isnan(r.shares[other])]


def share_crossovers(rows: Iterable[ShareRow], leader: str = "CN", other: str = "US") -> list[Crossover]:
    """`readings.crossover` on share rows (see it for the rule)."""
    out = []
    for key, part in share_segments(rows):
        t = _both(part, leader, other)
        if len(t) < 2:
            continue
        ahead = [r.shares[leader] > r.shares[other] for r in t]
        if not ahead[-1] or all(ahead):
            continue
        last_behind = max(i for i, a in enumerate(ahead) if not a)
        crossings = sum(a != b for a, b in zip(ahead[1:], ahead[:-1]))
        out.append(Crossover(key, t[last_behind + 1].date, t[last_behind].date, leader, other, crossings))
    return out


def share_lead_between_series(
    rows: Iterable[ShareRow], leader: str = "CN", other: str = "US", *, short: bool = True
) -> list[str]:
    """`readings.lead_between_series` on share rows (`short`: the printed caption's words)."""
    segs = [(k, _both(p, leader, other)) for k, p in share_segments(rows)]
    segs = [(k, p) for k, p in segs if p]
    out = []
    for (ka, a), (kb, b) in zip(segs, segs[1:]):
        was, now = a[-1], b[0]
        if (was.shares[leader] > was.shares[other]) == (now.shares[leader] > now.shares[other]):
            continue

        def who(row: ShareRow) -> str:
            return leader if row.shares[leader] > row.shares[other] else other

        if short:
            out.append(
                f"{who(was)} ahead at the last {SERIES[ka].short} reading ({was.date.isoformat()}),"
                f" {who(now)} at the first {SERIES[kb].short} one ({now.date.isoformat()}):"
                " other repos, so not dated"
            )
            continue
        out.append(
            f"{BUCKET_LABELS[who(was)]} led at the last {SERIES[ka].label} reading"
            f" ({was.date.isoformat()}), {BUCKET_LABELS[who(now)]} at the first"
            f" {SERIES[kb].label} reading ({now.date.isoformat()}): different repos, so the"
            " change is not dated"
        )
    return out


#: `Selection.panel_text()` of panel "all" (every figure here is on each reading's own repos).
ALL_PANEL_TEXT = "Each reading's own repos (the panel changes between readings; see each point's coverage)"


def share_summary(store: Store, series: Iterable[str] = SHARE_SERIES) -> ShareSummary | None:
    """`readings.share_summary(readings_frame(store), series)` (panel "all", every date) without
    the frame: the figure layer's Hub figures need no numpy or pandas. None without downloads."""
    table = share_table(store, series)
    rows = [r for r in table.rows if r.total > 0]
    if not rows:
        return None

    def at(r: ShareRow) -> ShareReading:
        return ShareReading(r.date, r.series, dict(r.shares), r.n_repos)

    return ShareSummary(
        at(rows[0]),
        at(rows[-1]),
        ALL_PANEL_TEXT,
        table.series_keys,
        tuple(share_crossovers(rows)),
        tuple(share_lead_between_series(rows, short=False)),
        table.left_out,
    )
