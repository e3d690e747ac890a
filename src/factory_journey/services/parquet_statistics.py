"""Row-group statistics of the key columns only, added to a Parquet file Polars wrote without any.

Polars computes min/max/null-count statistics for every column of every row group and page,
or for none. For the long assessment frames the statistics were ~15 % of the CPU time of
writing them (text columns: a comparison per value), and nothing in the package reads them:
`journey report`, `journey run` and the web read whole files. What a person's reader does
use them for is skipping row groups when filtering on what identifies a row: the facility, the
year, the area or the indicator (`KEY_COLUMNS`). So the files are written without statistics
and the footer is given, for those columns, the row-group statistics Polars itself writes
(null count, min and max, as the same bytes), computed from the frame in a few milliseconds
(docs/decisions/0047-statistics-of-the-key-columns.md). The column chunks are not touched:
the footer is decoded, given the statistics and written again in its place (`parquet_stitch`'s
Thrift codec).
"""

from __future__ import annotations

import struct
from typing import IO

import polars as pl

from factory_journey.services.parquet_stitch import (
    _BINARY,
    _CHUNK_META,
    _GROUP_COLUMNS,
    _GROUP_ROWS,
    _I64,
    _META_PATH,
    _STRUCT,
    MAGIC,
    StitchError,
    _get,
    _groups,
    _set,
    encode,
    read_footer,
)

#: The columns that identify a row of an assessment output (and of the matrix): the only ones
#: given statistics.
KEY_COLUMNS: tuple[str, ...] = ("facility_id", "year", "area", "indicator")

_META_TYPE, _META_STATISTICS = 1, 12  # ColumnMetaData fields
_STATS_NULLS, _STATS_MAX, _STATS_MIN = 3, 5, 6  # Statistics fields (min_value, max_value)
_INT32, _INT64, _BYTE_ARRAY = 1, 2, 6  # Parquet physical types
_PACK = {_INT32: "<i", _INT64: "<q"}


def _plain(value: object, physical: int) -> bytes:
    """`value` as Parquet's plain encoding of a statistic (little-endian numbers, UTF-8 text)."""
    if physical == _BYTE_ARRAY:
        return str(value).encode("utf-8")
    return struct.pack(_PACK[physical], value)


def _statistics(column: pl.Series, physical: int) -> list[list[object]]:
    """The Statistics struct (decoded, `parquet_stitch` form) of one row group's `column`."""
    nulls = column.null_count()
    if physical == _BYTE_ARRAY and column.dtype != pl.String:
        # Enum and Categorical are stored as their text: the few values present, as text
        # (casting every row: ~6 ms a 250,000-row group)
        column = column.unique().cast(pl.String)
    fields: list[list[object]] = [[_STATS_NULLS, _I64, nulls]]
    if column.null_count() < column.len():
        fields += [[_STATS_MAX, _BINARY, _plain(column.max(), physical)],
                   [_STATS_MIN, _BINARY, _plain(column.min(), physical)]]
    return fields


def add_key_statistics(file: IO[bytes], frame: pl.DataFrame) -> None:
    """Give the Parquet file open in `file` (read and write; written from `frame` without
    statistics) the row-group statistics of its `KEY_COLUMNS`, rewriting its footer in place."""
    keys = [name for name in KEY_COLUMNS if name in frame.columns]
    if not keys:
        return

    def read_at(at: int, length: int) -> bytes:
        file.seek(at)
        return file.read(length)

    footer, footer_at = read_footer("the file", file.seek(0, 2), read_at)
    start = 0
    for group in _groups(footer):
        rows = _get(group, _GROUP_ROWS)
        for chunk in _get(group, _GROUP_COLUMNS)[1]:
            meta = _get(chunk, _CHUNK_META)
            path = _get(meta, _META_PATH)[1]
            physical = _get(meta, _META_TYPE)
            if (len(path) == 1 and (name := path[0].decode()) in keys
                    and physical in (_INT32, _INT64, _BYTE_ARRAY)
                    and _get(meta, _META_STATISTICS) is None):
                piece = frame.get_column(name).slice(start, rows)
                _set(meta, _META_STATISTICS, _STRUCT, _statistics(piece, physical))
        start += rows
    if start != frame.height:
        raise StitchError(f"the file has {start} rows, its frame {frame.height}")
    block = encode(footer)
    file.seek(footer_at)
    file.write(block)
    file.write(struct.pack("<i", len(block)))
    file.write(MAGIC)
    file.truncate()

