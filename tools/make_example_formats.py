"""Turn the example CSV folder into the same dataset as one .xlsx workbook and one .json file.

    python tools/make_example_formats.py            # examples/small-dataset → .xlsx, .json
    python tools/make_example_formats.py SRC DEST   # any CSV dataset folder → DEST.xlsx/.json

Cells keep their natural types (numbers as numbers, dates as dates in the workbook), as a
person filling the template in Excel or an API client would write them.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from factory_journey.ingest.formats import TABLE_NAMES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples" / "small-dataset"
#: A fixed creation date keeps the workbook byte-stable between runs.
CREATED = datetime(2024, 1, 1)


def read_tables(folder: Path) -> dict[str, pl.DataFrame]:
    """The CSV tables of `folder` with inferred types, in dataset order."""
    tables = {}
    for name in TABLE_NAMES:
        path = folder / f"{name}.csv"
        if path.is_file():
            tables[name] = pl.read_csv(path, try_parse_dates=True, infer_schema_length=None)
    return tables


def write_workbook(tables: dict[str, pl.DataFrame], path: Path) -> None:
    with xlsxwriter.Workbook(path) as workbook:
        workbook.set_properties({"created": CREATED, "author": "Factory Journey"})
        for name, frame in tables.items():
            frame.write_excel(workbook, worksheet=name, autofit=True, float_precision=3,
                              table_style=None, autofilter=False)


def _json_value(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def write_json(tables: dict[str, pl.DataFrame], path: Path) -> None:
    document = {
        name: [
            {k: _json_value(v) for k, v in record.items() if v is not None}
            for record in frame.to_dicts()
        ]
        for name, frame in tables.items()
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    source = Path(argv[0]) if argv else SOURCE
    target = Path(argv[1]) if len(argv) > 1 else source.parent / source.name
    tables = read_tables(source)
    write_workbook(tables, target.with_suffix(".xlsx"))
    write_json(tables, target.with_suffix(".json"))
    print(f"wrote {target.with_suffix('.xlsx')} and {target.with_suffix('.json')}")


if __name__ == "__main__":
    main(sys.argv[1:])
