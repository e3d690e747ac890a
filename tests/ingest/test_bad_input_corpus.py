"""The bad-input corpus (issue #13): every kind of bad file a user may give, through the CLI
(`journey matrix` and `journey assess`) and the platform's upload route.

One table of cases: how to build the input, the words of the problem expected and where it
must be located (file, row, column, value). For each case the CLI must exit non-zero with no
traceback, print the problem located in our words (no library's text), and leave only the
error report in --out (no partial folder); the upload's job must fail with the same located
problem and write no submission row.

Implausible numbers (1e308 kWh, negative quantities, bounds) are another corpus's (plausibility);
here numbers appear only for their FORMAT.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.ingest import file_access
from factory_journey.store.database import transaction
from factory_journey.store.models import Submission, SubmissionTable
from tests.cli_outcome import FOREIGN, assert_handled
from tests.ingest.dataset_helpers import EXAMPLE, ROOT, set_cell

XLSX = ROOT / "examples" / "small-dataset.xlsx"
JSON = ROOT / "examples" / "small-dataset.json"

Build = Callable[[Path], Path]
Content = bytes | str | Callable[[Path], None] | None


# ---------------------------------------------------------------- inputs


def table_text(table: str, index: int | None = None, column: str = "", value: Any = None,
               separator: str = ",") -> str:
    """The example's `table` as CSV text, data row `index` (0-based; row index + 2) of `column`
    set to `value` when given."""
    frame = pl.read_csv(EXAMPLE / f"{table}.csv", infer_schema=False)
    if index is not None:
        frame = set_cell(frame, index, column, value)
    return frame.write_csv(separator=separator)


#: The planted mistake that proves a file in an unusual encoding or layout was read: row 4 of
#: water.csv has the unit "furlongs".
PLANTED = table_text("water", 2, "unit", "furlongs")
PLANTED_AT = {"words": "Unknown unit", "file": "water.csv", "row": 4, "column": "unit",
              "value": "furlongs"}


def folder(files: dict[str, Content]) -> Build:
    """A copy of the example folder with files replaced (text, bytes, a function that makes
    the path, or None to delete it)."""
    def build(tmp: Path) -> Path:
        target = tmp / "dataset"
        shutil.copytree(EXAMPLE, target)
        for name, content in files.items():
            path = target / name
            if path.is_file() or path.is_symlink():
                path.unlink()
            if content is None:
                continue
            if callable(content):
                content(path)
            else:
                path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return target
    return build


def one_file(name: str, content: bytes | str | Callable[[Path], None]) -> Build:
    def build(tmp: Path) -> Path:
        path = tmp / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path
    return build


def json_doc(change: Callable[[dict[str, Any]], Any]) -> Build:
    """The example JSON dataset changed by `change` (which may return a replacement)."""
    def build(tmp: Path) -> Path:
        document = json.loads(JSON.read_text(encoding="utf-8"))
        document = change(document) or document
        path = tmp / "dataset.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path
    return build


def json_marked(table: str, index: int, column: str, written: str) -> Build:
    """The example JSON with `written` (raw JSON text) in place of the value of `column` in
    record `index` (0-based) of `table`: for what `json.dumps` cannot write."""
    def build(tmp: Path) -> Path:
        document = json.loads(JSON.read_text(encoding="utf-8"))
        document[table][index][column] = "\x1fmark"
        path = tmp / "dataset.json"
        text = json.dumps(document)
        path.write_text(text.replace(f'"{column}": "\\u001fmark"', written), encoding="utf-8")
        return path
    return build


def json_text(change: Callable[[str], str | bytes]) -> Build:
    def build(tmp: Path) -> Path:
        content = change(JSON.read_text(encoding="utf-8"))
        path = tmp / "dataset.json"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path
    return build


def bad_waste_unit(document: dict[str, Any]) -> None:
    document["waste"][2]["unit"] = "bushels"


JSON_PLANTED = {"words": "Unknown unit", "file": "dataset.json [waste]", "row": 3,
                "column": "unit", "value": "bushels"}


def workbook(change: Callable[[Any], None]) -> Build:
    def build(tmp: Path) -> Path:
        from openpyxl import load_workbook

        book = load_workbook(XLSX)
        change(book)
        path = tmp / "dataset.xlsx"
        book.save(path)
        return path
    return build


def add_column(sheet: Any, header: str, value: Any) -> None:
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column, value=header)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=value)


def set_sheet_cell(sheet: Any, row: int, header: str, value: Any) -> None:
    names = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=names.index(header) + 1, value=value)


def header_only(sheet: Any) -> None:
    sheet.delete_rows(2, sheet.max_row)


def a_zip(members: Callable[[zipfile.ZipFile], None]) -> Build:
    def build(tmp: Path) -> Path:
        path = tmp / "dataset.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            members(archive)
        return path
    return build


def example_members(archive: zipfile.ZipFile) -> None:
    for path in sorted(EXAMPLE.iterdir()):
        archive.write(path, f"dataset/{path.name}")


def password_protected(tmp: Path) -> Path:
    """The example as a .zip whose members say they are encrypted (Python's zipfile cannot
    encrypt; the flag is what a reader meets first)."""
    path = a_zip(example_members)(tmp)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x1
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path


def zip_bomb(archive: zipfile.ZipFile) -> None:
    for path in sorted(EXAMPLE.iterdir()):
        if path.name != "ems.csv":
            archive.write(path, f"dataset/{path.name}")
    archive.writestr("dataset/ems.csv", b"0" * (24 * 2**20))  # 24 MB in ~25 kB


def lines(table: str, change: Callable[[list[str]], None]) -> str:
    text = table_text(table).splitlines()
    change(text)
    return "\n".join(text) + "\n"


def replace_line(index: int, old: str, new: str) -> Callable[[list[str]], None]:
    def change(text: list[str]) -> None:
        text[index] = text[index].replace(old, new, 1)
    return change


def broken_link(path: Path) -> None:
    os.symlink(path.parent / "missing" / "energy.csv", path)


def a_pipe(path: Path) -> None:
    os.mkfifo(path)


def a_folder(path: Path) -> None:
    path.mkdir()


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    """`words`: in the problem's message; `file`, `row`, `column`: its location (None: not
    checked); `value`: in its value. `upload`: also through the upload route (a folder goes
    as a .zip); False where the input cannot travel in a file (a link, a pipe, permissions)."""

    kind: str
    build: Build
    words: str
    file: str | None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    upload: bool = True


def planted(kind: str, build: Build) -> Case:
    return Case(kind, build, **PLANTED_AT)  # type: ignore[arg-type]


def json_planted(kind: str, build: Build) -> Case:
    return Case(kind, build, **JSON_PLANTED)  # type: ignore[arg-type]


LATIN1_PROFILES = table_text("profiles", 1, "facility_name", "Fábrica Ñandú")
CHINESE_PROFILES = table_text("profiles", 1, "facility_name", "绍兴河畔印染厂")
MEGA = "x" * 1_000_000

CASES: dict[str, Case] = {
    # -- encodings: read (the planted mistake is found) or refused by name
    "UTF-16 with a byte-order mark": planted(
        "encoding", folder({"water.csv": PLANTED.encode("utf-16")})),
    "UTF-16 big-endian with a byte-order mark": planted(
        "encoding", folder({"water.csv": b"\xfe\xff" + PLANTED.encode("utf-16-be")})),
    "UTF-16 without a byte-order mark": planted(
        "encoding", folder({"water.csv": PLANTED.encode("utf-16-le")})),
    "UTF-8 with a byte-order mark": planted(
        "encoding", folder({"water.csv": b"\xef\xbb\xbf" + PLANTED.encode()})),
    "UTF-8 with a byte-order mark and CRLF lines": planted(
        "encoding", folder({"water.csv": b"\xef\xbb\xbf" + PLANTED.replace("\n", "\r\n")
                            .encode()})),
    "Windows-1252 text": Case(
        "encoding", folder({"profiles.csv": LATIN1_PROFILES.encode("cp1252")}),
        "not UTF-8 text", "profiles.csv", row=3, value="0xe1"),
    "Latin-1 superscript in a unit": Case(
        "encoding", folder({"water.csv": table_text("water", 2, "unit", "m³").encode("latin-1")}),
        "Windows-1252 it would be '³'", "water.csv", row=4),
    "GB18030 Chinese text": Case(
        "encoding", folder({"profiles.csv": CHINESE_PROFILES.encode("gb18030")}),
        "legacy encoding", "profiles.csv", row=3),
    "UTF-32 text": Case(
        "encoding", folder({"water.csv": PLANTED.encode("utf-32")}), "UTF-32", "water.csv"),
    "binary bytes in a CSV": Case(
        "encoding", folder({"energy.csv": b"facility_id,year\n\x00\x01\x02\x03binary\n"}),
        "holds NUL bytes", "energy.csv", row=2),
    "a workbook renamed .csv": Case(
        "encoding", folder({"energy.csv": XLSX.read_bytes()}), "looks like a zip archive",
        "energy.csv"),
    "a PDF renamed .csv": Case(
        "encoding", folder({"energy.csv": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"}),
        "a PDF document", "energy.csv"),
    "JSON in UTF-16": json_planted(
        "encoding", json_text(lambda t: json.dumps(_waste_bushels(json.loads(t)))
                              .encode("utf-16"))),
    "JSON with a UTF-8 byte-order mark": json_planted(
        "encoding", json_text(lambda t: b"\xef\xbb\xbf"
                              + json.dumps(_waste_bushels(json.loads(t))).encode())),
    "JSON in Latin-1": Case(
        "encoding", json_text(lambda t: t.replace('"Dhaka', '"Dh\u00e2ka', 1).encode("latin-1")),
        "not UTF-8 text", "dataset.json"),
    # -- line endings and separators
    "old-Mac CR line endings": planted(
        "line endings", folder({"water.csv": PLANTED.replace("\n", "\r")})),
    "CR line endings in the profiles": Case(
        "line endings", folder({"profiles.csv": table_text("profiles", 1, "sitecountry",
                                                           "Atlantis").replace("\n", "\r")}),
        "unknown country", "profiles.csv", row=3, column="sitecountry", value="Atlantis"),
    "Windows CRLF line endings": planted(
        "line endings", folder({"water.csv": PLANTED.replace("\n", "\r\n")})),
    "semicolon-separated": planted(
        "separator", folder({"water.csv": PLANTED.replace(",", ";")})),
    "tab-separated": planted("separator", folder({"water.csv": PLANTED.replace(",", "\t")})),
    "pipe-separated": Case(
        "separator", folder({"water.csv": PLANTED.replace(",", "|")}), "separated by '|'",
        "water.csv", row=1),
    "one row with another separator": Case(
        "separator", folder({"water.csv": lines("water", lambda t: t.__setitem__(
            3, t[3].replace(",", ";")))}),
        "A value is required", "water.csv", row=4, column="year"),
    "a quote never closed": Case(
        "quoting", folder({"water.csv": lines("water", replace_line(3, ",m3,", ',"m3,'))}),
        "never closed", "water.csv", row=4),
    "text after a closing quote": Case(
        "quoting", folder({"water.csv": lines("water", replace_line(3, ",m3,", ',"m3"x,'))}),
        "not followed by the separator", "water.csv", row=4),
    "more values than columns": Case(
        "separator", folder({"water.csv": lines("water", lambda t: t.__setitem__(
            4, t[4] + ",surplus"))}),
        "more values than the header has columns", "water.csv", row=5, value="surplus"),
    # -- cells that look like formulas
    "formula in a number column": Case(
        "formula", folder({"water.csv": table_text("water", 2, "quantity", "=1+2")}),
        "Not a number", "water.csv", row=4, column="quantity", value="=1+2"),
    "at-sign formula as a unit": Case(
        "formula", folder({"water.csv": table_text("water", 2, "unit", "@SUM(A1:A9)")}),
        "Unknown unit", "water.csv", row=4, column="unit", value="@SUM"),
    "HYPERLINK formula as an energy source": Case(
        "formula", folder({"energy.csv": table_text(
            "energy", 0, "source", '=HYPERLINK("http://evil.example","x")')}),
        "Not an accepted value", "energy.csv", row=2, column="source", value="HYPERLINK"),
    "minus formula in a number column": Case(
        "formula", folder({"water.csv": table_text("water", 2, "quantity", "-2+3+cmd|'/C calc'")}),
        "Not a number", "water.csv", row=4, column="quantity"),
    "xlsx formula with no saved value": Case(
        "formula", workbook(lambda b: set_sheet_cell(b["water"], 4, "unit", '="m"&"3"')),
        "A value is required", "dataset.xlsx", row=4, column="unit"),
    # -- sizes
    "a 1 MB cell": Case(
        "size", folder({"water.csv": table_text("water", 2, "unit", MEGA)}), "Unknown unit",
        "water.csv", row=4, column="unit", value="(1,000,000 characters)"),
    "a 1 MB column name": Case(
        "size", folder({"water.csv": lines("water", replace_line(0, "unit", MEGA))}),
        "has no column 'unit'", "water.csv", row=1, column="unit"),
    "a bad value in every row": Case(
        "size", folder({"water.csv": pl.read_csv(EXAMPLE / "water.csv", infer_schema=False)
                        .with_columns(quantity=pl.lit("lots")).write_csv()}),
        "more rows (rows 22–", "water.csv"),
    "a zip bomb": Case("zip", a_zip(zip_bomb), "possible zip bomb", "dataset.zip",
                       value="ems.csv"),
    "a zip of too many files": Case(
        "zip", a_zip(lambda a: [a.writestr(f"d/{i}.txt", "") for i in range(1_001)]),
        "holds 1,001 files", "dataset.zip"),
    # -- number formats
    "decimal comma with thousands dots": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "1.234,5")}),
        "Not a number", "water.csv", row=4, column="quantity", value="1.234,5"),
    "NaN as a quantity": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "NaN")}),
        "Not a number", "water.csv", row=4, column="quantity", value="NaN"),
    "inf as a quantity": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "inf")}),
        "Not a number", "water.csv", row=4, column="quantity", value="inf"),
    "a unit written in the number": Case(
        "number", folder({"energy.csv": table_text("energy", 0, "quantity", "12 kWh")}),
        "Not a number", "energy.csv", row=2, column="quantity", value="12 kWh"),
    "a thousands comma in a semicolon-separated file": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "6,192",
                                                  separator=";")}),
        "the number is unclear", "water.csv", row=4, column="quantity", value="6,192"),
    "a decimal comma in a semicolon-separated file": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "6192,5",
                                                  separator=";")}),
        "Not a number", "water.csv", row=4, column="quantity", value="6192,5"),
    "a hexadecimal number": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "0x1A")}),
        "Not a number", "water.csv", row=4, column="quantity", value="0x1A"),
    "a space as thousands separator": Case(
        "number", folder({"water.csv": table_text("water", 2, "quantity", "1 234")}),
        "Not a number", "water.csv", row=4, column="quantity", value="1 234"),
    "JSON NaN literal": Case(
        "number", json_marked("waste", 1, "quantity", '"quantity": NaN'),
        "Not a number", "dataset.json [waste]", row=2, column="quantity", value="NaN"),
    "a fraction as a year": Case(
        "number", folder({"energy.csv": table_text("energy", 0, "year", "2023.5")}),
        "Not a whole number", "energy.csv", row=2, column="year", value="2023.5"),
    "a month as a word": Case(
        "number", folder({"energy.csv": table_text("energy", 1, "month", "Jan")}),
        "Not a whole number", "energy.csv", row=3, column="month", value="Jan"),
    # -- units
    "a unit of mass for energy": Case(
        "unit", folder({"energy.csv": table_text("energy", 0, "unit", "kg")}),
        "does not measure energy", "energy.csv", row=2, column="unit", value="kg"),
    "a unit of volume for electricity": Case(
        "unit", folder({"energy.csv": table_text("energy", 0, "unit", "m3")}),
        "does not measure energy", "energy.csv", row=2, column="unit", value="m3"),
    "an empty unit": Case(
        "unit", folder({"water.csv": table_text("water", 2, "unit", None)}),
        "A value is required", "water.csv", row=4, column="unit"),
    # -- keys and columns given twice, or not at all
    "a column given twice": Case(
        "keys", folder({"water.csv": lines("water", lambda t: [
            t.__setitem__(i, t[i] + (",unit" if i == 0 else ",m3")) for i in range(len(t))])}),
        "appears more than once", "water.csv", row=1, column="unit"),
    "a column given twice in another case": Case(
        "keys", folder({"water.csv": lines("water", lambda t: [
            t.__setitem__(i, t[i] + (",Unit " if i == 0 else ",m3")) for i in range(len(t))])}),
        "appears more than once", "water.csv", row=1, column="Unit"),
    "an xlsx column given twice": Case(
        "keys", workbook(lambda b: add_column(b["water"], "quantity", 5)),
        "appears more than once", "dataset.xlsx", row=1, column="quantity"),
    "a JSON key given twice in a record": Case(
        "keys", json_marked("waste", 0, "unit", '"unit": "kg", "unit": "t"'),
        "given twice in this record", "dataset.json [waste]", row=1, column="unit"),
    "a JSON table given twice": Case(
        "keys", json_text(lambda t: t.replace('{', '{"waste": [], ', 1)),
        "given twice in the document", "dataset.json", value=None),
    "a table given by two files": Case(
        "keys", folder({"energy.parquet": lambda p: pl.read_csv(
            EXAMPLE / "energy.csv", infer_schema=False).write_parquet(p)}),
        "more than one file", "energy.csv"),
    "a table given by two sheets": Case(
        "keys", workbook(lambda b: b.copy_worksheet(b["energy"]).__setattr__(
            "title", "Energy ")),
        "more than one sheet", "dataset.xlsx"),
    "a facility not in the profiles": Case(
        "keys", folder({"energy.csv": table_text("energy", 0, "facility_id", "XX-999")}),
        "not in the profiles table", "energy.csv", row=2, column="facility_id",
        value="XX-999"),
    "an empty facility_id": Case(
        "keys", folder({"energy.csv": table_text("energy", 2, "facility_id", None)}),
        "A value is required", "energy.csv", row=4, column="facility_id"),
    "a duplicated row": Case(
        "keys", folder({"energy.csv": lines("energy", lambda t: t.append(t[6]))}),
        "Duplicate row", "energy.csv", row=242, value="same as row 7"),
    "a facility-year profiled twice": Case(
        "keys", folder({"profiles.csv": lines("profiles", lambda t: t.append(t[2]))}),
        "appears twice", "profiles.csv", row=8, column="facility_id"),
    # -- dates and years
    "a day-first date": Case(
        "date", folder({"zdhc_wastewater.csv": table_text("zdhc_wastewater", 1, "sample_date",
                                                          "15/03/2023")}),
        "Not a date", "zdhc_wastewater.csv", row=3, column="sample_date", value="15/03/2023"),
    "a date that does not exist": Case(
        "date", folder({"zdhc_wastewater.csv": table_text("zdhc_wastewater", 1, "sample_date",
                                                          "2023-02-30")}),
        "Not a date", "zdhc_wastewater.csv", row=3, column="sample_date"),
    "a date in the future": Case(
        "date", folder({"zdhc_wastewater.csv": table_text("zdhc_wastewater", 1, "sample_date",
                                                          "2099-01-01")}),
        "in the future", "zdhc_wastewater.csv", row=3, column="sample_date"),
    "a programme ending before it starts": Case(
        "date", folder({"programmes.csv": table_text("programmes", 1, "end_date",
                                                     "2020-01-01")}),
        "before the start date", "programmes.csv", row=3, column="end_date"),
    "a year as text": Case(
        "date", folder({"energy.csv": table_text("energy", 0, "year", "twenty-three")}),
        "Not a whole number", "energy.csv", row=2, column="year"),
    "a two-digit year": Case(
        "date", folder({"energy.csv": table_text("energy", 0, "year", "23")}),
        "accepted range", "energy.csv", row=2, column="year", value="23"),
    "a profile year long past": Case(
        "date", folder({"profiles.csv": table_text("profiles", 1, "year", "1850")}),
        "out of range", "profiles.csv", row=3, column="year"),
    # -- nesting and JSON shape
    "a deeply nested JSON document": Case(
        "nesting", one_file("dataset.json", '{"profiles": ' + deep(100_000) + "}"),
        "nested more than 20 levels", "dataset.json"),
    "a deeply nested answer in a record": Case(
        "nesting", json_doc(lambda d: d["profiles"][0].__setitem__(
            "sipfacilitytype", json.loads(deep(30)))),
        "nested more than 20 levels", "dataset.json"),
    "a record that is not an object": Case(
        "nesting", json_doc(lambda d: d["energy"].insert(2, [1, 2, 3])),
        "is not an object", "dataset.json [energy]", row=3),
    "a JSON list instead of an object": Case(
        "nesting", json_doc(lambda d: [d]), "must be an object of tables", "dataset.json"),
    "invalid JSON": Case(
        "nesting", one_file("dataset.json", '{"profiles": [{"facility_id": "F1",}]}'),
        "not valid JSON", "dataset.json"),
    # -- empty, header-only and missing tables
    "an empty CSV": Case("empty", folder({"energy.csv": b""}), "The file is empty",
                         "energy.csv"),
    "a CSV of blank lines": Case("empty", folder({"profiles.csv": "\n \n\n"}),
                                 "The file is empty", "profiles.csv"),
    "profiles with a header only": Case(
        "empty", folder({"profiles.csv": table_text("profiles").splitlines()[0] + "\n"}),
        "profiles table has no rows", "profiles.csv", row=2),
    "an xlsx profiles sheet with a header only": Case(
        "empty", workbook(lambda b: header_only(b["profiles"])), "profiles table has no rows",
        "dataset.xlsx", row=2),
    "JSON profiles with no records": Case(
        "empty", json_doc(lambda d: d.__setitem__("profiles", [])),
        "profiles table has no rows", "dataset.json [profiles]"),
    "an empty JSON file": Case("empty", one_file("dataset.json", ""), "The file is empty",
                               "dataset.json"),
    "an empty JSON object": Case("empty", one_file("dataset.json", "{}"),
                                 "no profiles table", "dataset.json"),
    "no profiles table": Case("missing", folder({"profiles.csv": None}),
                              "no profiles table", "dataset"),
    "a misnamed profiles file": Case(
        "missing", folder({"profiles.csv": None, "profile.csv": table_text("profiles")}),
        "no profiles table", "dataset"),
    "an empty zip": Case("missing", a_zip(lambda a: None), "no profiles table", "dataset.zip"),
    "a single CSV not named after a table": Case(
        "missing", one_file("notes.csv", PLANTED), "not a table's", "notes.csv"),
    "an unsupported file type": Case(
        "missing", one_file("dataset.txt", PLANTED), "A dataset is a folder", "dataset.txt",
        upload=False),
    "a damaged Parquet table": Case(
        "wrong type", folder({"energy.csv": None, "energy.parquet": b"PAR1 not really"}),
        "not a readable Parquet file", "energy.parquet"),
    "yes/no with another word": Case(
        "wrong type", folder({"waste.csv": table_text("waste", 0, "hazardous", "maybe")}),
        "Not yes or no", "waste.csv", row=2, column="hazardous", value="maybe"),
    "a date in a number column": Case(
        "wrong type", folder({"water.csv": table_text("water", 2, "quantity", "2023-01-01")}),
        "Not a number", "water.csv", row=4, column="quantity"),
    # -- a table that exists but cannot be read
    "a broken link as a table": Case(
        "unreadable", folder({"energy.csv": broken_link}), "link to a file that does not exist",
        "energy.csv", upload=False),
    "a folder as a table": Case(
        "unreadable", folder({"energy.csv": a_folder}), "is a folder, not a file",
        "energy.csv"),
    "a named pipe as a table": Case(
        "unreadable", folder({"energy.csv": a_pipe}), "is a named pipe", "energy.csv",
        upload=False),
    "a table that may not be read": Case(
        "unreadable", folder({}), "permission denied", "energy.csv", upload=False),
    "a named pipe as the dataset": Case(
        "unreadable", one_file("dataset.json", a_pipe), "is a named pipe", "dataset.json",
        upload=False),
    # -- zip and workbook traps
    "a zip with ../ paths": Case(
        "zip", a_zip(lambda a: a.writestr("../../escape/profiles.csv", "x")),
        "leads outside its folder", "dataset.zip", value="../../escape/profiles.csv"),
    "a zip with an absolute path": Case(
        "zip", a_zip(lambda a: a.writestr("/tmp/profiles.csv", "x")),
        "leads outside its folder", "dataset.zip"),
    "a password-protected zip": Case(
        "zip", password_protected, "password-protected", "dataset.zip"),
    "a zip that is not a zip": Case(
        "zip", one_file("dataset.zip", PLANTED), "not a zip archive", "dataset.zip"),
    "a zip inside a zip": Case(
        "zip", a_zip(lambda a: a.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)),
        "A .zip inside a .zip", "inner.zip"),
    "an xlsx that is not a zip": Case(
        "zip", one_file("dataset.xlsx", PLANTED), "not an .xlsx workbook", "dataset.xlsx"),
    "an old .xls renamed .xlsx": Case(
        "zip", one_file("dataset.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),
        "old Excel .xls", "dataset.xlsx"),
    "a zip of CSVs renamed .xlsx": Case(
        "zip", lambda tmp: a_zip(example_members)(tmp).rename(tmp / "dataset.xlsx")
        or tmp / "dataset.xlsx",
        "not an .xlsx workbook", "dataset.xlsx"),
}


def _waste_bushels(document: dict[str, Any]) -> dict[str, Any]:
    bad_waste_unit(document)
    return document


def test_the_corpus_has_at_least_60_kinds() -> None:
    assert len(CASES) >= 60
    assert len({case.kind for case in CASES.values()}) >= 14


# ---------------------------------------------------------------- checks


def _matches(problem: dict[str, Any], case: Case) -> bool:
    return (
        problem["severity"] == "error"
        and case.words.lower() in problem["message"].lower()
        and (case.file is None or problem["file"] == case.file)
        and (case.row is None or problem["row"] == case.row)
        and (case.column is None or problem["column"] == case.column)
        and (case.value is None or case.value in str(problem["value"]))
    )


def _located(problems: list[dict[str, Any]], case: Case) -> None:
    assert any(_matches(p, case) for p in problems), (
        f"no error with {case.words!r} at {case.file}, row {case.row}, column {case.column}: "
        + json.dumps(problems[:8], ensure_ascii=False)[:3000])
    for problem in problems:  # no value, message or name shown whole, however long
        for text in (problem["message"], str(problem["value"]), str(problem["column"])):
            assert len(text) < 600, text[:200]


@pytest.fixture
def denied(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Makes energy.csv unreadable: by its permissions, and for root (who reads anything)
    by the operating system's answer to opening it."""
    def deny(dataset: Path) -> None:
        target = dataset / "energy.csv"
        target.chmod(0)
        real_open = os.open

        def refusing_open(path: Any, *args: Any, **kwargs: Any) -> int:
            if Path(path) == target:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(file_access.os, "open", refusing_open)
    return deny


