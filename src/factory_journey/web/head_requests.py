"""HEAD answered as GET without the body (RFC 9110 §9.3.2), for every GET route and page.

FastAPI routes declare GET only, so `curl -I`, uptime monitors and link checkers got
405 Method Not Allowed from pages and public data that a GET serves. Here a HEAD request is
passed on as a GET and only its status and headers go out (Content-Length included, so the
client learns the size); the body is dropped. A route that has no GET still answers 405.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: HEAD → GET upstream, body dropped on the way back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest follows; the client is sent one empty final body
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
