"""What every page shares: who is signed in (the page session), the CSRF check of forms, the
language, and `render`, which gives each template its translator, formatter and navigation.

The page session is a bearer token of the platform (`accounts.sign_in_guarded`: the same
throttling, lifetime and revocation as the API) in an HttpOnly, SameSite=Lax cookie of its own.
Each request looks the token up again, so a sign-out or a revocation is in force on the next
request. Every POST form carries `csrf_token`, derived from the session token (or, signed out,
from a random cookie): see docs/decisions/0022-web-pages-shell.md.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from factory_journey.services.languages import (
    HTML_LANG,
    LANGUAGE_NAMES,
    LANGUAGES,
    PAGE_LOCALES,
    Translator,
    language_from_header,
    page_translator,
    supported_language,
)
from factory_journey.services.platform import preferences
from factory_journey.services.platform.accounts import TOKEN_LIFETIME, Actor, actor_for_token
from factory_journey.services.platform.errors import InvalidInput, NotAuthenticated
from factory_journey.services.problem_templates import accepted_text, problem_text, value_text
from factory_journey.store.database import transaction
from factory_journey.web.deps import SessionDep
from factory_journey.web.settings import Settings

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
LOCALES = PAGE_LOCALES
#: The catalogue of base.html.j2, shell.py and the shell's own pages (templates/shell/).
SHELL_AREA = "shell"

#: The page session (a platform bearer token). Not the API's cookie: that one is SameSite=Strict
#: for /api; this one is Lax so that a link from a message opens signed in, with CSRF tokens.
PAGE_COOKIE = "journey_page"
#: The language chosen while signed out (a key of LANGUAGES), kept for a year [s].
LANGUAGE_COOKIE = "journey_lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
#: Random value the CSRF token of a signed-out visitor's forms is derived from.
CSRF_COOKIE = "journey_csrf"
CSRF_FIELD = "csrf_token"


def N_(message: str) -> str:
    """Mark `message` for the catalogues without translating it here (`t(...)` does, later)."""
    return message


@dataclass(frozen=True, slots=True)
class NavItem:
    """One link of the header's navigation, declared by an area module in `NAVIGATION`.

    `label` is a message of the area's catalogue (write it as `N_("Facilities")`); `kinds` and
    `roles`: the organisation kinds and roles that see it (None: all).
    """

    area: str
    label: str
    path: str
    kinds: frozenset[str] | None = None
    roles: frozenset[str] | None = None

    def shown_to(self, actor: Actor) -> bool:
        return (self.kinds is None or actor.organisation_kind in self.kinds) and (
            self.roles is None or actor.role in self.roles
        )


class SignInRequired(Exception):
    """A page that needs a signed-in user was asked for without one: go to /sign-in."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRefused(Exception):
    """A POST form came without the CSRF token of this browser's session."""


# ---------------------------------------------------------------------------- who is signed in


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _page_token(request: Request) -> str | None:
    token = request.cookies.get(PAGE_COOKIE, "").strip()
    return token or None


def _lookup(session: Session, request: Request) -> Actor | None:
    """The actor of the page cookie (remembered on the request), or None."""
    if hasattr(request.state, "page_actor"):
        actor: Actor | None = request.state.page_actor
        return actor
    token = _page_token(request)
    actor = None
    profile = None
    if token is not None:
        try:
            actor = actor_for_token(session, token)
        except NotAuthenticated:
            actor = None
        else:
            profile = preferences.profile(session, actor)
    request.state.page_actor = actor
    request.state.page_profile = profile
    return actor


def optional_page_user(request: Request, session: SessionDep) -> Actor | None:
    """The signed-in actor, or None (a page anyone may read)."""
    return _lookup(session, request)


def page_user(request: Request, session: SessionDep) -> Actor:
    """The signed-in actor; without one, the answer is a redirect to /sign-in?next=<here>."""
    actor = _lookup(session, request)
    if actor is None:
        # Back to this page after sign-in; after a form, to the home page (a form's address
        # may answer POST only).
        raise SignInRequired(_here(request) if request.method == "GET" else "/")
    return actor


