"""The brand analyst and the programme officer in a real browser (#15): the portfolio with
filters and exports equal to the page, an access request the factory admin accepts, a revoke
the brand's very next page obeys, and the programme's evaluation with its charts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from playwright.sync_api import expect
from sqlalchemy import select

from factory_journey.services.platform import accounts, sharing
from factory_journey.store.database import transaction
from factory_journey.store.models import Facility, Organisation, SharingGrant


def _shown_ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("table.portfolio-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.facilityId)"
    )


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def _not_shared_with_brand(server) -> Facility:  # type: ignore[no-untyped-def]
    with transaction(server.factory) as session:
        brand = session.scalar(select(Organisation).where(Organisation.name == "Demo Brand"))
        shared = set(session.scalars(select(SharingGrant.facility_id).where(
            SharingGrant.grantee_organisation_id == brand.id)))
        names = {}
        for facility in session.scalars(select(Facility).order_by(Facility.id)):
            names.setdefault(facility.name.lower(), []).append(facility)
        return next(f for f in session.scalars(select(Facility).order_by(Facility.id))
                    if f.id not in shared and len(names[f.name.lower()]) == 1)


def test_brand_portfolio_filters_exports_and_access(live_server, page_as, snap,  # type: ignore[no-untyped-def]
                                                     assert_accessible, tmp_path):
    page = page_as("brand.analyst")
    page.goto("/")
    assert page.url.endswith("/portfolio")
    everything = _shown_ids(page)
    assert everything, "the demo brand sees the facilities shared with it"
    assert page.locator("figure.benchmark svg").count() >= 1  # a peer group of >= 5
    assert "n = " in page.locator("figure.benchmark svg").first.inner_html()
    snap(page, "portfolio")
    assert_accessible(page)

    # Filter by the first facility's country (htmx swaps the results in).
    country = page.locator("table.portfolio-table tbody tr").first.get_attribute(
        "data-country")
    with page.expect_response(lambda r: "/portfolio?" in r.url):
        page.select_option("#filter-country", country)
    page.wait_for_function(
        "c => [...document.querySelectorAll('table.portfolio-table tbody tr')]"
        ".every(r => r.dataset.country === c)", arg=country)
    filtered = _shown_ids(page)
    assert filtered and len(filtered) <= len(everything)
    assert f"country={country}" in page.url
    snap(page, "portfolio-filtered")
    assert_accessible(page)

    # Both exports hold exactly the rows the page shows, in its order.
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Export to Excel (.xlsx)").click()
    content = Path(xlsx_download.value.path()).read_bytes()
    workbook = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [row[0] for row in workbook.iter_rows(min_row=2, values_only=True)] == filtered
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Export to CSV").click()
    with open(csv_download.value.path(), encoding="utf-8") as handle:
        assert [r["facility_id"] for r in csv.DictReader(handle)] == filtered

    # Ask for a facility that is not shared; the factory admin accepts.
    wanted = _not_shared_with_brand(live_server)
    assert wanted.id not in everything
    page.goto("/access")
    page.get_by_label("Open Supply Hub ID or facility name").fill(wanted.name)
    page.get_by_role("button", name="Send the request").click()
    # expect waits for the page the form's redirect leads to; is_visible() would not (a race
    # under load: CI once read the page before its notice was there)
    expect(page.get_by_role("status")).to_be_visible()
    assert page.get_by_text("Waiting for the factory").first.is_visible()
    snap(page, "access-sent")
    assert_accessible(page)

    admin = page_as("factory.admin")
    admin.goto("/requests")
    card = admin.locator("article.request-card", has_text=wanted.name)
    assert card.count() == 1
    snap(admin, "factory-requests")
    assert_accessible(admin)
    card.get_by_role("button", name="Accept").click()
    expect(admin.get_by_role("status")).to_be_visible()
    snap(admin, "factory-requests-accepted")
    assert_accessible(admin)

    page.goto("/portfolio")
    assert wanted.id in _shown_ids(page)

    # The factory revokes; the brand's very next page no longer shows the facility.
    with transaction(live_server.factory) as session:
        owner = accounts.actor_for_email(session, "factory.admin@demo.test")
        brand = session.scalar(select(Organisation).where(Organisation.name == "Demo Brand"))
        grant = session.scalar(select(SharingGrant).where(
            SharingGrant.facility_id == wanted.id, SharingGrant.revoked_at.is_(None),
            SharingGrant.grantee_organisation_id == brand.id))
        sharing.revoke(session, owner, wanted.id, grant.id)
    page.goto("/portfolio")
    assert wanted.id not in _shown_ids(page)
    snap(page, "portfolio-after-revoke")

    phone = page_as("brand.analyst", phone=True)
    for path, name in (("/portfolio", "portfolio-phone"), ("/access", "access-phone")):
        phone.goto(path)
        assert _fits(phone), path
        snap(phone, name)
        assert_accessible(phone)


def test_programme_officer_opens_the_evaluation(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    page = page_as("programme.officer")
    page.goto("/")
    assert page.url.endswith("/programme")
    snap(page, "programme-home")
    assert_accessible(page)
    # Records with a mistake are refused whole, the mistake located in the file.
    page.set_input_files("#field-file", files=[{
        "name": "records.csv", "mimeType": "text/csv",
        "buffer": b"facility_id,programme,start_date\nNOT-A-FACILITY,clp,2022-03-01\n"}])
    page.get_by_role("button", name="Upload the records").click()
    problems = page.locator("table", has_text="NOT-A-FACILITY")
    assert "records.csv, row 2, column facility_id" in problems.inner_text()
    snap(page, "programme-records-refused")
    assert_accessible(page)
    # A cohort of the first six facilities, then its evaluation.
    page.get_by_label("Name of the cohort").fill("Wave one")
    boxes = page.locator(".checkbox-list input[type=checkbox]")
    for index in range(6):
        boxes.nth(index).check()
    page.get_by_role("button", name="Save the cohort").click()
    expect(page.get_by_role("status")).to_be_visible()
    page.get_by_role("link", name="Wave one").click()
    page.wait_for_url("**/programme/evaluation?cohort=*")
    assert "6 in cohort" in page.locator("main").inner_text()
    snap(page, "evaluation-cohort")
    page.goto("/programme")
    page.get_by_role("link", name="Open the evaluation").click()
    page.wait_for_url("**/programme/evaluation**")
    assert page.locator("main h2", has_text="Headline results").count() == 1
    assert page.locator(".chart svg").count() >= 3
    assert page.locator("main h2", has_text="Country distribution").count() == 1
    snap(page, "evaluation")
    assert_accessible(page)
    # Which facilities have no comparable data: a disclosure per area, closed until opened.
    gaps = page.locator("section.gaps details")
    assert gaps.count() >= 1
    first_row = gaps.first.locator("tbody tr").first
    assert not first_row.is_visible()
    gaps.first.locator("summary").click()
    assert first_row.is_visible() and first_row.locator("td").count() == 3
    gaps.first.scroll_into_view_if_needed()
    snap(page, "evaluation-gaps")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the evaluation (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    phone = page_as("programme.officer", phone=True)
    for path, name in (("/programme", "programme-phone"),
                       ("/programme/evaluation", "evaluation-phone")):
        phone.goto(path)
        assert _fits(phone), path
        snap(phone, name)
        assert_accessible(phone)


def test_country_names_are_in_the_text_font_ids_in_the_fixed_width_one(  # type: ignore[no-untyped-def]
        live_server, page_as, snap):
    """The programme's list of facilities for a cohort, in Vietnamese on a phone: a country
    name is a word ("Trung Quốc"), set in the page's text font; a fixed-width font (meant for
    facility IDs) put its stacked accents on the wrong letter (review in Chromium)."""
    page = page_as("programme.officer", phone=True)
    page.context.add_cookies([{"name": "journey_lang", "value": "vi", "url": live_server.url}])
    page.goto("/programme")
    assert page.evaluate("document.documentElement.lang") == "vi"
    details = page.locator(".checkbox-list label .detail")
    assert details.count() >= 2
    fonts = details.evaluate_all("""spans => spans.map(s => ({
        text: s.innerText,
        detail: getComputedStyle(s).fontFamily,
        id: getComputedStyle(s.querySelector('.id')).fontFamily,
        body: getComputedStyle(document.body).fontFamily}))""")
    assert any("Việt Nam" in f["text"] or "Trung Quốc" in f["text"] for f in fonts), fonts
    for font in fonts:
        assert "monospace" not in font["detail"] and font["detail"] == font["body"], font
        assert "monospace" in font["id"], font
    shot = snap(page, "programme-candidates-vi")
    # the list alone, at the phone's pixel size, to look at the accents
    page.locator(".checkbox-list").screenshot(path=str(shot.with_name("candidates-vi.png")))
