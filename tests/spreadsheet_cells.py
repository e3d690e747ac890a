"""Read back every cell of the CSV and XLSX files under a folder and name each cell that a
spreadsheet program would run as a formula (or open as a link).

A cell that starts with a formula trigger is a risk unless it is a plain number (`-5.2`),
which every spreadsheet reads as the number it is (whether the exports prefix a negative number
written as text is checked by the tests themselves). CSV fields are read raw (RFC 4180 quotes,
embedded line breaks); XLSX cells with openpyxl: no formula cell and no hyperlink either.
`poisoned_dataset` writes a dataset whose free-text fields carry every trigger.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from openpyxl import load_workbook

from factory_journey.demo import generate_dataset

#: One payload per trigger: = + - @ tab CR, a formula after a minus, and a negative number
#: written as text.
PAYLOADS = (
    '=HYPERLINK("http://evil.example/x","click")',
    "+1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "-5",
)


def cycle(count: int, *, numbered: bool = False) -> pl.Series:
    """`count` payloads in turn (`numbered`: each made unique by its index)."""
    return pl.Series([PAYLOADS[i % len(PAYLOADS)] + (f" {i}" if numbered else "")
                      for i in range(count)])


def poisoned_dataset(folder: Path) -> Path:
    """A valid dataset of one facility per payload (2021-2023) whose facility name, park, air
    source name, ZDHC report id and programme link and rating carry the payloads."""
    folder.mkdir(parents=True)
    tables = generate_dataset(len(PAYLOADS), [2021, 2022, 2023], 5, messiness=0.0)
    poison = {
        "profiles": lambda f: {"facility_name": cycle(f.height), "park_id": cycle(f.height)},
        "air": lambda f: {"source_name": cycle(f.height, numbered=True)},
        "zdhc_wastewater": lambda f: {"report_id": cycle(f.height)},
        "programmes": lambda f: {"link": cycle(f.height), "rating": cycle(f.height)},
    }
    for name, frame in tables.items():
        if name in poison:
            frame = frame.with_columns(**poison[name](frame))
        frame.write_csv(folder / f"{name}.csv")
    return folder


TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|NaN)")


@dataclass(frozen=True)
class Field:
    row: int  # 1-based line of the record's start
    column: int  # 1-based
    text: str
    quoted: bool


def csv_fields(path: Path) -> Iterator[Field]:
    """Every field of a comma-separated file as written (RFC 4180 quoting)."""
    data = path.read_text(encoding="utf-8")
    i, n, row, column = 0, len(data), 1, 1
    while i < n:
        if data[i] == '"':
            j, parts = i + 1, []
            while True:
                k = data.index('"', j)
                parts.append(data[j:k])
                if k + 1 < n and data[k + 1] == '"':
                    parts.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            text, quoted = "".join(parts), True
        else:
            match = re.compile(r"[^,\r\n]*").match(data, i)
            assert match is not None
            text, quoted, i = match.group(), False, match.end()
        yield Field(row, column, text, quoted)
        if i >= n:
            return
        if data[i] == ",":
            column, i = column + 1, i + 1
        elif data.startswith("\r\n", i) or data[i] == "\n":
            i += 2 if data[i] == "\r" else 1
            row, column = row + 1, 1
        else:
            raise AssertionError(f"{path}: unexpected {data[i]!r} after a field, line {row}")


def cell_text(value: str) -> str:
    """A string cell as Excel shows it: openpyxl leaves OOXML escapes such as `_x000D_`
    (a carriage return) as they are written."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def _risky(text: str) -> bool:
    return text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text)


def csv_risks(path: Path) -> list[str]:
    return [
        f"{path.name} line {f.row} column {f.column}: {f.text[:60]!r}"
        + (" (quoted text)" if f.quoted else "")
        for f in csv_fields(path)
        if _risky(f.text)
    ]


def xlsx_risks(path: Path) -> list[str]:
    risks = []
    workbook = load_workbook(path)  # not read-only: hyperlinks are read too
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{path.name} {sheet.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    risks.append(f"{where}: formula {str(cell.value)[:60]!r}")
                elif isinstance(cell.value, str) and _risky(text := cell_text(cell.value)):
                    risks.append(f"{where}: text {text[:60]!r}")
                if cell.hyperlink is not None:
                    risks.append(f"{where}: hyperlink {cell.hyperlink.target!r}")
    return risks


def spreadsheet_files(root: Path) -> list[Path]:
    """Every CSV and XLSX file under `root`, hidden ones included."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in SPREADSHEET_SUFFIXES)


def formula_risks(path: Path) -> list[str]:
    """What in `path` (a .csv or .xlsx file) a spreadsheet would run or follow."""
    return csv_risks(path) if path.suffix.lower() == ".csv" else xlsx_risks(path)


def all_text(path: Path) -> str:
    """Every cell's text of a CSV or XLSX file, one per line, to look for a value."""
    if path.suffix.lower() == ".csv":
        return "\n".join(f.text for f in csv_fields(path))
    workbook = load_workbook(path, read_only=True)
    return "\n".join(
        cell_text(str(value)) for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True) for value in row if value is not None
    )
