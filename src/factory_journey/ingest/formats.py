"""Find and load the raw tables of a dataset: a folder of CSV/Parquet files, one .xlsx
workbook with a sheet per table, one JSON document, or a .zip of any of these.

Loading keeps every cell as the user wrote it (text, or the native type of a Parquet column)
and numbers the rows as a person sees them (`_row`: header = 1, first data row = 2; JSON:
1-based record index). Typing and checking happen later, in `validate`.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.ingest.cells import is_blank, parse_text
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.result import SourceFile
from factory_journey.ingest.spreadsheet import ENCODING_HELP

#: Table names a dataset may hold, in the order they are read.
TABLE_NAMES: tuple[str, ...] = ("profiles", *TABLES_BY_NAME)

ROW = "_row"


@dataclass(slots=True)
class RawTable:
    """One table as loaded: header names trimmed (case kept), `_row` first."""

    table: str
    frame: pl.DataFrame
    source: Source


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


def load_dataset(path: Path, log: ProblemLog, on_table: OnTable = _ignore) -> LoadedDataset:
    """Load every table of the dataset at `path`; problems of shape go to `log`.

    `on_table` gets each table as soon as it is loaded (profiles first), so that checking
    it can start while the next files are read."""
    if path.is_dir():
        return _load_folder(path, log, on_table)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _load_workbook(path, log, on_table)
    if suffix == ".json":
        return _load_json(path, log, on_table)
    if suffix == ".zip":
        return _load_zip(path, log, on_table)
    log.error(
        "A dataset is a folder of CSV or Parquet files, one .xlsx workbook, one .json file "
        "or a .zip of a folder",
        Source(path.name),
        code="unsupported_format",
        accepted="folder, .xlsx, .json, .zip",
    )
    return LoadedDataset([], [])


def _tidy(frame: pl.DataFrame, source: Source, log: ProblemLog, first_row: int) -> pl.DataFrame:
    """Trim headers, number rows, drop empty rows and unnamed empty columns."""
    names: dict[str, str] = {}
    keep: list[str] = []
    for original in frame.columns:
        name = str(original).strip()
        unnamed = name == "" or name.startswith("_duplicated_") or name.startswith("column_")
        if unnamed and frame[original].null_count() == frame.height:
            continue
        if name.lower() in {n.lower() for n in names.values()}:
            log.error(
                "The column appears twice",
                source,
                row=1,
                column=name,
                code="duplicate_column",
            )
            continue
        names[original] = name
        keep.append(original)
    frame = frame.select(keep).rename(names)
    frame = frame.with_row_index(ROW, offset=first_row).with_columns(pl.col(ROW).cast(pl.Int64))
    if _may_have_empty_rows(frame):
        # CSV readers give empty cells as null; a cell of spaces is left to validation
        blank = [
            (pl.col(c).is_null() | (pl.col(c).str.len_bytes() == 0))
            if frame.schema[c] == pl.String
            else pl.col(c).is_null()
            for c in frame.columns
            if c != ROW
        ]
        frame = frame.filter(~pl.all_horizontal(blank))
    return frame


def _may_have_empty_rows(frame: pl.DataFrame) -> bool:
    """False when no row can have every cell empty (null, or text of length 0).

    A column without an empty cell proves there is none; null counts are known without a
    pass, so the usual table (a required column always filled) costs nothing here, and the
    exact filter — a copy of the whole table — runs only when no column proves it."""
    columns = [c for c in frame.columns if c != ROW]
    if not columns or frame.height == 0:
        return False
    for name in sorted(columns, key=lambda c: frame.schema[c] == pl.String):
        column = frame.get_column(name)
        if column.null_count() == 0 and (
            column.dtype != pl.String or not (column.str.len_bytes() == 0).any()
        ):
            return False
    return True


# -- folder of CSV / Parquet -------------------------------------------------------------------


def _load_folder(folder: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
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
            )
            continue
        if not paths:
            continue
        path = paths[0]
        source = Source(path.name)
        fmt = path.suffix.lower().lstrip(".")
        try:
            if fmt == "csv":
                raw = pl.read_csv(
                    path,
                    infer_schema=False,
                    separator=_csv_separator(path),
                    truncate_ragged_lines=True,
                )
            else:
                raw = pl.read_parquet(path)
        except Exception as error:  # a malformed file is a problem to report, not a crash
            if "utf-8" in str(error).lower():
                log.error("The file is not UTF-8 text", source, code="encoding",
                          accepted=ENCODING_HELP)
            else:
                log.error(f"The file could not be read as {fmt.upper()}: {error}", source,
                          code="unreadable_file")
            continue
        files.append(_source_file(path, path.name, fmt))
        tables.append(RawTable(table, _tidy(raw, source, log, first_row=2), source))
        on_table(tables[-1])
    return LoadedDataset(tables, files)


def _csv_separator(path: Path) -> str:
    """`,` unless the header row has none and uses `;` or a tab (Excel in some locales)."""
    with path.open("rb") as handle:
        header = handle.readline()
    if b"," in header:
        return ","
    if b";" in header:
        return ";"
    return "\t" if b"\t" in header else ","


# -- one .xlsx workbook --------------------------------------------------------------------------


def _load_workbook(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        log.error(
            f"The file could not be read as an .xlsx workbook: {error}",
            Source(path.name),
            code="unreadable_file",
        )
        return LoadedDataset([], [])
    tables: list[RawTable] = []
    try:
        by_table: dict[str, str] = {}
        for sheet in workbook.sheetnames:
            table = sheet.strip().lower()
            if table in TABLE_NAMES and table not in by_table:
                by_table[table] = sheet
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
    names = [cell_text(h) or f"column_{i + 1}" for i, h in enumerate(header)]
    columns: list[list[str | None]] = [[] for _ in names]
    for row in iterator:
        for i in range(len(names)):
            columns[i].append(cell_text(row[i]) if i < len(row) else None)
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=pl.String) for name, values in zip(
            _unique(names), columns, strict=True)}
    )


def _unique(names: list[str]) -> list[str]:
    """Header names made unique for the frame; duplicates are reported by `_tidy`."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"_duplicated_{seen[name]}_{name}")
        else:
            seen[name] = 0
            out.append(name)
    return out


