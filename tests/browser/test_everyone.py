"""The pages everyone has, end to end in Chromium: sign in (wrong, then right), the language
chosen once and remembered across sign-out and sign-in, a password change, a reset through the
one-time link of the outbox, an invitation accepted, and no private data after sign-out."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from factory_journey.services.platform import accounts, invitations
from factory_journey.services.platform.account_limits import default_limits
from factory_journey.store.database import transaction
from factory_journey.store.models import Organisation, OutboxMessage

from .conftest import LiveServer

FIRST_PASSWORD = "first long password"
SECOND_PASSWORD = "second long password"
THIRD_PASSWORD = "third long password"


def new_person(server: LiveServer) -> str:
    """A fresh account of the demo factory group (other tests keep the demo passwords)."""
    email = f"person-{uuid.uuid4().hex[:8]}@demo.test"
    with transaction(server.factory) as session:
        group = session.scalar(
            select(Organisation).where(Organisation.name == "Demo Factory Group")
        )
        assert group is not None
        accounts.create_user(session, email, FIRST_PASSWORD, "Thu Trang", group, "viewer")
    return email


def link_in_outbox(server: LiveServer, email: str, path: str) -> str:
    """The path and query of the newest link to `path` in a message to `email`."""
    with transaction(server.factory) as session:
        bodies = session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).all()
    for body in bodies:
        found = re.search(rf"https?://\S+{re.escape(path)}\?token=[\w-]+", body)
        if found:
            parts = urlsplit(found.group(0))
            return f"{parts.path}?{parts.query}"
    raise AssertionError(f"no {path} link in the messages to {email}")


def sign_in(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_language_password_and_sign_out(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible
):
    email = new_person(live_server)
    page = page_as(None)
    page.goto("/account")  # a private page: first, sign in
    assert urlsplit(page.url).path == "/sign-in"

    sign_in(page, email, "not the password")
    error = page.get_by_role("alert")
    assert "not right" in error.inner_text()
    assert page.get_by_label("E-mail address").input_value() == email  # kept
    assert page.get_by_label("Password", exact=True).input_value() == ""  # never sent back
    snap(page, "01-sign-in-refused")
    assert_accessible(page)

    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account")  # back where it started
    assert email in page.locator("main").inner_text()
    snap(page, "02-account")
    assert_accessible(page)

    # Vietnamese, chosen once.
    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.lang === 'vi'")
    assert page.locator("h1").inner_text() == "Tài khoản của bạn"
    snap(page, "03-account-vi")
    assert_accessible(page)

    # Signed out: Vietnamese still (this browser), and the back button shows nothing private.
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/sign-in?notice=signed-out")
    assert page.get_by_role("status").inner_text() == "Bạn đã đăng xuất."
    snap(page, "04-signed-out-vi")
    assert_accessible(page)
    page.go_back()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/sign-in"
    assert email not in page.content()
    snap(page, "05-back-after-sign-out")

    # Another browser, no language cookie: the account remembers Vietnamese.
    other = page_as(None)
    other.goto("/sign-in")
    assert other.evaluate("document.documentElement.lang") == "en"
    other.get_by_label("E-mail address").fill(email)
    other.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_function("document.documentElement.lang === 'vi'")
    snap(other, "06-signed-in-elsewhere-vi")

    # Password change (in Vietnamese): a wrong current password keeps nothing typed.
    other.goto("/account/password")
    other.get_by_label("Mật khẩu hiện tại").fill("wrong current password")
    other.get_by_label("Mật khẩu mới", exact=True).fill(SECOND_PASSWORD)
    other.get_by_label("Nhập lại mật khẩu mới").fill(SECOND_PASSWORD)
    other.get_by_role("button", name="Đổi mật khẩu").click()
    assert "Mật khẩu hiện tại không đúng." in other.get_by_role("alert").inner_text()
    snap(other, "07-password-refused-vi")
    assert_accessible(other)
    other.get_by_label("Mật khẩu hiện tại").fill(FIRST_PASSWORD)
    other.get_by_label("Mật khẩu mới", exact=True).fill(SECOND_PASSWORD)
    other.get_by_label("Nhập lại mật khẩu mới").fill(SECOND_PASSWORD)
    other.get_by_role("button", name="Đổi mật khẩu").click()
    other.wait_for_url("**/account?notice=password")
    snap(other, "08-password-changed-vi")
    assert_accessible(other)


def test_reset_through_the_link_of_the_outbox(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible
):
    email = new_person(live_server)
    page = page_as(None)
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send the link").click()
    assert email in page.get_by_role("status").inner_text()
    snap(page, "01-link-sent")
    assert_accessible(page)

    page.goto(link_in_outbox(live_server, email, "/password-reset/new"))
    page.get_by_label("New password", exact=True).fill(SECOND_PASSWORD)
    page.get_by_label("New password again").fill("something else entirely")
    page.get_by_role("button", name="Set the password").click()
    assert "not the same" in page.get_by_role("alert").inner_text()
    snap(page, "02-passwords-differ")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(SECOND_PASSWORD)
    page.get_by_label("New password again").fill(SECOND_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    page.wait_for_url("**/sign-in?notice=reset")
    snap(page, "03-password-set")
    sign_in(page, email, SECOND_PASSWORD)
    page.wait_for_url("**/facilities")  # the factory's home

    # The link works once.
    page.goto(link_in_outbox(live_server, email, "/password-reset/new"))
    page.get_by_label("New password", exact=True).fill(THIRD_PASSWORD)
    page.get_by_label("New password again").fill(THIRD_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    assert "not valid" in page.get_by_role("alert").inner_text()
    snap(page, "04-link-used")


def test_an_invitation_is_accepted_and_signs_in(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible
):
    email = f"invited-{uuid.uuid4().hex[:8]}@demo.test"
    with transaction(live_server.factory) as session:
        admin = accounts.actor_for_email(session, live_server.email("factory.admin"))
        invitations.invite(session, admin, email, "editor", default_limits(), live_server.url)
    page = page_as(None)
    page.goto(link_in_outbox(live_server, email, "/invitation"))
    page.get_by_label("Your name").fill("Nguyễn Văn An")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Create my account").click()
    assert "at least 10 characters" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Your name").input_value() == "Nguyễn Văn An"  # kept
    snap(page, "01-password-too-short")
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_label("Password again").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.goto("/account")
    assert "Nguyễn Văn An" in page.locator("main").inner_text()
    snap(page, "02-signed-in")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in",
        "/password-reset",
        "/password-reset/new?token=unknown",
        "/invitation?token=unknown",
        "/no-such-page",
    ],
)
def test_signed_out_pages_on_a_phone(page_as, snap, assert_accessible, path):  # type: ignore[no-untyped-def]
    page = page_as(None, phone=True)
    page.goto(path)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "phone")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["km", "am"])
@pytest.mark.parametrize("path", ["/account", "/account/password"])
def test_signed_in_pages_on_a_phone_in_khmer_and_amharic(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible, path, lang
):
    page = page_as("factory.viewer", phone=True)
    page.context.add_cookies([{"name": "journey_lang", "value": lang, "url": live_server.url}])
    page.goto(path)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, f"phone-{lang}")
    assert_accessible(page)
