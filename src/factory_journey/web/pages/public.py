"""Public open-data pages (#17): search, facility and park profiles, without sign-in.

Both read only the published snapshots, through the same services as the public API
(`services.open_data.public_read`, `releases`), so a page can show nothing the API would not.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from factory_journey.services.open_data import labels, public_parks, public_read, releases
from factory_journey.web.deps import PRINTABLE, FacilityId, ParkId, SessionDep
from factory_journey.web.pages.shell import N_, NavItem, page_language, render, translator
from factory_journey.web.public_cache import shared

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
    "park_indicators": N_("Park indicators"),
    "shared_facilities": N_("Shared facilities"),
    "requirement_results": N_("Requirement results"),
    "pillar_scores": N_("Pillar scores"),
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
#: Words for a park requirement's result (its `value_text`).
RESULT_NAMES = {
    "met": N_("Met"),
    "partly_met": N_("Partly met"),
    "not_met": N_("Not met"),
    "not_assessed": N_("Not assessed"),
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
    query = public_read.SearchQuery(
        q or None, country or None, park or None, os_hub_id or None, page, PAGE_SIZE
    )
    # The API's body of the same search, rendered once per state of what is published.
    found = json.loads(public_read.search(session, query).content)
    listing = releases.release_list(session)
    parks = json.loads(public_parks.park_search(
        session, public_parks.ParkQuery(q or park or None, country or None, 1, PAGE_SIZE)
    ).content) if not os_hub_id else {"total": 0, "items": []}
    values = {"q": q or "", "country": country or "", "park": park or "",
              "os_hub_id": os_hub_id or ""}
    query = "&".join(f"{k}={v}" for k, v in values.items() if v)
    return render(
        request,
        "public/search.html.j2",
        {
            "found": found,
            "parks": parks,
            "values": values,
            "pages": -(-found["total"] // PAGE_SIZE),
            "query": query,
            "latest": listing["releases"][0] if listing["releases"] else None,
        },
    )


#: The tables of values of a profile, as HTML, by (snapshot ETag, language): a published
#: snapshot never changes, and formatting a few hundred numbers per request costs tens of ms.
_TABLES: OrderedDict[tuple[str, str], Markup] = OrderedDict()
_TABLES_LOCK = threading.Lock()
_TABLES_SIZE = 512


def _shown(item: dict[str, Any], fmt: Any, t: Any) -> str:
    """A value as the page shows it: shares in %, flags in words, numbers in the locale."""
    value, unit = item["value"], item["unit"]
    if value is None:
        return str(item["value_text"] or "")
    if unit in ("share", "share 0-1"):
        return str(fmt.percent(value, 1))
    if unit == "bool":
        return str(t("Yes") if value else t("No"))
    whole = abs(value) >= 100 or unit in ("count", "0/1")  # a park's counts and flags
    return str(fmt.number(value, 0 if whole else 2))


def _cell(item: dict[str, Any], fmt: Any, t: Any) -> str:
    """A value's cell: a park requirement's result in words, with the value it tested."""
    if item["group"] != "requirement_results":
        return _shown(item, fmt, t)
    result = t(RESULT_NAMES.get(item["value_text"], N_("Not assessed")))
    if item["value"] is None:
        return str(result)
    return f"{result} ({_shown({**item, 'value_text': None}, fmt, t)})"


def _indicator(item: dict[str, Any], lang: str, t: Any) -> Markup:
    """An indicator's cell: its name in the reader's language (services.open_data.labels),
    with the id the JSON and the downloads use under it; the id alone when it has no name."""
    code = Markup('<code class="indicator-id">{}</code>').format(item["indicator"])
    name = labels.value_label(item["group"], item["indicator"], lang, t)
    if not name:
        return code
    return Markup('<span class="indicator-name">{}</span> {}').format(name, code)


def year_tables(request: Request, etag: str, document: dict[str, Any]) -> Markup:
    """The profile's values, one table per year, in the request's language (cached)."""
    lang = page_language(request)
    key = (etag, lang)
    with _TABLES_LOCK:
        found = _TABLES.get(key)
    if found is not None:
        return found
    tr = translator(request, AREA)
    t = tr.gettext
    head = "".join(
        f'<th scope="col"{cls}>{escape(t(label))}</th>'
        for label, cls in (
            (N_("Group"), ""), (N_("Indicator"), ""), (N_("Value"), ' class="number"'),
            (N_("Unit"), ""), (N_("Verification"), ""),
        )
    )
    parts = []
    for year in document["years"]:
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td class=\"number\">{}</td><td>{}</td><td>{}</td></tr>"
            .format(
                escape(t(GROUP_NAMES[item["group"]])),
                _indicator(item, lang, t),
                escape(_cell(item, tr, t)),
                escape("%" if item["unit"] in ("share", "share 0-1") else item["unit"]),
                escape(t(VERIFICATION_NAMES[item["verification_status"]])),
            )
            for item in year["values"]
        )
        parts.append(
            f'<h2>{year["year"]}</h2>\n<div class="table-wrap" tabindex="0" role="region" '
            f'aria-label="{year["year"]}">\n<table>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>{rows}</tbody>\n</table>\n</div>\n"
        )
    tables = Markup("".join(parts))
    with _TABLES_LOCK:
        _TABLES[key] = tables
        while len(_TABLES) > _TABLES_SIZE:
            _TABLES.popitem(last=False)
    return tables


@router.get("/open-data/facilities/{facility_id}")
def facility_page(facility_id: FacilityId, request: Request, session: SessionDep) -> Response:
    """A published facility's profile: values by year, units, verification, discharge."""
    body = public_read.profile(session, "facility", facility_id)
    document = json.loads(body.content)
    # Shared by signed-out readers until what is published changes (web/public_cache.py).
    return shared(render(
        request,
        "public/facility.html.j2",
        {
            "facility": document,
            "year_tables": year_tables(request, body.etag, document),
            "discharge_names": DISCHARGE_NAMES,
        },
    ))


@router.get("/open-data/parks/{park_id}")
def park_page(park_id: ParkId, request: Request, session: SessionDep) -> Response:
    """A published park's profile: its indicators, shared facilities and the discharge status
    of its central effluent plant, requirement results and pillar scores by year, and the
    members that published themselves."""
    body = public_parks.park_profile(session, park_id)
    document = json.loads(body.content)
    # Shared by signed-out readers until what is published changes (web/public_cache.py).
    return shared(render(
        request,
        "public/park.html.j2",
        {
            "park": document,
            "year_tables": year_tables(request, body.etag, document),
            "discharge_names": DISCHARGE_NAMES,
        },
    ))
