"""A Parquet file put together from the columns of others (services/parquet_splice.py): it
reads back, in Polars and pyarrow, as the whole frame, with the key columns' statistics; the
item blocks of a chunked assessment encode the columns they repeat once
(chunked_assessment._block_files); what cannot be put together is refused."""

from __future__ import annotations

import io

import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from factory_journey.services.chunked_assessment import _block_files
from factory_journey.services.parquet_splice import splice
from factory_journey.services.parquet_stitch import StitchError, stitch
from factory_journey.services.report_files import write_parquet


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    write_parquet(frame, buffer)
    return buffer.getvalue()


def _block(rows: int, item: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "facility_id": [f"FJ-{i // 3:06d}" for i in range(rows)],
            "year": [2021 + i % 3 for i in range(rows)],
            "area": [item] * rows,
            "value": [None if i % 7 == 0 else i * 0.25 for i in range(rows)],
            "journey_factory_type": ["Tier 2"] * rows,
            "missing": [None if i % 5 else "energy_mj" for i in range(rows)],
        },
        schema={"facility_id": pl.String, "year": pl.Int64,
                "area": pl.Enum(["water", "energy"]), "value": pl.Float64,
                "journey_factory_type": pl.String, "missing": pl.String},
    )


def test_a_spliced_file_reads_back_as_the_whole_frame(tmp_path):
    frame = _block(600_000, "energy")  # three row groups
    shared = ["facility_id", "year", "journey_factory_type"]
    data = splice([_parquet(frame.select(shared)), _parquet(frame.drop(shared))],
                  _parquet(frame.head(0)))
    assert_frame_equal(pl.read_parquet(io.BytesIO(data)), frame, check_exact=True)
    (tmp_path / "f.parquet").write_bytes(data)
    assert_frame_equal(pl.from_arrow(pq.read_table(tmp_path / "f.parquet")), frame,
                       check_exact=True)
    metadata = pq.ParquetFile(tmp_path / "f.parquet").metadata
    assert metadata.num_row_groups == 3 and metadata.num_rows == frame.height
    assert metadata.row_group(2).column(0).statistics.min == "FJ-174762"  # facility_id
    assert metadata.row_group(0).column(2).statistics.max == "energy"  # area, from its part
    wanted = pl.col("facility_id") == "FJ-190000"
    assert_frame_equal(pl.scan_parquet(tmp_path / "f.parquet").filter(wanted).collect(),
                       frame.filter(wanted))
    # and it is a piece like any other: put together with others
    stitch([data, data], tmp_path / "two.parquet")
    assert_frame_equal(pl.read_parquet(tmp_path / "two.parquet"), pl.concat([frame, frame]))


def test_item_blocks_share_the_bytes_of_the_columns_they_repeat():
    blocks = [_block(1_000, "water"), _block(1_000, "energy")]
    odd = _block(1_000, "water").with_columns(year=pl.col("year") + 1)  # not the same rows
    files = _block_files([*blocks, odd])
    for data, block in zip(files, [*blocks, odd], strict=True):
        assert_frame_equal(pl.read_parquet(io.BytesIO(data)), block, check_exact=True)
    first = pq.ParquetFile(io.BytesIO(files[0])).metadata.row_group(0).column(0)
    second = pq.ParquetFile(io.BytesIO(files[1])).metadata.row_group(0).column(0)
    size = first.total_compressed_size
    assert size == second.total_compressed_size
    assert (files[0][first.dictionary_page_offset:first.dictionary_page_offset + size]
            == files[1][second.dictionary_page_offset:second.dictionary_page_offset + size])
    assert _block_files(blocks) == files[:2]  # the same bytes on a rerun


def test_parts_that_do_not_make_the_frame_are_refused():
    frame = _block(100, "water")
    template = _parquet(frame.head(0))
    with pytest.raises(StitchError, match="every column"):
        splice([_parquet(frame.select("facility_id", "year"))], template)
    with pytest.raises(StitchError, match="twice"):
        splice([_parquet(frame), _parquet(frame.select("year"))], template)
    with pytest.raises(StitchError, match="row groups differ"):
        splice([_parquet(frame.select("facility_id")), _parquet(frame.drop("facility_id")[:50])],
               template)
