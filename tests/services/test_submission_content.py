"""Submitted tables are kept as Arrow IPC streams, older Parquet rows still read, types exact."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from factory_journey.services.platform.submission_content import decode_table, encode_table

SRC = Path(__file__).resolve().parents[2] / "src" / "factory_journey"


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "facility_id": ["FJ-1", "FJ-1"],
            "year": pl.Series([2023, 2023], dtype=pl.Int32),
            "quantity": [1.5, None],
            "month": pl.Series([1, 2], dtype=pl.UInt8),
            "reported_unit": pl.Series(["kWh", "MJ"], dtype=pl.Categorical),
            "date": [dt.date(2023, 1, 31), dt.date(2023, 2, 28)],
        }
    )


def test_a_table_round_trips_with_its_types() -> None:
    frame = _frame()
    content = encode_table(frame)
    assert content[:4] != b"PAR1"
    assert_frame_equal(decode_table(content), frame)


def test_rows_written_as_parquet_before_still_read() -> None:
    frame = _frame()
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    assert_frame_equal(decode_table(buffer.getvalue()), frame)


def test_an_empty_table_round_trips() -> None:
    frame = _frame().head(0)
    assert_frame_equal(decode_table(encode_table(frame)), frame)


def test_no_module_reads_submitted_tables_with_its_own_format_reader() -> None:
    """Every reader of SubmissionTable.content goes through decode_table."""
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "submission_content.py"
        and "SubmissionTable" in (text := path.read_text(encoding="utf-8"))
        and ("read_parquet(" in text or "read_ipc" in text)
    ]
    assert offenders == []
