"""Workbooks a factory user would upload: the dataset template filled with a generated
facility, as it is, or with three mistakes of the kinds people make (a value that is not in
the code list, a negative quantity, an unknown unit)."""

from __future__ import annotations

import io
from datetime import date

import polars as pl

from factory_journey.demo import generate_dataset
from factory_journey.services.dataset_template import template_xlsx

FACILITY_ID = "VN-FACTORY-1"
FACILITY_NAME = "Sông Hồng Garment"

#: (sheet, column, wrong value, spreadsheet row) of the three mistakes.
MISTAKES = (
    ("energy", "source", "sunshine", 2),
    ("water", "quantity", -5, 3),
    ("waste", "unit", "bucket", 4),
)


def facility_tables(year: int = 2023, seed: int = 11) -> dict[str, pl.DataFrame]:
    tables = generate_dataset(1, [year], seed=seed, messiness=0.0)
    out = {}
    for name, frame in tables.items():
        if "facility_id" in frame.columns:
            frame = frame.with_columns(facility_id=pl.lit(FACILITY_ID))
        if name == "profiles":
            frame = frame.with_columns(facility_name=pl.lit(FACILITY_NAME))
        out[name] = frame
    return out


def _cell(value: object) -> object:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def filled_template(
    tables: dict[str, pl.DataFrame], mistakes: bool = False, template: bytes | None = None
) -> bytes:
    """The dataset template (`template`, e.g. as downloaded; else a fresh one) with `tables`
    written under its headers, its drop-downs kept."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template or template_xlsx("dataset")))
    for name, frame in tables.items():
        sheet = workbook[name]
        headers = [cell.value for cell in sheet[1]]
        for r, row in enumerate(frame.iter_rows(named=True), start=2):
            for c, header in enumerate(headers, start=1):
                if header in row and row[header] is not None:
                    sheet.cell(row=r, column=c, value=_cell(row[header]))
    if mistakes:
        for name, column, value, row in MISTAKES:
            sheet = workbook[name]
            headers = [cell.value for cell in sheet[1]]
            sheet.cell(row=row, column=headers.index(column) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
