"""The blank park workbook (.xlsx): one sheet per park table with drop-downs and number checks,
a hidden `lists` sheet and a `guidance` sheet (every column, and every question of the
framework with the requirements that use it). Everything comes from `domain.park_tables` and
the framework, so that the template and the reader cannot disagree.

A park manager reads the guidance sheet and the cells' messages in a park report language
(`translate`: the park catalogue holds `template_messages` and the packaged frameworks'
questions); the sheets, columns, question ids and accepted values are the same in every
language. The questions of another framework file are shown as it writes them.

Filled in, the workbook is read with the members' own sheets (profiles, energy, …) added, or
given beside them as the park tables of the dataset. The reader skips `guidance` and `lists`
with a warning, like any sheet that is not a table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from factory_journey.domain import fem_enums
from factory_journey.domain.park_tables import PARK_TABLES
from factory_journey.domain.tables import Column
from factory_journey.reference.names import enum_keys

TEMPLATE_ROWS = 500

#: The template's own words, which a park manager reads in their language (the park
#: catalogue: tools/update_catalogues.py lists them with the columns' descriptions,
#: `template_messages`). Sheet names, column names, question ids and the values a cell
#: accepts stay as they are: an upload is read by them.
TEMPLATE_WORDS: dict[str, str] = {
    "sheet": "sheet",
    "column": "column or question",
    "required": "required",
    "what": "what it is",
    "accepted": "accepted values",
    "yes": "yes",
    "drop_down": "one of {count} values (drop-down)",
    "range": "{low} to {high}",
    "minimum": "≥ {low}",
    "number": "a number",
    "number_unit": "a number [{unit}]",
    "answer": "yes, partly, no or unknown",
    "question": "{question} (requirements: {requirements})",
}


def _as_written(text: str, **params: object) -> str:
    return text.format(**params) if params else text


def template_messages() -> list[str]:
    """Every text of the template a person reads, in English: its own words and each park
    column's description (the park catalogue's entries; tools/update_catalogues.py adds the
    packaged frameworks' questions)."""
    texts = list(TEMPLATE_WORDS.values())
    for table in PARK_TABLES:
        texts += [column.description for column in table.columns if column.description]
    return list(dict.fromkeys(texts))


def _choices(column: Column) -> list[str] | None:
    if column.type == "bool":
        return ["Yes", "No"]
    if column.name in ("country", "sitecountry"):
        return fem_enums.country_choices()
    if isinstance(column.enum, tuple):
        return list(column.enum)
    if isinstance(column.enum, str):
        return list(enum_keys(column.enum))
    return None


def _accepted(column: Column, translate: Callable[..., str] = _as_written) -> str:
    """What `column` accepts: its values (as a cell holds them), or its range in the words of
    `translate`."""
    choices = _choices(column)
    if choices and len(choices) <= 12:
        return ", ".join(choices)
    if choices:
        return translate(TEMPLATE_WORDS["drop_down"], count=len(choices))
    if column.minimum is not None and column.maximum is not None:
        return translate(TEMPLATE_WORDS["range"], low=f"{column.minimum:g}",
                         high=f"{column.maximum:g}")
    if column.minimum is not None:
        return translate(TEMPLATE_WORDS["minimum"], low=f"{column.minimum:g}")
    return ""


def guidance_rows(framework: Any | None,
                  translate: Callable[..., str] = _as_written) -> list[list[str]]:
    """The guidance sheet: a row per column of every park table, then per framework question;
    its words through `translate` (a park report language's `gettext`; English as written)."""
    words = {key: translate(text) for key, text in TEMPLATE_WORDS.items()
             if key in ("sheet", "column", "required", "what", "accepted", "yes", "number",
                        "answer")}
    rows = [[words["sheet"], words["column"], words["required"], words["what"],
             words["accepted"]]]
    for table in PARK_TABLES:
        for column in table.columns:
            rows.append([table.name, column.name, words["yes"] if column.required else "",
                         translate(column.description) if column.description else "",
                         _accepted(column, translate)])
    if framework is not None:
        uses: dict[str, list[str]] = {}
        for pillar in framework.pillars:
            for requirement in pillar.requirements:
                if requirement.test.question:
                    uses.setdefault(requirement.test.question, []).append(requirement.id)
        for question in framework.questions:
            if question.answer_kind != "number":
                kind = words["answer"]
            elif question.unit:
                kind = translate(TEMPLATE_WORDS["number_unit"], unit=translate(question.unit))
            else:
                kind = words["number"]
            # the packaged frameworks' questions are in the park catalogue; those of another
            # framework file (`--framework`) are shown as it writes them
            rows.append(["park_questionnaire", question.id, "",
                         translate(TEMPLATE_WORDS["question"],
                                   question=translate(question.text),
                                   requirements=", ".join(uses.get(question.id, []))),
                         kind])
    return rows


def write_park_template(path: Path, framework: Any | None = None,
                        translate: Callable[..., str] = _as_written) -> Path:
    """The .xlsx park template at `path`; `framework` (framework_schema.Framework) adds its
    questions to the guidance sheet; `translate` (a park report language's `gettext`) puts
    its guidance, prompts and checks' messages in that language, its sheets, columns and
    accepted values the same in every language."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    lists = None
    list_column = 0
    last = TEMPLATE_ROWS + 1
    for table in PARK_TABLES:
        sheet = workbook.create_sheet(table.name)
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            sheet.cell(row=1, column=index, value=column.name).font = Font(bold=True)
            sheet.column_dimensions[letter].width = max(14, min(34, len(column.name) + 2))
            choices = _choices(column)
            validation: DataValidation | None = None
            if choices:
                if lists is None:
                    lists = workbook.create_sheet("lists")
                list_column += 1
                list_letter = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=f"{table.name}.{column.name}")
                for row, value in enumerate(choices, start=2):
                    lists.cell(row=row, column=list_column, value=value)
                validation = DataValidation(
                    type="list", formula1=f"lists!${list_letter}$2:${list_letter}$"
                    f"{len(choices) + 1}", allow_blank=True)
            elif column.type in ("int", "float"):
                kind = "whole" if column.type == "int" else "decimal"
                low = column.minimum if column.minimum is not None else -1e15
                high = column.maximum if column.maximum is not None else 1e15
                validation = DataValidation(type=kind, operator="between", formula1=str(low),
                                            formula2=str(high), allow_blank=True)
            if validation is not None:
                validation.errorTitle = column.name[:32]
                validation.error = (_accepted(column, translate)
                                    or translate(column.description))[:255]
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{last}")
        sheet.freeze_panes = "A2"
    guidance = workbook.create_sheet("guidance")
    for line in guidance_rows(framework, translate):
        guidance.append(line)
    for cell in guidance[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (22, 30, 10, 80, 40), strict=True):
        guidance.column_dimensions[letter].width = width
    for cells in guidance.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if lists is not None:
        lists.sheet_state = "hidden"
        workbook.move_sheet("lists", offset=len(workbook.sheetnames))
    workbook.save(path)
    return path
