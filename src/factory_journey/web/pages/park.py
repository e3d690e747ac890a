"""The park pages (#16): the parks a person may see, and one park's year — its totals with
their parts, the framework's pillar scores and every requirement with what decided it, the
members' standing, the shared facilities and the collective improvement plan. The park operator
sees its parks whole; a member factory's organisation reads its parks, with only its own
factories' standing and share of the plan.

The operator's admins and editors also upload the park dataset here (its located problems
shown as the factory upload shows them), download the blank park workbook, and every role of
the operator downloads the park's PDF report.

Everything shown comes from `services.park_pages` and `services.park_files` (who may do what
is decided there); this module only picks words and formats.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from factory_journey.services import park_files, park_pages
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.web.deps import SessionDep
from factory_journey.web.pages.errors import error_page
from factory_journey.web.pages.shell import (
    N_,
    CsrfForm,
    NavItem,
    PageUser,
    page_language,
    redirect,
    render,
    translator,
)
from factory_journey.web.uploads import read_at_most

router = APIRouter()
AREA = "park"

NAVIGATION = (NavItem(AREA, N_("Parks"), "/parks",
                      kinds=frozenset({"park_operator", "factory_group"})),
              NavItem(AREA, N_("Upload park data"), "/parks/upload",
                      kinds=frozenset({"park_operator"}), roles=frozenset({"admin", "editor"})))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOMES = {"park_operator": "/parks"}

#: Words for the values the pages show (messages of this area's catalogues).
INDICATORS = {
    "members": N_("Member factories"),
    "members_assessed_share": N_("Members assessed"),
    "employees": N_("Workers"),
    "energy_total_mj": N_("Energy used (MJ)"),
    "renewable_share": N_("Renewable energy"),
    "ghg_kgco2e": N_("Greenhouse gases, scope 1 and 2 (kgCO2e)"),
    "water_withdrawal_m3": N_("Fresh water withdrawn (m³)"),
    "water_recycled_reused_share": N_("Water recycled or reused"),
    "wastewater_m3": N_("Wastewater (m³)"),
    "waste_total_kg": N_("Waste (kg)"),
    "waste_diversion_share": N_("Waste kept from landfill and burning"),
    "members_zdhc_green_share": N_("Tested members passing ZDHC limits"),
    "central_plant_zdhc_pass": N_("Central effluent plant passes ZDHC limits"),
}
SHARES = frozenset({"members_assessed_share", "renewable_share", "water_recycled_reused_share",
                    "waste_diversion_share", "members_zdhc_green_share"})
YES_NO = frozenset({"central_plant_zdhc_pass"})
PILLARS = {
    "park_management": N_("Park management"),
    "environment": N_("Environment"),
    "social": N_("Social"),
    "economic": N_("Economic"),
    "vn_decree_35": N_("Viet Nam: Decree 35/2022 eco-industrial park criteria"),
}
RESULTS = {
    "met": N_("Met"),
    "partly_met": N_("Partly met"),
    "not_met": N_("Not met"),
    "not_assessed": N_("Not assessed"),
}
STATUS = {
    "green": N_("Green: every tested substance passes"),
    "yellow": N_("Yellow: a failure, with a corrective action plan"),
    "red": N_("Red: a failure, without a corrective action plan"),
    "not_tested": N_("Not tested"),
}
AREAS = {
    "energy": N_("Energy"), "water": N_("Water"), "wastewater": N_("Wastewater"),
    "chemicals": N_("Chemicals"), "ems": N_("Environmental management"), "waste": N_("Waste"),
    "air": N_("Air"),
}
RELATIONS = {"operator": N_("Operator"), "member": N_("Member factory (read-only)")}
SPLITS = {
    "metered": N_("Metered share"), "volume": N_("Volume"), "production": N_("Production"),
    "equal": N_("Equal"), "headcount": N_("Headcount"),
}
WORDS = {
    "indicators": INDICATORS, "shares": SHARES, "yes_no": YES_NO, "pillars": PILLARS,
    "results": RESULTS, "status": STATUS, "areas": AREAS, "relations": RELATIONS,
    "splits": SPLITS,
}


@router.get("/parks")
def park_list(request: Request, user: PageUser, session: SessionDep) -> Response:
    parks = park_pages.park_list(session, user)
    return render(request, "park/list.html.j2", {
        "parks": parks, "may_upload": park_files.may_give_park_data(user), **WORDS})


def _upload_form(request: Request, outcome: park_files.ParkUploadOutcome | None = None,
                 error: str = "", status: int = 200) -> Response:
    return render(request, "park/upload.html.j2", {
        "outcome": outcome,
        "errors": {"file": error} if error else {},
        "suffixes": park_files.PARK_SUFFIXES,
        "max_mb": park_files.MAX_PARK_UPLOAD_BYTES // 1_000_000,
    }, status_code=status)


@router.get("/parks/upload")
def upload_form(request: Request, user: PageUser) -> Response:
    park_files.check_park_writer(user)  # others are told they may not, before choosing a file
    return _upload_form(request)


@router.post("/parks/upload")
def upload(request: Request, user: PageUser, form: CsrfForm, session: SessionDep) -> Response:
    """Keep, assess and record the park dataset, then show the (first) park it holds; or
    the form again with why nothing was recorded and every problem located."""
    park_files.check_park_writer(user)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        t = translator(request, AREA)
        return _upload_form(request, error=t("Choose a file to upload."), status=400)
    content = read_at_most(file, park_files.MAX_PARK_UPLOAD_BYTES + 1)  # type: ignore[arg-type]
    outcome = park_files.upload_park_dataset(session, user, file.filename, content)
    if not outcome.succeeded:
        return _upload_form(request, outcome, status=422)
    session.commit()
    # the park page says what was saved (read again from the stored assessment)
    return redirect(f"/parks/{quote(outcome.parks[0], safe='')}?saved={outcome.assessment_id}")


@router.get("/parks/templates/park-dataset.xlsx")
def park_template(request: Request, user: PageUser) -> Response:
    """The blank park workbook of `journey park template`, its guidance and cell messages in
    the reader's language."""
    return Response(park_files.park_template_xlsx(user, page_language(request)),
                    media_type=XLSX, headers={
        "content-disposition": attachment_disposition(park_files.park_template_name())})


@router.get("/parks/{park_id}")
def park(request: Request, park_id: str, user: PageUser, session: SessionDep,
         year: int | None = None, saved: str | None = None) -> Response:
    """One park's year; with `saved` (the assessment an upload just stored), what it saved."""
    try:
        page = park_pages.park_page(session, user, park_id, year, page_language(request))
    except NotFound:
        return error_page(request, 404)
    return render(request, "park/park.html.j2", {
        "page": page, "may_upload": park_files.may_give_park_data(user),
        "saved": park_files.saved_park_dataset(session, user, saved), **WORDS})


@router.get("/parks/{park_id}/report.pdf")
def park_report(request: Request, park_id: str, user: PageUser, session: SessionDep,
                year: int | None = None) -> Response:
    """The park's PDF report (`journey park report`'s) in the reader's language."""
    try:
        content, name = park_files.park_report_pdf(session, user, park_id,
                                                   page_language(request), year)
    except NotFound:
        return error_page(request, 404)
    return Response(content, media_type="application/pdf",
                    headers={"content-disposition": attachment_disposition(name)})
