"""A programme's cohorts (named sets of facilities) and its participation records.

A cohort holds facilities shared with the programme with their data (scope `matrix` or
`full`): the evaluation reads their Data Matrix. Participation records are the `programmes`
table of a dataset (facility_id, programme, start_date, end_date …), read and checked by the
same ingest as `journey evaluate` (`ingest.dataset_reader.read_performance_table`): a file with
problems is refused whole, each problem located (file, sheet, row, column, value, what is
accepted), and the raw file is kept either way. The newest accepted upload is in force.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factory_journey.domain.problems import Problem
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from factory_journey.services.platform.facilities import portfolio as portfolio_entries
from factory_journey.services.platform.policy import POLICY, allowed_in_organisation
from factory_journey.store.models import (
    Cohort,
    CohortFacility,
    ProgrammeRecords,
    Upload,
)

#: Grant scopes that let a programme evaluate a facility: those of `matrix.read` (the
#: evaluation reads the facility's Data Matrix).
DATA_SCOPES = POLICY["matrix.read"].grantee_scopes
MAX_NAME = 200
#: Largest participation-records file [bytes].
MAX_RECORDS_BYTES = 5 * 1024 * 1024
_SUFFIXES = (".csv", ".xlsx")


def _check(actor: Actor, action: str) -> None:
    if not allowed_in_organisation(action, actor.organisation_kind, actor.role):
        what = "manage cohorts" if action == "cohort.manage" else "see cohorts"
        raise Forbidden(f"your organisation or role may not {what}: programmes' admins and "
                        "editors manage them, every member of a programme sees them")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A facility the programme may put in a cohort."""

    facility_id: str
    name: str
    country_iso2: str
    journey_factory_type: str | None
    scope: str | None = None


def candidates(session: Session, actor: Actor) -> list[Candidate]:
    """Facilities shared with the actor's organisation with their data (matrix or full)."""
    _check(actor, "cohort.read")
    return [
        Candidate(e.facility.id, e.facility.name, e.facility.country_iso2,
                  e.facility.journey_factory_type, e.scope)
        for e in portfolio_entries(session, actor)
        if e.relation == "grantee" and e.scope in DATA_SCOPES
    ]


@dataclass(frozen=True, slots=True)
class CohortSummary:
    id: int
    name: str
    facility_ids: list[str]


def _members(session: Session, cohort_id: int) -> list[str]:
    return list(session.scalars(
        select(CohortFacility.facility_id).where(CohortFacility.cohort_id == cohort_id)
        .order_by(CohortFacility.facility_id)
    ))


def cohorts(session: Session, actor: Actor) -> list[CohortSummary]:
    """The organisation's cohorts by name, with their facilities."""
    _check(actor, "cohort.read")
    rows = session.scalars(
        select(Cohort).where(Cohort.organisation_id == actor.organisation_id).order_by(Cohort.name)
    ).all()
    return [CohortSummary(c.id, c.name, _members(session, c.id)) for c in rows]


def cohort(session: Session, actor: Actor, cohort_id: int) -> CohortSummary:
    _check(actor, "cohort.read")
    row = session.get(Cohort, cohort_id)
    if row is None or row.organisation_id != actor.organisation_id:
        raise NotFound(f"no cohort {cohort_id} of your organisation")
    return CohortSummary(row.id, row.name, _members(session, row.id))


def _checked_members(session: Session, actor: Actor, facility_ids: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(f.strip() for f in facility_ids if f.strip()))
    if not wanted:
        raise InvalidInput("choose at least one facility for the cohort", field="facilities")
    allowed = {c.facility_id for c in candidates(session, actor)}
    refused = [f for f in wanted if f not in allowed]
    if refused:
        raise InvalidInput(
            "not shared with your organisation with their data (scope matrix or "
            f"full): {', '.join(refused[:10])}" + (" …" if len(refused) > 10 else ""),
            field="facilities",
        )
    return wanted


def create_cohort(
    session: Session, actor: Actor, name: str, facility_ids: list[str]
) -> CohortSummary:
    """A new cohort `name` of `facility_ids` (each shared with the programme with its data)."""
    _check(actor, "cohort.manage")
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"give the cohort a name of 1 to {MAX_NAME} characters",
                           field="name")
    if session.scalar(select(Cohort.id).where(Cohort.organisation_id == actor.organisation_id,
                                              Cohort.name == name)):
        raise Conflict(f"your organisation has a cohort named {name!r} already", field="name")
    members = _checked_members(session, actor, facility_ids)
    row = Cohort(organisation_id=actor.organisation_id, name=name, created_by=actor.user_id)
    session.add(row)
    session.flush()
    session.add_all(CohortFacility(cohort_id=row.id, facility_id=f) for f in members)
    session.flush()
    record(session, actor, "cohort.create", "cohort", row.id, {"facilities": members})
    return CohortSummary(row.id, row.name, sorted(members))


def set_members(
    session: Session, actor: Actor, cohort_id: int, facility_ids: list[str]
) -> CohortSummary:
    """Replace the facilities of a cohort."""
    _check(actor, "cohort.manage")
    found = cohort(session, actor, cohort_id)
    members = _checked_members(session, actor, facility_ids)
    session.execute(delete(CohortFacility).where(CohortFacility.cohort_id == found.id))
    session.add_all(CohortFacility(cohort_id=found.id, facility_id=f) for f in members)
    session.flush()
    record(session, actor, "cohort.update", "cohort", found.id, {"facilities": members})
    return CohortSummary(found.id, found.name, sorted(members))


