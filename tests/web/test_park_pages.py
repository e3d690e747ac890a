"""The park pages: the operator reads its park whole (totals with their parts, pillar scores,
every requirement with its reason, members, shared facilities); a member factory reads it
with only its own factory; anyone else is told nothing exists."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient

from factory_journey.services.platform import accounts
from factory_journey.services.platform import parks as service
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import Facility
from factory_journey.web.app import create_app
from factory_journey.web.pages.shell import PAGE_COOKIE
from factory_journey.web.settings import Settings
from tests.database import test_database_url
from tests.engine.parks.hand_park import FRAMEWORK, write_park

PASSWORD = "correct horse battery"
USERS = (("op@test.example", "Park Operator", "park_operator", "admin"),
         ("m2@test.example", "Factory M2", "factory_group", "viewer"),
         ("brand@test.example", "Brand", "brand", "viewer"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # type: ignore[no-untyped-def]
    engine = make_engine(test_database_url(tmp_path_factory))
    app = create_app(engine, Settings("development", None, secure_cookies=False,
                                      demo_accounts=False))
    factory = session_factory(engine)
    tokens = {}
    with transaction(factory) as session:
        for email, name, kind, role in USERS:
            organisation = accounts.create_organisation(session, name, kind)
            accounts.create_user(session, email, PASSWORD, name, organisation, role)
        owner = accounts.actor_for_email(session, "m2@test.example")
        session.add(Facility(id="M2", name="Member two", country_iso2="ET",
                             owner_organisation_id=owner.organisation_id))
        content = service.zip_folder(write_park(tmp_path_factory.mktemp("park")))
        service.store_park_dataset(session, accounts.actor_for_email(session, "op@test.example"),
                                   "park.zip", content, [FRAMEWORK])
    with transaction(factory) as session:
        for email, *_ in USERS:
            tokens[email] = accounts.sign_in(session, email, PASSWORD)
    yield TestClient(app), tokens
    engine.dispose()


def _get(site, email: str, path: str):  # type: ignore[no-untyped-def]
    client, tokens = site
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, tokens[email])
    answer = client.get(path, follow_redirects=False)
    client.cookies.clear()
    return answer


def test_the_operator_lands_on_its_parks(site) -> None:  # type: ignore[no-untyped-def]
    home = _get(site, "op@test.example", "/")
    assert home.status_code == 303 and home.headers["location"] == "/parks"
    listed = _get(site, "op@test.example", "/parks")
    assert listed.status_code == 200
    assert 'href="/parks/P1"' in listed.text and "Hand Park" in listed.text


def test_the_operator_reads_the_whole_park(site) -> None:  # type: ignore[no-untyped-def]
    page = _get(site, "op@test.example", "/parks/P1")
    assert page.status_code == 200
    text = page.text
    assert "2,912,000" in text  # the park's energy (MJ), worked out in test_hand_park.py
    assert "Renewable energy share: 37%; met at" in text  # why ENV-1 is met
    for member in ("Member one", "Member two", "Member three"):
        assert member in text
    assert "Central effluent plant" in text and "Red: a failure" in text


def test_a_member_factory_reads_the_park_with_only_its_own_factory(site) -> None:  # type: ignore[no-untyped-def]
    page = _get(site, "m2@test.example", "/parks/P1")
    assert page.status_code == 200
    assert "Member two" in page.text
    assert "Member one" not in page.text and "Member three" not in page.text
    assert "read it, not change it" in page.text


def test_anyone_else_is_told_nothing_exists(site) -> None:  # type: ignore[no-untyped-def]
    assert _get(site, "brand@test.example", "/parks/P1").status_code == 404
    assert "No industrial park" in _get(site, "brand@test.example", "/parks").text


def test_the_page_speaks_the_users_language(site) -> None:  # type: ignore[no-untyped-def]
    client, tokens = site
    client.cookies.set(PAGE_COOKIE, tokens["op@test.example"])
    answer = client.get("/parks/P1", headers={"accept-language": "vi"})
    client.cookies.clear()
    assert "Điểm theo bộ tiêu chí" in answer.text
    # what decided each requirement and the plan's texts read as in the Vietnamese report
    text = unescape(answer.text)
    reasons = text.split('id="requirements"')[1].split('id="members"')[0]
    assert "Trả lời:" in reasons or "đạt khi" in reasons or "không có dữ liệu" in reasons
    assert "questionnaire" not in reasons and "needs" not in reasons
    shares = text.split('id="shares"')[1]
    assert ":" not in "".join(cell.split("</td>")[0] for cell in shares.split("<td>")[1:]
                              if "_" in cell.split("</td>")[0]), "a step key is shown"


@pytest.fixture(scope="module")
def hand_plan(tmp_path_factory):  # type: ignore[no-untyped-def]
    from factory_journey.services.parks import assess_park_dataset

    result = assess_park_dataset(write_park(tmp_path_factory.mktemp("plan")), [FRAMEWORK]).result
    return result.plan_measures, result.plan_members


def test_the_operator_reads_the_whole_plan(site, hand_plan) -> None:  # type: ignore[no-untyped-def]
    measures, members = hand_plan
    text = unescape(_get(site, "op@test.example", "/parks/P1").text)
    assert "Collective improvement plan" in text
    assert "How costs and savings split across the members" in text
    for row in measures.iter_rows(named=True):
        assert row["measure_title"] in text
        assert f"{row['investment_usd']:,.0f}" in text, row["measure"]
    # one share row per participant and measure, named by the member's name
    rows = text.split('id="shares"')[1]
    for name, facility in (("Member one", "M1"), ("Member two", "M2"), ("Member three", "M3")):
        shown = rows.count(f'<th scope="row">{name}</th>')
        assert shown == members.filter(members["facility_id"] == facility).height > 0


def test_a_member_factory_reads_the_plan_with_only_its_own_share(site, hand_plan) -> None:  # type: ignore[no-untyped-def]
    measures, members = hand_plan
    text = unescape(_get(site, "m2@test.example", "/parks/P1").text)
    for title in measures["measure_title"]:
        assert title in text
    rows = text.split('id="shares"')[1]
    assert "Your factories' share" in text
    own = members.filter(members["facility_id"] == "M2")
    assert rows.count('<th scope="row">Member two</th>') == own.height > 0
    assert rows.count('<th scope="row">') == own.height  # no other member's share
    for value in own["investment_usd"]:
        assert f"{value:,.0f}" in rows
