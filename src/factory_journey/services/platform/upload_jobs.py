"""An import job as the upload page follows it: how far it is, and once it has ended either
the facility-years it made (with their new versions) or every problem located."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.imports import ACTIVE, job_status
from factory_journey.services.upload_problems import ProblemReport, problem_report
from factory_journey.store.models import Submission, Upload


@dataclass(frozen=True, slots=True)
class MadeVersion:
    facility_id: str
    year: int
    version: int


@dataclass(frozen=True, slots=True)
class JobView:
    job_id: int
    filename: str
    status: str
    stage: str
    #: How far the import is [0–100 %].
    percent: int
    created_at: datetime
    finished_at: datetime | None
    message: str | None
    problems: ProblemReport
    made: tuple[MadeVersion, ...]

    @property
    def running(self) -> bool:
        return self.status in ACTIVE

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def job_view(session: Session, actor: Actor, job_id: int) -> JobView:
    """An import job of the actor's organisation (NotFound for anyone else's)."""
    job = job_status(session, actor, job_id)
    upload = session.get(Upload, job.upload_id)
    assert upload is not None
    made: tuple[MadeVersion, ...] = ()
    if job.status == "succeeded":
        made = tuple(
            MadeVersion(s.facility_id, s.year, s.version)
            for s in session.scalars(
                select(Submission)
                .where(Submission.upload_id == job.upload_id)
                .order_by(Submission.facility_id, Submission.year)
            )
        )
    return JobView(
        job.id, upload.filename, job.status, job.stage, round((job.progress or 0.0) * 100),
        job.created_at, job.finished_at, job.message, problem_report(list(job.problems or [])),
        made,
    )
