"""The raw tables of a dataset as loaded, before typing: what every loader gives
(`RawTable`, `LoadedDataset`), the table names and `_row`, cell text, and the tidying every
table gets (headers trimmed, rows numbered as a person sees them, empty rows dropped, a column
named twice refused).

`_row`: header = 1, first data row = 2 (JSON: 1-based record index). Used by the loaders of
`formats` (folders, files, .zip) and `documents` (a workbook, a JSON document).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from factory_journey.domain.park_tables import PARK_TABLES_BY_NAME
from factory_journey.domain.problems import shorten
from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.ingest.cells import is_blank, parse_text
from factory_journey.ingest.lazy import one_row
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.result import SourceFile

#: Table names a dataset may hold, in the order they are read.
#: The park tables come last: ordinary readers keep them aside (docs/park-data-format.md).
TABLE_NAMES: tuple[str, ...] = ("profiles", *TABLES_BY_NAME, *PARK_TABLES_BY_NAME)

ROW = "_row"
#: Sheets the templates add beside the tables (hidden code lists, guidance): a filled
#: template is read without a warning about them.
TEMPLATE_SHEETS: tuple[str, ...] = ("lists", "guidance")


@dataclass(slots=True)
class RawTable:
    """One table as loaded: header names trimmed (case kept), `_row` first.

    `scan`, for a Parquet file whose tidying dropped no row, gives the same frame as a lazy
    scan of the file: a table checked from `frame` can then be handed on as a plan over the
    file instead of being held in memory (`dataset_reader`, lazy mode)."""

    table: str
    frame: pl.DataFrame
    source: Source
    scan: Callable[[], pl.LazyFrame] | None = None
    #: Lazy mode, a large Parquet table: the file as `tidy_table` leaves it, never read whole
    #: (`frame` is then empty, with the columns); `rows` its rows, from the metadata.
    lazy: pl.LazyFrame | None = None
    rows: int | None = None

    @property
    def height(self) -> int:
        """Rows of the table (of the file, when it is lazy)."""
        return self.frame.height if self.rows is None else self.rows

    @property
    def data(self) -> pl.DataFrame | pl.LazyFrame:
        """The rows: the lazy plan over the file when there is one, else `frame`."""
        return self.frame if self.lazy is None else self.lazy


@dataclass(slots=True)
class LoadedDataset:
    tables: list[RawTable]
    files: list[SourceFile]


def cell_text(value: object) -> str | None:
    """A workbook cell or JSON value as text (blank → None; whole floats lose `.0`; a JSON
    list becomes a `;`-separated multi-select answer, an object its JSON text)."""
    if is_blank(value):
        return None
    if isinstance(value, list | tuple):
        return ";".join(text for item in value if (text := cell_text(item)) is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return parse_text(value)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_file(path: Path, name: str, fmt: str) -> SourceFile:
    return SourceFile(path, name, fmt, sha256_of(path), path.stat().st_size)


#: Called with each table as soon as it is loaded, in the order of `TABLE_NAMES`.
OnTable = Callable[[RawTable], None]


def tidy_table(
    frame: pl.DataFrame, source: Source, log: ProblemLog, first_row: int
) -> pl.DataFrame:
    """Trim headers, number rows, drop empty rows and unnamed empty columns.

    A column named twice (exactly, or differing only in case and spaces) is an error: the
    readers give the repeats a `<name>_duplicated_<n>` name (Polars' own scheme), which is
    how they are told from the first."""
    return tidy_steps(frame, source, log, first_row)[0]


Tidy = Callable[[pl.LazyFrame], pl.LazyFrame]


def tidy_steps(
    frame: pl.DataFrame, source: Source, log: ProblemLog, first_row: int
) -> tuple[pl.DataFrame, Tidy | None]:
    """`tidy_table`, and the same tidying as a function of a lazy frame of the same file (None
    when empty rows were dropped: which rows, only the data tells)."""
    names: dict[str, str] = {}
    first_at: dict[str, int] = {}
    keep: list[str] = []
    columns = frame.columns
    for position, original in enumerate(columns, start=1):
        repeat = DUPLICATE_NAME.match(original)
        name = (repeat.group(1) if repeat and repeat.group(1) in columns[: position - 1]
                else original).strip()
        if name == "":
            if frame[original].null_count() == frame.height:
                continue  # trailing separators: nothing lost
            name = f"(column {position})"
        if name.lower() in first_at:
            log.error(
                f"The column {shorten(name)!r} appears more than once in the header (columns "
                f"{first_at[name.lower()]} and {position}); which one holds the data is unclear",
                source,
                row=1,
                column=name,
                code="duplicate_column",
                accepted="each column once",
            )
            continue
        first_at[name.lower()] = position
        names[original] = name
        keep.append(original)

    def tidy(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.select(keep).rename(names).with_row_index(ROW, offset=first_row).with_columns(
            pl.col(ROW).cast(pl.Int64))

    frame = tidy(frame.lazy()).collect(engine="in-memory")
    if may_have_empty_rows(frame):
        # CSV readers give empty cells as null; a cell of spaces is left to validation
        blank = [
            (pl.col(c).is_null() | (pl.col(c).str.len_bytes() == 0))
            if frame.schema[c] == pl.String
            else pl.col(c).is_null()
            for c in frame.columns
            if c != ROW
        ]
        return frame.filter(~pl.all_horizontal(blank)), None
    return frame, tidy


DUPLICATE_NAME = re.compile(r"^(.*)_duplicated_\d+$", re.DOTALL)


def may_have_empty_rows(frame: pl.DataFrame | pl.LazyFrame) -> bool:
    """False when no row can have every cell empty (null, or text of length 0).

    A column without an empty cell proves there is none; null counts are known without a
    pass, so the usual table (a required column always filled) costs nothing here, and the
    exact filter — a copy of the whole table — runs only when no column proves it. A lazy
    frame's columns are counted one at a time, each a pass over that column only."""
    schema = frame.schema if isinstance(frame, pl.DataFrame) else frame.collect_schema()
    columns = [c for c in schema.names() if c != ROW]
    if not columns or (isinstance(frame, pl.DataFrame) and frame.height == 0):
        return False
    for name in sorted(columns, key=lambda c: schema[c] == pl.String):
        if isinstance(frame, pl.LazyFrame):
            column = pl.col(name)
            counts = [column.null_count().alias("nulls")]
            if schema[name] == pl.String:
                counts.append((column.str.len_bytes() == 0).sum().alias("blank"))
            if not any(one_row(frame, counts)):
                return False
            continue
        values = frame.get_column(name)
        if values.null_count() == 0 and (
            values.dtype != pl.String or not (values.str.len_bytes() == 0).any()
        ):
            return False
    return True
