"""Parks on the platform (#16): a park operator's park dataset assessed and kept, and who may
see which park.

- A `park_operator` organisation's admin or editor gives a park dataset (the format of
  docs/park-data-format.md): it is kept verbatim (an `Upload`), assessed by the same
  `services.parks.assess_park_dataset` as `journey park assess`, and its parks, members and
  shared facilities by year are recorded; the output frames are kept as Parquet
  (`ParkAssessment`, never updated; the newest of an operator is in force). A park id another
  operator has already recorded is refused.
- The operator sees its parks whole. An organisation that owns a member factory on the
  platform sees the park read-only: the park's totals, shared facilities, requirement results
  and pillar scores, the collective plan's measures, and only its own members' standing and
  share of the plan (not the other members').
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factory_journey.services.parks import ParkInputError, ParksAssessed, assess_park_dataset
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from factory_journey.services.platform.imports import MAX_UPLOAD_BYTES
from factory_journey.store.models import (
    Facility,
    Organisation,
    Park,
    ParkAssessment,
    ParkAssessmentFrame,
    ParkMember,
    SharedFacility,
    Upload,
)

WRITERS = frozenset({"admin", "editor"})
#: Frames with a row per member: a member factory's organisation reads its own rows only
#: (its standing, and its share of the collective plan's measures).
OWN_ROWS_ONLY = frozenset({"park_members", "plan_members"})


@dataclass(frozen=True, slots=True)
class ParkSummary:
    """A park a user may see, and how: `operator` (whole) or `member` (read-only)."""

    park_id: str
    name: str
    country_iso2: str
    relation: str
    operator: str


@dataclass(slots=True)
class ParkView:
    """One park's outputs (docs/park-data-format.md) as the user may see them."""

    summary: ParkSummary
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    framework: str = ""
    assessed_at: str = ""
    #: the reference versions the assessment used (name → version)
    versions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredParkDataset:
    """What one stored park assessment read from its file, as its uploader is told: the
    file's name ("" when no file was kept: the demo parks), and how many parks, member
    factories and shared facilities it holds (each counted once per park, whatever its years)
    in which years."""

    filename: str
    parks: int
    members: int
    shared_facilities: int
    years: tuple[int, ...]


