"""Error answers of the pages: an HTML page in the reader's language, never JSON or a traceback.

The API keeps its JSON Problems: `is_page_request` tells the two apart by path.
"""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from factory_journey.services.platform.errors import PlatformError
from factory_journey.web.pages.shell import (
    N_,
    CsrfRefused,
    SignInRequired,
    end_page_session,
    render,
    sign_in_redirect,
)

logger = logging.getLogger(__name__)

#: Paths that are not pages: the JSON API, its description and static files.
NOT_PAGES = ("/api/", "/openapi.json", "/docs", "/redoc", "/static/")

#: What each refusal means, in the reader's terms (messages of the shell catalogue).
STATUS_MESSAGES: dict[int, tuple[str, str]] = {
    400: (N_("This request could not be used"), N_("Something in it is not accepted.")),
    401: (N_("Please sign in"), N_("Sign in to see this page.")),
    403: (N_("Not allowed"), N_("Your account may not see or do this.")),
    404: (
        N_("Page not found"),
        N_("There is no such page, or your account may not see it."),
    ),
    405: (N_("This request could not be used"), N_("This page cannot be used that way.")),
    409: (N_("Not done"), N_("This was done already, or something else changed it.")),
    413: (N_("Too large"), N_("The file is larger than this page accepts.")),
    422: (N_("This request could not be used"), N_("Something in it is not accepted.")),
    429: (N_("Too many attempts"), N_("Please wait a little and try again.")),
    500: (N_("Something went wrong on our side"), N_("It has been logged; please try again.")),
}


def is_page_request(request: Request) -> bool:
    path = request.url.path
    return not any(path == p.rstrip("/") or path.startswith(p) for p in NOT_PAGES)


def error_page(
    request: Request, status: int, detail: str | None = None, reference: str | None = None
) -> HTMLResponse:
    """The error page for `status`, with the service's own explanation `detail` if any."""
    title, explanation = STATUS_MESSAGES.get(status, STATUS_MESSAGES[400])
    return render(
        request,
        "shell/error.html.j2",
        {
            "status": status,
            "title": title,
            "explanation": explanation,
            "detail": detail,
            "reference": reference,
        },
        status_code=status,
    )


def platform_error_page(request: Request, error: PlatformError) -> HTMLResponse:
    # A 404 or 403 names nothing more (a facility's existence is not disclosed); input errors
    # say what was not accepted.
    detail = error.message if error.status in (400, 409, 413, 422, 429) else None
    response = error_page(request, error.status, detail)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response.headers["retry-after"] = str(retry_after)
    return response


def server_error_page(request: Request, error: Exception) -> HTMLResponse:
    reference = uuid.uuid4().hex[:12]
    logger.error("unexpected error on a page, reference %s", reference, exc_info=error)
    try:
        return error_page(request, 500, reference=reference)
    except Exception:  # the page itself could not be drawn: say it plainly
        return HTMLResponse(
            f"<!doctype html><title>Error</title><p>Something went wrong on our side; "
            f"reference {reference}.</p>",
            status_code=500,
        )


def add_page_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(_request: Request, error: SignInRequired) -> Response:
        response = sign_in_redirect(error.next_path)
        end_page_session(response)  # an expired or revoked token: forget it
        return response

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _error: CsrfRefused) -> Response:
        return render(request, "shell/refused.html.j2", status_code=403)

    api_not_found = app.exception_handlers.get(StarletteHTTPException)
    api_invalid = app.exception_handlers.get(RequestValidationError)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if is_page_request(request):
            return error_page(request, error.status_code)
        assert api_not_found is not None
        return await api_not_found(request, error)  # type: ignore[no-any-return]

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        if is_page_request(request):
            return error_page(request, 400)
        assert api_invalid is not None
        return await api_invalid(request, error)  # type: ignore[no-any-return]
