"""Adoption readings: dated per-repo observations grouped into readings, attributed, with coverage.

A *series* is one collection of Hub readings (the Forecast study, llmfit's scrapes, the trending
list, the reader's own Hub syncs); a *reading* is one series at one date, and its *coverage* is the
set of repos it holds. Figures are computed per reading and never across two series: panels differ,
so a chart breaks its lines between series (`Selection.series`), and a figure says which series,
which panel and how many repos it covers.

Attribution (`Attribution.of`), repo -> developer -> country, in this order: a repo listed by a
catalogued model; a repo under one of our organizations' Hugging Face accounts; a re-upload or
quantization (Hub `base_model` metadata in an `hf_repo` record, relation "quantized" or the base's
own name) counts for its base model's developer; an account the ATOM Project maps to a region; else
`UNATTRIBUTED`, which every figure shows and counts.

Selection (`select`): the chosen series; where two overlap in time, the one with the wider panel
(`SeriesInfo.priority`) stands and the other's readings inside its span are left out (and listed);
`panel="fixed"` keeps only repos present in every reading of the window (the trending list, twelve
new repos a day, never forms one, and partial scrapes would empty it: both are left out then, and
listed). Pure functions, no Qt; a Store passed in
must belong to the calling thread. Frames are treated as immutable (their dense form is cached).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from briefing.core.reading_series import (  # noqa: F401 - the plain-Python part, re-exported
    BUCKET_LABELS,
    BUCKETS,
    CARRIED,
    DOWNLOAD_SERIES,
    GROUPINGS,
    NO_FAMILY,
    PARTIAL_SHARE,
    PLURALS,
    REGION_LABELS,
    SERIES,
    SHARE_SERIES,
    UNATTRIBUTED,
    Attr,
    Attribution,
    Crossover,
    Grouping,
    SeriesInfo,
    ShareReading,
    ShareRow,
    ShareSummary,
    Split,
    bucket_of,
    reading_shares,
    share_crossovers,
    share_lead_between_series,
)
from briefing.core.records import DATE_PATTERN
from briefing.core.store import Store

# -- the readings frame ---------------------------------------------------------------------------
FRAME_COLUMNS = [
    "series",
    "date",
    "subject",
    "value",
    "model",
    "family",
    "organization",
    "organization_name",
    "country",
    "bucket",
    "basis",
]


def _dates(strings: Iterable[str]) -> np.ndarray:
    codes, uniques = pd.factorize(np.asarray(list(strings), dtype=object))
    parsed = pd.to_datetime(pd.Index(uniques, dtype=object), format="%Y-%m-%d").to_numpy()
    return parsed[codes] if len(codes) else np.array([], dtype="datetime64[ns]")


#: Rows read from the store at a time by the row reader (the fallback): a 10-million-row frame never
#: exists as Python tuples at once.
CHUNK_ROWS = 250_000
#: Rowids per block of the text reader: about 20 MB of text per block at most.
BLOCK_ROWS = 1_000_000
#: SQLite's julianday() of a date at 00:00 is this + 0.5 + its days since 1970-01-01.
_JULIAN_1970 = 2_440_587
_ISO_DAY = re.compile(DATE_PATTERN)
_YMD = (0, 1, 2, 3, 5, 6, 8, 9)  # the digits of YYYY-MM-DD


def _days_as_dates(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as the dates `_dates` makes: in the unit pandas parses a date into
    (microseconds in pandas 3), or nanoseconds for none (as `_dates` gives for none)."""
    if not len(days):
        return np.array([], dtype="datetime64[ns]")
    unit = _dates(["1970-01-01"]).dtype
    per_day = np.timedelta64(1, "D") // np.timedelta64(1, np.datetime_data(unit)[0])
    out = days.astype(np.int64)
    out *= per_day  # one pass, where astype("datetime64[D]").astype(unit) makes two
    return out.view(unit)


@dataclass(frozen=True)
class _Columns:
    """The readings of one metric as arrays, in the store's row order: the series' position in
    SERIES (len(SERIES) for one not in it), the subject's code in `subjects` (which may list
    subjects without a reading), the date as days since 1970-01-01, the value."""

    series: np.ndarray
    subject: np.ndarray
    subjects: list[str]
    day: np.ndarray
    value: np.ndarray


