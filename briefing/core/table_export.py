"""Table exports: the rows a view shows -> CSV, XLSX or JSON, each row with its sources.

CSV is UTF-8 with a byte-order mark (so Excel reads Chinese titles and currency signs right) and
RFC 4180 (the csv module's excel dialect); its columns are the feed spec's field names, for scripts.
XLSX is for reading: headers in words, dates as dates, amounts as numbers with a thousands format,
coded values in words ('in force', not 'in_force'), yes/no, blank cells for missing values, column
widths, a header filter and a frozen header row. Spreadsheets run a cell that starts with `=`, `+`,
`-`, `@`, tab, CR (or NUL) as a formula, so such *text* cells get a leading `'` in both, and so do
cells where such a character follows leading white space (` =1+1`, `\n=1+1`: a spreadsheet that trims
cells on import would run them too); numbers stay numbers. No Qt; any thread.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from briefing.core import names
from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError
from briefing.core.progress import CancelCheck, Progress, check, never, noop
from briefing.core.records import BOOL_FIELDS, DATE_FIELDS, ENUMS, FIELDS, LIST_FIELDS, OBJECT_FIELDS
from briefing.core.store import Store
from briefing.core.text import clean_text

#: Export name -> record kind.
TABLE_KINDS = {
    "models": "model",
    "adoption": "adoption",
    "investments": "investment",
    "policy-actions": "policy_action",
    "sources": "source",
}
FORMATS = ("csv", "xlsx", "json")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
GUARD = "'"
#: Excel's signal that a CSV is UTF-8 (without it, Excel reads the file in the locale's code page).
CSV_ENCODING = "utf-8-sig"
#: Column headers in words (the rest: the field name with spaces, first letter capitalised).
HEADERS = {
    "id": "ID",
    "url": "Address",
    "amount_usd": "Amount (USD)",
    "usd_basis": "USD conversion",
    "fx_rate": "Exchange rate",
    "source_urls": "Source addresses",
    "sources": "Source IDs",
    "hf_namespaces": "Hugging Face accounts",
    "hf_repos": "Hugging Face repositories",
    "stance_on_open_models": "Stance on open models",
    "as_of": "As of",
    "as_of_precision": "Date precision",
    "organization_name": "Organization name",
    "organization": "Organization ID",
    "part_of": "Part of (ID)",
    "superseded_by": "Superseded by (ID)",
    "related": "Related (IDs)",
    "overlaps": "Overlaps (IDs)",
}
#: Fields whose values are codes from `records.ENUMS` (shown in words in a spreadsheet).
CODED_FIELDS = {
    "reliability",
    "grade",
    "as_of_precision",
    "kind",
    "access",
    "subject_kind",
    "metric",
    "unit",
    "category",
    "status",
    "scope",
    "confirmation",
    "instrument",
    "stage",
    "stance_on_open_models",
    "relevance",
    "topics",
    "topic",
}
#: Number formats by field (Excel codes); other numbers: a thousands separator, decimals kept.
NUMBER_FORMATS = {
    "amount": "#,##0",
    "amount_usd": "#,##0",
    "parameters": "#,##0",
    "fx_rate": "0.0000",
    "value": "#,##0.##",
}
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60
_CODES = {code for values in ENUMS.values() for code in values}


def guard_cell(value: Any) -> Any:
    """A value safe for a spreadsheet: text starting with a formula trigger, or with white space and
    then a trigger, gets a `'` prefix; anything else (numbers included) comes back unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_TRIGGERS) or value.lstrip().startswith(FORMULA_TRIGGERS)):
        return GUARD + value
    return value


def _number(value: Any) -> Any:
    # SQLite hands back REAL columns as floats; 109000000000.0 reads better as an integer.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, list):
        return "; ".join(clean_text(str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{clean_text(str(k))}={clean_text(str(v))}" for k, v in sorted(value.items()))
    return clean_text(str(value))


def columns_for(kind: str) -> list[str]:
    """Column names of an export kind: the spec's fields, some lookups, then the sources."""
    record_kind = TABLE_KINDS[kind]
    cols = [f for f in FIELDS[record_kind] if f != "sources"]
    if record_kind == "model":
        cols[cols.index("organization") + 1 : 1] = ["organization_name", "country"]
    if record_kind != "source":
        cols += ["sources", "source_urls"]
    return cols


def _matches(rec: dict[str, Any], filters: dict[str, Any]) -> bool:
    for key, wanted in filters.items():
        value = rec.get(key)
        if isinstance(wanted, (list, tuple, set, frozenset)):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


def table_records(
    store: Store,
    kind: str,
    *,
    ids: Iterable[str] | None = None,
    filters: dict[str, Any] | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, records) for an export kind, limited to `ids` (in that order) and/or `filters`
    (field -> value or collection of accepted values), as the view shows them."""
    if kind not in TABLE_KINDS:
        raise BriefingError(f"unknown table {kind!r} (choose from {', '.join(TABLE_KINDS)})")
    record_kind = TABLE_KINDS[kind]
    records = store.records(record_kind)
    if ids is not None:
        by_id = {r["id"]: r for r in records}
        records = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    if filters:
        unknown = set(filters) - set(FIELDS[record_kind])
        if unknown:
            raise BriefingError(f"cannot filter {kind} by {', '.join(sorted(unknown))}")
        records = [r for r in records if _matches(r, filters)]
    urls = {s["id"]: s["url"] for s in store.records("source")} if record_kind != "source" else {}
    orgs = {o["id"]: o for o in store.records("organization")} if record_kind == "model" else {}
    out = []
    for rec in records:
        row = dict(rec)
        if record_kind == "model":
            org = orgs.get(rec["organization"], {})
            row["organization_name"] = org.get("name")
            row["country"] = org.get("country")
        if record_kind != "source":
            row["source_urls"] = [urls[s] for s in rec.get("sources", []) if s in urls]
        out.append(row)
    return columns_for(kind), out


def flat_rows(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Records as spreadsheet rows: lists joined with '; ', text cleaned and formula-guarded."""
    return [[guard_cell(_text(rec.get(c))) for c in columns] for rec in records]


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], fh: io.TextIOBase) -> None:
    """Header and rows as RFC 4180 CSV. `fh` must be opened with newline=''. Rows are written as given."""
    writer = csv.writer(fh, dialect="excel")
    writer.writerow(columns)
    writer.writerows(rows)


