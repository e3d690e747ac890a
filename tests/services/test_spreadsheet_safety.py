"""The OWASP formula rule of services/spreadsheet_safety.py, cell by cell."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

import factory_journey
from factory_journey.services.report_files import write_table
from factory_journey.services.spreadsheet_safety import (
    FORMULA_TRIGGERS,
    neutralise_frame,
    neutralise_text,
    open_workbook,
    write_csv,
    write_sheet,
)
from tests.spreadsheet_cells import cell_text, csv_fields, formula_risks

DANGEROUS = ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "-5",
             '=HYPERLINK("http://evil.example/x","click")']
HARMLESS = ["Facility 1", "", " =1", "R-999X", "a=b", "'already", "http://example.org"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_starting_with_a_trigger_gets_a_quote(text: str):
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_alone(text: str):
    assert neutralise_text(text) == text


def test_the_triggers_are_owasps():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def _frame() -> pl.DataFrame:
    return pl.DataFrame({
        "name": [*DANGEROUS, *HARMLESS, None],
        "number": list(range(-len(DANGEROUS), len(HARMLESS) + 1)),
        "share": [-0.5] * (len(DANGEROUS) + len(HARMLESS) + 1),
        "day": [date(2024, 1, 1)] * (len(DANGEROUS) + len(HARMLESS) + 1),
        "kind": pl.Series(["-x", "y"] * 8)[: len(DANGEROUS) + len(HARMLESS) + 1].cast(
            pl.Categorical),
    })


def test_only_text_columns_change_and_nulls_stay_null():
    frame = _frame()
    safe = neutralise_frame(frame)
    assert safe["name"].to_list() == [*("'" + t for t in DANGEROUS), *HARMLESS, None]
    assert safe["kind"].to_list()[:2] == ["'-x", "y"]
    for column in ("number", "share", "day"):
        assert safe[column].equals(frame[column]) and safe[column].dtype == frame[column].dtype


def test_a_data_set_for_our_reader_keeps_plain_numbers_written_as_text():
    frame = pl.DataFrame({"quantity": ["-1250.0", "12,5O", "+3", "-2+3", "=1"]})
    assert neutralise_frame(frame, keep_numbers=True)["quantity"].to_list() == [
        "-1250.0", "12,5O", "+3", "'-2+3", "'=1"]


def test_a_frame_without_a_trigger_is_returned_as_it_is():
    frame = pl.DataFrame({"name": HARMLESS})
    assert neutralise_frame(frame) is frame


def test_csv_quotes_every_text_field_and_reads_back_with_the_prefix(tmp_path: Path):
    path = tmp_path / "t.csv"
    write_csv(_frame(), path)
    fields = list(csv_fields(path))
    header = [f for f in fields if f.row == 1]
    assert all(f.quoted for f in header)
    by_column = {f.column: [] for f in header}
    for f in fields:
        if f.row > 1:
            by_column[f.column].append(f)
    assert all(f.quoted for f in by_column[1] if f.text)  # text: quoted
    assert not any(f.quoted for f in by_column[2] + by_column[3])  # numbers: bare
    assert by_column[2][0].text.startswith("-")  # a negative number stays a number
    assert formula_risks(path) == []
    back = pl.read_csv(path, infer_schema_length=None)
    assert back["name"].to_list()[: len(DANGEROUS)] == ["'" + t for t in DANGEROUS]


def test_the_dataset_csv_form_changes_no_clean_byte(tmp_path: Path):
    frame = pl.DataFrame({"facility_id": ["FJ-1", "FJ-2"], "quantity": ["-1250.0", "12,5O"]})
    write_csv(frame, tmp_path / "d.csv", dataset=True)
    frame.write_csv(tmp_path / "plain.csv")
    assert (tmp_path / "d.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()


def test_a_workbook_never_makes_a_formula_or_a_link(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    with open_workbook(path) as workbook:
        write_sheet(workbook, _frame(), "a sheet name longer than thirty-one characters")
        raw = workbook.add_worksheet("raw")
        raw.write(0, 0, "=1+1")  # even a string written without the prefix stays a string
        raw.write(0, 1, "http://evil.example/x")
        raw.write_string(0, 2, "\r=1")
    assert formula_risks(path) == ["w.xlsx raw!A1: text '=1+1'", "w.xlsx raw!C1: text '\\r=1'"]
    sheet = load_workbook(path)["a sheet name longer than thirty"]
    names = [cell_text(row[0].value) for row in sheet.iter_rows(min_row=2, max_row=9)]
    assert names[: len(DANGEROUS)] == ["'" + t for t in DANGEROUS]
    numbers = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert numbers[0] == -len(DANGEROUS)  # numbers stay numbers
    assert load_workbook(path)["raw"]["B1"].hyperlink is None


def test_tables_are_written_again_byte_for_byte(tmp_path: Path):
    frame = _frame().with_columns(pl.col("kind").cast(pl.String))
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        assert write_table(frame, tmp_path / folder, "t") == [
            "t.parquet", "t.csv", "t.json", "t.xlsx"]
    for name in ("t.parquet", "t.csv", "t.json", "t.xlsx"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    # Parquet keeps the typed data as it came: it is not a spreadsheet
    assert pl.read_parquet(tmp_path / "one" / "t.parquet")["name"].to_list()[0] == "=1+1"


@pytest.mark.parametrize("in_memory_max_cells", [1_000_000, 0])
def test_a_workbook_packed_in_memory_has_the_bytes_of_one_packed_from_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory_max_cells: int
):
    import xlsxwriter

    from factory_journey.services import workbook_packing

    # 0: every workbook is "large" and packed from files by xlsxwriter itself
    monkeypatch.setattr(workbook_packing, "IN_MEMORY_MAX_CELLS", in_memory_max_cells)

    from factory_journey.services.spreadsheet_safety import WORKBOOK_DATE, WORKBOOK_OPTIONS

    frames = {"first": _frame(), "second": _frame().head(2).with_columns(day=date(2026, 3, 1))}
    files = tmp_path / "files"
    files.mkdir()
    # xlsxwriter's own packing: each part a temporary file, zipped
    with xlsxwriter.Workbook(str(files / "w.xlsx"), WORKBOOK_OPTIONS) as workbook:
        workbook.set_properties({"created": WORKBOOK_DATE, "title": "w"})
        for name, frame in frames.items():
            write_sheet(workbook, frame, name, autofit=True, freeze_panes=(1, 0))
    with open_workbook(tmp_path / "w.xlsx") as workbook:
        for name, frame in frames.items():
            write_sheet(workbook, frame, name, autofit=True, freeze_panes=(1, 0))
    assert (tmp_path / "w.xlsx").read_bytes() == (files / "w.xlsx").read_bytes()


#: Writers of CSV or XLSX allowed outside spreadsheet_safety.py, and why.
OWN_TEXT_ONLY = {
    "ingest/profile_template.py": "headers and our own guidance only "
                                  "(tests/cli/test_export_formulas.py reads it back)",
    "ingest/park_template.py": "headers, code lists and the framework's questions: our own "
                               "reference data only, nothing a user typed",
}
WRITER = re.compile(r"\.write_csv\(|\.write_excel\(|\bWorkbook\(|csv\.writer\(|\.sink_csv\(")


def test_no_writer_goes_around_the_safety_module():
    package = Path(factory_journey.__file__).parent
    found = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if WRITER.search(path.read_text(encoding="utf-8"))
    }
    assert found == {"services/spreadsheet_safety.py", *OWN_TEXT_ONLY}
