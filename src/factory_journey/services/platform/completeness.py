"""What a factory organisation has submitted: per facility and year, what is complete, what is
missing, and which uploads failed validation and are not corrected yet.

The rules are those of the Data Matrix, not a second copy: an area whose data come monthly is
complete with twelve distinct months or an annual value (`engine.quality`), any other table is
complete with at least one row. The status reads the latest submission version of every year;
submissions never change once written, so the per-version status is cached by submission id.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factory_journey.engine.quality import (
    MONTHLY_AREAS,
    completeness_columns,
    quality_aggs,
    quality_rows,
)
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.facilities import portfolio
from factory_journey.store.models import ImportJob, Submission, SubmissionTable, Upload

#: The seven impact areas and the tables that feed each (the first one decides completeness).
AREA_TABLES: dict[str, tuple[str, ...]] = {
    "energy": ("energy",),
    "water": ("water",),
    "wastewater": ("wastewater", "zdhc_wastewater"),
    "chemicals": ("chemicals",),
    "ems": ("ems",),
    "waste": ("waste",),
    "air": ("air",),
}

#: Area status values, worst first.
MISSING, PARTIAL, COMPLETE = "missing", "partial", "complete"


@dataclass(frozen=True, slots=True)
class AreaStatus:
    """One impact area of one facility-year.

    `months_reported` counts distinct months [0–12] (None for an area that is not monthly);
    `missing_months` lists the months 1–12 without a row (empty when an annual value exists).
    """

    area: str
    status: str
    rows: int
    months_reported: int | None = None
    missing_months: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class YearStatus:
    """The latest submission version of one facility-year and what it holds."""

    year: int
    version: int
    submission_id: int
    submitted_at: datetime
    areas: tuple[AreaStatus, ...]
    #: Warnings the import reported for the file that made this version (kept, not blocking).
    warnings: int = 0

    @property
    def complete(self) -> list[str]:
        return [a.area for a in self.areas if a.status == COMPLETE]

    @property
    def partial(self) -> list[str]:
        return [a.area for a in self.areas if a.status == PARTIAL]

    @property
    def missing(self) -> list[str]:
        return [a.area for a in self.areas if a.status == MISSING]

    @property
    def status(self) -> str:
        """`complete` when every area is, `missing` when none has data, else `partial`."""
        if all(a.status == COMPLETE for a in self.areas):
            return COMPLETE
        if all(a.status == MISSING for a in self.areas):
            return MISSING
        return PARTIAL


@dataclass(frozen=True, slots=True)
class FailedUpload:
    """An import job that failed after the organisation's last successful import."""

    job_id: int
    filename: str
    uploaded_at: datetime
    problems: int
    message: str | None


@dataclass(frozen=True, slots=True)
class FacilityStatus:
    facility_id: str
    name: str
    relation: str
    years: tuple[YearStatus, ...]


@dataclass(slots=True)
class OrganisationStatus:
    """The home page of a factory organisation: its facilities and its uncorrected failures."""

    facilities: list[FacilityStatus] = field(default_factory=list)
    failed_uploads: list[FailedUpload] = field(default_factory=list)
    #: Facilities the organisation owns in all (`facilities` holds one page of them).
    total: int = 0
    page: int = 1
    pages: int = 1


def area_statuses(tables: dict[str, pl.DataFrame]) -> tuple[AreaStatus, ...]:
    """The status of every impact area from the tables of one facility-year."""
    out = []
    for area, names in AREA_TABLES.items():
        rows = sum(tables[n].height for n in names if n in tables)
        main = tables.get(names[0])
        if area not in MONTHLY_AREAS:
            out.append(AreaStatus(area, COMPLETE if rows else MISSING, rows))
            continue
        if main is None or main.height == 0:
            out.append(AreaStatus(area, MISSING, rows, 0, tuple(range(1, 13))))
            continue
        summary = (
            main.with_columns(quality_rows())
            .select(quality_aggs(area))
            .with_columns(completeness_columns(area))
            .row(0, named=True)
        )
        months = int(summary[f"{area}_months_reported"])
        complete = bool(summary[f"{area}_complete"])
        present = set(main["month"].drop_nulls().cast(pl.Int64).to_list())
        missing = () if complete else tuple(m for m in range(1, 13) if m not in present)
        out.append(AreaStatus(area, COMPLETE if complete else PARTIAL, rows, months, missing))
    return tuple(out)


