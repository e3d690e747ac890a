"""The Parquet files we write carry the row-group statistics of their key columns only, the
same bytes Polars writes for them (services/parquet_statistics.py, decision 0047): a filter on
a key still skips row groups, and the file reads back as the frame."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
from polars.testing import assert_frame_equal

from factory_journey.services.parquet_statistics import KEY_COLUMNS
from factory_journey.services.parquet_stitch import decode, stitch
from factory_journey.services.report_files import PARQUET_OPTIONS, write_parquet


def _frame(rows: int) -> pl.DataFrame:
    areas = pl.Enum(["water", "energy", "air"])  # not in text order: stored as text
    return pl.DataFrame(
        {
            "facility_id": [None if i % 13 == 0 else f"FJ-{i // 7:06d}" for i in range(rows)],
            "year": [2021 + i % 3 for i in range(rows)],
            "area": [["water", "energy", "air"][i % 3] for i in range(rows)],
            # a whole row group without a value: a null count and no min or max
            "indicator": [None if i < 262_144 else "b" for i in range(rows)],
            "value": [i * 0.5 for i in range(rows)],
            "note": [f"n{i % 5}" for i in range(rows)],
        },
        schema={"facility_id": pl.String, "year": pl.Int64, "area": areas,
                "indicator": pl.Enum(["b", "a"]), "value": pl.Float64, "note": pl.String},
    )


def _statistics(data: bytes) -> list[dict[str, object]]:
    """Per row group: column name -> its Statistics struct as decoded (None: none)."""
    (length,) = struct.unpack("<i", data[-8:-4])
    footer = decode(data[-8 - length:-8])
    groups = next(value for field, _, value in footer if field == 4)[1]
    out = []
    for group in groups:
        columns: dict[str, object] = {}
        for chunk in next(value for field, _, value in group if field == 1)[1]:
            meta = {field: value for field, _, value in chunk}[3]
            fields = {field: value for field, _, value in meta}
            columns[fields[3][1][0].decode()] = fields.get(12)
        out.append(columns)
    return out


def test_the_key_columns_have_the_statistics_polars_writes_and_the_others_none(tmp_path):
    frame = _frame(600_000)  # three row groups
    write_parquet(frame, tmp_path / "ours.parquet")
    frame.write_parquet(tmp_path / "polars.parquet", **{**PARQUET_OPTIONS, "statistics": True})
    ours = _statistics((tmp_path / "ours.parquet").read_bytes())
    theirs = _statistics((tmp_path / "polars.parquet").read_bytes())
    assert len(ours) == len(theirs) == 3
    for mine, polars in zip(ours, theirs, strict=True):
        for name in frame.columns:
            if name in KEY_COLUMNS:
                assert mine[name] == polars[name] and mine[name] is not None, name
            else:
                assert mine[name] is None and polars[name] is not None, name
    assert_frame_equal(pl.read_parquet(tmp_path / "ours.parquet"), frame, check_exact=True)
    assert_frame_equal(pl.from_arrow(pq.read_table(tmp_path / "ours.parquet")), frame,
                       check_exact=True)
    # pyarrow reads the statistics: a reader can skip row groups by facility
    group = pq.ParquetFile(tmp_path / "ours.parquet").metadata.row_group(2)
    assert group.column(0).statistics.min == "FJ-074898"
    assert group.column(4).statistics is None


def test_a_filter_on_a_key_skips_row_groups_and_finds_its_rows(tmp_path):
    frame = _frame(600_000)
    write_parquet(frame, tmp_path / "f.parquet")
    wanted = (pl.col("facility_id") == "FJ-080000") & (pl.col("area") == "energy")
    assert_frame_equal(pl.scan_parquet(tmp_path / "f.parquet").filter(wanted).collect(),
                       frame.filter(wanted))


def test_pieces_written_to_memory_keep_their_statistics_when_put_together(tmp_path):
    frame = _frame(300_000)
    pieces = []
    for part in (frame.slice(0, 200_000), frame.slice(200_000)):
        buffer = io.BytesIO()
        write_parquet(part, buffer)
        pieces.append(buffer.getvalue())
    stitch(pieces, tmp_path / "all.parquet")
    assert_frame_equal(pl.read_parquet(tmp_path / "all.parquet"), frame, check_exact=True)
    kept = _statistics((tmp_path / "all.parquet").read_bytes())
    assert [group["year"] is not None and group["value"] is None for group in kept] == [True] * 2
    again = io.BytesIO()
    write_parquet(frame.slice(0, 200_000), again)
    assert again.getvalue() == pieces[0]  # the same bytes on a rerun


def test_a_frame_without_key_columns_is_written_as_polars_writes_it(tmp_path):
    frame = pl.DataFrame({"x": [1.0, 2.0]})
    write_parquet(frame, tmp_path / "a.parquet")
    frame.write_parquet(tmp_path / "b.parquet", **PARQUET_OPTIONS)
    assert (tmp_path / "a.parquet").read_bytes() == Path(tmp_path / "b.parquet").read_bytes()
