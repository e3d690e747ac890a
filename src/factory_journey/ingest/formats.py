"""Find and load the raw tables of a dataset: a folder of CSV/Parquet files, one .xlsx
workbook with a sheet per table, one JSON document, or a .zip of any of these.

Loading keeps every cell as the user wrote it (text, or the native type of a Parquet column)
and numbers the rows as a person sees them (`_row`: header = 1, first data row = 2; JSON:
1-based record index). Typing and checking happen later, in `validate`.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from factory_journey.domain.park_tables import PARK_TABLES_BY_NAME
from factory_journey.domain.problems import shorten
from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.ingest.archives import safe_zip
from factory_journey.ingest.cells import is_blank, parse_text
from factory_journey.ingest.csv_reader import read_csv, unique_names
from factory_journey.ingest.file_access import read_head, refuse
from factory_journey.ingest.lazy import one_row
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.result import SourceFile
from factory_journey.ingest.text_input import Refusal, decode, load_json, repeated_keys

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
    #: Lazy mode, a large Parquet table: the file as `_tidy` leaves it, never read whole
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


def _source_file(path: Path, name: str, fmt: str) -> SourceFile:
    return SourceFile(path, name, fmt, sha256_of(path), path.stat().st_size)


#: Called with each table as soon as it is loaded, in the order of `TABLE_NAMES`.
OnTable = Callable[[RawTable], None]


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
        return _load_workbook(path, log, on_table)
    if suffix == ".json":
        return _load_json(path, log, on_table)
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


def _tidy(frame: pl.DataFrame, source: Source, log: ProblemLog, first_row: int) -> pl.DataFrame:
    """Trim headers, number rows, drop empty rows and unnamed empty columns.

    A column named twice (exactly, or differing only in case and spaces) is an error: the
    readers give the repeats a `<name>_duplicated_<n>` name (Polars' own scheme), which is
    how they are told from the first."""
    return _tidy_steps(frame, source, log, first_row)[0]


Tidy = Callable[[pl.LazyFrame], pl.LazyFrame]


def _tidy_steps(
    frame: pl.DataFrame, source: Source, log: ProblemLog, first_row: int
) -> tuple[pl.DataFrame, Tidy | None]:
    """`_tidy`, and the same tidying as a function of a lazy frame of the same file (None
    when empty rows were dropped: which rows, only the data tells)."""
    names: dict[str, str] = {}
    first_at: dict[str, int] = {}
    keep: list[str] = []
    columns = frame.columns
    for position, original in enumerate(columns, start=1):
        repeat = _DUPLICATE.match(original)
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
    if _may_have_empty_rows(frame):
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


_DUPLICATE = re.compile(r"^(.*)_duplicated_\d+$", re.DOTALL)


def _may_have_empty_rows(frame: pl.DataFrame | pl.LazyFrame) -> bool:
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
            files.append(_source_file(path, path.name, fmt))
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
        files.append(_source_file(path, path.name, fmt))
        tidied, tidy = _tidy_steps(raw, source, log, first_row=2)
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
    """The Parquet file at `path` as `_tidy` left it, lazily."""
    return tidy(pl.scan_parquet(path))


def lazy_parquet(
    path: Path, table: str, source: Source, log: ProblemLog, min_rows: int
) -> RawTable | None:
    """The Parquet file at `path` as a lazy table (`RawTable.lazy`) when it has `min_rows`
    rows or more and `_tidy` would only name its columns and number its rows: headers
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
            or any(_DUPLICATE.match(c) for c in columns) or ROW in folded):
        return None
    tidy: Tidy = partial(_tidy_lazily, columns=columns, names=names)
    tidied = tidy(scan)
    try:
        if _may_have_empty_rows(tidied):
            return None
    except Exception:  # damaged pages: read whole, which reports it
        return None
    empty = pl.DataFrame(schema=tidied.collect_schema())
    return RawTable(table, empty, source, partial(_scan, path, tidy), tidied, rows)


def _tidy_lazily(frame: pl.LazyFrame, columns: list[str], names: dict[str, str]
                 ) -> pl.LazyFrame:
    """`_tidy` of a file whose headers need only trimming and which has no empty row."""
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


# -- one .xlsx workbook --------------------------------------------------------------------------


def _load_workbook(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    from openpyxl import load_workbook

    source = Source(path.name)
    if not safe_zip(path, source, log, "an .xlsx workbook"):
        return LoadedDataset([], [])
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
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
            frame = _frame_from_rows(rows)
            tables.append(RawTable(table, _tidy(frame, source, log, first_row=2), source))
            on_table(tables[-1])
    finally:
        workbook.close()
    return LoadedDataset(tables, [_source_file(path, path.name, "xlsx")])


def _frame_from_rows(rows: Iterable[tuple[object, ...]]) -> pl.DataFrame:
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


def _load_json(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
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
        tables.append(RawTable(table, _tidy(frame, table_source, log, first_row=1), table_source))
        on_table(tables[-1])
    return LoadedDataset(tables, [_source_file(path, path.name, "json")])


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
    return LoadedDataset(loaded.tables, [_source_file(path, path.name, "zip")])
