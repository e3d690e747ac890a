"""Bad datasets give located, plain errors: file, row (header = 1), column, value, accepted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from factory_journey.domain.problems import Problem, Severity
from factory_journey.ingest import read_dataset
from tests.ingest.dataset_helpers import edit_table, example_copy, set_cell

Change = Callable[[pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True)
class Case:
    table: str
    change: Change
    code: str
    row: int | None
    column: str | None
    value: object = None
    words: str = ""


def _append_copy_of(index: int) -> Change:
    return lambda f: pl.concat([f, f.slice(index, 1)])


CASES: dict[str, Case] = {
    "unknown unit": Case(
        "energy", lambda f: set_cell(f, 0, "unit", "furlongs"), "unknown_unit", 2, "unit",
        "furlongs", "Unknown unit"),
    "energy unit of the wrong dimension": Case(
        "energy", lambda f: set_cell(f, 0, "unit", "kg"), "wrong_unit_dimension", 2, "unit",
        "kg", "does not measure energy"),
    "negative quantity": Case(
        "water", lambda f: set_cell(f, 3, "quantity", "-10"), "negative", 5, "quantity",
        "-10", "Negative quantity"),
    "text in a number column": Case(
        "water", lambda f: set_cell(f, 4, "quantity", "twelve"), "wrong_type", 6, "quantity",
        "twelve", "Not a number"),
    "month outside 1-12": Case(
        "energy", lambda f: set_cell(f, 1, "month", "13"), "out_of_range", 3, "month", "13",
        "accepted range"),
    "unknown energy source": Case(
        "energy", lambda f: set_cell(f, 2, "source", "unicorn power"), "unknown_value", 4,
        "source", "unicorn power", "Not an accepted value"),
    "parameter ZDHC does not define": Case(
        "zdhc_wastewater", lambda f: set_cell(f, 0, "parameter", "kryptonite"),
        "unknown_value", 2, "parameter", "kryptonite", "Not an accepted value"),
    "ZDHC unit not the parameter's": Case(
        "zdhc_wastewater", lambda f: set_cell(f, 0, "unit", "g/L"), "wrong_parameter_unit", 2,
        "unit", None, "unit of this parameter"),
    "sample date outside the reporting year": Case(
        "zdhc_wastewater",
        lambda f: f.with_columns(pl.col("sample_date").str.slice(0, 4).alias("year")).pipe(
            set_cell, 2, "year", "2022"),
        "date_outside_year", 4, "sample_date", None, "outside the reporting year"),
    "sample date in the future": Case(
        "zdhc_wastewater", lambda f: set_cell(f, 1, "sample_date", "2099-01-01"),
        "date_in_future", 3, "sample_date", "2099-01-01", "in the future"),
    "impossible date": Case(
        "zdhc_wastewater", lambda f: set_cell(f, 1, "sample_date", "2023-02-30"), "wrong_type",
        3, "sample_date", "2023-02-30", "Not a date"),
    "programme ending before it starts": Case(
        "programmes", lambda f: set_cell(f, 1, "end_date", "2020-01-01"), "end_before_start",
        3, "end_date", "2020-01-01", "before the start date"),
    "duplicate rows": Case(
        "energy", _append_copy_of(5), "duplicate_row", 242, "facility_id, year, month, source",
        "same as row 7", "Duplicate row"),
    "annual value beside monthly values": Case(
        "water", lambda f: pl.concat([f, f.slice(0, 1).with_columns(pl.lit(None).alias("month"))]),
        "annual_and_monthly", 146, "month", None, "counted twice"),
    "facility missing from the profiles": Case(
        "energy", lambda f: set_cell(f, 0, "facility_id", "XX-999"), "unknown_facility", 2,
        "facility_id", "XX-999", "not in the profiles table"),
    "required cell empty": Case(
        "waste", lambda f: set_cell(f, 0, "disposal_method", None), "required_empty", 2,
        "disposal_method", None, "A value is required"),
    "required column missing": Case(
        "water", lambda f: f.drop("unit"), "missing_column", 1, "unit", None,
        "has no column 'unit'"),
    "yes/no column with another word": Case(
        "waste", lambda f: set_cell(f, 0, "hazardous", "maybe"), "wrong_type", 2, "hazardous",
        "maybe", "Not yes or no"),
    "share above 1": Case(
        "wastewater", lambda f: set_cell(f, 1, "recycled_share", "12"), "out_of_range", 3,
        "recycled_share", "12", "accepted range"),
}


def _only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert found, f"no {code!r} problem in {[p.describe() for p in problems]}"
    return found[0]


@pytest.mark.parametrize("name", list(CASES))
def test_bad_dataset_gives_a_located_plain_error(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    folder = example_copy(tmp_path)
    edit_table(folder, case.table, case.change)
    result = read_dataset(folder)
    assert not result.ok
    problem = _only(list(result.problems), case.code)
    assert problem.severity is Severity.ERROR
    assert problem.file == f"{case.table}.csv"
    assert problem.row == case.row
    assert problem.column == case.column
    if case.value is not None:
        assert problem.value == case.value
    text = problem.describe()
    assert text.startswith(f"{case.table}.csv, row {case.row}")
    assert case.words in text
    # the error is the only one: one mistake, one message
    assert len(result.problems.errors) == 1, [p.describe() for p in result.problems]


def test_fuel_in_volume_or_mass_is_accepted_but_electricity_is_not(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    edit_table(folder, "energy", lambda f: set_cell(f, 12, "unit", "US gal"))  # diesel, row 14
    assert read_dataset(folder).ok


def test_a_profile_mistake_is_reported_once_not_per_table(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    edit_table(folder, "profiles", lambda f: set_cell(f, 0, "sitecountry", "Atlantis"))
    errors = read_dataset(folder).problems.errors
    assert [(p.file, p.row, p.column) for p in errors] == [("profiles.csv", 2, "sitecountry")]


def test_missing_profiles_table(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    (folder / "profiles.csv").unlink()
    problem = _only(list(read_dataset(folder).problems), "missing_table")
    assert "no profiles table" in problem.describe()


def test_unsupported_and_missing_paths(tmp_path: Path) -> None:
    text_file = tmp_path / "energy.txt"
    text_file.write_text("x", encoding="utf-8")
    assert _only(list(read_dataset(text_file).problems), "unsupported_format")
    assert _only(list(read_dataset(tmp_path / "nowhere").problems), "not_found")


def test_many_bad_rows_make_a_bounded_list(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    edit_table(folder, "energy", lambda f: f.with_columns(pl.lit("-1").alias("quantity")))
    problems = [p for p in read_dataset(folder).problems if p.code == "negative"]
    assert len(problems) == 21  # 20 listed one by one, then one summary
    assert [p.row for p in problems[:20]] == list(range(2, 22))
    summary = problems[20]
    assert summary.row is None
    assert "220 more rows (rows 22–241)" in summary.message


def test_xlsx_errors_name_the_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.ingest.dataset_helpers import ROOT

    workbook = load_workbook(ROOT / "examples" / "small-dataset.xlsx")
    sheet = workbook["water"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=5, column=header.index("quantity") + 1, value=-3)
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    problem = _only(list(read_dataset(path).problems), "negative")
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "bad.xlsx", "water", 5, "quantity")
    assert problem.describe().startswith("bad.xlsx, sheet water, row 5, column quantity")


def test_json_errors_name_the_table_and_record(tmp_path: Path) -> None:
    import json

    from tests.ingest.dataset_helpers import ROOT

    document = json.loads((ROOT / "examples" / "small-dataset.json").read_text("utf-8"))
    document["waste"][2]["unit"] = "bushels"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    problem = _only(list(read_dataset(path).problems), "unknown_unit")
    assert (problem.file, problem.row, problem.column) == ("bad.json [waste]", 3, "unit")


def test_a_file_not_in_utf8_is_named(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    (folder / "air.csv").write_bytes("facility_id,year,source_name,source_type\nBD-CS-001,2023,"
                                     "Chaudière,point\n".encode("latin-1"))
    problem = _only(list(read_dataset(folder).problems), "encoding")
    assert problem.file == "air.csv"
    assert "UTF-8" in problem.describe()


def test_semicolon_separated_csv_is_read(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    table = pl.read_csv(folder / "water.csv", infer_schema=False)
    table.write_csv(folder / "water.csv", separator=";")
    result = read_dataset(folder)
    assert result.ok, [p.describe() for p in result.problems]
    assert result.tables["water"].height == table.height


def test_profiles_without_facility_id_do_not_fail_every_other_row(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    edit_table(folder, "profiles", lambda f: f.drop("facility_id"))
    errors = read_dataset(folder).problems.errors
    assert errors
    assert {p.file for p in errors} == {"profiles.csv"}