# -- one JSON document ---------------------------------------------------------------------------


def _load_json(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    source = Source(path.name)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        log.error(f"The file is not valid JSON: {error}", source, code="unreadable_file")
        return LoadedDataset([], [])
    if not isinstance(document, dict):
        log.error(
            'The JSON document must be an object of tables: {"profiles": [...], '
            '"energy": [...]}',
            source,
            code="unreadable_file",
        )
        return LoadedDataset([], [])
    tables: list[RawTable] = []
    by_table = {str(k).strip().lower(): k for k in document}
    for name, key in by_table.items():
        if name not in TABLE_NAMES:
            log.warning(
                f"Key {key!r} is not a table of a dataset and was ignored",
                source,
                code="unknown_table",
                accepted=", ".join(TABLE_NAMES),
            )
    for table in TABLE_NAMES:
        if table not in by_table:
            continue
        records = document[by_table[table]]
        table_source = Source(path.name, json_table=table)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            log.error(
                f"{table!r} must be a list of records (objects)",
                table_source,
                code="unreadable_file",
            )
            continue
        names: dict[str, None] = {}
        for record in records:
            names.update(dict.fromkeys(record))
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


def _load_zip(path: Path, log: ProblemLog, on_table: OnTable) -> LoadedDataset:
    with tempfile.TemporaryDirectory(prefix="journey-zip-") as tmp:
        root = Path(tmp)
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    target = (root / member.filename).resolve()
                    if not target.is_relative_to(root.resolve()):
                        raise zipfile.BadZipFile(f"unsafe path {member.filename!r}")
                archive.extractall(root)
        except zipfile.BadZipFile as error:
            log.error(f"The .zip file could not be read: {error}", Source(path.name),
                      code="unreadable_file")
            return LoadedDataset([], [])
        inner = root
        entries = [p for p in root.iterdir() if not p.name.startswith(("__MACOSX", "."))]
        if len(entries) == 1:
            inner = entries[0]
        loaded = load_dataset(inner, log, on_table)
    return LoadedDataset(loaded.tables, [_source_file(path, path.name, "zip")])