class _StatusCache:
    """Area statuses by (database, submission id): a submission never changes once written."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[tuple[str, int], tuple[AreaStatus, ...]] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def get(self, key: tuple[str, int]) -> tuple[AreaStatus, ...] | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[str, int], value: tuple[AreaStatus, ...]) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_cache = _StatusCache()


def _submission_areas(session: Session, submission_id: int) -> tuple[AreaStatus, ...]:
    key = (str(session.get_bind().engine.url), submission_id)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    tables: dict[str, pl.DataFrame] = {}
    for name, content in session.execute(
        select(SubmissionTable.table_name, SubmissionTable.content).where(
            SubmissionTable.submission_id == submission_id
        )
    ):
        if name in ("profiles", "programmes"):
            continue
        tables[name] = pl.read_parquet(io.BytesIO(content))
    statuses = area_statuses(tables)
    _cache.put(key, statuses)
    return statuses


def _warnings_by_upload(session: Session, upload_ids: set[int]) -> dict[int, int]:
    if not upload_ids:
        return {}
    counts: dict[int, int] = {}
    for upload_id, problems in session.execute(
        select(ImportJob.upload_id, ImportJob.problems).where(
            ImportJob.upload_id.in_(upload_ids), ImportJob.status == "succeeded"
        )
    ):
        counts[upload_id] = len(problems or [])
    return counts


def facility_years(session: Session, facility_id: str) -> tuple[YearStatus, ...]:
    """The latest version of every year of one facility with its area statuses (unchecked:
    call through `organisation_status`, or after an authorisation)."""
    latest = (
        select(Submission.year, func.max(Submission.version).label("version"))
        .where(Submission.facility_id == facility_id)
        .group_by(Submission.year)
        .subquery()
    )
    rows = session.execute(
        select(Submission)
        .join(latest, (Submission.year == latest.c.year)
              & (Submission.version == latest.c.version))
        .where(Submission.facility_id == facility_id)
        .order_by(Submission.year.desc())
    ).scalars().all()
    warnings = _warnings_by_upload(session, {s.upload_id for s in rows if s.upload_id})
    return tuple(
        YearStatus(
            year=s.year,
            version=s.version,
            submission_id=s.id,
            submitted_at=s.created_at,
            areas=_submission_areas(session, s.id),
            warnings=warnings.get(s.upload_id, 0) if s.upload_id else 0,
        )
        for s in rows
    )


def failed_uploads(session: Session, actor: Actor, limit: int = 20) -> list[FailedUpload]:
    """Failed imports of the actor's organisation newer than its last successful one."""
    last_success = session.scalar(
        select(func.max(ImportJob.created_at))
        .join(Upload, Upload.id == ImportJob.upload_id)
        .where(Upload.organisation_id == actor.organisation_id, ImportJob.status == "succeeded")
    )
    query = (
        select(ImportJob, Upload.filename, Upload.created_at)
        .join(Upload, Upload.id == ImportJob.upload_id)
        .where(
            Upload.organisation_id == actor.organisation_id,
            ImportJob.status.in_(("failed", "interrupted")),
        )
        .order_by(ImportJob.id.desc())
        .limit(limit)
    )
    if last_success is not None:
        query = query.where(ImportJob.created_at > last_success)
    out = []
    for job, filename, uploaded_at in session.execute(query):
        problems: list[Any] = job.problems or []
        errors = [p for p in problems if p.get("severity", "error") == "error"]
        out.append(FailedUpload(job.id, filename, uploaded_at, len(errors), job.message))
    return out


def organisation_status(
    session: Session, actor: Actor, page: int = 1, page_size: int | None = None
) -> OrganisationStatus:
    """The facilities the actor's organisation owns (one page of `page_size`, by id; all
    without), each year's status, and the failed uploads.

    Only owned facilities: a grantee sees shared facilities in its portfolio, not their
    submission state (the `submission.read` rule needs a `full` grant). A page past the last
    is the last.
    """
    status = OrganisationStatus()
    owned = [entry for entry in portfolio(session, actor) if entry.relation == "owner"]
    status.total = len(owned)
    if page_size:
        status.pages = max(1, -(-len(owned) // page_size))
        status.page = min(max(page, 1), status.pages)
        owned = owned[(status.page - 1) * page_size : status.page * page_size]
    for entry in owned:
        status.facilities.append(
            FacilityStatus(
                entry.facility.id, entry.facility.name, entry.relation,
                facility_years(session, entry.facility.id),
            )
        )
    status.failed_uploads = failed_uploads(session, actor)
    return status
