"""The factory pages over HTTP (server-rendered): each shows what its reader may see, each
write checks its permission, refused forms keep what was typed, and an upload ends in its
located problems or its new versions."""

from __future__ import annotations

import dataclasses
import html
import io
import re

import polars as pl
import pytest
from openpyxl import load_workbook

from factory_journey.services.languages import page_translator
from factory_journey.web.pages.catalogues import LOCALES
from factory_journey.web.pages.shell import CSRF_FIELD, PAGE_COOKIE
from tests.factory_workbooks import MISTAKES, facility_tables, filled_template

from .conftest import make_platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return make_platform(tmp_path_factory)


def _client(platform, actor):  # type: ignore[no-untyped-def]
    client = platform.client
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, platform.tokens[actor])
    return client


def _csrf(html: str) -> str:
    found = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def test_home_lists_each_facility_year_with_its_areas(platform):
    page = _client(platform, "owner_viewer").get("/facilities")
    assert page.status_code == 200, page.text
    assert "Facility One" in page.text and "2022" in page.text and "2023" in page.text
    assert "status status-complete" in page.text and ">Energy<" in page.text
    assert 'href="/facilities/upload"' not in page.text.split("</nav>", 1)[1]  # viewer


def test_templates_download_as_workbooks_with_drop_downs(platform):
    client = _client(platform, "owner_viewer")
    answer = client.get("/facilities/templates/dataset.xlsx")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(answer.content))
    assert workbook["energy"].data_validations.dataValidation
    assert client.get("/facilities/templates/secret.xlsx").status_code == 404
    guidance = client.get("/facilities/guidance")
    assert 'id="energy-unit"' in guidance.text


