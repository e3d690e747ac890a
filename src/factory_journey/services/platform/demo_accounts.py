"""Demo organisations and accounts, one per kind and role, for `journey serve` on a fresh start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import create_organisation, create_user
from factory_journey.store.models import Organisation, User

#: The demo password of every demo account (development only; the server refuses demo
#: accounts outside development).
DEMO_PASSWORD = "journey-demo-2026"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    organisation: str
    kind: str
    role: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("factory.admin@demo.test", "Demo Factory Group", "factory_group", "admin"),
    DemoAccount("factory.editor@demo.test", "Demo Factory Group", "factory_group", "editor"),
    DemoAccount("factory.viewer@demo.test", "Demo Factory Group", "factory_group", "viewer"),
    DemoAccount("brand.analyst@demo.test", "Demo Brand", "brand", "viewer"),
    DemoAccount("programme.officer@demo.test", "Demo Programme", "programme", "admin"),
    DemoAccount("park.manager@demo.test", "Demo Industrial Park", "park_operator", "admin"),
    DemoAccount("verifier@demo.test", "Demo Verifier", "verifier", "editor"),
    # The Join the Journey review committee (#18): one seat per founding organisation.
    DemoAccount("committee.cascale@demo.test", "Demo Committee Cascale", "programme", "editor"),
    DemoAccount("committee.aii@demo.test", "Demo Committee Aii", "programme", "editor"),
    DemoAccount("committee.zdhc@demo.test", "Demo Committee ZDHC", "programme", "editor"),
)

#: Committee seats of the demo organisations (seat keys of proposals/review_rubric.yaml).
DEMO_SEATS: dict[str, str] = {
    "cascale": "Demo Committee Cascale",
    "aii": "Demo Committee Aii",
    "zdhc": "Demo Committee ZDHC",
}


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo organisations and users that do not exist yet (idempotent)."""
    for account in DEMO_ACCOUNTS:
        organisation = session.scalar(
            select(Organisation).where(Organisation.name == account.organisation)
        )
        if organisation is None:
            organisation = create_organisation(session, account.organisation, account.kind)
        if session.scalar(select(User).where(User.email == account.email)) is None:
            name = account.email.split("@")[0].replace(".", " ").title()
            create_user(session, account.email, DEMO_PASSWORD, name, organisation, account.role)
    _ensure_demo_seats(session)
    return list(DEMO_ACCOUNTS)


def _ensure_demo_seats(session: Session) -> None:
    from factory_journey.services.proposals.committee import assign_seat, seats

    held = seats(session)
    for seat, name in DEMO_SEATS.items():
        organisation = session.scalar(select(Organisation).where(Organisation.name == name))
        if seat not in held and organisation is not None:
            assign_seat(session, seat, organisation.id)