def header_label(column: str) -> str:
    """A column's header in words: 'announced_on' -> 'Announced on', 'amount_usd' -> 'Amount (USD)'."""
    if column in HEADERS:
        return HEADERS[column]
    text = column.replace("_", " ")
    return text[:1].upper() + text[1:]


def _words(value: Any) -> Any:
    """A coded value in words ('in_force' -> 'in force'); anything else unchanged."""
    if not isinstance(value, str) or value not in _CODES:
        return value
    return names.code_words(value)


def xlsx_value(column: str, value: Any) -> Any:
    """What a spreadsheet cell holds for a field: a date, a number, yes/no, words or None (blank)."""
    if value is None or value == "" or value == []:
        return None
    if column in DATE_FIELDS and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return guard_cell(clean_text(value))
    if isinstance(value, bool) or column in BOOL_FIELDS:
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _number(value)
    if column in LIST_FIELDS or isinstance(value, (list, tuple)):
        items = [_words(v) if column in CODED_FIELDS else v for v in value]
        return guard_cell("; ".join(clean_text(str(v)) for v in items))
    if column in OBJECT_FIELDS or isinstance(value, dict):
        return guard_cell(
            "; ".join(f"{header_label(clean_text(str(k)))}: {clean_text(str(v))}" for k, v in sorted(value.items()))
        )
    text = clean_text(str(value))
    return guard_cell(_words(text) if column in CODED_FIELDS else text)


def write_xlsx(columns: Sequence[str], records: Iterable[dict[str, Any]], path: Path, *, title: str) -> None:
    """Records as a readable worksheet (see the module docstring). Text is formula-guarded and
    always stored as a string cell."""
    from openpyxl import Workbook  # heavy: only when an XLSX is asked for
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    headers = [header_label(c) for c in columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(h) for h in headers]
    n = 0
    for rec in records:
        n += 1
        for j, column in enumerate(columns, start=1):
            value = xlsx_value(column, rec.get(column))
            if value is None:
                continue  # a blank cell, not an empty string
            cell = ws.cell(row=n + 1, column=j)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = TYPE_STRING  # never a formula, whatever it says (guarded text never starts with '=')
                widths[j - 1] = max(widths[j - 1], min(len(value), MAX_WIDTH))
            else:
                cell.value = value
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                    widths[j - 1] = max(widths[j - 1], 10)
                else:
                    cell.number_format = NUMBER_FORMATS.get(
                        column, "#,##0.####" if isinstance(value, float) else "#,##0"
                    )
                    widths[j - 1] = max(widths[j - 1], len(f"{value:,}"))
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    # Saved in memory, then written in one call: a failing write (a full disk) is one OSError here,
    # not a half-closed zip file whose finaliser prints a traceback later.
    buffer = io.BytesIO()
    wb.save(buffer)
    with open(path, "wb") as fh:
        fh.write(buffer.getbuffer())


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): _json_value(v) for k, v in value.items()}
    return _number(value)


def export_table(
    store: Store,
    kind: str,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    ids: Iterable[str] | None = None,
    filters: dict[str, Any] | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> int:
    """Write the table to `out` (temp file, then an atomic rename). Returns the number of rows.

    Raises Cancelled, leaving no file, when `cancelled()` says to stop before the file is kept."""
    if fmt not in FORMATS:
        raise BriefingError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    out = Path(out)
    progress(0.0, f"reading {kind}")
    columns, records = table_records(store, kind, ids=ids, filters=filters)
    check(cancelled, "export")
    progress(0.5, f"writing {len(records):,} rows")
    with atomic_output(out) as tmp:
        if fmt == "csv":
            with tmp.open("w", encoding=CSV_ENCODING, newline="") as fh:
                write_csv(columns, flat_rows(columns, records), fh)
        elif fmt == "xlsx":
            write_xlsx(columns, records, tmp, title=kind)
        else:
            meta = store.meta()
            doc = {
                "table": kind,
                "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
                "data_as_of": meta.get("data_as_of"),
                "columns": columns,
                "rows": [{c: _json_value(rec.get(c)) for c in columns} for rec in records],
            }
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
        check(cancelled, "export")
    progress(1.0, f"wrote {len(records):,} rows")
    return len(records)