def _read_text(store: Store, metric: str) -> _Columns | None:
    """The readings through `Store.adoption_reading_text`: a few long strings per million rows,
    decoded by numpy, so no Python object is made per row. None where a date of `metric` is not
    one that SQLite and pandas read alike as the same day, written YYYY-MM-DD (the row reader
    decides then)."""
    blocks = store.adoption_reading_text(metric=metric, series=SERIES, rows=BLOCK_ROWS)
    with contextlib.closing(blocks):
        subjects, days = next(blocks)
        strings = [d for d, _ in days]
        julian = np.array([-1 if j is None else j for _, j in days], dtype=np.int64)
        parsed = pd.to_datetime(pd.Index(strings, dtype=object), format="%Y-%m-%d", errors="coerce")
        if (
            not all(_ISO_DAY.match(d) for d in strings)
            or parsed.isna().any()
            or not np.array_equal(parsed.to_numpy().astype("datetime64[D]").astype(np.int64), julian - _JULIAN_1970)
        ):
            return None
        # a date's digits as one number, YYYYMMDD: its row in `days` by a binary search
        ymd = _number(np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint8).reshape(-1, 10), _YMD)
        by_ymd = np.argsort(ymd)
        width = len(str(len(subjects)))
        parts = []
        for n, ser_text, as_of_text, codes_text, values_text, exact in blocks:
            ser = _digits(ser_text, n, 1)
            day_digits = np.frombuffer(as_of_text.encode("ascii"), dtype=np.uint8).reshape(n, 10)
            key = _number(day_digits, _YMD)
            at = by_ymd[np.minimum(np.searchsorted(ymd, key, sorter=by_ymd), len(ymd) - 1)]
            subject = _digits(codes_text, n, width)
            value = np.fromstring(values_text, dtype=np.float64, sep=",")
            if len(value) != n or (ymd[at] != key).any() or (subject < 0).any() or (ser < 0).any():
                raise RuntimeError("the readings' text did not decode row for row")
            day = (julian[at] - _JULIAN_1970).astype(np.int32)  # 1970 +- 5.8 million years
            holes = np.flatnonzero(np.isnan(value))
            if len(holes) != len(exact) or (
                len(holes)
                and not (
                    np.array_equal(subject[holes], [e[1] for e in exact])
                    and np.array_equal(day[holes] + _JULIAN_1970, [e[2] for e in exact])
                )
            ):
                raise RuntimeError("the readings' exact values do not match their rows")
            value[holes] = [e[0] for e in exact]
            parts.append((ser.astype(np.int8), subject.astype(np.int32), day, value))
    if not parts:
        none = np.array([], dtype=np.int64)
        return _Columns(none, none, subjects, none, np.array([], dtype=np.float64))
    ser, subject, day, value = (np.concatenate(p) for p in zip(*parts))
    return _Columns(ser, subject, subjects, day, value)


def _digits(text: str, n: int, width: int) -> np.ndarray:
    """`n` fixed-width decimal numbers written end to end (negative where a field is dashes)."""
    digits = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    if len(digits) != n * width:
        raise RuntimeError("the readings' text did not decode row for row")
    return _number(digits.reshape(n, width), range(width))


def _number(digits: np.ndarray, columns: Iterable[int]) -> np.ndarray:
    """The ASCII digits in `columns` of each row as one number (negative if the first is a dash),
    one column at a time (a pass over a million bytes each, in C)."""
    first, *rest = columns
    out = digits[:, first].astype(np.int64) - ord("0")
    for k in rest:
        out *= 10
        out += digits[:, k]
        out -= ord("0")
    return out


