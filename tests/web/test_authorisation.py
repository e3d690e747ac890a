"""Every operation of the OpenAPI document × every actor × every relation to the facility.

The cases are generated from the served OpenAPI document: each operation (method and path) is
called as each of the 8 actors of `conftest.ACTORS` and without a token, with facility F1
  - `own`: the actor's organisation owns F1 (owners are the same in every sharing state, so
    they are walked once),
  - `assessment` / `matrix` / `full`: F1 is shared with the actor's organisation at that scope,
  - `unshared`: F1 is not shared with it,
  - `revoked`: F1 was shared with it at `full`, and the grant is revoked.
Operations that are not about one facility (sign-in, /me, uploads, jobs …) are walked once per
actor: the sharing state does not concern them.

HOW TO ADD A ROUTE (a new route without an entry fails `test_every_operation_has_an_entry`
and its own cases): add ONE line to `ROUTES` below, keyed "METHOD /api/path/{param}" exactly as
in /openapi.json:
  - about one facility:      "POST /api/facilities/{facility_id}/x": facility("x.create", 201),
    where "x.create" is the action that the service checks in `policy.py`; who may do each
    action is written out by hand in `MAY` (one line per action: add one for a new action);
  - signed in, anybody:      "GET /api/x": signed_in(200),
  - some organisations:      "POST /api/x": members(202, kinds=FACTORY, roles=WRITERS),
    (`organisations=frozenset({"Factory A"}), outsiders=404` when a row of one organisation
    is named: the others are told 404; `role_first=True` when the role is checked before the
    row is looked up, so that a member who may not do it at all is told 403 wherever),
  - no sign-in needed:       "POST /api/auth/x": public(202, json={"email": "{email}"}),
and give a request that succeeds for an allowed actor as keyword arguments of the test client
(json=, data=, files=, params=). Path parameters and "{name}" strings in a request are filled
from `World.ids` (facility_id, year, version, grant_id, job_id, evidence_id, organisation_id,
and email: an account of its own for the public routes, password `PASSWORD`): a route with a
new path parameter adds its value there (`path_ids={"request_id": "{access_request_id}"}` when
operations of one path parameter need different rows). Each signed-in case has a token of its
own, so a route that ends sessions (sign-out, a password change) may be listed like any other.

The expected outcome is written out by hand, independently of `services/platform/policy.py`,
so that a change of the policy fails this test until the change is meant.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from factory_journey.services.platform import (
    access_requests,
    accounts,
    evidence,
    facilities,
    invitations,
    sharing,
)
from factory_journey.services.platform.account_limits import default_limits
from factory_journey.store.database import make_engine, transaction
from factory_journey.store.models import ImportJob
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings

from .conftest import ACTORS, PASSWORD, Platform, make_platform
from .test_write_concurrency import mint_tokens

ROLES = frozenset({"admin", "editor", "viewer"})
WRITERS = frozenset({"admin", "editor"})
NOBODY: frozenset[str] = frozenset()
SCOPES = frozenset({"assessment", "matrix", "full"})
KINDS = frozenset({"factory_group", "brand", "programme", "park_operator", "verifier"})
FACTORY = frozenset({"factory_group"})
VERIFIER = frozenset({"verifier"})
REQUESTERS = frozenset({"brand", "programme", "park_operator", "verifier"})

#: Who may do each facility action, as a person would state it:
#: action: (owner roles that may, grant scopes that let a grantee, grantee kinds, grantee roles).
#: Anybody else: 404 when F1 is not shared with them (its existence is not disclosed), else 403.
MAY: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]] = {
    "facility.read": (ROLES, SCOPES, KINDS, ROLES),
    "assessment.read": (ROLES, SCOPES, KINDS, ROLES),
    "report.read": (ROLES, SCOPES, KINDS, ROLES),
    "matrix.read": (ROLES, frozenset({"matrix", "full"}), KINDS, ROLES),
    "submission.read": (ROLES, frozenset({"full"}), KINDS, ROLES),
    "evidence.read": (ROLES, frozenset({"full"}), KINDS, ROLES),
    # A new snapshot each time: the owner's writers only (docs/decisions/0009).
    "assessment.create": (WRITERS, NOBODY, NOBODY, NOBODY),
    "sharing.read": (frozenset({"admin"}), NOBODY, NOBODY, NOBODY),
    "sharing.manage": (frozenset({"admin"}), NOBODY, NOBODY, NOBODY),
    # Publishing openly (#17): the facility's own admins, nobody it shares with.
    "publication.manage": (frozenset({"admin"}), NOBODY, NOBODY, NOBODY),
    "evidence.create": (WRITERS, frozenset({"full"}), VERIFIER, WRITERS),
    # A facility does not verify its own data.
    "verification.set": (NOBODY, frozenset({"full"}), VERIFIER, WRITERS),
}


@dataclass(frozen=True)
class Entry:
    """What one operation answers: `ok` when allowed; `request`: test-client keyword args."""

    ok: int
    action: str | None = None  # a facility action of MAY
    public: bool = False  # no sign-in needed
    kinds: frozenset[str] = KINDS  # organisation kinds that may (not about one facility)
    roles: frozenset[str] = ROLES  # roles that may (not about one facility)
    organisations: frozenset[str] | None = None  # organisations that may (None: any)
    refused: int = 403  # answer to a signed-in actor who may not (not about one facility)
    outsiders: int = 403  # answer to a member of an organisation not in `organisations`
    role_first: bool = False  # kind and role checked before the organisation (the row)
    request: dict[str, Any] = field(default_factory=dict)


def facility(action: str, ok: int = 200, **request: Any) -> Entry:
    return Entry(ok, action=action, request=request)


def signed_in(ok: int = 200, **request: Any) -> Entry:
    return Entry(ok, request=request)


def members(
    ok: int,
    *,
    kinds: frozenset[str] = KINDS,
    roles: frozenset[str] = ROLES,
    organisations: frozenset[str] | None = None,
    refused: int = 403,
    outsiders: int = 403,
    role_first: bool = False,
    **request: Any,
) -> Entry:
    return Entry(
        ok,
        kinds=kinds,
        roles=roles,
        organisations=organisations,
        refused=refused,
        outsiders=outsiders,
        role_first=role_first,
        request=request,
    )


def public(ok: int, **request: Any) -> Entry:
    return Entry(ok, public=True, request=request)


_GRANT = {"grantee_organisation_id": "{organisation_id}", "scope": "full"}
_PDF = {"file": ("meter.pdf", b"%PDF-1.4 test", "application/pdf")}

#: One line per operation of the OpenAPI document (see the top of this file).
ROUTES: dict[str, Entry] = {
    # accounts
    "POST /api/auth/sign-in": public(200, json={"email": "{email}", "password": PASSWORD}),
    "POST /api/auth/sign-out": signed_in(204),
    "GET /api/me": signed_in(200),
    # facilities, sharing, evidence, verification
    "GET /api/facilities": signed_in(200),
    "GET /api/facilities/{facility_id}": facility("facility.read"),
    "GET /api/facilities/{facility_id}/submissions": facility("submission.read"),
    "GET /api/facilities/{facility_id}/submissions/{year}/{version}": facility("submission.read"),
    "GET /api/facilities/{facility_id}/grants": facility("sharing.read"),
    "POST /api/facilities/{facility_id}/grants": facility("sharing.manage", 201, json=_GRANT),
    "POST /api/facilities/{facility_id}/grants/{grant_id}/revoke": facility("sharing.manage"),
    "GET /api/facilities/{facility_id}/evidence": facility("evidence.read"),
    "POST /api/facilities/{facility_id}/evidence": facility(
        "evidence.create", 201, files=_PDF, data={"year": "2023", "subject": "energy"}
    ),
    "GET /api/facilities/{facility_id}/verification": facility("facility.read"),
    "POST /api/facilities/{facility_id}/verification": facility(
        "verification.set",
        201,
        json={
            "year": 2023,
            "subject": "energy",
            "status": "verified",
            "observation": "Meter readings seen on site match the invoices of 2023.",
        },
    ),
    # results
    "GET /api/facilities/{facility_id}/matrix": facility("matrix.read"),
    "GET /api/facilities/{facility_id}/assessment": facility("assessment.read"),
    "POST /api/facilities/{facility_id}/assess": facility("assessment.create", 201),
    "GET /api/facilities/{facility_id}/report.pdf": facility("report.read", params={"lang": "en"}),
    "GET /api/portfolio": signed_in(200),
    # data
    "POST /api/uploads": members(
        202, kinds=FACTORY, roles=WRITERS, files={"file": ("d.json", b"{}", "application/json")}
    ),
    "GET /api/jobs/{job_id}": members(200, organisations=frozenset({"Factory A"}), outsiders=404),
    "POST /api/jobs/{job_id}/retry": members(
        409, kinds=FACTORY, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),  # job 1 succeeded: nothing to retry
    # invitations and passwords
    "GET /api/organisation/invitations": members(200, roles=frozenset({"admin"})),
    "POST /api/organisation/invitations": members(
        201,
        roles=frozenset({"admin"}),
        json={"email": "new-{unique}@test.example", "role": "viewer"},
    ),
    "DELETE /api/organisation/invitations/{invitation_id}": members(
        204,
        roles=frozenset({"admin"}),
        organisations=frozenset({"Factory A"}),
        outsiders=404,
        role_first=True,
    ),
    "POST /api/auth/password": signed_in(
        204, json={"current_password": PASSWORD, "new_password": "another horse battery"}
    ),
    "POST /api/auth/password-reset": public(202, json={"email": "{email}"}),
    "POST /api/auth/password-reset/confirm": public(
        400, json={"token": "a" * 43, "new_password": "another horse battery"}
    ),
    "POST /api/auth/invitations/accept": public(
        400, json={"token": "a" * 43, "password": "another horse battery", "display_name": "X"}
    ),
    "GET /api/facilities/{facility_id}/evidence/{evidence_id}/file": facility("evidence.read"),
    # access requests: brands, programmes, parks and verifiers ask; F1's admins decide
    "POST /api/access-requests": members(202, kinds=REQUESTERS, json={"query": "Facility One"}),
    "GET /api/access-requests": signed_in(200),
    "GET /api/access-requests/received": signed_in(200),
    "POST /api/access-requests/{request_id}/accept": members(
        200, kinds=FACTORY, roles=frozenset({"admin"}), organisations=frozenset({"Factory A"}),
        outsiders=404, path_ids={"request_id": "{access_request_id}"},
    ),
    "POST /api/access-requests/{request_id}/decline": members(
        200, kinds=FACTORY, roles=frozenset({"admin"}), organisations=frozenset({"Factory A"}),
        outsiders=404, path_ids={"request_id": "{declined_request_id}"},
    ),
    "POST /api/access-requests/{request_id}/withdraw": members(
        200, kinds=REQUESTERS, organisations=frozenset({"Brand"}), outsiders=404,
        path_ids={"request_id": "{brand_request_id}"},
    ),
    # open data (#17): a facility's consent, and the public reads (F1's publication takes
    # effect in 2099, so its profile and the latest release are 404 for everybody)
    "GET /api/facilities/{facility_id}/publication": facility("publication.manage"),
    "PUT /api/facilities/{facility_id}/publication": facility(
        "publication.manage",
        json={"groups": ["energy"], "years": [2023], "effective_from": "2099-01-01T00:00:00Z"},
    ),
    "DELETE /api/facilities/{facility_id}/publication": facility("publication.manage"),
    "GET /api/public/facilities": public(200),
    "GET /api/public/facilities/{facility_id}": public(404),
    "GET /api/public/aggregates": public(200),
    "GET /api/public/releases": public(200),
    "GET /api/public/releases/{release}/{name}": public(404),
    # a park's publication: the world's park is nobody's (test_open_data_park_consent.py
    # walks the operator's admins, editors and viewers, another operator and a factory)
    "GET /api/parks/{park_id}/publication": signed_in(404),
    "PUT /api/parks/{park_id}/publication": signed_in(404, json={"groups": ["pillar_scores"]}),
    "DELETE /api/parks/{park_id}/publication": signed_in(404),
    "GET /api/public/parks": public(200),
    "GET /api/public/parks/{park_id}": public(404),
    # Join the Journey (#18): proposal {proposal_id} of Factory A is submitted; Programme holds
    # the only committee seat, so one review leaves it under review (nothing is decided).
    "GET /api/proposals": signed_in(200),
    "POST /api/proposals": members(201, roles=WRITERS, json={"title": "A pathway"}),
    "GET /api/proposals/{proposal_id}": members(
        200, organisations=frozenset({"Factory A", "Programme"}), outsiders=404
    ),
    "PUT /api/proposals/{proposal_id}": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404,
        json={"title": "A pathway"},
    ),  # submitted, so frozen
    "POST /api/proposals/{proposal_id}/attachments": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404, files=_PDF
    ),
    "GET /api/proposals/{proposal_id}/attachments/{attachment_id}": members(
        200, organisations=frozenset({"Factory A", "Programme"}), outsiders=404
    ),
    "POST /api/proposals/{proposal_id}/submit": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),
    "POST /api/proposals/{proposal_id}/revise": members(
        409, roles=WRITERS, organisations=frozenset({"Factory A"}), outsiders=404
    ),  # only after changes were requested
    "GET /api/proposals/{proposal_id}/reviews": members(
        200, organisations=frozenset({"Factory A", "Programme"}), outsiders=404
    ),
    "POST /api/proposals/{proposal_id}/reviews": members(
        201, roles=WRITERS, organisations=frozenset({"Programme"}), role_first=True,
        json={"conflict_of_interest": True, "conflict_statement": "We fund this provider."},
    ),  # a seat's writers; everybody else is refused before the proposal is looked up
    "GET /api/proposal-rubric": signed_in(200),
    "GET /api/methodology-versions": signed_in(200),
    "GET /api/methodology-versions/{version_id}": signed_in(200),
    "GET /api/methodology-versions/{version_id}/facilities/{facility_id}/assessment": facility(
        "assessment.read"
    ),
    "GET /api/methodology-versions/{version_id}/facilities/{facility_id}/report.pdf": facility(
        "report.read", params={"lang": "en"}
    ),
}

#: Operations kept out of the OpenAPI document on purpose (none today): "METHOD path".
HIDDEN: frozenset[str] = frozenset({"GET /docs"})  # the docs page (web/api_docs.py)

OWNER_ORGANISATION = "Factory A"
ORGANISATION = {name: org for name, org, _kind, _role in ACTORS}
KIND = {name: kind for name, _org, kind, _role in ACTORS}
ROLE = {name: role for name, _org, _kind, role in ACTORS}
OWNERS = {name for name, org in ORGANISATION.items() if org == OWNER_ORGANISATION}
GRANTEES = sorted({org for org in ORGANISATION.values() if org != OWNER_ORGANISATION})
ANONYMOUS = "anonymous"
PUBLIC_EMAIL = "public@test.example"
SHARING_STATES = ("unshared", "assessment", "matrix", "full", "revoked")
_METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def _proposal_world(session: Any, owner: Any, platform: Platform) -> dict[str, int]:
    """A submitted proposal of Factory A with an attachment; a committee seat for Programme;
    a methodology version built from no proposal (the routes that read one need one)."""
    from factory_journey.services.proposals import builds, committee, drafting, submission
    from factory_journey.store.models import MethodologyBuild
    from tests.proposals.conftest import content

    committee.assign_seat(session, "cascale", platform.organisations["Programme"])
    proposal = drafting.create_draft(session, owner, content())
    attachment = drafting.attach(session, owner, proposal.id, "a.pdf", b"%PDF-1.4 test")
    submission.submit(session, owner, proposal.id)
    methodology, catalogue = builds.extended_documents_of([], "fj-test", "test")
    version = MethodologyBuild(
        name="fj-test", label="fj-test (test)", base_label="fj-2026.2 (2026.2)",
        methodology=methodology, catalogue=catalogue, content_sha256="0" * 64,
        proposal_versions=[],
    )
    session.add(version)
    session.flush()
    return {"proposal_id": proposal.id, "attachment_id": attachment.id, "version_id": version.id}


def _settings() -> Settings:
    return Settings("development", None, secure_cookies=False, demo_accounts=False)


@cache
def openapi_operations() -> tuple[str, ...]:
    """ "METHOD path" of every operation of the app's OpenAPI document (built once)."""
    folder = Path(tempfile.mkdtemp(prefix="journey-openapi-"))
    engine = make_engine(f"sqlite:///{folder / 'journey.db'}")
    document = create_app(engine, _settings()).openapi()
    engine.dispose()
    return tuple(
        sorted(
            f"{method.upper()} {path}"
            for path, item in document["paths"].items()
            for method in item
            if method in _METHODS
        )
    )


