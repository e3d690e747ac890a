"""Sharing a facility: find an organisation by name or Open Supply Hub ID, grant it a scope,
revoke a grant (the facility's admins). Incoming access requests have a slot of their own on
the page (`requests`), filled by the brand pages' work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import sharing
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.directory import find_organisations, grant_lines
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.services.platform.facility_rights import facility_rights
from factory_journey.store.models import GRANT_SCOPES
from factory_journey.web.deps import RowId, SessionDep
from factory_journey.web.pages.facility.common import STYLES, tr
from factory_journey.web.pages.shell import N_, CsrfForm, PageUser, redirect, render

router = APIRouter()

SCOPE_NAMES = {
    "assessment": N_("Assessment only"),
    "matrix": N_("Assessment and Data Matrix"),
    "full": N_("Everything, with submissions and evidence"),
}
KIND_NAMES = {
    "brand": N_("Brand"),
    "programme": N_("Programme"),
    "park_operator": N_("Industrial park"),
    "verifier": N_("Verifier"),
    "factory_group": N_("Factory"),
}
DONE = {"granted": N_("Access granted."), "revoked": N_("Access revoked.")}
assert set(SCOPE_NAMES) == set(GRANT_SCOPES)


def _page(
    request: Request, user: PageUser, session: SessionDep, facility_id: str, query: str,
    values: dict[str, str], errors: dict[str, str], done: str | None = None, status: int = 200,
) -> Response:
    rights = facility_rights(session, user, facility_id)
    lines = grant_lines(session, user, facility_id)  # needs sharing.read
    hits = find_organisations(session, user, query) if query else []
    return render(request, "facility/sharing.html.j2", {
        "styles": STYLES,
        "facility": rights.facility,
        "grants": lines,
        "query": query,
        "hits": hits,
        "searched": bool(query),
        "values": values,
        "errors": errors,
        "done": DONE.get(done or ""),
        "scope_names": SCOPE_NAMES,
        "kind_names": KIND_NAMES,
    }, status_code=status)


@router.get("/facilities/{facility_id}/sharing")
def sharing_page(
    request: Request, facility_id: str, user: PageUser, session: SessionDep,
    q: str = "", done: str = "",
) -> Response:
    return _page(request, user, session, facility_id, q.strip()[:200], {}, {}, done)


@router.post("/facilities/{facility_id}/sharing/grant")
def grant(
    request: Request, facility_id: str, user: PageUser, form: CsrfForm, session: SessionDep
) -> Response:
    t = tr(request)
    organisation = str(form.get("organisation_id", ""))
    scope = str(form.get("scope", ""))
    query = str(form.get("q", ""))[:200]
    values = {"organisation_id": organisation, "scope": scope}
    errors: dict[str, str] = {}
    if not organisation.isdigit():
        errors["organisation_id"] = t("Choose the organisation to share with.")
    if scope not in GRANT_SCOPES:
        errors["scope"] = t("Choose what to share.")
    # Asked first, so that what the grant refuses below can only be about its organisation.
    authorise(session, user, "sharing.manage", facility_id)
    if not errors:
        try:
            sharing.grant(session, user, facility_id, int(organisation), scope)
        except (InvalidInput, NotFound) as error:
            errors["organisation_id"] = error.message
        else:
            session.commit()
            return redirect(f"/facilities/{facility_id}/sharing?done=granted")
    return _page(request, user, session, facility_id, query, values, errors, status=400)


@router.post("/facilities/{facility_id}/sharing/{grant_id}/revoke")
def revoke(
    facility_id: str, grant_id: RowId, user: PageUser, _form: CsrfForm, session: SessionDep
) -> Response:
    sharing.revoke(session, user, facility_id, grant_id)
    session.commit()  # access ends before the answer
    return redirect(f"/facilities/{facility_id}/sharing?done=revoked")
