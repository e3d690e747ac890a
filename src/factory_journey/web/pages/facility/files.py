"""Blank templates to download and the guidance of every table and column."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.dataset_guidance import dataset_guide
from factory_journey.services.dataset_template import KINDS, template_xlsx
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.web.pages.shell import PageUser, render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/facilities/guidance")
def guidance(request: Request, user: PageUser) -> Response:
    """What every table and column accepts; upload problems link to its anchors."""
    return render(request, "facility/guidance.html.j2", {"tables": dataset_guide(),
                                                          "kinds": KINDS})


@router.get("/facilities/templates/{kind}.xlsx")
def template(kind: str, user: PageUser) -> Response:
    """The blank `profile` or `dataset` workbook, with drop-down lists."""
    if kind not in KINDS:
        raise NotFound(f"no template {kind!r}")
    return Response(
        template_xlsx(kind),
        media_type=XLSX,
        headers={"content-disposition": attachment_disposition(f"factory-journey-{kind}.xlsx")},
    )
