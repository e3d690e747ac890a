"""What every column of a dataset accepts, from the dataset contract itself (`domain.tables`,
`domain.profile`, the reference code lists and the unit registry), for people: the guidance
page, the templates' guidance sheet and drop-downs, and the link from an upload problem to the
guidance of its table and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from factory_journey.domain.profile import PROFILES
from factory_journey.domain.profile_rules import accepted_text
from factory_journey.domain.tables import PERFORMANCE_TABLES, Column, Table
from factory_journey.domain.units import accepted_units
from factory_journey.ingest.profile_template import column_choices as profile_choices
from factory_journey.ingest.units import FUEL_DIMENSIONS
from factory_journey.reference.names import enum_keys
from factory_journey.reference.tables import zdhc_limits

#: Every table of a dataset, profiles first, in the order a person fills them.
DATASET_TABLES: tuple[Table, ...] = (PROFILES, *PERFORMANCE_TABLES)
_BY_NAME = {t.name: t for t in DATASET_TABLES}


@dataclass(frozen=True, slots=True)
class ColumnGuide:
    """One column in words. `choices`: the values a drop-down offers (None: free input);
    `strict`: whether anything else is refused (False where spellings and aliases of the
    listed keys are accepted too, or several values may be given)."""

    table: str
    name: str
    type: str
    required: bool
    description: str
    accepted: str
    choices: tuple[str, ...] | None
    strict: bool
    minimum: float | None
    maximum: float | None
    anchor: str


@dataclass(frozen=True, slots=True)
class TableGuide:
    name: str
    row_is: str
    key: tuple[str, ...]
    required: bool
    notes: tuple[str, ...]
    columns: tuple[ColumnGuide, ...]
    anchor: str


def anchor_for(table: str | None, column: str | None = None) -> str:
    """The fragment id of a table's (or one column's) guidance: `energy`, `energy-unit`."""
    text = "-".join(p for p in (table, column) if p) or "tables"
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")


def _unit_choices(table: Table) -> tuple[str, ...]:
    dimensions = [c.dimension for c in table.columns if c.dimension]
    if table.name == "zdhc_wastewater":  # each parameter in the unit of its limit (ingest)
        return tuple(sorted(set(zdhc_limits().get_column("unit").drop_nulls().to_list())))
    if not dimensions:
        return ()
    units = set(accepted_units(dimensions[0]))
    if table.name == "energy":  # fuels may be given by volume or mass (ingest.units)
        for dimension in FUEL_DIMENSIONS:
            units |= set(accepted_units(dimension))
    return tuple(sorted(units))


#: What a column of codes, units or countries accepts, in words: the platform's own, which
#: the pages translate on their own (services/problem_templates reads `*_PROBLEM_WORDS`).
GUIDANCE_PROBLEM_WORDS: dict[str, str] = {
    "reference": "one of {count} values of reference list {file} (key, label or alias; case "
                 "and punctuation do not matter)",
    "units": "a unit spelling: {units}",
    "country": "ISO alpha-2 or alpha-3 code, or the country's name in English or in a language "
               "of the platform (drop-down: code - name)",
}


def _performance_guide(table: Table, column: Column) -> ColumnGuide:
    accepted = accepted_text(column) if not isinstance(column.enum, str) else ""
    choices: tuple[str, ...] | None = None
    strict = True
    if isinstance(column.enum, tuple):
        choices = column.enum
        strict = False  # case and punctuation do not matter: a warning, not a refusal
    elif isinstance(column.enum, str):
        choices = enum_keys(column.enum)
        strict = False
        accepted = GUIDANCE_PROBLEM_WORDS["reference"].format(count=len(choices),
                                                              file=column.enum)
    elif column.name == "unit":
        choices = _unit_choices(table) or None
        strict = False
        accepted = GUIDANCE_PROBLEM_WORDS["units"].format(units=", ".join(choices or ()))
    elif column.type == "bool":
        choices, strict = ("Yes", "No"), False
    return ColumnGuide(
        table.name, column.name, column.type, column.required, column.description, accepted,
        choices, strict, column.minimum, column.maximum, anchor_for(table.name, column.name),
    )


def _profile_guide(column: Column) -> ColumnGuide:
    listed = profile_choices(column)
    if column.name == "sitecountry":
        accepted = GUIDANCE_PROBLEM_WORDS["country"]
    elif column.name.endswith("_unit") and listed:
        accepted = ", ".join(listed)
    else:
        accepted = accepted_text(column)
    return ColumnGuide(
        PROFILES.name, column.name, column.type, column.required, column.description, accepted,
        tuple(listed) if listed else None, column.type != "list",
        column.minimum, column.maximum, anchor_for(PROFILES.name, column.name),
    )


@cache
def dataset_guide() -> tuple[TableGuide, ...]:
    """Every table of the dataset contract with its columns in words (read once a process)."""
    out = []
    for table in DATASET_TABLES:
        if table is PROFILES:
            columns = tuple(_profile_guide(c) for c in table.columns)
        else:
            columns = tuple(_performance_guide(table, c) for c in table.columns)
        out.append(TableGuide(table.name, table.row_is, table.key, table.required or
                              table is PROFILES, table.notes, columns, anchor_for(table.name)))
    return tuple(out)


def guidance_messages() -> dict[str, str]:
    """The guidance's own words (what a row of each table is, its notes, what each column
    holds) → the file that defines them (relative to the package), for the facility pages'
    catalogue (web/pages/catalogues.DATA_MESSAGES), so that the guidance page reads in its
    reader's language. The accepted values are listed as the file must hold them."""
    out: dict[str, str] = {}
    for table in dataset_guide():
        where = "domain/profile.py" if table.name == PROFILES.name else "domain/tables.py"
        for text in (table.row_is, *table.notes, *(c.description for c in table.columns)):
            if text:
                out.setdefault(text, where)
    return out


def table_of(file: str | None, sheet: str | None) -> str | None:
    """The dataset table a problem's file or sheet is: sheet `energy`, `data/energy.csv`,
    `dataset.json [energy]`; None when it names no table (a whole file, an archive)."""
    if file and file.endswith("]") and "[" in file:
        candidate = file[file.rindex("[") + 1 : -1]
        if candidate in _BY_NAME:
            return candidate
    if sheet and sheet.strip().lower() in _BY_NAME:
        return sheet.strip().lower()
    if file:
        stem = PurePosixPath(file.replace("\\", "/")).stem.strip().lower()
        if stem in _BY_NAME:
            return stem
    return None


def column_guide(table: str | None, column: str | None) -> ColumnGuide | None:
    """The guidance of one column, or None when the table or column is not in the contract."""
    if table is None or column is None or table not in _BY_NAME:
        return None
    for guide in dataset_guide():
        if guide.name == table:
            for item in guide.columns:
                if item.name == column.strip():
                    return item
    return None
