"""The web pages' shell: the page session cookie, sign-out and revocation at once, CSRF,
language choice, error pages and caching (the pages themselves: tests/browser/)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import User
from factory_journey.web.app import create_app
from factory_journey.web.pages.shell import (
    CSRF_COOKIE,
    LANGUAGE_COOKIE,
    PAGE_COOKIE,
    form_token,
    safe_next,
)
from factory_journey.web.settings import Settings
from tests.database import test_database_url

PASSWORD = "correct horse battery"
EMAIL = "ana@test.example"
DEVELOPMENT = Settings("development", None, secure_cookies=True, demo_accounts=False)


@pytest.fixture(scope="module")
def factory(tmp_path_factory):  # type: ignore[no-untyped-def]
    engine = make_engine(test_database_url(tmp_path_factory))
    create_app(engine, DEVELOPMENT)  # migrates
    factory = session_factory(engine)
    with transaction(factory) as session:
        organisation = accounts.create_organisation(session, "Factory A", "factory_group")
        accounts.create_user(session, EMAIL, PASSWORD, "Ana", organisation, "editor")
    yield factory
    engine.dispose()


def client_for(factory, settings: Settings = DEVELOPMENT, base: str = "http://testserver"):  # type: ignore[no-untyped-def]
    app = create_app(factory.kw["bind"], settings)
    return TestClient(app, base_url=base)


def csrf(client: TestClient, path: str = "/sign-in") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    data = {"email": EMAIL, "password": password, "csrf_token": csrf(client), **extra}
    return client.post("/sign-in", data=data, follow_redirects=False)


def test_sign_in_sets_an_httponly_lax_session_cookie_and_goes_home(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    answer = sign_in(client, next="/account")
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(PAGE_COOKIE))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # plain http on a development machine: kept by the browser
    page = client.get("/account")
    assert page.status_code == 200 and EMAIL in page.text
    assert page.headers["cache-control"] == "no-store"
    assert client.get("/", follow_redirects=False).headers["location"] == "/account"


def test_the_cookie_is_secure_in_production_and_over_https(factory) -> None:  # type: ignore[no-untyped-def]
    https = replace(DEVELOPMENT, public_url="https://journey.example")
    answer = sign_in(client_for(factory, https, "https://testserver"))
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(PAGE_COOKIE))
    assert "Secure" in cookie


def test_a_refused_sign_in_keeps_the_email_but_not_the_password(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    answer = sign_in(client, password="not the password at all")
    assert answer.status_code == 401
    assert f'value="{EMAIL}"' in answer.text
    assert "not the password at all" not in answer.text
    assert "The e-mail address or the password is not right." in answer.text
    assert PAGE_COOKIE not in answer.cookies


def test_sign_out_and_revocation_are_in_force_on_the_next_request(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    sign_in(client)
    token = client.cookies[PAGE_COOKIE]
    answer = client.post(
        "/sign-out", data={"csrf_token": form_token(token)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
    client.cookies.set(PAGE_COOKIE, token)  # a copy of the old cookie is worth nothing
    refused = client.get("/account", follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/sign-in?next=/account"

    sign_in(client)
    with transaction(factory) as session:
        user = session.query(User).filter_by(email=EMAIL).one()
        accounts.revoke_tokens(session, user.id)  # e.g. a password change elsewhere
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_a_form_needs_the_token_of_its_own_session(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    client.get("/sign-in")
    stranger = form_token("somebody else's cookie")
    data = {"email": EMAIL, "password": PASSWORD, "csrf_token": stranger}
    answer = client.post("/sign-in", data=data, follow_redirects=False)
    assert answer.status_code == 403
    assert PAGE_COOKIE not in answer.cookies
    client.cookies.delete(CSRF_COOKIE)
    answer = client.post("/sign-in", data={**data, "csrf_token": csrf(client)[:10]})
    assert answer.status_code == 403


def test_language_from_the_browser_then_the_choice_then_the_account(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    page = client.get("/sign-in", headers={"accept-language": "fr;q=1, vi-VN;q=0.8, en;q=0.5"})
    assert '<html lang="vi">' in page.text and "Đăng nhập" in page.text
    token = csrf(client)
    answer = client.post(
        "/language",
        data={"language": "zh-Hans", "next": "/sign-in", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
    assert client.cookies[LANGUAGE_COOKIE] == "zh"
    assert '<html lang="zh-Hans">' in client.get("/sign-in").text
    # Signed in, the choice is the account's: it follows the person to another browser.
    sign_in(client)
    answer = client.post(
        "/language",
        data={"language": "tr", "next": "//evil.example", "csrf_token": csrf(client, "/account")},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
    other = client_for(factory)
    sign_in(other)
    assert '<html lang="tr">' in other.get("/account").text
    with transaction(factory) as session:
        session.query(User).filter_by(email=EMAIL).one().language = None


def test_the_vietnamese_sign_in_page_has_no_english_left(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    client.cookies.set(LANGUAGE_COOKIE, "vi")
    text = client.get("/sign-in").text
    visible = re.sub(r"<[^>]+>", "\n", text)
    english = {"Sign in", "Password", "Language", "Change", "Forgotten your password?"}
    lines = {line.strip() for line in visible.splitlines()}
    assert not english & lines


def test_error_pages_are_html_and_the_api_keeps_json(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text
    api = client.get("/api/no-such-route")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert client.get("/static/pages/pages.css").status_code == 200
    assert client.get("/static/pages/vendor/htmx.min.js").status_code == 200


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/account", "/account"),
        ("/facilities/F1?year=2023", "/facilities/F1?year=2023"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_next_stays_on_this_site(target: str, safe: str) -> None:
    assert safe_next(target) == safe
