"""Every route × every role × own / shared (each scope) / unshared / revoked data.

The expected outcome is written out here by hand, independently of the policy table in
`services/platform/policy.py`, so that a change of the policy fails this test until the
change is meant.
"""

from __future__ import annotations

import pytest

from factory_journey.services.platform import accounts, sharing
from factory_journey.store.database import transaction

from .conftest import ACTORS, Platform, make_platform

STATES = ("unshared", "assessment", "matrix", "full", "revoked")
KIND = {name: kind for name, _org, kind, _role in ACTORS}
ROLE = {name: role for name, _org, _kind, role in ACTORS}
OWNERS = {name for name, org, _k, _r in ACTORS if org == "Factory A"}


def expected_status(action: str, actor: str, state: str, ok: int) -> int:
    """The outcome a person would state for this action, actor and sharing state."""
    role, kind = ROLE[actor], KIND[actor]
    if actor in OWNERS:
        allowed = {
            "facility.read": True,
            "submission.read": True,
            "evidence.read": True,
            "matrix.read": True,
            "assessment.read": True,
            "report.read": True,
            "sharing.read": role == "admin",
            "sharing.manage": role == "admin",
            "evidence.create": role in {"admin", "editor"},
            "verification.set": False,  # a facility does not verify its own data
        }[action]
        return ok if allowed else 403
    if state in {"unshared", "revoked"}:
        return 404  # its existence is not disclosed
    full = state == "full"
    allowed = {
        "facility.read": True,
        "assessment.read": True,
        "report.read": True,
        "matrix.read": state in {"matrix", "full"},
        "submission.read": full,
        "evidence.read": full,
        "sharing.read": False,
        "sharing.manage": False,
        "evidence.create": full and kind == "verifier" and role in {"admin", "editor"},
        "verification.set": full and kind == "verifier" and role in {"admin", "editor"},
    }[action]
    return ok if allowed else 403


@pytest.fixture(scope="module")
def platforms(tmp_path_factory) -> dict[str, tuple[Platform, int, int]]:
    """One platform per sharing state: (platform, dummy organisation id, dummy grant id)."""
    out = {}
    for state in STATES:
        platform = make_platform(tmp_path_factory)
        with transaction(platform.factory) as session:
            owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
            dummy = accounts.create_organisation(session, "Dummy Brand", "brand")
            dummy_grant = sharing.grant(session, owner, "F1", dummy.id, "assessment")
            if state != "unshared":
                scope = "full" if state == "revoked" else state
                for org in ("Brand", "Programme", "Verifier", "Factory B"):
                    row = sharing.grant(session, owner, "F1", platform.organisations[org], scope)
                    if state == "revoked":
                        sharing.revoke(session, owner, "F1", row.id)
            out[state] = (platform, dummy.id, dummy_grant.id)
    return out


def _routes(dummy_org: int, dummy_grant: int):
    """(action, method, path, request kwargs, success status)."""
    evidence_file = {"file": ("meter.pdf", b"%PDF-1.4 test", "application/pdf")}
    return [
        ("facility.read", "GET", "/api/facilities/F1", {}, 200),
        ("facility.read", "GET", "/api/facilities/F1/verification", {}, 200),
        ("matrix.read", "GET", "/api/facilities/F1/matrix", {}, 200),
        ("assessment.read", "GET", "/api/facilities/F1/assessment", {}, 200),
        ("assessment.read", "POST", "/api/facilities/F1/assess", {}, 201),
        ("report.read", "GET", "/api/facilities/F1/report.pdf?lang=en", {}, 200),
        ("submission.read", "GET", "/api/facilities/F1/submissions", {}, 200),
        ("submission.read", "GET", "/api/facilities/F1/submissions/2023/1", {}, 200),
        ("sharing.read", "GET", "/api/facilities/F1/grants", {}, 200),
        (
            "sharing.manage",
            "POST",
            "/api/facilities/F1/grants",
            {"json": {"grantee_organisation_id": dummy_org, "scope": "assessment"}},
            201,
        ),
        ("sharing.manage", "POST", f"/api/facilities/F1/grants/{dummy_grant}/revoke", {}, 200),
        ("evidence.read", "GET", "/api/facilities/F1/evidence", {}, 200),
        (
            "evidence.create",
            "POST",
            "/api/facilities/F1/evidence",
            {"files": evidence_file, "data": {"year": "2023", "subject": "sipoperatingdays"}},
            201,
        ),
        (
            "verification.set",
            "POST",
            "/api/facilities/F1/verification",
            {
                "json": {
                    "year": 2023,
                    "subject": "energy",
                    "status": "verified",
                    "observation": "Meter readings seen on site match the invoices of 2023.",
                }
            },
            201,
        ),
    ]


# Owners are the same in every sharing state: they are walked once, in "unshared".
CASES = [
    (state, actor, index)
    for state in STATES
    for actor, *_ in ACTORS
    if actor not in OWNERS or state == "unshared"
    for index in range(len(_routes(1, 1)))
]


@pytest.mark.parametrize(("state", "actor", "index"), CASES)
def test_route_role_state(platforms, state, actor, index):
    platform, dummy_org, dummy_grant = platforms[state]
    action, method, path, kwargs, ok = _routes(dummy_org, dummy_grant)[index]
    response = platform.client.request(method, path, headers=platform.headers(actor), **kwargs)
    assert response.status_code == expected_status(action, actor, state, ok), (
        f"{method} {path} as {actor} ({state}): {response.status_code} {response.text}"
    )


def test_routes_cover_every_policy_action():
    from factory_journey.services.platform.policy import POLICY

    covered = {action for action, *_ in _routes(1, 1)}
    assert set(POLICY) == covered


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


def test_upload_route_refuses_a_brand(platforms):
    platform, *_ = platforms["unshared"]
    response = platform.client.post(
        "/api/uploads",
        files={"file": ("data.json", b"{}", "application/json")},
        headers=platform.headers("brand_viewer"),
    )
    assert response.status_code == 403


def test_brand_list_never_shows_an_unshared_facility(platforms):
    platform, *_ = platforms["unshared"]
    listed = platform.client.get("/api/facilities", headers=platform.headers("brand_viewer"))
    assert listed.status_code == 200
    assert listed.json() == []
    platform, *_ = platforms["revoked"]
    listed = platform.client.get("/api/facilities", headers=platform.headers("brand_viewer"))
    assert listed.json() == []


def test_revoking_takes_effect_at_once(tmp_path_factory):
    platform = make_platform(tmp_path_factory)
    client = platform.client
    brand_id = platform.organisations["Brand"]
    created = client.post(
        "/api/facilities/F1/grants",
        json={"grantee_organisation_id": brand_id, "scope": "full"},
        headers=platform.headers("owner_admin"),
    )
    assert created.status_code == 201
    assert (
        client.get("/api/facilities/F1", headers=platform.headers("brand_viewer")).status_code
        == 200
    )
    revoked = client.post(
        f"/api/facilities/F1/grants/{created.json()['id']}/revoke",
        headers=platform.headers("owner_admin"),
    )
    assert revoked.status_code == 200
    assert (
        client.get("/api/facilities/F1", headers=platform.headers("brand_viewer")).status_code
        == 404
    )
    assert client.get("/api/facilities", headers=platform.headers("brand_viewer")).json() == []


def test_no_token_is_401(platforms):
    platform, *_ = platforms["unshared"]
    assert platform.client.get("/api/facilities").status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert platform.client.get("/api/facilities", headers=bad).status_code == 401
