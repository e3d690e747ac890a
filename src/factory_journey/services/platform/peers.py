"""The platform's peer snapshots: peer thresholds over every facility it holds, versioned.

`recompute_peer_snapshot` builds the Data Matrix of the latest submissions of every facility,
computes the engine's peer table from it (threshold, group size `n` and median of every peer
group with at least the methodology's `min_group_size` values; smaller groups are left out and
their facilities are judged on the absolute threshold) and stores it as a new `PeerSnapshot` only
when it differs from the current one or is of an older table version. A facility's assessment
(results.py) uses the current snapshot as a whole and names it, so a result can be reproduced
with `journey assess --peer-snapshot`, and no reader ever sees thresholds of two recomputations
mixed; its report takes its peer lines from that snapshot (`peer_table_named`, decision 0051).

Recomputation is a background job (web/app.py, every `JOURNEY_PEER_INTERVAL` seconds) or a
command (`journey peers recompute`); a facility's own upload does not wait for it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.store.models import PeerSnapshot, Submission

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PeerSnapshotRef:
    """A stored peer snapshot without its content."""

    id: int
    methodology_version: str
    content_sha256: str
    facility_count: int
    group_count: int
    created_at: datetime
    submission_watermark: int

    def as_dict(self) -> dict[str, object]:
        from factory_journey.domain.timestamps import iso_utc

        return {
            "id": self.id,
            "sha256": self.content_sha256,
            "methodology_version": self.methodology_version,
            "facility_count": self.facility_count,
            "group_count": self.group_count,
            "created_at": iso_utc(self.created_at),
        }


def table_bytes(table: pl.DataFrame) -> bytes:
    """The peer table as Parquet bytes (the same table gives the same bytes)."""
    buffer = io.BytesIO()
    # One chunk, one row group: the bytes then depend on the rows only.
    table.rechunk().write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def read_table(content: bytes, label: str = "the peer snapshot") -> pl.DataFrame:
    """A peer table from Parquet bytes, checked; ValueError in the user's terms."""
    from factory_journey.engine.assessment import validate_peer_table

    try:
        table = pl.read_parquet(io.BytesIO(content))
    except (pl.exceptions.PolarsError, OSError):
        raise ValueError(f"{label} is not a Parquet peer table") from None
    return validate_peer_table(table, label)


_SELECT_REF = select(
    PeerSnapshot.id,
    PeerSnapshot.methodology_version,
    PeerSnapshot.content_sha256,
    PeerSnapshot.facility_count,
    PeerSnapshot.group_count,
    PeerSnapshot.created_at,
    PeerSnapshot.submission_watermark,
)


def current_peer_snapshot(session: Session) -> PeerSnapshotRef | None:
    """The newest peer snapshot computed under the packaged methodology; None before the first."""
    from factory_journey.services.platform.results import current_methodology

    row = session.execute(
        _SELECT_REF.where(PeerSnapshot.methodology_version == current_methodology())
        .order_by(PeerSnapshot.id.desc())
        .limit(1)
    ).first()
    return PeerSnapshotRef(*row) if row is not None else None


_SESSION_KEY = "factory_journey.peer_snapshot"


def peer_snapshot_for(session: Session) -> PeerSnapshotRef | None:
    """The current peer snapshot as this session first saw it: every facility read in one
    request (a portfolio, a report) is judged against the same snapshot, even when a new one
    is committed meanwhile — a reader never sees two snapshots mixed."""
    if _SESSION_KEY not in session.info:
        session.info[_SESSION_KEY] = current_peer_snapshot(session)
    ref: PeerSnapshotRef | None = session.info[_SESSION_KEY]
    return ref


def peer_snapshot_ref(session: Session, snapshot_id: int) -> PeerSnapshotRef | None:
    row = session.execute(_SELECT_REF.where(PeerSnapshot.id == snapshot_id)).first()
    return PeerSnapshotRef(*row) if row is not None else None


_TABLES: OrderedDict[int, tuple[str, pl.DataFrame]] = OrderedDict()
_TABLES_LOCK = threading.Lock()


def peer_table(session: Session, ref: PeerSnapshotRef) -> pl.DataFrame:
    """The peer table of a snapshot (kept per process: snapshots never change)."""
    key = ref.id
    with _TABLES_LOCK:
        hit = _TABLES.get(key)
        if hit is not None and hit[0] == ref.content_sha256:
            _TABLES.move_to_end(key)
            return hit[1]
    content = session.execute(
        select(PeerSnapshot.content).where(PeerSnapshot.id == ref.id)
    ).scalar_one()
    table = read_table(content)
    with _TABLES_LOCK:
        _TABLES[key] = (ref.content_sha256, table)
        while len(_TABLES) > 4:
            _TABLES.popitem(last=False)
    return table