PageUser = Annotated[Actor, Depends(page_user)]
OptionalPageUser = Annotated[Actor | None, Depends(optional_page_user)]


def _here(request: Request) -> str:
    path = request.url.path
    return path + (f"?{request.url.query}" if request.url.query else "")


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (no scheme, host or `//`), else `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(c) < 32 for c in target):
        return default
    return target


def sign_in_redirect(next_path: str) -> RedirectResponse:
    return redirect(f"/sign-in?next={quote(next_path, safe='/')}")


def redirect(path: str) -> RedirectResponse:
    """See other: after a form, the browser GETs `path` (a reload does not send it again)."""
    return RedirectResponse(path, status_code=303)


def _cookie_secure(request: Request) -> bool:
    """Secure cookies when people reach us over https (or in production), not on a plain
    http://127.0.0.1 development server, where a browser would drop them."""
    settings = settings_of(request)
    https = request.url.scheme == "https" or (settings.public_url or "").startswith("https://")
    return settings.secure_cookies and (https or settings.production)


def start_page_session(request: Request, response: Response, token: str) -> None:
    """Put the token of a fresh sign-in into the page cookie of `response`."""
    response.set_cookie(
        PAGE_COOKIE,
        token,
        max_age=int(TOKEN_LIFETIME.total_seconds()),
        httponly=True,
        secure=_cookie_secure(request),
        samesite="lax",
    )


def end_page_session(response: Response) -> None:
    response.delete_cookie(PAGE_COOKIE, httponly=True, samesite="lax")


def page_session_token(request: Request) -> str | None:
    """The token of the page session (to sign it out), or None."""
    return _page_token(request)


# ------------------------------------------------------------------------------------- CSRF


def _csrf_basis(request: Request) -> str | None:
    return (
        _page_token(request)
        or request.cookies.get(CSRF_COOKIE)
        or getattr(request.state, "new_csrf_basis", None)
    )


def form_token(basis: str) -> str:
    """The CSRF token of forms whose session (or signed-out cookie) is `basis`."""
    return hmac.new(basis.encode("utf-8"), b"journey page form", hashlib.sha256).hexdigest()


def new_form_basis() -> str:
    """A signed-out browser's new form basis (its CSRF cookie's value)."""
    return secrets.token_urlsafe(32)


def set_form_cookie(request: Request, response: Response, basis: str) -> None:
    """Give a signed-out browser its form basis (`render`; the public answer cache)."""
    response.set_cookie(
        CSRF_COOKIE, basis, httponly=True, secure=_cookie_secure(request), samesite="lax"
    )


def csrf_token(request: Request) -> str:
    """The token every POST form of this page carries in its hidden `csrf_token` field."""
    basis = _csrf_basis(request)
    if basis is None:
        basis = new_form_basis()
        request.state.new_csrf_basis = basis  # `render` sets the cookie on its response
    return form_token(basis)


async def csrf_form(request: Request) -> FormData:
    """The parsed POST form, once its `csrf_token` is this browser's; else `CsrfRefused`."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    basis = _page_token(request) or request.cookies.get(CSRF_COOKIE)
    if not isinstance(sent, str) or basis is None:
        raise CsrfRefused()
    if not hmac.compare_digest(sent.encode("utf-8"), form_token(basis).encode("utf-8")):
        raise CsrfRefused()
    if any(isinstance(value, str) and "\x00" in value for value in form.values()):
        # No person types a NUL; PostgreSQL refuses it in text, which would be a 500.
        raise InvalidInput("a field holds a NUL character, which no text may contain")
    return form


CsrfForm = Annotated[FormData, Depends(csrf_form)]


# ---------------------------------------------------------------------------------- language


def page_language(request: Request) -> str:
    """The language of this request: the signed-in user's choice, else the language cookie,
    else the browser's Accept-Language, else English."""
    profile = getattr(request.state, "page_profile", None)
    if profile is not None and profile.language:
        return str(profile.language)
    chosen = supported_language(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    return language_from_header(request.headers.get("accept-language"))


def remember_language(request: Request, response: Response, language: str) -> None:
    """Keep `language` in the cookie (signed out, and on this browser after sign-out)."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        httponly=True,
        secure=_cookie_secure(request),
        samesite="lax",
    )


def translator(request: Request, area: str) -> Translator:
    """The translator and formatter of `area`'s messages (and the shell's) for this request,
    for messages a module writes: `t = translator(request, "account"); t("Saved")`."""
    areas = (area, SHELL_AREA) if area != SHELL_AREA else (SHELL_AREA,)
    return page_translator(LOCALES, areas, page_language(request))


# -------------------------------------------------------------------------------- rendering


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _resolve_user(request: Request) -> Actor | None:
    """The signed-in actor for a page whose route did not ask for one (a public page)."""
    if hasattr(request.state, "page_actor"):
        actor: Actor | None = request.state.page_actor
        return actor
    if _page_token(request) is None:
        request.state.page_actor = None
        request.state.page_profile = None
        return None
    with transaction(request.app.state.session_factory) as session:
        return _lookup(session, request)


def navigation(request: Request, actor: Actor | None) -> list[dict[str, Any]]:
    """The header's links for `actor`, each translated in its area's catalogue."""
    if actor is None:
        return []
    items: list[NavItem] = getattr(request.app.state, "page_navigation", [])
    here = request.url.path
    shown = [item for item in items if item.shown_to(actor)]
    # One link is the current page: the one whose path holds `here` most closely (on
    # /facilities/upload, "Upload", not also "Facilities"); two aria-current="page" would
    # tell a screen reader the page is in two places.
    within = [item.path for item in shown
              if here == item.path or here.startswith(item.path.rstrip("/") + "/")]
    current = max(within, key=len, default=None)
    return [{"label": translator(request, item.area)(item.label), "path": item.path,
             "current": item.path == current} for item in shown]


def home_for(request: Request, actor: Actor) -> str:
    """The home page of `actor`'s organisation kind (areas declare theirs in `HOMES`)."""
    homes: dict[str, str] = getattr(request.app.state, "page_homes", {})
    return homes.get(actor.organisation_kind, "/account")


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page `template` ("area/name.html.j2") as an HTML answer.

    The template gets `context` and: `t` (translate: `t("{n} facilities", n=3)`),
    `problem_text` (an upload problem's message or accepted text: `problem_templates`),
    `value_text` (what it found), `fmt`
    (`fmt.number(x, digits)`, `fmt.percent(share)`, `fmt.currency(amount, "USD")`,
    `fmt.date(day)`, `fmt.country("VN")`), `lang`, `user` (the Actor or None), `profile`,
    `csrf_token`, `navigation`, `languages`, `here` (this page's path, for `next=`) and `request`.
    """
    area = template.split("/", 1)[0] if "/" in template else SHELL_AREA
    actor = _resolve_user(request)
    language = page_language(request)
    tr = translator(request, area)
    values: dict[str, Any] = {
        "request": request,
        "t": tr.gettext,
        # a stored problem's message or accepted text, fixed or made from the data
        "problem_text": partial(problem_text, gettext=tr.gettext),
        # what a column accepts (a problem's, or the guidance's): its words translated
        "accepted_text": partial(accepted_text, gettext=tr.gettext),
        # what a problem found: a cell as written, the platform's words ("same as row 3")
        # translated (`value_text(p.value, p.code)`)
        "value_text": partial(value_text, gettext=tr.gettext),
        "fmt": tr,
        "lang": language,
        "html_lang": HTML_LANG[language],
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "user": actor,
        "profile": getattr(request.state, "page_profile", None),
        "csrf_token": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "navigation": navigation(request, actor),
        "here": _here(request),
        "home": home_for(request, actor) if actor else "/",
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    # Pages hold people's data: never kept by the browser or a proxy, so that after sign-out
    # the back button asks the server again (and gets the sign-in page).
    response.headers["cache-control"] = "no-store"
    new_basis = getattr(request.state, "new_csrf_basis", None)
    if new_basis is not None and _page_token(request) is None:
        set_form_cookie(request, response, new_basis)
    return response
