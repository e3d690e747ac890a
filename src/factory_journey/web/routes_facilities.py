"""Portfolio, facilities, submissions, sharing, evidence and verification."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from factory_journey.services.platform import evidence, facilities, sharing, verification
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.web.deps import PRINTABLE, CurrentActor, FacilityId, RowId, SessionDep, Year
from factory_journey.web.responses import FACILITY_ERRORS, errors
from factory_journey.web.schemas import (
    EvidencePublic,
    FacilityPublic,
    GrantCreate,
    GrantPublic,
    SubmissionPublic,
    VerificationCreate,
    VerificationPublic,
)
from factory_journey.web.uploads import read_at_most

router = APIRouter(tags=["facilities"])


def _facility_public(entry: facilities.PortfolioEntry) -> FacilityPublic:
    return FacilityPublic(
        id=entry.facility.id,
        name=entry.facility.name,
        country_iso2=entry.facility.country_iso2,
        journey_factory_type=entry.facility.journey_factory_type,
        relation=entry.relation,
        scope=entry.scope,
    )


@router.get("/facilities", response_model=list[FacilityPublic], responses=errors(401))
def list_facilities(session: SessionDep, actor: CurrentActor) -> list[FacilityPublic]:
    """The portfolio: facilities your organisation owns, then those shared with it."""
    return [_facility_public(e) for e in facilities.portfolio(session, actor)]


@router.get("/facilities/{facility_id}", response_model=FacilityPublic, responses=FACILITY_ERRORS)
def get_facility(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> FacilityPublic:
    return _facility_public(facilities.facility(session, actor, facility_id))


@router.get(
    "/facilities/{facility_id}/submissions",
    response_model=list[SubmissionPublic],
    responses=FACILITY_ERRORS,
)
def list_submissions(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> list[SubmissionPublic]:
    rows = facilities.submissions(session, actor, facility_id)
    return [SubmissionPublic.model_validate(r) for r in rows]


@router.get("/facilities/{facility_id}/submissions/{year}/{version}", responses=FACILITY_ERRORS)
def get_submission(
    facility_id: FacilityId, year: Year, version: RowId, session: SessionDep, actor: CurrentActor
) -> dict[str, list[dict[str, Any]]]:
    return facilities.submission_data(session, actor, facility_id, year, version)


@router.get(
    "/facilities/{facility_id}/grants", response_model=list[GrantPublic], responses=FACILITY_ERRORS
)
def list_grants(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> list[GrantPublic]:
    return [GrantPublic.model_validate(g) for g in sharing.grants_of(session, actor, facility_id)]


@router.post(
    "/facilities/{facility_id}/grants",
    response_model=GrantPublic,
    status_code=201,
    responses=FACILITY_ERRORS,
)
def create_grant(
    facility_id: FacilityId, body: GrantCreate, session: SessionDep, actor: CurrentActor
) -> GrantPublic:
    row = sharing.grant(session, actor, facility_id, body.grantee_organisation_id, body.scope)
    return GrantPublic.model_validate(row)


@router.post(
    "/facilities/{facility_id}/grants/{grant_id}/revoke",
    response_model=GrantPublic,
    responses=FACILITY_ERRORS,
)
def revoke_grant(
    facility_id: FacilityId, grant_id: RowId, session: SessionDep, actor: CurrentActor
) -> GrantPublic:
    return GrantPublic.model_validate(sharing.revoke(session, actor, facility_id, grant_id))


@router.get(
    "/facilities/{facility_id}/evidence",
    response_model=list[EvidencePublic],
    responses=FACILITY_ERRORS,
)
def list_evidence(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> list[EvidencePublic]:
    rows = evidence.list_evidence(session, actor, facility_id)
    return [EvidencePublic.model_validate(r) for r in rows]


@router.post(
    "/facilities/{facility_id}/evidence",
    response_model=EvidencePublic,
    status_code=201,
    responses={**FACILITY_ERRORS, **errors(413)},
)
def add_evidence(
    facility_id: FacilityId,
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
    year: Annotated[int, Form(ge=1990, le=2100)],
    subject: Annotated[str, Form(min_length=1, max_length=120, pattern=PRINTABLE)],
) -> EvidencePublic:
    """Upload a document (PDF, image, xlsx, docx, CSV or text), checked by its content."""
    # A plain `def`: sniffing, hashing and the insert happen in a worker thread. The permission
    # is asked before the document is read.
    evidence.check_add_evidence(session, actor, facility_id)
    max_bytes: int = request.app.state.settings.evidence_max_bytes
    filename = file.filename or "evidence"
    content = read_at_most(file, max_bytes + 1)  # one byte more tells the service it is too large
    row = evidence.add_evidence(
        session, actor, facility_id, year, subject, filename, content, max_bytes=max_bytes
    )
    return EvidencePublic.model_validate(row)


@router.get(
    "/facilities/{facility_id}/evidence/{evidence_id}/file",
    response_class=Response,
    responses={
        200: {
            "content": {content_type: {} for content_type in evidence.CONTENT_TYPES},
            "description": "The document, of the type its content showed on upload",
        },
        **FACILITY_ERRORS,
    },
)
def download_evidence(
    facility_id: FacilityId, evidence_id: RowId, session: SessionDep, actor: CurrentActor
) -> Response:
    """The evidence document as uploaded, as an attachment of the type its content showed."""
    row = evidence.evidence_file(session, actor, facility_id, evidence_id)
    return Response(
        row.content,
        media_type=evidence.download_content_type(row),
        headers={
            "Content-Disposition": attachment_disposition(row.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/facilities/{facility_id}/verification",
    response_model=list[VerificationPublic],
    responses=FACILITY_ERRORS,
)
def list_verification(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> list[VerificationPublic]:
    rows = verification.verification_history(session, actor, facility_id)
    return [VerificationPublic.model_validate(r) for r in rows]


@router.post(
    "/facilities/{facility_id}/verification",
    response_model=VerificationPublic,
    status_code=201,
    responses=FACILITY_ERRORS,
)
def set_verification(
    facility_id: FacilityId, body: VerificationCreate, session: SessionDep, actor: CurrentActor
) -> VerificationPublic:
    """Mark a table or a row of the year's data verified (on evidence or an on-site
    observation), disputed or self-reported (saying why); the matrix follows."""
    row = verification.set_verification(
        session,
        actor,
        facility_id,
        body.year,
        body.subject,
        body.status,
        evidence_id=body.evidence_id,
        observation=body.observation,
        comment=body.comment,
        version=body.version,
    )
    return VerificationPublic.model_validate(row)
