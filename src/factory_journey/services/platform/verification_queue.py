"""A verifier organisation's queue: the facilities shared with it whose data wait for a check.

A data point is one row of a table a verifier may record about (`SUBJECT_TABLES`) in the
latest version of a facility-year's submission (an older version is replaced: decision 0013).
It *waits* while the record in force about it (its own, or its table's) is none, or says
`self-reported`: nobody has verified or disputed it yet. The queue lists every facility that
shares with the verifier's organisation at a scope that lets a verifier record (`full`), with
how many data points are verified, disputed and waiting, oldest waiting first (first come,
first checked); facilities with nothing waiting follow, then those with no data yet.

Counts come from the stored row counts and the records, never from the tables' content, so the
queue costs four indexed queries however much data the facilities hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factory_journey.domain.tables import VERIFICATION_STATUSES
from factory_journey.domain.timestamps import as_utc
from factory_journey.domain.verification import (
    SUBJECT_TABLES,
    Decision,
    SubjectError,
    in_force,
    parse_subject,
    row_status_counts,
)
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Forbidden
from factory_journey.services.platform.latest_versions import is_latest, latest_versions
from factory_journey.services.platform.policy import POLICY
from factory_journey.store.models import (
    Facility,
    SharingGrant,
    Submission,
    SubmissionTable,
    VerificationRecord,
)

UNVERIFIED = VERIFICATION_STATUSES[0]


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Data points [rows] of a facility (or one facility-year) by verification status."""

    verified: int = 0
    disputed: int = 0
    waiting: int = 0

    @property
    def total(self) -> int:
        return self.verified + self.disputed + self.waiting

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(
            self.verified + other.verified,
            self.disputed + other.disputed,
            self.waiting + other.waiting,
        )

    @classmethod
    def of(cls, counts: dict[str, int]) -> StatusCounts:
        return cls(counts["verified"], counts["disputed"], counts[UNVERIFIED])


@dataclass(frozen=True, slots=True)
class YearCounts:
    """One facility-year's latest submission and its data points by status."""

    year: int
    version: int
    submission_id: int
    submitted_at: datetime
    counts: StatusCounts
    by_table: dict[str, StatusCounts] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A facility in a verifier's queue.

    `waiting_since`: when the oldest latest-version submission with data points waiting was
    uploaded (UTC); `last_record_at`: the newest verifier record on its current data (UTC).
    """

    facility_id: str
    name: str
    country_iso2: str
    years: tuple[YearCounts, ...]
    counts: StatusCounts
    waiting_since: datetime | None
    last_record_at: datetime | None

    @property
    def years_waiting(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.counts.waiting)


def _verifier_scopes(actor: Actor) -> frozenset[str]:
    """Grant scopes under which the actor's organisation may record; refused for an
    organisation that is not a verifier."""
    rule = POLICY["verification.set"]
    if rule.grantee_kinds and actor.organisation_kind not in rule.grantee_kinds:
        raise Forbidden(
            "the verification queue is for verifier organisations; yours is a "
            f"{actor.organisation_kind.replace('_', ' ')}"
        )
    return rule.grantee_scopes


def year_counts(session: Session, facility_ids: Iterable[str]) -> dict[str, tuple[YearCounts, ...]]:
    """Each facility's years (latest version of each), oldest first, with their data points
    by status. Reads row counts and records only; no permission check (callers check)."""
    ids = sorted(set(facility_ids))
    if not ids:
        return {}
    latest = latest_versions(ids)
    submissions = session.execute(
        select(
            Submission.id,
            Submission.facility_id,
            Submission.year,
            Submission.version,
            Submission.created_at,
        ).join(latest, is_latest(latest))
    ).all()
    submission_ids = [s.id for s in submissions]
    row_counts: dict[int, dict[str, int]] = {}
    decisions: dict[int, list[Decision]] = {}
    if submission_ids:
        for part in session.execute(
            select(
                SubmissionTable.submission_id,
                SubmissionTable.table_name,
                SubmissionTable.row_count,
            ).where(
                SubmissionTable.submission_id.in_(submission_ids),
                SubmissionTable.table_name.in_(SUBJECT_TABLES),
            )
        ):
            row_counts.setdefault(part.submission_id, {})[part.table_name] = part.row_count
        for rec in session.execute(
            select(
                VerificationRecord.id,
                VerificationRecord.year,
                VerificationRecord.subject,
                VerificationRecord.status,
                VerificationRecord.submission_id,
            ).where(VerificationRecord.submission_id.in_(submission_ids))
        ):
            try:
                subject = parse_subject(rec.subject)
            except SubjectError:  # pragma: no cover - only parsed subjects are stored
                continue
            decisions.setdefault(rec.submission_id, []).append(
                Decision(rec.id, rec.year, subject, rec.status)
            )
    out: dict[str, list[YearCounts]] = {}
    for s in sorted(submissions, key=lambda s: (s.facility_id, s.year)):
        kept = in_force(decisions.get(s.id, []))
        by_table: dict[str, StatusCounts] = {}
        for table, rows in sorted(row_counts.get(s.id, {}).items()):
            about = [d for d in kept if d.subject.table == table]
            by_table[table] = StatusCounts.of(row_status_counts(rows, about))
        total = sum(by_table.values(), StatusCounts())
        out.setdefault(s.facility_id, []).append(
            YearCounts(s.year, s.version, s.id, as_utc(s.created_at), total, by_table)
        )
    return {facility_id: tuple(years) for facility_id, years in out.items()}


def _sort_key(entry: QueueEntry) -> tuple[int, datetime, str, str]:
    if entry.counts.waiting:
        group = 0
    elif entry.counts.total:
        group = 1
    else:
        group = 2
    since = entry.waiting_since or datetime.max.replace(tzinfo=None)
    return (group, since.replace(tzinfo=None), entry.name.casefold(), entry.facility_id)


def verification_queue(session: Session, actor: Actor) -> list[QueueEntry]:
    """The facilities shared with the actor's verifier organisation at a scope that lets it
    record, waiting ones first (oldest waiting first), with their counts."""
    scopes = _verifier_scopes(actor)
    shared = session.execute(
        select(Facility.id, Facility.name, Facility.country_iso2)
        .where(
            Facility.id.in_(
                select(SharingGrant.facility_id).where(
                    SharingGrant.grantee_organisation_id == actor.organisation_id,
                    SharingGrant.revoked_at.is_(None),
                    SharingGrant.scope.in_(sorted(scopes)),
                )
            )
        )
        .order_by(Facility.id)
    ).all()
    years = year_counts(session, (f.id for f in shared))
    last_records = dict(
        session.execute(
            select(VerificationRecord.facility_id, func.max(VerificationRecord.created_at))
            .where(VerificationRecord.facility_id.in_([f.id for f in shared]))
            .group_by(VerificationRecord.facility_id)
        ).all()
    )
    entries = []
    for facility in shared:
        held = years.get(facility.id, ())
        waiting = [y.submitted_at for y in held if y.counts.waiting]
        last = last_records.get(facility.id)
        entries.append(
            QueueEntry(
                facility.id,
                facility.name,
                facility.country_iso2,
                held,
                sum((y.counts for y in held), StatusCounts()),
                min(waiting) if waiting else None,
                as_utc(last) if last is not None else None,
            )
        )
    return sorted(entries, key=_sort_key)
