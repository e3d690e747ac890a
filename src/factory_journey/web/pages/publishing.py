"""Open-data consent pages (#17): a facility admin's, and a park operator's for its park's
park-level data: what to publish, from when, under which licence; publish, change, withdraw.
The rules are in `services.open_data.publish` and `park_publish`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.open_data import park_publish, publish
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.web.deps import FacilityId, ParkId, SessionDep
from factory_journey.web.pages.public import GROUP_NAMES
from factory_journey.web.pages.shell import CsrfForm, PageUser, redirect, render, translator

router = APIRouter()
AREA = "publishing"


def _page(
    request: Request,
    state: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    in_public = translator(request, "public")
    park = "park_id" in state
    subject = state["park_id"] if park else state["facility_id"]
    return render(
        request,
        "publishing/consent.html.j2",
        {
            "kind": "park" if park else "facility",
            "subject": subject,
            "base": f"/parks/{subject}/publishing" if park
            else f"/facilities/{subject}/publishing",
            "public_url": f"/open-data/parks/{subject}" if park
            else f"/open-data/facilities/{subject}",
            "state": state,
            "values": values,
            "errors": errors,
            # The groups' names are the public pages' words (one catalogue for them).
            "group_names": {g: in_public(name) for g, name in GROUP_NAMES.items()},
            "saved": request.query_params.get("saved"),
        },
        status,
    )


def _current_values(state: dict[str, Any]) -> dict[str, Any]:
    consent = state["consent"]
    if consent is None:
        return {"groups": [], "years": [], "effective_from": "", "licence": ""}
    return {
        "groups": consent["groups"],
        "years": consent["years"],
        "effective_from": consent["effective_from"][:10],
        "licence": consent["licence_id"],
    }


@router.get("/facilities/{facility_id}/publishing")
def consent_page(
    facility_id: FacilityId, request: Request, session: SessionDep, user: PageUser
) -> Response:
    state = publish.state(session, user, facility_id)
    return _page(request, state, _current_values(state), {})


@router.post("/facilities/{facility_id}/publishing")
def publish_form(
    facility_id: FacilityId, request: Request, form: CsrfForm, session: SessionDep,
    user: PageUser,
) -> Response:
    return _submit(request, form, session, user, publish, facility_id,
                   f"/facilities/{facility_id}/publishing")


def _submit(request: Request, form: Any, session: Any, user: Any, service: ModuleType,
            subject_id: str, base: str) -> Response:
    """Publish what the form says with `service` (publish or park_publish); the page again
    with what was typed and each error by its field, or a redirect when saved."""
    t = translator(request, AREA)
    groups = [str(g) for g in form.getlist("groups")]
    years_text = [str(y) for y in form.getlist("years")]
    start_text = str(form.get("effective_from", "")).strip()
    licence = str(form.get("licence", "")).strip() or None
    values = {"groups": groups, "years": [int(y) for y in years_text if y.isdigit()],
              "effective_from": start_text, "licence": licence or ""}
    errors: dict[str, str] = {}
    start = None
    if start_text:
        try:
            start = datetime.combine(date.fromisoformat(start_text), datetime.min.time(), UTC)
        except ValueError:
            errors["effective_from"] = t("Give the date as YYYY-MM-DD, e.g. 2027-01-31.")
    if not groups:
        errors["groups"] = t("Choose at least one group of indicators to publish.")
    if any(not y.isdigit() or not 1900 <= int(y) <= 2100 for y in years_text):
        errors["years"] = t("Choose years from the list.")
    if not errors:
        try:
            service.publish(session, user, subject_id, groups, values["years"], start, licence)
        except InvalidInput as error:
            errors["form"] = error.message
        else:
            return redirect(f"{base}?saved=published")
    state = service.state(session, user, subject_id)
    return _page(request, state, values, errors, 422)


@router.post("/facilities/{facility_id}/publishing/withdraw")
def withdraw_form(
    facility_id: FacilityId, request: Request, _form: CsrfForm, session: SessionDep,
    user: PageUser,
) -> Response:
    publish.withdraw(session, user, facility_id)
    return redirect(f"/facilities/{facility_id}/publishing?saved=withdrawn")


@router.get("/parks/{park_id}/publishing")
def park_consent_page(
    park_id: ParkId, request: Request, session: SessionDep, user: PageUser
) -> Response:
    """The park operator's consent page for its park's park-level data."""
    state = park_publish.state(session, user, park_id)
    return _page(request, state, _current_values(state), {})


@router.post("/parks/{park_id}/publishing")
def park_publish_form(
    park_id: ParkId, request: Request, form: CsrfForm, session: SessionDep,
    user: PageUser,
) -> Response:
    return _submit(request, form, session, user, park_publish, park_id,
                   f"/parks/{park_id}/publishing")


@router.post("/parks/{park_id}/publishing/withdraw")
def park_withdraw_form(
    park_id: ParkId, request: Request, _form: CsrfForm, session: SessionDep,
    user: PageUser,
) -> Response:
    park_publish.withdraw(session, user, park_id)
    return redirect(f"/parks/{park_id}/publishing?saved=withdrawn")
