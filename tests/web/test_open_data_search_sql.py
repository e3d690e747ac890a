"""The open-data search matches the stored folded names in SQL (migration 0016): what is
typed is a bound `LIKE` pattern whose `%`, `_` and `\\` match themselves, and a search reads
the count and one page, never the names of every visible profile."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from factory_journey.services.open_data import public_parks, public_read
from factory_journey.store.database import transaction
from factory_journey.store.models import PublicProfile
from tests.database import test_database_url
from tests.web.published_subjects import published

#: (kind, id, name): each metacharacter next to a name it would match as a wildcard.
SUBJECTS = (
    ("facility", "F-PCT", "50% Cotton Mill"),
    ("facility", "F-500", "500 Cotton Mill"),  # "50%" as a wildcard would find it
    ("facility", "F-USC", "A_B Dyeing"),
    ("facility", "F-AXB", "AxB Dyeing"),  # "a_b" as a wildcard would find it
    ("facility", "F-BSL", "Back\\Slash Knits"),
    ("facility", "F-BS2", "Back Slash Knits"),
    ("facility", "F_ID", "Plain Name"),  # an id with "_", matched whole
    ("facility", "FXID", "Other Name"),
    ("park", "P-PCT", "10% Park"),
    ("park", "P-100", "100 Park"),
    *(("facility", f"VN-{i:03d}", f"Xưởng Dệt {i:03d}") for i in range(1, 41)),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    subjects = ((kind, subject_id, name, "VN", "in force") for kind, subject_id, name in SUBJECTS)
    engine, factory = published(test_database_url(tmp_path_factory), subjects)
    yield engine, factory
    engine.dispose()


def _facilities(factory, q, **paging) -> tuple[int, list[str]]:
    with transaction(factory) as session:
        found = public_read.search_document(session, public_read.SearchQuery(q, **paging))
    return found["total"], [item["id"] for item in found["items"]]


def _parks(factory, q) -> list[str]:
    with transaction(factory) as session:
        found = public_parks.park_search_document(session, public_parks.ParkQuery(q))
    return [item["id"] for item in found["items"]]


def test_a_profile_keeps_its_name_and_id_folded(world):
    _engine, factory = world
    with transaction(factory) as session:
        profile = session.query(PublicProfile).filter_by(subject_id="VN-001").one()
        assert (profile.name_folded, profile.subject_id_folded) == ("xuong det 001", "vn-001")
        profile.name = "Hà Nội Mới"  # a name changed later is folded again
        assert profile.name_folded == "ha noi moi"
        session.rollback()


@pytest.mark.parametrize(("q", "ids"), [
    ("50%", ["F-PCT"]),
    ("% cotton", ["F-PCT"]),
    ("a_b", ["F-USC"]),
    ("_", ["F-USC"]),
    ("back\\slash", ["F-BSL"]),
    ("\\", ["F-BSL"]),
    ("%", ["F-PCT"]),
    ("f_id", ["F_ID"]),  # not FXID
])
def test_like_metacharacters_typed_match_themselves(world, q, ids):
    _engine, factory = world
    assert _facilities(factory, q) == (len(ids), ids)


def test_a_park_prefix_with_a_metacharacter_matches_it_literally(world):
    _engine, factory = world
    assert _parks(factory, "10%") == ["P-PCT"]
    assert sorted(_parks(factory, "10")) == ["P-100", "P-PCT"]
    assert _parks(factory, "0%") == []  # from the start of the name only


def test_a_search_reads_one_page_and_a_count_not_every_visible_name(world):
    """The statements a search issues filter on the folded name with a LIKE and the page is
    cut by SQL (LIMIT/OFFSET): no statement reads the names of every visible profile."""
    engine, factory = world
    issued: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        issued.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        total, ids = _facilities(factory, "xuong det", page=2, per_page=5)
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert total == 40
    assert ids == [f"VN-{i:03d}" for i in range(6, 11)]
    searches = [(sql, params) for sql, params in issued if "public_profile" in sql]
    assert len(searches) == 2  # the count and the page
    for sql, params in searches:
        assert "public_profile.name_folded LIKE" in sql
        assert "xuong det" not in sql  # the words are a bound parameter
        assert "%xuong det%" in str(params)
    (count, _), (page, _) = searches
    assert "count(" in count.lower()
    assert "LIMIT" in page
