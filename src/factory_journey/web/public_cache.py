"""Repeated anonymous reads of public routes answered from pre-encoded bytes (decision 0034).

A plain ASGI layer between the security headers and the app. A route opts in with
`shared(response)`: it declares that its answer is a function of the path, the query, the
language and the *public state* only (`state`, read from the database on every request: for
open data, `public_read.visibility_state`). The layer keeps such 200 answers (status, headers,
body) per (state, path, query, language) and replays them while the state read for the
request is the same; the security headers are added to a replay exactly as to a fresh answer
(they wrap this layer).

Why it stays correct across worker processes: nothing is trusted from memory alone. Each
request reads the state afresh (one small query, begun after the request arrived); a
publication or withdrawal commits before its own response, and it changes the state, so the
very next request of any process misses and goes through the whole app. States never repeat
(their counters only grow), so an entry made under an old state can never be served again.

Only anonymous requests use it (no Authorization header, no cookie but the language and the
signed-out form cookie): a signed-in page names its user. The per-browser form token of a
page (its language form's CSRF token) is not shared: the body is kept with a hole where the
token was, and `FormTokens` fills in this browser's token (a new cookie for a new browser),
as the page shell does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol

import anyio.to_thread
from sqlalchemy import Connection, Engine
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The header by which a route says "my 200 answer may be shared" (never sent out).
MARK = b"x-journey-shared"
#: Entries kept per process (one state at a time; the least recently used goes first), and
#: their bodies' total [bytes] (the pilot's 115 profiles and pages in 3 languages: ~20 MB).
MAX_ENTRIES = 4096
MAX_BYTES = 48_000_000
#: Bodies larger than this [bytes] are not kept.
MAX_BODY = 2_000_000
Headers = list[tuple[bytes, bytes]]


def shared(response: Response) -> Response:
    """Mark `response` as a function of path, query, language and the public state only."""
    response.headers[MARK.decode()] = "1"
    return response


class FormTokens(Protocol):
    """The per-browser form token the page shell puts into pages (see pages/shell.py)."""

    cookie: str

    def token(self, basis: str) -> bytes: ...

    def new_basis(self) -> str: ...

    def set_cookie(self, scope: Scope, basis: str) -> tuple[bytes, bytes]: ...


@dataclass(frozen=True, slots=True)
class Entry:
    """A kept answer: headers without content-length, the body cut at the form token."""

    status: int
    headers: Headers
    parts: tuple[bytes, ...]
    etag: bytes | None

    @property
    def size(self) -> int:
        return sum(map(len, self.parts))


class PublicCache:
    """See the module docstring. `prefixes`: the paths considered; `language_cookies`: the
    cookies that choose the language (part of the key); `state(connection)`: the public state."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        engine: Engine,
        state: Callable[[Connection], Hashable],
        prefixes: Sequence[str],
        language_cookies: Sequence[str],
        tokens: FormTokens,
    ) -> None:
        self.app = app
        self.engine = engine
        self.read_state = state
        self.prefixes = tuple(prefixes)
        self.language_cookies = frozenset(language_cookies)
        self.tokens = tokens
        # SQLite is a file read in this process: cheaper on the event loop, on a connection
        # kept open, than a thread hop and a pool checkout (28 µs against ~200 µs).
        self.lock = threading.Lock()
        self.held: Connection | None = None
        self.sqlite = engine.dialect.name == "sqlite"
        self.entries: OrderedDict[tuple[Hashable, ...], Entry] = OrderedDict()
        self.state: Hashable = None
        self.size = 0  # bytes of the kept bodies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        key, cookies = self._key(scope)
        if key is None or scope["method"] != "GET":
            await self.app(scope, receive, _unmarked(send))
            return
        state = await self._read_state()
        if state != self.state:
            self.entries.clear()
            self.size = 0
            self.state = state
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            await self._replay(entry, scope, cookies, send)
            return
        await self._fill(key, state, scope, cookies, receive, send)

    def _key(self, scope: Scope) -> tuple[tuple[Hashable, ...] | None, dict[str, str]]:
        language = b""
        cookie_header = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                return None, {}
            if name == b"cookie":
                cookie_header = value
            elif name == b"accept-language":
                language = value
        cookies = cookie_parser(cookie_header.decode("latin-1")) if cookie_header else {}
        allowed = self.language_cookies | {self.tokens.cookie}
        if any(name not in allowed for name in cookies):
            return None, cookies
        chosen = tuple(sorted((n, v) for n, v in cookies.items() if n in self.language_cookies))
        return (scope["path"], scope["query_string"], language, chosen), cookies

    async def _read_state(self) -> Hashable:
        if self.sqlite:
            return self._read_held()
        return await anyio.to_thread.run_sync(self._read_fresh)

    def _read_fresh(self) -> Hashable:
        with self.engine.connect() as connection:
            return self.read_state(connection)

    def _read_held(self) -> Hashable:
        """SQLite: one connection kept open, in autocommit (each SELECT reads the newest
        committed state: no transaction is left open between requests); on an error it is
        dropped and the state read on a fresh one."""
        with self.lock:
            try:
                if self.held is None or self.held.closed:
                    self.held = self.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT"
                    )
                return self.read_state(self.held)
            except Exception:
                if self.held is not None:
                    self.held.invalidate()
                    self.held.close()
                self.held = None
                return self._read_fresh()

    async def _replay(
        self, entry: Entry, scope: Scope, cookies: dict[str, str], send: Send
    ) -> None:
        headers = list(entry.headers)
        if entry.etag is not None and _matches(scope, entry.etag):
            kept = [(n, v) for n, v in headers if n in (b"etag", b"cache-control")]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        if len(entry.parts) > 1:
            basis = cookies.get(self.tokens.cookie)
            if basis is None:
                basis = self.tokens.new_basis()
                headers.append(self.tokens.set_cookie(scope, basis))
            body = self.tokens.token(basis).join(entry.parts)
        else:
            body = entry.parts[0]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _fill(
        self,
        key: tuple[Hashable, ...],
        state: Hashable,
        scope: Scope,
        cookies: dict[str, str],
        receive: Receive,
        send: Send,
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        keep = False

        async def capture(message: Message) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                keep = message["status"] == 200 and any(n == MARK for n, _ in headers)
                message = {**message, "headers": [(n, v) for n, v in headers if n != MARK]}
                start = message
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_BODY:
                    keep = False
            await send(message)

        await self.app(scope, receive, capture)
        if not keep or start is None:
            return
        entry = self._entry(start, b"".join(chunks), cookies)
        if entry is not None and state == self.state and key not in self.entries:
            self.entries[key] = entry
            self.size += entry.size
            while len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES:
                self.size -= self.entries.popitem(last=False)[1].size

    def _entry(self, start: Message, body: bytes, cookies: dict[str, str]) -> Entry | None:
        """The answer to keep, without this browser's form token; None when it holds
        anything else per browser (another cookie set)."""
        headers: Headers = []
        basis = cookies.get(self.tokens.cookie)
        for name, value in start["headers"]:
            if name == b"set-cookie":
                cookie_name, _, rest = value.partition(b"=")
                if cookie_name.decode("latin-1") != self.tokens.cookie:
                    return None
                basis = rest.split(b";", 1)[0].decode("latin-1")
            elif name != b"content-length":
                headers.append((name, value))
        parts: tuple[bytes, ...] = (body,)
        if basis is not None:
            parts = tuple(body.split(self.tokens.token(basis)))
        etag = next((v for n, v in headers if n == b"etag"), None)
        return Entry(start["status"], headers, parts, etag)


def _unmarked(send: Send) -> Send:
    async def strip(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(n, v) for n, v in message.get("headers", ()) if n != MARK]
            message = {**message, "headers": headers}
        await send(message)

    return strip


def names_etag(if_none_match: str, etag: str) -> bool:
    """True when an If-None-Match header value names `etag` (quoted, as sent) or is `*`:
    the client's copy is current (routes_public.cached and the replays here)."""
    sent = if_none_match.strip()
    return sent == "*" or etag in {part.strip() for part in sent.split(",")}


def _matches(scope: Scope, etag: bytes) -> bool:
    """`names_etag` for the request's If-None-Match header, if it has one."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return names_etag(value.decode("latin-1"), etag.decode("latin-1"))
    return False
