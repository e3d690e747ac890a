"""The factory templates and the located upload problems: a filled template reads back without
a problem, its drop-downs list the code lists, and a file with three mistakes gives three
located problems, each linked to guidance that exists."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from factory_journey.ingest import read_dataset
from factory_journey.reference.names import enum_keys
from factory_journey.services.dataset_guidance import (
    anchor_for,
    column_guide,
    dataset_guide,
    table_of,
)
from factory_journey.services.dataset_template import template_xlsx
from factory_journey.services.upload_problems import problem_report
from tests.factory_workbooks import MISTAKES, facility_tables, filled_template


def _validations(sheet):  # type: ignore[no-untyped-def]
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
            for dv in sheet.data_validations.dataValidation}


def test_dataset_template_has_every_table_and_column_with_its_drop_down():
    workbook = load_workbook(io.BytesIO(template_xlsx("dataset")))
    guide = dataset_guide()
    assert workbook.sheetnames == [t.name for t in guide] + ["lists", "guidance"]
    assert workbook["lists"].sheet_state == "hidden"
    lists = workbook["lists"]
    for table in guide:
        sheet = workbook[table.name]
        assert [c.value for c in sheet[1]] == [c.name for c in table.columns]
        found = _validations(sheet)
        for index, column in enumerate(table.columns):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            if column.choices:
                dv = found[letter]
                assert dv.type == "list"
                # the drop-down's range holds exactly the column's choices
                ref = dv.formula1.split("!")[1].replace("$", "")
                start, end = ref.split(":")
                offered = [c.value for row in lists[start:end] for c in row]
                assert offered == list(column.choices), (table.name, column.name)
                assert dv.errorStyle == (None if column.strict else "warning")
            elif column.type in ("int", "float"):
                assert found[letter].type in ("whole", "decimal")
    energy = {c.name: c for c in guide[1].columns}
    assert set(energy["source"].choices or ()) == set(enum_keys("fem_energy_sources.csv"))
    assert {"kWh", "kwh"} & set(energy["unit"].choices or ()) and "l" in energy["unit"].choices
    guidance = workbook["guidance"]
    assert guidance.max_row == 1 + sum(len(t.columns) for t in guide)


def test_profile_template_is_the_profiles_sheet_only():
    workbook = load_workbook(io.BytesIO(template_xlsx("profile")))
    assert workbook.sheetnames == ["profiles", "lists", "guidance"]
    with pytest.raises(ValueError):
        template_xlsx("everything")


def test_filled_template_reads_back_without_problems(tmp_path: Path):
    path = tmp_path / "dataset.xlsx"
    path.write_bytes(filled_template(facility_tables()))
    result = read_dataset(path)
    assert result.ok, [p.describe() for p in result.problems][:5]
    # not even a warning: the template's own lists and guidance sheets are known to the reader
    assert [p.describe() for p in result.problems] == []
    assert result.tables["energy"].height == facility_tables()["energy"].height


def test_three_mistakes_are_located_with_guidance(tmp_path: Path):
    path = tmp_path / "dataset.xlsx"
    path.write_bytes(filled_template(facility_tables(), mistakes=True))
    result = read_dataset(path)
    assert not result.ok
    report = problem_report([p.to_dict() for p in result.problems])
    assert report.errors == 3, [p.describe() for p in result.problems]
    located = {(v.sheet, v.column, v.row): v for g in report.groups for v in g.problems
               if v.is_error}
    anchors = {t.anchor for t in dataset_guide()} | {
        c.anchor for t in dataset_guide() for c in t.columns}
    for sheet, column, value, row in MISTAKES:
        view = located[(sheet, column, row)]
        assert view.file == "dataset.xlsx" and view.table == sheet
        assert view.value == str(value)
        assert view.accepted
        assert view.guidance == anchor_for(sheet, column) and view.guidance in anchors


@pytest.mark.parametrize(
    ("file", "sheet", "table"),
    [
        ("dataset.xlsx", "energy", "energy"),
        ("data/Water.csv", None, "water"),
        ("dataset.json [waste]", None, "waste"),
        ("dataset.zip", None, None),
        (None, None, None),
    ],
)
def test_table_of_a_problem_location(file, sheet, table):
    assert table_of(file, sheet) == table


def test_problem_without_accepted_text_gets_the_columns_own():
    report = problem_report([{"message": "bad", "file": "energy.csv", "row": 3,
                              "column": "tracking_method", "value": "guess"}])
    (view,) = report.groups[0].problems
    guide = column_guide("energy", "tracking_method")
    assert guide is not None and view.accepted == guide.accepted
    assert "meter" in view.accepted
    assert report.errors == 1 and report.warnings == 0


def test_the_summary_of_a_repeated_mistake_comes_after_the_rows_it_continues():
    """'28 more rows (rows 22–49) have the same problem' has no row of its own: it follows
    the rows listed one by one, not before them (errors still before warnings)."""
    report = problem_report([
        {"message": "28 more rows (rows 22–49) have the same problem: Unknown unit",
         "file": "energy.csv", "column": "unit"},
        {"message": "Unknown unit", "file": "energy.csv", "row": 21, "column": "unit"},
        {"message": "Unknown unit", "file": "energy.csv", "row": 2, "column": "unit"},
        {"message": "unusual", "file": "energy.csv", "row": 1, "severity": "warning"},
    ])
    rows = [(view.row, view.severity) for view in report.groups[0].problems]
    assert rows == [(2, "error"), (21, "error"), (None, "error"), (1, "warning")]


def test_no_column_accepts_an_empty_list():
    """A list of the values a column accepts is never empty ('a unit spelling: ' for the ZDHC
    results, whose units are those of the parameters' limits, was)."""
    from factory_journey.services.dataset_guidance import dataset_guide

    for table in dataset_guide():
        for column in table.columns:
            assert not column.accepted.rstrip().endswith(":"), (table.name, column.name)
            assert column.choices is None or column.choices, (table.name, column.name)
