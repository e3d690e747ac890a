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
from factory_journey.web.pages.areas import homes
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
    # `/` goes to the home the page areas declare for a factory (the facility area's)
    home = homes().get("factory_group", "/account")
    assert client.get("/", follow_redirects=False).headers["location"] == home


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
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?notice=signed-out"
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
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in"
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


def test_a_nul_character_in_a_form_is_refused_in_words(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    data = {"email": "a\x00b@test.example", "password": PASSWORD, "csrf_token": csrf(client)}
    answer = client.post("/sign-in", data=data)
    assert answer.status_code == 422 and "NUL" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
        ("fr-FR, de;q=0.9", "en"),
        ("zh-CN,zh;q=0.9", "zh"),
        ("zh-Hans", "zh"),
        ("en;q=0.5, km;q=0.8", "km"),
        ("bn-BD", "bn"),
        ("tr;q=0, en", "en"),
        ("*", "en"),
        ("", "en"),
        ("vi;q=abc, tr", "tr"),
    ],
)
def test_the_browser_language(header: str, language: str) -> None:
    from factory_journey.services.languages import language_from_header

    assert language_from_header(header) == language


def test_pages_format_numbers_dates_and_money_per_language() -> None:
    import datetime as dt

    from factory_journey.services.languages import page_translator
    from factory_journey.web.pages.shell import LOCALES

    vi = page_translator(LOCALES, ("account", "shell"), "vi")
    assert vi.number(1234567.5, 1) == "1.234.567,5"
    assert vi.currency(12300.4) == "12.300\xa0US$"
    assert vi.date(dt.date(2026, 12, 7)) == "7 tháng 12, 2026"
    assert vi("Sign in") == "Đăng nhập"
    tr = page_translator(LOCALES, ("account", "shell"), "tr")
    assert tr.percent(0.38) == "%38"
    assert page_translator(LOCALES, ("shell",), "en").currency(12.5, "EUR", 2) == "€12.50"


def test_an_htmx_request_of_a_signed_out_visitor_moves_the_whole_window(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    answer = client.get("/account", headers={"HX-Request": "true"}, follow_redirects=False)
    assert answer.status_code == 200
    assert answer.headers["hx-redirect"] == "/sign-in?next=/account"


def test_a_crash_on_a_page_is_an_html_page_with_a_reference(factory) -> None:  # type: ignore[no-untyped-def]
    app = create_app(factory.kw["bind"], DEVELOPMENT)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken-page", broken, include_in_schema=False)
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/broken-page")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in answer.text and "a bug" not in answer.text
    assert re.search(r"reference[^<]*[0-9a-f]{12}", answer.text)


def test_an_error_page_knows_who_is_signed_in(factory) -> None:  # type: ignore[no-untyped-def]
    client = client_for(factory)
    sign_in(client)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Sign out" in page.text and "Ana" in page.text


def test_a_locked_out_sign_in_says_how_long_to_wait_and_keeps_the_email(factory) -> None:  # type: ignore[no-untyped-def]
    from factory_journey.services.platform.account_limits import default_limits

    strict = replace(DEVELOPMENT, account_limits=replace(default_limits(), account_failures=1))
    client = client_for(factory, strict)
    email = "locked-out@test.example"  # no such account: counted all the same
    data = {"email": email, "password": "wrong password 1", "csrf_token": csrf(client)}
    assert client.post("/sign-in", data=data).status_code == 401
    answer = client.post("/sign-in", data=data)
    assert answer.status_code == 429
    assert "Too many attempts to sign in. Try again in 60 seconds." in answer.text
    assert f'value="{email}"' in answer.text
