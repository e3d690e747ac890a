"""The park pages (#16): the parks a person may see, and one park's year — its totals with
their parts, the framework's pillar scores and every requirement with what decided it, the
members' standing, the shared facilities and the collective improvement plan. The park operator
sees its parks whole; a member factory's organisation reads its parks, with only its own
factories' standing and share of the plan.

Everything shown comes from `services.park_pages`; this module only picks words and formats.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services import park_pages
from factory_journey.services.platform.errors import NotFound
from factory_journey.web.deps import SessionDep
from factory_journey.web.pages.errors import error_page
from factory_journey.web.pages.shell import N_, NavItem, PageUser, page_language, render

router = APIRouter()
AREA = "park"

NAVIGATION = (NavItem(AREA, N_("Parks"), "/parks",
                      kinds=frozenset({"park_operator", "factory_group"})),)
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
    return render(request, "park/list.html.j2", {"parks": parks, **WORDS})


@router.get("/parks/{park_id}")
def park(request: Request, park_id: str, user: PageUser, session: SessionDep,
         year: int | None = None) -> Response:
    try:
        page = park_pages.park_page(session, user, park_id, year, page_language(request))
    except NotFound:
        return error_page(request, 404)
    return render(request, "park/park.html.j2", {"page": page, **WORDS})