def _read_rows(store: Store, metric: str) -> _Columns:
    """The readings through the store's row chunks: each chunk factorised in C (pandas); Python
    touches only each chunk's distinct values. Reads any date pandas reads (and raises as it does)."""
    subjects: dict[str, int] = {}
    days: dict[str, int] = {}
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def codes(column: np.ndarray, index: dict[str, int]) -> np.ndarray:
        local, uniques = pd.factorize(column)
        known = np.fromiter((index.setdefault(u, len(index)) for u in uniques), dtype=np.int64, count=len(uniques))
        return known[local]

    for rows in store.adoption_reading_chunks(metric=metric, size=CHUNK_ROWS, series=SERIES):
        block = np.empty((len(rows), 4), dtype=object)
        block[:] = rows
        ser = block[:, 0].astype(np.int64)  # the series' position in SERIES, from SQL
        parts.append((ser, codes(block[:, 1], subjects), codes(block[:, 2], days), block[:, 3].astype(np.float64)))
        del rows, block
    if not parts:
        none = np.array([], dtype=np.int64)
        return _Columns(none, none, [], none, np.array([], dtype=np.float64))
    ser, sub, day, val = (np.concatenate(p) for p in zip(*parts))
    per_day = _dates(days).astype("datetime64[D]").astype(np.int64)
    return _Columns(np.where(ser < 0, len(SERIES), ser), sub, list(subjects), per_day[day], val)


#: Cells a (reading x subject) grid may have beyond two per row before `_order` sorts instead.
GRID_SLACK = 2**20


def _order(ser: np.ndarray, day: np.ndarray, codes: np.ndarray, n_subjects: int) -> np.ndarray:
    """The stable order of the rows by (series, date, subject); a series not in SERIES (position
    len(SERIES)) sorts last, as NaN does.

    Where no two rows share all three and the (reading x subject) grid is not much larger than
    the rows, by placing each row in its cell of the grid and reading the grid in order (a
    sort of ten million keys takes three times as long); else by a stable sort."""
    n = len(ser)
    first = int(day.min()) if n else 0
    span = int(day.max()) - first + 1 if n else 0
    grid_limit = 2 * n + GRID_SLACK
    if n and (len(SERIES) + 1) * span <= grid_limit:
        reading = ser.astype(np.int64)
        reading *= span
        reading += day
        reading -= first
        held = np.bincount(reading, minlength=(len(SERIES) + 1) * span) > 0
        if int(held.sum()) * n_subjects <= grid_limit:
            cell = (np.cumsum(held) - 1)[reading]
            cell *= n_subjects
            cell += codes
            small = np.int32 if n < 2**31 else np.int64  # half the bytes to write and read
            grid = np.full(int(held.sum()) * n_subjects, -1, dtype=small)
            grid[cell] = np.arange(n, dtype=small)
            order = grid[grid >= 0]
            if len(order) == n:  # else two rows share a cell: the sort keeps them in store order
                return order.astype(np.intp)
    if len(SERIES) < 2**7 and span < 2**22 and n_subjects < 2**32:
        key = ser.astype(np.int64)  # (series << 54) | (day - first) << 32 | subject, in place
        key <<= 22
        key += day
        key -= first
        key <<= 32
        key |= codes
        return np.argsort(key, kind="stable")
    return np.lexsort((codes, day, ser))


def readings_frame(store: Store, *, metric: str = "downloads_30d") -> pd.DataFrame:
    """One row per repo reading of `metric` that belongs to a series, with its attribution.

    Columns FRAME_COLUMNS; `series`, `subject` and the attribution columns are categorical.
    `frame.attrs["metric"]` holds the metric. Rows by series, date, subject (rows alike in all
    three in the store's order).
    """
    cols = _read_text(store, metric) or _read_rows(store, metric)
    attribution = Attribution(store)
    # the subjects read, as categories in sorted order (as pd.Categorical makes them)
    read = np.bincount(cols.subject, minlength=len(cols.subjects)) > 0
    names = np.asarray(cols.subjects, dtype=object)[read]
    categories = pd.Categorical(names).categories
    rank = np.full(len(cols.subjects), -1, dtype=np.int32 if len(categories) < 2**31 else np.int64)
    rank[read] = categories.get_indexer(pd.Index(names))
    codes = rank[cols.subject]
    ser, day = cols.series, cols.day
    order = _order(ser, day, codes, len(categories))
    codes = codes[order]
    ser = ser[order]
    columns: dict[str, Any] = {
        "series": pd.Categorical.from_codes(np.where(ser == len(SERIES), -1, ser), categories=list(SERIES)),
        "date": _days_as_dates(day[order]),
        "subject": pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories)),
        "value": cols.value[order],
    }
    del order, ser
    attrs = [attribution.of(str(s)) for s in categories]
    for col in ("model", "family", "organization", "organization_name", "country", "bucket", "basis"):
        per_subject = pd.Categorical([getattr(a, col) for a in attrs])
        columns[col] = pd.Categorical.from_codes(per_subject.codes[codes], dtype=per_subject.dtype)
    frame = pd.DataFrame(columns, columns=FRAME_COLUMNS, copy=False)
    frame.attrs["metric"] = metric
    return frame