def table_version(session: Session, ref: PeerSnapshotRef) -> str:
    """The version of a snapshot's table columns (`PEER_TABLE_VERSION` when it was made);
    "1" for a snapshot stored before versions were recorded (threshold and n only)."""
    versions = session.execute(
        select(PeerSnapshot.reference_versions).where(PeerSnapshot.id == ref.id)
    ).scalar_one()
    return str((versions or {}).get("peer_table", "1"))


def peer_table_named(session: Session, named: object) -> pl.DataFrame:
    """The peer table of the snapshot an assessment result names (its `peer_snapshot`: id and
    sha256), so that a report compares the facility with the very groups that judged it.
    Without one (an assessment made before the first snapshot judged no one against peers),
    an empty table: the report then compares with no group either."""
    from factory_journey.engine.assessment.peers import empty_peer_table

    snapshot_id = named.get("id") if isinstance(named, dict) else None
    ref = peer_snapshot_ref(session, snapshot_id) if isinstance(snapshot_id, int) else None
    if ref is None or not isinstance(named, dict) or ref.content_sha256 != named.get("sha256"):
        return empty_peer_table()
    return peer_table(session, ref)


def compute_peer_table(session: Session, use_cache: bool = True) -> tuple[pl.DataFrame, int]:
    """(peer table, number of facilities) over the latest submissions of every facility.

    The thresholds are always computed over every facility. The Data Matrix they are computed
    from is read from the rows kept at import or by an earlier recompute (`PeerInput`, same
    methodology and reference versions, decision 0037) for every facility that has submitted
    nothing since; only the other facilities are rebuilt from their tables. With
    `use_cache=False` every facility's tables are read. Run it in a transaction that also
    reads the watermark (`_watermark`), so both see the same submissions.
    """
    from factory_journey.engine.assessment import default_methodology, peer_table_of

    facilities = int(
        session.execute(select(func.count(func.distinct(Submission.facility_id)))).scalar_one()
    )
    if not facilities:
        from factory_journey.engine.assessment.peers import empty_peer_table

        return empty_peer_table(), 0
    matrix = _peer_matrix(session, use_cache)
    return peer_table_of(matrix, default_methodology()), facilities


def _versions_sha256() -> str:
    from factory_journey.services.platform.peer_rows import versions_key

    return versions_key()


def _build(session: Session, facility_ids: list[str] | None) -> pl.DataFrame:
    """The Data Matrix of the latest submissions of these facilities (None: of all)."""
    from factory_journey.services.platform.imports import latest_tables
    from factory_journey.services.platform.peer_rows import matrix_of

    return matrix_of(latest_tables(session, facility_ids))


def _peer_matrix(session: Session, use_cache: bool) -> pl.DataFrame:
    """The Data Matrix of every facility's latest submissions, sorted by facility and year.

    The rows kept at import (peer_rows.py) whose facility has submitted nothing since are
    read as they are; only the other facilities are rebuilt from their tables (all of them
    with `use_cache=False`), and their rows kept for the next time."""
    from factory_journey.services.platform import peer_rows
    from factory_journey.services.platform.latest_versions import ID_BATCH

    key = _versions_sha256()
    marks = peer_rows.facility_marks(session)
    kept, newest_batch = (
        peer_rows.current_rows(session, key, marks) if use_cache else (pl.DataFrame(), 0)
    )
    have = set(kept["facility_id"].cast(pl.String).unique()) if kept.height else set()
    missing = sorted(set(marks["facility_id"]) - have)
    # In batches even when nothing is kept: every table of 100,000 facilities decoded at once
    # took 23 GB (a million small frames and their concatenation).
    fresh = [
        _build(session, missing[start : start + ID_BATCH])
        for start in range(0, len(missing), ID_BATCH)
    ]
    fresh = [f for f in fresh if f.height]
    parts = [kept] if kept.height else []
    matrix = pl.concat([*parts, *fresh], how="diagonal_relaxed") if parts or fresh else kept
    if matrix.height:
        matrix = matrix.sort("facility_id", "year", maintain_order=True)
    if use_cache:
        if peer_rows.batch_count(session) >= peer_rows.COMPACT_AFTER:
            peer_rows.compact(session, key, matrix, marks, newest_batch)
        elif fresh:
            rebuilt = pl.concat(fresh, how="diagonal_relaxed")
            peer_rows.store_batch(session, key, peer_rows.with_marks(rebuilt, marks))
    return matrix


def _watermark(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(Submission.id), 0))).scalar_one())


