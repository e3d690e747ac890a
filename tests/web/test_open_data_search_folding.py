"""The open-data search (API and /open-data page) matches names as the facilities list does:
any case, Latin accents ignored ("ha noi" finds "Hà Nội", "istanbul" finds "İstanbul"), and
still only among subjects whose consent is in force; the shared answer cache keeps answers
apart by their query."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factory_journey.services.open_data import public_parks, public_read
from factory_journey.store.database import transaction
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url
from tests.web.published_subjects import published

#: (kind, id, name, country, consent: "in force" | "withdrawn" | "future")
SUBJECTS = (
    ("facility", "VN-001", "Hà Nội Dệt May", "VN", "in force"),
    ("facility", "VN-002", "Công ty Bình Dương", "VN", "in force"),
    ("facility", "TR-001", "İstanbul Tekstil", "TR", "in force"),
    ("facility", "VN-003", "Hà Nội Đã Rút", "VN", "withdrawn"),
    ("facility", "VN-004", "Hà Nội Sắp Tới", "VN", "future"),
    ("park", "VN-PARK-1", "Bình Dương Park", "VN", "in force"),
    ("park", "VN-PARK-2", "Bình Dương Rút", "VN", "withdrawn"),
    ("park", "TR-PARK-1", "İstanbul OSB", "TR", "in force"),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    engine, factory = published(test_database_url(tmp_path_factory), SUBJECTS)
    app = create_app(engine, Settings("development", None, secure_cookies=False,
                                      demo_accounts=False))
    yield factory, TestClient(app)
    engine.dispose()


def _facilities(factory, q, **filters) -> list[str]:
    with transaction(factory) as session:
        found = public_read.search_document(session, public_read.SearchQuery(q, **filters))
    assert found["total"] == len(found["items"])
    return [item["id"] for item in found["items"]]


def _parks(factory, q) -> list[str]:
    with transaction(factory) as session:
        found = public_parks.park_search_document(session, public_parks.ParkQuery(q))
    assert found["total"] == len(found["items"])
    return [item["id"] for item in found["items"]]


@pytest.mark.parametrize("q", ["ha noi", "HA NOI", "Hà Nội", "hà nội dệt", "noi det"])
def test_a_name_is_found_in_any_case_without_its_accents(world, q):
    factory, _client = world
    assert _facilities(factory, q) == ["VN-001"]  # not the withdrawn VN-003 nor future VN-004


def test_a_dotted_capital_i_and_a_park_name_without_accents(world):
    factory, _client = world
    assert _facilities(factory, "istanbul") == ["TR-001"]
    assert _facilities(factory, "ISTANBUL tekstil") == ["TR-001"]
    assert _facilities(factory, "binh duong") == ["VN-002"]
    assert _parks(factory, "binh duong") == ["VN-PARK-1"]  # not the withdrawn VN-PARK-2
    assert _parks(factory, "istanbul") == ["TR-PARK-1"]
    assert _parks(factory, "duong") == []  # a park's name is matched from its start
    assert _facilities(factory, "vn-001") == ["VN-001"]  # an id, in any case
    assert _facilities(factory, "vn-00") == []  # an id is matched whole


def test_nothing_matches_and_nothing_unconsented_is_found(world):
    factory, _client = world
    assert _facilities(factory, "ho chi minh") == []
    assert _parks(factory, "ho chi minh") == []
    for q in ("da rut", "sap toi", "VN-003", "vn-004"):
        assert _facilities(factory, q) == [], q
    assert _parks(factory, "binh duong rut") == []
    assert _parks(factory, "vn-park-2") == []


def test_other_filters_and_paging_apply_to_what_the_words_find(world):
    factory, _client = world
    assert _facilities(factory, "n", country="TR") == ["TR-001"]
    assert _facilities(factory, "n", country="vn") == ["VN-002", "VN-001"]  # by name
    with transaction(factory) as session:
        second = public_read.search_document(
            session, public_read.SearchQuery("n", page=2, per_page=1))
    assert second["total"] == 3
    assert [item["id"] for item in second["items"]] == ["VN-001"]  # Công, Hà, İstanbul


def test_the_api_and_the_page_answer_each_query_with_its_own_result(world):
    _factory, client = world
    for q, ids in (("ha noi", ["VN-001"]), ("HA NOI", ["VN-001"]), ("istanbul", ["TR-001"]),
                   ("ho chi minh", []), ("da rut", [])):
        answer = client.get("/api/public/facilities", params={"q": q})
        assert answer.status_code == 200
        assert [item["id"] for item in answer.json()["items"]] == ids, q
    parks = client.get("/api/public/parks", params={"q": "binh duong"}).json()
    assert [item["id"] for item in parks["items"]] == ["VN-PARK-1"]
    page = client.get("/open-data", params={"q": "ha noi"})
    assert page.status_code == 200
    assert "Hà Nội Dệt May" in page.text
    assert "İstanbul Tekstil" not in page.text and "Hà Nội Đã Rút" not in page.text
    page = client.get("/open-data", params={"q": "istanbul"})
    assert "İstanbul Tekstil" in page.text and "İstanbul OSB" in page.text
    assert "Hà Nội Dệt May" not in page.text


def test_an_over_long_query_is_refused_as_before(world):
    _factory, client = world
    assert client.get("/api/public/facilities", params={"q": "a" * 201}).status_code == 422
    assert client.get("/api/public/parks", params={"q": "a" * 201}).status_code == 422
    assert client.get("/open-data", params={"q": "a" * 201}).status_code == 400  # a page
    assert client.get("/api/public/facilities", params={"q": "a" * 200}).json()["total"] == 0