def test_upload_with_mistakes_shows_each_problem_located_then_a_correct_one_saves(platform):
    client = _client(platform, "owner_editor")
    form = client.get("/facilities/upload")
    assert form.status_code == 200
    token = _csrf(form.text)
    bad = filled_template(facility_tables(), mistakes=True)
    sent = client.post("/facilities/upload", data={CSRF_FIELD: token},
                       files={"file": ("dataset.xlsx", bad)}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    job = client.get(sent.headers["location"])
    assert "3 problems to correct" in job.text
    for sheet, column, value, row in MISTAKES:
        assert f"row {row} · column {column}" in job.text
        assert f"/facilities/guidance#{sheet}-{column}" in job.text
        assert str(value) in job.text
    # htmx asks for the status part only
    part = client.get(sent.headers["location"], headers={"HX-Request": "true"})
    assert "<html" not in part.text and "problems to correct" in part.text
    good = client.post("/facilities/upload", data={CSRF_FIELD: token},
                       files={"file": ("dataset.xlsx", filled_template(facility_tables()))},
                       follow_redirects=True)
    assert "Your data were saved" in good.text and "VN-FACTORY-1" in good.text
    assessment = client.get("/facilities/VN-FACTORY-1/assessment")
    assert assessment.status_code == 200 and "<svg" in assessment.text


def test_refused_upload_and_viewer_upload(platform):
    client = _client(platform, "owner_editor")
    token = _csrf(client.get("/facilities/upload").text)
    wrong = client.post("/facilities/upload", data={CSRF_FIELD: token},
                        files={"file": ("notes.txt", b"hello")})
    assert wrong.status_code == 422 and "notes.txt" in wrong.text
    viewer = _client(platform, "owner_viewer")
    assert viewer.get("/facilities/upload").status_code == 403
    token = _csrf(viewer.get("/facilities").text)
    refused = viewer.post("/facilities/upload", data={CSRF_FIELD: token},
                          files={"file": ("d.xlsx", b"x")})
    assert refused.status_code == 403
    no_csrf = client.post("/facilities/upload", files={"file": ("d.xlsx", b"x")})
    assert no_csrf.status_code == 403


def test_history_compares_two_versions(platform):
    client = _client(platform, "owner_editor")
    tables = facility_tables()
    energy = tables["energy"]
    tables["energy"] = energy.with_columns(
        quantity=energy["quantity"].scatter(0, energy["quantity"][0] + 7))
    token = _csrf(client.get("/facilities/upload").text)
    saved = client.post("/facilities/upload", data={CSRF_FIELD: token},
                        files={"file": ("dataset.xlsx", filled_template(tables))},
                        follow_redirects=True)
    assert "version 2" in saved.text
    page = client.get("/facilities/VN-FACTORY-1/history")
    assert page.status_code == 200 and "Compare version" in page.text
    diff = client.get("/facilities/VN-FACTORY-1/history?year=2023&old=1&new=2")
    assert "1 changed" in diff.text and ">quantity<" in diff.text
    same = client.get("/facilities/VN-FACTORY-1/history?year=2023&old=2&new=2")
    assert same.status_code == 200 and "two different versions" in same.text
    assert _client(platform, "brand_viewer").get(
        "/facilities/VN-FACTORY-1/history").status_code == 404


def test_sharing_grant_and_revoke_with_the_brand_refused_after(platform):
    admin = _client(platform, "owner_admin")
    page = admin.get("/facilities/F1/sharing?q=Bra")
    assert page.status_code == 200 and "Brand" in page.text and 'id="requests"' in page.text
    token = _csrf(page.text)
    brand_id = str(platform.organisations["Brand"])
    # a refused form keeps the chosen organisation
    refused = admin.post("/facilities/F1/sharing/grant",
                         data={CSRF_FIELD: token, "organisation_id": brand_id, "scope": "",
                               "q": "Bra"})
    assert refused.status_code == 400 and f'value="{brand_id}" checked' in refused.text
    done = admin.post("/facilities/F1/sharing/grant",
                      data={CSRF_FIELD: token, "organisation_id": brand_id,
                            "scope": "assessment"}, follow_redirects=True)
    assert "Access granted." in done.text
    grant_id = re.search(r"/facilities/F1/sharing/(\d+)/revoke", done.text).group(1)
    brand = _client(platform, "brand_viewer")
    assert brand.get("/facilities/F1").status_code == 200
    assert brand.get("/facilities/F1/history").status_code == 403  # assessment scope only
    editor = _client(platform, "owner_editor")
    assert editor.get("/facilities/F1/sharing").status_code == 403
    assert editor.post(f"/facilities/F1/sharing/{grant_id}/revoke",
                       data={CSRF_FIELD: _csrf(editor.get("/facilities").text)}
                       ).status_code == 403
    admin = _client(platform, "owner_admin")
    revoked = admin.post(f"/facilities/F1/sharing/{grant_id}/revoke",
                         data={CSRF_FIELD: token}, follow_redirects=True)
    assert "Access revoked." in revoked.text
    brand = _client(platform, "brand_viewer")
    assert brand.get("/facilities/F1").status_code == 404
    assert brand.get("/facilities/F1/assessment").status_code == 404


def test_team_is_for_admins_and_a_refused_invitation_keeps_the_address(platform):
    admin = _client(platform, "owner_admin")
    page = admin.get("/factory/team")
    assert page.status_code == 200 and "owner_viewer@test.example" in page.text
    token = _csrf(page.text)
    bad = admin.post("/factory/team/invite",
                     data={CSRF_FIELD: token, "email": "not-an-address", "role": "editor"})
    assert bad.status_code == 400 and 'value="not-an-address"' in bad.text
    good = admin.post("/factory/team/invite", data={CSRF_FIELD: token,
                      "email": "new.person@test.example", "role": "editor"},
                      follow_redirects=True)
    assert "Invitation sent." in good.text and "new.person@test.example" in good.text
    assert _client(platform, "owner_editor").get("/factory/team").status_code == 403


def test_pdf_report_in_vietnamese(platform):
    client = _client(platform, "owner_viewer")
    answer = client.get("/facilities/F1/report.pdf?lang=vi")
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"] == "application/pdf"


def test_the_upload_page_is_bounded_like_the_api(platform, monkeypatch):
    from factory_journey.services.platform import imports
    from factory_journey.web.body_limit import OVERHEAD

    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 4_096)
    client = _client(platform, "owner_editor")
    token = _csrf(client.get("/facilities/upload").text)
    # a body declared too large is refused before a byte of it is read
    declared = client.post(
        "/facilities/upload", content=iter([b"--x\r\n"]),
        headers={"content-type": "multipart/form-data; boundary=x",
                 "content-length": str(4_096 + OVERHEAD + 1)},
    )
    assert declared.status_code == 413
    # a file over the limit within the overhead: the form again, with the reason
    big = client.post("/facilities/upload", data={CSRF_FIELD: token},
                      files={"file": ("big.csv", b"a" * 5_000, "text/csv")})
    assert big.status_code == 413 and "larger than" in big.text
    assert 'id="field-file"' in big.text