@dataclass(frozen=True, slots=True)
class RecordsUpload:
    """The outcome of an upload: `records` when accepted, else the located `problems`."""

    records: ProgrammeRecords | None
    problems: list[Problem]
    upload_id: int


def _table_file(folder: Path, filename: str, content: bytes) -> Path:
    """The upload under a name the dataset reader reads as the `programmes` table."""
    suffix = Path(filename).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InvalidInput(
            f"{filename!r} is not a CSV or .xlsx file; give programmes.csv or a "
            "workbook with a sheet named 'programmes'", field="file",
        )
    path = folder / f"programmes{suffix}"
    path.write_bytes(content)
    return path


def _read_records(path: Path, filename: str, known: pl.DataFrame) -> tuple[
        pl.DataFrame | None, list[Problem]]:
    from factory_journey.domain.tables import TABLES_BY_NAME
    from factory_journey.ingest.dataset_reader import read_performance_table
    from factory_journey.ingest.formats import load_dataset
    from factory_journey.ingest.problem_log import ProblemLog, Source

    log = ProblemLog()
    loaded = load_dataset(path, log)
    raw = next((t for t in loaded.tables if t.table == "programmes"), None)
    frame = None
    if raw is not None:
        frame = read_performance_table(raw, TABLES_BY_NAME["programmes"], log, known)
    elif not log.problems.has_errors:
        log.error("The workbook has no sheet named 'programmes'",
                  Source(filename), code="missing_table", accepted="a sheet named programmes")
    problems = [_renamed(p, filename) for p in log.sorted()]
    return frame, problems


_INTERNAL_NAME = re.compile(r"^programmes\.(csv|xlsx)$")


def unshared_facility_problem(facility: str) -> str:
    """The message of a records row whose facility the programme does not see (found by
    services/problem_sources, so that the page shows it in its reader's language)."""
    return f"Facility {facility!r} is not shared with your programme with its data"


def _renamed(problem: Problem, filename: str) -> Problem:
    """A problem located in the file the user uploaded (the reader saw it renamed)."""
    from dataclasses import replace

    if problem.file and _INTERNAL_NAME.match(problem.file):
        problem = replace(problem, file=filename)
    if problem.code == "unknown_facility" and problem.value is not None:
        # The reader's words are about a dataset's profiles table; here the known facilities
        # are those shared with the programme.
        problem = replace(
            problem,
            message=unshared_facility_problem(str(problem.value)),
            accepted="the facility_id of a facility shared with your programme (scope matrix "
            "or full)",
        )
    return problem


def upload_records(
    session: Session, actor: Actor, filename: str, content: bytes
) -> RecordsUpload:
    """Read and check participation records; keep the raw file, and the records when the
    file has no errors (warnings are shown, nothing is dropped silently)."""
    _check(actor, "cohort.manage")
    if len(content) > MAX_RECORDS_BYTES:
        raise InvalidInput(f"{filename!r} is larger than "
                           f"{MAX_RECORDS_BYTES // (1024 * 1024)} MB", field="file")
    upload = Upload(organisation_id=actor.organisation_id, user_id=actor.user_id,
                    filename=filename[:300] or "programmes.csv", content_type="text/csv"
                    if filename.lower().endswith(".csv") else "application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.sheet", size_bytes=len(content),
                    sha256=hashlib.sha256(content).hexdigest(), content=content)
    session.add(upload)
    session.flush()
    known = pl.DataFrame({"facility_id": [c.facility_id for c in candidates(session, actor)]},
                         schema={"facility_id": pl.String})
    with tempfile.TemporaryDirectory(prefix="journey-records-") as folder:
        path = _table_file(Path(folder), filename, content)
        frame, problems = _read_records(path, filename, known)
    errors = [p for p in problems if p.severity.value == "error"]
    if errors or frame is None:
        record(session, actor, "programme_records.refused", "upload", upload.id,
               {"errors": len(errors)})
        return RecordsUpload(None, problems, upload.id)
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    row = ProgrammeRecords(organisation_id=actor.organisation_id, upload_id=upload.id,
                           row_count=frame.height, content=buffer.getvalue(),
                           created_by=actor.user_id)
    session.add(row)
    session.flush()
    record(session, actor, "programme_records.upload", "programme_records", row.id,
           {"rows": frame.height, "upload_id": upload.id})
    return RecordsUpload(row, problems, upload.id)


@dataclass(frozen=True, slots=True)
class RecordsInForce:
    id: int
    filename: str
    row_count: int
    created_at: object


def records_in_force(session: Session, actor: Actor) -> RecordsInForce | None:
    """The newest accepted participation records of the actor's organisation."""
    _check(actor, "cohort.read")
    row = session.execute(
        select(ProgrammeRecords.id, Upload.filename, ProgrammeRecords.row_count,
               ProgrammeRecords.created_at)
        .join(Upload, Upload.id == ProgrammeRecords.upload_id)
        .where(ProgrammeRecords.organisation_id == actor.organisation_id)
        .order_by(ProgrammeRecords.id.desc()).limit(1)
    ).first()
    return RecordsInForce(*row) if row is not None else None


def records_frame(session: Session, actor: Actor) -> pl.DataFrame | None:
    """The participation records in force as the engine's `programmes` table."""
    content = session.scalar(
        select(ProgrammeRecords.content)
        .where(ProgrammeRecords.organisation_id == actor.organisation_id)
        .order_by(ProgrammeRecords.id.desc()).limit(1)
    )
    return pl.read_parquet(io.BytesIO(content)) if content is not None else None
