"""The Data Matrix rows a peer recompute needs, written when they are submitted (#14).

An import already holds every table it saves; it builds the matrix rows of the facilities it
touched and keeps them as one `PeerInput` batch (one Arrow IPC stream per import job, not a
row per facility-year). Each row carries `_facility_watermark`: the facility's newest
submission id when the row was built. A facility's matrix rows depend on its latest version
of every year and on nothing else, so rows whose watermark is still the facility's newest
submission id are exactly the rows a rebuild from its tables would give. A full peer recompute
is then one read of the batches and the group-by (peers.py), never a decode of every
submitted table; facilities without such rows (data from before, another methodology or
reference version, a batch that could not be built) are rebuilt from their tables.

Batches are a cache: deleting every `PeerInput` row changes no result, only the time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import polars as pl
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from factory_journey.services.platform.submission_content import decode_table, encode_table
from factory_journey.store.models import PeerInput, Submission

logger = logging.getLogger(__name__)

#: The column of a batch row: its facility's newest submission id when it was built.
WATERMARK = "_facility_watermark"
#: The batch a row was read from (only while reading).
_BATCH = "_peer_input_batch"
#: More batches than this under one versions key: a recompute writes them as one.
COMPACT_AFTER = 64
#: An import of fewer facilities keeps no rows: building them would add ~0.05 s to one
#: facility's upload, and the next recompute rebuilds a few facilities in milliseconds.
KEEP_FROM_FACILITIES = 100


def assemble_tables(parts: Iterable[tuple[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """Engine tables from (table name, facility-year part) in facility, year order — the one
    way the platform puts submitted parts together, whether read back or still in memory."""
    frames: dict[str, list[pl.DataFrame]] = {}
    for name, frame in parts:
        frames.setdefault(name, []).append(frame)
    tables = {name: pl.concat(list_, how="diagonal_relaxed") for name, list_ in frames.items()}
    if "programmes" in tables:
        # Programme rows are kept with every year of a facility: once each here.
        tables["programmes"] = tables["programmes"].unique(maintain_order=True)
    return tables


def matrix_of(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The Data Matrix (no provenance) of engine tables; empty without tables."""
    from factory_journey.engine.matrix import build_matrix

    if not tables:
        return pl.DataFrame()
    return build_matrix(tables, with_provenance=False).matrix


def versions_key() -> str:
    """The SHA-256 of the methodology and reference versions (the engine's among them)."""
    import hashlib
    import json

    from factory_journey.services.platform.results import current_methodology, current_reference

    document = {"methodology": current_methodology(), "reference": current_reference()}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def facility_marks(session: Session) -> pl.DataFrame:
    """(facility_id, _facility_watermark): every facility's newest submission id."""
    rows = session.execute(
        select(Submission.facility_id, func.max(Submission.id)).group_by(Submission.facility_id)
    ).all()
    return pl.DataFrame(
        rows, schema={"facility_id": pl.String, WATERMARK: pl.Int64}, orient="row"
    )


def with_marks(matrix: pl.DataFrame, marks: pl.DataFrame) -> pl.DataFrame:
    """`matrix` with each row's facility watermark (from `marks`)."""
    return matrix.join(
        marks, left_on=pl.col("facility_id").cast(pl.String), right_on="facility_id",
        how="left", maintain_order="left",
    ).drop("facility_id_right", strict=False)


def store_batch(
    session: Session, key: str, rows: pl.DataFrame, import_job_id: int | None = None
) -> None:
    """Keep matrix rows (with their watermarks) as one batch under the versions `key`."""
    if not rows.height:
        return
    session.add(
        PeerInput(
            versions_sha256=key,
            submission_watermark=int(rows[WATERMARK].max()),  # type: ignore[arg-type]
            facility_year_count=rows.height,
            content=encode_table(rows),
            import_job_id=import_job_id,
        )
    )


