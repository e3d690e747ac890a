"""The brand analyst's pages: the portfolio (filters, sort, benchmarks, exports) and the access
requests an organisation sends. Every rule is in the services (portfolio_view,
portfolio_benchmarks, access_requests); these handlers read the request and render."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import access_requests
from factory_journey.services.platform.errors import Forbidden, InvalidInput
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.services.platform.portfolio_benchmarks import benchmark_charts
from factory_journey.services.platform.portfolio_view import (
    AREAS,
    FACTORY_TYPES,
    LEVELS,
    SORTS,
    export,
    parse_filter,
    portfolio_view,
)
from factory_journey.web.deps import RowId, SessionDep
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

router = APIRouter()
AREA = "portfolio"
BRAND = frozenset({"brand"})
#: Organisations that ask factories for access (access_requests / policy "access.request").
REQUESTERS = frozenset({"brand", "programme", "park_operator", "verifier"})

NAVIGATION = (
    NavItem(AREA, N_("Portfolio"), "/portfolio", kinds=BRAND),
    NavItem(AREA, N_("Request access"), "/access", kinds=REQUESTERS),
)
HOMES = {"brand": "/portfolio"}

AREA_NAMES = {
    "energy": N_("Energy"),
    "water": N_("Water"),
    "wastewater": N_("Wastewater"),
    "chemicals": N_("Chemicals"),
    "ems": N_("Environmental management"),
    "waste": N_("Waste"),
    "air": N_("Air emissions"),
}
LEVEL_NAMES = {"high": N_("High"), "low": N_("Low"), "not_assessed": N_("Not assessed")}
TYPE_NAMES = {
    "cut_sew": N_("Cut and sew"),
    "mill": N_("Mill"),
    "vertical": N_("Vertical"),
    "component": N_("Component and trim"),
    "raw_material": N_("Raw material processing"),
}
SORT_NAMES = {
    "name": N_("Name"),
    "country": N_("Country"),
    "type": N_("Factory type"),
    "year": N_("Year"),
    "high": N_("High opportunities"),
}
SCOPE_NAMES = {
    "assessment": N_("Assessment"),
    "matrix": N_("Assessment and data matrix"),
    "full": N_("Everything, with submissions and evidence"),
}
STATUS_NAMES = {
    "pending": N_("Waiting for the factory"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
FIELD_NAMES = {
    "country": N_("Country"),
    "type": N_("Factory type"),
    "area": N_("Impact area"),
    "level": N_("Level"),
    "verified": N_("Verified"),
    "year": N_("Year"),
    "sort": N_("Sort by"),
    "order": N_("Order"),
}


def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


def _brand_only(user: PageUser) -> None:
    if user.organisation_kind not in BRAND:
        raise Forbidden("the portfolio pages are for brands")


@router.get("/portfolio")
def portfolio_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    """The facilities shared with the brand, filtered and sorted, with benchmarks."""
    _brand_only(user)
    t = translator(request, AREA)
    chosen, problems = parse_filter(_params(request))
    view = portfolio_view(session, user, chosen)
    charts = benchmark_charts(view, page_language(request))
    query = urlencode(chosen.query())
    errors = {
        p.field: t("{field}: “{value}” is not accepted. Accepted: {accepted}",
                   field=t(FIELD_NAMES.get(p.field, p.field)), value=p.value,
                   accepted=p.accepted)
        for p in problems
    }
    context = {
        "view": view,
        "filter": chosen,
        "charts": charts,
        "errors": errors,
        "query": query,
        "areas": [(a, AREA_NAMES[a]) for a in AREAS],
        "levels": [(v, LEVEL_NAMES[v]) for v in LEVELS],
        "types": [(v, TYPE_NAMES[v]) for v in FACTORY_TYPES],
        "sorts": [(s, SORT_NAMES.get(s) or AREA_NAMES[s]) for s in SORTS],
        "level_names": LEVEL_NAMES,
        "type_names": TYPE_NAMES,
        "scope_names": SCOPE_NAMES,
    }
    # htmx asks for the results only, except when it restores a page from history.
    partial = bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "portfolio/results.html.j2" if partial else "portfolio/portfolio.html.j2"
    # 200 even with a refused value: the page shows what it could and names what it left out
    # (htmx swaps in 2xx answers only).
    response = render(request, template, context)
    response.headers["Vary"] = "HX-Request"
    return response


def _export(request: Request, user: PageUser, session: SessionDep, kind: str) -> Response:
    _brand_only(user)
    chosen, _problems = parse_filter(_params(request))
    body, media = export(session, user, chosen, kind)
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="portfolio.{kind}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/portfolio/export.csv")
def export_csv(request: Request, user: PageUser, session: SessionDep) -> Response:
    """Exactly the rows the portfolio page shows with the same filter, as CSV."""
    return _export(request, user, session, "csv")


@router.get("/portfolio/export.xlsx")
def export_xlsx(request: Request, user: PageUser, session: SessionDep) -> Response:
    """Exactly the rows the portfolio page shows with the same filter, as an Excel workbook."""
    return _export(request, user, session, "xlsx")


def _requests_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    sent_now: bool = False,
) -> Response:
    may_ask = allowed_in_organisation("access.request", user.organisation_kind, user.role)
    if not may_ask:
        raise Forbidden("only brands, programmes, park operators and verifiers ask for access")
    return render(
        request,
        "portfolio/access.html.j2",
        {
            "sent": access_requests.sent(session, user),
            "values": values or {"query": "", "scope": "assessment", "message": ""},
            "errors": errors or {},
            "scopes": list(SCOPE_NAMES.items()),
            "status_names": STATUS_NAMES,
            "scope_names": SCOPE_NAMES,
            "sent_now": sent_now,
        },
        status_code,
    )


@router.get("/access")
def access_page(request: Request, user: PageUser, session: SessionDep, sent: int = 0) -> Response:
    """Ask a factory for access, and the requests the organisation sent."""
    return _requests_page(request, user, session, sent_now=bool(sent))


@router.post("/access")
def send_access_request(
    request: Request, user: PageUser, session: SessionDep, form: CsrfForm
) -> Response:
    t = translator(request, AREA)
    values = {
        "query": str(form.get("query", "")),
        "scope": str(form.get("scope", "assessment")),
        "message": str(form.get("message", "")),
    }
    errors: dict[str, str] = {}
    if not values["query"].strip():
        errors["query"] = t("Enter the facility's Open Supply Hub ID or its name.")
    if values["scope"] not in SCOPE_NAMES:
        errors["scope"] = t("Choose what you ask to see.")
    if not errors:
        try:
            access_requests.request_access(
                session, user, values["query"], values["scope"], values["message"]
            )
        except InvalidInput as error:
            field = error.message.split(":", 1)[0]
            key = field if field in ("query", "scope", "message") else "query"
            errors[key] = t("Not sent: {reason}", reason=error.message)
        else:
            return redirect("/access?sent=1")
    return _requests_page(request, user, session, values, errors, 400)


@router.post("/access/{request_id}/withdraw")
def withdraw_access_request(
    request_id: RowId, user: PageUser, session: SessionDep, _form: CsrfForm
) -> Response:
    access_requests.withdraw(session, user, request_id)
    return redirect("/access")
