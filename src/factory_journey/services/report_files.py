"""Writers of the files a use case leaves for people: tables (Parquet, CSV, JSON, XLSX) and an
error report (CSV, JSON and a short text), each in one function.

Parquet is written with fixed settings (`PARQUET_OPTIONS`), so that the same frame gives the
same bytes whatever its in-memory chunk layout; CSV and JSON Lines are streamed from a lazy
frame (no flattened or neutralised copy of a large table in memory); which formats are written
is an `output_formats.OutputPlan` (docs/decisions/0019-outputs-that-fit-the-size.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import polars as pl

from factory_journey.domain.problems import Problem, Severity
from factory_journey.services.output_formats import AUTO, OutputPlan, plan_outputs
from factory_journey.services.parquet_statistics import add_key_statistics
from factory_journey.services.spreadsheet_safety import (
    open_workbook,
    sink_csv,
    write_csv,
    write_sheet,
)

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

#: Rows per Parquet row group. Fixed, because Polars otherwise writes one row group per
#: in-memory chunk, and the chunks of a frame depend on how it was computed (threads, joins):
#: the same rows would give different bytes. 262,144 is Polars' own default size; a reader
#: filtering on a column skips whole groups by their statistics.
PARQUET_ROW_GROUP_ROWS = 262_144

#: Settings of every Parquet file we write: fixed compression and level, fixed row groups, and
#: no statistics from the writer: `write_parquet` adds the row-group statistics of the key
#: columns only (`parquet_statistics`, decision 0047: those of every column were ~15 % of the
#: CPU time of writing the assessment frames, and no reader of ours uses them). No timestamp
#: is written (the file's `created_by` names the Polars version, like metadata.json does).
#: zstd level 1: at 500 k facility-years of assessment outputs 15 % less CPU than level 3 for
#: 14 % more bytes (lz4: 22 % less CPU, 43 % more bytes); docs/performance.md, "Assessment
#: outputs".
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 1,
    "statistics": False,
    "row_group_size": PARQUET_ROW_GROUP_ROWS,
}

#: Problems described in errors.txt before the reader is sent to errors.csv.
TEXT_REPORT_LINES = 50

PROBLEM_COLUMNS = ("severity", "file", "sheet", "row", "column", "value", "accepted", "message",
                   "code")


def flat_for_text(frame: Frame) -> Frame:
    """Lists joined with `;`, structs as JSON text, Enum and Categorical as plain text: for
    CSV, JSON and XLSX. A lazy frame stays lazy."""
    columns = []
    for name, dtype in frame.collect_schema().items():
        if isinstance(dtype, pl.Enum | pl.Categorical):
            columns.append(pl.col(name).cast(pl.String))
        elif isinstance(dtype, pl.List | pl.Array):
            columns.append(pl.col(name).cast(pl.List(pl.String)).list.join(";"))
        elif isinstance(dtype, pl.Struct):
            columns.append(pl.col(name).struct.json_encode())
        else:
            columns.append(pl.col(name))
    return frame.select(columns)


def write_parquet(frame: pl.DataFrame, path: str | Path | IO[bytes]) -> None:
    """`frame` as Parquet with `PARQUET_OPTIONS` into a file or a buffer (read and write, e.g.
    `io.BytesIO`), with the row-group statistics of its key columns: typed, compact,
    byte-identical on a rerun."""
    frame.write_parquet(path, **PARQUET_OPTIONS)
    if isinstance(path, str | Path):
        with Path(path).open("r+b") as file:
            add_key_statistics(file, frame)
    else:
        add_key_statistics(path, frame)


def write_text_formats(frame: pl.DataFrame, folder: Path, name: str, plan: OutputPlan, *,
                       xlsx: bool = True) -> list[str]:
    """The CSV, JSON (or JSON Lines) and, with `xlsx`, .xlsx files of `frame` that `plan`
    asks for; returns their names.

    CSV and JSON Lines are streamed from a lazy frame; a JSON array is written only for a
    small result (`plan.json == "json"`). CSV and XLSX text cells are neutralised against
    formulas (`spreadsheet_safety`); JSON keeps the text as it came."""
    written: list[str] = []
    flat = flat_for_text(frame.lazy())
    if plan.csv:
        sink_csv(flat, folder / f"{name}.csv")
        written.append(f"{name}.csv")
    if plan.json == "json":
        flat.collect().write_json(folder / f"{name}.json")
        written.append(f"{name}.json")
    elif plan.json == "jsonl":
        flat.sink_ndjson(folder / f"{name}.jsonl", maintain_order=True)
        written.append(f"{name}.jsonl")
    if xlsx and plan.xlsx:
        with open_workbook(folder / f"{name}.xlsx") as workbook:
            write_sheet(workbook, flat.collect(), name, autofit=True, float_precision=6,
                        freeze_panes=(1, 0))
        written.append(f"{name}.xlsx")
    return written


def write_table(frame: pl.DataFrame, folder: Path, name: str, *, parquet_only: bool = False,
                plan: OutputPlan | None = None) -> list[str]:
    """Write `name`.parquet and, unless `parquet_only`, the formats of `plan` (default: `auto`
    for a result of `frame.height` rows, see `output_formats.plan_outputs`).

    CSV and XLSX text cells are neutralised against formulas (`spreadsheet_safety`); the
    Parquet file keeps the typed data as it is. Returns the file names written."""
    write_parquet(frame, folder / f"{name}.parquet")
    if parquet_only:
        return [f"{name}.parquet"]
    chosen = plan or plan_outputs((AUTO,), frame.height, {name: frame.height})
    return [f"{name}.parquet", *write_text_formats(frame, folder, name, chosen)]


def problems_frame(problems: Sequence[Problem]) -> pl.DataFrame:
    """One row per problem, columns `PROBLEM_COLUMNS` (values as text)."""
    rows = [p.to_dict() for p in problems]
    return pl.DataFrame(
        {
            "severity": [r["severity"] for r in rows],
            "file": [r["file"] for r in rows],
            "sheet": [r["sheet"] for r in rows],
            "row": pl.Series([r["row"] for r in rows], dtype=pl.Int64),
            "column": [r["column"] for r in rows],
            "value": [None if r["value"] is None else str(r["value"]) for r in rows],
            "accepted": [r["accepted"] for r in rows],
            "message": [r["message"] for r in rows],
            "code": [r["code"] for r in rows],
        },
        schema={c: (pl.Int64 if c == "row" else pl.String) for c in PROBLEM_COLUMNS},
    )


def write_error_report(
    problems: Sequence[Problem], folder: Path, dataset: str, extra: dict[str, Any] | None = None
) -> list[str]:
    """errors.csv (every problem), errors.json (the same, with counts) and errors.txt (the
    first problems in plain lines). Returns the file names written."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    write_csv(problems_frame(problems), folder / "errors.csv")
    document = {
        "dataset": dataset,
        "errors": len(errors),
        "warnings": len(warnings),
        "problems": [p.to_dict() for p in problems],
        **(extra or {}),
    }
    (folder / "errors.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    lines = [
        f"The dataset {dataset} could not be turned into a matrix: {len(errors)} "
        f"problem{'s' if len(errors) != 1 else ''} to fix"
        + (f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} as well)."
           if warnings else "."),
        "",
    ]
    shown = [*errors, *warnings][:TEXT_REPORT_LINES]
    lines += [f"- {'warning: ' if p.severity is Severity.WARNING else ''}{p.describe()}"
              for p in shown]
    if len(problems) > len(shown):
        lines += ["", f"… and {len(problems) - len(shown)} more: see errors.csv."]
    (folder / "errors.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["errors.csv", "errors.json", "errors.txt"]


def write_workbook(path: Path, sheets: dict[str, pl.DataFrame], about: list[tuple[str, str]]
                   ) -> None:
    """One .xlsx workbook: a "Read me" sheet of (item, text) rows, then one sheet per frame.

    Sheet names are cut to Excel's 31 characters; header row frozen, columns autofitted, lists
    structs and Enum columns as text (see `flat_for_text`); text cells neutralised against
    formulas (`spreadsheet_safety`).
    """
    with open_workbook(path) as workbook:
        write_sheet(workbook, pl.DataFrame(about, schema=["item", "text"], orient="row"),
                    "Read me", autofit=True)
        for name, frame in sheets.items():
            write_sheet(workbook, flat_for_text(frame), name, autofit=True, float_precision=6,
                        freeze_panes=(1, 0))
