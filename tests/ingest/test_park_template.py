"""The park workbook template: a sheet per park table with drop-downs, guidance with the
framework's questions; filled in, it reads like any dataset."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from factory_journey.domain.park_tables import PARK_TABLES
from factory_journey.ingest import read_dataset
from factory_journey.ingest.park_reader import read_park_tables
from factory_journey.services.parks import write_park_template
from tests.engine.parks.hand_park import FRAMEWORK, write_park


def test_the_template_has_a_sheet_per_park_table_and_the_questions(tmp_path: Path) -> None:
    path, problems = write_park_template(tmp_path / "park.xlsx", [FRAMEWORK])
    assert problems == [] and path is not None
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [*(t.name for t in PARK_TABLES), "guidance", "lists"]
    assert workbook["lists"].sheet_state == "hidden"
    header = [c.value for c in workbook["shared_facilities"][1]]
    assert header[:5] == ["park_id", "year", "shared_facility_id", "name", "type"]
    assert workbook["shared_facilities"].data_validations.dataValidation  # drop-downs
    guidance = [row[1] for row in workbook["guidance"].iter_rows(values_only=True)]
    assert {"pm_management_plan", "soc_grievance_mechanism", "env_monitoring_points"} <= set(
        guidance)


def test_a_filled_template_reads_without_errors(tmp_path: Path) -> None:
    folder = write_park(tmp_path / "csv")
    path, _ = write_park_template(tmp_path / "park.xlsx", [FRAMEWORK])
    assert path is not None
    workbook = openpyxl.load_workbook(path)
    for source in sorted(folder.glob("*.csv")):
        with source.open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        name = source.stem
        if name in workbook.sheetnames:  # a park sheet: fill under the template's header
            sheet = workbook[name]
            header = [c.value for c in sheet[1]]
            for row in rows[1:]:
                record = dict(zip(rows[0], row, strict=True))
                sheet.append([record.get(h) or None for h in header])
        else:  # a member table: a sheet of its own
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append([value or None for value in row])
    workbook.save(path)
    imported = read_dataset(path)
    assert imported.ok, [p.describe() for p in imported.problems]
    tables, problems = read_park_tables(imported)
    assert tables is not None
    assert [p.describe() for p in problems if p.severity.value == "error"] == []
    assert tables.members.height == 3 and tables.shared["wastewater"].height == 1
