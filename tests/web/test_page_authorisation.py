"""Every page route × every actor × every relation to facility F1: who may see each page.

The same world, actors and rules as tests/web/test_authorisation.py (whose `expected` states
who may do what, independently of the policy), with two differences for pages: a signed-out
visitor of a page that needs sign-in is sent to /sign-in (303, `Location: /sign-in?next=…`),
and a POST form carries the CSRF token of its session (added here).

HOW TO ADD A PAGE ROUTE (a page route without a line fails `test_every_page_route_has_a_line`):
add ONE line to `PAGES`, keyed "METHOD /path/{param}" exactly as the route is declared, with
the helpers of test_authorisation.py:
  - about one facility:   "GET /facilities/{facility_id}": facility("facility.read"),
  - signed in, anybody:   "GET /account": signed_in(200),
  - some organisations:   "GET /portfolio": members(200, kinds=frozenset({"brand"})),
  - no sign-in needed:    "GET /sign-in": public(200),
and, for a POST, the form that succeeds as `data={...}` (values "{name}" are filled from
`World.ids` as there). A form that succeeds answers 303 (see other) to the next page.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from factory_journey.web.pages.shell import CSRF_COOKIE, PAGE_COOKIE, form_token

from .conftest import ACTORS, PASSWORD
from .test_authorisation import (
    ANONYMOUS,
    OWNERS,
    SHARING_STATES,
    Entry,
    World,
    _fill,
    expected,
    page_operations,
    public,
    signed_in,
)
from .test_authorisation import world as world  # the module-scoped fixture, shared

#: One line per page route (see the top of this file).
PAGES: dict[str, Entry] = {
    # account (everyone)
    "GET /": public(303),
    "GET /sign-in": public(200),
    "POST /sign-in": public(303, data={"email": "{email}", "password": PASSWORD}),
    "POST /sign-out": public(303),  # signed out already: nothing to end, off to /sign-in
    "GET /account": signed_in(200),
    "POST /language": public(303, data={"language": "vi", "next": "/"}),
    # park (the world's park is nobody's here: tests/web/test_park_pages.py has the others)
    "GET /parks": signed_in(200),
    "GET /parks/{park_id}": signed_in(404),
}

SIGN_IN_PAGE = "/sign-in"


def _cases() -> list[Any]:
    cases = []
    for operation in sorted(page_operations()):
        entry = PAGES.get(operation)
        about_facility = entry is None or entry.action is not None
        walks: list[tuple[str, str]] = [(ANONYMOUS, "unshared")]
        if entry is None or not entry.public:
            for actor, *_ in ACTORS:
                if actor in OWNERS:
                    walks.append((actor, "own"))
                elif about_facility:
                    walks += [(actor, state) for state in SHARING_STATES]
                else:
                    walks.append((actor, "unshared"))
        cases += [(operation, actor, state) for actor, state in walks]
    order = {state: index for index, state in enumerate(("own", *SHARING_STATES))}
    cases.sort(key=lambda case: order[case[2]])
    return [pytest.param(*case, id="{}-{}-{}".format(*case)) for case in cases]


@pytest.mark.parametrize(("operation", "actor", "state"), _cases())
def test_page_actor_state(world: World, operation: str, actor: str, state: str) -> None:
    entry = PAGES.get(operation)
    assert entry is not None, (
        f"page {operation} has no line: add one to PAGES in "
        "tests/web/test_page_authorisation.py (see the top of that file)"
    )
    world.enter(state)
    values = {**world.ids, "unique": uuid.uuid4().hex[:12]}
    method, path = operation.split(" ", 1)
    path = path.format(**values)
    client = world.platform.client
    client.cookies.clear()
    if actor == ANONYMOUS:
        basis = uuid.uuid4().hex
        client.cookies.set(CSRF_COOKIE, basis)
    else:
        basis = world.headers(actor)["Authorization"].removeprefix("Bearer ")
        client.cookies.set(PAGE_COOKIE, basis)
    request = _fill(entry.request, values)
    if method == "POST":
        request["data"] = {**request.get("data", {}), "csrf_token": form_token(basis)}
    response = client.request(method, path, follow_redirects=False, **request)
    client.cookies.clear()
    want = expected(entry, actor, state)
    where = f"{operation} as {actor} ({state}): {response.status_code} {response.text[:300]}"
    if want == 401:  # a page that needs sign-in sends a signed-out visitor to sign in
        assert response.status_code == 303, where
        assert response.headers["location"].startswith(f"{SIGN_IN_PAGE}?next="), where
        return
    assert response.status_code == want, where
    if want >= 400:
        assert response.headers["content-type"].startswith("text/html"), where


def test_every_page_route_has_a_line() -> None:
    routes = page_operations()
    missing = sorted(routes - set(PAGES))
    assert not missing, (
        f"page routes without a line: {missing}; add one line each to PAGES in "
        "tests/web/test_page_authorisation.py (how: the top of that file)"
    )
    stale = sorted(set(PAGES) - routes)
    assert not stale, f"PAGES names routes the app no longer has: {stale}"


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    client = world.platform.client
    client.cookies.clear()
    token = world.headers("owner_admin")["Authorization"].removeprefix("Bearer ")
    client.cookies.set(PAGE_COOKIE, token)
    for data in ({}, {"csrf_token": "0" * 64}, {"csrf_token": form_token("another session")}):
        answer = client.post("/sign-out", data=data, follow_redirects=False)
        assert answer.status_code == 403, data
        assert "text/html" in answer.headers["content-type"]
    # Still signed in: the refused sign-out did nothing.
    assert client.get("/account", follow_redirects=False).status_code == 200
    client.cookies.clear()
