"""Open data (#17) in a real browser: a facility admin publishes on the consent page, a
signed-out visitor finds the facility and reads its profile (desktop, phone, another
language), the admin withdraws and the visitor's next request finds nothing."""

from __future__ import annotations

from babel.messages.pofile import read_po
from sqlalchemy import select

from factory_journey.engine.catalogue import indicators
from factory_journey.services.languages import page_catalogue_path
from factory_journey.store.database import transaction
from factory_journey.store.models import Facility, Membership, User
from factory_journey.web.pages.catalogues import LOCALES

#: The plain names of the indicators the visitor sees (the catalogue's labels).
LABELS = {i.name: i.label for i in indicators()}


def _vietnamese(message: str) -> str:
    with page_catalogue_path(LOCALES, "public", "vi").open("rb") as handle:
        return str(read_po(handle)[message].string)


def _names_shown(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Indicator id → the name its row shows beside it."""
    return dict(page.evaluate(
        "() => [...document.querySelectorAll('code.indicator-id')].map(c => "
        "[c.textContent, c.parentElement.querySelector('.indicator-name')?.textContent])"
    ))


def _own_facility(live_server) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with transaction(live_server.factory) as session:
        organisation = session.scalar(
            select(Membership.organisation_id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == live_server.email("factory.admin"))
        )
        row = session.execute(
            select(Facility.id, Facility.name)
            .where(Facility.owner_organisation_id == organisation)
            .order_by(Facility.id)
        ).first()
    assert row is not None
    return row[0], row[1]


def test_publish_read_signed_out_and_withdraw(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible
):
    facility_id, name = _own_facility(live_server)
    admin = page_as("factory.admin")
    admin.goto(f"/facilities/{facility_id}/publishing")
    assert "Nothing of this facility is public" in admin.locator("main").inner_text()
    snap(admin, "consent-before")
    assert_accessible(admin)
    admin.get_by_label("Energy").check()
    admin.get_by_label("Water", exact=True).check()
    admin.get_by_role("button", name="Publish").click()
    assert "Saved." in admin.locator("main").inner_text()
    snap(admin, "consent-published")
    assert_accessible(admin)

    for phone in (False, True):
        visitor = page_as(None, phone=phone)
        visitor.goto("/open-data")
        visitor.get_by_label("Name or facility id").fill(facility_id)
        visitor.get_by_role("button", name="Search").click()
        visitor.get_by_role("link", name=name).click()
        assert visitor.locator("h1").inner_text() == name
        text = visitor.locator("main").inner_text()
        assert "energy_total_mj" in text and "water_withdrawal_m3" in text
        assert "ghg_kgco2e" not in text and "waste_total_kg" not in text  # not consented
        # Each value is named plainly, its id under it (as the JSON has it).
        names = _names_shown(visitor)
        assert {"energy_total_mj", "water_withdrawal_m3"} <= set(names)
        assert all(names[code] == LABELS[code] for code in names), names
        assert LABELS["energy_total_mj"] in text and LABELS["water_withdrawal_m3"] in text
        assert visitor.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
        ) or not phone
        snap(visitor, "profile-phone" if phone else "profile")
        assert_accessible(visitor)
    visitor.get_by_label("Language").select_option("vi")
    visitor.get_by_role("button", name="Change").click()
    assert "Năng lượng" in visitor.locator("main").inner_text()
    names = _names_shown(visitor)
    assert names and all(names[code] == _vietnamese(LABELS[code]) for code in names), names
    assert names["energy_total_mj"] != LABELS["energy_total_mj"]  # Vietnamese, not English
    snap(visitor, "profile-vi")
    assert_accessible(visitor)

    admin.get_by_role("button", name="Withdraw everything").click()
    assert "Withdrawn." in admin.locator("main").inner_text()
    visitor.reload()
    assert name not in visitor.locator("main").inner_text()
    snap(visitor, "profile-after-withdrawal")
    visitor.goto("/open-data")
    assert name not in visitor.locator("main").inner_text()
    snap(visitor, "search-after-withdrawal")
    assert_accessible(visitor)
