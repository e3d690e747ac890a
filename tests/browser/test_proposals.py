"""Join the Journey in a real browser: a factory drafts a proposal, completes it, attaches a
document and submits it; the three committee seats review it and it is accepted. Every page
is photographed and checked with axe."""

from __future__ import annotations

from playwright.sync_api import expect

from factory_journey.services.languages import page_translator
from factory_journey.web.pages.catalogues import LOCALES

from .conftest import ROLES

COMMITTEE = ("committee.cascale", "committee.aii", "committee.zdhc")


def _fill_pathway(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Summary").fill("Six months of coaching to write a policy and run an EMS.")
    page.get_by_label("Provider or programme").fill("Demo Sustainability Institute")
    page.check('input[name="impact_areas"][value="ems"]')
    page.check('input[name="factory_types"][value="*"]')
    page.get_by_label("Countries it serves").fill("*")
    page.check('input[name="maturity_stages"][value="1"]')
    page.get_by_label("Title of the measure").first.fill("EMS coaching with an internal audit")
    page.select_option("#field-measure_1_area", "ems")
    page.select_option("#field-measure_1_addresses", ["ems_policy", "ems_management_system"])
    page.get_by_label("Electricity Low %").first.fill("1")
    page.get_by_label("Electricity High %").first.fill("2")
    page.select_option("#field-measure_1_basis", "facility")
    page.fill("#field-measure_1_usd_low", "3000")
    page.fill("#field-measure_1_usd_high", "8000")
    page.fill("#field-measure_1_evidence", "Programme records of 40 coached sites, 2022-2024.")
    page.select_option("#field-measure_1_certainty", "secondary")
    page.get_by_label("Expected impact").fill("Every coached site has a policy within a year.")


def test_a_proposal_walks_through_submission_and_review(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    assert set(COMMITTEE) <= set(ROLES)
    page = page_as("factory.editor")
    page.goto("/proposals")
    snap(page, "1-list")
    assert_accessible(page)
    page.get_by_role("link", name="New proposal").click()
    page.get_by_label("Title of the pathway").fill("ISO 14001 readiness coaching")
    snap(page, "2-new")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    assert "Before you can submit" in page.inner_text("main")
    proposal_url = page.url
    snap(page, "3-draft")
    assert_accessible(page)

    # A refused submission keeps the draft and names what is missing.
    page.get_by_role("button", name="Submit for review").click()
    assert "This was not accepted" in page.inner_text("main")
    snap(page, "4-refused")
    assert_accessible(page)

    page.goto(proposal_url + "/edit")
    _fill_pathway(page)
    snap(page, "5-edit")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    assert "The draft is complete" in page.inner_text("main")
    page.set_input_files("#field-file", files=[{
        "name": "records.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 records",
    }])
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_role("link", name="records.pdf")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    assert "Submitted" in page.inner_text("dl.facts")
    snap(page, "6-submitted")
    assert_accessible(page)

    path = proposal_url.split("://", 1)[1].split("/", 1)[1]
    for n, role in enumerate(COMMITTEE, start=1):
        reviewer = page_as(role)
        reviewer.goto("/proposals")
        reviewer.get_by_role("link", name="ISO 14001 readiness coaching").click()
        reviewer.get_by_role("link", name="Review this proposal").click()
        for select in reviewer.locator("select[name^='score:']").all():
            select.select_option("4")
        reviewer.get_by_label("General comments").fill("Clear evidence; a provider that delivers.")
        reviewer.check('input[name="recommendation"][value="accept"]')
        if n == 1:
            snap(reviewer, "7-review-form")
            assert_accessible(reviewer)
        reviewer.get_by_role("button", name="Record the review").click()
        assert reviewer.url.endswith("/" + path)
        expected = "Accepted" if n == len(COMMITTEE) else "Under review"
        assert expected in reviewer.inner_text("dl.facts"), role
        snap(reviewer, f"8-after-review-{n}")
        assert_accessible(reviewer)

    page.goto(proposal_url)
    text = page.inner_text("main")
    assert "Accepted" in text and "Reviews" in text and "Methodology version" in text
    snap(page, "9-accepted")
    assert_accessible(page)


def test_the_proposal_pages_on_a_phone_in_vietnamese(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    page = page_as("committee.aii", phone=True)
    page.goto("/proposals/new")
    page.select_option("#language-choice", "vi")
    page.get_by_role("button", name="Change").click()
    assert page.locator("h1").inner_text() == "Đề xuất mới"
    # The methodology's keys in words, in Vietnamese: no `cut_sew`, no indicator ids.
    vi = page_translator(LOCALES, ("proposals", "shell"), "vi", strict=True)
    form = page.locator("main form").inner_text()
    assert vi("Cut and sew") in form and vi("Water recycled or reused") in form
    assert "cut sew" not in form and "water recycled reused share" not in form
    # Nothing wider than the screen: the savings tables scroll inside their own box.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "new-vi-phone")
    assert_accessible(page)
    page.goto("/proposals")
    assert page.locator("h1").inner_text() == "Tham gia Hành trình"
    snap(page, "list-vi-phone")
    assert_accessible(page)
