"""Changing one's password (signed in) and setting a new one through a one-time link."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import passwords
from factory_journey.services.platform.accounts import MIN_PASSWORD_LENGTH, check_new_password
from factory_journey.services.platform.errors import (
    Forbidden,
    InvalidInput,
    LinkNotValid,
    TooManyAttempts,
)
from factory_journey.store.database import transaction
from factory_journey.web.deps import FactoryDep
from factory_journey.web.pages.account.sign_in import AREA, client_address, wait_words
from factory_journey.web.pages.shell import (
    CsrfForm,
    OptionalPageUser,
    PageUser,
    page_session_token,
    redirect,
    render,
    settings_of,
    translator,
)

router = APIRouter()


def new_password_problems(request: Request, new: str, repeat: str) -> dict[str, str]:
    """What is wrong with a new password and its repetition, in the reader's words."""
    t = translator(request, AREA)
    errors: dict[str, str] = {}
    try:
        check_new_password(new)  # the platform's rule, as every other way in applies it
    except InvalidInput:
        errors["new_password"] = t(
            "Choose a password of at least {n} characters.", n=MIN_PASSWORD_LENGTH
        )
    else:
        if new != repeat:
            errors["repeat_password"] = t("The two new passwords are not the same.")
    return errors


# ------------------------------------------------------------------------ change (signed in)


@router.get("/account/password")
def change_page(request: Request, _user: PageUser) -> Response:
    return render(
        request,
        "account/password_change.html.j2",
        {"errors": {}, "min_length": MIN_PASSWORD_LENGTH},
    )


@router.post("/account/password")
def change(request: Request, form: CsrfForm, _user: PageUser, factory: FactoryDep) -> Response:
    t = translator(request, AREA)
    current = str(form.get("current_password", ""))
    new = str(form.get("new_password", ""))
    errors = new_password_problems(request, new, str(form.get("repeat_password", "")))
    if not current:
        errors["current_password"] = t("Enter your current password.")
    status = 422
    token = page_session_token(request)
    if not errors and token is not None:
        settings = settings_of(request)
        try:
            passwords.change(
                factory, token, current, new, client_address(request), settings.account_limits
            )
        except Forbidden:
            errors["current_password"] = t("The current password is not right.")
            status = 403
        except TooManyAttempts as error:
            errors["form"] = t(
                "Too many attempts. Try again in {wait}.",
                wait=wait_words(request, error.retry_after),
            )
            status = 429
        except InvalidInput:
            errors["new_password"] = t("Choose a new password, not the current one.")
        else:
            return redirect("/account?notice=password")
    return render(
        request,
        "account/password_change.html.j2",
        {"errors": errors, "min_length": MIN_PASSWORD_LENGTH},
        status,
    )


# --------------------------------------------------------------------- forgotten: ask a link


@router.get("/password-reset")
def reset_request_page(request: Request, _user: OptionalPageUser) -> Response:
    return render(
        request, "account/reset_request.html.j2", {"values": {}, "errors": {}, "sent": False}
    )


@router.post("/password-reset")
def reset_request(request: Request, form: CsrfForm, factory: FactoryDep) -> Response:
    """Send a link to the address; the answer is the same whether it has an account or not."""
    t = translator(request, AREA)
    email = str(form.get("email", "")).strip()
    errors: dict[str, str] = {}
    status = 200
    if "@" not in email:
        errors["email"] = t("Enter the e-mail address of your account.")
        status = 422
    else:
        settings = settings_of(request)
        try:
            passwords.request_reset_guarded(
                factory,
                email,
                client_address(request),
                settings.account_limits,
                settings.link_base,
            )
        except TooManyAttempts as error:
            errors["form"] = t(
                "Too many requests. Try again in {wait}.",
                wait=wait_words(request, error.retry_after),
            )
            status = 429
    return render(
        request,
        "account/reset_request.html.j2",
        {"values": {"email": email}, "errors": errors, "sent": not errors},
        status,
    )


# ------------------------------------------------------------------ the link: a new password


@router.get("/password-reset/new")
def reset_page(request: Request, _user: OptionalPageUser, token: str = "") -> Response:
    return render(
        request,
        "account/reset_new.html.j2",
        {"token": token, "errors": {}, "min_length": MIN_PASSWORD_LENGTH},
    )


@router.post("/password-reset/new")
def reset(request: Request, form: CsrfForm, factory: FactoryDep) -> Response:
    """Set the new password (the link works once; every session of the account ends)."""
    t = translator(request, AREA)
    token = str(form.get("token", ""))
    new = str(form.get("new_password", ""))
    errors = new_password_problems(request, new, str(form.get("repeat_password", "")))
    status = 422
    if not errors:
        try:
            # A transaction of its own: a refused link rolls back, whatever the page does next.
            with transaction(factory) as session:
                passwords.reset(session, token, new)
        except LinkNotValid:
            errors["form"] = t(
                "This link is not valid: it was used already, or it is too old. Ask for a new one."
            )
            status = 400
        except InvalidInput:
            errors["new_password"] = t(
                "Choose a password of at least {n} characters.", n=MIN_PASSWORD_LENGTH
            )
        else:
            return redirect("/sign-in?notice=reset")
    return render(
        request,
        "account/reset_new.html.j2",
        {"token": token, "errors": errors, "min_length": MIN_PASSWORD_LENGTH},
        status,
    )
