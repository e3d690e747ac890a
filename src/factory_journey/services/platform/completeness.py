"""What a factory organisation has submitted: per facility and year, what is complete, what is
missing, and which uploads failed validation and are not corrected yet.

The rules are those of the Data Matrix, not a second copy: an area whose data come monthly is
complete with twelve distinct months or an annual value (`engine.quality`), any other table is
complete with at least one row. The status reads the latest submission version of every year;
submissions never change once written, so the per-version status is cached by submission id.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from factory_journey.engine.quality import (
    MONTHLY_AREAS,
    completeness_columns,
    quality_aggs,
    quality_rows,
)
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.facility_search import FacilityQuery, matches
from factory_journey.services.platform.latest_versions import is_latest, latest_versions
from factory_journey.services.platform.submission_content import decode_table
from factory_journey.store.models import Facility, ImportJob, Submission, SubmissionTable, Upload

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
    #: Facilities the search finds (all it owns without one; `facilities` holds a page).
    total: int = 0
    page: int = 1
    pages: int = 1
    #: Facilities the organisation owns in all, whatever the search.
    owned: int = 0
    #: The countries of its facilities (ISO 3166-1 alpha-2, sorted): those a search may pick.
    countries: tuple[str, ...] = ()
    #: The search applied (`facility_search`); an empty one finds every facility.
    query: FacilityQuery = field(default_factory=FacilityQuery)


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
        tables[name] = decode_table(content)
    statuses = area_statuses(tables)
    _cache.put(key, statuses)
    return statuses


#: Warnings of the succeeded import of each upload, by (database, upload id): an upload is
#: imported successfully at most once and its job never changes after, so a count is kept
#: rather than its problem list (hundreds of entries for a large file) read on every page.
_warnings: dict[tuple[str, int], int] = {}
_warnings_lock = threading.Lock()


def _warnings_by_upload(session: Session, upload_ids: set[int]) -> dict[int, int]:
    database = str(session.get_bind().engine.url)
    with _warnings_lock:
        counts = {u: _warnings[(database, u)] for u in upload_ids if (database, u) in _warnings}
    wanted = upload_ids - set(counts)
    if wanted:
        for upload_id, problems in session.execute(
            select(ImportJob.upload_id, ImportJob.problems).where(
                ImportJob.upload_id.in_(wanted), ImportJob.status == "succeeded"
            )
        ):
            counts[upload_id] = len(problems or [])
        with _warnings_lock:
            if len(_warnings) > 100_000:
                _warnings.clear()
            _warnings.update({(database, u): n for u, n in counts.items() if u in wanted})
    return counts


_LATEST = latest_versions(bindparam("ids", expanding=True))
#: The latest version of every year of some facilities, newest year first (built once: a
#: statement per facility costs more to build than to run).
_LATEST_VERSIONS = (
    select(Submission.facility_id, Submission.year, Submission.version, Submission.id,
           Submission.upload_id, Submission.created_at)
    .join(_LATEST, is_latest(_LATEST))
    .order_by(Submission.facility_id, Submission.year.desc())
)


def years_of(session: Session, facility_ids: list[str]) -> dict[str, tuple[YearStatus, ...]]:
    """The latest version of every year of each facility with its area statuses (unchecked:
    call through `organisation_status`, or after an authorisation)."""
    if not facility_ids:
        return {}
    rows = session.connection().execute(_LATEST_VERSIONS, {"ids": facility_ids}).all()
    warnings = _warnings_by_upload(session, {r.upload_id for r in rows if r.upload_id})
    out: dict[str, list[YearStatus]] = {facility_id: [] for facility_id in facility_ids}
    for r in rows:
        out[r.facility_id].append(YearStatus(
            year=r.year,
            version=r.version,
            submission_id=r.id,
            submitted_at=r.created_at,
            areas=_submission_areas(session, r.id),
            warnings=warnings.get(r.upload_id, 0) if r.upload_id else 0,
        ))
    return {facility_id: tuple(years) for facility_id, years in out.items()}


def facility_years(session: Session, facility_id: str) -> tuple[YearStatus, ...]:
    """`years_of` one facility."""
    return years_of(session, [facility_id])[facility_id]


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
    session: Session,
    actor: Actor,
    page: int = 1,
    page_size: int | None = None,
    query: FacilityQuery | None = None,
) -> OrganisationStatus:
    """The facilities the actor's organisation owns that `query` finds (all without one; one
    page of `page_size`, by id; all without), each year's status, and the failed uploads.

    Only owned facilities (the relation `owner` of `facilities.portfolio`): a grantee sees
    shared facilities in its portfolio, not their submission state (`submission.read` needs a
    `full` grant). A page past the last is the last.
    """
    status = OrganisationStatus(query=query or FacilityQuery())
    rows = session.execute(
        select(Facility.id, Facility.name, Facility.country_iso2)
        .where(Facility.owner_organisation_id == actor.organisation_id)
        .order_by(Facility.id)
    ).all()
    status.owned = len(rows)
    status.countries = tuple(sorted({country for _i, _n, country in rows if country}))
    owned = [(facility_id, name) for facility_id, name, country in rows
             if matches(status.query, facility_id, name, country)]
    status.total = len(owned)
    if page_size:
        status.pages = max(1, -(-len(owned) // page_size))
        status.page = min(max(page, 1), status.pages)
        owned = owned[(status.page - 1) * page_size : status.page * page_size]
    years = years_of(session, [facility_id for facility_id, _name in owned])
    status.facilities = [
        FacilityStatus(facility_id, name, "owner", years[facility_id])
        for facility_id, name in owned
    ]
    status.failed_uploads = failed_uploads(session, actor)
    return status