class _Cube:
    """A frame as a dense (readings x subjects) matrix: one row per (series, date), by date then
    series priority; built once per frame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        metric = frame.attrs.get("metric", "downloads_30d")
        n = len(frame)
        # one row per (date, series), vectorised: a 1M-row frame has a few hundred readings
        day = frame["date"].to_numpy().astype("datetime64[D]").astype(np.int64) if n else np.array([], dtype=np.int64)
        scode = frame["series"].cat.codes.to_numpy().astype(np.int64) if n else np.array([], dtype=np.int64)
        keys, rows = _distinct(day * 16 + scode)
        key_day, key_series = keys // 16, keys % 16
        names = list(frame["series"].cat.categories) if n else []
        prio = (
            np.array([SERIES[names[c]].priority for c in key_series], dtype=np.int64)
            if len(keys)
            else np.array([], dtype=np.int64)
        )
        order = np.lexsort((prio, key_day))  # by date, then series priority
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        rows = rank[rows] if n else rows.astype(np.int64)
        self.dates = pd.DatetimeIndex(key_day[order].astype("datetime64[D]").astype("datetime64[ns]"))
        self.series = np.array([names[c] for c in key_series[order]], dtype=object)
        self.subject_codes = frame["subject"].cat.codes.to_numpy() if n else np.array([], dtype=int)
        self.n_subjects = len(frame["subject"].cat.categories) if n else 0
        dense = np.full((len(self.dates), self.n_subjects), np.nan)
        if n:
            dense[rows, self.subject_codes] = frame["value"].to_numpy()
        if metric in CARRIED:
            dense = _carry_within_series(dense, self.series)
        self.values = dense
        self.present = ~np.isnan(dense)
        # made once: every regroup multiplies these (np.nan_to_num's other work only for an infinity)
        finite = not n or np.isfinite(frame["value"].to_numpy()).all()
        self.values0 = np.where(self.present, dense, 0.0) if finite else np.nan_to_num(dense, nan=0.0)
        # counts of repos (< 2**24) are exact in float32: half the bytes for every product to read
        self.present_f = self.present.astype(np.float32)
        self.group_codes: dict[tuple[str, str], tuple[np.ndarray, list[str]]] = {}  # per grouping, made once
        self.subjects = list(frame["subject"].cat.categories) if n else []
        self.frame_ref = weakref.ref(frame)
        self.attrs: pd.DataFrame | None = None  # per-subject attribution, made on first use


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(keys, return_inverse=True)`'s keys (in any order) and inverse, in one pass where
    equal keys are next to each other, as `readings_frame` leaves a reading's rows (a sort of ten
    million keys otherwise)."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=np.int64)
    if len(starts) * 4 > len(keys) or len(np.unique(keys[starts])) < len(starts):
        return np.unique(keys, return_inverse=True)
    return keys[starts], np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(keys)]))


def _carry_within_series(dense: np.ndarray, series: np.ndarray) -> np.ndarray:
    """Forward-fill each subject down the rows of its own series (a running total holds between
    its observations), never into another series' rows."""
    out = dense.copy()
    for key in dict.fromkeys(series):
        rows = np.flatnonzero(series == key)
        block = out[rows]
        seen = ~np.isnan(block)
        last = np.maximum.accumulate(np.where(seen, np.arange(len(block))[:, None], -1), axis=0)
        filled = np.where(last >= 0, block[np.maximum(last, 0), np.arange(block.shape[1])[None, :]], np.nan)
        out[rows] = filled
    return out


