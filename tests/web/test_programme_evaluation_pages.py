"""A programme officer's evaluation through the app: which facilities have no comparable data
(ids and names, per area), the evaluation as CSV and XLSX (formulas neutralised, the page's
permission: another role gets 403, another programme's cohort 404), and /facilities pointing a
programme officer to the programme's pages instead of the factory's upload text."""

from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
import polars as pl
import pytest

from factory_journey.engine.evaluation import REASONS, load_evaluation_rules
from factory_journey.services.platform import accounts, cohorts
from factory_journey.services.platform.evaluation_gaps import facilities_without_comparable_data
from factory_journey.services.platform.programme_evaluation import evaluate_cohort
from factory_journey.store.database import transaction
from factory_journey.store.models import Facility
from factory_journey.web.pages.programme import EVALUATION_AREAS, REASON_NAMES
from factory_journey.web.pages.shell import PAGE_COOKIE

from .conftest import PASSWORD
from .many_facilities import many_facilities

#: A facility name a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA = '=HYPERLINK("http://evil.example/x","click")'


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = many_facilities(tmp_path_factory, share_with="Programme", scope="matrix")
    with transaction(platform.factory) as session:
        session.get(Facility, platform.ids[0]).name = FORMULA
        officer = accounts.actor_for_email(session, "programme_admin@test.example")
        platform.cohort = cohorts.create_cohort(  # type: ignore[attr-defined]
            session, officer, "Wave one", [*platform.ids, "F1"]).id
        # a second programme, with nothing shared and no cohort
        other = accounts.create_organisation(session, "Programme Two", "programme")
        accounts.create_user(session, "second_programme@test.example", PASSWORD, "Second",
                             other, "admin")
    with transaction(platform.factory) as session:
        platform.tokens["second_programme"] = accounts.sign_in(
            session, "second_programme@test.example", PASSWORD)
    return platform


def _client(platform, actor="programme_admin"):  # type: ignore[no-untyped-def]
    client = platform.client
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, platform.tokens[actor])
    return client


def _not_comparable(platform) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """(area, facility_id, reason) of every facility-area without comparable data, from the
    engine's own judgement of the cohort."""
    with transaction(platform.factory) as session:
        officer = accounts.actor_for_email(session, "programme_admin@test.example")
        outcome = evaluate_cohort(session, officer, platform.cohort, 2022, 2023)
    assert outcome.result is not None
    return outcome.result.changes.filter(pl.col("status") == "not_comparable").select(
        "area", "facility_id", "reason")


def test_every_reason_and_area_has_words_in_the_page_catalogue():
    assert set(REASON_NAMES) == set(REASONS)
    assert set(load_evaluation_rules().areas) <= set(EVALUATION_AREAS)


def test_the_service_lists_each_area_s_facilities_with_their_names(platform):
    expected = _not_comparable(platform)
    assert expected.height > 0  # the generated data leave some areas not comparable
    with transaction(platform.factory) as session:
        officer = accounts.actor_for_email(session, "programme_admin@test.example")
        outcome = evaluate_cohort(session, officer, platform.cohort, 2022, 2023)
        gaps = facilities_without_comparable_data(session, officer, outcome)
        names = {f.id: f.name for f in session.query(Facility)}
    listed = {(g.area, f.facility_id, f.reason) for g in gaps for f in g.facilities}
    assert listed == set(expected.iter_rows())
    rules = list(load_evaluation_rules().areas)
    assert [g.area for g in gaps] == sorted({g.area for g in gaps}, key=rules.index)
    for g in gaps:
        assert [f.facility_id for f in g.facilities] == sorted(f.facility_id for f in g.facilities)
        assert all(f.name == names[f.facility_id] and f.detail for f in g.facilities)


