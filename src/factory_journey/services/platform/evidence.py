"""Evidence documents and verification status, both append-only."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.services.platform.files import safe_filename
from factory_journey.store.models import Evidence, VerificationRecord

#: Largest evidence document accepted [bytes].
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
#: Accepted evidence types: suffix → content type.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
VERIFICATION_STATUSES = ("self-reported", "verified", "disputed")


def add_evidence(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int,
    subject: str,
    filename: str,
    content: bytes,
) -> Evidence:
    """Store an evidence document for a profile question or data point (`subject`)."""
    authorise(session, actor, "evidence.create", facility_id)
    suffix = Path(filename).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise InvalidInput(
            f"{filename}: evidence must be one of {', '.join(sorted(EVIDENCE_TYPES))}"
        )
    if not content:
        raise InvalidInput(f"{filename} is empty")
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(
            f"{filename} is {len(content) / 1e6:.1f} MB; the limit is "
            f"{MAX_EVIDENCE_BYTES / 1e6:.0f} MB"
        )
    row = Evidence(
        facility_id=facility_id,
        year=year,
        subject=subject,
        filename=safe_filename(filename),
        content_type=EVIDENCE_TYPES[suffix],
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "evidence.create",
        "evidence",
        row.id,
        {"facility_id": facility_id, "subject": subject},
    )
    return row


def list_evidence(session: Session, actor: Actor, facility_id: str) -> list[Evidence]:
    authorise(session, actor, "evidence.read", facility_id)
    return list(
        session.scalars(
            select(Evidence).where(Evidence.facility_id == facility_id).order_by(Evidence.id)
        )
    )


def set_verification(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int,
    subject: str,
    status: str,
    evidence_id: int | None,
    comment: str | None,
) -> VerificationRecord:
    """Record a verifier's status for a data point; the latest record is the one in force."""
    authorise(session, actor, "verification.set", facility_id)
    if status not in VERIFICATION_STATUSES:
        raise InvalidInput(f"unknown status {status!r}; accepted: {VERIFICATION_STATUSES}")
    if evidence_id is not None:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None or evidence.facility_id != facility_id:
            raise NotFound(f"no evidence {evidence_id} on facility {facility_id}")
    row = VerificationRecord(
        facility_id=facility_id,
        year=year,
        subject=subject,
        status=status,
        evidence_id=evidence_id,
        set_by=actor.user_id,
        organisation_id=actor.organisation_id,
        comment=comment,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "verification.set",
        "verification_record",
        row.id,
        {"facility_id": facility_id, "year": year, "subject": subject, "status": status},
    )
    return row


def verification_history(
    session: Session, actor: Actor, facility_id: str
) -> list[VerificationRecord]:
    authorise(session, actor, "facility.read", facility_id)
    return list(
        session.scalars(
            select(VerificationRecord)
            .where(VerificationRecord.facility_id == facility_id)
            .order_by(VerificationRecord.id)
        )
    )
