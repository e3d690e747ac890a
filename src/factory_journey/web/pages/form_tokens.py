"""The page shell's signed-out form token, for the public answer cache (web/public_cache.py).

A kept public page is shared by every signed-out browser except its language form's CSRF
token, which is each browser's own: these are the shell's own rules (`form_token`, the
cookie `render` sets), so a replayed page carries exactly what a fresh one would.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from factory_journey.web.pages import shell


class ShellFormTokens:
    """`public_cache.FormTokens` of the page shell; `app` gives requests their settings."""

    cookie = shell.CSRF_COOKIE

    def __init__(self, app: object) -> None:
        self.app = app

    def token(self, basis: str) -> bytes:
        return shell.form_token(basis).encode("ascii")

    def new_basis(self) -> str:
        return shell.new_form_basis()

    def set_cookie(self, scope: Scope, basis: str) -> tuple[bytes, bytes]:
        """The Set-Cookie header `shell.render` sends to a browser without the cookie."""
        request = Request({**scope, "app": self.app})
        response = Response()
        shell.set_form_cookie(request, response, basis)
        return next((n, v) for n, v in response.raw_headers if n == b"set-cookie")
