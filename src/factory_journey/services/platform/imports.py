"""Upload a dataset and import it as new submission versions, as a job with progress.

The raw upload is stored first and kept whatever happens. The import itself is one
transaction: either every facility-year of the file becomes a new submission version, or
nothing does (a located error report is stored on the job instead).
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.domain.problems import Problem
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Forbidden, InvalidInput
from factory_journey.services.platform.files import safe_filename
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.store.database import transaction
from factory_journey.store.models import (
    Facility,
    ImportJob,
    Submission,
    SubmissionTable,
    Upload,
    utcnow,
)

#: Largest upload accepted [bytes].
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: File kinds a dataset upload may be, by suffix.
DATASET_SUFFIXES = {".xlsx": "xlsx", ".json": "json", ".zip": "zip", ".csv": "csv"}


def store_upload(
    session: Session, actor: Actor, filename: str, content_type: str, content: bytes
) -> Upload:
    """Keep the raw file verbatim (before anything is parsed) and return its record."""
    if not allowed_in_organisation("dataset.upload", actor.organisation_kind, actor.role):
        raise Forbidden("only admins and editors of a factory organisation upload facility data")
    suffix = Path(filename).suffix.lower()
    if suffix not in DATASET_SUFFIXES:
        raise InvalidInput(
            f"{filename}: a dataset upload must be one of {', '.join(sorted(DATASET_SUFFIXES))}"
            " (a .zip holds a folder of CSV files)"
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            f"{filename} is {len(content) / 1e6:.1f} MB; "
            f"the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB"
        )
    upload = Upload(
        organisation_id=actor.organisation_id,
        user_id=actor.user_id,
        filename=safe_filename(filename),
        content_type=content_type or "application/octet-stream",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    session.add(upload)
    session.flush()
    record(
        session,
        actor,
        "upload.create",
        "upload",
        upload.id,
        {"filename": upload.filename, "sha256": upload.sha256},
    )
    return upload


def create_job(session: Session, upload: Upload) -> ImportJob:
    job = ImportJob(upload_id=upload.id, status="queued", stage="queued", progress=0.0)
    session.add(job)
    session.flush()
    return job


def _set_progress(factory: sessionmaker[Session], job_id: int, stage: str, progress: float) -> None:
    with transaction(factory) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        job.status, job.stage, job.progress = "running", stage, progress


def run_import(
    factory: sessionmaker[Session],
    job_id: int,
    actor: Actor,
    read_dataset: Callable[[Path], Any] | None = None,
) -> ImportJob:
    """Run import job `job_id` to the end; never raises for bad input (the job records it)."""
    if read_dataset is None:
        from factory_journey.ingest import read_dataset as default_reader

        read_dataset = default_reader
    with transaction(factory) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        upload = session.get(Upload, job.upload_id)
        assert upload is not None
        filename, content = upload.filename, upload.content
    _set_progress(factory, job_id, "reading", 0.1)
    with tempfile.TemporaryDirectory(prefix="journey-import-") as tmp:
        path = Path(tmp) / filename
        path.write_bytes(content)
        result = read_dataset(path)
    if not result.ok:
        return _finish(factory, job_id, "failed", [p.to_dict() for p in result.problems])
    _set_progress(factory, job_id, "saving", 0.6)
    try:
        with transaction(factory) as session:
            problems = _save_submissions(session, actor, job_id, result.tables)
            if problems:
                # Roll back everything this import wrote; the job records why.
                raise _Rejected(problems)
    except _Rejected as rejected:
        return _finish(factory, job_id, "failed", [p.to_dict() for p in rejected.problems])
    return _finish(factory, job_id, "succeeded", [p.to_dict() for p in result.problems])


class _Rejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _finish(
    factory: sessionmaker[Session], job_id: int, status: str, problems: list[dict[str, Any]]
) -> ImportJob:
    with transaction(factory) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        job.status, job.stage = status, status
        job.progress = 1.0
        job.problems = problems
        job.finished_at = utcnow()
        return job


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def _save_submissions(
    session: Session, actor: Actor, job_id: int, tables: dict[str, pl.DataFrame]
) -> list[Problem]:
    """Create facilities as needed and one new submission version per facility-year."""
    profiles = tables["profiles"]
    problems: list[Problem] = []
    job = session.get(ImportJob, job_id)
    assert job is not None
    for row in (
        profiles.select(
            "facility_id", "year", "facility_name", "country_iso2", "journey_factory_type"
        )
        .unique()
        .sort("facility_id", "year")
        .iter_rows(named=True)
    ):
        facility = session.get(Facility, row["facility_id"])
        if facility is None:
            facility = Facility(
                id=row["facility_id"],
                name=row["facility_name"] or row["facility_id"],
                country_iso2=row["country_iso2"],
                owner_organisation_id=actor.organisation_id,
                journey_factory_type=row["journey_factory_type"],
            )
            session.add(facility)
            session.flush()
            record(session, actor, "facility.create", "facility", facility.id)
        elif facility.owner_organisation_id != actor.organisation_id:
            problems.append(
                Problem(
                    f"facility {facility.id} belongs to another organisation; "
                    "ask its owner to upload its data or use another facility_id",
                    column="facility_id",
                    value=facility.id,
                )
            )
            continue
        latest = session.scalar(
            select(func.max(Submission.version)).where(
                Submission.facility_id == facility.id, Submission.year == row["year"]
            )
        )
        submission = Submission(
            facility_id=facility.id,
            year=row["year"],
            version=(latest or 0) + 1,
            upload_id=job.upload_id,
            created_by=actor.user_id,
        )
        session.add(submission)
        session.flush()
        for name, frame in tables.items():
            part = _facility_year_rows(name, frame, facility.id, row["year"])
            if part.height:
                session.add(
                    SubmissionTable(
                        submission_id=submission.id,
                        table_name=name,
                        row_count=part.height,
                        content=_parquet_bytes(part),
                    )
                )
        record(
            session,
            actor,
            "submission.create",
            "submission",
            submission.id,
            {"facility_id": facility.id, "year": row["year"], "version": submission.version},
        )
    return problems


def _facility_year_rows(
    name: str, frame: pl.DataFrame, facility_id: str, year: int
) -> pl.DataFrame:
    condition = pl.col("facility_id") == facility_id
    if "year" in frame.columns:
        condition = condition & (pl.col("year") == year)
    elif name == "programmes":
        pass  # programme rows span years: kept with every year of the facility
    return frame.filter(condition)


def latest_tables(session: Session, facility_ids: list[str]) -> dict[str, pl.DataFrame]:
    """The latest submission version of every year of these facilities, as engine tables."""
    latest = (
        select(Submission.facility_id, Submission.year, func.max(Submission.version).label("v"))
        .where(Submission.facility_id.in_(facility_ids))
        .group_by(Submission.facility_id, Submission.year)
        .subquery()
    )
    rows = session.execute(
        select(SubmissionTable.table_name, SubmissionTable.content)
        .join(Submission, Submission.id == SubmissionTable.submission_id)
        .join(
            latest,
            (latest.c.facility_id == Submission.facility_id)
            & (latest.c.year == Submission.year)
            & (latest.c.v == Submission.version),
        )
        .order_by(Submission.facility_id, Submission.year, SubmissionTable.table_name)
    ).all()
    parts: dict[str, list[pl.DataFrame]] = {}
    for name, content in rows:
        parts.setdefault(name, []).append(pl.read_parquet(io.BytesIO(content)))
    tables = {name: pl.concat(frames, how="diagonal_relaxed") for name, frames in parts.items()}
    if "programmes" in tables:
        tables["programmes"] = tables["programmes"].unique(maintain_order=True)
    return tables
