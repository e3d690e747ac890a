"""Join the Journey: pathway proposals, committee reviews, and the methodology versions built
from accepted proposals (services/proposals)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from factory_journey.services.platform.evidence import CONTENT_TYPES
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.services.proposals import (
    builds,
    drafting,
    reading,
    reviewing,
    rubric,
    submission,
)
from factory_journey.services.proposals.reading import ProposalView
from factory_journey.store.models import MethodologyBuild, Proposal, ProposalReview
from factory_journey.web.deps import CurrentActor, FacilityId, RowId, SessionDep
from factory_journey.web.responses import FACILITY_ERRORS, errors
from factory_journey.web.routes_results import ReportLanguage
from factory_journey.web.schemas_proposals import (
    AttachmentPublic,
    EventPublic,
    FacilityAssessmentPublic,
    MethodologyVersionPublic,
    MethodologyVersionSummary,
    ProblemLine,
    ProposalDraft,
    ProposalPublic,
    ProposalSummary,
    ReviewCreate,
    ReviewPublic,
    VersionPublic,
)
from factory_journey.web.uploads import read_at_most

router = APIRouter(tags=["proposals"])

#: A proposal route: not signed in, not allowed, not one you can see, not valid.
PROPOSAL_ERRORS = errors(401, 403, 404, 422)
#: A write on a proposal: also "not in a state that allows it".
PROPOSAL_WRITE_ERRORS = errors(
    401, 403, 404, 409, 422, why={409: "The proposal's state does not allow this now"}
)


def _summary(proposal: Proposal, organisation: str) -> ProposalSummary:
    return ProposalSummary(
        id=proposal.id,
        reference=f"JJ-{proposal.id}",
        title=proposal.title,
        state=proposal.state,
        organisation=organisation,
        updated_at=proposal.updated_at,
    )


def _public(shown: ProposalView) -> ProposalPublic:
    proposal = shown.proposal
    return ProposalPublic(
        **_summary(proposal, shown.organisation).model_dump(),
        versions=[
            VersionPublic(
                number=v.number,
                created_at=v.created_at,
                submitted_at=v.submitted_at,
                content=v.content,
                attachments=[
                    AttachmentPublic.model_validate(a, from_attributes=True)
                    for a in shown.attachments[v.id]
                ],
            )
            for v in shown.versions
        ],
        history=[EventPublic(**event) for event in shown.history],
        problems=[ProblemLine(where=w, message=m) for w, m in shown.problems],
        methodology_version_id=proposal.methodology_build_id,
    )


def _review(row: ProposalReview, numbers: dict[int, int]) -> ReviewPublic:
    return ReviewPublic(
        id=row.id,
        version=numbers[row.version_id],
        seat=row.seat,
        conflict_of_interest=row.conflict_of_interest,
        conflict_statement=row.conflict_statement,
        scores=row.scores,
        comments=row.comments,
        recommendation=row.recommendation,
        rubric_version=row.rubric_version,
        created_at=row.created_at,
    )


@router.get("/proposals", response_model=list[ProposalSummary], responses=errors(401))
def list_proposals(session: SessionDep, actor: CurrentActor) -> list[ProposalSummary]:
    """Your organisation's proposals; for a committee seat, also every submitted one."""
    return [_summary(p, name) for p, name in reading.list_proposals(session, actor)]


@router.post(
    "/proposals", response_model=ProposalPublic, status_code=201, responses=errors(401, 403, 422)
)
def create_proposal(body: ProposalDraft, session: SessionDep, actor: CurrentActor) -> Any:
    """Start a proposal (version 1, a draft: only the title is needed until it is submitted)."""
    proposal = drafting.create_draft(session, actor, body.content())
    return _public(reading.view(session, actor, proposal.id))


@router.get(
    "/proposals/{proposal_id}", response_model=ProposalPublic, responses=PROPOSAL_ERRORS
)
def get_proposal(proposal_id: RowId, session: SessionDep, actor: CurrentActor) -> Any:
    """A proposal with its versions, attachments and history (the proposer sees its drafts;
    the committee the submitted versions)."""
    return _public(reading.view(session, actor, proposal_id))


@router.put(
    "/proposals/{proposal_id}", response_model=ProposalPublic, responses=PROPOSAL_WRITE_ERRORS
)
def update_proposal(
    proposal_id: RowId, body: ProposalDraft, session: SessionDep, actor: CurrentActor
) -> Any:
    """Replace the draft's content (a submitted version is frozen: 409)."""
    drafting.update_draft(session, actor, proposal_id, body.content())
    return _public(reading.view(session, actor, proposal_id))


@router.post(
    "/proposals/{proposal_id}/attachments",
    response_model=AttachmentPublic,
    status_code=201,
    responses=errors(400, 401, 403, 404, 409, 413, 422),
)
def add_attachment(
    proposal_id: RowId,
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
) -> Any:
    """Attach a document to the draft (PDF, image, xlsx, docx, CSV or text), checked by its
    content."""
    drafting.check_attach(session, actor, proposal_id)  # before the document is read
    max_bytes: int = request.app.state.settings.evidence_max_bytes
    content = read_at_most(file, max_bytes + 1)
    row = drafting.attach(
        session, actor, proposal_id, file.filename or "attachment", content, max_bytes=max_bytes
    )
    return AttachmentPublic.model_validate(row, from_attributes=True)