@pytest.mark.parametrize("lang", ["vi", "am"])
def test_upload_problems_read_in_the_readers_language(platform, lang):
    """The problems of an upload (an unknown energy source, a negative quantity, an unknown
    unit) in the reader's language: their messages are fixed texts of the ingest code, which
    the pages' shared catalogue translates; the located column and value stay as in the file."""
    client = _client(platform, "owner_editor")
    client.cookies.set("journey_lang", lang)
    token = _csrf(client.get("/facilities/upload").text)
    bad = filled_template(facility_tables(), mistakes=True)
    sent = client.post("/facilities/upload", data={CSRF_FIELD: token},
                       files={"file": ("dataset.xlsx", bad)}, follow_redirects=False)
    job = client.get(sent.headers["location"]).text
    t = page_translator(LOCALES, ("facility", "shell"), lang, strict=True)
    for english in ("Not an accepted value", "Negative quantity", "Unknown unit"):
        assert t(english) != english
        assert html.escape(t(english), quote=False) in job, english
        assert f"<p>{english}</p>" not in job
    for _sheet, _column, value, _row in MISTAKES:
        assert str(value) in job


def test_the_data_guidance_reads_in_the_readers_language(platform):
    """The guidance page says what a row of each table is and what each column holds in the
    reader's language (the column names and accepted values stay as the file holds them)."""
    from factory_journey.services.dataset_guidance import dataset_guide

    client = _client(platform, "owner_editor")
    client.cookies.set("journey_lang", "vi")
    page = html.unescape(client.get("/facilities/guidance").text)
    t = page_translator(LOCALES, ("facility", "shell"), "vi", strict=True)
    energy = next(table for table in dataset_guide() if table.name == "energy")
    quantity = next(c for c in energy.columns if c.name == "quantity")
    assert t("One row is {what}.", what=t(energy.row_is)) in page
    assert t(quantity.description) in page and quantity.description not in page
    assert ">quantity<" in page  # the column's name as the file holds it
    assert 'id="tables"' in page  # the anchor of a problem about the whole dataset
    # what a column accepts: its words translated, its numbers and codes kept
    assert "a whole number from 1 to 12" not in page
    assert t("{kind} from {low} to {high}", kind=t("a whole number"), low="1", high="12") in page
    assert t("{kind}: {values}", kind=t("text"), values="meter, invoice, estimate") in page


def test_problems_made_from_the_data_read_in_the_readers_language(platform):
    """A message the ingest code writes from the data (a duplicate row names its key columns;
    an unknown facility names the facility, its rows and its table) is shown in the reader's
    language through its template, the parts from the file kept as they are."""
    client = _client(platform, "owner_editor")
    client.cookies.set("journey_lang", "vi")
    token = _csrf(client.get("/facilities/upload").text)
    tables = facility_tables()
    water = tables["water"]
    tables["water"] = pl.concat([water, water.head(1)])  # the first row again, at the end
    tables["waste"] = tables["waste"].with_columns(
        facility_id=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("NOT-A-FACTORY"))
        .otherwise(pl.col("facility_id")))
    sent = client.post("/facilities/upload", data={CSRF_FIELD: token},
                       files={"file": ("dataset.xlsx", filled_template(tables))},
                       follow_redirects=False)
    job = html.unescape(client.get(sent.headers["location"]).text)
    t = page_translator(LOCALES, ("facility", "shell"), "vi", strict=True)
    duplicate = t("Duplicate row: the same {columns} as an earlier row",
                  columns=t("{first} and {then}", then="flow", first=t(
                      "{first}, {then}", then="source", first=t(
                          "{first}, {then}", then="month", first=t(
                              "{first}, {then}", first="facility_id", then="year")))))
    assert duplicate in job and "source và flow" in duplicate
    assert "Duplicate row: the same" not in job
    # what was found: the row it repeats, in Vietnamese (the error report keeps the English)
    same = t("same as row {row}", row=2)
    assert f"<dd>{same}</dd>" in job and same.startswith("giống dòng")
    assert "same as row" not in job
    unknown = t("Facility {facility} is not in the profiles table (1 row of {table}: row {first})",
                facility="'NOT-A-FACTORY'", table="waste", first="2")
    assert unknown in job
    assert "is not in the profiles table" not in job


