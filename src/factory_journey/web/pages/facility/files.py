"""Blank templates to download and the guidance of every table and column."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.dataset_guidance import dataset_guide
from factory_journey.services.dataset_template import KINDS, template_for
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.web.pages.facility.common import STYLES, language
from factory_journey.web.pages.shell import PageUser, render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/facilities/guidance")
def guidance(request: Request, user: PageUser) -> Response:
    """What every table and column accepts; upload problems link to its anchors."""
    return render(request, "facility/guidance.html.j2", {"styles": STYLES,
                                                          "tables": dataset_guide(),
                                                          "kinds": KINDS})


@router.get("/facilities/templates/dataset.xlsx")
def dataset_template(request: Request, user: PageUser) -> Response:
    """The blank dataset workbook (profile and every performance table), with drop-downs; its
    guidance sheet and cell prompts in the reader's language."""
    return _workbook("dataset", language(request))


@router.get("/facilities/templates/profile.xlsx")
def profile_template(request: Request, user: PageUser) -> Response:
    """The blank facility profile workbook, with drop-downs, its guidance in the reader's
    language."""
    return _workbook("profile", language(request))


def _workbook(kind: str, lang: str) -> Response:
    return Response(
        template_for(kind, lang),
        media_type=XLSX,
        headers={"content-disposition": attachment_disposition(f"factory-journey-{kind}.xlsx")},
    )
