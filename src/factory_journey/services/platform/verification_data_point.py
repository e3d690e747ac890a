"""One data point as a verifier (or the facility) reads it: the reported value and unit, the
canonical value, its provenance (file, sheet, row, version, who uploaded it and when), the
evidence that may support a record about it, and its history (who recorded what, when, why).

Reads need `submission.read` (the owner, or a `full` grant), as the submission API does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, defer

from factory_journey.domain.timestamps import as_utc
from factory_journey.domain.verification import (
    SUBJECT_TABLES,
    Subject,
    SubstanceRules,
    evidence_supports,
    substance_rules,
)
from factory_journey.services.platform import evidence as evidence_service
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.verification import ROW, UNVERIFIED, records_in_force
from factory_journey.services.platform.verification_view import (
    NOT_FIELDS,
    StatusLookup,
    label_columns,
    latest_submission,
    lookup_of,
    may,
    reported_value,
    table_frame,
)
from factory_journey.store.models import (
    Evidence,
    Organisation,
    Submission,
    Upload,
    User,
    VerificationRecord,
)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: int
    filename: str
    content_type: str
    size_bytes: int
    subject: str
    uploaded_by: str
    uploaded_at: datetime
    inline: bool


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """A verifier's record about the data point (or its whole table)."""

    id: int
    at: datetime
    by: str
    organisation: str
    status: str
    whole_table: bool
    version: int | None
    comment: str | None
    observation: str | None
    evidence_id: int | None
    evidence_filename: str | None
    in_force: bool


@dataclass(frozen=True, slots=True)
class DataPointView:
    facility_id: str
    facility_name: str
    year: int
    version: int
    table: str
    row: int
    subject: str
    label: tuple[tuple[str, Any], ...]
    fields: tuple[tuple[str, Any], ...]
    value: Any
    unit: str | None
    canonical_value: Any
    canonical_unit: str | None
    file: str | None
    sheet: str | None
    uploaded_by: str
    uploaded_at: datetime
    upload_filename: str | None
    claimed_status: str | None
    status: str
    evidence: tuple[EvidenceItem, ...]
    history: tuple[HistoryItem, ...]
    may_verify: bool
    may_upload: bool
    #: The next data point of the table still waiting after this one (wrapping round), if any.
    next_waiting: int | None
    rules: SubstanceRules


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
    )


def _next_waiting(frame: pl.DataFrame, lookup: StatusLookup, table: str, row: int) -> int | None:
    """The first row after `row` (then from the top) whose status is still self-reported."""
    rows = sorted(int(r) for r in frame[ROW].to_list() if r is not None)
    for candidate in [r for r in rows if r > row] + [r for r in rows if r < row]:
        if lookup.of(table, candidate) == UNVERIFIED:
            return candidate
    return None


def _deciding_record(session: Session, submission: Submission, subject: Subject) -> int | None:
    """The id of the record in force that decides the row: its own, else its table's."""
    table_record = None
    for item in records_in_force(session, (submission.id,)):
        if item.decision.subject == subject:
            return item.record.id
        if item.decision.subject == Subject(subject.table):
            table_record = item.record.id
    return table_record


def evidence_for(session: Session, facility_id: str, year: int, subject: Subject) -> list[Evidence]:
    """The facility-year's documents that may support a record about `subject`."""
    rows = session.scalars(
        select(Evidence)
        .options(defer(Evidence.content))  # documents of up to 20 MB: not read to list them
        .where(Evidence.facility_id == facility_id, Evidence.year == year)
        .order_by(Evidence.id)
    ).all()
    return [e for e in rows if evidence_supports(e.subject, subject)]


def data_point(
    session: Session, actor: Actor, facility_id: str, year: int, table: str, row: int
) -> DataPointView:
    """One data point of the facility-year's latest data, with its evidence and history."""
    facility = authorise(session, actor, "submission.read", facility_id)
    submission = latest_submission(session, facility_id, year)
    frame = table_frame(session, submission.id, table) if table in SUBJECT_TABLES else None
    found = (
        frame.filter(pl.col(ROW) == row).to_dicts()
        if frame is not None and ROW in frame.columns
        else []
    )
    if not found:
        raise NotFound(
            f"the data of {year} (version {submission.version}) of facility {facility_id} "
            f"have no row {row} in {table}"
        )
    record = found[0]
    assert frame is not None
    subject = Subject(table, row)
    lookup = lookup_of(session, submission)
    documents = evidence_for(session, facility_id, year, subject)
    records = session.scalars(
        select(VerificationRecord)
        .where(
            VerificationRecord.facility_id == facility_id,
            VerificationRecord.year == year,
            or_(VerificationRecord.subject == table, VerificationRecord.subject == str(subject)),
        )
        .order_by(VerificationRecord.id)
    ).all()
    deciding = _deciding_record(session, submission, subject)
    versions = dict(
        session.execute(
            select(Submission.id, Submission.version).where(
                Submission.facility_id == facility_id, Submission.year == year
            )
        ).all()
    )
    names = _names(
        session,
        {submission.created_by, *(e.uploaded_by for e in documents), *(r.set_by for r in records)},
    )
    organisations = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.id.in_({r.organisation_id for r in records})
            )
        ).all()
    )
    filenames = {
        e.id: e.filename
        for e in session.execute(
            select(Evidence.id, Evidence.filename).where(
                Evidence.id.in_({r.evidence_id for r in records if r.evidence_id})
            )
        )
    }
    upload_name = (
        session.scalar(select(Upload.filename).where(Upload.id == submission.upload_id))
        if submission.upload_id
        else None
    )
    value, unit = reported_value(record)
    labels = label_columns(table, list(record))
    return DataPointView(
        facility_id=facility.id,
        facility_name=facility.name,
        year=year,
        version=submission.version,
        table=table,
        row=row,
        subject=str(subject),
        label=tuple((c, record[c]) for c in labels),
        fields=tuple((c, v) for c, v in record.items() if c not in NOT_FIELDS),
        value=value,
        unit=unit,
        canonical_value=record.get("quantity_canonical"),
        canonical_unit=record.get("unit_canonical"),
        file=record.get("_file"),
        sheet=record.get("_sheet"),
        uploaded_by=names.get(submission.created_by, "?"),
        uploaded_at=as_utc(submission.created_at),
        upload_filename=upload_name,
        claimed_status=record.get("verification_status"),
        status=lookup.of(table, row),
        evidence=tuple(
            EvidenceItem(
                e.id,
                e.filename,
                e.content_type,
                e.size_bytes,
                e.subject,
                names.get(e.uploaded_by, "?"),
                as_utc(e.created_at),
                evidence_service.opens_inline(e),
            )
            for e in documents
        ),
        history=tuple(
            HistoryItem(
                r.id,
                as_utc(r.created_at),
                names.get(r.set_by, "?"),
                organisations.get(r.organisation_id, "?"),
                r.status,
                r.subject == table,
                versions.get(r.submission_id) if r.submission_id else None,
                r.comment,
                r.observation,
                r.evidence_id,
                filenames.get(r.evidence_id) if r.evidence_id else None,
                r.id == deciding,
            )
            for r in reversed(records)
        ),
        may_verify=may(session, actor, "verification.set", facility_id),
        may_upload=may(session, actor, "evidence.create", facility_id),
        next_waiting=_next_waiting(frame, lookup, table, row),
        rules=substance_rules(),
    )