def test_a_claimed_verification_is_saved_and_said_to_count_for_nothing(platform):
    """A file whose rows say `verified` is saved, and the user is told at once that on the
    platform that is their own claim (the rows count as self-reported until a verifier
    records them), not left to find 0 % verified in the report."""
    client = _client(platform, "owner_editor")
    client.cookies.set("journey_lang", "vi")
    token = _csrf(client.get("/facilities/upload").text)
    tables = facility_tables(year=2021)
    tables["energy"] = tables["energy"].with_columns(
        verification_status=pl.when(pl.int_range(pl.len()) < 3).then(pl.lit("verified"))
        .otherwise(pl.lit("self-reported")))
    sent = client.post("/facilities/upload", data={CSRF_FIELD: token},
                       files={"file": ("dataset.xlsx", filled_template(tables))},
                       follow_redirects=False)
    job = html.unescape(client.get(sent.headers["location"]).text)
    t = page_translator(LOCALES, ("facility", "shell"), "vi", strict=True)
    claim = ("Rows marked verified or disputed in the file: on the platform that is the "
             "facility's own claim, so they count as self-reported until a verifier records a "
             "verification")
    assert t(claim) in job and claim not in job
    assert "verified: 3" in job
    assert t("Your data were saved") in job


def test_a_file_of_another_kind_is_refused_in_the_readers_language(platform):
    client = _client(platform, "owner_editor")
    client.cookies.set("journey_lang", "vi")
    token = _csrf(client.get("/facilities/upload").text)
    answer = client.post("/facilities/upload", data={CSRF_FIELD: token},
                         files={"file": ("số liệu.xls", b"\xd0\xcf\x11\xe0 old excel")})
    assert answer.status_code == 422, answer.status_code
    page = html.unescape(answer.text)
    t = page_translator(LOCALES, ("facility", "shell"), "vi", strict=True)
    assert t("{filename}: a dataset upload must be one of {value} (a .zip holds a folder of "
             "CSV files)", filename="số liệu.xls", value=".csv, .json, .xlsx, .zip") in page
    assert "a dataset upload must be one of" not in page


