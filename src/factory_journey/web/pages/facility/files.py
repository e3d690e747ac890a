"""Blank templates to download and the guidance of every table and column."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.dataset_guidance import dataset_guide
from factory_journey.services.dataset_template import KINDS, template_xlsx
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.web.pages.shell import PageUser, render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/facilities/guidance")
def guidance(request: Request, user: PageUser) -> Response:
    """What every table and column accepts; upload problems link to its anchors."""
    return render(request, "facility/guidance.html.j2", {"tables": dataset_guide(),
                                                          "kinds": KINDS})


@router.get("/facilities/templates/dataset.xlsx")
def dataset_template(user: PageUser) -> Response:
    """The blank dataset workbook (profile and every performance table), with drop-downs."""
    return _workbook("dataset")


@router.get("/facilities/templates/profile.xlsx")
def profile_template(user: PageUser) -> Response:
    """The blank facility profile workbook, with drop-downs."""
    return _workbook("profile")


def _workbook(kind: str) -> Response:
    return Response(
        template_xlsx(kind),
        media_type=XLSX,
        headers={"content-disposition": attachment_disposition(f"factory-journey-{kind}.xlsx")},
    )
