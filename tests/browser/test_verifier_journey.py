"""The verifier's journey in a real browser: the queue, a facility, one value verified on a
PDF uploaded with the decision, another disputed (after a refused try that keeps what was
typed), and the factory's viewer then sees the value marked verified. Every page is
screenshot and checked with axe, on a desktop and on a 360 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from factory_journey.services.platform import accounts, sharing
from factory_journey.services.platform.bootstrap import DEMO_FACTORY_ADMIN
from factory_journey.services.platform.demo_accounts import DEMO_ACCOUNTS
from factory_journey.store.database import transaction
from factory_journey.store.models import Facility, Organisation, SharingGrant

VERIFIER_ORGANISATION = next(a.organisation for a in DEMO_ACCOUNTS if a.kind == "verifier")


def small_pdf(text: str) -> bytes:
    """A real one-page PDF showing `text` (objects, cross-reference table and trailer)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture
def shared_facility(live_server) -> tuple[str, str]:
    """(id, name) of a demo facility the factory shares in full with the verifier, granted
    here through the sharing service (the last facility: not one of the demo's own grants)."""
    with transaction(live_server.factory) as session:
        owner = accounts.actor_for_email(session, DEMO_FACTORY_ADMIN)
        facility = session.scalars(
            select(Facility)
            .where(Facility.owner_organisation_id == owner.organisation_id)
            .order_by(Facility.id.desc())
        ).first()
        assert facility is not None
        verifier = session.scalar(
            select(Organisation).where(Organisation.name == VERIFIER_ORGANISATION)
        )
        assert verifier is not None
        held = session.scalar(
            select(SharingGrant).where(
                SharingGrant.facility_id == facility.id,
                SharingGrant.grantee_organisation_id == verifier.id,
                SharingGrant.revoked_at.is_(None),
            )
        )
        if held is None:
            sharing.grant(session, owner, facility.id, verifier.id, "full")
        return facility.id, facility.name


