"""The factory's main path in a real browser: an editor downloads the dataset template, uploads
it with three mistakes and sees each one located with its guidance, uploads the corrected
file, reads the assessment and downloads the Vietnamese PDF; the admin shares the facility with
the Demo Brand and revokes it, after which the brand is refused the facility's page. Every page
is photographed and checked with axe, on a desktop and on a 360 px phone."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from factory_journey.reports.facility_context import headings
from factory_journey.reports.i18n import translator
from tests.factory_workbooks import FACILITY_ID, MISTAKES, facility_tables, filled_template
from tests.reports.pdftext import extract, squash


def _fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def _look(page, snap, assert_accessible, name: str) -> None:  # type: ignore[no-untyped-def]
    snap(page, name)
    assert_accessible(page)


def test_factory_uploads_reads_its_assessment_shares_and_revokes(  # type: ignore[no-untyped-def]
    page_as, snap, assert_accessible, tmp_path: Path
):
    editor = page_as("factory.editor")
    editor.goto("/")
    assert editor.url.endswith("/facilities")
    _look(editor, snap, assert_accessible, "home")

    # The dataset template, with its drop-downs.
    editor.goto("/facilities/guidance")
    _look(editor, snap, assert_accessible, "guidance")
    with editor.expect_download() as download:
        editor.get_by_role("link", name="Dataset template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    assert workbook["energy"].data_validations.dataValidation, "no drop-downs"

    # Filled in with three mistakes: nothing saved, each one located, each with guidance.
    wrong = tmp_path / "dataset.xlsx"
    wrong.write_bytes(filled_template(facility_tables(), True, template.read_bytes()))
    editor.goto("/facilities/upload")
    _look(editor, snap, assert_accessible, "upload")
    editor.get_by_label("Dataset file").set_input_files(wrong)
    editor.get_by_role("button", name="Upload and check").click()
    editor.get_by_text("Nothing was saved: 3 problems to correct").wait_for()
    errors = editor.locator("li.problem:not(.problem-warning)")
    assert errors.count() == 3
    text = editor.locator("#job-status").inner_text()
    for sheet, column, value, row in MISTAKES:
        assert f"sheet {sheet}" in text
        assert f"row {row} · column {column}" in text
        assert str(value) in text
        link = editor.locator(f'a[href="/facilities/guidance#{sheet}-{column}"]')
        assert link.count() >= 1
    _look(editor, snap, assert_accessible, "problems")
    editor.locator('a[href="/facilities/guidance#energy-source"]').first.click()
    assert editor.locator("#energy-source").is_visible()

    # The corrected file: saved, with a link to the assessment.
    right = tmp_path / "dataset-corrected.xlsx"
    right.write_bytes(filled_template(facility_tables(), False, template.read_bytes()))
    editor.goto("/facilities/upload")
    editor.get_by_label("Dataset file").set_input_files(right)
    editor.get_by_role("button", name="Upload and check").click()
    editor.get_by_text("Your data were saved").wait_for()
    _look(editor, snap, assert_accessible, "saved")

    editor.goto(f"/facilities/{FACILITY_ID}")
    _look(editor, snap, assert_accessible, "facility")
    editor.goto(f"/facilities/{FACILITY_ID}/history")
    _look(editor, snap, assert_accessible, "history")
    editor.goto(f"/facilities/{FACILITY_ID}/assessment")
    assert editor.locator("section[aria-labelledby^='area-']").count() == 7
    assert editor.locator(".chart svg").count() >= 1
    assert editor.get_by_role("heading", name="Recommended pathway").is_visible()
    _look(editor, snap, assert_accessible, "assessment")

    # The PDF report in Vietnamese: a real PDF whose text is the Vietnamese report.
    editor.get_by_label("Language of the PDF report").select_option("vi")
    with editor.expect_download() as download:
        editor.get_by_role("button", name="Download the PDF report").click()
    pdf = tmp_path / "report-vi.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    words = squash("".join(page.text for page in extract(pdf.read_bytes())))
    vietnamese = headings(translator("vi"))
    assert squash(vietnamese["recommended"]) in words
    assert squash(vietnamese["recommended"]) != squash(headings(translator("en"))["recommended"])

    # The admin shares the facility with the Demo Brand; the brand opens it.
    admin = page_as("factory.admin")
    admin.goto(f"/facilities/{FACILITY_ID}/sharing")
    admin.get_by_label("Organisation name or Open Supply Hub ID").fill("Demo Brand")
    admin.get_by_role("button", name="Find").click()
    admin.get_by_label("Demo Brand (Brand)").check()
    admin.get_by_label("Assessment only").check()
    _look(admin, snap, assert_accessible, "sharing-search")
    admin.get_by_role("button", name="Share", exact=True).click()
    admin.get_by_text("Access granted.").wait_for()
    _look(admin, snap, assert_accessible, "sharing-granted")
    brand = page_as("brand.analyst")
    seen = brand.goto(f"/facilities/{FACILITY_ID}")
    assert seen is not None and seen.status == 200
    assert brand.get_by_role("link", name="Assessment").is_visible()
    _look(brand, snap, assert_accessible, "brand-sees-facility")

    # The admin revokes; the brand's next visit is refused.
    admin.get_by_role("button", name="Revoke access of Demo Brand").click()
    admin.get_by_text("Access revoked.").wait_for()
    _look(admin, snap, assert_accessible, "sharing-revoked")
    refused = brand.goto(f"/facilities/{FACILITY_ID}")
    assert refused is not None and refused.status == 404
    assert FACILITY_ID not in brand.locator("main").inner_text()
    _look(brand, snap, assert_accessible, "brand-refused")

    admin.goto("/factory/team")
    _look(admin, snap, assert_accessible, "team")


def test_factory_pages_on_a_phone(page_as, snap, assert_accessible):  # type: ignore[no-untyped-def]
    admin = page_as("factory.admin", phone=True)
    admin.goto("/facilities")
    facility_id = admin.locator("main h2 a").first.get_attribute("href").rsplit("/", 1)[1]
    for name, path in (
        ("home", "/facilities"),
        ("upload", "/facilities/upload"),
        ("facility", f"/facilities/{facility_id}"),
        ("assessment", f"/facilities/{facility_id}/assessment"),
        ("history", f"/facilities/{facility_id}/history"),
        ("sharing", f"/facilities/{facility_id}/sharing?q=Demo"),
        ("team", "/factory/team"),
    ):
        answer = admin.goto(path)
        assert answer is not None and answer.status == 200, path
        assert _fits_the_screen(admin), f"{path} is wider than the phone"
        _look(admin, snap, assert_accessible, f"phone-{name}")


def test_problems_made_from_the_data_on_a_phone_in_vietnamese(  # type: ignore[no-untyped-def]
    page_as, live_server, snap, assert_accessible, tmp_path: Path
):
    """A manager in Vietnam uploads from a phone a workbook with a duplicate water row and a
    waste row of an unknown facility: both problems read in Vietnamese (the column names and the
    facility id from the file kept), the page fits the phone and passes axe."""
    import polars as pl

    from factory_journey.services.languages import page_translator
    from factory_journey.services.problem_templates import problem_text
    from factory_journey.web.pages.catalogues import LOCALES

    editor = page_as("factory.editor", phone=True)
    editor.context.add_cookies([{"name": "journey_lang", "value": "vi",
                                 "url": live_server.url}])
    tables = facility_tables()
    tables["water"] = pl.concat([tables["water"], tables["water"].head(1)])
    tables["waste"] = tables["waste"].with_columns(
        facility_id=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("NOT-A-FACTORY"))
        .otherwise(pl.col("facility_id")))
    wrong = tmp_path / "dữ-liệu.xlsx"
    wrong.write_bytes(filled_template(tables))
    t = page_translator(LOCALES, ("facility", "shell"), "vi", strict=True)
    editor.goto("/facilities/upload")
    editor.locator('input[type="file"]').set_input_files(wrong)
    editor.locator('form button[type="submit"]').last.click()
    editor.locator("li.problem").first.wait_for()
    text = editor.locator("#job-status").inner_text()
    assert problem_text("Duplicate row: the same facility_id, year, month, source and flow as "
                        "an earlier row", t) in text
    assert "source và flow" in text  # the joints of the list in Vietnamese too
    assert "NOT-A-FACTORY" in text and "is not in the profiles table" not in text
    assert "Duplicate row" not in text
    # what the duplicate found: the row it repeats, in Vietnamese
    assert t("same as row {row}", row=2) in text and "same as row" not in text
    assert _fits_the_screen(editor)
    _look(editor, snap, assert_accessible, "phone-problems-vi")


def test_the_facilities_list_finds_one_by_its_id_or_says_none_matches(  # type: ignore[no-untyped-def]
    page_as, snap, assert_accessible
):
    """The search box of /facilities (the demo group has pages of them), without script: a
    part of an id typed in lower case finds that facility, and the pages of the answer keep
    the search; words nothing matches say so, with a way back to every facility."""
    for phone in (False, True):
        admin = page_as("factory.admin", phone=phone)
        admin.goto("/facilities")
        assert admin.locator(".pager").is_visible()  # more than one page of facilities
        link = admin.locator("main h2 a").first
        facility_id = link.get_attribute("href").rsplit("/", 1)[1]
        admin.get_by_label("Find a facility").fill(facility_id.lower())
        admin.get_by_role("button", name="Search").click()
        admin.wait_for_url("**/facilities?q=*")
        listed = admin.locator("main h2 a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")
        assert f"/facilities/{facility_id}" in listed
        assert "match your search" in admin.locator("main").inner_text()
        assert admin.get_by_label("Find a facility").input_value() == facility_id.lower()
        assert _fits_the_screen(admin)
        _look(admin, snap, assert_accessible, f"search-found{'-phone' if phone else ''}")
        admin.get_by_label("Find a facility").fill("no such factory")
        admin.get_by_label("Find a facility").press("Enter")
        admin.wait_for_url("**/facilities?q=no+such+factory*")
        main = admin.locator("main").inner_text()
        assert "No facility matches “no such factory”." in main
        assert admin.locator("main h2 a").count() == 0
        _look(admin, snap, assert_accessible, f"search-none{'-phone' if phone else ''}")
        admin.get_by_role("link", name="Show all facilities").click()
        admin.wait_for_url("**/facilities")
        assert admin.locator(".pager").is_visible()
