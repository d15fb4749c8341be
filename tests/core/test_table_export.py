"""Table exports: CSV formula guard (property-tested), XLSX equal to CSV, JSON, filters, sources."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.errors import BriefingError
from briefing.core.records import validate
from briefing.core.table_export import FORMULA_TRIGGERS, TABLE_KINDS, export_table, guard_cell, table_records, write_csv

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTab", "=HYPERLINK(\"http://x\")"]


def _roundtrip(rows):
    buf = io.StringIO(newline="")
    write_csv(["text", "n", "x"], rows, buf)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), st.integers(), st.floats(allow_nan=False, allow_infinity=False))
def test_csv_guard_property(text, n, x):
    out = _roundtrip([[guard_cell(text), guard_cell(n), guard_cell(x)]])
    header, row = out[0], out[1]
    assert header == ["text", "n", "x"]
    cell = row[0]
    if text.startswith(FORMULA_TRIGGERS):
        assert cell == "'" + text  # prefixed, and the prefix is all that changed
    else:
        assert cell == text
    assert not cell.startswith(FORMULA_TRIGGERS)
    # numbers stay numbers: never prefixed, parse back to the same value
    assert int(row[1]) == n and float(row[2]) == x


@given(st.sampled_from(FORMULA_TRIGGERS), st.text(max_size=10))
def test_every_trigger_is_guarded(trigger, rest):
    assert guard_cell(trigger + rest) == "'" + trigger + rest


def test_negative_numbers_are_not_text():
    assert guard_cell(-5) == -5 and guard_cell(-2.5) == -2.5


def _add_hostile(store):
    recs = [validate("investment", {
        "id": f"hostile-{i}", "country": "US", "actor": title, "title": title, "amount": 1000 + i,
        "currency": "USD", "amount_usd": 1000.5 + i, "announced_on": "2025-01-01", "category": "compute",
        "status": "announced", "sources": ["epoch-notable", "fr-2025-00636"],
    }) for i, title in enumerate(HOSTILE)]
    store.put_records("investment", recs, origin="local")


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_file_guards_and_keeps_sources(store, tmp_path):
    _add_hostile(store)
    n = export_table(store, "investments", "csv", tmp_path / "inv.csv")
    rows = _read_csv(tmp_path / "inv.csv")
    assert len(rows) == n + 1
    header = rows[0]
    assert "sources" in header and "source_urls" in header
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(FORMULA_TRIGGERS)
    by_id = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    h0 = by_id["hostile-0"]
    assert h0["title"] == "'" + HOSTILE[0]
    assert h0["amount"] == "1000" and h0["amount_usd"] == "1000.5"
    assert h0["sources"] == "epoch-notable; fr-2025-00636"
    assert h0["source_urls"].startswith("https://epoch.ai/")


def test_xlsx_has_the_same_rows_as_csv(store, tmp_path):
    from openpyxl import load_workbook

    _add_hostile(store)
    for kind in TABLE_KINDS:
        export_table(store, kind, "csv", tmp_path / f"{kind}.csv")
        export_table(store, kind, "xlsx", tmp_path / f"{kind}.xlsx")
        ws = load_workbook(tmp_path / f"{kind}.xlsx").active
        xrows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
        assert xrows == _read_csv(tmp_path / f"{kind}.csv"), kind
    ws = load_workbook(tmp_path / "investments.xlsx").active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        assert isinstance(cells["amount"].value, (int, float))  # numbers stay numeric
        assert cells["title"].data_type == "s"  # never a formula


def test_json_export(store, tmp_path):
    export_table(store, "policy-actions", "json", tmp_path / "p.json")
    doc = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert doc["table"] == "policy-actions" and doc["data_as_of"] == "2025-08-31"
    row = doc["rows"][0]
    assert row["sources"] == ["fr-2025-00636"] and row["identifiers"] == {"fr_doc": "2025-00636"}
    assert row["source_urls"] == ["https://www.federalregister.gov/d/2025-00636"]


def test_ids_and_filters_limit_rows_as_in_the_app(store):
    cols, recs = table_records(store, "models", ids=["qwen2.5-72b", "deepseek-r1", "missing"])
    assert [r["id"] for r in recs] == ["qwen2.5-72b", "deepseek-r1"]
    assert {r["country"] for r in recs} == {"CN"}
    _, recs = table_records(store, "models", filters={"access": ["open_weights"]})
    assert [r["id"] for r in recs] == ["deepseek-r1"]
    with pytest.raises(BriefingError):
        table_records(store, "models", filters={"nonsense": 1})


def test_failed_export_leaves_no_file(store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BriefingError):
        export_table(store, "models", "docx", out / "x.docx")
    with pytest.raises(BriefingError):
        export_table(store, "models", "csv", out / "x.csv", filters={"nonsense": 1})
    assert list(out.iterdir()) == []
