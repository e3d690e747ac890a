"""A large matrix assessed in pieces of whole facilities, giving the frames of one assessment.

Every row of an assessment depends only on its own facility's rows, the methodology and the
peer table (the trajectory's baseline looks at the facility's other years; nothing else looks
across rows): so the matrix, sorted by (facility_id, year), is cut between facilities, every
piece is assessed against the peer table of the WHOLE matrix (`peer_table_of`), and the pieces'
frames put together give exactly the frames of one assessment
(docs/decisions/0039-assess-in-facility-chunks.md). Put together how: the facility-major
frames (pathways, measures, trajectory) piece after piece; the item-major ones (opportunities:
area-major, indicators: indicator-major, `ITEM_MAJOR`) item block after item block, each block
piece after piece (`item_blocks`).
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

#: Output frames stacked item-major: blocks of one row per facility-year of the assessed
#: matrix, one block per item (area, indicator), in order (layout.stack).
ITEM_MAJOR: frozenset[str] = frozenset({"opportunities", "indicators"})


def _sorted(matrix: pl.DataFrame) -> pl.DataFrame:
    """`matrix` in (facility_id, year) order, the order `assess` gives its rows."""
    if matrix.height < 2:
        return matrix
    fid, year = pl.col("facility_id"), pl.col("year")
    later = (fid > fid.shift(1)) | ((fid == fid.shift(1)) & (year > year.shift(1)))
    if bool(matrix.select(later.slice(1).all()).item()):
        return matrix
    return matrix.sort("facility_id", "year", maintain_order=True)


def facility_chunks(matrix: pl.DataFrame, rows: int) -> Iterator[pl.DataFrame]:
    """Consecutive slices (no copy) of `matrix` in (facility_id, year) order, each about `rows`
    facility-years [count] and never cutting a facility: a slice ends where the next facility
    starts at or after `rows` rows. Together they are the sorted matrix, row for row."""
    frame = _sorted(matrix)
    if frame.height == 0:
        return
    # Row index where each facility starts (the frame is sorted: one run per facility).
    fid = pl.col("facility_id")
    starts = (
        frame.select(pl.int_range(pl.len()).filter(fid != fid.shift(1)).alias("start"))
        .get_column("start")
        .to_list()
    )
    begin = 0  # row 0 starts the first facility; `starts` holds the others (shift: null)
    for start in [*starts, frame.height]:
        if start - begin >= rows:
            yield frame.slice(begin, start - begin)
            begin = start
    if begin < frame.height:
        yield frame.slice(begin, frame.height - begin)


def item_blocks(frame: pl.DataFrame, facility_years: int) -> list[pl.DataFrame]:
    """The item blocks (no copy) of an item-major frame of an assessment of `facility_years`
    rows: `frame.height / facility_years` slices of `facility_years` rows each, in order."""
    if facility_years <= 0 or frame.height % facility_years:
        raise ValueError(
            f"an item-major frame of {frame.height} rows is not whole blocks of "
            f"{facility_years} facility-years"
        )
    return [
        frame.slice(block * facility_years, facility_years)
        for block in range(frame.height // facility_years)
    ]
