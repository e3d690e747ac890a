"""Find and load the raw tables of a dataset: a folder of CSV/Parquet files, one .xlsx
workbook with a sheet per table, one JSON document, or a .zip of any of these.

Loading keeps every cell as the user wrote it (text, or the native type of a Parquet column)
and numbers the rows as a person sees them (`_row`: header = 1, first data row = 2; JSON:
1-based record index). Typing and checking happen later, in `validate`.

What a loaded table is and how every table is tidied: `raw_tables`; a workbook or a JSON
document: `documents`; here: finding the tables of a folder, a file or a .zip, CSV and
Parquet files (large Parquet tables as lazy plans).
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import polars as pl

from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.ingest.archives import safe_zip
from factory_journey.ingest.csv_reader import read_csv
from factory_journey.ingest.documents import load_json_document, load_workbook
from factory_journey.ingest.file_access import read_head
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.raw_tables import (
    DUPLICATE_NAME,
    ROW,
    TABLE_NAMES,
    TEMPLATE_SHEETS,
    LoadedDataset,
    OnTable,
    RawTable,
    Tidy,
    cell_text,
    may_have_empty_rows,
    sha256_of,
    source_file,
    tidy_steps,
)
from factory_journey.ingest.result import SourceFile

__all__ = [
    "ROW", "TABLE_NAMES", "TEMPLATE_SHEETS", "LoadedDataset", "OnTable", "RawTable", "cell_text",
    "lazy_parquet", "load_dataset", "sha256_of",
]


def _ignore(raw: RawTable) -> None:
    return None


def _nothing() -> None:
    return None


def load_dataset(
    path: Path, log: ProblemLog, on_table: OnTable = _ignore, *, in_zip: bool = False,
    keep: bool = True, before_file: Callable[[], None] = _nothing, lazy_from: int | None = None,
) -> LoadedDataset:
    """Load every table of the dataset at `path`; problems of shape go to `log`.

    `on_table` gets each table as soon as it is loaded (profiles first), so that checking
    it can start while the next files are read. `in_zip`: the path came out of a .zip
    (which may not hold another .zip). `keep=False`: the CSV and Parquet tables are only
    handed to `on_table`, not kept in the result, so that each is let go once checked;
    `before_file` is called before each CSV or Parquet file is read (it may wait).
    `lazy_from`: a performance table in a Parquet file of at least this many rows (outside
    a .zip) is handed on as a lazy plan over its file (`RawTable.lazy`), not read."""
    # a file unpacked from a .zip is deleted once loaded: never scanned again
    scannable = not in_zip
    if path.is_dir():
        return _load_folder(path, log, on_table, keep, scannable, before_file,
                            lazy_from if scannable else None)
    source = Source(path.name)
    if read_head(path, source, log) is None:
        return LoadedDataset([], [])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return load_workbook(path, log, on_table)
    if suffix == ".json":
        return load_json_document(path, log, on_table)
    if suffix == ".zip" and not in_zip:
        return _load_zip(path, log, on_table, keep, before_file)
    if suffix in (".csv", ".parquet"):
        return _load_single_file(path, log, on_table, keep, scannable, before_file,
                                 lazy_from if scannable else None)
    log.error(
        "A .zip inside a .zip is not read" if suffix == ".zip" else
        "A dataset is a folder of CSV or Parquet files, one .xlsx workbook, one .json file "
        "or a .zip of a folder",
        source,
        code="unsupported_format",
        accepted="folder, .xlsx, .json, .zip (of a folder of CSV files), or one CSV file "
        "named after its table",
    )
    return LoadedDataset([], [])

# -- folder of CSV / Parquet -------------------------------------------------------------------


def _load_folder(
    folder: Path, log: ProblemLog, on_table: OnTable, keep: bool, scannable: bool,
    before_file: Callable[[], None], lazy_from: int | None = None,
) -> LoadedDataset:
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            continue
        table = path.stem.strip().lower()
        if table not in TABLE_NAMES:
            log.warning(
                "This file is not a table of a dataset and was ignored",
                Source(path.name),
                code="unknown_table",
                accepted=", ".join(f"{t}.csv" for t in TABLE_NAMES),
            )
            continue
        found.setdefault(table, []).append(path)
    return _load_files(found, log, on_table, keep, scannable, before_file, lazy_from)


def _load_single_file(
    path: Path, log: ProblemLog, on_table: OnTable, keep: bool, scannable: bool,
    before_file: Callable[[], None], lazy_from: int | None = None,
) -> LoadedDataset:
    """One CSV or Parquet file: a dataset of the one table it is named after."""
    table = path.stem.strip().lower()
    if table not in TABLE_NAMES:
        log.error(
            "One CSV or Parquet file is read as the table it is named after, and this name "
            "is not a table's",
            Source(path.name),
            code="unknown_table",
            accepted=", ".join(f"{t}.csv" for t in TABLE_NAMES) + ", or a folder or .zip",
        )
        return LoadedDataset([], [])
    return _load_files({table: [path]}, log, on_table, keep, scannable, before_file,
                       lazy_from)


def _load_files(
    found: dict[str, list[Path]], log: ProblemLog, on_table: OnTable, keep: bool = True,
    scannable: bool = False, before_file: Callable[[], None] = lambda: None,
    lazy_from: int | None = None,
) -> LoadedDataset:
    tables: list[RawTable] = []
    files: list[SourceFile] = []
    for table in TABLE_NAMES:
        paths = found.get(table, [])
        if len(paths) > 1:
            log.error(
                f"Table {table!r} is given by more than one file: "
                + ", ".join(p.name for p in paths),
                Source(paths[0].name),
                code="duplicate_table",
                accepted="one file per table",
            )
            continue
        if not paths:
            continue
        path = paths[0]
        source = Source(path.name)
        fmt = path.suffix.lower().lstrip(".")
        separator = ","
        if (lazy_from is not None and fmt == "parquet" and table in TABLES_BY_NAME
                and (lazy := lazy_parquet(path, table, source, log, lazy_from)) is not None):
            files.append(source_file(path, path.name, fmt))
            if keep:
                tables.append(lazy)
            on_table(lazy)  # not read here: its checks read the file in batches
            del lazy
            continue
        before_file()
        if fmt == "csv":
            read = read_csv(path, source, log)
            raw, separator = (read.frame, read.separator) if read else (None, ",")
        else:
            raw = _read_parquet(path, source, log)
        if raw is None:
            continue
        files.append(source_file(path, path.name, fmt))
        tidied, tidy = tidy_steps(raw, source, log, first_row=2)
        del raw
        scan = (partial(_scan, path, tidy)
                if scannable and fmt == "parquet" and tidy is not None else None)
        loaded = RawTable(table, tidied, source, scan)
        del tidied
        if separator == ";":
            _comma_numbers(loaded, log)
        if keep:
            tables.append(loaded)
        on_table(loaded)
        del loaded
    return LoadedDataset(tables, files)


#: A number whose only comma could be a thousands separator or a decimal comma: `1,234`.
_COMMA_NUMBER = r"^[+-]?\d{1,3}(,\d{3})+$"


def _comma_numbers(raw: RawTable, log: ProblemLog) -> None:
    """In a semicolon-separated file (Excel where the comma is the decimal separator),
    `1,234` in a number column is 1.234 or 1234: refused, never read as 1234 unseen."""
    spec = TABLES_BY_NAME.get(raw.table)
    if spec is None:
        return
    numbers = {c.name.lower() for c in spec.columns if c.type in ("float", "int")}
    numbers |= {c.fem_ref_id.lower() for c in spec.columns
                if c.type in ("float", "int") and c.fem_ref_id}
    for column in raw.frame.columns:
        if column.lower() not in numbers or raw.frame.schema[column] != pl.String:
            continue
        bad = raw.frame.filter(pl.col(column).str.strip_chars().str.contains(_COMMA_NUMBER))
        log.rows(bad.select(ROW, column), raw.source, column=column, value_column=column,
                 message="In a semicolon-separated file this comma may be a decimal comma "
                 "or a thousands separator: the number is unclear",
                 code="ambiguous_number",
                 accepted="a point for decimals and no thousands separator: 1234 or 1.234")


def _scan(path: Path, tidy: Tidy) -> pl.LazyFrame:
    """The Parquet file at `path` as `tidy_table` left it, lazily."""
    return tidy(pl.scan_parquet(path))


def lazy_parquet(
    path: Path, table: str, source: Source, log: ProblemLog, min_rows: int
) -> RawTable | None:
    """The Parquet file at `path` as a lazy table (`RawTable.lazy`) when it has `min_rows`
    rows or more and `tidy_table` would only name its columns and number its rows: headers
    that need no decision (none blank or given twice) and no row that could be empty.
    None otherwise, or when the file cannot be opened: it is then read whole as before
    (which reports what is wrong with it)."""
    if read_head(path, source, ProblemLog()) is None:
        return None
    try:
        scan = pl.scan_parquet(path)
        rows = int(scan.select(pl.len()).collect().item())
        if rows < min_rows or rows == 0:
            return None
        columns = scan.collect_schema().names()
    except Exception:  # damaged: read whole, which reports it
        return None
    names = {c: c.strip() for c in columns}
    folded = [n.lower() for n in names.values()]
    if ("" in folded or len(set(folded)) < len(folded)
            or any(DUPLICATE_NAME.match(c) for c in columns) or ROW in folded):
        return None
    tidy: Tidy = partial(_tidy_lazily, columns=columns, names=names)
    tidied = tidy(scan)
    try:
        if may_have_empty_rows(tidied):
            return None
    except Exception:  # damaged pages: read whole, which reports it
        return None
    empty = pl.DataFrame(schema=tidied.collect_schema())
    return RawTable(table, empty, source, partial(_scan, path, tidy), tidied, rows)


def _tidy_lazily(frame: pl.LazyFrame, columns: list[str], names: dict[str, str]
                 ) -> pl.LazyFrame:
    """`tidy_table` of a file whose headers need only trimming and which has no empty row."""
    return frame.select(columns).rename(names).with_row_index(ROW, offset=2).with_columns(
        pl.col(ROW).cast(pl.Int64))


def _read_parquet(path: Path, source: Source, log: ProblemLog) -> pl.DataFrame | None:
    if read_head(path, source, log) is None:
        return None
    try:
        return pl.read_parquet(path)
    except Exception:  # a damaged file is a problem to report, not a crash
        log.error("The file is not a readable Parquet file (it is damaged or of another kind)",
                  source, code="unreadable_file", accepted="a Parquet file, or a CSV file")
        return None

# -- a .zip of any of these ---------------------------------------------------------------------

def _load_zip(
    path: Path, log: ProblemLog, on_table: OnTable, keep: bool, before_file: Callable[[], None]
) -> LoadedDataset:
    source = Source(path.name)
    if not safe_zip(path, source, log, "a .zip of a dataset"):
        return LoadedDataset([], [])
    with tempfile.TemporaryDirectory(prefix="journey-zip-") as tmp:
        root = Path(tmp)
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(root)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError, zlib.error):
            log.error("The .zip could not be unpacked: it is damaged or uses a compression "
                      "method that is not supported", source, code="unreadable_file",
                      accepted="a .zip made with 'Compress' or 'Send to > Compressed folder'")
            return LoadedDataset([], [])
        inner = root
        entries = [p for p in root.iterdir() if not p.name.startswith(("__MACOSX", "."))]
        if len(entries) == 1:
            inner = entries[0]
        loaded = load_dataset(inner, log, on_table, in_zip=True, keep=keep,
                              before_file=before_file)
    return LoadedDataset(loaded.tables, [source_file(path, path.name, "zip")])
