"""A verifier's decision about one data point as a page sends it: verify or dispute, with a
comment, an on-site observation note, a document already uploaded, or a new one.

Everything is checked before anything is written, so that a refused decision stores no
document: the permission, the data point, the document (size and type by content) and the
substance the record needs (`domain.verification.substance_problem`). Then the document is
stored (for the row: `table:row`) and the record rests on it, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from factory_journey.domain.verification import Subject, substance_problem
from factory_journey.ingest.sniff import FileTypeError, evidence_kind
from factory_journey.services.platform import evidence as evidence_service
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.services.platform.files import safe_filename
from factory_journey.services.platform.verification import checked_submission, set_verification
from factory_journey.store.models import Evidence, VerificationRecord

#: What a page may decide about a data point (a return to `self-reported` is the API's).
DECISIONS: tuple[str, ...] = ("verified", "disputed")


@dataclass(frozen=True, slots=True)
class Document:
    """A document sent with the decision: its name as uploaded and its bytes."""

    filename: str
    content: bytes


def decide(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int,
    subject: Subject,
    status: str,
    *,
    version: int | None = None,
    comment: str | None = None,
    observation: str | None = None,
    evidence_id: int | None = None,
    document: Document | None = None,
    max_bytes: int = evidence_service.MAX_EVIDENCE_BYTES,
) -> VerificationRecord:
    """Record `status` about a data point; a new `document` is stored and the record rests on
    it. Refused (nothing written) with the reason in the verifier's terms."""
    authorise(session, actor, "verification.set", facility_id)
    if status not in DECISIONS:
        raise InvalidInput(f"choose what you found: {' or '.join(DECISIONS)}")
    checked_submission(session, facility_id, year, subject, version)
    if document is not None:
        evidence_service.check_add_evidence(session, actor, facility_id)
        name = safe_filename(document.filename, "evidence")
        if len(document.content) > max_bytes:
            raise evidence_service.too_large(name, max_bytes)
        try:
            evidence_kind(name, document.content)
        except FileTypeError as error:
            raise InvalidInput(str(error)) from None
    problem = substance_problem(
        subject,
        year,
        status,
        has_evidence=document is not None or evidence_id is not None,
        observation=observation,
        reason=comment,
    )
    if problem is not None:
        raise InvalidInput(problem)
    if document is not None:
        stored = evidence_service.add_evidence(
            session,
            actor,
            facility_id,
            year,
            str(subject),
            document.filename,
            document.content,
            max_bytes=max_bytes,
        )
        evidence_id = stored.id
    return set_verification(
        session,
        actor,
        facility_id,
        year,
        str(subject),
        status,
        evidence_id=evidence_id,
        observation=observation,
        comment=comment,
        version=version,
    )


def attach_document(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int,
    subject: Subject,
    document: Document | None,
    *,
    max_bytes: int = evidence_service.MAX_EVIDENCE_BYTES,
) -> Evidence:
    """Store a document for a data point of the year's latest data (the facility's writers,
    or its verifier), for the verifier to check; refused with the reason, nothing written."""
    evidence_service.check_add_evidence(session, actor, facility_id)
    if document is None:
        raise InvalidInput("choose the document to upload")
    checked_submission(session, facility_id, year, subject, None)
    return evidence_service.add_evidence(
        session,
        actor,
        facility_id,
        year,
        str(subject),
        document.filename,
        document.content,
        max_bytes=max_bytes,
    )
