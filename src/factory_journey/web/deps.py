"""Dependencies so that routes read like prose: `session: SessionDep, actor: CurrentActor`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

import anyio.to_thread
from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.services.platform.accounts import Actor, actor_for_token
from factory_journey.services.platform.errors import NotAuthenticated
from factory_journey.store.database import transaction

SESSION_COOKIE = "journey_session"


def _factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with transaction(_factory(request)) as session:
        yield session


#: `scope="function"`: the teardown (the commit) runs when the route has returned and its
#: body is serialised, BEFORE the response is sent. FastAPI's default for a yield dependency
#: ("request") runs it after the response is sent, so a client told "revoked" or "signed out"
#: could still be served by the old state on its next request, and a failed commit came after
#: a success answer. A commit that fails now answers with an error instead.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
FactoryDep = Annotated[sessionmaker[Session], Depends(_factory)]


#: The two ways to send the token, declared as OpenAPI security schemes (so the document says
#: which operations need a sign-in, and the docs page can send a token).
_BEARER = HTTPBearer(
    auto_error=False, description="the token from /api/auth/sign-in: `Authorization: Bearer …`"
)
_COOKIE = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="the cookie /api/auth/sign-in sets"
)


async def bearer_token(
    authorization: Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)] = None,
    journey_session: Annotated[str | None, Security(_COOKIE)] = None,
) -> str:
    if authorization is not None and authorization.credentials.strip():
        return authorization.credentials.strip()
    if journey_session:
        return journey_session
    raise NotAuthenticated("sign in first: send 'Authorization: Bearer <token>' or the cookie")


def current_actor(session: SessionDep, token: Annotated[str, Depends(bearer_token)]) -> Actor:
    return actor_for_token(session, token)


CurrentActor = Annotated[Actor, Depends(current_actor)]
TokenDep = Annotated[str, Depends(bearer_token)]

T = TypeVar("T")


async def as_actor(request: Request, token: str, use_case: Callable[..., T], *args: object) -> T:
    """Run `use_case(session, actor, *args)` in one transaction on one worker thread.

    The same as `SessionDep` + `CurrentActor` for a route, in one hop to the thread pool
    instead of three: the hot read routes use it.
    """
    factory = _factory(request)

    def work() -> T:
        with transaction(factory) as session:
            return use_case(session, actor_for_token(session, token), *args)

    limiter = getattr(request.app.state, "read_limiter", None)
    return await anyio.to_thread.run_sync(work, limiter=limiter)


#: Largest id a database integer column holds (PostgreSQL `integer`).
MAX_DB_INT = 2_147_483_647
#: Text without control characters (PostgreSQL refuses NUL in text).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

FacilityId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=PRINTABLE, description="facility id")
]
ParkId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=PRINTABLE, description="park id")
]
RowId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
Year = Annotated[int, Path(ge=1900, le=2100)]
