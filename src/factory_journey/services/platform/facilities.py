"""What an organisation sees: its portfolio, a facility, its submission versions and their data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.submission_content import decode_table
from factory_journey.store.models import (
    Facility,
    ImportJob,
    SharingGrant,
    Submission,
    SubmissionTable,
    Upload,
)


@dataclass(frozen=True, slots=True)
class PortfolioEntry:
    facility: Facility
    relation: str
    scope: str | None


def portfolio(session: Session, actor: Actor) -> list[PortfolioEntry]:
    """Facilities the actor's organisation owns, then those shared with it (active grants)."""
    owned = session.scalars(
        select(Facility)
        .where(Facility.owner_organisation_id == actor.organisation_id)
        .order_by(Facility.id)
    ).all()
    entries = [PortfolioEntry(f, "owner", None) for f in owned]
    rank = {"assessment": 1, "matrix": 2, "full": 3}
    widest: dict[str, str] = {}
    for grant in session.scalars(
        select(SharingGrant).where(
            SharingGrant.grantee_organisation_id == actor.organisation_id,
            SharingGrant.revoked_at.is_(None),
        )
    ):
        current = widest.get(grant.facility_id)
        if current is None or rank[grant.scope] > rank[current]:
            widest[grant.facility_id] = grant.scope
    # One query for the shared facilities, not one per facility (a brand sees hundreds).
    shared = {
        f.id: f for f in session.scalars(select(Facility).where(Facility.id.in_(widest)))
    } if widest else {}
    for facility_id in sorted(widest):
        facility = shared.get(facility_id)
        if facility is not None:
            entries.append(PortfolioEntry(facility, "grantee", widest[facility_id]))
    return entries


def facility(session: Session, actor: Actor, facility_id: str) -> PortfolioEntry:
    found = authorise(session, actor, "facility.read", facility_id)
    for entry in portfolio(session, actor):
        if entry.facility.id == found.id:
            return entry
    raise NotFound(f"no facility {facility_id!r} that you can see")


def submissions(session: Session, actor: Actor, facility_id: str) -> list[Submission]:
    """Every version of every year: corrections are new versions and all stay readable."""
    authorise(session, actor, "submission.read", facility_id)
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.facility_id == facility_id)
            .order_by(Submission.year, Submission.version)
        )
    )


def submission_data(
    session: Session, actor: Actor, facility_id: str, year: int, version: int
) -> dict[str, list[dict[str, Any]]]:
    """The tables of one submission version as JSON-ready records."""
    authorise(session, actor, "submission.read", facility_id)
    submission = session.scalar(
        select(Submission).where(
            Submission.facility_id == facility_id,
            Submission.year == year,
            Submission.version == version,
        )
    )
    if submission is None:
        raise NotFound(f"facility {facility_id} has no submission {year} version {version}")
    out: dict[str, list[dict[str, Any]]] = {}
    for part in session.scalars(
        select(SubmissionTable)
        .where(SubmissionTable.submission_id == submission.id)
        .order_by(SubmissionTable.table_name)
    ):
        frame = decode_table(part.content)
        out[part.table_name] = frame.to_dicts()
    return out


def job(session: Session, actor: Actor, job_id: int) -> ImportJob:
    """An import job, visible to the organisation that uploaded its file."""
    found = session.get(ImportJob, job_id)
    if found is not None:
        upload = session.get(Upload, found.upload_id)
        if upload is not None and upload.organisation_id == actor.organisation_id:
            return found
    raise NotFound(f"no import job {job_id} of your organisation")
