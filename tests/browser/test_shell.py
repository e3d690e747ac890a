"""The shell in a real browser: every demo role reaches its home from `/`, with the header,
navigation and language switcher, accessible, on a desktop and on a 360 px phone."""

from __future__ import annotations

import pytest

from .conftest import ROLES


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_signed_out_visitor_gets_the_sign_in_page(page_as, snap, assert_accessible, phone):  # type: ignore[no-untyped-def]
    page = page_as(None, phone=phone)
    page.goto("/")
    assert page.url.endswith("/sign-in")
    assert page.locator("h1").inner_text() == "Sign in"
    assert page.get_by_label("E-mail address").is_visible()
    # Nothing wider than the screen: the page reads without sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "sign-in")
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    snap(page, "skip-link-focused")


def test_every_role_lands_on_its_home(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    for role in ROLES:
        page = page_as(role)
        page.goto("/")
        assert page.locator("main h1").count() == 1, role
        assert page.get_by_role("button", name="Sign out").is_visible(), role
        snap(page, f"home-{role}")
        assert_accessible(page)


def test_with_javascript_off_one_signs_in_chooses_a_language_and_signs_out(page_as, snap):  # type: ignore[no-untyped-def]
    page = page_as(None, javascript=False)
    page.goto("/sign-in")
    page.get_by_label("E-mail address").fill("park.manager@demo.test")
    page.get_by_label("Password", exact=True).fill("journey-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/parks")  # the park operator's home
    page.goto("/account")
    page.get_by_label("Language").select_option("tr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.locator("h1").inner_text() == "Hesabınız"
    snap(page, "account-tr-no-javascript")
    # Back to English while signed in (the account keeps its choice; others use it too).
    page.get_by_label("Dil").select_option("en")
    page.get_by_role("button", name="Değiştir").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?notice=signed-out")
    assert page.get_by_role("status").inner_text() == "You are signed out."
