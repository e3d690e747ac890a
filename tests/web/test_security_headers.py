"""Security headers, the API docs served from the package, and the production mode (#13)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factory_journey.services.platform import accounts
from factory_journey.services.platform.demo_accounts import ensure_demo_accounts
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.web import api_docs
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings, UnsafeSettings
from tests.database import test_database_url

DEVELOPMENT = Settings("development", None, secure_cookies=False, demo_accounts=False)
PRODUCTION = replace(
    DEVELOPMENT,
    environment="production",
    secure_cookies=True,
    api_docs=False,
    public_url="https://journey.example",
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    engine = make_engine(test_database_url(tmp_path_factory))
    app = create_app(engine, DEVELOPMENT)
    with transaction(session_factory(engine)) as session:
        organisation = accounts.create_organisation(session, "Org", "brand")
        accounts.create_user(
            session, "a@org.example", "correct horse battery", "A", organisation, "viewer"
        )
    return TestClient(app)


def _token(client: TestClient) -> dict[str, str]:
    answer = client.post(
        "/api/auth/sign-in", json={"email": "a@org.example", "password": "correct horse battery"}
    )
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.mark.parametrize(
    "path", ["/api/me", "/api/facilities", "/api/nowhere", "/docs", "/openapi.json"]
)
def test_every_answer_has_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path, headers=_token(client))
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in answer.headers  # plain http, no proxy
    if path.startswith("/api/"):
        assert answer.headers["cache-control"] == "no-store"


def test_errors_and_unauthenticated_answers_have_them_too(client: TestClient) -> None:
    client = TestClient(client.app)  # no session cookie
    for answer in (
        client.get("/api/me"),
        client.post("/api/auth/sign-in", json={"email": 1}),
        client.post("/api/auth/sign-in", json={"email": "x@y.z", "password": "nope"}),
    ):
        assert answer.status_code in {401, 422}
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"


def test_hsts_behind_tls(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    proxied = client.get("/api/me", headers={"X-Forwarded-Proto": "https"})
    assert proxied.headers["strict-transport-security"].startswith("max-age=63072000")
    direct = TestClient(client.app, base_url="https://testserver").get("/api/me")
    assert "strict-transport-security" in direct.headers
    engine = make_engine(test_database_url(tmp_path_factory))
    always = TestClient(create_app(engine, replace(DEVELOPMENT, hsts=True)))
    assert "strict-transport-security" in always.get("/api/me").headers


def test_docs_load_nothing_from_elsewhere_and_no_inline_script(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.text
    assert "cdn" not in html.lower() and "//" not in html.replace("<!doctype html>", "")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert 'data-openapi-url="/openapi.json"' in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["x-content-type-options"] == "nosniff"
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    init = client.get("/static/swagger-ui/docs-init.js").text
    assert "validatorUrl: null" in init and "http" not in init


def test_vendored_swagger_ui_is_packaged_with_its_licence() -> None:
    folder = api_docs.STATIC / "swagger-ui"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE", "README.md"):
        assert (folder / name).is_file(), name
    assert "Apache License" in (folder / "LICENSE").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    version = re.search(r"\*\*(\d+\.\d+\.\d+)\*\*", readme)
    assert (
        version
        and "/*! For license information please see"
        in (folder / "swagger-ui-bundle.js").read_text(encoding="utf-8")[:200]
    )
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]["factory_journey"]
    assert "web/static/**/*" in package_data
    assert "services/platform/data/*.yaml" in package_data


def test_production_serves_no_docs(tmp_path_factory: pytest.TempPathFactory) -> None:
    engine = make_engine(test_database_url(tmp_path_factory))
    client = TestClient(create_app(engine, PRODUCTION))
    for path in ("/docs", "/redoc", "/openapi.json", "/static/swagger-ui/swagger-ui-bundle.js"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "content-security-policy" in answer.headers


def test_production_refuses_a_database_with_demo_accounts(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    engine = make_engine(test_database_url(tmp_path_factory))
    create_app(engine, DEVELOPMENT)
    with transaction(session_factory(engine)) as session:
        ensure_demo_accounts(session)
    with pytest.raises(UnsafeSettings, match=r"demo accounts .*factory\.admin@demo\.test"):
        create_app(engine, PRODUCTION)


GOOD = {
    "JOURNEY_ENV": "production",
    "JOURNEY_DATABASE_URL": "postgresql+psycopg://journey:9f2c-long-own-secret@db:5432/journey",
    "JOURNEY_PUBLIC_URL": "https://journey.example",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, None),
        ({"JOURNEY_DATABASE_URL": "sqlite:///journey.db"}, "PostgreSQL URL"),
        ({"JOURNEY_DATABASE_URL": None}, "PostgreSQL URL"),
        ({"JOURNEY_DATABASE_URL": "postgresql://journey:postgres@db/j"}, "published default"),
        ({"JOURNEY_DATABASE_URL": "postgresql://journey@db/j"}, "missing or a published"),
        ({"JOURNEY_DATABASE_URL": "postgresql:///journey"}, None),  # Unix socket, peer auth
        ({"JOURNEY_DEMO_ACCOUNTS": "1"}, "demo accounts"),
        ({"JOURNEY_SECURE_COOKIES": "0"}, "secure cookies"),
        ({"JOURNEY_PUBLIC_URL": None}, "JOURNEY_PUBLIC_URL"),
        ({"JOURNEY_PUBLIC_URL": "http://journey.example"}, "https://"),
        ({"JOURNEY_ENV": "prod"}, "accepted: development, production"),
        ({"JOURNEY_API_DOCS": "maybe"}, "JOURNEY_API_DOCS is 'maybe'"),
    ],
)
def test_production_settings(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, str | None], message: str | None
) -> None:
    for name in ("JOURNEY_DEMO_ACCOUNTS", "JOURNEY_SECURE_COOKIES", "JOURNEY_API_DOCS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**GOOD, **change}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    if message is None:
        settings = Settings.from_env()
        assert settings.production and not settings.api_docs and not settings.demo_accounts
    else:
        with pytest.raises(UnsafeSettings, match=re.escape(message)):
            Settings.from_env()


def test_development_keeps_its_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "JOURNEY_ENV",
        "JOURNEY_DEMO_ACCOUNTS",
        "JOURNEY_API_DOCS",
        "JOURNEY_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert settings.demo_accounts and settings.api_docs and not settings.production
