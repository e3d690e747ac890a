"""What the database must not hold when the platform serves in production."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.demo_accounts import DEMO_ACCOUNTS
from factory_journey.store.models import User


def active_demo_accounts(session: Session) -> list[str]:
    """E-mail addresses of demo accounts (whose password is published) that can sign in."""
    emails = [account.email for account in DEMO_ACCOUNTS]
    return list(
        session.scalars(
            select(User.email)
            .where(User.email.in_(emails), User.active.is_(True))
            .order_by(User.email)
        )
    )
