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


def test_the_template_reads_in_a_park_report_language(tmp_path: Path) -> None:
    """A park manager reads the guidance and the cells' messages in their language; the
    sheets, columns, question ids and accepted values are the same in every language (an
    upload is read by them)."""
    english, _ = write_park_template(tmp_path / "en.xlsx")  # the packaged frameworks
    path, problems = write_park_template(tmp_path / "vi.xlsx", None, "vi")
    assert problems == [] and path is not None and english is not None
    en, vi = openpyxl.load_workbook(english), openpyxl.load_workbook(path)
    assert vi.sheetnames == en.sheetnames
    for table in PARK_TABLES:
        assert [c.value for c in vi[table.name][1]] == [c.value for c in en[table.name][1]]
    rows = {(r[0], r[1]): r for r in vi["guidance"].iter_rows(values_only=True)}
    assert rows[("trang tính", "cột hoặc câu hỏi")][2:] == ("bắt buộc", "nội dung",
                                                             "giá trị được chấp nhận")
    assert rows[("parks", "country")][3].startswith("Quốc gia của khu công nghiệp")
    assert rows[("park_members", "year")][4] == "1990 đến 2100"
    assert rows[("shared_energy", "verification_status")][4] == "self-reported, verified, disputed"
    question = rows[("park_questionnaire", "pm_management_plan")]
    assert question[3].startswith("Đơn vị quản lý khu có kế hoạch bằng văn bản")
    assert "(yêu cầu: " in question[3] and question[4] == "yes, partly, no hoặc unknown"
    assert rows[("park_questionnaire", "env_green_area_share")][4] == "một số [tỷ lệ 0-1]"
    english_words = {"what it is", "accepted values", "Reporting year.", "yes"}
    assert not english_words & {v for r in rows.values() for v in r}
    assert not [r[3] for r in rows.values() if r[0] == "park_questionnaire"
                and r[3].startswith(("Is ", "Does ", "What ", "How ", "Has ", "Do ", "Can "))]
    # a cell's check speaks the language too
    messages = {v.error for v in vi["park_members"].data_validations.dataValidation}
    assert "1990 đến 2100" in messages
    refused, why = write_park_template(tmp_path / "xx.xlsx", [FRAMEWORK], "xx")
    assert refused is None and why[0].value == "xx"
