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

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTab", '=HYPERLINK("http://x")']


def _roundtrip(rows):
    buf = io.StringIO(newline="")
    write_csv(["text", "n", "x"], rows, buf)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
def test_csv_guard_property(text, n, x):
    out = _roundtrip([[guard_cell(text), guard_cell(n), guard_cell(x)]])
    header, row = out[0], out[1]
    assert header == ["text", "n", "x"]
    cell = row[0]
    if text.lstrip().startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS):
        assert cell == "'" + text  # prefixed, and the prefix is all that changed
    else:
        assert cell == text
    assert not cell.startswith(FORMULA_TRIGGERS)
    # numbers stay numbers: never prefixed, parse back to the same value
    assert int(row[1]) == n and float(row[2]) == x


@given(st.sampled_from(FORMULA_TRIGGERS), st.text(max_size=10))
def test_every_trigger_is_guarded(trigger, rest):
    assert guard_cell(trigger + rest) == "'" + trigger + rest


@given(st.sampled_from([" ", "  ", "\n", "\u3000", "\u00a0", " \n "]), st.sampled_from("=+-@"), st.text(max_size=10))
def test_a_trigger_after_leading_white_space_is_guarded(space, trigger, rest):
    # A spreadsheet that trims cells on import (LibreOffice's 'Trim spaces', Sheets) would run ' =1+1'.
    assert guard_cell(space + trigger + rest) == "'" + space + trigger + rest


def test_text_with_an_inner_trigger_is_unchanged():
    assert guard_cell("Qwen 2.5 = best?") == "Qwen 2.5 = best?" and guard_cell(" a-b") == " a-b"


def test_codes_read_as_words():
    from briefing.core.names import code_words

    assert code_words("ai") == "AI-specific" and code_words("ai_and_other") == "AI with other technologies"
    assert code_words("in_force") == "in force" and code_words("press_reported") == "press-reported"


def test_negative_numbers_are_not_text():
    assert guard_cell(-5) == -5 and guard_cell(-2.5) == -2.5


def _add_hostile(store):
    recs = [
        validate(
            "investment",
            {
                "id": f"hostile-{i}",
                "country": "US",
                "actor": title,
                "title": title,
                "amount": 1000 + i,
                "currency": "USD",
                "amount_usd": 1000.5 + i,
                "announced_on": "2025-01-01",
                "category": "compute",
                "status": "announced",
                "sources": ["epoch-notable", "fr-2025-00636"],
            },
        )
        for i, title in enumerate(HOSTILE)
    ]
    store.put_records("investment", recs, origin="local")


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_starts_with_a_utf8_bom_and_keeps_chinese_and_currency_signs(store, tmp_path):
    store.put_records(
        "investment",
        [
            validate(
                "investment",
                {
                    "id": "cn-bom",
                    "country": "CN",
                    "actor": "国家人工智能产业投资基金",
                    "title": "人工智能 fund: €1 bn, ¥8 bn",
                    "amount": 1e9,
                    "currency": "EUR",
                    "amount_usd": None,
                    "announced_on": "2025-01-01",
                    "category": "compute",
                    "status": "announced",
                    "sources": ["epoch-notable"],
                },
            )
        ],
        origin="local",
    )
    export_table(store, "investments", "csv", tmp_path / "inv.csv")
    raw = (tmp_path / "inv.csv").read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf" and raw[3:5] == b"id"  # Excel's UTF-8 signal, once
    assert "人工智能 fund: €1 bn, ¥8 bn".encode() in raw
    rows = _read_csv(tmp_path / "inv.csv")
    assert rows[0][0] == "id"


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


def test_xlsx_has_the_csv_rows_typed_for_reading(store, tmp_path):
    import datetime as dt

    from openpyxl import load_workbook

    _add_hostile(store)
    for kind in TABLE_KINDS:
        export_table(store, kind, "csv", tmp_path / f"{kind}.csv")
        export_table(store, kind, "xlsx", tmp_path / f"{kind}.xlsx")
        ws = load_workbook(tmp_path / f"{kind}.xlsx").active
        csv_rows = _read_csv(tmp_path / f"{kind}.csv")
        # the same records in the same order, with a header in words, a filter and widths
        assert [r[0].value for r in ws.iter_rows(min_row=2)] == [r[0] for r in csv_rows[1:]], kind
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{len(csv_rows)}", kind
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1]), kind
        header = [c.value for c in ws[1]]
        assert not any("_" in h for h in header), header  # no field names
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "s":
                    assert not cell.value.startswith(FORMULA_TRIGGERS)
                    assert cell.value not in ("true", "false", "in_force", "open_weights")  # no codes
                assert cell.value != ""  # missing values are blank cells
    ws = load_workbook(tmp_path / "investments.xlsx").active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["ID", "Country", "Actor", "Title"] and "Amount (USD)" in header and "Announced on" in header
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        assert isinstance(cells["Amount"].value, (int, float)) and cells["Amount"].number_format == "#,##0"
        assert isinstance(cells["Announced on"].value, dt.datetime) and cells["Announced on"].is_date
        assert cells["Announced on"].number_format == "yyyy-mm-dd"
        assert cells["Title"].data_type == "s"  # never a formula
    hostile = {r[0].value: dict(zip(header, r)) for r in ws.iter_rows(min_row=2)}["hostile-0"]
    assert hostile["Title"].value == "'" + HOSTILE[0] and hostile["Status"].value == "announced"
    ws = load_workbook(tmp_path / "policy-actions.xlsx").active
    header = [c.value for c in ws[1]]
    stages = {r[header.index("Stage")].value for r in ws.iter_rows(min_row=2)}
    assert stages and not any("_" in s for s in stages)


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