def _fits(page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def _follow(page, link) -> None:
    """Click a link and wait for the page it opens: measured before it has loaded, the page
    can be between documents (`document.documentElement` is null)."""
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state()


def _look(page, snap, assert_accessible, name: str) -> None:
    snap(page, name)
    assert_accessible(page)


def test_verifier_verifies_with_a_pdf_and_the_factory_sees_it(
    page_as, snap, assert_accessible, shared_facility
):
    facility_id, facility_name = shared_facility
    page = page_as("verifier")
    page.goto("/")
    assert page.url.endswith("/verification")
    assert page.locator("h1").inner_text() == "Verification queue"
    _look(page, snap, assert_accessible, "queue")

    page.get_by_role("link", name=facility_name).click()
    assert f"/verification/facilities/{facility_id}" in page.url
    assert page.locator("h1").inner_text() == facility_name
    _look(page, snap, assert_accessible, "facility-waiting")

    page.get_by_role("navigation", name="Tables").get_by_role(
        "link", name=re.compile(r"^Water ")
    ).click()
    assert "table=water" in page.url
    water = page.get_by_role("region", name="Water")
    first, second = water.locator("tbody th a").all()[:2]
    second_href = second.get_attribute("href")
    first.click()
    year, row = re.search(r"/(\d{4})/water/(\d+)$", page.url).groups()
    expect(page.get_by_text("Self-reported").first).to_be_visible()
    _look(page, snap, assert_accessible, "data-point")

    page.get_by_label("Verified: the value matches what I checked").check()
    page.get_by_label("Upload a document").set_input_files(
        files=[
            {
                "name": "water-meter-reading.pdf",
                "mimeType": "application/pdf",
                "buffer": small_pdf("Water meter M-2, reading of the month"),
            }
        ]
    )
    page.get_by_label("Comment").fill("Meter photo and utility invoice agree.")
    page.get_by_role("button", name="Record").click()
    assert "recorded=verified" in page.url
    assert page.get_by_role("status").inner_text().startswith("Recorded.")
    assert page.get_by_role("link", name=re.compile(r"^Next data point waiting")).is_visible()
    assert page.locator(".status-badge.status-verified").first.is_visible()
    assert page.get_by_role("link", name="Download water-meter-reading.pdf").first.is_visible()
    history = page.locator("ol.history li").first.inner_text()
    assert "Verifier" in history and "verified" in history and "In force" in history
    _look(page, snap, assert_accessible, "data-point-verified")

    # Dispute another value: a refused try first (no reason), which keeps what was typed.
    page.goto(second_href)
    page.get_by_label("Disputed: the value does not match").check()
    page.get_by_label("On-site observation note").fill("Meter")
    page.get_by_role("button", name="Record").click()
    alert = page.get_by_role("alert")
    assert "observation note has 5 characters" in alert.inner_text()
    assert page.get_by_label("On-site observation note").input_value() == "Meter"
    assert page.get_by_label("Disputed: the value does not match").is_checked()
    _look(page, snap, assert_accessible, "dispute-refused")
    page.get_by_label("On-site observation note").fill("")
    page.get_by_label("Comment").fill("The invoice for this month says 40 m3 less.")
    page.get_by_role("button", name="Record").click()
    assert "recorded=disputed" in page.url
    expect(page.locator("p .status-badge.status-disputed").first).to_be_visible()
    _look(page, snap, assert_accessible, "data-point-disputed")

    # The factory's viewer sees the verified value (and the disputed one), without the form.
    factory = page_as("factory.viewer")
    factory.goto(f"/verification/facilities/{facility_id}?year={year}&table=water")
    verified_row = (
        factory.get_by_role("region", name="Water")
        .locator("tbody tr")
        .filter(has=factory.get_by_role("link", name=f"Row {row} of Water", exact=True))
    )
    assert "Verified" in verified_row.inner_text()
    _look(factory, snap, assert_accessible, "factory-facility")
    factory.get_by_role("link", name=f"Row {row} of Water", exact=True).click()
    expect(factory.locator("p .status-badge.status-verified")).to_be_visible()
    assert factory.get_by_role("button", name="Record").count() == 0
    assert factory.get_by_role("link", name="Open water-meter-reading.pdf").is_visible()
    _look(factory, snap, assert_accessible, "factory-data-point")


def test_verifier_pages_on_a_phone(page_as, snap, assert_accessible, shared_facility):
    _facility_id, facility_name = shared_facility
    page = page_as("verifier", phone=True)
    page.goto("/verification")
    assert _fits(page)
    _look(page, snap, assert_accessible, "queue-phone")
    _follow(page, page.get_by_role("link", name=facility_name))
    assert _fits(page)
    _look(page, snap, assert_accessible, "facility-phone")
    _follow(page, page.get_by_role("navigation", name="Tables").get_by_role(
        "link", name=re.compile(r"^Water ")
    ))
    assert _fits(page)
    _look(page, snap, assert_accessible, "facility-water-phone")
    _follow(page, page.get_by_role("region", name="Water").locator("tbody th a").first)
    assert _fits(page)
    _look(page, snap, assert_accessible, "data-point-phone")


def test_factory_editor_adds_a_document_for_a_value(
    page_as, snap, assert_accessible, shared_facility
):
    facility_id, _name = shared_facility
    page = page_as("factory.editor")
    page.goto(f"/verification/facilities/{facility_id}?table=water")
    page.get_by_role("region", name="Water").locator("tbody th a").last.click()
    assert page.get_by_role("button", name="Record").count() == 0  # a facility does not verify
    page.get_by_label("Add a document for the verifier").set_input_files(
        files=[
            {
                "name": "water-invoice.pdf",
                "mimeType": "application/pdf",
                "buffer": small_pdf("Water utility invoice"),
            }
        ]
    )
    page.get_by_role("button", name="Upload").click()
    assert "added=1" in page.url
    assert page.get_by_role("status").inner_text().startswith("The document is uploaded")
    assert page.get_by_role("link", name="Download water-invoice.pdf").is_visible()
    _look(page, snap, assert_accessible, "factory-editor-document-added")
