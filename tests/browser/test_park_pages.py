"""The park pages in a real browser (#16): the demo park manager lands on the three demo
parks and reads one whole; a demo factory reads its member park, only its own factories'
standing; accessible, on a desktop and on a 360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_park_manager_reads_its_parks(page_as, snap, assert_accessible, phone):  # type: ignore[no-untyped-def]
    page = page_as("park.manager", phone=phone)
    page.goto("/")
    assert page.url.endswith("/parks")
    links = page.locator("main table a")
    assert links.count() == 3
    snap(page, "parks")
    assert_accessible(page)
    page.get_by_role("link", name="Demo Mekong Eco-Textile Park").click()
    assert page.locator("main h1").inner_text() == "Demo Mekong Eco-Textile Park"
    expect(page.get_by_role("heading", name="Framework score")).to_be_visible()
    assert page.locator("#requirements + .table-wrap tbody tr").count() > 40
    assert page.get_by_role("heading", name="Collective improvement plan").is_visible()
    assert page.locator("#plan ~ .table-wrap").first.locator("tbody tr").count() == 7
    assert page.locator("#shares + .table-wrap tbody tr").count() > 7
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "park")
    assert_accessible(page)
    page.locator("#plan").scroll_into_view_if_needed()
    snap(page, "park-plan")
    page.get_by_role("link", name="2021").click()
    assert "year=2021" in page.url
    snap(page, "park-2021")


def test_a_member_factory_reads_its_park_read_only(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    page = page_as("factory.viewer")
    page.goto("/parks")
    assert page.locator("main table a").count() == 1  # the Viet Nam park: its members are ours
    page.locator("main table a").first.click()
    assert "read it, not change it" in page.locator("main").inner_text()
    members = page.locator("#members + .table-wrap tbody tr")
    assert members.count() == 5  # the five pilot factories in the park, all the demo group's
    assert page.get_by_role("heading", name="Your factories' share").is_visible()
    names = {members.nth(i).locator("th").inner_text() for i in range(members.count())}
    shares = page.locator("#shares + .table-wrap tbody th")
    assert shares.count() > 0
    assert {shares.nth(i).inner_text() for i in range(shares.count())} <= names
    page.locator("#plan").scroll_into_view_if_needed()
    snap(page, "member-view-plan")
    snap(page, "member-view")
    assert_accessible(page)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_park_manager_uploads_a_park_file_and_reads_its_problems(  # type: ignore[no-untyped-def]
        page_as, snap, assert_accessible, tmp_path, phone):
    from factory_journey.services.platform.parks import zip_folder
    from tests.engine.parks.hand_park import write_park

    park = write_park(tmp_path)
    energy = park / "energy.csv"  # a quantity that is not a number: nothing is recorded
    energy.write_text(energy.read_text().replace("M3,2024,purchased_electricity,50000,",
                                                 "M3,2024,purchased_electricity,lots,"))
    page = page_as("park.manager", phone=phone)
    page.goto("/parks/DEMO-ET-01")
    assert page.get_by_role("link", name="Download the park report, 2023 (PDF)").is_visible()
    report = page.request.get("/parks/DEMO-ET-01/report.pdf?year=2023")
    assert report.ok and report.body().startswith(b"%PDF")
    page.get_by_role("link", name="Upload park data").first.click()
    assert page.locator("main h1").inner_text() == "Upload park data"
    page.set_input_files("#field-file", files=[{
        "name": "park.zip", "mimeType": "application/zip", "buffer": zip_folder(park)}])
    page.get_by_role("button", name="Upload and check").click()
    main = page.locator("main").inner_text()
    assert "Nothing was saved: 1 problems to correct" in main
    assert "row 6 · column quantity" in main and "lots" in main
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "park-upload-problems")
    assert_accessible(page)


def test_a_good_park_upload_says_what_it_saved(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    """The park manager uploads the demo parks' own dataset again (the parks stay as the other
    tests read them) and the park page says it was saved, with what the file held."""
    import polars as pl

    from factory_journey.demo.parks import park_pilot_dataset_path
    from factory_journey.services.platform.parks import zip_folder

    folder = park_pilot_dataset_path()
    members = pl.read_csv(folder / "park_members.csv").select("park_id", "facility_id")
    shared = pl.read_csv(folder / "shared_facilities.csv").select("park_id", "shared_facility_id")
    parks = pl.read_csv(folder / "parks.csv")["park_id"].n_unique()
    page = page_as("park.manager")
    page.goto("/parks/upload")
    page.set_input_files("#field-file", files=[{
        "name": "park-pilot.zip", "mimeType": "application/zip", "buffer": zip_folder(folder)}])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/parks/*?saved=*")
    notice = page.get_by_role("status").filter(has_text="Your park data were saved")
    text = " ".join(notice.inner_text().split())
    assert "Read from park-pilot.zip:" in text
    assert f"Parks: {parks}" in text
    assert f"Member factories: {members.unique().height}" in text
    assert f"Shared facilities: {shared.unique().height}" in text
    snap(page, "park-upload-saved")
    assert_accessible(page)
