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
)


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
    return list(DEMO_ACCOUNTS)
