"""How a submitted table is kept in the database: Arrow IPC stream bytes, typed exactly.

Every facility-year of every table is one blob (`SubmissionTable.content`), so a cohort of
100,000 facilities is about a million of them, each written at import and read back whenever
the platform rebuilds a matrix (a facility's assessment, a peer recompute over everyone).
For such small tables Parquet's fixed cost dominates: measured per 12-row energy table,
write 314 µs and read 503 µs with Parquet against 58 µs and 20 µs as an Arrow IPC stream
(2 cores, loaded machine; docs/performance.md, "Platform at 100,000 facilities"). Both keep
Polars' types exactly. Rows written before this change are Parquet and are still read: a
Parquet file starts with the magic bytes `PAR1`, an IPC stream never does.

Always go through `encode_table` / `decode_table`; never read the bytes with a format reader
of your own.
"""

from __future__ import annotations

import io

import polars as pl

_PARQUET_MAGIC = b"PAR1"


def encode_table(frame: pl.DataFrame) -> bytes:
    """The bytes kept for one submitted table (Arrow IPC stream, uncompressed)."""
    buffer = io.BytesIO()
    frame.write_ipc_stream(buffer, compression="uncompressed")
    return buffer.getvalue()


def decode_table(content: bytes) -> pl.DataFrame:
    """The table kept as `content` (an IPC stream, or Parquet from before 2026-12-07)."""
    if content[:4] == _PARQUET_MAGIC:
        return pl.read_parquet(io.BytesIO(content))
    return pl.read_ipc_stream(io.BytesIO(content))
