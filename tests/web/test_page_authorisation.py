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

from .conftest import PASSWORD
from .test_authorisation import (
    ANONYMOUS,
    FACTORY,
    REQUESTERS,
    WRITERS,
    Entry,
    World,
    _fill,
    expected,
    facility,
    members,
    page_operations,
    public,
    signed_in,
    walk_cases,
)
from .test_authorisation import world as world  # the module-scoped fixture, shared

#: A dataset upload for the upload page (its import fails: the page still answers 303).
_DATASET = {"file": ("profiles.csv", b"facility_id\n", "text/csv")}
#: An on-site note long enough to verify a data point (reference/data/verification.yaml).
_OBSERVATION = "Meter M-2 read on site on 4 March; it matches the invoice of March."
BRAND = frozenset({"brand"})
PROGRAMME = frozenset({"programme"})
ADMIN = frozenset({"admin"})
PARK = frozenset({"park_operator"})

#: One line per page route (see the top of this file).
PAGES: dict[str, Entry] = {
    # account (everyone)
    "GET /": public(303),
    "GET /sign-in": public(200),
    "POST /sign-in": public(303, data={"email": "{email}", "password": PASSWORD}),
    "POST /sign-out": public(303),  # signed out already: nothing to end, off to /sign-in
    "GET /account": signed_in(200),
    "POST /language": public(303, data={"language": "vi", "next": "/"}),
    # facility (factory organisations; every page shows only what its reader may see)
    "GET /facilities": signed_in(200),
    "GET /facilities/guidance": signed_in(200),
    "GET /facilities/templates/dataset.xlsx": signed_in(200),
    "GET /facilities/templates/profile.xlsx": signed_in(200),
    "GET /facilities/upload": members(200, kinds=FACTORY, roles=WRITERS),
    "POST /facilities/upload": members(303, kinds=FACTORY, roles=WRITERS, files=_DATASET),
    "GET /facilities/uploads/{job_id}": members(
        200, organisations=frozenset({"Factory A"}), outsiders=404
    ),
    "GET /facilities/{facility_id}": facility("facility.read"),
    "GET /facilities/{facility_id}/history": facility("submission.read"),
    "GET /facilities/{facility_id}/assessment": facility("assessment.read"),
    "GET /facilities/{facility_id}/report.pdf": facility("report.read", params={"lang": "vi"}),
    "GET /facilities/{facility_id}/sharing": facility("sharing.read"),
    "POST /facilities/{facility_id}/sharing/grant": facility(
        "sharing.manage", 303, data={"organisation_id": "{organisation_id}", "scope": "assessment"}
    ),
    "POST /facilities/{facility_id}/sharing/{grant_id}/revoke": facility("sharing.manage", 303),
    "GET /factory/team": members(200, roles=frozenset({"admin"})),
    "POST /factory/team/invite": members(
        303, roles=frozenset({"admin"}), data={"email": "p{unique}@test.example", "role": "viewer"}
    ),
    "POST /factory/team/invitations/{invitation_id}/withdraw": members(
        303, roles=frozenset({"admin"}), organisations=frozenset({"Factory A"}), outsiders=404,
        role_first=True,
    ),
    # verification (the verifier's queue; a facility's data points, read by its owner too)
    "GET /verification": members(200, kinds=frozenset({"verifier"})),
    "GET /verification/facilities/{facility_id}": facility("submission.read"),
    "GET /verification/facilities/{facility_id}/{year}/{table}/{row}": facility("submission.read"),
    "POST /verification/facilities/{facility_id}/{year}/{table}/{row}": facility(
        "verification.set", 303, data={"decision": "verified", "observation": _OBSERVATION}
    ),
    "POST /verification/facilities/{facility_id}/{year}/{table}/{row}/evidence": facility(
        "evidence.create",
        303,
        files={"document": ("meter.pdf", b"%PDF-1.4 test", "application/pdf")},
    ),
    "GET /verification/facilities/{facility_id}/evidence/{evidence_id}": facility("evidence.read"),
    "GET /verification/facilities/{facility_id}/evidence/{evidence_id}/download": facility(
        "evidence.read"
    ),
    "GET /account/password": signed_in(200),
    "POST /account/password": signed_in(
        422,  # reaches the service, which refuses "the same password": the password stays
        data={
            "current_password": PASSWORD,
            "new_password": PASSWORD,
            "repeat_password": PASSWORD,
        },
    ),
    "GET /password-reset": public(200),
    "POST /password-reset": public(200, data={"email": "{email}"}),
    "GET /password-reset/new": public(200, params={"token": "a" * 43}),
    "POST /password-reset/new": public(
        400,
        data={"token": "a" * 43, "new_password": "x" * 12, "repeat_password": "x" * 12},
    ),
    "GET /invitation": public(200, params={"token": "a" * 43}),
    "POST /invitation": public(
        400,
        data={"token": "a" * 43, "new_password": "x" * 12, "repeat_password": "x" * 12},
    ),
    # portfolio (brands) and access requests (brands, programmes, parks, verifiers ask)
    "GET /portfolio": members(200, kinds=BRAND),
    "GET /portfolio/export.csv": members(200, kinds=BRAND),
    "GET /portfolio/export.xlsx": members(200, kinds=BRAND),
    "GET /access": members(200, kinds=REQUESTERS),
    "POST /access": members(303, kinds=REQUESTERS, data={"query": "Facility One"}),
    "POST /access/{request_id}/withdraw": members(
        303, kinds=REQUESTERS, organisations=frozenset({"Brand"}), outsiders=404,
        path_ids={"request_id": "{brand_request_id}"},
    ),
    # requests (the factory's admins decide; other members see that they may not)
    "GET /requests": signed_in(200),
    "POST /requests/{request_id}/accept": members(
        303, kinds=FACTORY, roles=ADMIN, organisations=frozenset({"Factory A"}), outsiders=404,
        path_ids={"request_id": "{access_request_id}"},
    ),
    "POST /requests/{request_id}/decline": members(
        303, kinds=FACTORY, roles=ADMIN, organisations=frozenset({"Factory A"}), outsiders=404,
        path_ids={"request_id": "{declined_request_id}"},
    ),
    # programme (cohorts, participation records, evaluation)
    "GET /programme": members(200, kinds=PROGRAMME),
    # No facility shares its data with the Programme in this world: a cohort of F1 is refused
    # (400, the form kept); the refusal of other organisations and roles is what is walked.
    "POST /programme/cohorts": members(
        400, kinds=PROGRAMME, roles=WRITERS, data={"name": "C {unique}", "facility": "F1"}
    ),
    "POST /programme/records": members(
        303, kinds=PROGRAMME, roles=WRITERS,
        files={"file": ("records.csv", b"facility_id,programme,start_date\n", "text/csv")},
    ),
    "GET /programme/evaluation": members(200, kinds=PROGRAMME),
    # the evaluation's downloads: the page's permission; with nothing shared with the Programme
    # here there is nothing to export (404; tests/web/test_programme_evaluation_pages.py has
    # the files themselves)
    "GET /programme/evaluation/export.csv": members(404, kinds=PROGRAMME),
    "GET /programme/evaluation/export.xlsx": members(404, kinds=PROGRAMME),
    # open data (#17): public pages (F1 publishes only from 2099 here: its page is 404), and
    # the facility admin's consent page
    "GET /open-data": public(200),
    "GET /open-data/facilities/{facility_id}": public(404),
    "GET /open-data/parks/{park_id}": public(404),
    "GET /facilities/{facility_id}/publishing": facility("publication.manage"),
    "POST /facilities/{facility_id}/publishing": facility(
        "publication.manage", 303, data={"groups": "energy", "effective_from": "2099-01-01"}
    ),
    "POST /facilities/{facility_id}/publishing/withdraw": facility("publication.manage", 303),
    # a park operator's consent page (the world's park is nobody's: 404 to everyone signed in;
    # tests/web/test_open_data_park_consent.py walks the operator's roles)
    "GET /parks/{park_id}/publishing": signed_in(404),
    "POST /parks/{park_id}/publishing": signed_in(404, data={"groups": "pillar_scores"}),
    "POST /parks/{park_id}/publishing/withdraw": signed_in(404),
    # proposals (#18): proposal {proposal_id} of Factory A is submitted (so frozen); Programme
    # holds the one committee seat (World in test_authorisation.py)
    "GET /proposals": signed_in(200),
    "GET /proposals/new": members(200, roles=WRITERS),
    "POST /proposals/new": members(303, roles=WRITERS, data={"title": "A pathway"}),
    "GET /proposals/{proposal_id}": members(
        200, organisations=frozenset({"Factory A", "Programme"}), outsiders=404
    ),
    "GET /proposals/{proposal_id}/edit": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),
    "POST /proposals/{proposal_id}/edit": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404,
        data={"title": "A pathway"},
    ),
    "POST /proposals/{proposal_id}/attachments": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),
    "GET /proposals/{proposal_id}/attachments/{attachment_id}": members(
        200, organisations=frozenset({"Factory A", "Programme"}), outsiders=404
    ),
    "POST /proposals/{proposal_id}/submit": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),
    "POST /proposals/{proposal_id}/revise": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),
    "GET /proposals/{proposal_id}/review": members(
        200, roles=WRITERS, organisations=frozenset({"Programme"}), role_first=True
    ),
    "POST /proposals/{proposal_id}/review": members(
        303, roles=WRITERS, organisations=frozenset({"Programme"}), role_first=True,
        data={"conflict_of_interest": "yes", "conflict_statement": "We fund this provider."},
    ),
    # park (the world's park is nobody's here: tests/web/test_park_pages.py has the others)
    "GET /parks": signed_in(200),
    "GET /parks/{park_id}": signed_in(404),
    # a park operator's admins and editors give park data (a .txt is refused: 422, nothing
    # recorded; tests/web/test_park_upload_pages.py uploads a park) and take the template
    "GET /parks/upload": members(200, kinds=PARK, roles=WRITERS),
    "POST /parks/upload": members(422, kinds=PARK, roles=WRITERS,
                                  files={"file": ("notes.txt", b"hello", "text/plain")}),
    "GET /parks/templates/park-dataset.xlsx": members(200, kinds=PARK, roles=WRITERS),
    "GET /parks/{park_id}/report.pdf": signed_in(404),
}

SIGN_IN_PAGE = "/sign-in"


def _cases() -> list[Any]:
    return walk_cases(sorted(page_operations()), PAGES)


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
    request = _fill(entry.request, values)
    # A route whose path parameter names different rows per operation (access requests).
    path = path.format(**{**values, **request.pop("path_ids", {})})
    client = world.platform.client
    client.cookies.clear()
    if actor == ANONYMOUS:
        basis = uuid.uuid4().hex
        client.cookies.set(CSRF_COOKIE, basis)
    else:
        basis = world.headers(actor)["Authorization"].removeprefix("Bearer ")
        client.cookies.set(PAGE_COOKIE, basis)
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