@router.get(
    "/proposals/{proposal_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={
        200: {
            "content": {content_type: {} for content_type in CONTENT_TYPES},
            "description": "The document, of the type its content showed on upload",
        },
        **PROPOSAL_ERRORS,
    },
)
def download_attachment(
    proposal_id: RowId, attachment_id: RowId, session: SessionDep, actor: CurrentActor
) -> Response:
    """An attachment as uploaded, as a download."""
    row = reading.attachment(session, actor, proposal_id, attachment_id)
    media = "text/plain; charset=utf-8" if row.content_type.startswith("text/") else (
        row.content_type
    )
    return Response(
        row.content,
        media_type=media,
        headers={
            "Content-Disposition": attachment_disposition(row.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.post(
    "/proposals/{proposal_id}/submit",
    response_model=ProposalPublic,
    responses=PROPOSAL_WRITE_ERRORS,
)
def submit_proposal(proposal_id: RowId, session: SessionDep, actor: CurrentActor) -> Any:
    """Submit the draft for review: it is checked whole (422 names every fault) and frozen."""
    submission.submit(session, actor, proposal_id)
    return _public(reading.view(session, actor, proposal_id))


@router.post(
    "/proposals/{proposal_id}/revise",
    response_model=ProposalPublic,
    status_code=201,
    responses=PROPOSAL_WRITE_ERRORS,
)
def revise_proposal(proposal_id: RowId, session: SessionDep, actor: CurrentActor) -> Any:
    """After the committee asked for changes: a new draft version, copied from the last."""
    submission.revise(session, actor, proposal_id)
    return _public(reading.view(session, actor, proposal_id))


@router.get(
    "/proposals/{proposal_id}/reviews",
    response_model=list[ReviewPublic],
    responses=PROPOSAL_ERRORS,
)
def list_reviews(proposal_id: RowId, session: SessionDep, actor: CurrentActor) -> Any:
    """The committee's reviews: all for a committee seat; for the proposer, those of versions
    decided on."""
    rows = reading.reviews(session, actor, proposal_id)
    shown = reading.view(session, actor, proposal_id)
    numbers = {v.id: v.number for v in shown.versions}
    return [_review(r, numbers) for r in rows]


@router.post(
    "/proposals/{proposal_id}/reviews",
    response_model=ReviewPublic,
    status_code=201,
    responses=PROPOSAL_WRITE_ERRORS,
)
def add_review(
    proposal_id: RowId, body: ReviewCreate, session: SessionDep, actor: CurrentActor
) -> Any:
    """A committee seat's review of the submitted version (once per seat and version; never
    of your own organisation's proposal). When the reviews the decision rule requires are in,
    the proposal is accepted (and a new methodology version built), sent back or rejected."""
    row = reviewing.add_review(
        session,
        actor,
        proposal_id,
        conflict_of_interest=body.conflict_of_interest,
        conflict_statement=body.conflict_statement,
        scores=dict(body.scores),
        comments=dict(body.comments),
        recommendation=body.recommendation,
    )
    shown = reading.view(session, actor, proposal_id)
    return _review(row, {v.id: v.number for v in shown.versions})


@router.get("/proposal-rubric", responses=errors(401))
def get_rubric(actor: CurrentActor) -> dict[str, Any]:
    """The committee's rubric and decision rule (versioned reference data)."""
    return rubric.rubric_document()


def _build_summary(row: MethodologyBuild) -> MethodologyVersionSummary:
    return MethodologyVersionSummary(
        id=row.id,
        name=row.name,
        label=row.label,
        base_label=row.base_label,
        proposals=[f"JJ-{p} v{v}" for p, v in row.proposal_versions],
        created_at=row.created_at,
    )


@router.get(
    "/methodology-versions",
    response_model=list[MethodologyVersionSummary],
    responses=errors(401),
)
def list_methodology_versions(session: SessionDep, actor: CurrentActor) -> Any:
    """The methodology versions built from accepted proposals, oldest first."""
    return [_build_summary(row) for row in builds.list_builds(session)]


@router.get(
    "/methodology-versions/{version_id}",
    response_model=MethodologyVersionPublic,
    responses=errors(401, 404, 422),
)
def get_methodology_version(version_id: RowId, session: SessionDep, actor: CurrentActor) -> Any:
    """A built version whole: its methodology and programme catalogue documents."""
    row = builds.get_build(session, version_id)
    return MethodologyVersionPublic(
        **_build_summary(row).model_dump(),
        methodology=row.methodology,
        catalogue=row.catalogue,
        content_sha256=row.content_sha256,
    )


@router.get(
    "/methodology-versions/{version_id}/facilities/{facility_id}/assessment",
    response_model=FacilityAssessmentPublic,
    responses=FACILITY_ERRORS,
)
def assess_with_version(
    version_id: RowId, facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> Any:
    """The facility's current data assessed with a built version (computed, not stored):
    pathways, measures and the explanation, which names the proposals a step came from."""
    assessed = builds.assess_facility(session, actor, facility_id, version_id)
    return builds.assessment_summary(assessed)


@router.get(
    "/methodology-versions/{version_id}/facilities/{facility_id}/report.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The report (PDF)"},
        **FACILITY_ERRORS,
    },
)
def report_with_version(
    version_id: RowId,
    facility_id: FacilityId,
    session: SessionDep,
    actor: CurrentActor,
    lang: Annotated[ReportLanguage, Query(description="report language")] = "en",
) -> Response:
    """The facility report as PDF with a built version: the steps name the accepted
    proposals their modules came from (made on request, not stored)."""
    body = builds.report_pdf(session, actor, facility_id, version_id, lang)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{lang}.pdf"'},
    )
