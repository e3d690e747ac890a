"""Refuse an upload whose declared size is over its route's limit before reading any of it.

Starlette parses a multipart body whole (to a temporary file) before a route runs, so a route
cannot stop a multi-GB body itself. Uploads whose `Content-Length` exceeds the route's file
limit plus `OVERHEAD` are answered 413 (a Problem in our words) here, without a byte read. A
body within that (or sent without a length) reaches the route, which asks for permission
first and reads at most its limit plus one byte (`uploads.read_at_most`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from factory_journey.services.platform import evidence, imports
from factory_journey.services.platform.errors import TooLarge

#: Room for the multipart framing and the form's other fields [bytes].
OVERHEAD = 64 * 1024
#: Routes that take a dataset upload: the API's and the factory upload page's.
DATASET_UPLOADS = ("/api/uploads", "/facilities/upload")
_EVIDENCE = re.compile(r"^/api/facilities/[^/]+/evidence/?$")
#: The verifier's page form that may carry an evidence document (web/pages/verification.py).
_PAGE_EVIDENCE = re.compile(r"^/verification/facilities/[^/]+/\d+/[a-z_]+/\d+(/evidence)?/?$")
#: A proposal's attachments (API and page), bounded as evidence documents are.
_ATTACHMENT = re.compile(r"^(/api)?/proposals/[^/]+/attachments/?$")


def upload_limit(scope: Scope) -> tuple[int, Callable[[], TooLarge]] | None:
    """The largest body accepted on this request's route and its refusal; None if unbounded
    here (every route that is not an upload)."""
    if scope.get("method") != "POST":
        return None
    path = str(scope.get("path", ""))
    if path.rstrip("/") in DATASET_UPLOADS:
        return imports.MAX_UPLOAD_BYTES + OVERHEAD, lambda: imports.too_large("the file")
    if _EVIDENCE.match(path) or _PAGE_EVIDENCE.match(path) or _ATTACHMENT.match(path):
        max_bytes: int = scope["app"].state.settings.evidence_max_bytes
        return max_bytes + OVERHEAD, lambda: evidence.too_large("the document", max_bytes)
    return None


class UploadBodyLimit:
    """413 for an upload that says it is larger than its route accepts (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = upload_limit(scope) if scope["type"] == "http" else None
        if limit is not None:
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > limit[0]:
                refusal = limit[1]()
                answer: Response = JSONResponse(
                    {"detail": refusal.message}, status_code=refusal.status
                )
                if not str(scope.get("path", "")).startswith("/api/"):
                    # A page's form: a plain page saying so, not JSON (the app's pages are
                    # not reached: the body is not read).
                    answer = HTMLResponse(
                        f"<!doctype html><title>Too large</title><p>{escape(refusal.message)}."
                        "</p><p>Go back to the form and choose a smaller file.</p>",
                        status_code=refusal.status,
                    )
                answer.headers["connection"] = "close"  # the body is not read
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)
