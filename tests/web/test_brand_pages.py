"""The brand and programme pages through the app (no browser): htmx fragments, refused input
kept and named, exports equal to the page, the page in another language."""

from __future__ import annotations

import csv
import io
import re

import pytest

from factory_journey.services.platform import accounts, sharing
from factory_journey.store.database import transaction
from factory_journey.web.pages.shell import PAGE_COOKIE, form_token

from .conftest import make_platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        sharing.grant(session, owner, "F1", platform.organisations["Brand"], "assessment")
    return platform


def _client(platform, actor="brand_viewer"):  # type: ignore[no-untyped-def]
    client = platform.client
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, platform.tokens[actor])
    return client


def test_htmx_gets_the_results_only_and_history_the_whole_page(platform):
    client = _client(platform)
    fragment = client.get("/portfolio?sort=high", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="results"')
    assert "<html" not in fragment.text and 'data-facility-id="F1"' in fragment.text
    restored = client.get("/portfolio?sort=high", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.text and 'id="filters"' in restored.text
    assert fragment.headers["vary"] == "HX-Request"


def test_a_bad_filter_is_named_and_the_rest_applied(platform):
    page = _client(platform).get("/portfolio?year=20x&type=vertical")
    assert page.status_code == 200
    assert "Year: “20x” is not accepted" in page.text
    assert '<option value="vertical" selected>' in page.text
    assert 'data-facility-id="F1"' in page.text  # F1 is vertical


def test_the_export_holds_the_rows_of_the_page(platform):
    client = _client(platform)
    page = client.get("/portfolio?sort=name")
    shown = re.findall(r'data-facility-id="([^"]+)"', page.text)
    body = client.get("/portfolio/export.csv?sort=name")
    assert body.headers["content-disposition"] == 'attachment; filename="portfolio.csv"'
    rows = list(csv.DictReader(io.StringIO(body.text)))
    assert [r["facility_id"] for r in rows] == shown == ["F1"]


def test_a_refused_request_keeps_what_was_typed(platform):
    client = _client(platform)
    token = form_token(platform.tokens["brand_viewer"])
    refused = client.post("/access", data={"query": "   ", "scope": "assessment",
                                           "message": "Our audit in May", "csrf_token": token})
    assert refused.status_code == 400
    assert "Enter the facility&#39;s Open Supply Hub ID or its name." in refused.text
    assert "Our audit in May" in refused.text
    sent = client.post("/access", data={"query": "Facility One", "scope": "matrix",
                                        "csrf_token": token}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/access?sent=1"


def test_the_portfolio_in_vietnamese(platform):
    client = _client(platform)
    client.cookies.set("journey_lang", "vi")
    with transaction(platform.factory) as session:
        from factory_journey.services.platform import preferences

        preferences.set_language(session, accounts.actor_for_email(
            session, "brand_viewer@test.example"), "vi")
    page = client.get("/portfolio")
    assert "<h1>Danh mục</h1>" in page.text
    assert "Xuất ra Excel (.xlsx)" in page.text
    with transaction(platform.factory) as session:
        from factory_journey.services.platform import preferences

        preferences.set_language(session, accounts.actor_for_email(
            session, "brand_viewer@test.example"), "en")
