"""The pages everyone has: `/`, sign in and out, one's account, the language choice."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from factory_journey.services.languages import supported_language
from factory_journey.services.platform import accounts, preferences
from factory_journey.services.platform.errors import NotAuthenticated, TooManyAttempts
from factory_journey.store.database import transaction
from factory_journey.web.deps import FactoryDep, SessionDep
from factory_journey.web.pages.errors import error_page
from factory_journey.web.pages.shell import (
    N_,
    CsrfForm,
    NavItem,
    OptionalPageUser,
    PageUser,
    end_page_session,
    home_for,
    page_session_token,
    redirect,
    remember_language,
    render,
    safe_next,
    settings_of,
    start_page_session,
    translator,
)

router = APIRouter()
AREA = "account"

NAVIGATION = (NavItem(AREA, N_("Your account"), "/account"),)

#: Organisation kinds and roles in the reader's words.
KIND_NAMES = {
    "factory_group": N_("Factory"),
    "brand": N_("Brand"),
    "programme": N_("Programme"),
    "park_operator": N_("Industrial park"),
    "verifier": N_("Verifier"),
}
ROLE_NAMES = {"admin": N_("Administrator"), "editor": N_("Editor"), "viewer": N_("Viewer")}


def client_address(request: Request) -> str:
    # As routes_auth._address: the peer, or the forwarded address of a trusted proxy only.
    return request.client.host if request.client else "unknown"


def wait_words(request: Request, seconds: int) -> str:
    t = translator(request, AREA)
    if seconds < 120:
        return t("{n} seconds", n=seconds)
    return t("{n} minutes", n=-(-seconds // 60))


@router.get("/")
def home(request: Request, user: OptionalPageUser) -> Response:
    """Signed in: one's home page; signed out: the sign-in page."""
    if user is None:
        return redirect("/sign-in")
    return redirect(home_for(request, user))


@router.get("/sign-in")
def sign_in_page(request: Request, user: OptionalPageUser, next: str = "") -> Response:
    if user is not None:
        return redirect(safe_next(next, home_for(request, user)))
    return render(request, "account/sign_in.html.j2", {"values": {"next": next}, "errors": {}})


@router.post("/sign-in")
def sign_in(request: Request, form: CsrfForm, factory: FactoryDep) -> Response:
    t = translator(request, AREA)
    email = str(form.get("email", "")).strip()
    password = str(form.get("password", ""))
    next_path = str(form.get("next", ""))
    values = {"email": email, "next": next_path}
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = t("Enter your e-mail address.")
    if not password:
        errors["password"] = t("Enter your password.")
    status = 400
    if not errors:
        settings = settings_of(request)
        try:
            token = accounts.sign_in_guarded(
                factory, email, password, client_address(request), settings.account_limits
            )
        except NotAuthenticated:
            errors["form"] = t("The e-mail address or the password is not right.")
            status = 401
        except TooManyAttempts as error:
            errors["form"] = t(
                "Too many attempts to sign in. Try again in {wait}.",
                wait=wait_words(request, error.retry_after),
            )
            status = 429
        else:
            with transaction(factory) as session:
                actor = accounts.actor_for_token(session, token)
            response = redirect(safe_next(next_path, home_for(request, actor)))
            start_page_session(request, response, token)
            return response
    return render(request, "account/sign_in.html.j2", {"values": values, "errors": errors}, status)


@router.post("/sign-out")
def sign_out(request: Request, _form: CsrfForm, session: SessionDep) -> Response:
    """End the page session (its token is revoked before the answer is sent)."""
    token = page_session_token(request)
    if token is not None:
        accounts.sign_out(session, token)
    response = redirect("/sign-in")
    end_page_session(response)
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, user: PageUser) -> Response:
    homes = getattr(request.app.state, "page_homes", {})
    return render(
        request,
        "account/home.html.j2",
        {
            "kind_name": KIND_NAMES.get(user.organisation_kind, user.organisation_kind),
            "role_name": ROLE_NAMES.get(user.role, user.role),
            "pages_coming": user.organisation_kind not in homes,
        },
    )


@router.post("/language")
def choose_language(
    request: Request, form: CsrfForm, user: OptionalPageUser, session: SessionDep
) -> Response:
    """Read the pages in another language: remembered for the account and on this browser."""
    language = supported_language(str(form.get("language", "")))
    if language is None:
        return error_page(request, 400, "choose one of the languages of the list")
    if user is not None:
        preferences.set_language(session, user, language)
    response = redirect(safe_next(str(form.get("next", "")), "/"))
    remember_language(request, response, language)
    return response
