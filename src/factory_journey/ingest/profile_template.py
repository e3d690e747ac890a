"""Blank profile templates: an .xlsx workbook with drop-down lists and guidance, or a CSV header.

The workbook has a `profiles` sheet (Ref-ID headers, data validation on every column), a
hidden `lists` sheet holding the long lists (countries, facility types, units, …) and a
`guidance` sheet (per column: question, rule, accepted values, unit, verification
documents). Everything comes from `domain.profile.PROFILES` and the reference data, so the
template and the reader cannot disagree.
"""

from __future__ import annotations

import csv
from pathlib import Path

from factory_journey.domain import fem_enums
from factory_journey.domain.profile import ADDITIONAL, PRODVOL, PROFILES, parent_question
from factory_journey.domain.profile_rules import accepted_text
from factory_journey.domain.site_checklist import checklist_questions
from factory_journey.domain.tables import Column

#: Data rows of the template that carry drop-downs and checks.
TEMPLATE_ROWS = 1000
_UNITS: dict[str, str] = {
    "sipoperatingdays": "day",
    "siptotalnumemployees": "persons",
    "sipfreshwaterpretreatused_operators": "persons",
    "sipaudit_person_days": "person-day",
    "sipapprovedtraining_attendees": "persons",
    "water_stress_score": "score 0–5",
}


def write_csv_template(path: Path) -> Path:
    """A CSV with the header row of the profiles table (UTF-8)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([c.name for c in PROFILES.columns])
    return path


def _choices(column: Column) -> list[str] | None:
    """Values offered in a column's drop-down, or None for a free column."""
    if column.name == "sitecountry":
        return fem_enums.country_choices()
    if column.type == "bool":
        return ["Yes", "No"]
    if column.name.startswith(f"{PRODVOL}_") and column.name.endswith(f"{ADDITIONAL}_unit"):
        key = column.name.removeprefix(f"{PRODVOL}_").removesuffix(f"{ADDITIONAL}_unit")
        return list(fem_enums.facility_types()[key].additional_units)
    if column.name.startswith(f"{PRODVOL}_") and column.name.endswith("_unit"):
        key = column.name.removeprefix(f"{PRODVOL}_").removesuffix("_unit")
        return list(fem_enums.facility_types()[key].allowed_units)
    if isinstance(column.enum, tuple):
        return list(column.enum)
    if isinstance(column.enum, str):
        enum = fem_enums.enumeration(column.enum)
        return [enum.labels[k] for k in enum.keys]
    return None


#: Public name of `_choices`: the guidance and the dataset template offer the same lists.
column_choices = _choices


def _unit(column: Column) -> str:
    if column.name.startswith(f"{PRODVOL}_") and ADDITIONAL in column.name:
        return "in the additional unit"
    if column.name.startswith(f"{PRODVOL}_"):
        key = column.name.removeprefix(f"{PRODVOL}_").removesuffix("_unit")
        return f"default {fem_enums.facility_types()[key].production_unit}"
    return _UNITS.get(column.name, "")


def _rule(column: Column) -> str:
    parts = [column.description]
    if column.required:
        parts.append("Required.")
    parent = parent_question(column.name)
    if parent:
        parts.append(f"Only when {parent} is Yes.")
    if column.type == "list":
        parts.append("Several values: separate them with ;")
    return " ".join(parts)


def _guidance_rows() -> list[list[str]]:
    questions = {q["ref_id"]: q for q in checklist_questions()}
    rows = [["column", "question", "rule", "accepted values", "unit", "verification documents"]]
    for column in PROFILES.columns:
        ref = column.fem_ref_id or ""
        question = questions.get(ref, {})
        documents = "\n".join(question.get("documents") or [])
        if question and not question.get("verified_2024", True):
            documents = "Not verified in the FEM 2024 cadence."
        accepted = accepted_text(column)
        if column.name == "sitecountry":
            accepted = ("ISO alpha-2 or alpha-3 code, or the country's name in English or in a "
                        "language of the platform (drop-down: code - name)")
        elif column.name.endswith("_unit"):
            accepted = ", ".join(_choices(column) or [])
        rows.append([column.name, str(question.get("question", "")), _rule(column), accepted,
                     _unit(column), documents])
    return rows


def write_xlsx_template(path: Path) -> Path:
    """The .xlsx template: `profiles` with drop-downs, hidden `lists`, and `guidance`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "profiles"
    lists = workbook.create_sheet("lists")
    guidance = workbook.create_sheet("guidance")
    last = TEMPLATE_ROWS + 1
    list_column = 0
    for index, column in enumerate(PROFILES.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.name) + 2))
        cells = f"{letter}2:{letter}{last}"
        choices = _choices(column)
        validation: DataValidation | None = None
        if choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.name)
            for row, value in enumerate(choices, start=2):
                lists.cell(row=row, column=list_column, value=value)
            source = f"lists!${list_letter}$2:${list_letter}${len(choices) + 1}"
            # A multi-select column offers the list but lets a person type `a; b`.
            strict = column.type != "list"
            validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                        showErrorMessage=strict)
        elif column.type in ("int", "float"):
            kind = "whole" if column.type == "int" else "decimal"
            low = column.minimum if column.minimum is not None else -1e15
            if column.maximum is not None:
                validation = DataValidation(type=kind, operator="between", formula1=str(low),
                                            formula2=str(column.maximum), allow_blank=True)
            else:
                validation = DataValidation(type=kind, operator="greaterThanOrEqual",
                                            formula1=str(low), allow_blank=True)
        if validation is not None:
            validation.errorTitle = column.name
            validation.error = accepted_text(column)[:255]
            validation.promptTitle = column.name[:32]
            validation.prompt = _rule(column)[:255]
            validation.showInputMessage = True
            sheet.add_data_validation(validation)
            validation.add(cells)
    sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    for guidance_row in _guidance_rows():
        guidance.append(guidance_row)
    for cell in guidance[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (40, 50, 60, 50, 16, 60), strict=True):
        guidance.column_dimensions[letter].width = width
    for row in guidance.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)
    return path


def write_template(path: str | Path, fmt: str) -> Path:
    """Write a blank profiles template in format `xlsx` or `csv`; returns the path."""
    target = Path(path)
    if fmt == "xlsx":
        return write_xlsx_template(target)
    if fmt == "csv":
        return write_csv_template(target)
    raise ValueError(f"unknown template format {fmt!r}; accepted: xlsx, csv")
