"""readings: attribution (re-uploads), coverage per reading, fixed panels, overlaps, shares, crossover."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from briefing.core import readings
from briefing.core.records import validate

SRC = ["kbhandari-forecast"]


def reading(
    repo: str, day: str, value: float, series: str = "llmfit", metric: str = "downloads_30d", rid: str | None = None
) -> dict:
    return validate(
        "adoption",
        {
            "id": rid or f"t.{series}.{repo.replace('/', '--')}.{metric}.{day}",
            "subject_kind": "hf_repo",
            "subject": repo,
            "metric": metric,
            "value": value,
            "unit": "count",
            "as_of": day,
            "method": "test",
            "series": series,
            "sources": SRC,
        },
    )


def lineage(repo: str, bases: list[str], relation: str | None) -> dict:
    return validate(
        "hf_repo", {"id": repo, "base_models": bases, "relation": relation, "as_of": "2026-05-01", "sources": SRC}
    )


@pytest.fixture
def bare_store(store):
    """The fixture store without its own readings (each test here builds exactly the ones it needs)."""
    store.remove_records("adoption", [r["id"] for r in store.records("adoption") if r.get("series")])
    return store


@pytest.fixture
def lineage_store(bare_store):
    store = bare_store
    store.put_records(
        "hf_namespace",
        [
            validate("hf_namespace", {"id": "nomic-ai", "region": "us", "sources": SRC}),
            validate("hf_namespace", {"id": "bigcode", "region": "unknown", "note": "a collaboration", "sources": SRC}),
        ],
        origin="local",
    )
    store.put_records(
        "hf_repo",
        [
            lineage("unsloth/Qwen2.5-72B-Instruct-GGUF", ["Qwen/Qwen2.5-72B"], "quantized"),
            lineage("bartowski/Llama-3.1-8B-GGUF", ["meta-llama/Llama-3.1-8B"], None),  # same name: a re-upload
            lineage("mirror/Qwen2.5-72B", ["Qwen/Qwen2.5-72B"], "finetune"),  # same name: a re-upload
            lineage("someone/fancy-tune", ["Qwen/Qwen2.5-72B"], "finetune"),  # a new model: its uploader's
            lineage("again/Qwen2.5-72B-Instruct-GGUF", ["unsloth/Qwen2.5-72B-Instruct-GGUF"], "quantized"),
        ],
        origin="local",
    )
    return store


def test_reuploads_count_for_the_base_models_developer(lineage_store):
    a = readings.Attribution(lineage_store)
    q = a.of("unsloth/Qwen2.5-72B-Instruct-GGUF")
    assert (q.organization, q.country, q.bucket, q.family, q.model) == (
        "alibaba-qwen",
        "CN",
        "CN",
        "Qwen",
        "qwen2.5-72b",
    )
    assert "re-upload of Qwen/Qwen2.5-72B" in q.basis
    assert a.of("bartowski/Llama-3.1-8B-GGUF").organization == "meta"
    assert a.of("mirror/Qwen2.5-72B").country == "CN"
    assert a.of("again/Qwen2.5-72B-Instruct-GGUF").country == "CN"  # a re-upload of a re-upload
    tune = a.of("someone/fancy-tune")  # a fine-tune under a new name is not Alibaba's
    assert tune.bucket == readings.UNATTRIBUTED and not tune.attributed
    assert a.of("nobody/GGUF-of-something").bucket == readings.UNATTRIBUTED  # no base model recorded
    # the developer's own account, the catalogue, and an ATOM-only account
    assert a.of("deepseek-ai/DeepSeek-V3").organization == "deepseek"
    assert a.of("Qwen/Qwen2.5-72B").basis == "a catalogued model's repo"
    nomic = a.of("nomic-ai/nomic-embed-text-v1.5")
    assert (nomic.country, nomic.bucket, nomic.organization_name) == ("US", "US", "nomic-ai (Hub account)")
    assert "ATOM" in nomic.basis
    big = a.of("bigcode/starcoder2-15b")
    assert big.bucket == readings.UNATTRIBUTED and "no single country" in big.basis


@pytest.fixture
def panel_store(lineage_store):
    lineage_store.put_records(
        "adoption",
        [
            reading("Qwen/Qwen2.5-72B", "2026-03-01", 600),
            reading("meta-llama/Llama-3.1-8B", "2026-03-01", 300),
            reading("nobody/thing", "2026-03-01", 100),
            reading("Qwen/Qwen2.5-72B", "2026-04-01", 500),
            reading("meta-llama/Llama-3.1-8B", "2026-04-01", 400),
            reading("unsloth/Qwen2.5-72B-Instruct-GGUF", "2026-04-01", 100),  # new in this reading
            reading("Qwen/Qwen2.5-72B", "2026-05-01", 700),
            reading("meta-llama/Llama-3.1-8B", "2026-05-01", 200),
            reading("nobody/thing", "2026-05-01", 100),
            # a trending reading inside the llmfit span, and one after it
            reading("Qwen/Qwen2.5-72B", "2026-04-15", 9, series="trending"),
            reading("meta-llama/Llama-3.1-8B", "2026-06-01", 50, series="trending"),
            # an older series: a gap between it and llmfit
            reading("meta-llama/Llama-3.1-8B", "2024-10-01", 90, series="forecast"),
            reading("Qwen/Qwen2.5-72B", "2024-10-01", 10, series="forecast"),
        ],
        origin="local",
    )
    return lineage_store


def test_every_reading_carries_its_coverage(panel_store):
    frame = readings.readings_frame(panel_store)
    sel = readings.select(frame, ["forecast", "llmfit"])
    assert [d.date().isoformat() for d in sel.dates] == ["2024-10-01", "2026-03-01", "2026-04-01", "2026-05-01"]
    assert list(sel.series) == ["forecast", "llmfit", "llmfit", "llmfit"]
    assert list(sel.n_repos()) == [2, 3, 3, 3]
    cov = readings.coverage(sel, 2)
    assert (cov.series, cov.date, cov.n, cov.total, cov.unattributed) == ("llmfit", dt.date(2026, 4, 1), 3, 1000.0, 0)
    assert [r[0] for r in cov.repos] == [
        "Qwen/Qwen2.5-72B",
        "meta-llama/Llama-3.1-8B",
        "unsloth/Qwen2.5-72B-Instruct-GGUF",
    ]
    assert cov.repos[2][2] == "CN" and "re-upload" in cov.repos[2][3]
    text = cov.text()
    assert text.startswith("llmfit scrapes, 2026-04-01: 3 repos (0 unattributed), total 1,000")
    assert readings.coverage(sel, 1).unattributed == 1


def test_grouping_sums_each_reading_and_keeps_unattributed(panel_store):
    sel = readings.select(readings.readings_frame(panel_store), ["llmfit"])
    g = readings.group(sel, "country")
    assert list(g.columns) == ["CN", "US", readings.UNATTRIBUTED]
    assert g["CN"].tolist() == [600.0, 600.0, 700.0]  # the re-upload counts for China on 04-01
    assert g["US"].tolist() == [300.0, 400.0, 200.0]
    assert g[readings.UNATTRIBUTED].tolist()[0] == 100.0 and np.isnan(g[readings.UNATTRIBUTED].iloc[1])
    fam = readings.group(sel, "family")
    assert fam.loc["2026-04-01", "Qwen"] == 600.0


def test_fixed_panel_keeps_repos_in_every_reading(panel_store):
    frame = readings.readings_frame(panel_store)
    sel = readings.select(frame, ["llmfit"], panel="fixed")
    assert int(sel.subjects.sum()) == 2  # nobody/thing and the re-upload miss a reading
    assert sel.panel_text().startswith(
        "Fixed panel: the 2 repos present in all 3 readings from 2026-03-01 to 2026-05-01"
    )
    assert readings.group(sel, "country")["CN"].tolist() == [600.0, 500.0, 700.0]
    window = readings.select(frame, ["llmfit"], panel="fixed", start="2026-04-01")
    assert int(window.subjects.sum()) == 2 and len(window.rows) == 2
    with_trending = readings.select(frame, ["llmfit", "trending"], panel="fixed")
    assert "trending" not in with_trending.series_keys and "never forms a fixed panel" in with_trending.left_out[0]


def test_overlapping_series_the_wider_panel_stands(panel_store):
    sel = readings.select(readings.readings_frame(panel_store), ["llmfit", "trending"])
    assert [d.date().isoformat() for d in sel.dates] == ["2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"]
    assert list(sel.series) == ["llmfit", "llmfit", "llmfit", "trending"]
    assert sel.left_out == [
        "1 Hub trending list (daily-huggingface) readings inside the span of the llmfit"
        " scrapes (2026-03-01 to 2026-05-01)"
    ]


def test_shares_per_reading_sum_to_100(panel_store):
    table = readings.shares(readings.select(readings.readings_frame(panel_store), ["forecast", "llmfit"]))
    assert list(table.columns[:4]) == list(readings.BUCKETS)
    assert np.allclose(table[list(readings.BUCKETS)].sum(axis=1), 100.0)
    assert table.loc["2026-03-01", "CN"] == pytest.approx(60.0)
    assert table.loc["2026-03-01", readings.UNATTRIBUTED] == pytest.approx(10.0)
    assert table.loc["2024-10-01", "US"] == pytest.approx(90.0)
    assert table["n_repos"].tolist() == [2, 3, 3, 3]


def _table(cn: list[float], us: list[float], series: list[str] | None = None) -> pd.DataFrame:
    idx = pd.date_range("2025-01-01", periods=len(cn), freq="7D", name="date")
    t = pd.DataFrame({"CN": cn, "US": us}, index=idx)
    t["Other"] = 100 - t["CN"] - t["US"]
    t[readings.UNATTRIBUTED] = 0.0
    t["series"] = series or ["llmfit"] * len(cn)
    return t


def test_crossover_on_a_constructed_series():
    t = _table([20, 30, 45, 50, 55], [50, 45, 40, 30, 25])
    (c,) = readings.crossover(t)
    assert (c.date, c.before, c.series, c.crossings) == (dt.date(2025, 1, 15), dt.date(2025, 1, 8), "llmfit", 1)
    # the last of several crossings, the one after which China stays ahead
    (c,) = readings.crossover(_table([20, 50, 30, 50, 60], [40, 40, 40, 40, 30]))
    assert c.date == dt.date(2025, 1, 22) and c.crossings == 3
    assert readings.crossover(_table([60, 61, 62], [20, 20, 20])) == []  # ahead from the first reading: none
    assert readings.crossover(_table([20, 60, 20], [40, 30, 40])) == []  # behind at the last reading: none
    assert readings.crossover(_table([50, 50], [50, 50])) == []  # a tie is not a lead


def test_no_crossover_is_dated_between_two_series():
    t = _table([10, 12, 60, 62], [30, 30, 20, 20], ["forecast", "forecast", "llmfit", "llmfit"])
    assert readings.crossover(t) == []
    (sentence,) = readings.lead_between_series(t)
    assert sentence.startswith("United States led at the last Forecast study")
    assert "China at the first llmfit scrapes reading (2025-01-15)" in sentence and "not dated" in sentence


def test_share_summary_names_first_latest_and_panel(panel_store):
    s = readings.share_summary(readings.readings_frame(panel_store), ["forecast", "llmfit"])
    assert (s.first.date, s.first.series, s.first.n_repos) == (dt.date(2024, 10, 1), "forecast", 2)
    assert s.latest.date == dt.date(2026, 5, 1) and s.latest.shares["CN"] == pytest.approx(70.0)
    assert s.panel.startswith("Each reading's own repos") and s.crossovers == ()
    assert len(s.between) == 1


def test_derivatives_carry_forward_within_a_series_only(bare_store):
    store = bare_store
    store.put_records(
        "adoption",
        [
            reading("Qwen/Qwen2.5-72B", "2024-01-10", 5, series="forecast", metric="derivatives"),
            reading("meta-llama/Llama-3.1-8B", "2024-02-10", 7, series="forecast", metric="derivatives"),
            reading("Qwen/Qwen2.5-72B", "2024-03-10", 9, series="forecast", metric="derivatives"),
            reading("Qwen/Qwen2.5-72B", "2026-05-01", 100, series="hub_orgs", metric="derivatives"),
        ],
        origin="local",
    )
    g = readings.group(readings.select(readings.readings_frame(store, metric="derivatives")), "family")
    assert g["Qwen"].tolist() == [5.0, 5.0, 9.0, 100.0]  # carried to 02-10, never into the sync
    assert np.isnan(g["Llama"].iloc[0]) and g["Llama"].tolist()[1:3] == [7.0, 7.0]
    assert np.isnan(g["Llama"].iloc[3])  # the sync did not read Llama: no carry across series


def _reference_frame(store, metric: str = "downloads_30d") -> pd.DataFrame:
    """readings_frame as first written (every row fetched at once, then sorted by pandas): what the
    chunked reader must give, row for row and dtype for dtype."""
    rows = store.adoption_readings(metric=metric)
    attribution = readings.Attribution(store)
    series, subjects, as_of, values = zip(*rows) if rows else ((), (), (), ())
    subj = pd.Categorical(np.asarray(subjects, dtype=object))
    attrs = [attribution.of(str(s)) for s in subj.categories]
    codes = subj.codes
    frame = pd.DataFrame(
        {
            "series": pd.Categorical(
                np.asarray([s if s in readings.SERIES else None for s in series], dtype=object),
                categories=list(readings.SERIES),
            ),
            "date": readings._dates(as_of),
            "subject": subj,
            "value": np.asarray(values, dtype=float),
        }
    )
    for col in ("model", "family", "organization", "organization_name", "country", "bucket", "basis"):
        per_subject = pd.Categorical([getattr(a, col) for a in attrs])
        frame[col] = pd.Categorical.from_codes(
            per_subject.codes[codes] if len(codes) else np.array([], dtype=int), dtype=per_subject.dtype
        )
    frame = frame.sort_values(["series", "date", "subject"], kind="stable").reset_index(drop=True)
    frame = frame[readings.FRAME_COLUMNS]
    frame.attrs["metric"] = metric
    return frame


def _rows_only(monkeypatch):
    """readings_frame through the row reader alone (the text reader declines)."""
    monkeypatch.setattr(readings, "_read_text", lambda store, metric: None)


@pytest.mark.parametrize("reader", ["text", "rows"])
@pytest.mark.parametrize("chunk", [1, 3, 250_000])
def test_both_readers_give_the_frame_the_whole_fetch_gave(panel_store, monkeypatch, reader, chunk):
    """Read a few rows at a time (blocks and chunks merged: subjects and dates first seen in
    different ones), the frame is the one a single fetch and a pandas sort made; empty too."""
    monkeypatch.setattr(readings, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(readings, "BLOCK_ROWS", chunk)
    if reader == "rows":
        _rows_only(monkeypatch)
    for metric in ("downloads_30d", "downloads_total", "derivatives"):
        got, want = readings.readings_frame(panel_store, metric=metric), _reference_frame(panel_store, metric)
        pd.testing.assert_frame_equal(got, want)
        assert got.attrs == want.attrs
    panel_store.remove_records("adoption", [r["id"] for r in panel_store.records("adoption") if r.get("series")])
    pd.testing.assert_frame_equal(readings.readings_frame(panel_store), _reference_frame(panel_store))


def test_the_text_reader_on_the_fixture_readings(store, monkeypatch):
    monkeypatch.setattr(readings, "BLOCK_ROWS", 5)
    got = readings.readings_frame(store)
    assert len(got)
    pd.testing.assert_frame_equal(got, _reference_frame(store))


def _raw(
    store, rowid: int, subject: str, day: str, value: float, series: str | None = "llmfit", metric="downloads_30d"
):
    """A row written past validation (what an older release or another tool might have left)."""
    store.db.execute(
        "INSERT INTO adoption (rowid, id, subject_kind, subject, metric, value, unit, as_of, method, series)"
        " VALUES (?, ?, 'hf_repo', ?, ?, ?, 'count', ?, 'test', ?)",
        [rowid, f"raw.{rowid}", subject, metric, value, day, series],
    )


@pytest.fixture
def odd_store(bare_store):
    """Readings with what a frame must keep exactly: repos with gaps, two rows of one repo on one
    day of one series, values that are not integers (and one at the schema's maximum), unicode
    and astral-plane repo names, attributed and unattributed repos."""
    store = bare_store
    twice = reading("Qwen/Qwen2.5-72B", "2026-02-01", 7)
    store.put_records(
        "adoption",
        [
            reading("Qwen/Qwen2.5-72B", "2026-01-01", 0.1),
            reading("Qwen/Qwen2.5-72B", "2026-03-01", 10**15),  # a gap at 02-01 in forecast
            twice,
            {**twice, "id": twice["id"] + ".again", "value": 8},  # the same repo, day and series
            reading("ünï/cödé-模型", "2026-01-01", 2.5, rid="t.unicode"),
            reading("emoji/🤖-bot", "2026-02-01", 123456789.123, rid="t.astral"),
            reading("meta-llama/Llama-3.1-8B", "2026-03-01", 5, series="forecast"),
            reading("Zed/a", "2025-12-31", 3, series="hub_top"),
            reading("nobody/thing", "2026-03-01", 1 / 3, series="hub_orgs"),
        ],
        origin="local",
    )
    return store


@pytest.mark.parametrize("reader", ["text", "rows"])
@pytest.mark.parametrize("block", [1, 2, 1_000_000])
def test_odd_readings_give_the_frame_the_whole_fetch_gave(odd_store, monkeypatch, reader, block):
    monkeypatch.setattr(readings, "BLOCK_ROWS", block)
    monkeypatch.setattr(readings, "CHUNK_ROWS", block)
    if reader == "rows":
        _rows_only(monkeypatch)
    got, want = readings.readings_frame(odd_store), _reference_frame(odd_store)
    pd.testing.assert_frame_equal(got, want)
    assert got["value"].tolist() == want["value"].tolist()  # bit for bit: 0.1, 1/3, 10**15
    twice = got.loc[(got["subject"] == "Qwen/Qwen2.5-72B") & (got["date"] == "2026-02-01"), "value"]
    assert twice.tolist() == [7.0, 8.0]  # in the store's order
    assert {"ünï/cödé-模型", "emoji/🤖-bot"} <= set(got["subject"].astype(str))


def test_one_repo_and_no_rows(bare_store):
    pd.testing.assert_frame_equal(readings.readings_frame(bare_store), _reference_frame(bare_store))
    bare_store.put_records("adoption", [reading("Zed/a", "2026-01-01", 4)], origin="local")
    got = readings.readings_frame(bare_store)
    pd.testing.assert_frame_equal(got, _reference_frame(bare_store))
    assert len(got) == 1


def test_rows_past_validation_give_the_same_frame(bare_store, monkeypatch):
    """A series not in SERIES (last, as NaN sorts), a rowid far from the others (blocks of
    rowids stay few), a date SQLite and pandas read differently in a row that is not a reading
    and one not written YYYY-MM-DD (the row reader decides then), one no reader reads (both
    refuse it alike)."""
    store = bare_store
    store.put_records("adoption", [reading("Qwen/Qwen2.5-72B", "2026-01-01", 4)], origin="local")
    _raw(store, 2**62, "Qwen/Qwen2.5-72B", "2026-01-08", 5, series="mystery")
    got = readings.readings_frame(store)
    pd.testing.assert_frame_equal(got, _reference_frame(store))
    assert got["series"].isna().tolist() == [False, True]
    _raw(store, 2**62 - 2, "Qwen/Qwen2.5-72B", "2026-02-30", 6, series=None)  # not a reading: no series
    taken = []
    real = readings._read_rows
    monkeypatch.setattr(readings, "_read_rows", lambda *a: taken.append(1) or real(*a))
    pd.testing.assert_frame_equal(readings.readings_frame(store), _reference_frame(store))
    assert taken  # SQLite reads 2026-02-30 as March 1st, pandas not at all: the row reader read
    _raw(store, 2**62 - 1, "Qwen/Qwen2.5-72B", "2026-1-09", 6)  # pandas reads it, unpadded
    pd.testing.assert_frame_equal(readings.readings_frame(store), _reference_frame(store))
    _raw(store, 2**62 - 3, "Qwen/Qwen2.5-72B", "2026-13-01", 6)
    with pytest.raises(ValueError):
        _reference_frame(store)
    with pytest.raises(ValueError):
        readings.readings_frame(store)


def test_the_grid_and_the_sort_order_rows_alike(odd_store, monkeypatch):
    want = readings.readings_frame(odd_store)
    monkeypatch.setattr(readings, "GRID_SLACK", -(10**9))  # every grid too large: the sort
    pd.testing.assert_frame_equal(readings.readings_frame(odd_store), want)


def test_a_cube_from_any_row_order_is_the_same(panel_store):
    """The cube finds a reading's rows in one pass when they are next to each other, as the
    frame has them; shuffled, it sorts, and holds the same matrix."""
    frame = readings.readings_frame(panel_store)
    shuffled = frame.sample(frac=1.0, random_state=3)
    a, b = readings._cube(frame), readings._cube(shuffled)
    assert list(a.dates) == list(b.dates) and list(a.series) == list(b.series)
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.values0, b.values0)
    rng = np.random.default_rng(1)
    for keys in (np.repeat(rng.permutation(50), rng.integers(1, 9, 50)), rng.integers(0, 20, 200), np.array([5])):
        got, inverse = readings._distinct(keys)
        assert len(set(got.tolist())) == len(got) and np.array_equal(got[inverse], keys)


def test_sources_by_series_in_one_pass_are_those_each_series_cites(panel_store):
    for metric in ("downloads_30d", "derivatives", "downloads_total"):
        cited = panel_store.reading_sources_by_series(metric=metric)
        for series in readings.SERIES:
            assert cited.get(series, set()) == set(panel_store.reading_source_ids(metric=metric, series=[series])), (
                series
            )


def _cited_by_join(store, metric):
    """The sources per series as one join of every reading with its citations (the reference)."""
    out = {}
    for series, source in store.db.execute(
        "SELECT DISTINCT a.series, x.source_id FROM adoption a JOIN adoption_source x ON x.record_id = a.id"
        " WHERE a.metric = ? AND a.series IS NOT NULL",
        [metric],
    ):
        out.setdefault(series, set()).add(source)
    return out


@pytest.mark.parametrize("first_look", [0, 1, 2, 256, None])
def test_sources_asked_pair_by_pair_are_those_the_join_finds(panel_store, monkeypatch, first_look):
    """Sources cited by many readings of one series and none of another, by few readings late in
    their citations, by two series: from either side of each (source, series) pair, and (None)
    from the readings' citations, as for few readings."""
    if first_look is not None:
        monkeypatch.setattr(type(panel_store), "_FIRST_LOOK", first_look)
        monkeypatch.setattr(type(panel_store), "_JOIN_READINGS", 0)
    rows = []
    for k in range(6):
        r = reading(f"many/repo-{k}", "2026-03-01", k, rid=f"t.many.{k}")
        rows.append({**r, "sources": ["epoch-notable"]})
    rows.append({**reading("late/one", "2024-10-01", 1, series="forecast", rid="t.late"), "sources": ["epoch-notable"]})
    rows.append(
        {
            **reading("two/cites", "2026-05-01", 2, series="hub_orgs", rid="t.two"),
            "sources": ["epoch-notable", "fr-2025-00636"],
        }
    )
    rows.append({**reading("two/cites", "2026-05-01", 2, metric="likes", rid="t.other"), "sources": ["fr-2025-00636"]})
    panel_store.put_records("adoption", rows, origin="local")
    for metric in ("downloads_30d", "likes", "derivatives"):
        want = _cited_by_join(panel_store, metric)
        assert panel_store.reading_sources_by_series(metric=metric) == want
        for series in [*readings.SERIES, "mystery"]:
            expect = sorted(want.get(series, set()))
            assert panel_store.reading_source_ids(metric=metric, series=[series]) == expect, (metric, series)
        both = sorted(want.get("llmfit", set()) | want.get("forecast", set()))
        assert panel_store.reading_source_ids(metric=metric, series=["llmfit", "forecast"]) == both