_CUBES: dict[int, _Cube] = {}


def _cube(frame: pd.DataFrame) -> _Cube:
    key = id(frame)
    cube = _CUBES.get(key)
    if cube is None or cube.frame_ref() is not frame:
        cube = _CUBES[key] = _Cube(frame)
        weakref.finalize(frame, _CUBES.pop, key, None)
    return cube


# -- selecting readings --------------------------------------------------------------------------
@dataclass
class Selection:
    """Which readings (rows of the frame's cube) and repos a figure uses, and how to say so."""

    frame: pd.DataFrame
    rows: np.ndarray  # cube row indexes kept, by date
    subjects: np.ndarray  # bool per subject (all True unless a fixed panel)
    panel: str  # "all" | "fixed"
    series_keys: tuple[str, ...]
    left_out: list[str] = field(default_factory=list)  # plain sentences: what was left out and why
    _n_repos: np.ndarray | None = field(default=None, repr=False)

    @property
    def cube(self) -> _Cube:
        return _cube(self.frame)

    @property
    def dates(self) -> pd.DatetimeIndex:
        return self.cube.dates[self.rows]

    @property
    def series(self) -> np.ndarray:
        """The series of each kept reading (a chart breaks its line where this changes)."""
        return self.cube.series[self.rows]

    def n_repos(self) -> np.ndarray:
        """Repos covered by each kept reading (within the panel); computed once."""
        if self._n_repos is None:
            self._n_repos = _span_product(self.cube.present_f, self, self.subjects.astype(np.float32)).astype(np.int64)
        return self._n_repos

    def describe(self, *, short: bool = False) -> str:
        """The caption sentence: panel, how many readings and repos, and what was left out
        (`short`: for a printed page, where a caption has two lines)."""
        n = self.n_repos()
        if not len(n):
            return self.panel_text()
        span = f"{int(n.min()):,}" if n.min() == n.max() else f"{int(n.min()):,} to {int(n.max()):,}"
        if short:
            panel = (
                f"a fixed panel of {int(self.subjects.sum()):,} repos"
                if self.panel == "fixed"
                else "each on its own repos"
            )
            breaks = "; lines break between series" if len(set(map(str, self.series))) > 1 else ""
            text = f"{len(n):,} readings of {span} repos, {panel}{breaks}"
            if self.left_out:
                text += f"; {len(self.left_out)} overlap(s) left out (see the app)"
            return text
        text = f"{self.panel_text()}; {len(n):,} readings of {span} repos each"
        if self.left_out:
            text += "; left out: " + "; ".join(self.left_out)
        return text

    def panel_text(self) -> str:
        """Which panel the figure is on, in words."""
        if self.panel == "fixed":
            n = int(self.subjects.sum())
            if not len(self.rows):
                return "Fixed panel: no readings in this range"
            lo, hi = self.dates.min().date().isoformat(), self.dates.max().date().isoformat()
            return (
                f"Fixed panel: the {n:,} repos present in all {len(self.rows)} readings from {lo} to {hi}"
                if n
                else f"Fixed panel: no repo is in all {len(self.rows)} readings from {lo} to {hi}; narrow the range"
            )
        return "Each reading's own repos (the panel changes between readings; see each point's coverage)"