def test_the_template_guidance_reads_in_the_readers_language_and_uploads_as_any(platform):
    """The dataset template downloaded in Vietnamese: its guidance sheet's headings and column
    descriptions and its cell prompts are Vietnamese; its sheets and column names are those of
    every language, so the filled workbook uploads and saves."""
    client = _client(platform, "owner_editor")
    english = load_workbook(io.BytesIO(client.get("/facilities/templates/dataset.xlsx").content))
    client.cookies.set("journey_lang", "vi")
    answer = client.get("/facilities/templates/dataset.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.content))
    t = page_translator(LOCALES, ("facility", "shell"), "vi", strict=True)
    guidance = workbook["guidance"]
    headings = [cell.value for cell in guidance[1]]
    assert headings[:2] == [t("Table"), t("Column")] and headings[1] != "column"
    rows = {(r[0].value, r[1].value): r for r in guidance.iter_rows(min_row=2)}
    english_rows = {(r[0].value, r[1].value): r for r in english["guidance"].iter_rows(min_row=2)}
    described = rows["energy", "quantity"][4].value
    assert described == t(english_rows["energy", "quantity"][4].value) != \
        english_rows["energy", "quantity"][4].value
    # what a column accepts: its words in Vietnamese, its codes as the file holds them
    units = english_rows["energy", "unit"][5].value
    assert units.startswith("a unit spelling: ")
    assert rows["energy", "unit"][5].value == t("a unit spelling: {units}",
                                                 units=units.removeprefix("a unit spelling: "))
    assert rows["energy", "month"][3].value == t("a whole number") != "a whole number"
    prompts = [v.prompt for v in workbook["energy"].data_validations.dataValidation if v.prompt]
    assert prompts and not any(p in [v.prompt for v in english["energy"].data_validations
                                     .dataValidation] for p in prompts)
    assert workbook.sheetnames == english.sheetnames
    for name in english.sheetnames:
        if name != "guidance":  # the sheets an upload is read by
            assert [c.value for c in workbook[name][1]] == [c.value for c in english[name][1]]
    token = _csrf(client.get("/facilities/upload").text)
    saved = client.post("/facilities/upload", data={CSRF_FIELD: token},
                        files={"file": ("dữ liệu.xlsx", filled_template(facility_tables(),
                                                                        template=answer.content))},
                        follow_redirects=True)
    assert saved.status_code == 200
    assert html.escape(t("Your data were saved"), quote=False) in saved.text


def test_one_menu_link_is_the_current_page(platform):
    """On /facilities/upload the menu marks "Upload" as the current page, not also
    "Facilities": a screen reader would be told the page is in two places."""
    page = _client(platform, "owner_editor").get("/facilities/upload").text
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', page)
    assert current == ["/facilities/upload"], current
    page = _client(platform, "owner_editor").get("/facilities").text
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', page) == ["/facilities"]


def test_the_pathway_says_why_a_smaller_priority_comes_first_and_why_no_figures(
    platform, monkeypatch
):
    """F1's recommended step (a high opportunity) shows a smaller priority than a low
    opportunity listed after it, and its optional steps list measures without figures: both
    are the methodology's, and the page says so under the optional pathway's heading, in the
    reader's language; the notes are what the assessment view says, no more."""
    from factory_journey.reports.i18n import translator
    from factory_journey.reports.pathway_notes import ORDER_NOTE, UNCOSTED_NOTE
    from factory_journey.web.pages.facility import assessment as page_module

    client = _client(platform, "owner_viewer")
    client.cookies.set("journey_lang", "vi")
    page = html.unescape(client.get("/facilities/F1/assessment?year=2023").text)
    tr = translator("vi", strict=True)
    optional = page[page.index(f"<h2>{tr('Optional pathway')}</h2>"):]
    before_steps = optional[:optional.index('<div class="card">')]
    for note in (ORDER_NOTE, UNCOSTED_NOTE):
        assert tr(note) != note and tr(note) in before_steps, note
    assert ORDER_NOTE not in page
    assert "Các bước được sắp xếp trước hết theo mức cơ hội (cao trước thấp)" in page
    # the numbers the note speaks of are on the page: 86 for the recommended step (a high
    # opportunity), 90 for a low opportunity after it
    recommended = page[page.index(f"<h2>{tr('Recommended pathway')}</h2>"):]
    assert f"{tr('Priority')} 86</span>" in recommended.split("</h3>", 1)[0]
    assert f"{tr('Priority')} 90</span>" in optional

    # A pathway whose numbers decrease gets no order note (the view decides, the page shows).
    real = page_module.assessment_view

    def without_order_note(*args, **kwargs):  # type: ignore[no-untyped-def]
        view = real(*args, **kwargs)
        notes = [n for n in view.report["pathway_notes"] if n != tr(ORDER_NOTE)]
        return dataclasses.replace(view, report={**view.report, "pathway_notes": notes})

    monkeypatch.setattr(page_module, "assessment_view", without_order_note)
    page = html.unescape(client.get("/facilities/F1/assessment?year=2023").text)
    assert tr(ORDER_NOTE) not in page and tr(UNCOSTED_NOTE) in page
    assert page.count('class="hint-inline pathway-note"') == 1
