"""Spreadsheet-formula neutralisation for every CSV and XLSX file we write (OWASP "CSV
injection"), in one place.

A spreadsheet program reads a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula: a facility named `=HYPERLINK("http://evil.example/x","click")`
becomes a live link, and worse formulas can run commands or send the sheet's data away. The
rule (OWASP, CSV Injection): prefix such a *text* cell with a single quote (`'`) and quote the
CSV field. Numbers, dates and booleans are typed values, never formulas, and are left as they
are; a text cell that looks like a number (`"-5"` in a text column) is prefixed too, because
the reader of a CSV cannot tell it from text.

- CSV: `write_csv` writes every text field quoted (Polars `quote_style="non_numeric"`), numbers
  bare, so that a reader (and a test) can tell text from numbers, and text that cannot break
  out of its field whatever the reader's delimiter.
- XLSX: `open_workbook` opens an xlsxwriter workbook that never turns a string into a formula
  or a hyperlink (`strings_to_formulas`, `strings_to_urls` off), and `write_sheet` writes a
  frame whose text cells carry the same quote prefix, so that a sheet saved again as CSV from
  Excel stays safe.
- Parquet and JSON files are typed data for programs, not spreadsheets: they keep the text as
  it came (docs/decisions/0012-spreadsheet-formula-neutralisation.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from xlsxwriter import Workbook

__all__ = [
    "FORMULA_TRIGGERS",
    "WORKBOOK_DATE",
    "WORKBOOK_OPTIONS",
    "needs_neutralising",
    "neutralise_frame",
    "neutralise_text",
    "open_workbook",
    "sink_csv",
    "write_csv",
    "write_sheet",
]

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: What a neutralised cell starts with.
PREFIX = "'"

_TRIGGER = r"^[=+\-@\t\r]"
#: A plain decimal number, as a data set written for our own reader may hold in a text column.
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"

#: xlsxwriter options of every workbook we write: no string becomes a formula, a hyperlink or
#: a number; NaN and infinity become Excel errors instead of failing the write.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "default_date_format": "yyyy-mm-dd",
}

#: Fixed document date of generated workbooks, so that the same results give the same bytes
#: (the run's date is in metadata.json).
WORKBOOK_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def needs_neutralising(value: str) -> bool:
    """True when `value`, as a text cell, would be read as a formula."""
    return value.startswith(FORMULA_TRIGGERS)


def neutralise_text(value: str) -> str:
    """`value` with a leading `'` when it starts with a formula trigger, else unchanged."""
    return PREFIX + value if needs_neutralising(value) else value


def neutralise_frame(frame: pl.DataFrame, *, keep_numbers: bool = False) -> pl.DataFrame:
    """`frame` with every text cell that starts with a formula trigger prefixed by `'`.

    Text columns are String, Categorical and Enum (the last two become String); other
    columns (numbers, dates, booleans) are returned as they are. Lists and structs must be
    flattened to text before (`report_files.flat_for_text`). `keep_numbers` leaves a text cell
    that is a plain number (`-1250.0`) as written: only for a data set meant to be read back
    by our own reader (demo-data), where the number is a value, not a formula.
    """
    names = [name for name, dtype in frame.schema.items()
             if isinstance(dtype, pl.String | pl.Categorical | pl.Enum)]
    if not names:
        return frame

    def risky(name: str) -> pl.Expr:
        text = pl.col(name).cast(pl.String)
        flagged = text.str.contains(_TRIGGER)
        return flagged & ~text.str.contains(_NUMBER) if keep_numbers else flagged

    # one pass over the frame says which columns hold a risky cell (not one per column)
    found = frame.select(risky(name).any().alias(name) for name in names).row(0)
    columns = [
        pl.when(risky(name)).then(pl.lit(PREFIX) + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String)).alias(name)
        for name, any_risky in zip(names, found, strict=True)
        if any_risky  # otherwise nothing to change: the column (and its dtype) stays as it is
    ]
    return frame.with_columns(columns) if columns else frame


def write_csv(frame: pl.DataFrame, path: Path, *, dataset: bool = False) -> None:
    """Write `frame` as CSV with formula triggers neutralised and every text field quoted.

    Lists and structs must be flattened first (`report_files.flat_for_text`). `dataset=True`
    is for a data set written to be read back by our own reader (demo-data, the bundled
    pilot): a text cell that is a plain number stays as written (`keep_numbers`) and fields are
    quoted only where CSV needs it, so that the data set's values and bytes do not change.
    """
    if dataset:
        neutralise_frame(frame, keep_numbers=True).write_csv(path)
    else:
        neutralise_frame(frame).write_csv(path, quote_style="non_numeric")


def sink_csv(frame: pl.LazyFrame, path: Path) -> None:
    """Stream `frame` into a CSV file as `write_csv` writes it (formula triggers neutralised,
    text fields quoted) without holding a neutralised copy of the table in memory.

    Lists and structs must be flattened first (`report_files.flat_for_text`). Every text cell
    is tested in the stream, so the bytes are those of `write_csv` on the collected frame.
    """
    columns: list[pl.Expr] = []
    for name, dtype in frame.collect_schema().items():
        if isinstance(dtype, pl.String | pl.Categorical | pl.Enum):
            text = pl.col(name).cast(pl.String)
            columns.append(pl.when(text.str.contains(_TRIGGER)).then(pl.lit(PREFIX) + text)
                           .otherwise(text).alias(name))
    (frame.with_columns(columns) if columns else frame).sink_csv(
        path, quote_style="non_numeric", maintain_order=True
    )


def open_workbook(path: Path, title: str | None = None) -> Workbook:
    """An xlsxwriter workbook at `path` with `WORKBOOK_OPTIONS` and a fixed document date.

    The caller closes it (`with open_workbook(...) as workbook:`). It is packed in memory, with
    the bytes xlsxwriter's packing from temporary files gives (`workbook_packing`)."""
    from factory_journey.services.workbook_packing import PackedWorkbook

    workbook = PackedWorkbook(path, WORKBOOK_OPTIONS)
    workbook.set_properties({"created": WORKBOOK_DATE, "title": title or path.stem})
    return workbook


def write_sheet(workbook: Workbook, frame: pl.DataFrame, sheet: str, *,
                keep_numbers: bool = False, **options: Any) -> None:
    """Write `frame` as sheet `sheet` (cut to Excel's 31 characters) of `workbook`, text cells
    neutralised; `options` go to `polars.DataFrame.write_excel`."""
    neutralise_frame(frame, keep_numbers=keep_numbers).write_excel(
        workbook, worksheet=sheet[:31], **options
    )
