"""Read one CSV file into a frame of text cells, or say in the user's words why not.

The usual file (UTF-8, LF or CRLF lines) goes to Polars as it is; UTF-16 and CR-only lines
are decoded and normalised first (`text_input`); whatever Polars cannot parse is parsed again
by Python's csv module, which says on which row the problem is (a quote never closed, more
values than columns), or reads what Polars refused. Repeated header names are made unique the
way Polars does (`unique_names`), for `raw_tables.tidy_table` to report.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import NamedTuple

import polars as pl

from factory_journey.ingest.file_access import read_head, refuse
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.text_input import Refusal, decode, sniff

#: The row column of a frame given to `ProblemLog.rows`.
ROW = "_row"


def unique_names(names: list[str]) -> list[str]:
    """Header names made unique the way Polars does (`a`, `a_duplicated_0`, …); `tidy_table`
    reports the repeats."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            out.append(f"{name}_duplicated_{seen[name]}")
            seen[name] += 1
        else:
            seen[name] = 0
            out.append(name)
    return out


#: What a CSV file is, said to a user who gave another kind of text.
CSV_HELP = ("comma-, semicolon- or tab-separated text with one header row, UTF-8 or UTF-16 "
            "(Excel: Save As 'CSV UTF-8')")


class CsvFrame(NamedTuple):
    """A CSV file read: its cells as text, and the separator its header row showed."""

    frame: pl.DataFrame
    separator: str


def read_csv(path: Path, source: Source, log: ProblemLog) -> CsvFrame | None:
    """A CSV file as a frame of text cells, or None with a located problem.

    The usual file (UTF-8, LF or CRLF lines) goes to Polars as it is; UTF-16 and CR-only
    lines are decoded and normalised first; whatever Polars cannot parse is parsed again by
    Python's csv module, which says where the problem is (or reads what Polars refused)."""
    head = read_head(path, source, log)
    if head is None:
        return None
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        log.error("The file is empty", source, code="empty_file",
                  accepted="a header row of column names, then one row per record")
        return None
    sniffed = sniff(head)
    if isinstance(sniffed, Refusal):
        refuse(sniffed, source, log)
        return None
    data: Path | bytes = path
    if sniffed.plain:
        header = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    else:
        text = decode(path.read_bytes())
        if isinstance(text, Refusal):
            refuse(text, source, log)
            return None
        data = text.encode("utf-8")
        header = text.split("\n", 1)[0]
    separator = _csv_separator(header)
    frame: pl.DataFrame | None
    try:
        frame = pl.read_csv(
            io.BytesIO(data) if isinstance(data, bytes) else data,
            infer_schema=False,
            separator=separator,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.NoDataError:
        log.error("The file is empty", source, code="empty_file",
                  accepted="a header row of column names, then one row per record")
        return None
    except Exception:  # Polars' words are not the user's: parse again to say where
        raw = data if isinstance(data, bytes) else path.read_bytes()
        text = decode(raw)
        if isinstance(text, Refusal):
            refuse(text, source, log)
            return None
        frame = _read_csv_python(text, separator, source, log)
        if frame is None:
            return None
    if frame.width == 1 and (other := next((s for s in "|:" if s in frame.columns[0]), None)):
        log.error(
            f"The header has one column only: its columns seem separated by {other!r}",
            source, row=1, code="unknown_separator", accepted=CSV_HELP)
        return None
    return CsvFrame(frame, separator)


def _read_csv_python(
    text: str, separator: str, source: Source, log: ProblemLog
) -> pl.DataFrame | None:
    """Parse CSV text with Python's csv module: a located problem for a quote left open or a
    row with more values than the header has columns; else the frame (empty cell → null)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if record:
                records.append(record)
    except csv.Error as error:
        row = len(records) + 1
        opened = "end of data" in str(error)
        log.error(
            "A quote (\") opened in this row is never closed" if opened else
            "A quote (\") closes a cell but is not followed by the separator",
            source, row=row, code="malformed_csv",
            accepted='cells with quotes written as "..."; a quote inside a cell doubled ("")')
        return None
    if not records:
        log.error("The file is empty", source, code="empty_file", accepted=CSV_HELP)
        return None
    header, width = records[0], len(records[0])
    extra = [
        (row, next(c for c in record[width:] if c.strip()))
        for row, record in enumerate(records[1:], start=2)
        if len(record) > width and any(c.strip() for c in record[width:])
    ]
    if extra:
        bad = pl.DataFrame({ROW: [r for r, _ in extra], "value": [v for _, v in extra]},
                           schema={ROW: pl.Int64, "value": pl.String})
        log.rows(bad, source, message="This row has more values than the header has columns",
                 code="extra_values", value_column="value",
                 accepted=f"at most {width} values in a row, one under each column name")
        return None
    columns = [
        [(record[i] or None) if i < len(record) else None for record in records[1:]]
        for i in range(width)
    ]
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=pl.String)
         for name, values in zip(unique_names(header), columns, strict=True)}
    )


def _csv_separator(header: str) -> str:
    """`,` unless the header row has none and uses `;` or a tab (Excel in some locales)."""
    if "," in header:
        return ","
    if ";" in header:
        return ";"
    return "\t" if "\t" in header else ","