def select(
    frame: pd.DataFrame,
    series: Iterable[str] | None = None,
    *,
    panel: str = "all",
    start: Any = None,
    end: Any = None,
) -> Selection:
    """The readings of `series` (all by default) between start and end (inclusive), overlaps
    resolved by priority, optionally on a fixed panel (module docstring)."""
    cube = _cube(frame)
    wanted = tuple(s for s in (series if series is not None else SERIES) if s in SERIES)
    if panel == "fixed":
        wanted = tuple(s for s in wanted if s != "trending")
    mask = np.isin(cube.series, wanted) if len(cube.series) else np.zeros(0, dtype=bool)
    if start is not None:
        mask &= cube.dates >= pd.Timestamp(start)
    if end is not None:
        mask &= cube.dates <= pd.Timestamp(end)
    left_out: list[str] = []
    if panel == "fixed" and series is not None and "trending" in tuple(series):
        left_out.append("the trending list (twelve new repos a day never forms a fixed panel)")
    # overlap: a lower-priority series' readings inside a higher-priority series' span go
    present = [s for s in wanted if (mask & (cube.series == s)).any()]
    for s in present:
        rows = mask & (cube.series == s)
        lo, hi = cube.dates[rows].min(), cube.dates[rows].max()
        for other in present:
            if SERIES[other].priority >= SERIES[s].priority:
                continue
            inside = mask & (cube.series == other) & (cube.dates >= lo) & (cube.dates <= hi)
            if inside.any():
                mask &= ~inside
                left_out.append(
                    f"{int(inside.sum())} {SERIES[other].label} readings inside the span of the "
                    f"{SERIES[s].label} ({lo.date().isoformat()} to {hi.date().isoformat()})"
                )
    if panel == "fixed":
        # a partial reading (under half its series' median coverage in the window) would empty the
        # panel: left out, and said so
        n = cube.present.sum(axis=1)
        for s in present:
            rows_s = mask & (cube.series == s)
            med = float(np.median(n[rows_s])) if rows_s.any() else 0.0
            partial = rows_s & (n < PARTIAL_SHARE * med)
            if partial.any():
                mask &= ~partial
                days = ", ".join(d.date().isoformat() for d in cube.dates[partial])
                left_out.append(f"{int(partial.sum())} partial {SERIES[s].label} readings ({days})")
    rows = np.flatnonzero(mask)
    subjects = np.ones(cube.n_subjects, dtype=bool)
    if panel == "fixed":
        subjects = cube.present[rows].all(axis=0) if len(rows) else np.zeros(cube.n_subjects, dtype=bool)
    return Selection(frame, rows, subjects, panel, wanted, left_out)


# -- figures from a selection ----------------------------------------------------------------------
def _group_codes(frame: pd.DataFrame, cube: _Cube, column: str, missing: str) -> tuple[np.ndarray, list[str]]:
    """Each subject's group code under `column` and the groups' labels (made once per cube: the
    frame has a row per reading, ten million in the benchmark)."""
    key = (column, missing)
    if key not in cube.group_codes:
        cube.group_codes[key] = _make_group_codes(frame, cube, column, missing)
    codes, labels = cube.group_codes[key]
    return codes, list(labels)


def _make_group_codes(frame: pd.DataFrame, cube: _Cube, column: str, missing: str) -> tuple[np.ndarray, list[str]]:
    per_subject = np.full(cube.n_subjects, -1, dtype=np.int64)
    col = frame[column]
    labels = [str(c) for c in col.cat.categories]
    if len(frame):
        per_subject[cube.subject_codes] = col.cat.codes.to_numpy()
    if (per_subject < 0).any():
        if missing in labels:
            per_subject[per_subject < 0] = labels.index(missing)
        else:
            per_subject[per_subject < 0] = len(labels)
            labels.append(missing)
    return per_subject, labels


def _span_product(matrix: np.ndarray, sel: Selection, weights: np.ndarray) -> np.ndarray:
    """`matrix[sel.rows] @ weights` without copying the rows: the product runs on the view of the
    rows' whole span (readings left out inside it cost a row of the product, not a copy of the
    matrix) and the kept rows are taken from the small result."""
    rows = sel.rows
    if not len(rows):
        return np.zeros((0,) + weights.shape[1:])
    out = matrix[rows[0] : rows[-1] + 1] @ weights
    return out if rows[-1] - rows[0] + 1 == len(rows) else out[rows - rows[0]]