def recompute_peer_snapshot(session: Session, force: bool = False) -> tuple[PeerSnapshotRef, bool]:
    """Compute the peer table over every facility now; (current snapshot, whether it is new).

    Nothing is computed when no submission arrived since the current snapshot (unless
    `force`); a new snapshot is stored (and flushed; the caller commits) only when its content
    differs from the current one, so an unchanged platform keeps its snapshot and its results.
    """
    from factory_journey.engine.assessment.peers import PEER_TABLE_VERSION
    from factory_journey.services.platform.results import current_methodology, current_reference

    current = current_peer_snapshot(session)
    watermark = _watermark(session)
    if (
        not force
        and current is not None
        and current.submission_watermark == watermark
        and table_version(session, current) == PEER_TABLE_VERSION
    ):
        return current, False
    table, facilities = compute_peer_table(session)
    content = table_bytes(table)
    digest = hashlib.sha256(content).hexdigest()
    if current is not None and current.content_sha256 == digest:
        return current, False
    row = PeerSnapshot(
        methodology_version=current_methodology(),
        # The table's columns are versioned with it: a snapshot of an older version is
        # recomputed even when no submission arrived since (e.g. one without medians).
        reference_versions={**current_reference(), "peer_table": PEER_TABLE_VERSION},
        facility_count=facilities,
        group_count=table.height,
        content=content,
        content_sha256=digest,
        submission_watermark=watermark,
    )
    session.add(row)
    session.flush()
    ref = peer_snapshot_ref(session, row.id)
    assert ref is not None
    session.info[_SESSION_KEY] = ref  # this session's later reads use the new one
    return ref, True


def export_peer_snapshot(session: Session, snapshot_id: int | None, path: Path) -> PeerSnapshotRef:
    """Write a peer snapshot's table (the current one when `snapshot_id` is None) to `path`
    as Parquet, for `journey assess --peer-snapshot`. LookupError when there is none."""
    ref = (
        current_peer_snapshot(session)
        if snapshot_id is None
        else peer_snapshot_ref(session, snapshot_id)
    )
    if ref is None:
        raise LookupError(
            "there is no peer snapshot yet"
            if snapshot_id is None
            else f"there is no peer snapshot {snapshot_id}"
        )
    content = session.execute(
        select(PeerSnapshot.content).where(PeerSnapshot.id == ref.id)
    ).scalar_one()
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    partial.replace(path)
    return ref


def count_snapshots(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(PeerSnapshot)).scalar_one())


class PeerRecomputer:
    """A daemon thread that recomputes the peer snapshot now and then every `interval` seconds.

    A failed run is logged and tried again at the next interval; it changes nothing stored
    (one transaction per run).
    """

    def __init__(self, factory: sessionmaker[Session], interval: float) -> None:
        self._factory = factory
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peer-recompute", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_once(self) -> PeerSnapshotRef | None:
        from factory_journey.store.database import transaction

        try:
            with transaction(self._factory) as session:
                started = time.perf_counter()
                ref, new = recompute_peer_snapshot(session)
            logger.info(
                "peer snapshot %s (%s, %d facilities, %d groups) in %.1f s",
                ref.id,
                "new" if new else "unchanged",
                ref.facility_count,
                ref.group_count,
                time.perf_counter() - started,
            )
            return ref
        except Exception:  # a background job must not die: log it, try again later
            logger.exception(
                "peer snapshot recomputation failed; tried again in %s s", self._interval
            )
            return None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._interval)


def recompute_in_database(database_url: str | None) -> tuple[PeerSnapshotRef, bool, float]:
    """Recompute the peer snapshot of the platform at `database_url` (None: the default
    database) in one transaction, even when no submission arrived since the last one;
    (snapshot, whether it is new, seconds taken)."""
    from factory_journey.store.database import make_engine, migrate, session_factory, transaction

    engine = make_engine(database_url)
    try:
        migrate(engine)
        started = time.perf_counter()
        with transaction(session_factory(engine)) as session:
            ref, new = recompute_peer_snapshot(session, force=True)
        return ref, new, time.perf_counter() - started
    finally:
        engine.dispose()


def export_from_database(
    database_url: str | None, snapshot_id: int | None, path: Path
) -> PeerSnapshotRef:
    """Write a peer snapshot of the platform at `database_url` to `path` (Parquet)."""
    from factory_journey.store.database import make_engine, migrate, session_factory, transaction

    engine = make_engine(database_url)
    try:
        migrate(engine)
        with transaction(session_factory(engine)) as session:
            return export_peer_snapshot(session, snapshot_id, path)
    finally:
        engine.dispose()
