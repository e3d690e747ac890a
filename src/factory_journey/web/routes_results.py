"""A facility's Data Matrix and assessment, and an organisation's portfolio.

Bodies are rendered once per stored snapshot by the service and sent as they are; the schemas
named in `responses` document them in the OpenAPI description.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from factory_journey.services.platform import portfolio, results
from factory_journey.web.deps import CurrentActor, FacilityId, SessionDep, TokenDep, as_actor
from factory_journey.web.responses import FACILITY_ERRORS, errors
from factory_journey.web.schemas import AssessmentPublic, MatrixPublic, PortfolioLinePublic

router = APIRouter(tags=["results"])

#: The report languages, as an enum in the document (a language it does not list is refused
#: by validation, as the document says, rather than by the service with a 422 of its own).
ReportLanguage = Literal[portfolio.REPORT_LANGUAGES]  # type: ignore[valid-type]

_JSON = "application/json"


@router.get(
    "/facilities/{facility_id}/matrix",
    response_class=Response,
    responses={200: {"model": MatrixPublic, "content": {_JSON: {}}}, **FACILITY_ERRORS},
)
async def get_matrix(facility_id: FacilityId, request: Request, token: TokenDep) -> Response:
    """The facility's Data Matrix (one row per year) from its latest submission versions."""
    body = await as_actor(request, token, results.matrix_json, facility_id)
    return Response(body, media_type=_JSON)


@router.get(
    "/facilities/{facility_id}/assessment",
    response_class=Response,
    responses={200: {"model": AssessmentPublic, "content": {_JSON: {}}}, **FACILITY_ERRORS},
)
def get_assessment(facility_id: FacilityId, session: SessionDep, actor: CurrentActor) -> Response:
    """Opportunities per impact area, pathway steps, measures and the carbon trajectory."""
    return Response(results.assessment_json(session, actor, facility_id), media_type=_JSON)


@router.post(
    "/facilities/{facility_id}/assess",
    response_class=Response,
    status_code=201,
    responses={201: {"model": AssessmentPublic, "content": {_JSON: {}}}, **FACILITY_ERRORS},
)
def assess_again(facility_id: FacilityId, session: SessionDep, actor: CurrentActor) -> Response:
    """Assess again from the latest data and keep the result as a new snapshot (the owning
    organisation's admins and editors)."""
    ref = results.recompute(session, actor, facility_id)
    return Response(results.snapshot_json(session, ref), status_code=201, media_type=_JSON)


@router.get("/portfolio", response_model=list[PortfolioLinePublic], responses=errors(401))
def get_portfolio(session: SessionDep, actor: CurrentActor) -> list[PortfolioLinePublic]:
    """Facilities owned by or shared with your organisation, with the opportunity level per
    impact area of their latest year."""
    return [
        PortfolioLinePublic.model_validate(line, from_attributes=True)
        for line in portfolio.portfolio(session, actor)
    ]


@router.get(
    "/facilities/{facility_id}/report.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The report (PDF)"},
        **FACILITY_ERRORS,
    },
)
def get_report(
    facility_id: FacilityId,
    session: SessionDep,
    actor: CurrentActor,
    lang: Annotated[ReportLanguage, Query(description="report language")] = "en",
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    """The facility report as PDF, in `lang` (en, vi, zh, …), of its latest or a given year."""
    body = portfolio.report_pdf(session, actor, facility_id, lang, year)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{lang}.pdf"'},
    )
