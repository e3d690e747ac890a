"""Public open-data pages (#17): search and facility profiles, without sign-in.

Both read only the published snapshots, through the same services as the public API
(`services.open_data.public_read`, `releases`), so a page can show nothing the API would not.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from factory_journey.services.open_data import public_read, releases
from factory_journey.web.deps import PRINTABLE, FacilityId, SessionDep
from factory_journey.web.pages.shell import N_, NavItem, render

router = APIRouter()
AREA = "public"

NAVIGATION = (NavItem(AREA, N_("Open data"), "/open-data"),)

#: Words for the indicator groups, verification and discharge statuses (this catalogue).
GROUP_NAMES = {
    "energy": N_("Energy"),
    "ghg": N_("Greenhouse gases"),
    "water": N_("Water"),
    "wastewater": N_("Wastewater"),
    "waste": N_("Waste"),
    "air": N_("Air emissions"),
    "chemicals": N_("Chemicals"),
    "ems": N_("Environmental management"),
}
VERIFICATION_NAMES = {
    "verified": N_("Verified"),
    "partly verified": N_("Partly verified"),
    "self-reported": N_("Self-reported"),
}
DISCHARGE_NAMES = {
    "green": N_("Green: every tested substance passes"),
    "yellow": N_("Yellow: a failure, with a corrective action plan filed"),
    "red": N_("Red: a failure, without a corrective action plan"),
    None: N_("Not tested"),
}
Text = Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)]
PAGE_SIZE = 20


@router.get("/open-data")
def search_page(
    request: Request,
    session: SessionDep,
    q: Text = None,
    country: Annotated[str | None, Query(pattern=r"^([A-Za-z]{2})?$")] = None,
    park: Text = None,
    os_hub_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{0,15}$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Published facilities by name, country, park or Open Supply Hub id; the downloads."""
    found = public_read.search_document(
        session, q or None, country or None, park or None, os_hub_id or None, page, PAGE_SIZE
    )
    listing = releases.release_list(session)
    values = {"q": q or "", "country": country or "", "park": park or "",
              "os_hub_id": os_hub_id or ""}
    query = "&".join(f"{k}={v}" for k, v in values.items() if v)
    return render(
        request,
        "public/search.html.j2",
        {
            "found": found,
            "values": values,
            "pages": -(-found["total"] // PAGE_SIZE),
            "query": query,
            "latest": listing["releases"][0] if listing["releases"] else None,
        },
    )


@router.get("/open-data/facilities/{facility_id}")
def facility_page(facility_id: FacilityId, request: Request, session: SessionDep) -> Response:
    """A published facility's profile: values by year, units, verification, discharge."""
    document = public_read.profile_document(session, "facility", facility_id)
    return render(
        request,
        "public/facility.html.j2",
        {
            "facility": document,
            "group_names": GROUP_NAMES,
            "verification_names": VERIFICATION_NAMES,
            "discharge_names": DISCHARGE_NAMES,
        },
    )