def expected(entry: Entry, actor: str, state: str) -> int:
    """The status a person would state for this operation, actor and relation to F1."""
    if entry.public:
        return entry.ok
    if actor == ANONYMOUS:
        return 401
    role, kind, organisation = ROLE[actor], KIND[actor], ORGANISATION[actor]
    if entry.action is None:
        may = kind in entry.kinds and role in entry.roles
        if entry.role_first and not may:
            return entry.refused
        if entry.organisations is not None and organisation not in entry.organisations:
            return entry.outsiders
        return entry.ok if may else entry.refused
    owner_roles, scopes, kinds, grantee_roles = MAY[entry.action]
    if state == "own":
        return entry.ok if role in owner_roles else 403
    if state in {"unshared", "revoked"}:
        return 404  # its existence is not disclosed
    may = state in scopes and kind in kinds and role in grantee_roles
    return entry.ok if may else 403


def walk_cases(operations: Iterable[str], table: Mapping[str, Entry]) -> list[Any]:
    """(operation, actor, state) of every operation of `table`'s kind (its entry in `table`),
    grouped by sharing state so that the shared world changes only 5 times. The page table
    (test_page_authorisation.py) walks its routes with it too."""
    cases = []
    for operation in operations:
        entry = table.get(operation)
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


def _cases() -> list[Any]:
    return walk_cases(openapi_operations(), ROUTES)


