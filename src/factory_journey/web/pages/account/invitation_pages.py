"""Accepting an invitation: choose a name and a password, and be signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import accounts, invitations
from factory_journey.services.platform.accounts import MIN_PASSWORD_LENGTH
from factory_journey.services.platform.errors import Conflict, InvalidInput, LinkNotValid
from factory_journey.store.database import transaction
from factory_journey.web.deps import FactoryDep
from factory_journey.web.pages.account.password_pages import new_password_problems
from factory_journey.web.pages.account.sign_in import AREA
from factory_journey.web.pages.shell import (
    CsrfForm,
    OptionalPageUser,
    home_for,
    redirect,
    render,
    start_page_session,
    translator,
)

router = APIRouter()
#: Longest display name accepted [characters] (the column holds 200).
NAME_LENGTH = 200


@router.get("/invitation")
def invitation_page(request: Request, _user: OptionalPageUser, token: str = "") -> Response:
    return render(
        request,
        "account/invitation.html.j2",
        {"token": token, "values": {}, "errors": {}, "min_length": MIN_PASSWORD_LENGTH},
    )


@router.post("/invitation")
def accept(request: Request, form: CsrfForm, factory: FactoryDep) -> Response:
    t = translator(request, AREA)
    token = str(form.get("token", ""))
    name = str(form.get("display_name", "")).strip()
    new = str(form.get("new_password", ""))
    errors = new_password_problems(request, new, str(form.get("repeat_password", "")))
    if len(name) > NAME_LENGTH:
        errors["display_name"] = t("Write a name of at most {n} characters.", n=NAME_LENGTH)
    status = 422
    if not errors:
        try:
            # Its own transaction: a refusal rolls the invitation back to open.
            with transaction(factory) as session:
                user = invitations.accept(session, token, new, name)
                session_token = accounts.sign_in(session, user.email, new)
                actor = accounts.actor_for_token(session, session_token)
        except LinkNotValid:
            errors["form"] = t(
                "This invitation link is not valid: it was used or withdrawn, or it is too "
                "old. Ask the person who invited you for a new one."
            )
            status = 400
        except Conflict:
            errors["form"] = t("This address has an account already: sign in with it instead.")
            status = 409
        except InvalidInput:
            errors["new_password"] = t("This password is not accepted: choose another one.")
        else:
            response = redirect(home_for(request, actor))
            start_page_session(request, response, session_token)
            return response
    return render(
        request,
        "account/invitation.html.j2",
        {
            "token": token,
            "values": {"display_name": name},
            "errors": errors,
            "min_length": MIN_PASSWORD_LENGTH,
        },
        status,
    )
