"""The text cleaner and the CSV/XLSX formula guard, on any text."""

from __future__ import annotations

import csv
import io
import unicodedata

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.table_export import FORMULA_TRIGGERS, flat_rows, write_csv, write_xlsx
from briefing.core.text import _INVISIBLE, clean_text
from tests.fuzz import SCALE

HOSTILE = st.sampled_from(
    list(
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f"
        "\u061c\u2060\ufeff\x00\x07\x1b\x7f\x85\ud800\udfff=+-@\t\r\n e\u0301"
    )
)
TEXT = st.lists(st.text(max_size=8) | HOSTILE, max_size=12).map("".join)


@settings(max_examples=500 * SCALE)
@given(TEXT)
def test_clean_text_removes_every_invisible_character_and_is_idempotent(value):
    out = clean_text(value)
    assert not _INVISIBLE.search(out)
    assert clean_text(out) == out
    assert unicodedata.is_normalized("NFC", out)
    out.encode("utf-8")  # storable: no lone surrogates
    visible = [c for c in unicodedata.normalize("NFC", value) if not _INVISIBLE.match(c)]
    assert len(out) <= len(visible) + 1  # nothing is added (NFC of the joined rest may merge marks)


@settings(max_examples=200 * SCALE)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_csv_cells_never_start_a_formula_and_keep_the_text(cells):
    columns = [f"c{i}" for i in range(len(cells))]
    rows = flat_rows(columns, [dict(zip(columns, cells))])
    buf = io.StringIO()
    write_csv(columns, rows, buf)
    back = list(csv.reader(io.StringIO(buf.getvalue())))
    assert back[0] == columns
    for original, cell in zip(cells, back[1]):
        assert not cell.startswith(FORMULA_TRIGGERS)
        clean = clean_text(original)
        assert cell in (clean, "'" + clean)  # the text itself, or guarded with one apostrophe


@settings(max_examples=40 * SCALE)
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_xlsx_cells_are_never_formulas(tmp_path_factory, cells):
    columns = [f"c{i}" for i in range(len(cells))]
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    write_xlsx(columns, [dict(zip(columns, cells))], path, title="t")  # records: typed, cleaned, guarded
    ws = openpyxl.load_workbook(path).active
    for cell in list(ws.iter_rows(min_row=2))[0] if ws.max_row > 1 else []:
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS))
