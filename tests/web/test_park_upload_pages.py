"""A park operator's files on the park pages: it uploads its park dataset (a bad one shows
every problem located, in the reader's language, and records nothing; a good one shows the
park), downloads the blank park workbook and the park's PDF report; nobody else may."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from factory_journey.services.platform import accounts
from factory_journey.services.platform import parks as service
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import Facility, ParkAssessment, Upload
from factory_journey.web.app import create_app
from factory_journey.web.pages.shell import CSRF_FIELD, PAGE_COOKIE
from factory_journey.web.settings import Settings
from tests.database import test_database_url
from tests.engine.parks.hand_park import write_park
from tests.reports.pdftext import extract

PASSWORD = "correct horse battery"
USERS = (("op@test.example", "Park Operator", "park_operator", "editor"),
         ("opview@test.example", "Park Operator", "park_operator", "viewer"),
         ("m2@test.example", "Factory M2", "factory_group", "admin"),
         ("brand@test.example", "Brand", "brand", "admin"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # type: ignore[no-untyped-def]
    engine = make_engine(test_database_url(tmp_path_factory))
    app = create_app(engine, Settings("development", None, secure_cookies=False,
                                      demo_accounts=False))
    factory = session_factory(engine)
    tokens = {}
    with transaction(factory) as session:
        organisations: dict[str, int] = {}
        for email, name, kind, role in USERS:
            if name not in organisations:
                organisations[name] = accounts.create_organisation(session, name, kind)
            accounts.create_user(session, email, PASSWORD, name, organisations[name], role)
        owner = accounts.actor_for_email(session, "m2@test.example")
        session.add(Facility(id="M2", name="Member two", country_iso2="ET",
                             owner_organisation_id=owner.organisation_id))
    with transaction(factory) as session:
        for email, *_ in USERS:
            tokens[email] = accounts.sign_in(session, email, PASSWORD)
    yield TestClient(app), tokens, factory
    engine.dispose()


def _client(site, email: str) -> TestClient:  # type: ignore[no-untyped-def]
    client, tokens, _ = site
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, tokens[email])
    return client


def _csrf(html: str) -> str:
    found = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _park_zip(folder: Path, broken: bool = False) -> bytes:
    park = write_park(folder)
    if broken:  # a quantity that is not a number and a unit nobody knows, in row 6
        energy = park / "energy.csv"
        energy.write_text(energy.read_text().replace(
            "M3,2024,purchased_electricity,50000,kWh", "M3,2024,purchased_electricity,lots,kWhh"))
    return service.zip_folder(park)


def _recorded(site) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with transaction(site[2]) as session:
        return (session.scalar(select(func.count()).select_from(ParkAssessment)) or 0,
                session.scalar(select(func.count()).select_from(Upload)) or 0)


def test_a_bad_dataset_shows_its_problems_located_and_records_nothing(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = _client(site, "op@test.example")
    form = client.get("/parks/upload")
    assert form.status_code == 200 and 'type="file"' in form.text
    sent = client.post("/parks/upload", data={CSRF_FIELD: _csrf(form.text)},
                       files={"file": ("park.zip", _park_zip(tmp_path, broken=True))},
                       follow_redirects=False)
    assert sent.status_code == 422
    text = unescape(sent.text)
    assert "Nothing was saved: 2 problems to correct" in text
    assert "energy.csv" in text and "row 6 · column quantity" in text
    assert "row 6 · column unit" in text and "kWhh" in text and "lots" in text
    assert "Traceback" not in text and "/facilities/guidance" not in text
    assert _recorded(site) == (0, 0)
    # the same problems in the reader's language (Swahili)
    swahili = unescape(client.post(
        "/parks/upload", data={CSRF_FIELD: _csrf(form.text)},
        files={"file": ("park.zip", _park_zip(tmp_path / "sw", broken=True))},
        headers={"accept-language": "sw"}).text)
    assert "energy.csv" in swahili and "kWhh" in swahili
    assert "Not a number" not in swahili and "Nothing was saved" not in swahili
    # a file of another kind: said, not a traceback
    other = client.post("/parks/upload", data={CSRF_FIELD: _csrf(form.text)},
                        files={"file": ("notes.txt", b"hello")})
    assert other.status_code == 422 and "notes.txt" in other.text
    assert _recorded(site) == (0, 0)


def test_a_good_dataset_is_recorded_and_its_park_shown(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = _client(site, "op@test.example")
    assert "No industrial park" in client.get("/parks").text
    token = _csrf(client.get("/parks/upload").text)
    sent = client.post("/parks/upload", data={CSRF_FIELD: token},
                       files={"file": ("park.zip", _park_zip(tmp_path))}, follow_redirects=False)
    assert sent.status_code == 303
    with transaction(site[2]) as session:
        stored = session.scalar(select(func.max(ParkAssessment.id)))
    assert sent.headers["location"] == f"/parks/P1?saved={stored}"
    page = client.get(sent.headers["location"])
    assert page.status_code == 200
    assert "Hand Park" in page.text and "2,912,000" in page.text  # the park's energy (MJ)
    assert 'href="/parks/upload"' in page.text
    assert 'href="/parks/P1/report.pdf?year=2024"' in page.text
    assert _recorded(site) == (1, 1)
    # what was saved is said, with the numbers the file held (hand_park: one park of three
    # member factories and a central effluent plant, in 2024)
    notice = unescape(page.text).split('<div class="success" role="status">', 1)[1]
    notice = re.sub(r"\s+", " ", notice.split("</div>", 1)[0])
    assert "Your park data were saved" in notice and "Read from park.zip:" in notice
    assert "<li>Parks: 1</li>" in notice and "<li>Member factories: 3</li>" in notice
    assert "<li>Shared facilities: 1</li>" in notice and "<li>Years: 2024</li>" in notice
    # in the reader's language
    swahili = unescape(client.get(sent.headers["location"], headers={"accept-language": "sw"}).text)
    assert "Data za eneo lako la viwanda zimehifadhiwa" in swahili
    assert "Viwanda wanachama: 3" in swahili
    # only after an upload, and only to the operator that saved it
    assert "Your park data were saved" not in client.get("/parks/P1").text
    for bogus in ("999999", "abc", "-1", "1" * 40):
        assert "Your park data were saved" not in client.get(f"/parks/P1?saved={bogus}").text
    member = _client(site, "m2@test.example").get(f"/parks/P1?saved={stored}")
    assert member.status_code == 200 and "Your park data were saved" not in member.text


def test_the_template_is_the_park_workbook(site) -> None:  # type: ignore[no-untyped-def]
    answer = _client(site, "op@test.example").get("/parks/templates/park-dataset.xlsx")
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    assert "attachment" in answer.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(answer.content))
    assert {"parks", "park_members", "shared_facilities"} <= set(workbook.sheetnames)
    # in the reader's language: the guidance's words, not the sheets and columns
    vietnamese = load_workbook(io.BytesIO(_client(site, "op@test.example").get(
        "/parks/templates/park-dataset.xlsx", headers={"accept-language": "vi"}).content))
    assert vietnamese.sheetnames == workbook.sheetnames
    assert [c.value for c in vietnamese["parks"][1]] == [c.value for c in workbook["parks"][1]]
    guidance = [row for row in vietnamese["guidance"].iter_rows(values_only=True)]
    assert guidance[0][:2] == ("trang tính", "cột hoặc câu hỏi")
    described = {(row[0], row[1]): row[3] for row in guidance}
    assert described[("parks", "park_name")] == "Tên khu công nghiệp."


def test_the_report_is_a_pdf_of_the_park_in_the_readers_language(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = _client(site, "op@test.example")
    if client.get("/parks/P1").status_code != 200:  # run alone: record the park first
        client.post("/parks/upload", data={CSRF_FIELD: _csrf(client.get("/parks/upload").text)},
                    files={"file": ("park.zip", _park_zip(tmp_path))})
    english = client.get("/parks/P1/report.pdf")
    assert english.status_code == 200 and english.headers["content-type"] == "application/pdf"
    assert english.content.startswith(b"%PDF") and "P1" in english.headers["content-disposition"]
    text = " ".join(page.text for page in extract(english.content))
    assert "Hand Park" in text
    viewer = _client(site, "opview@test.example").get(
        "/parks/P1/report.pdf?year=2024", headers={"accept-language": "vi"})
    assert viewer.status_code == 200 and "-vi.pdf" in viewer.headers["content-disposition"]
    vietnamese = " ".join(page.text for page in extract(viewer.content))
    assert "Hand Park" in vietnamese and vietnamese != text
    assert client.get("/parks/P1/report.pdf?year=1999").status_code == 404
    assert client.get("/parks/NOPE/report.pdf").status_code == 404


def test_others_may_not_and_see_no_links(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = _park_zip(tmp_path)
    for email in ("opview@test.example", "m2@test.example", "brand@test.example"):
        client = _client(site, email)
        assert client.get("/parks/upload").status_code == 403, email
        assert client.get("/parks/templates/park-dataset.xlsx").status_code == 403, email
        token = _csrf(client.get("/account").text)
        refused = client.post("/parks/upload", data={CSRF_FIELD: token},
                              files={"file": ("park.zip", content)})
        assert refused.status_code == 403, email
        for path in ("/parks", "/parks/P1"):
            assert "/parks/upload" not in client.get(path).text, (email, path)
            assert "park-dataset.xlsx" not in client.get(path).text, (email, path)
    # a member factory reads the park, not the report (it shows every member)
    member = _client(site, "m2@test.example")
    assert "report.pdf" not in member.get("/parks/P1").text
    assert member.get("/parks/P1/report.pdf").status_code == 403
    assert _client(site, "brand@test.example").get("/parks/P1/report.pdf").status_code == 404


def test_an_upload_needs_the_form_token(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = _recorded(site)
    answer = _client(site, "op@test.example").post(
        "/parks/upload", files={"file": ("park.zip", _park_zip(tmp_path))})
    assert answer.status_code == 403
    assert _recorded(site) == before


def test_a_file_that_is_no_archive_is_said_so(site) -> None:  # type: ignore[no-untyped-def]
    client = _client(site, "op@test.example")
    before = _recorded(site)
    token = _csrf(client.get("/parks/upload").text)
    answer = client.post("/parks/upload", data={CSRF_FIELD: token},
                         files={"file": ("park.zip", b"not a zip at all")})
    assert answer.status_code == 422 and "Nothing was saved" in answer.text
    assert "0 problems" not in answer.text and "Traceback" not in answer.text
    assert _recorded(site) == before