def _build(name: str, tmp_path: Path, denied: Callable[[Path], None]) -> Path:
    (tmp_path / "in").mkdir()
    dataset = CASES[name].build(tmp_path / "in")
    if name == "a table that may not be read":
        denied(dataset)
    return dataset


def _only_the_error_report(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["errors.csv", "errors.json", "errors.txt"]
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no hidden partial folder


#: `journey assess` reads through the same service as `journey matrix`: it runs on the first
#: case of each kind (keeping the corpus to tens of seconds), with its --json outcome checked.
ASSESSED = {next(n for n, c in CASES.items() if c.kind == kind)
            for kind in {c.kind for c in CASES.values()}}


@pytest.mark.parametrize("name", list(CASES))
def test_the_cli_gives_a_located_message_and_writes_nothing_else(
    name: str, tmp_path: Path, denied: Callable[[Path], None]
) -> None:
    case = CASES[name]
    dataset = _build(name, tmp_path, denied)
    runner = CliRunner()

    out = tmp_path / "matrix" / "out"
    shown = runner.invoke(app, ["matrix", str(dataset), "--out", str(out)],
                          env={"COLUMNS": "250"})
    assert shown.exit_code == 1, shown.output[-3000:]
    assert_handled(shown)
    text = " ".join(shown.output.split())
    assert not FOREIGN.search(text), text[:3000]
    assert case.words.lower() in text.lower(), text[:3000]
    for place in (case.file, case.row is not None and f"row {case.row}",
                  case.column is not None and f"column {case.column}"):
        assert not place or place in text, (place, text[:3000])
    assert len(shown.output) < 20_000  # a 1 MB value is never echoed whole
    _only_the_error_report(out)
    report = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    _located(report if isinstance(report, list) else report["problems"], case)

    if name not in ASSESSED:
        return
    out = tmp_path / "assess" / "out"
    assessed = runner.invoke(app, ["assess", str(dataset), "--out", str(out), "--json"])
    assert assessed.exit_code == 1, assessed.output[-3000:]
    assert_handled(assessed)
    outcome = json.loads(assessed.stdout)
    assert outcome["status"] == "input_problems"
    _located(outcome["problems"], case)
    assert not FOREIGN.search(json.dumps(outcome["problems"]))
    _only_the_error_report(out)


# ---------------------------------------------------------------- the upload route


def _upload_content(dataset: Path) -> tuple[str, bytes]:
    """The dataset as a user uploads it: a folder as a .zip of its files, a file as it is."""
    if not dataset.is_dir():
        return dataset.name, dataset.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(dataset.iterdir()):
            if path.is_dir():
                archive.writestr(f"{dataset.name}/{path.name}/", "")
            else:
                archive.write(path, f"{dataset.name}/{path.name}")
    return f"{dataset.name}.zip", buffer.getvalue()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.web.conftest import make_platform

    return make_platform(tmp_path_factory)


def _rows(platform: Any) -> tuple[int, int]:
    with transaction(platform.factory) as session:
        return (session.scalar(select(func.count()).select_from(Submission)) or 0,
                session.scalar(select(func.count()).select_from(SubmissionTable)) or 0)


UPLOADED = [name for name, case in CASES.items() if case.upload]


@pytest.mark.parametrize("name", UPLOADED)
def test_an_upload_fails_with_a_located_message_and_writes_no_row(
    name: str, tmp_path: Path, platform: Any, denied: Callable[[Path], None]
) -> None:
    case = CASES[name]
    filename, content = _upload_content(_build(name, tmp_path, denied))
    if case.file == "dataset":  # a folder travels as dataset.zip
        case = Case(case.kind, case.build, case.words, "dataset.zip", case.row, case.column,
                    case.value)
    before = _rows(platform)
    response = platform.client.post(
        "/api/uploads", files={"file": (filename, content, "application/octet-stream")},
        headers=platform.headers("owner_editor"))
    assert response.status_code == 202, response.text
    job = platform.client.get(f"/api/jobs/{response.json()['id']}",
                              headers=platform.headers("owner_editor")).json()
    assert job["status"] == "failed", job
    _located(job["problems"], case)
    assert not FOREIGN.search(json.dumps(job["problems"]))
    assert _rows(platform) == before