class World:
    """One platform whose sharing of F1 is switched between the states as cases need."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.state = "unshared"
        with transaction(platform.factory) as session:
            owner = accounts.actor_for_email(session, "owner_admin@test.example")
            dummy = accounts.create_organisation(session, "Dummy Brand", "brand")
            dummy_grant = sharing.grant(session, owner, "F1", dummy.id, "assessment")
            proof = evidence.add_evidence(
                session, owner, "F1", 2023, "energy", "meter.pdf", b"%PDF-1.4 test"
            )
            job_id = session.scalar(select(func.min(ImportJob.id)))
            # The public routes' account (sign-in, reset …): no actor's password changes it.
            accounts.create_user(session, PUBLIC_EMAIL, PASSWORD, "Public", dummy, "viewer")
            invitation = invitations.invite(
                session, owner, "invitee@test.example", "viewer", default_limits(), "http://t"
            )
            # Access requests for F1: one each to accept and decline (two organisations:
            # one pending request per organisation and facility), one the Brand withdraws.
            asking = [
                accounts.actor_for_email(session, email)
                for email in (PUBLIC_EMAIL, _second_requester(session))
            ]
            to_accept = access_requests.request_access(session, asking[0], "Facility One")
            to_decline = access_requests.request_access(session, asking[1], "facility  one")
            brand = accounts.actor_for_email(session, "brand_viewer@test.example")
            brand_request = access_requests.request_access(session, brand, "Facility One")
            proposal_ids = _proposal_world(session, owner, platform)
            self.ids: dict[str, Any] = {
                **proposal_ids,
                "access_request_id": to_accept.id,
                "declined_request_id": to_decline.id,
                "brand_request_id": brand_request.id,
                "invitation_id": invitation.id,
                "email": PUBLIC_EMAIL,
                "facility_id": "F1",
                "year": 2023,
                "version": 1,
                "grant_id": dummy_grant.id,
                "organisation_id": dummy.id,
                "evidence_id": proof.id,
                "job_id": job_id,
                # a data point of F1 (the verification pages): its table and row number
                "table": "energy",
                "row": facilities.submission_data(session, owner, "F1", 2023, 1)["energy"][0][
                    "_row"
                ],
                "release": "latest",  # open data (#17)
                "name": "values.csv",
                "park_id": "NO-SUCH-PARK",
            }

    def headers(self, actor: str) -> dict[str, str]:
        """A token of its own for `actor`: a route that ends sessions (sign-out, a password
        change) ends none that another case uses."""
        token = mint_tokens(self.platform.factory, f"{actor}@test.example", 1)[0]
        return {"Authorization": f"Bearer {token}"}

    def enter(self, state: str) -> None:
        """Share F1 with every other organisation as `state` says (owners: any state)."""
        wanted = "unshared" if state == "own" else state
        if wanted == self.state:
            return
        with transaction(self.platform.factory) as session:
            owner = accounts.actor_for_email(session, "owner_admin@test.example")
            for organisation in GRANTEES:
                organisation_id = self.platform.organisations[organisation]
                for row in sharing.grants_of(session, owner, "F1"):
                    if row.grantee_organisation_id == organisation_id and row.revoked_at is None:
                        sharing.revoke(session, owner, "F1", row.id)
                if wanted == "unshared":
                    continue
                scope = "full" if wanted == "revoked" else wanted
                row = sharing.grant(session, owner, "F1", organisation_id, scope)
                if wanted == "revoked":
                    sharing.revoke(session, owner, "F1", row.id)
        self.state = wanted


def _second_requester(session: Any) -> str:
    """A member of a second organisation that asks for F1 (a programme)."""
    organisation = accounts.create_organisation(session, "Dummy Programme", "programme")
    email = "dummy-programme@test.example"
    accounts.create_user(session, email, PASSWORD, "Dummy", organisation, "viewer")
    return email


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return World(make_platform(tmp_path_factory))


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    """`value` with "{name}" replaced by ids[name]: a whole string by the value (of its own
    type), a part of one by its text; "{unique}" is new in every case (e.g. an e-mail)."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids.get(value[1:-1], value)
    if isinstance(value, str) and "{" in value:
        return value.format_map(ids)
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return type(value)(_fill(item, ids) for item in value)
    return value


