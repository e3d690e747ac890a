"""The team of a factory organisation (its admins): members, invitations, inviting someone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import invitations
from factory_journey.services.platform.directory import members
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.store.models import ROLES
from factory_journey.web.deps import RowId, SessionDep
from factory_journey.web.pages.facility.common import STYLES, tr
from factory_journey.web.pages.shell import (
    N_,
    CsrfForm,
    PageUser,
    redirect,
    render,
    settings_of,
)

router = APIRouter()

ROLE_NAMES = {"admin": N_("Administrator"), "editor": N_("Editor"), "viewer": N_("Viewer")}
DONE = {"invited": N_("Invitation sent."), "withdrawn": N_("Invitation withdrawn.")}
assert set(ROLE_NAMES) == set(ROLES)


def _page(request: Request, user: PageUser, session: SessionDep, values: dict[str, str],
          errors: dict[str, str], done: str | None = None, status: int = 200) -> Response:
    people = members(session, user)  # admins only
    return render(request, "facility/team.html.j2", {
        "styles": STYLES,
        "members": people,
        "invitations": invitations.list_open(session, user),
        "values": values,
        "errors": errors,
        "done": DONE.get(done or ""),
        "role_names": ROLE_NAMES,
    }, status_code=status)


@router.get("/factory/team")
def team(request: Request, user: PageUser, session: SessionDep, done: str = "") -> Response:
    return _page(request, user, session, {"role": "viewer"}, {}, done)


@router.post("/factory/team/invite")
def invite(request: Request, user: PageUser, form: CsrfForm, session: SessionDep) -> Response:
    t = tr(request)
    email = str(form.get("email", "")).strip()[:320]
    role = str(form.get("role", ""))
    values = {"email": email, "role": role}
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = t("Enter the e-mail address to invite.")
    if role not in ROLES:
        errors["role"] = t("Choose a role.")
    if not errors:
        settings = settings_of(request)
        try:
            invitations.invite(session, user, email, role, settings.account_limits,
                               settings.link_base)
        except InvalidInput as error:
            errors["email"] = error.message
        else:
            session.commit()
            return redirect("/factory/team?done=invited")
    return _page(request, user, session, values, errors, status=400)


@router.post("/factory/team/invitations/{invitation_id}/withdraw")
def withdraw(invitation_id: RowId, user: PageUser, _form: CsrfForm,
             session: SessionDep) -> Response:
    invitations.withdraw(session, user, invitation_id)
    session.commit()
    return redirect("/factory/team?done=withdrawn")
