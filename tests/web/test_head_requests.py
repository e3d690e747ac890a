"""HEAD is answered like GET without a body (web/head_requests.py): `curl -I`, uptime monitors
and link checkers get the page's or the answer's status and headers, not 405."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url

SETTINGS = Settings("development", None, secure_cookies=False, demo_accounts=False)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    engine = make_engine(test_database_url(tmp_path_factory))
    app = create_app(engine, SETTINGS)  # migrates the database
    with transaction(session_factory(engine)) as session:
        organisation = accounts.create_organisation(session, "Org", "brand")
        accounts.create_user(
            session, "h@org.example", "correct horse battery", "H", organisation, "viewer"
        )
    return TestClient(app)


@pytest.mark.parametrize("path", ["/sign-in", "/open-data", "/api/public/facilities",
                                  "/static/pages/pages.css", "/api/me"])
def test_head_has_the_status_and_headers_of_get_and_no_body(client: TestClient,
                                                            path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]
    if "content-length" in got.headers and got.status_code == 200:
        assert head.headers["content-length"] == got.headers["content-length"]


def test_head_signed_in_reads_as_get_would(client: TestClient) -> None:
    token = client.post("/api/auth/sign-in", json={
        "email": "h@org.example", "password": "correct horse battery"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=headers).status_code == 200
    head = client.head("/api/me", headers=headers)
    assert head.status_code == 200 and head.content == b""


def test_a_route_without_get_still_refuses_head(client: TestClient) -> None:
    assert client.post("/api/auth/sign-in", json={}).status_code == 422
    assert client.head("/api/auth/sign-in").status_code == 405