@pytest.mark.parametrize(("operation", "actor", "state"), _cases())
def test_operation_actor_state(world: World, operation: str, actor: str, state: str):
    entry = ROUTES.get(operation)
    assert entry is not None, (
        f"{operation} has no entry: add one line for it to ROUTES in "
        f"tests/web/test_authorisation.py (see the top of that file)"
    )
    world.enter(state)
    values = {**world.ids, "unique": uuid.uuid4().hex[:12]}
    method, path = operation.split(" ", 1)
    request = _fill(entry.request, values)
    # A route whose path parameter names different rows per operation (access requests).
    path = path.format(**{**values, **request.pop("path_ids", {})})
    headers = {} if actor == ANONYMOUS else world.headers(actor)
    world.platform.client.cookies.clear()  # a sign-in case leaves its session cookie behind
    response = world.platform.client.request(method, path, headers=headers, **request)
    assert response.status_code == expected(entry, actor, state), (
        f"{operation} as {actor} ({state}): {response.status_code} {response.text[:300]}"
    )


def test_every_operation_has_an_entry():
    operations = set(openapi_operations())
    missing = sorted(operations - set(ROUTES))
    assert not missing, (
        f"operations without an entry: {missing}; add one line each to ROUTES in "
        "tests/web/test_authorisation.py (how: the top of that file)"
    )
    stale = sorted(set(ROUTES) - operations)
    assert not stale, f"ROUTES names operations the app no longer has: {stale}"


