"""The error answers of the API, declared in the OpenAPI document as they are sent.

Every error body is `{"detail": ...}`: a message in the user's terms (a `PlatformError`), or
a list of field errors in our words when a request does not match its schema (422,
`validation_errors.py`: where, what is accepted; never the value sent). A route names
the errors it can give with `responses=errors(401, 404, ...)` (or `FACILITY_ERRORS`); those
that FastAPI gives itself (400, 422, 405) are declared for every route by `declare_errors`,
so that the document lists every status a client can meet (`tests/web/test_openapi_fuzz.py`
checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

try:
    from fastapi.routing import APIRoute, iter_route_contexts
except ImportError:  # pragma: no cover - FastAPI < 0.160 keeps included routes in app.routes
    from fastapi.routing import APIRoute

    def iter_route_contexts(routes: Any) -> Any:  # type: ignore[no-redef]
        return iter(routes)


class FieldProblem(BaseModel):
    """One part of a request that does not match the schema (the value sent is not repeated)."""

    loc: list[str | int] = Field(description='Where: ["body", "email"], ["query", "lang"], …')
    msg: str = Field(description='Where and what is accepted: "email: at most 320 characters"')
    type: str = Field(description="The kind of error, for programs (`string_too_long`, …)")


class Problem(BaseModel):
    """Why a request was refused."""

    detail: str | list[FieldProblem] = Field(
        description="What is wrong, in words a user can act on; for a request that does not "
        "match the schema, one entry per field (`loc`, `msg`, `type`)"
    )


_WHY = {
    400: "The body could not be read (not JSON, or a broken multipart form)",
    401: "Not signed in, or the token is unknown, revoked or expired",
    403: "Your role, or your organisation's relation to the facility, does not allow this",
    404: "Nothing of that id that you can see",
    409: "In conflict with the current state",
    413: "The file is larger than this route accepts",
    422: "The request is not valid (a message, or one entry per field)",
    429: "Too many attempts: wait the seconds in Retry-After",
}


def errors(
    *statuses: int, why: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the error answers `statuses` of a route; `why` words a status
    for that route where the general description would say less."""
    words = {**_WHY, **(why or {})}
    return {status: {"model": Problem, "description": words[status]} for status in statuses}


#: A route about one facility: not signed in, not allowed, not visible, not valid.
FACILITY_ERRORS = errors(401, 403, 404, 422)


async def _method_not_allowed(request: Request, error: Exception) -> Response:
    """405 with `Allow` naming every method of the path, not only those of its first route.

    The router answers from the first route whose path matches, so a path with a GET and a
    POST route said `Allow: GET` to a PUT.
    """
    assert isinstance(error, HTTPException)
    path = request.scope["path"]
    methods = {
        method
        for route in iter_route_contexts(request.app.routes)
        if route.path and route.methods and compile_path(route.path)[0].match(path)
        for method in route.methods
    }
    if methods:
        error.headers = {**(error.headers or {}), "Allow": ", ".join(sorted(methods))}
    return await http_exception_handler(request, error)


def declare_errors(app: FastAPI) -> None:
    """Answers that FastAPI builds itself follow the document too.

    Every route with input declares 422 with `Problem` (FastAPI's own declaration allows only
    its list of field errors, not a message of ours), and every route with a body 400 (a
    body that cannot be read); a 405 names every method of its path in `Allow`. Call it when
    every router is included.
    """
    for context in iter_route_contexts(app.routes):
        route = getattr(context, "original_route", context)
        if not isinstance(route, APIRoute):
            continue
        if route.body_field is not None:
            route.responses.setdefault(400, errors(400)[400])
        if route.body_field is not None or get_flat_params(route.dependant):
            route.responses[422] = errors(422)[422]
    app.add_exception_handler(405, _method_not_allowed)
