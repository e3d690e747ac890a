"""Parquet pieces put together without decoding (services/parquet_stitch.py): the file reads
back, in Polars and pyarrow, as the pieces stacked; its page indexes point at real pages; what
cannot be put together is refused."""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from factory_journey.services.parquet_stitch import (
    Stitcher,
    StitchError,
    decode,
    encode,
    stitch,
)
from factory_journey.services.report_files import write_parquet


def _frame(rows: int, seed: int) -> pl.DataFrame:
    kinds = pl.Enum(["high", "low", "not_assessed"])
    return pl.DataFrame(
        {
            "facility_id": [f"FJ-{(i * 7 + seed) % 997:06d}" for i in range(rows)],
            "year": [2021 + i % 3 for i in range(rows)],
            "level": [["high", "low", None, "not_assessed"][(i + seed) % 4] for i in range(rows)],
            "value": [None if i % 11 == 0 else (i * 0.37 + seed) for i in range(rows)],
            "flag": [i % 5 == 0 for i in range(rows)],
            "day": [dt.date(2021, 1, 1) + dt.timedelta(days=i % 700) for i in range(rows)],
            "text": [None if i % 13 == 0 else "x" * (i % 40) for i in range(rows)],
        },
        schema={"facility_id": pl.String, "year": pl.Int64, "level": kinds, "value": pl.Float64,
                "flag": pl.Boolean, "day": pl.Date, "text": pl.String},
    )


def _footer(path: Path) -> bytes:
    data = path.read_bytes()
    (length,) = struct.unpack("<i", data[-8:-4])
    return data[-8 - length:-8]


def _pieces(tmp_path: Path, sizes: list[int]) -> tuple[list[Path], pl.DataFrame]:
    frames = [_frame(rows, seed) for seed, rows in enumerate(sizes)]
    paths = []
    for i, frame in enumerate(frames):
        paths.append(tmp_path / f"piece-{i}.parquet")
        write_parquet(frame, paths[-1])
    return paths, pl.concat(frames)


def test_a_footer_decodes_and_encodes_to_the_same_bytes(tmp_path):
    paths, _ = _pieces(tmp_path, [300_000])  # two row groups, dictionary pages, page indexes
    footer = _footer(paths[0])
    assert encode(decode(footer)) == footer


def test_the_stitched_file_reads_back_as_the_pieces_stacked(tmp_path):
    paths, expected = _pieces(tmp_path, [1_000, 0, 300_000, 17, 5_000])
    target = tmp_path / "all.parquet"
    assert stitch(paths, target) == expected.height
    assert_frame_equal(pl.read_parquet(target), expected, check_exact=True)
    assert_frame_equal(pl.from_arrow(pq.read_table(target)), expected, check_exact=True)
    metadata = pq.ParquetFile(target).metadata
    groups = sum(pq.ParquetFile(p).metadata.num_row_groups for p in paths)
    assert metadata.num_row_groups == groups and metadata.num_rows == expected.height
    # statistics travel with their row groups: a filter skips groups and still finds its rows
    wanted = pl.col("facility_id") == "FJ-000500"
    assert_frame_equal(pl.scan_parquet(target).filter(wanted).collect(), expected.filter(wanted))
    assert stitch(paths, tmp_path / "again.parquet") == expected.height
    assert (tmp_path / "again.parquet").read_bytes() == target.read_bytes()


def test_every_page_the_offset_indexes_name_starts_where_they_say(tmp_path):
    paths, _ = _pieces(tmp_path, [70_000, 300_000, 9])
    target = tmp_path / "all.parquet"
    stitch(paths, target)
    data = target.read_bytes()
    footer = decode(_footer(target))
    groups = next(value for field, _, value in footer if field == 4)[1]
    checked = 0
    for group in groups:
        for chunk in next(value for field, _, value in group if field == 1)[1]:
            fields = {field: value for field, _, value in chunk}
            at, length = fields[4], fields[5]
            index = decode(data[at:at + length])
            for page in next(value for field, _, value in index if field == 1)[1]:
                location = {field: value for field, _, value in page}
                header = {field: value for field, _, value in decode(data[location[1]:])}
                assert header[1] in (0, 3)  # a data page (v1 or v2)
                # the location's size counts the page header and the page
                header_size = len(encode(decode(data[location[1]:])))
                assert header_size + header[3] == location[2]
                checked += 1
    assert checked > 10


def test_pieces_with_other_columns_or_that_are_not_parquet_are_refused(tmp_path):
    paths, _ = _pieces(tmp_path, [10, 10])
    write_parquet(_frame(10, 3).drop("text"), tmp_path / "other.parquet")
    with pytest.raises(StitchError, match="columns differ"):
        stitch([paths[0], tmp_path / "other.parquet"], tmp_path / "x.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(StitchError, match="not a Parquet file"):
        stitch([tmp_path / "bad.parquet"], tmp_path / "y.parquet")
    with pytest.raises(StitchError, match="no piece"):
        stitch([], tmp_path / "z.parquet")


def test_pieces_in_memory_put_together_as_they_come_equal_the_files_put_together(tmp_path):
    paths, expected = _pieces(tmp_path, [1_000, 300_000, 17])
    stitch(paths, tmp_path / "files.parquet")
    stitcher = Stitcher(tmp_path / "memory.parquet")
    for seed, rows in enumerate([1_000, 300_000, 17]):
        buffer = io.BytesIO()
        write_parquet(_frame(rows, seed), buffer)
        stitcher.append(buffer.getvalue())
    assert stitcher.close() == expected.height
    assert (tmp_path / "memory.parquet").read_bytes() == (tmp_path / "files.parquet").read_bytes()
    assert_frame_equal(pl.read_parquet(tmp_path / "memory.parquet"), expected, check_exact=True)


def test_a_refused_piece_leaves_the_pieces_before_it_a_whole_file(tmp_path):
    paths, _ = _pieces(tmp_path, [1_000, 20])
    other = io.BytesIO()
    write_parquet(_frame(10, 3).drop("text"), other)
    stitcher = Stitcher(tmp_path / "all.parquet")
    for path in paths:
        stitcher.append(path)
    with pytest.raises(StitchError, match="columns differ"):
        stitcher.append(other.getvalue())
    with pytest.raises(StitchError, match="not a Parquet file"):
        stitcher.append(b"PAR1 not parquet PAR1")
    stitcher.close()
    expected = pl.concat([pl.read_parquet(path) for path in paths])
    assert_frame_equal(pl.read_parquet(tmp_path / "all.parquet"), expected, check_exact=True)
