"""Access requests end to end through the API: the requester cannot tell whether a facility is
on the platform; the factory's admin is told, accepts (a grant: the facility is in the
requester's portfolio at once) or declines; the requester may withdraw; all audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factory_journey.services.platform import access_requests, accounts
from factory_journey.services.platform.errors import Conflict
from factory_journey.store.database import transaction
from factory_journey.store.models import AuditEvent, Facility, OutboxMessage

from .conftest import make_platform

OS_ID = "CN2019123ABCDE"


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    from factory_journey.domain.os_hub_id import check_character

    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        session.get(Facility, "F1").os_hub_id = OS_ID + check_character(OS_ID)
    return platform


def _outbox(platform, recipient):  # type: ignore[no-untyped-def]
    with transaction(platform.factory) as session:
        return list(session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.recipient == recipient)))


def test_found_and_not_found_answer_alike(platform):
    client, brand = platform.client, platform.headers("brand_viewer")
    found = client.post("/api/access-requests", json={"query": "facility one"}, headers=brand)
    missing = client.post("/api/access-requests", json={"query": "Nobody Mill"}, headers=brand)
    assert found.status_code == missing.status_code == 202
    for body in (found.json(), missing.json()):
        assert body["status"] == "pending"
        assert body["facility_id"] is None and body["facility_name"] is None
    assert set(found.json()) == set(missing.json())
    again = client.post("/api/access-requests", json={"query": "Facility One"}, headers=brand)
    assert again.json()["id"] == found.json()["id"]  # asked once
    assert _outbox(platform, "owner_admin@test.example") == ["Access request for Facility One"]
    client.post(f"/api/access-requests/{missing.json()['id']}/withdraw", headers=brand)


def test_the_admin_accepts_and_the_facility_is_shared_at_once(platform):
    client = platform.client
    verifier = platform.headers("verifier_viewer")
    sent = client.post("/api/access-requests", headers=verifier,
                       json={"query": hyphenated(OS_ID), "scope": "full",
                             "message": "Audit 2024"})
    assert sent.status_code == 202
    assert client.get("/api/facilities/F1", headers=verifier).status_code == 404
    received = client.get("/api/access-requests/received",
                          headers=platform.headers("owner_admin")).json()
    line = next(r for r in received if r["id"] == sent.json()["id"])
    assert (line["requester"], line["facility_id"], line["scope"], line["message"]) == (
        "Verifier", "F1", "full", "Audit 2024")
    assert client.get("/api/access-requests/received",
                      headers=platform.headers("owner_editor")).json() == []
    refused = client.post(f"/api/access-requests/{line['id']}/accept",
                          headers=platform.headers("owner_editor"))
    assert refused.status_code == 403
    accepted = client.post(f"/api/access-requests/{line['id']}/accept",
                           json={"scope": "assessment"}, headers=platform.headers("owner_admin"))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert client.get("/api/facilities/F1", headers=verifier).json()["scope"] == "assessment"
    mine = client.get("/api/access-requests", headers=verifier).json()
    assert mine[0]["facility_name"] == "Facility One" and mine[0]["status"] == "accepted"
    twice = client.post(f"/api/access-requests/{line['id']}/decline",
                        headers=platform.headers("owner_admin"))
    assert twice.status_code == 409
    assert "Your access request was accepted" in _outbox(platform, "verifier_viewer@test.example")


def hyphenated(first_fourteen: str) -> str:
    """The whole OS Hub ID as people write it, e.g. `CN-2019123-ABCDE-X`."""
    from factory_journey.domain.os_hub_id import check_character, parse_os_hub_id

    return parse_os_hub_id(first_fourteen + check_character(first_fourteen)).hyphenated()


def test_decline_and_withdraw_are_audited(platform):
    with transaction(platform.factory) as session:
        programme = accounts.actor_for_email(session, "programme_admin@test.example")
        asked = access_requests.request_access(session, programme, "Facility One")
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        access_requests.decline(session, owner, asked.id)
        assert access_requests.sent(session, programme)[0].status == "declined"
        assert access_requests.sent(session, programme)[0].facility_id is None
        with pytest.raises(Conflict):
            access_requests.withdraw(session, programme, asked.id)
        again = access_requests.request_access(session, programme, "Facility One")
        assert again.id != asked.id
        access_requests.withdraw(session, programme, again.id)
        actions = list(session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "access_request",
                                            AuditEvent.entity_id.in_([str(asked.id),
                                                                      str(again.id)]))))
    assert sorted(actions) == sorted(["access.request", "access.decline", "access.request",
                                      "access.withdraw"])


def test_a_name_two_facilities_share_finds_neither(platform):
    with transaction(platform.factory) as session:
        session.get(Facility, "F1").name = "Twin Mill"
        other = Facility(id="F2", name="twin  mill", country_iso2="VN",
                         owner_organisation_id=platform.organisations["Factory B"])
        session.add(other)
        session.flush()
        assert access_requests.find_facility(session, "Twin Mill") is None
        session.delete(other)
        session.flush()
        assert access_requests.find_facility(session, "TWIN mill").id == "F1"
        session.get(Facility, "F1").name = "Facility One"
