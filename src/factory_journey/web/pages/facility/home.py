"""The factory home page (each facility and year: complete, missing, failed validation), one
facility's page, and the history of its submissions with what changed between two versions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import facilities
from factory_journey.services.platform.completeness import (
    AREA_TABLES,
    facility_years,
    organisation_status,
)
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.services.platform.facility_rights import (
    facility_rights,
    may_see_cohorts,
    may_upload,
    reports_own_facilities,
)
from factory_journey.services.platform.facility_search import MAX_QUERY, facility_query
from factory_journey.services.platform.submission_diff import compare_versions
from factory_journey.web.deps import SessionDep
from factory_journey.web.pages.facility.common import STYLES
from factory_journey.web.pages.shell import N_, PageUser, render

router = APIRouter()

#: Facilities per page of the home page.
PAGE_SIZE = 20

AREA_NAMES = {
    "energy": N_("Energy"),
    "water": N_("Water"),
    "wastewater": N_("Wastewater"),
    "chemicals": N_("Chemicals"),
    "ems": N_("Environmental management"),
    "waste": N_("Waste"),
    "air": N_("Air emissions"),
}
STATUS_NAMES = {
    "complete": N_("Complete"),
    "partial": N_("Partly reported"),
    "missing": N_("Missing"),
}
assert set(AREA_NAMES) == set(AREA_TABLES)


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


@router.get("/facilities")
def home(
    request: Request,
    user: PageUser,
    session: SessionDep,
    page: str | None = None,
    q: str | None = None,
    country: str | None = None,
) -> Response:
    """Each facility of the organisation and each year: complete, partly reported, missing;
    and the uploads that failed since the last one that worked. `q` (a part of a name or an
    id) and `country` narrow the list (`facility_search`). A member of an organisation that
    reports no facility of its own (a programme, a brand …) is pointed to its own pages."""
    query = facility_query(q, country)
    status = organisation_status(session, user, _page_number(page), PAGE_SIZE, query)
    return render(request, "facility/home.html.j2", {
        "styles": STYLES,
        "status": status,
        "max_query": MAX_QUERY,
        "area_names": AREA_NAMES,
        "status_names": STATUS_NAMES,
        "may_upload": may_upload(user),
        "reports_own": reports_own_facilities(user),
        "programme": may_see_cohorts(user),
    })


@router.get("/facilities/{facility_id}")
def facility_page(
    request: Request, facility_id: str, user: PageUser, session: SessionDep
) -> Response:
    """One facility: what this person may open (assessment, history, sharing) and, for its
    owner, the state of each year."""
    rights = facility_rights(session, user, facility_id)
    years = facility_years(session, facility_id) if rights.may("submission.read") else ()
    return render(request, "facility/facility.html.j2", {
        "styles": STYLES,
        "facility": rights.facility,
        "rights": rights,
        "years": years,
        "area_names": AREA_NAMES,
        "status_names": STATUS_NAMES,
        "may_upload": rights.relation == "owner" and may_upload(user),
    })


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 7 else None


@router.get("/facilities/{facility_id}/history")
def history(
    request: Request,
    facility_id: str,
    user: PageUser,
    session: SessionDep,
    year: str | None = None,
    old: str | None = None,
    new: str | None = None,
) -> Response:
    """Every submission version of every year; with `year`, `old` and `new`, what changed."""
    rights = facility_rights(session, user, facility_id)
    versions = facilities.submissions(session, user, facility_id)  # needs submission.read
    by_year: dict[int, list[object]] = {}
    for submission in versions:
        by_year.setdefault(submission.year, []).append(submission)
    chosen_year, old_v, new_v = _version(year), _version(old), _version(new)
    diff, refused = None, None
    if chosen_year is not None and old_v is not None and new_v is not None:
        try:
            diff = compare_versions(session, user, facility_id, chosen_year, old_v, new_v)
        except InvalidInput as error:
            refused = error.message
    return render(request, "facility/history.html.j2", {
        "styles": STYLES,
        "facility": rights.facility,
        "by_year": sorted(by_year.items(), reverse=True),
        "diff": diff,
        "refused": refused,
        "chosen": {"year": chosen_year, "old": old_v, "new": new_v},
    })
