"""Load a dataset given as one document: an .xlsx workbook with a sheet per table, or a JSON
document of tables (an object whose keys are table names and whose values are lists of
records). Every cell is kept as text, as the user wrote it; `_row` is the row a person sees
(workbook: header = 1; JSON: the 1-based record index). Typing and checking happen later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from factory_journey.domain.problems import shorten
from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.ingest.archives import safe_zip
from factory_journey.ingest.csv_reader import unique_names
from factory_journey.ingest.file_access import refuse
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.raw_tables import (
    TABLE_NAMES,
    TEMPLATE_SHEETS,
    LoadedDataset,
    OnTable,
    RawTable,
    cell_text,
    source_file,
    tidy_table,
)
from factory_journey.ingest.text_input import Refusal, decode, load_json, repeated_keys

# -- one .xlsx workbook --------------------------------------------------------------------------


def load_workbook(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    from openpyxl import load_workbook as open_workbook

    source = Source(path.name)
    if not safe_zip(path, source, log, "an .xlsx workbook"):
        return LoadedDataset([], [])
    try:
        workbook = open_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl's words are not the user's
        log.error(
            "The file is a zip archive but not an .xlsx workbook (or a damaged one)",
            source,
            code="unreadable_file",
            accepted="an Excel .xlsx workbook with a sheet per table",
        )
        return LoadedDataset([], [])
    tables: list[RawTable] = []
    try:
        by_table: dict[str, str] = {}
        for sheet in workbook.sheetnames:
            table = sheet.strip().lower()
            if table in TABLE_NAMES and table not in by_table:
                by_table[table] = sheet
            elif table in TEMPLATE_SHEETS:
                continue
            elif table in by_table:
                log.error(
                    f"Table {table!r} is given by more than one sheet: {by_table[table]!r} "
                    f"and {sheet!r}",
                    Source(path.name, sheet),
                    code="duplicate_table",
                    accepted="one sheet per table",
                )
            else:
                log.warning(
                    "This sheet is not a table of a dataset and was ignored",
                    Source(path.name, sheet),
                    code="unknown_table",
                    accepted=", ".join(TABLE_NAMES),
                )
        for table in TABLE_NAMES:
            if table not in by_table:
                continue
            sheet = by_table[table]
            source = Source(path.name, sheet)
            rows = workbook[sheet].iter_rows(values_only=True)
            frame = frame_from_rows(rows)
            tables.append(RawTable(table, tidy_table(frame, source, log, first_row=2), source))
            on_table(tables[-1])
    finally:
        workbook.close()
    return LoadedDataset(tables, [source_file(path, path.name, "xlsx")])


def frame_from_rows(rows: Iterable[tuple[object, ...]]) -> pl.DataFrame:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return pl.DataFrame()
    names = [cell_text(h) or "" for h in header]
    columns: list[list[str | None]] = [[] for _ in names]
    for row in iterator:
        for i in range(len(names)):
            columns[i].append(cell_text(row[i]) if i < len(row) else None)
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=pl.String) for name, values in zip(
            unique_names(names), columns, strict=True)}
    )


# -- one JSON document ---------------------------------------------------------------------------

JSON_SHAPE = '{"profiles": [{...}, ...], "energy": [{...}, ...]}'


def load_json_document(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    source = Source(path.name)
    text = decode(path.read_bytes())
    if isinstance(text, Refusal):
        refuse(text, source, log)
        return LoadedDataset([], [])
    if not text.strip():
        log.error("The file is empty", source, code="empty_file", accepted=JSON_SHAPE)
        return LoadedDataset([], [])
    loaded = load_json(text)
    if loaded.problem is not None:
        log.error(loaded.problem.message, source, code=loaded.problem.code,
                  accepted=loaded.problem.accepted or JSON_SHAPE)
        return LoadedDataset([], [])
    document = loaded.value
    if not isinstance(document, dict):
        log.error(
            "The JSON document must be an object of tables",
            source,
            code="unreadable_file",
            accepted=JSON_SHAPE,
        )
        return LoadedDataset([], [])
    for key in getattr(document, "repeated", []):
        log.error(f"The table {shorten(key)!r} is given twice in the document; which one "
                  "holds the data is unclear", source, code="duplicate_table",
                  accepted="each table once")
    tables: list[RawTable] = []
    by_table: dict[str, str] = {}
    for key in document:
        name = str(key).strip().lower()
        if name not in TABLE_NAMES:
            log.warning(
                f"Key {shorten(key)!r} is not a table of a dataset and was ignored",
                source,
                code="unknown_table",
                accepted=", ".join(TABLE_NAMES),
            )
        elif name in by_table:
            log.error(f"Table {name!r} is given twice: as {by_table[name]!r} and {key!r}",
                      source, code="duplicate_table", accepted="each table once")
        else:
            by_table[name] = key
    for table in TABLE_NAMES:
        if table not in by_table:
            continue
        records = document[by_table[table]]
        table_source = Source(path.name, json_table=table)
        if not isinstance(records, list):
            log.error(f"{table!r} must be a list of records (objects)", table_source,
                      code="unreadable_file", accepted=JSON_SHAPE)
            continue
        not_records = [i for i, r in enumerate(records, start=1) if not isinstance(r, dict)]
        if not_records:
            log.error(
                f"Record {not_records[0]} of {table!r} is not an object"
                + (f" (nor are {len(not_records) - 1} more)" if len(not_records) > 1 else ""),
                table_source, row=not_records[0], code="unreadable_file",
                value=shorten(json.dumps(records[not_records[0] - 1], ensure_ascii=False)),
                accepted='a record is an object: {"<column>": <value>, ...}')
            continue
        repeated = [(i, key) for i, r in enumerate(records, start=1) for key in repeated_keys(r)]
        for row, key in repeated:
            log.error("The key is given twice in this record; which value is meant is unclear",
                      table_source, row=row, column=key, code="duplicate_key",
                      accepted="each key once per record")
        if repeated:
            continue
        names: dict[str, None] = {}
        for record in records:
            names.update(dict.fromkeys(record))
        if not records and table in TABLES_BY_NAME:
            # An empty list is an empty table: it has no keys to name its columns, so it gets
            # the table's own, as a CSV file with only its header row has (`journey demo-data
            # --format json` writes `[]` for a table nobody reported, and must read it back).
            names = dict.fromkeys(c.name for c in TABLES_BY_NAME[table].columns)
        frame = pl.DataFrame(
            {
                str(n): pl.Series(str(n), [cell_text(r.get(n)) for r in records], pl.String)
                for n in names
            }
        )
        tidied = tidy_table(frame, table_source, log, first_row=1)
        tables.append(RawTable(table, tidied, table_source))
        on_table(tables[-1])
    return LoadedDataset(tables, [source_file(path, path.name, "json")])