class ParkDatasetInvalid(InvalidInput):
    """A park dataset that cannot be used; `problems` are its located problems
    (`Problem.to_dict()`: file, sheet, row, column, value, accepted), every one of them."""

    def __init__(self, message: str, problems: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.problems = problems


def may_give_park_data(actor: Actor) -> bool:
    """Whether `actor` may give (upload) park data: an admin or editor of a park operator."""
    return actor.organisation_kind == "park_operator" and actor.role in WRITERS


def check_park_writer(actor: Actor) -> None:
    """`Forbidden` unless `actor` may give park data (`may_give_park_data`)."""
    if not may_give_park_data(actor):
        raise Forbidden("only admins and editors of a park operator give park data")


def _unpack(filename: str, content: bytes, folder: Path) -> Path:
    """The dataset as a path `read_dataset` reads: the file itself (a .zip, .xlsx or .json
    is read as it is; the reader checks what is inside)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".zip", ".xlsx", ".json"):
        raise InvalidInput(f"{filename}: a park dataset is a .zip of CSV files, an .xlsx "
                           "workbook or a .json document")
    path = folder / f"park-dataset{suffix}"
    path.write_bytes(content)
    return path


def store_park_dataset(session: Session, actor: Actor, filename: str, content: bytes,
                       frameworks: list[Path] | None = None, *, keep_upload: bool = True
                       ) -> ParkAssessment:
    """Keep, assess and record a park dataset of `actor`'s organisation (see module doc).

    `keep_upload=False` (the bundled demo parks only) records its SHA-256 without the bytes.

    Raises `Forbidden`, `InvalidInput` (with the located problems in its message) or
    `Conflict` (a park id of another operator); nothing is recorded then."""
    check_park_writer(actor)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{filename} is larger than {MAX_UPLOAD_BYTES / 1e6:.0f} MB")
    with tempfile.TemporaryDirectory(prefix="journey-park-") as tmp:
        path = _unpack(filename, content, Path(tmp))
        try:
            assessed = assess_park_dataset(path, frameworks)
        except ParkInputError as error:
            shown = "; ".join(p.describe() for p in error.problems[:5])
            raise ParkDatasetInvalid(f"{error} {shown}".strip(),
                                     [p.to_dict() for p in error.problems]) from None
    frames = assessed.result.frames()
    parks = assessed.parks["park_id"].to_list()
    taken = session.scalars(select(Park).where(Park.id.in_(parks),
                                               Park.operator_organisation_id
                                               != actor.organisation_id)).all()
    if taken:
        raise Conflict(f"park {taken[0].id!r} is recorded by another operator")
    digest = hashlib.sha256(content).hexdigest()
    upload_id = None
    if keep_upload:
        upload = Upload(organisation_id=actor.organisation_id, user_id=actor.user_id,
                        filename=Path(filename).name[:300],
                        content_type="application/octet-stream", size_bytes=len(content),
                        sha256=digest, content=content)
        session.add(upload)
        session.flush()
        upload_id = upload.id
    _record_parks(session, actor, assessed)
    stored = ParkAssessment(operator_organisation_id=actor.organisation_id,
                            upload_id=upload_id, dataset_sha256=digest,
                            framework=assessed.frameworks.base.version_label,
                            versions=dict(assessed.result.versions))
    session.add(stored)
    session.flush()
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        session.add(ParkAssessmentFrame(assessment_id=stored.id, name=name,
                                        content=buffer.getvalue()))
    record(session, actor, "park.assess", "park_assessment", stored.id,
           {"parks": sorted(parks), "framework": stored.framework})
    session.flush()
    return stored


def assessed_parks(session: Session, assessment_id: int) -> list[str]:
    """The park ids a stored assessment holds (its park_indicators' parks), sorted."""
    content = session.scalar(select(ParkAssessmentFrame.content).where(
        ParkAssessmentFrame.assessment_id == assessment_id,
        ParkAssessmentFrame.name == "park_indicators"))
    if content is None:
        return []
    frame = pl.read_parquet(io.BytesIO(content))
    return sorted({str(p) for p in frame["park_id"].to_list()})


#: The stored output frames an upload's counts are read from, and the columns counted.
_COUNTED = {"park_indicators": ("park_id",), "park_members": ("park_id", "facility_id"),
            "park_shared_facilities": ("park_id", "shared_facility_id")}


def stored_dataset(session: Session, actor: Actor, assessment_id: int) -> StoredParkDataset | None:
    """What the stored assessment `assessment_id` read (`StoredParkDataset`), from its own
    frames (never changed, unlike the park's members, which a later upload replaces). None
    unless it is an assessment of `actor`'s organisation: another operator's is not told."""
    stored = session.get(ParkAssessment, assessment_id)
    if stored is None or stored.operator_organisation_id != actor.organisation_id:
        return None
    filename = session.scalar(select(Upload.filename).where(
        Upload.id == stored.upload_id)) if stored.upload_id is not None else None
    counts: dict[str, int] = {}
    years: set[int] = set()
    for name, content in session.execute(select(
            ParkAssessmentFrame.name, ParkAssessmentFrame.content).where(
            ParkAssessmentFrame.assessment_id == assessment_id,
            ParkAssessmentFrame.name.in_(sorted(_COUNTED)))):
        frame = pl.read_parquet(io.BytesIO(content))
        counts[name] = frame.select(_COUNTED[name]).unique().height
        if "year" in frame.columns:
            years.update(int(y) for y in frame["year"].drop_nulls().unique().to_list())
    return StoredParkDataset(filename or "", counts.get("park_indicators", 0),
                             counts.get("park_members", 0),
                             counts.get("park_shared_facilities", 0), tuple(sorted(years)))


def _record_parks(session: Session, actor: Actor, assessed: ParksAssessed) -> None:
    """Parks, members and shared facilities by year, as the dataset gives them."""
    result = assessed.result
    members, shared = result.park_members, result.park_shared_facilities
    for row in assessed.parks.iter_rows(named=True):
        park_id = row["park_id"]
        park = session.get(Park, park_id)
        if park is None:
            park = Park(id=park_id, operator_organisation_id=actor.organisation_id)
            session.add(park)
        park.name = row["park_name"] or park_id
        park.country_iso2 = row["country_iso2"] or ""
        park.latitude, park.longitude = row["latitude"], row["longitude"]
        session.flush()
        session.execute(delete(ParkMember).where(ParkMember.park_id == park_id))
        session.execute(delete(SharedFacility).where(SharedFacility.park_id == park_id))
        for member in members.filter(pl.col("park_id") == park_id).iter_rows(named=True):
            session.add(ParkMember(park_id=park_id, year=member["year"],
                                   facility_id=member["facility_id"], os_id=member["os_id"]))
        for plant in shared.filter(pl.col("park_id") == park_id).iter_rows(named=True):
            session.add(SharedFacility(park_id=park_id, year=plant["year"],
                                       shared_facility_id=plant["shared_facility_id"],
                                       name=plant["name"], type=plant["type"],
                                       serves=plant["serves"]))


def visible_parks(session: Session, actor: Actor) -> list[ParkSummary]:
    """The parks `actor` may see: its organisation's (operator) and those where it owns a
    member factory on the platform (member), by name."""
    operators = {i: n for i, n in session.execute(select(Organisation.id, Organisation.name))}
    out: dict[str, ParkSummary] = {}
    for park in session.scalars(select(Park).where(
            Park.operator_organisation_id == actor.organisation_id)):
        out[park.id] = ParkSummary(park.id, park.name, park.country_iso2, "operator",
                                   operators.get(park.operator_organisation_id, ""))
    owned = select(Facility.id).where(Facility.owner_organisation_id == actor.organisation_id)
    member_parks = select(ParkMember.park_id).where(ParkMember.facility_id.in_(owned))
    for park in session.scalars(select(Park).where(Park.id.in_(member_parks))):
        out.setdefault(park.id, ParkSummary(park.id, park.name, park.country_iso2, "member",
                                            operators.get(park.operator_organisation_id, "")))
    return sorted(out.values(), key=lambda p: (p.name, p.park_id))


def park_view(session: Session, actor: Actor, park_id: str) -> ParkView:
    """One park's outputs from its operator's assessment in force, filtered to what `actor`
    may see; `NotFound` when the park is not visible to it (whether or not it exists)."""
    summary = next((p for p in visible_parks(session, actor) if p.park_id == park_id), None)
    park = session.get(Park, park_id)
    if summary is None or park is None:
        raise NotFound("no such park")
    stored = session.scalar(
        select(ParkAssessment)
        .where(ParkAssessment.operator_organisation_id == park.operator_organisation_id)
        .order_by(ParkAssessment.id.desc()).limit(1))
    view = ParkView(summary)
    if stored is None:
        return view
    view.framework = stored.framework
    view.assessed_at = stored.created_at.isoformat()
    view.versions = {str(k): str(v) for k, v in (stored.versions or {}).items()}
    own: set[str] = set()
    if summary.relation == "member":
        own = set(session.scalars(select(Facility.id).where(
            Facility.owner_organisation_id == actor.organisation_id)).all())
    for frame_row in session.scalars(select(ParkAssessmentFrame).where(
            ParkAssessmentFrame.assessment_id == stored.id)):
        frame = pl.read_parquet(io.BytesIO(frame_row.content)).filter(
            pl.col("park_id") == park_id)
        if frame_row.name in OWN_ROWS_ONLY and summary.relation == "member":
            frame = frame.filter(pl.col("facility_id").is_in(sorted(own)))
        view.frames[frame_row.name] = frame
    if summary.relation == "member":  # the operator's data, read by another organisation
        record(session, actor, "park.read", "park", park_id, {"relation": summary.relation})
    return view


DEMO_OPERATOR = "park.manager@demo.test"


def store_demo_parks(session: Session) -> int | None:
    """The park pilot as the demo park operator's park data, once (idempotent): the id of the
    assessment stored, or None when the operator has one already or does not exist."""
    from factory_journey.demo.parks import park_pilot_dataset_path
    from factory_journey.services.platform.accounts import actor_for_email

    try:
        actor = actor_for_email(session, DEMO_OPERATOR)
    except NotAuthenticated:
        return None
    if session.scalar(select(ParkAssessment.id).where(
            ParkAssessment.operator_organisation_id == actor.organisation_id).limit(1)):
        return None
    content = zip_folder(park_pilot_dataset_path())
    return store_park_dataset(session, actor, "park-pilot.zip", content, keep_upload=False).id


def zip_folder(folder: Path) -> bytes:
    """A folder of CSV files as the bytes of a .zip (the park pilot as an upload)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()