def test_the_page_shows_which_facilities_per_area(platform):
    expected = _not_comparable(platform)
    with transaction(platform.factory) as session:
        names = {f.id: f.name for f in session.query(Facility)}
    page = _client(platform).get(f"/programme/evaluation?cohort={platform.cohort}"
                                 "&baseline=2022&followup=2023")
    assert page.status_code == 200
    assert "journey evaluate command" not in page.text  # no terminal for a programme officer
    blocks = re.findall(r"<details>\s*<summary>([^<]*)</summary>(.*?)</details>", page.text,
                        re.S)
    by_area = {html.unescape(summary).split(":")[0]: (html.unescape(summary), body)
               for summary, body in blocks}
    assert len(by_area) == expected["area"].n_unique()
    for (area,), rows in expected.group_by("area"):
        label = EVALUATION_AREAS[str(area)]
        summary, body = by_area[label]
        assert summary == f"{label}: {rows.height} facilities"
        shown = {tuple(html.unescape(cell) for cell in row) for row in re.findall(
            r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", body)}
        assert shown == {(f, names[f], REASON_NAMES[r]) for _a, f, r in rows.iter_rows()}, label
    links = re.findall(r'href="(/programme/evaluation/export\.(?:csv|xlsx)\?[^"]+)"', page.text)
    assert len(links) == 2
    assert all(f"cohort={platform.cohort}&baseline=2022&followup=2023" in html.unescape(link)
               for link in links)


def test_the_csv_export_has_each_facility_and_area_with_formulas_neutralised(platform):
    expected = _not_comparable(platform)
    answer = _client(platform).get(f"/programme/evaluation/export.csv?cohort={platform.cohort}"
                                   "&baseline=2022&followup=2023")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    assert "evaluation-wave-one-2022-2023.csv" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    areas = load_evaluation_rules().areas
    assert len(rows) == (len(platform.ids) + 1) * len(areas)
    missing = {(r["area"], r["facility_id"], r["reason"]) for r in rows
               if r["status"] == "not_comparable"}
    assert missing == set(expected.iter_rows())
    assert all(r["reason_text"] == REASONS[r["reason"]] and r["detail"] for r in rows
               if r["status"] == "not_comparable")
    named = {r["facility_name"] for r in rows if r["facility_id"] == platform.ids[0]}
    assert named == {"'" + FORMULA}  # a text cell never starts a formula
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    assert {r["facility_name"] for r in rows if r["facility_id"] == "F1"} == {"Facility One"}


def test_the_xlsx_export_holds_every_table_and_no_formula(platform):
    answer = _client(platform).get("/programme/evaluation/export.xlsx")  # defaults: all, years
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert workbook.sheetnames[:2] == ["Read me", "facility results"]
    for table in ("shares_overall", "not_comparable", "facilities", "did"):
        assert table in workbook.sheetnames
    sheet = workbook["facility results"]
    head = [c.value for c in sheet[1]]
    assert head[:2] == ["facility_id", "facility_name"]
    cells = [c for row in workbook.worksheets for line in row.iter_rows() for c in line]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = {line[1] for line in sheet.iter_rows(min_row=2, values_only=True)
             if line[0] == platform.ids[0]}
    assert names == {"'" + FORMULA}
    about = dict(workbook["Read me"].iter_rows(min_row=2, values_only=True))
    assert about["Baseline year"] == "2022" and about["Follow-up year"] == "2023"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_has_the_page_s_permission(platform, kind):
    path = f"/programme/evaluation/export.{kind}"
    for actor in ("brand_viewer", "owner_admin"):  # other organisation kinds: refused
        assert _client(platform, actor).get(path).status_code == 403, actor
    second = _client(platform, "second_programme")
    assert second.get(f"{path}?cohort={platform.cohort}").status_code == 404
    assert second.get(path).status_code == 404  # nothing shared with it: nothing to export
    refused = _client(platform).get(f"{path}?baseline=2023&followup=2022")
    assert refused.status_code == 422 and "text/html" in refused.headers["content-type"]


def test_facilities_points_a_programme_officer_to_the_programme_pages(platform):
    client = _client(platform)
    page = client.get("/facilities")
    assert page.status_code == 200
    assert "Download the dataset template" not in page.text
    assert "Your programme does not report facilities itself." in page.text
    assert 'href="/programme"' in page.text and 'href="/programme/evaluation"' in page.text
    client.cookies.set("journey_lang", "vi")
    vietnamese = client.get("/facilities")
    assert "Your programme does not report facilities itself." not in vietnamese.text
    assert 'href="/programme"' in vietnamese.text
    brand = _client(platform, "brand_viewer").get("/facilities")
    assert "Download the dataset template" not in brand.text
    assert 'href="/portfolio"' in brand.text
    factory = _client(platform, "other_factory_admin").get("/facilities")  # owns nothing yet
    assert "No facility yet. Download the dataset template" in factory.text


def test_records_with_mistakes_are_located_in_the_officers_language(platform):
    """The participation records' problems on the programme page: where each is ('dòng 3',
    not 'row 3') and what is wrong, in Vietnamese; a refused form says why in Vietnamese."""
    from factory_journey.services.languages import page_translator
    from factory_journey.web.pages.catalogues import LOCALES
    from factory_journey.web.pages.shell import CSRF_FIELD

    client = _client(platform)
    client.cookies.set("journey_lang", "vi")
    page = client.get("/programme").text
    token = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    bad = b"facility_id,programme,start_date,end_date\nNOBODY,clp,2022-03-01,\n" * 2
    answer = client.post("/programme/records", data={CSRF_FIELD: token},
                         files={"file": ("wave.csv", bad)})
    shown = html.unescape(answer.text)
    t = page_translator(LOCALES, ("programme", "shell"), "vi", strict=True)
    assert t("row {n}", n=2) in shown and ", row 2" not in shown
    assert t("column {name}", name="facility_id") in shown
    assert t("Facility {facility} is not shared with your programme with its data",
             facility="'NOBODY'") in shown
    # the row 3 repeats row 2: what was found is said in Vietnamese, the row kept
    assert f"<td>{t('same as row {row}', row=2)}</td>" in shown
    assert "same as row" not in shown
    # a refusal names its field by the form's label, not by the API's key ("facilities:")
    refused = html.unescape(client.post("/programme/cohorts",
                                        data={CSRF_FIELD: token, "name": "Wave 1"}).text)
    reason = t("{field}: {reason}", field=t("Facilities"),
               reason=t("choose at least one facility for the cohort"))
    assert t("Not saved: {reason}", reason=reason) in refused
    assert "facilities:" not in refused and reason.startswith("Cơ sở: ")
    named = html.unescape(client.post("/programme/cohorts", data={
        CSRF_FIELD: token, "name": "", "facility": "NOT-SHARED"}).text)
    assert t("{field}: {reason}", field=t("Name of the cohort"), reason=t(
        "give the cohort a name of 1 to {max_name} characters", max_name=200)) in named
    assert "name:" not in named
