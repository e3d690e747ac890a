"""Parks on the platform: an operator's park dataset assessed and kept; the operator sees its
parks whole, a member factory's organisation read-only and only its own members' standing,
anyone else nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factory_journey.services.platform import accounts
from factory_journey.services.platform import parks as service
from factory_journey.services.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import Facility, Park, ParkMember, SharedFacility
from tests.database import test_database_url
from tests.engine.parks.hand_park import FRAMEWORK, write_park


@pytest.fixture
def platform(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    migrate(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        for email, name, kind, role in (
            ("op@test.example", "Operator", "park_operator", "admin"),
            ("viewer@test.example", "Operator viewer", "park_operator", "viewer"),
            ("f@test.example", "Factory M2", "factory_group", "admin"),
            ("b@test.example", "Brand", "brand", "viewer"),
            ("op2@test.example", "Other operator", "park_operator", "admin"),
        ):
            org = accounts.create_organisation(session, name, kind)
            accounts.create_user(session, email, "long enough pw", name, org, role)
        owner = accounts.actor_for_email(session, "f@test.example")
        session.add(Facility(id="M2", name="Member two", country_iso2="ET",
                             owner_organisation_id=owner.organisation_id))
    yield factory
    engine.dispose()


def _content(tmp_path, **kwargs) -> bytes:
    return service.zip_folder(write_park(tmp_path / "park", **kwargs))


def _actor(session, email):
    return accounts.actor_for_email(session, email)


def test_the_operator_stores_and_sees_its_park_whole(platform, tmp_path) -> None:
    with transaction(platform) as session:
        stored = service.store_park_dataset(session, _actor(session, "op@test.example"),
                                            "park.zip", _content(tmp_path), [FRAMEWORK])
        assert stored.framework == "tiny-eip 0.1"
    with transaction(platform) as session:
        park = session.get(Park, "P1")
        assert (park.name, park.country_iso2) == ("Hand Park", "ET")
        assert session.scalar(select(func.count()).select_from(ParkMember)) == 3
        assert session.scalar(select(func.count()).select_from(SharedFacility)) == 1
        view = service.park_view(session, _actor(session, "op@test.example"), "P1")
    assert view.summary.relation == "operator"
    assert sorted(view.frames["park_members"]["facility_id"].to_list()) == ["M1", "M2", "M3"]
    assert view.frames["pillar_scores"].height == 3
    # the collective plan is kept with the other frames, every member's share included
    assert view.frames["plan_measures"]["measure"].n_unique() == view.frames[
        "plan_measures"].height > 0
    assert set(view.frames["plan_members"]["facility_id"]) == {"M1", "M2", "M3"}


def test_a_member_factory_sees_the_park_and_only_its_own_standing(platform, tmp_path) -> None:
    with transaction(platform) as session:
        service.store_park_dataset(session, _actor(session, "op@test.example"), "park.zip",
                                   _content(tmp_path), [FRAMEWORK])
    with transaction(platform) as session:
        factory = _actor(session, "f@test.example")
        assert [p.relation for p in service.visible_parks(session, factory)] == ["member"]
        view = service.park_view(session, factory, "P1")
        assert view.frames["park_members"]["facility_id"].to_list() == ["M2"]
        assert view.frames["requirement_results"].height == 5
        operator = service.park_view(session, _actor(session, "op@test.example"), "P1")
        assert view.frames["plan_measures"].equals(operator.frames["plan_measures"])
        shares = operator.frames["plan_members"]
        assert set(shares["facility_id"]) > {"M2"}  # others take part, and are not shown
        assert view.frames["plan_members"].equals(shares.filter(shares["facility_id"] == "M2"))
        brand = _actor(session, "b@test.example")
        assert service.visible_parks(session, brand) == []
        with pytest.raises(NotFound):
            service.park_view(session, brand, "P1")


def test_only_an_operators_writers_store_park_data(platform, tmp_path) -> None:
    content = _content(tmp_path)
    with transaction(platform) as session:
        for email in ("viewer@test.example", "f@test.example"):
            with pytest.raises(Forbidden):
                service.store_park_dataset(session, _actor(session, email), "park.zip", content,
                                           [FRAMEWORK])


def test_bad_park_data_is_refused_with_its_location_and_nothing_kept(platform, tmp_path) -> None:
    with transaction(platform) as session, pytest.raises(
            InvalidInput, match=r"shared_wastewater\.csv, row 3"):
        service.store_park_dataset(session, _actor(session, "op@test.example"), "park.zip",
                                   _content(tmp_path, both=True), [FRAMEWORK])
    with transaction(platform) as session:
        assert session.scalar(select(func.count()).select_from(Park)) == 0


def test_another_operators_park_id_is_refused(platform, tmp_path) -> None:
    with transaction(platform) as session:
        service.store_park_dataset(session, _actor(session, "op@test.example"), "park.zip",
                                   _content(tmp_path), [FRAMEWORK])
    with transaction(platform) as session, pytest.raises(Conflict):
        service.store_park_dataset(session, _actor(session, "op2@test.example"), "park.zip",
                                   _content(tmp_path / "again"), [FRAMEWORK])


def test_the_demo_parks_are_the_demo_operators(platform) -> None:
    with transaction(platform) as session:
        assert service.store_demo_parks(session) is None  # no demo operator here
        org = accounts.create_organisation(session, "Demo Industrial Park", "park_operator")
        accounts.create_user(session, "park.manager@demo.test", "long enough pw", "PM", org,
                             "admin")
    with transaction(platform) as session:
        assert service.store_demo_parks(session) is not None
        assert service.store_demo_parks(session) is None  # once
        manager = _actor(session, "park.manager@demo.test")
        parks = service.visible_parks(session, manager)
        assert sorted(p.country_iso2 for p in parks) == ["ET", "KE", "VN"]
