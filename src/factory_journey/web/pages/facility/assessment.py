"""The assessment of a facility (the report's own content and SVG charts, in the reader's
language) and its PDF report in any report language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.languages import LANGUAGE_NAMES, LANGUAGES
from factory_journey.services.platform.assessment_view import assessment_view
from factory_journey.services.platform.facility_rights import facility_rights
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.services.platform.portfolio import report_pdf
from factory_journey.web.deps import SessionDep
from factory_journey.web.pages.facility.common import STYLES, language
from factory_journey.web.pages.shell import PageUser, render

router = APIRouter()


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) == 4 else None


@router.get("/facilities/{facility_id}/assessment")
def assessment(
    request: Request, facility_id: str, user: PageUser, session: SessionDep,
    year: str | None = None,
) -> Response:
    """Seven impact areas high or low with their reasons, the pathways with costed measures,
    the trajectory against the target and the charts of the report."""
    rights = facility_rights(session, user, facility_id)
    view = assessment_view(session, user, facility_id, language(request), _year(year))
    return render(request, "facility/assessment.html.j2", {
        "styles": STYLES,
        "facility": rights.facility,
        "rights": rights,
        "view": view,
        "report": view.report,
        "report_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
    })


@router.get("/facilities/{facility_id}/report.pdf")
def report(
    facility_id: str, user: PageUser, session: SessionDep, lang: str = "en",
    year: str | None = None,
) -> Response:
    """The facility's PDF report in `lang` (a key of `reports.i18n.LANGUAGES`)."""
    body = report_pdf(session, user, facility_id, lang, _year(year))
    session.commit()  # a newly computed snapshot is kept
    name = f"{facility_id}-{lang}.pdf"
    return Response(body, media_type="application/pdf",
                    headers={"content-disposition": attachment_disposition(name)})
