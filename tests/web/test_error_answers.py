"""Error answers in our words: 422 never echoes input (#13 review), 500 is a Problem with
security headers and a reference, the traceback only in the log."""

from __future__ import annotations

import logging

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from factory_journey.store.database import make_engine
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url

SETTINGS = Settings("development", None, secure_cookies=False, demo_accounts=False)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app = create_app(make_engine(test_database_url(tmp_path_factory)), SETTINGS)
    broken = APIRouter()  # a test-only route that fails as an unforeseen bug would

    @broken.get("/api/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret internal state 0xdeadbeef")

    app.include_router(broken)
    return TestClient(app, raise_server_exceptions=False)


def _field_errors(answer) -> list[dict]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, list) and detail
    for entry in detail:
        assert set(entry) == {"loc", "msg", "type"}, entry  # no input, no ctx
    return detail


def test_a_long_email_is_not_echoed(client: TestClient) -> None:
    email = "a" * 100_000
    answer = client.post("/api/auth/sign-in", json={"email": email, "password": "x"})
    (entry,) = _field_errors(answer)
    assert len(answer.content) < 1_000
    assert entry["msg"] == "email: at most 320 characters"
    assert entry["loc"] == ["body", "email"]


def test_a_control_character_is_named_not_the_pattern(client: TestClient) -> None:
    answer = client.post("/api/auth/sign-in", json={"email": "a\x01b@x.example", "password": "x"})
    (entry,) = _field_errors(answer)
    assert entry["msg"] == "email: must not contain control characters (a line of text)"
    assert "should match" not in answer.text and "\\x1f" not in answer.text


def test_a_password_is_never_sent_back(client: TestClient) -> None:
    password = "hunter2-but-with-\x00-a-nul"
    answer = client.post("/api/auth/sign-in", json={"email": "a@x.example", "password": password})
    (entry,) = _field_errors(answer)
    assert "hunter2" not in answer.text
    assert entry["msg"] == "password: must not contain a NUL character"


def test_bad_json_is_located_in_our_words(client: TestClient) -> None:
    answer = client.post(
        "/api/auth/sign-in",
        content=b'{"email": "a@x.example",\n "password": }',
        headers={"content-type": "application/json"},
    )
    (entry,) = _field_errors(answer)
    assert entry["msg"] == "the body is not valid JSON (at character 39)"  # the `}`
    assert "decode" not in answer.text and "Expecting" not in answer.text


def test_a_missing_field_and_a_query_value(client: TestClient) -> None:
    answer = client.post("/api/auth/sign-in", json={"email": "a@x.example"})
    (entry,) = _field_errors(answer)
    assert entry["msg"] == "password: is required"


def test_a_server_error_is_a_problem_with_security_headers(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="factory_journey"):
        answer = client.get("/api/test-only/boom")
    assert answer.status_code == 500
    detail = answer.json()["detail"]
    assert detail.startswith("something went wrong on our side; it has been logged with reference")
    reference = detail.split("reference ")[1].split(":")[0]
    assert "0xdeadbeef" not in answer.text and "Traceback" not in answer.text
    assert reference in caplog.text and "0xdeadbeef" in caplog.text  # the log has the traceback
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"
