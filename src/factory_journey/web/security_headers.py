"""Security headers on every answer (a plain ASGI middleware: no per-request task or copy)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Only our own scripts, styles and fonts; images from us or inline (Swagger UI's icons are
#: data: URLs); no plug-ins, no <base>, never inside a frame.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Two years, as browsers' preload lists ask [s].
HSTS = "max-age=63072000; includeSubDomains"

ALWAYS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
)


class SecurityHeaders:
    """Adds `ALWAYS`; HSTS when the request came over TLS (directly, or as a proxy says with
    `X-Forwarded-Proto: https`) or `hsts` is set; `Cache-Control: no-store` on every /api
    answer that does not set its own (they carry tokens and facilities' data)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = self.hsts or scope.get("scheme") == "https" or _forwarded_https(scope)
        api = str(scope.get("path", "")).startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS:
                    headers.setdefault(name, value)
                if tls:
                    headers.setdefault("strict-transport-security", HSTS)
                if api:
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _forwarded_https(scope: Scope) -> bool:
    # Harmless to trust from anyone: browsers ignore HSTS received over plain http.
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-proto":
            return bool(value.split(b",")[0].strip().lower() == b"https")
    return False