def current_rows(session: Session, key: str, marks: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """(the stored rows still current, without their watermark; the newest batch id read).

    Rows are current when their facility's newest submission is still the one they were built
    after; a facility in several current batches takes the newest batch's rows."""
    batches = session.execute(
        select(PeerInput.id, PeerInput.content)
        .where(PeerInput.versions_sha256 == key)
        .order_by(PeerInput.id)
    ).all()
    frames = []
    for batch_id, content in batches:
        frame = decode_table(content)
        if WATERMARK in frame.columns:  # batches of before 0015 have none: not used
            frames.append(frame.with_columns(pl.lit(batch_id, pl.Int64).alias(_BATCH)))
    newest_id = batches[-1][0] if batches else 0
    if not frames:
        return pl.DataFrame(), newest_id
    rows = pl.concat(frames, how="diagonal_relaxed")
    rows = rows.join(
        marks,
        left_on=[pl.col("facility_id").cast(pl.String), WATERMARK],
        right_on=["facility_id", WATERMARK],
        how="semi",
    )
    newest = pl.col(_BATCH) == pl.col(_BATCH).max().over("facility_id")
    return rows.filter(newest).drop(_BATCH, WATERMARK), newest_id


def batch_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(PeerInput)).scalar_one())


def compact(
    session: Session, key: str, matrix: pl.DataFrame, marks: pl.DataFrame, upto: int
) -> None:
    """Replace the batches up to id `upto` (of every key: others are never read again) by one
    holding `matrix`; batches committed meanwhile stay."""
    session.execute(
        delete(PeerInput).where((PeerInput.id <= upto) | (PeerInput.versions_sha256 != key))
    )
    store_batch(session, key, with_marks(matrix, marks))


def write_import_rows(
    session: Session,
    job_id: int,
    saved: list[tuple[Any, str, Any]],
    parts: dict[str, tuple[bool, dict[tuple[Any, ...], pl.DataFrame]]],
    earlier_years: dict[str, set[Any]],
) -> None:
    """Build and keep the matrix rows of the facility-years an import just saved.

    saved: (submission, facility id, year) flushed by the import; parts: its tables split by
    facility-year; earlier_years: the years each facility had on the platform before. A
    facility whose earlier years are all in this upload is built from the upload as it is in
    memory; one with other years is built from its latest tables read back. A failure to build
    is logged and leaves those facilities to the next recompute (which rebuilds them), as
    does an import of fewer than `KEEP_FROM_FACILITIES` facilities."""
    marks: dict[str, int] = {}
    years: dict[str, set[Any]] = {}
    for submission, facility_id, year in saved:
        marks[facility_id] = max(marks.get(facility_id, 0), int(submission.id))
        years.setdefault(facility_id, set()).add(year)
    if len(marks) < KEEP_FROM_FACILITIES:
        return
    in_memory = {f for f in marks if earlier_years.get(f, set()) <= years[f]}
    read_back = sorted(set(marks) - in_memory)
    try:
        in_order = sorted(
            ((f, y) for _s, f, y in saved if f in in_memory), key=lambda fy: (fy[0], fy[1])
        )
        matrix = matrix_of(assemble_tables(_parts_in_order(in_order, parts)))
        built = [matrix] if matrix.height else []
        if read_back:
            from factory_journey.services.platform.imports import latest_tables
            from factory_journey.services.platform.latest_versions import ID_BATCH

            for start in range(0, len(read_back), ID_BATCH):
                part = matrix_of(latest_tables(session, read_back[start : start + ID_BATCH]))
                if part.height:
                    built.append(part)
    except SQLAlchemyError:
        raise
    except Exception:  # the import stands; the next recompute builds these rows itself
        logger.warning("import job %s: peer rows not built", job_id, exc_info=True)
        return
    if not built:
        return
    frame = pl.DataFrame(
        list(marks.items()), schema={"facility_id": pl.String, WATERMARK: pl.Int64},
        orient="row",
    )
    rows = pl.concat(built, how="diagonal_relaxed")
    store_batch(session, versions_key(), with_marks(rows, frame), import_job_id=job_id)


def _parts_in_order(
    keys: list[tuple[str, Any]],
    parts: dict[str, tuple[bool, dict[tuple[Any, ...], pl.DataFrame]]],
) -> Iterable[tuple[str, pl.DataFrame]]:
    """(table name, part) of these facility-years in the order `latest_tables` reads them:
    facility, year, table name."""
    for facility_id, year in keys:
        for name in sorted(parts):
            by_year, rows_of = parts[name]
            part = rows_of.get((facility_id, year) if by_year else (facility_id,))
            if part is not None and part.height:
                yield name, part