def test_every_route_is_in_the_openapi_document():
    """A route hidden from the document would escape the table: it must be listed in HIDDEN."""
    from fastapi.routing import APIRoute, iter_route_contexts

    folder = Path(tempfile.mkdtemp(prefix="journey-routes-"))
    engine = make_engine(f"sqlite:///{folder / 'journey.db'}")
    app = create_app(engine, _settings())
    engine.dispose()
    routes = [r for r in iter_route_contexts(app.routes) if isinstance(r.original_route, APIRoute)]
    assert len(routes) >= len(ROUTES) - len(HIDDEN)  # the walk sees the included routers
    hidden = {
        f"{method} {route.path}"
        for route in routes
        if not route.include_in_schema
        for method in route.methods or ()
    }
    # Pages are left out on purpose; tests/web/test_page_authorisation.py has their table.
    hidden -= page_operations()
    assert hidden <= HIDDEN, f"routes left out of /openapi.json: {sorted(hidden - HIDDEN)}"


def page_operations() -> set[str]:
    """ "METHOD path" of every page route (web/pages/areas.py)."""
    from fastapi.routing import APIRoute, iter_route_contexts

    from factory_journey.web.pages.areas import area_routers

    return {
        f"{method} {route.path}"
        for _area, router in area_routers()
        for route in iter_route_contexts(router.routes)
        if isinstance(route.original_route, APIRoute)
        for method in route.methods or ()
    }