def _sums(
    sel: Selection, codes: np.ndarray, n_groups: int, *, counts: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per kept reading and group: the summed value and (if asked) how many repos have a value."""
    cube = sel.cube
    # subjects outside the panel get a zero row of weights instead of being sliced out (no copy)
    onehot = np.zeros((cube.n_subjects, n_groups))
    inside = np.flatnonzero(sel.subjects)
    onehot[inside, codes[inside]] = 1.0
    sums = _span_product(cube.values0, sel, onehot)
    return sums, (_span_product(cube.present_f, sel, onehot.astype(np.float32)) if counts else None)


def group(sel: Selection, by: Grouping) -> pd.DataFrame:
    """Wide frame: one row per kept reading (index date), one column per group: the sum over the
    group's repos in that reading (NaN where it has none). Columns by last value, largest first;
    the unattributed group is always kept."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group adoption by {by!r}")
    cube = sel.cube
    column = {"country": "country", "organization": "organization_name", "family": "family"}[by]
    missing = NO_FAMILY if by == "family" else UNATTRIBUTED
    codes, labels = _group_codes(sel.frame, cube, column, missing)
    sums, counts = _sums(sel, codes, len(labels))
    sums[counts == 0] = np.nan
    out = pd.DataFrame(sums, index=sel.dates, columns=labels)
    out.index.name = "date"
    out = out.loc[:, counts.sum(axis=0) > 0]
    if len(out):
        last = out.ffill().iloc[-1].fillna(0)
        out = out[sorted(out.columns, key=lambda c: (-last[c], c))]
    out.columns.name = by
    return out


