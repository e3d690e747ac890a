"""Read one table from a CSV, XLSX or JSON file into rows located by file, sheet and row.

Cells are kept as written (text from CSV; native values from XLSX and JSON, nested JSON
included); typing is left to the caller (`profile_reader`, vectorised). Problems of shape — empty
file, not UTF-8, invalid JSON, missing sheet, duplicate headers — are returned as located
`Problem`s, never raised. Row numbers are the ones a person sees: header = 1, first data row
= 2; for JSON the 1-based index of the record.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factory_journey.domain.problems import Problem, Severity, shorten
from factory_journey.ingest.cells import is_blank
from factory_journey.ingest.text_input import (
    ENCODING_HELP,
    MAX_JSON_DEPTH,
    Refusal,
    decode,
    load_json,
    repeated_keys,
)

__all__ = ["ENCODING_HELP", "MAX_JSON_DEPTH", "RawRow", "SheetRows", "read_rows"]


@dataclass(slots=True)
class RawRow:
    """One data row: header name (as written, trimmed) → cell value, and where it is."""

    values: dict[str, Any]
    row: int


@dataclass(slots=True)
class SheetRows:
    """One table as read: its header, rows and the problems of shape found."""

    file: str
    sheet: str | None
    header: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, code: str, **fields: Any) -> None:
        self.problems.append(
            Problem(message, file=self.file, sheet=fields.pop("sheet", self.sheet), code=code,
                    **fields)
        )

    @property
    def readable(self) -> bool:
        """False when a problem of shape stopped the reading."""
        return not any(p.severity is Severity.ERROR for p in self.problems)


def read_rows(path: str | Path, *, table: str = "profiles", sheet: str | None = None) -> SheetRows:
    """Rows of table `table` from `path` (.csv, .xlsx or .json); never raises on bad input.

    XLSX: the sheet named `sheet` (default: the sheet named `table`, else the only data
    sheet). JSON: `{"<table>": [...]}` or a list of records.
    """
    path = Path(path)
    out = SheetRows(file=path.name, sheet=None)
    if not path.exists():
        out.problem("file not found", "not_found", value=str(path))
        return out
    if not path.is_file():
        out.problem("this is not a regular file (a folder, a named pipe or a device); it "
                    "could not be read", "unreadable_file", value=str(path))
        return out
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        _read_csv(path, out)
    elif suffix in (".xlsx", ".xlsm"):
        _read_xlsx(path, out, table, sheet)
    elif suffix == ".json":
        _read_json(path, out, table)
    else:
        out.problem("unsupported file type", "unsupported_format", value=path.suffix,
                    accepted=".csv, .xlsx or .json")
    return out


def _header(names: list[Any], out: SheetRows) -> list[str]:
    header: list[str] = []
    for position, name in enumerate(names, start=1):
        text = "" if name is None else str(name).strip().lstrip("\ufeff")
        if text and text.lower() in {h.lower() for h in header}:
            out.problem("the column appears more than once in the header; which one holds "
                        "the data is unclear", "duplicate_column", row=1, column=text,
                        accepted="each column once")
        header.append(text or f"(column {position})")
    return header


def _add_rows(out: SheetRows, body: list[tuple[int, list[Any]]]) -> None:
    for row_number, cells in body:
        if all(is_blank(c) for c in cells):
            continue
        values: dict[str, Any] = {}
        for position, cell in enumerate(cells):
            if position >= len(out.header):
                if not is_blank(cell):
                    out.problem("value in a column without a header", "no_header",
                                row=row_number, column=f"(column {position + 1})", value=cell,
                                severity=Severity.WARNING)
                continue
            name = out.header[position]
            if name not in values:  # a duplicate header keeps its first column
                values[name] = cell
        out.rows.append(RawRow(values, row_number))
    if not out.rows and out.readable:
        out.problem("the table has a header but no data rows", "no_rows", row=2)


def _decode(data: bytes, out: SheetRows) -> str | None:
    """UTF-8 or UTF-16 text with `\\n` line endings (see `text_input.decode`); else a problem
    naming the encoding, line and bytes (no legacy-encoding guess: a wrong guess would
    silently change names and units)."""
    text = decode(data)
    if isinstance(text, Refusal):
        out.problem(text.message, text.code, row=text.line, value=text.value,
                    accepted=text.accepted)
        return None
    return text


def _read_csv(path: Path, out: SheetRows) -> None:
    data = path.read_bytes()
    if not data.strip():
        out.problem("the file is empty", "empty_file", accepted="a header row of column names "
                    "and one row per facility and year")
        return
    text = _decode(data, out)
    if text is None:
        return
    first_line = text.splitlines()[0] if text.splitlines() else ""
    # Excel in some locales saves `;`-separated CSV; `;` also separates multi-select values,
    # so the delimiter is chosen from the header row only.
    delimiter = "," if "," in first_line else "\t" if "\t" in first_line else (
        ";" if ";" in first_line else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as error:
        opened = "end of data" in str(error)
        out.problem("a quote (\") opened in this row is never closed" if opened else
                    "a quote (\") closes a cell but is not followed by the separator",
                    "malformed_csv", row=len(records) + 1,
                    accepted='cells with quotes written as "..."; a quote inside a cell '
                    'doubled ("")')
        return
    if not records or all(not "".join(r).strip() for r in records):
        out.problem("the file is empty", "empty_file")
        return
    out.header = _header(records[0], out)
    _add_rows(out, [(n, r) for n, r in enumerate(records[1:], start=2)])


def _read_xlsx(path: Path, out: SheetRows, table: str, sheet: str | None) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        out.problem(f"the file is not a readable .xlsx workbook ({type(error).__name__})",
                    "unreadable_file", accepted="an Excel .xlsx workbook")
        return
    try:
        names = list(workbook.sheetnames)
        chosen = _choose_sheet(names, table, sheet)
        if chosen is None:
            wanted = sheet or table
            out.problem(f"the workbook has no sheet named {wanted!r}", "missing_sheet",
                        value=", ".join(names), accepted=f"a sheet named {wanted!r}")
            return
        out.sheet = chosen
        rows = list(workbook[chosen].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows or all(all(is_blank(c) for c in r) for r in rows):
        out.problem("the sheet is empty", "empty_file")
        return
    out.header = _header(list(rows[0]), out)
    _add_rows(out, [(n, list(r)) for n, r in enumerate(rows[1:], start=2)])


def _choose_sheet(names: list[str], table: str, sheet: str | None) -> str | None:
    by_folded = {n.strip().lower(): n for n in names}
    if sheet is not None:
        return by_folded.get(sheet.strip().lower())
    if table.lower() in by_folded:
        return by_folded[table.lower()]
    # A workbook with one data sheet is read whatever its name; helper sheets of the
    # template (`guidance`, `lists`) do not count.
    data_sheets = [n for n in names if n.strip().lower() not in ("guidance", "lists")]
    return data_sheets[0] if len(data_sheets) == 1 else None


def _read_json(path: Path, out: SheetRows, table: str) -> None:
    data = path.read_bytes()
    if not data.strip():
        out.problem("the file is empty", "empty_file")
        return
    text = _decode(data, out)
    if text is None:
        return
    loaded = load_json(text)
    if loaded.problem is not None:
        out.problem(loaded.problem.message, loaded.problem.code,
                    accepted=loaded.problem.accepted
                    or f'{{"{table}": [{{...}}, ...]}} or a list of records')
        return
    document = loaded.value
    records = document.get(table) if isinstance(document, dict) else document
    if not isinstance(records, list):
        out.problem(f'the JSON must be {{"{table}": [...]}} or a list of records',
                    "invalid_json", value=type(document).__name__,
                    accepted=f'{{"{table}": [{{...}}, ...]}} or a list of records')
        return
    names: dict[str, None] = {}
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            out.problem("a record must be a JSON object", "invalid_json", row=index,
                        value=shorten(json.dumps(record, ensure_ascii=False)))
            continue
        repeated = repeated_keys(record)
        for key in repeated:
            out.problem("the key is given twice in this record; which value is meant is "
                        "unclear", "duplicate_key", row=index, column=key,
                        accepted="each key once per record")
        if repeated:
            continue
        names.update(dict.fromkeys(str(k).strip() for k in record))
        out.rows.append(RawRow({str(k).strip(): v for k, v in record.items()}, index))
    out.header = list(names)
    if not records:
        out.problem(f"the JSON has no {table} records", "no_rows")