def test_every_policy_action_is_exercised_and_stated():
    from factory_journey.services.platform.policy import POLICY

    exercised = {entry.action for entry in ROUTES.values() if entry.action}
    assert set(POLICY) == exercised, "each policy action needs a route entry in ROUTES"
    assert set(POLICY) == set(MAY), "each policy action needs a line in MAY"


def test_every_write_is_checked_by_a_write_action():
    """No POST/PUT/PATCH/DELETE about a facility is allowed by a read action."""
    for operation, entry in ROUTES.items():
        method = operation.split(" ", 1)[0]
        if method != "GET" and entry.action is not None:
            assert not entry.action.endswith(".read"), operation


@pytest.mark.parametrize(
    ("kind", "role", "may"),
    [
        ("factory_group", "admin", True),
        ("factory_group", "editor", True),
        ("factory_group", "viewer", False),
        ("brand", "admin", False),
        ("programme", "admin", False),
        ("verifier", "editor", False),
    ],
)
def test_who_may_upload_a_dataset(kind, role, may):
    from factory_journey.services.platform.policy import allowed_in_organisation

    assert allowed_in_organisation("dataset.upload", kind, role) is may


def test_brand_list_never_shows_an_unshared_facility(world: World):
    client, headers = world.platform.client, world.headers("brand_viewer")
    for state, seen in (("unshared", []), ("assessment", ["F1"]), ("revoked", [])):
        world.enter(state)
        listed = client.get("/api/facilities", headers=headers)
        assert listed.status_code == 200
        assert [f["id"] for f in listed.json()] == seen, state
        portfolio = client.get("/api/portfolio", headers=headers)
        assert [line["facility_id"] for line in portfolio.json()] == seen, state


def test_revoking_takes_effect_at_once(world: World):
    world.enter("unshared")
    platform = world.platform
    client = platform.client
    created = client.post(
        "/api/facilities/F1/grants",
        json={"grantee_organisation_id": platform.organisations["Brand"], "scope": "full"},
        headers=world.headers("owner_admin"),
    )
    assert created.status_code == 201
    brand = world.headers("brand_viewer")
    assert client.get("/api/facilities/F1", headers=brand).status_code == 200
    revoked = client.post(
        f"/api/facilities/F1/grants/{created.json()['id']}/revoke",
        headers=world.headers("owner_admin"),
    )
    assert revoked.status_code == 200
    assert client.get("/api/facilities/F1", headers=brand).status_code == 404
    assert client.get("/api/facilities", headers=brand).json() == []


def test_an_unknown_token_is_401(world: World):
    bad = {"Authorization": "Bearer not-a-token"}
    assert world.platform.client.get("/api/facilities", headers=bad).status_code == 401