def top_groups(wide: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most `limit` columns: the largest `limit - 1` groups and one summed "N more ... (combined)"
    column; the unattributed group is never merged in (it stays as its own column)."""
    keep_apart = [c for c in wide.columns if str(c) in (UNATTRIBUTED, NO_FAMILY)]
    groups = [c for c in wide.columns if c not in keep_apart]
    if len(groups) <= limit:
        return wide
    keep, rest = groups[: limit - 1], groups[limit - 1 :]
    out = wide[keep].copy()
    by = wide.columns.name or "group"
    out[f"{len(rest)} more {PLURALS.get(by, by + 's')} (combined)"] = wide[rest].sum(axis=1, min_count=1)
    for c in keep_apart:
        out[c] = wide[c]
    out.columns.name = wide.columns.name
    return out


def shares(sel: Selection) -> pd.DataFrame:
    """Per kept reading (index date): percent of the reading's summed value per BUCKETS column
    (rows sum to 100), plus `n_repos`, `total` and `series` columns."""
    cube = sel.cube
    codes, labels = _group_codes(sel.frame, cube, "bucket", UNATTRIBUTED)
    sums, _ = _sums(sel, codes, len(labels), counts=False)
    by_label = {lab: sums[:, i] for i, lab in enumerate(labels)}
    total = sums.sum(axis=1)
    out = pd.DataFrame(index=sel.dates)
    out.index.name = "date"
    for b in BUCKETS:
        col = by_label.get(b, np.zeros(len(sel.rows)))
        out[b] = np.divide(col * 100.0, total, out=np.full(len(total), np.nan), where=total > 0)
    out["n_repos"] = sel.n_repos()
    out["total"] = total
    out["series"] = sel.series
    return out


def share_rows(table: pd.DataFrame) -> list[ShareRow]:
    """A `shares` table (one row per reading) as `reading_series` rows (the crossover rules and the
    charts' words take them)."""
    n = table["n_repos"] if "n_repos" in table else pd.Series(0, index=table.index)
    total = table["total"] if "total" in table else pd.Series(math.nan, index=table.index)
    return [
        ShareRow(day.date(), str(key), {b: float(v) for b, v in zip(BUCKETS, values)}, int(count), float(whole))
        for day, key, values, count, whole in zip(
            table.index, table["series"], table[list(BUCKETS)].to_numpy(dtype=float), n, total
        )
    ]


def crossover(table: pd.DataFrame, leader: str = "CN", other: str = "US") -> list[Crossover]:
    """The crossovers in a `shares` table, one series at a time (panels differ between series, so
    a lead that changes between two series is not dated: see `lead_between_series`).

    Within a series the date is the first reading of the final run in which `leader` > `other`,
    after a reading where it was not. A series where `leader` is ahead at every reading, or behind
    at its last, shows none. One rule with the brief's: `reading_series.share_crossovers`.
    """
    return share_crossovers(share_rows(table), leader, other)


def segments(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Runs of consecutive rows of one series."""
    if table.empty:
        return []
    keys = table["series"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return [(str(keys[a]), table.iloc[a:b]) for a, b in zip(starts, ends)]


def lead_between_series(
    table: pd.DataFrame, leader: str = "CN", other: str = "US", *, short: bool = False
) -> list[str]:
    """Sentences for each change of lead from one series' last reading to the next series' first
    (`short`: the series' short names and fewer words, for a printed caption); the brief's rule,
    `reading_series.share_lead_between_series`."""
    return share_lead_between_series(share_rows(table), leader, other, short=short)


@dataclass(frozen=True)
class Coverage:
    """One reading: its series, date, how many repos it covers and which (largest first)."""

    series: str
    date: dt.date
    repos: tuple[tuple[str, float, str, str], ...]  # (repo, value, group label, attribution basis)
    total: float
    unattributed: int

    @property
    def n(self) -> int:
        return len(self.repos)

    def text(self, limit: int = 12, value_text=lambda v: f"{v:,.0f}") -> str:
        """Plain lines for a tooltip: the reading, its coverage, the largest repos."""
        head = (
            f"{SERIES[self.series].label}, {self.date.isoformat()}: {self.n:,} repos"
            f" ({self.unattributed:,} unattributed), total {value_text(self.total)}"
        )
        lines = [head] + [f"  {repo}: {value_text(v)} ({label})" for repo, v, label, _ in self.repos[:limit]]
        if self.n > limit:
            lines.append(f"  … and {self.n - limit:,} more repos")
        return "\n".join(lines)


def _subject_attrs(sel: Selection) -> pd.DataFrame:
    """Per-subject attribution columns, indexed by subject (cached on the cube)."""
    cube = sel.cube
    if getattr(cube, "attrs", None) is None:
        cube.attrs = sel.frame.drop_duplicates("subject").set_index("subject")
    return cube.attrs


def coverage(sel: Selection, position: int, by: Grouping = "country") -> Coverage:
    """Coverage of the `position`-th kept reading of a selection."""
    cube = sel.cube
    row = sel.rows[position]
    cols = np.flatnonzero(cube.present[row] & sel.subjects)
    column = {"country": "country", "organization": "organization_name", "family": "family"}[by]
    attrs = _subject_attrs(sel).reindex([cube.subjects[c] for c in cols])
    missing = NO_FAMILY if by == "family" else UNATTRIBUTED
    labels = [v if isinstance(v, str) else missing for v in attrs[column].astype(object)]
    values = cube.values[row, cols]
    items = sorted(
        (
            (str(cube.subjects[c]), float(v), lab, str(basis))
            for c, v, lab, basis in zip(cols, values, labels, attrs["basis"].astype(object))
        ),
        key=lambda t: (-t[1], t[0]),
    )
    unattributed = int((attrs["bucket"].astype(object) == UNATTRIBUTED).sum())
    return Coverage(str(cube.series[row]), cube.dates[row].date(), tuple(items), float(values.sum()), unattributed)


def reading_count(frame: pd.DataFrame) -> int:
    """How many readings (series x date) a frame holds."""
    return len(_cube(frame).dates)


# -- the summary every surface quotes ---------------------------------------------------------------
def share_summary(
    frame: pd.DataFrame, series: Iterable[str] = SHARE_SERIES, *, panel: str = "all", start: Any = None, end: Any = None
) -> ShareSummary | None:
    """The share figures of a selection, or None when it has no reading with downloads."""
    sel = select(frame, series, panel=panel, start=start, end=end)
    table = shares(sel)
    table = table[table["total"] > 0]
    if table.empty:
        return None

    def at(i: int) -> ShareReading:
        row = table.iloc[i]
        return ShareReading(
            table.index[i].date(), str(row["series"]), {b: float(row[b]) for b in BUCKETS}, int(row["n_repos"])
        )

    return ShareSummary(
        at(0),
        at(-1),
        sel.panel_text(),
        sel.series_keys,
        tuple(crossover(table)),
        tuple(lead_between_series(table)),
        tuple(sel.left_out),
    )
