"""The factory's side of access requests: its admins see who asks for which facility, and
accept (a sharing grant, revocable on the facility's sharing page) or decline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import access_requests
from factory_journey.web.deps import RowId, SessionDep
from factory_journey.web.pages.shell import (
    N_,
    CsrfForm,
    NavItem,
    PageUser,
    redirect,
    render,
)

router = APIRouter()
AREA = "requests"

NAVIGATION = (
    NavItem(AREA, N_("Access requests"), "/requests", kinds=frozenset({"factory_group"}),
            roles=frozenset({"admin"})),
)

KIND_NAMES = {
    "brand": N_("Brand"),
    "programme": N_("Programme"),
    "park_operator": N_("Industrial park"),
    "verifier": N_("Verifier"),
    "factory_group": N_("Factory"),
}
SCOPE_NAMES = {
    "assessment": N_("Assessment"),
    "matrix": N_("Assessment and data matrix"),
    "full": N_("Everything, with submissions and evidence"),
}
STATUS_NAMES = {
    "pending": N_("Waiting for your decision"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn by the requester"),
}
DONE = {"accepted": N_("Accepted: the facility is now shared."),
        "declined": N_("Declined: nothing was shared.")}


@router.get("/requests")
def requests_page(
    request: Request, user: PageUser, session: SessionDep, done: str = ""
) -> Response:
    """Requests for the organisation's facilities: pending first (admins decide; other
    members see none)."""
    received = access_requests.received(session, user)
    return render(
        request,
        "requests/requests.html.j2",
        {
            "pending": [r for r in received if r.status == "pending"],
            "decided": [r for r in received if r.status != "pending"],
            "may_decide": user.role == "admin",
            "kind_names": KIND_NAMES,
            "scope_names": SCOPE_NAMES,
            "status_names": STATUS_NAMES,
            "done": DONE.get(done),
        },
    )


@router.post("/requests/{request_id}/accept")
def accept(request_id: RowId, user: PageUser, session: SessionDep, form: CsrfForm) -> Response:
    scope = str(form.get("scope", "")) or None
    access_requests.accept(session, user, request_id, scope if scope in SCOPE_NAMES else None)
    return redirect("/requests?done=accepted")


@router.post("/requests/{request_id}/decline")
def decline(request_id: RowId, user: PageUser, session: SessionDep, _form: CsrfForm) -> Response:
    access_requests.decline(session, user, request_id)
    return redirect("/requests?done=declined")
