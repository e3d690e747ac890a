"""A large matrix assessed in pieces of whole facilities and written as one file per frame.

At a million facility-years one assessment's working frames take ~6 GB (page faults of fresh
memory alone cost seconds). `assess_in_chunks` computes the peer table once over the whole
matrix, assesses ~`CHUNK_FACILITY_YEARS` facility-years at a time against it
(`engine.assessment.chunks`). On the write-behind thread, while the next chunk is assessed,
every piece of every frame is written as Parquet by Polars (`PARQUET_OPTIONS`), and the file
the user gets is the pieces put together without decoding a page (`parquet_stitch`): the
facility-major frames (pathways, measures, trajectory) piece after piece as they come (each
written to memory and appended at once: nothing written twice); the item-major ones
(opportunities, indicators), which need every chunk's first block before any second, block
by block as small files, put together at the end in the order of one assessment's rows
(decision 0044); the columns every block repeats are encoded once per chunk and spliced into
each block's file (`parquet_splice`). Until decision 0047 the facility-major pieces were
appended by pyarrow: a conversion to Arrow and a slower encoding, ~0.35 s of CPU more at a
million, and the shared columns were encoded in every block, ~1.1 s more.
The frames read back equal those of one whole assessment
(docs/decisions/0039-assess-in-facility-chunks.md).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl

from factory_journey.engine.assessment import (
    PARTS,
    AssessmentResult,
    Methodology,
    assess,
    default_methodology,
    peer_table_of,
)
from factory_journey.engine.assessment.chunks import ITEM_MAJOR, facility_chunks, item_blocks
from factory_journey.services.parquet_splice import splice
from factory_journey.services.parquet_stitch import Stitcher, StitchError, stitch
from factory_journey.services.report_files import PARQUET_OPTIONS, write_parquet
from factory_journey.services.write_behind import WriteBehind

#: From this many facility-years on, `journey assess` (Parquet outputs only) assesses in
#: chunks. One whole assessment peaks at ~5.7 GB at a million facility-years (the issue's
#: limit is 4 GB for the process) and ~2.9 GB at half a million; below this size one pass
#: stays under the limit and saves the peer table made apart and the pieces written and put
#: together (docs/performance.md, "Assessment").
CHUNK_MIN_FACILITY_YEARS = 500_000
#: Facility-years per chunk (about: chunks end between facilities). At a million, 250,000 a
#: chunk keeps the assessment's peak under the matrix stage's (~3.6 GB); 100,000 a chunk
#: cost ~5 s more wall (each chunk pays the fixed cost of planning hundreds of expressions)
#: for no lower process peak; 200,000 and 340,000 were slower too (docs/performance.md).
CHUNK_FACILITY_YEARS = 250_000

#: Pieces that cannot be put together are encoded again into one file, and from no frame
#: (`write_parquet` adds the key columns' statistics from one): every column's statistics.
_REENCODED = {**PARQUET_OPTIONS, "statistics": True}
#: Columns of the assessed rows themselves that every item block repeats (the same values in
#: the same order): encoded once per chunk and put into each block's file (`parquet_splice`).
#: Encoding them in every block cost ~0.3 s of CPU a chunk of 250,000 facility-years
#: (indicators 0.56 → ~0.4 s, opportunities 0.38 → 0.26 s; decision 0047).
SHARED_COLUMNS: tuple[str, ...] = ("facility_id", "year", "journey_factory_type", "country_iso2")
#: `each(name, frame)`: called on the write-behind thread with every piece of every frame.
Each = Callable[[str, pl.DataFrame], None]


def assess_in_chunks(
    matrix: pl.DataFrame,
    folder: Path,
    writer: WriteBehind[None],
    each: Each,
    methodology: Methodology | None = None,
    prices: pl.DataFrame | None = None,
    matrix_versions: dict[str, str] | None = None,
    peers: pl.DataFrame | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_facility_years: int | None = None,
) -> tuple[AssessmentResult, dict[str, int]]:
    """Assess `matrix` chunk by chunk and write `<part>.parquet` for every frame of `PARTS`
    into `folder`; returns the last chunk's result with empty frames (its versions and
    warnings are every chunk's) and the rows of every frame. `peers`: as `assess`'s; default
    the peer groups of the whole `matrix`. `progress(done, total)` after each chunk."""
    methodology = methodology or default_methodology()
    table = peers if peers is not None else peer_table_of(matrix, methodology)
    spill = folder / ".pieces"
    spill.mkdir()
    pieces: dict[str, list[tuple[int, int, Path]]] = {name: [] for name in ITEM_MAJOR}
    files = {name: _Appended(folder / f"{name}.parquet", spill)
             for name in PARTS if name not in ITEM_MAJOR}
    rows = dict.fromkeys(PARTS, 0)
    chunks = list(facility_chunks(matrix, chunk_facility_years or CHUNK_FACILITY_YEARS))
    result: AssessmentResult | None = None
    for index, chunk in enumerate(chunks):

        def emit(name: str, frame: pl.DataFrame, index: int = index, height: int = chunk.height
                 ) -> None:
            rows[name] += frame.height

            def job() -> None:
                each(name, frame)
                if name not in ITEM_MAJOR:  # facility-major: this piece follows the last
                    files[name].append(frame)
                    return
                for block, data in enumerate(_block_files(item_blocks(frame, height))):
                    path = spill / f"{name}-{block:04d}-{index:06d}.parquet"
                    path.write_bytes(data)
                    pieces[name].append((block, index, path))

            writer.submit(job, key=name)  # a frame's pieces in order, frames side by side

        result = assess(chunk, methodology, prices=prices, matrix_versions=matrix_versions,
                        peers=table, emit=emit)
        if progress is not None:
            progress(index + 1, len(chunks))
    if result is None:
        raise ValueError("nothing to assess: the matrix has no rows")
    writer.results()  # every piece written
    for appended in files.values():
        appended.close()
    for name in sorted(ITEM_MAJOR):
        # item block after item block, each chunk after chunk: one assessment's row order
        paths = [path for _, _, path in sorted(pieces[name])]
        try:
            stitch(paths, folder / f"{name}.parquet")
        except StitchError:  # not expected of Polars' pieces: encode them again instead
            pl.scan_parquet(paths).sink_parquet(folder / f"{name}.parquet", **_REENCODED)
    shutil.rmtree(spill)
    return result, rows


class _Appended:
    """A facility-major frame's file: each piece written to memory and put together with those
    before it at once (`Stitcher`). Should a piece be refused (not expected of Polars'
    pieces), the pieces so far and every later one are kept as files and encoded again into
    one at `close`."""

    def __init__(self, target: Path, spill: Path) -> None:
        self._target, self._spill = target, spill
        self._stitcher = Stitcher(target)
        self._appended = 0
        self._refused: list[Path] | None = None

    def append(self, frame: pl.DataFrame) -> None:
        data = _parquet(frame)
        if self._refused is None:
            try:
                self._stitcher.append(data)
                self._appended += 1
                return
            except StitchError:
                self._refused = []
                if self._appended:  # the pieces so far: one whole file, kept as the first
                    self._stitcher.close()
                    head = self._spill / f"{self._target.stem}-head.parquet"
                    self._target.replace(head)
                    self._refused.append(head)
                else:
                    self._stitcher.abandon()
        path = self._spill / f"{self._target.stem}-{len(self._refused):06d}.parquet"
        path.write_bytes(data)
        self._refused.append(path)

    def close(self) -> None:
        if self._refused is None:
            self._stitcher.close()
        else:
            pl.scan_parquet(self._refused).sink_parquet(self._target, **_REENCODED)


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    write_parquet(frame, buffer)
    return buffer.getvalue()


def _block_files(blocks: list[pl.DataFrame]) -> list[bytes]:
    """The Parquet file of each item block: the `SHARED_COLUMNS` it repeats encoded once for
    all, when every block holds the first one's values (checked: a block that does not is
    written whole)."""
    shared = [name for name in SHARED_COLUMNS if name in blocks[0].columns]
    if len(blocks) < 2 or not shared:
        return [_parquet(block) for block in blocks]
    first = blocks[0].select(shared)
    common = _parquet(first)
    template = _parquet(blocks[0].head(0))  # the whole frame's schema and Arrow schema
    files = []
    for block in blocks:
        if block.select(shared).equals(first):
            try:
                files.append(splice([common, _parquet(block.drop(shared))], template))
                continue
            except StitchError:  # not expected of Polars' files: the block written whole
                pass
        files.append(_parquet(block))
    return files
