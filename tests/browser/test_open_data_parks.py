"""Open data (#17) for parks in a real browser: the demo park operator publishes its Viet Nam
park and one member factory publishes itself; a signed-out visitor finds the park, reads its
page (desktop, phone, another language) and follows the member's link; after the operator
withdraws, the visitor's next request finds nothing."""

from __future__ import annotations

from babel.messages.pofile import read_po

from factory_journey.services.languages import page_catalogue_path
from factory_journey.services.open_data import park_publish, publish
from factory_journey.services.platform.accounts import actor_for_email
from factory_journey.store.database import transaction
from factory_journey.store.models import ParkMember
from factory_journey.web.pages.catalogues import LOCALES

PARK = "DEMO-VN-01"
NAME = "Demo Mekong Eco-Textile Park"


def _publish(live_server) -> str:  # type: ignore[no-untyped-def]
    with transaction(live_server.factory) as session:
        operator = actor_for_email(session, live_server.email("park.manager"))
        park_publish.publish(session, operator, PARK, ["park_indicators", "shared_facilities",
                                                       "requirement_results", "pillar_scores"])
        member = min(session.scalars(
            ParkMember.__table__.select().with_only_columns(ParkMember.facility_id)
            .where(ParkMember.park_id == PARK)).all())
        factory = actor_for_email(session, live_server.email("factory.admin"))
        publish.publish(session, factory, member, ["energy"])
    return str(member)


def test_a_park_read_signed_out(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible
):
    member = _publish(live_server)
    for phone in (False, True):
        visitor = page_as(None, phone=phone)
        visitor.goto("/open-data")
        visitor.get_by_label("Name or facility id").fill("Demo Mekong")
        visitor.get_by_role("button", name="Search").click()
        visitor.get_by_role("link", name=NAME).click()
        assert visitor.locator("h1").inner_text() == NAME
        text = visitor.locator("main").inner_text()
        assert "Green: every tested substance passes" in text  # the central plant
        assert "energy_total_mj" in text and "environment" in text  # a total, a pillar
        # ... named in words: the park report's for a total, the framework's for a pillar.
        assert "Total energy" in text and "Environment" in text
        assert visitor.locator("code.indicator-id").count() == visitor.locator(
            "td .indicator-name").count()  # every value of the Viet Nam park has a name
        assert "Members that publish their own data" in text
        assert visitor.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
        ) or not phone
        snap(visitor, "park-phone" if phone else "park")
        assert_accessible(visitor)
    assert visitor.locator(f'a[href="/open-data/facilities/{member}"]').count() == 1
    visitor.get_by_label("Language").select_option("vi")
    visitor.get_by_role("button", name="Change").click()
    assert "Chỉ số khu công nghiệp" in visitor.locator("main").inner_text()
    with page_catalogue_path(LOCALES, "public", "vi").open("rb") as handle:
        total_energy = read_po(handle)["Total energy"].string
    assert total_energy and total_energy in visitor.locator("main").inner_text()
    snap(visitor, "park-vi")
    assert_accessible(visitor)
    visitor.locator(f'a[href="/open-data/facilities/{member}"]').click()
    assert "energy_total_mj" in visitor.locator("main").inner_text()

    with transaction(live_server.factory) as session:
        operator = actor_for_email(session, live_server.email("park.manager"))
        park_publish.withdraw(session, operator, PARK)
    visitor.goto(f"/open-data/parks/{PARK}")
    assert NAME not in visitor.locator("main").inner_text()
    snap(visitor, "park-after-withdrawal")
