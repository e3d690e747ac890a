"""A facility's Data Matrix and assessment, as stored snapshots (the portfolio and the report
PDF read them in `portfolio.py`).

The platform runs the same engine as the command line (`engine.matrix.build_matrix`, then
`engine.assessment.assess`) over the latest submission version of every year of one facility.
The outcome is stored as an `AssessmentSnapshot` keyed by its inputs: the submission ids, the
methodology version, the reference-data versions and the facility's latest verification
record (a verifier's record changes the rows' statuses, so the verified shares). A read
whose inputs have not changed is a lookup; a correction, a verification or a change of
factors makes a new snapshot, and the old ones stay as they were.

Peer thresholds come from the platform's current peer snapshot (peers.py: peer groups over
every facility, recomputed in the background): the snapshot's id is part of the inputs key and
of the result, so a result is computed against one snapshot as a whole and can be reproduced
from it (`journey assess --peer-snapshot`). Before the first snapshot, peer thresholds fall back
to the methodology's absolute ones (decision 0020).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import polars as pl
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from factory_journey.domain.timestamps import iso_utc
from factory_journey.services.platform.access import authorise, check
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.imports import latest_tables
from factory_journey.services.platform.peers import (
    PeerSnapshotRef,
    peer_snapshot_for,
    peer_table,
)
from factory_journey.services.platform.verification import (
    LATEST_RECORD_ID,
    apply_to_tables,
    records_in_force,
)
from factory_journey.store.models import AssessmentSnapshot, Submission

#: Parts of a snapshot that a reader of the matrix, or of the assessment, receives.
MATRIX_PARTS = ("matrix", "zdhc_levels", "verification")
ASSESSMENT_PARTS = ("opportunities", "pathways", "measures", "trajectory")
#: Every frame kept in a snapshot.
ALL_PARTS = (*MATRIX_PARTS, *ASSESSMENT_PARTS, "indicators")


@dataclass(frozen=True, slots=True)
class Inputs:
    """What an assessment of one facility depends on, and its key [SHA-256 hex]."""

    facility_id: str
    submission_ids: tuple[int, ...]
    methodology_version: str
    reference_versions: dict[str, str]
    #: The facility's newest verification record (records are append-only), None without any.
    verification_id: int | None = None
    #: The platform's peer snapshot the assessment is judged against, None before the first.
    peer_snapshot: PeerSnapshotRef | None = None

    @property
    def key(self) -> str:
        document: dict[str, Any] = {
            "submission_ids": list(self.submission_ids),
            "methodology": self.methodology_version,
            "reference": self.reference_versions,
        }
        if self.verification_id is not None:  # keys of never-verified facilities stay as were
            document["verification_id"] = self.verification_id
        if self.peer_snapshot is not None:  # keys from before any snapshot stay as they were
            document["peer_snapshot"] = [self.peer_snapshot.id, self.peer_snapshot.content_sha256]
        canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _current_versions() -> tuple[str, tuple[tuple[str, str], ...]]:
    """(methodology label, reference-data versions) of the packaged data; read once a process.

    The reference files ship with the package, so they cannot change under a running server.
    """
    from importlib.metadata import PackageNotFoundError, version

    from factory_journey.engine.assessment import (
        default_catalogue,
        default_methodology,
        default_prices,
    )
    from factory_journey.engine.catalogue import catalogue_version
    from factory_journey.engine.refdata import default_reference

    reference = default_reference()
    try:
        engine_version = version("factory-journey")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        engine_version = "unknown"
    prices = default_prices()
    versions = {
        **reference.versions,
        "indicators.yaml": catalogue_version(),
        "gwp_vintage": reference.gwp_vintage,
        "grid_vintage": reference.grid_vintage,
        "programme_modules": default_catalogue().version,
        "prices": ";".join(sorted(set(prices["price_source"].to_list()))),
        "engine": engine_version,
    }
    return default_methodology().label, tuple(sorted(versions.items()))


_latest_versions = (
    select(Submission.year, func.max(Submission.version).label("version"))
    .where(Submission.facility_id == bindparam("facility_id"))
    .group_by(Submission.year)
    .subquery()
)
#: Ids of the latest submission version of every year of one facility, each with the id of
#: the facility's newest verification record (one round trip; built once).
_LATEST_SUBMISSION_IDS = (
    select(Submission.id, LATEST_RECORD_ID)
    .join(
        _latest_versions,
        (Submission.year == _latest_versions.c.year)
        & (Submission.version == _latest_versions.c.version),
    )
    .where(Submission.facility_id == bindparam("facility_id"))
    .order_by(Submission.id)
)


def current_methodology() -> str:
    """The label of the packaged methodology (e.g. fj-2026.2)."""
    return _current_versions()[0]


def current_reference() -> dict[str, str]:
    """The packaged reference-data versions, by name."""
    return dict(_current_versions()[1])


def warm_up() -> None:
    """Read the packaged methodology and reference versions now, not on the first request."""
    _current_versions()


def current_inputs(session: Session, facility_id: str) -> Inputs:
    """The inputs an assessment of the facility would use now."""
    rows = (
        session.connection()
        .execute(_LATEST_SUBMISSION_IDS, {"facility_id": facility_id})
        .all()
    )
    ids = tuple(row[0] for row in rows)
    # Without any submission there is nothing to verify, so no record to key on.
    verification_id = rows[0][1] if rows else None
    methodology, reference = _current_versions()
    peers = peer_snapshot_for(session) if ids else None
    return Inputs(facility_id, ids, methodology, dict(reference), verification_id, peers)


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    # polars writes NaN and infinities as null and dates as ISO text: valid, portable JSON.
    rows: list[dict[str, Any]] = json.loads(frame.write_json())
    return rows


def _compute(session: Session, inputs: Inputs) -> dict[str, Any]:
    """Build the matrix and assess it with the engine the command line uses."""
    from factory_journey.engine.assessment import assess
    from factory_journey.engine.assessment.peers import empty_peer_table
    from factory_journey.engine.matrix import build_matrix

    if not inputs.submission_ids:
        return {
            "parts": {part: [] for part in ALL_PARTS},
            "versions": {},
            "warnings": ["no data has been submitted for this facility yet"],
            "year": None,
        }
    # The verifiers' records in force replace the statuses the factory's file reported.
    in_force = records_in_force(session, inputs.submission_ids)
    tables = apply_to_tables(latest_tables(session, [inputs.facility_id]), in_force)
    built = build_matrix(tables, with_provenance=False)
    peers = (
        peer_table(session, inputs.peer_snapshot)
        if inputs.peer_snapshot is not None
        else empty_peer_table()
    )
    assessed = assess(built.matrix, matrix_versions=built.versions, peers=peers)
    versions = dict(assessed.versions)
    if inputs.peer_snapshot is not None:  # as `journey assess --peer-snapshot` records it
        versions["peer_snapshot"] = f"sha256:{inputs.peer_snapshot.content_sha256}"
    frames = {
        "matrix": built.matrix,
        "zdhc_levels": built.zdhc_levels,
        "opportunities": assessed.opportunities,
        "pathways": assessed.pathways,
        "measures": assessed.measures,
        "trajectory": assessed.trajectory,
        "indicators": assessed.indicators,
    }
    years = built.matrix["year"].drop_nulls()
    return {
        "parts": {
            **{name: _records(frame) for name, frame in frames.items()},
            "verification": [item.as_dict() for item in in_force],
        },
        "columns": {name: frame.columns for name, frame in frames.items()},
        "versions": versions,
        "peer_snapshot": (
            inputs.peer_snapshot.as_dict() if inputs.peer_snapshot is not None else None
        ),
        "warnings": list(assessed.warnings),
        "year": int(years.max()) if years.len() else None,  # type: ignore[arg-type]
    }


def _store(session: Session, inputs: Inputs, result: dict[str, Any]) -> AssessmentSnapshot:
    row = AssessmentSnapshot(
        facility_id=inputs.facility_id,
        year=result["year"] or 0,
        inputs_key=inputs.key,
        methodology_version=inputs.methodology_version,
        reference_versions=inputs.reference_versions,
        submission_ids=list(inputs.submission_ids),
        result=result,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    """A stored snapshot without its (large) result."""

    id: int
    facility_id: str
    inputs_key: str
    methodology_version: str
    submission_ids: list[int]
    created_at: datetime


#: The newest snapshot of a facility for an inputs key, without its result (built once).
_FIND_SNAPSHOT = (
    select(
        AssessmentSnapshot.id,
        AssessmentSnapshot.facility_id,
        AssessmentSnapshot.inputs_key,
        AssessmentSnapshot.methodology_version,
        AssessmentSnapshot.submission_ids,
        AssessmentSnapshot.created_at,
    )
    .where(
        AssessmentSnapshot.facility_id == bindparam("facility_id"),
        AssessmentSnapshot.inputs_key == bindparam("inputs_key"),
    )
    .order_by(AssessmentSnapshot.id.desc())
    .limit(1)
)


def _find(session: Session, inputs: Inputs) -> SnapshotRef | None:
    row = (
        session.connection()
        .execute(_FIND_SNAPSHOT, {"facility_id": inputs.facility_id, "inputs_key": inputs.key})
        .first()
    )
    return SnapshotRef(*row) if row is not None else None


def _ref(row: AssessmentSnapshot) -> SnapshotRef:
    return SnapshotRef(
        row.id,
        row.facility_id,
        row.inputs_key,
        row.methodology_version,
        list(row.submission_ids),
        row.created_at,
    )


def current_snapshot(session: Session, facility_id: str) -> SnapshotRef:
    """The snapshot of the facility's current inputs, computed and stored when there is none."""
    inputs = current_inputs(session, facility_id)
    found = _find(session, inputs)
    if found is not None:
        return found
    return _ref(_store(session, inputs, _compute(session, inputs)))


def recompute(session: Session, actor: Actor, facility_id: str) -> SnapshotRef:
    """Assess the facility again from its latest data and store a new snapshot beside the others."""
    authorise(session, actor, "assessment.create", facility_id)
    inputs = current_inputs(session, facility_id)
    row = _store(session, inputs, _compute(session, inputs))
    record(
        session,
        actor,
        "assessment.compute",
        "assessment_snapshot",
        row.id,
        {"facility_id": facility_id, "inputs_key": inputs.key},
    )
    return _ref(row)


class RenderedCache:
    """Response bodies of immutable snapshots, so a repeated read serialises nothing."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, str]) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: tuple[str, int, str], body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_rendered = RenderedCache()


def _body(session: Session, ref: SnapshotRef, view: str, parts: tuple[str, ...]) -> bytes:
    # Snapshot ids are only unique within a database: the key names the database too.
    key = (str(session.get_bind().engine.url), ref.id, view)
    body = _rendered.get(key)
    if body is not None:
        return body
    row = session.get(AssessmentSnapshot, ref.id)
    assert row is not None
    result = row.result
    document = {
        "facility_id": ref.facility_id,
        "snapshot_id": ref.id,
        "computed_at": iso_utc(ref.created_at),
        "inputs_key": ref.inputs_key,
        "submission_ids": ref.submission_ids,
        "methodology_version": ref.methodology_version,
        "versions": result.get("versions", {}),
        "peer_snapshot": result.get("peer_snapshot"),
        "warnings": result.get("warnings", []),
        **{part: result["parts"].get(part, []) for part in parts},
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _rendered.put(key, body)
    return body


def matrix_json(session: Session, actor: Actor, facility_id: str) -> bytes:
    """The facility's Data Matrix rows (every year) and graded ZDHC results, as JSON."""
    check(session, actor, "matrix.read", facility_id)
    return _body(session, current_snapshot(session, facility_id), "matrix", MATRIX_PARTS)


def assessment_json(session: Session, actor: Actor, facility_id: str) -> bytes:
    """Opportunities, pathways, measures and trajectory of the facility, as JSON."""
    check(session, actor, "assessment.read", facility_id)
    ref = current_snapshot(session, facility_id)
    return _body(session, ref, "assessment", ASSESSMENT_PARTS)


def snapshot_json(session: Session, ref: SnapshotRef) -> bytes:
    """The assessment view of a snapshot already authorised (after `recompute`)."""
    return _body(session, ref, "assessment", ASSESSMENT_PARTS)


def snapshot_frames(session: Session, ref: SnapshotRef) -> dict[str, pl.DataFrame]:
    """The frames of a snapshot (for reports), rebuilt from its stored rows."""
    row = session.get(AssessmentSnapshot, ref.id)
    assert row is not None
    columns = row.result.get("columns", {})
    frames = {}
    for part, rows in row.result["parts"].items():
        if rows:
            frames[part] = pl.DataFrame(rows, infer_schema_length=None)
        else:  # no rows: keep the columns so that readers can still select them
            frames[part] = pl.DataFrame(schema={c: pl.String for c in columns.get(part, [])})
    return frames
