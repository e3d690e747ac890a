"""Invitations: an organisation's admin invites an e-mail address with a role; the invitee
sets a password through a one-time link (sent through the outbox) and becomes a member."""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factory_journey.domain.timestamps import as_utc
from factory_journey.services.platform import audit, links, outbox
from factory_journey.services.platform.account_limits import AccountLimits
from factory_journey.services.platform.accounts import Actor, check_new_password, create_user
from factory_journey.services.platform.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    LinkNotValid,
    NotFound,
)
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.store.models import ROLES, Invitation, Organisation, User, utcnow

#: An e-mail address as far as we check it: one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOT_VALID = (
    "this invitation link is not valid: it is unknown, used, withdrawn or expired; "
    "ask your organisation's admin for a new one"
)


def _require_admin(actor: Actor) -> None:
    if not allowed_in_organisation("organisation.invite", actor.organisation_kind, actor.role):
        raise Forbidden("only an admin of your organisation may invite people")


def invite(
    session: Session,
    actor: Actor,
    email: str,
    role: str,
    limits: AccountLimits,
    public_url: str,
) -> Invitation:
    """Invite `email` to the actor's organisation as `role`; a newer invitation to the same
    address replaces an open one.

    The answer is the same whether or not `email` has an account somewhere (an admin of any
    organisation could otherwise learn who uses the platform): the invitation is written
    either way, but an address with an account is told so instead of getting a link (its
    invitation is never accepted and expires)."""
    _require_admin(actor)
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(f"{email[:80]!r} is not an e-mail address (name@domain.example)")
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; accepted: {', '.join(ROLES)}")
    has_account = session.scalar(select(User.id).where(User.email == email)) is not None
    now = utcnow()
    session.execute(
        update(Invitation)
        .where(
            Invitation.organisation_id == actor.organisation_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token, digest = links.new_token()
    invitation = Invitation(
        organisation_id=actor.organisation_id,
        email=email,
        role=role,
        token_sha256=digest,
        invited_by=actor.user_id,
        created_at=now,
        expires_at=now + limits.invitation_lifetime,
    )
    session.add(invitation)
    session.flush()
    organisation = session.get(Organisation, actor.organisation_id)
    assert organisation is not None
    days = max(1, round(limits.invitation_lifetime.total_seconds() / 86400))
    if has_account:
        outbox.send(
            session,
            email,
            f"Invitation to {organisation.name} on Factory Journey",
            f"{actor.email} invited you to join {organisation.name} on Factory Journey as "
            f"{role}, but you already have an account with this address. An address belongs "
            "to one organisation: if you should move, ask your current organisation's admin "
            f"to remove your account, then ask {actor.email} to invite you again. Sign in: "
            f"{public_url.rstrip('/')}/sign-in. If you did not expect this, ignore "
            "this message.",
        )
        audit.record(
            session, actor, "invitation.create", "invitation", invitation.id, {"role": role}
        )
        return invitation
    outbox.send(
        session,
        email,
        f"Invitation to {organisation.name} on Factory Journey",
        f"{actor.email} invites you to join {organisation.name} on Factory Journey as {role}.\n\n"
        f"To accept, open this link within {days} days and choose a password:\n"
        f"{public_url.rstrip('/')}/invitation?token={token}\n\n"
        "Or, through the API (a password of at least 10 characters):\n"
        f"POST {public_url.rstrip('/')}/api/auth/invitations/accept\n"
        f'{{"token": "{token}", "password": "...", "display_name": "..."}}\n\n'
        "The link works once. If you did not expect this, ignore this message.",
    )
    audit.record(session, actor, "invitation.create", "invitation", invitation.id, {"role": role})
    return invitation


def list_open(session: Session, actor: Actor) -> list[Invitation]:
    """The actor's organisation's invitations, newest first (open, accepted and withdrawn)."""
    _require_admin(actor)
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.organisation_id == actor.organisation_id)
            .order_by(Invitation.id.desc())
        )
    )


def withdraw(session: Session, actor: Actor, invitation_id: int) -> None:
    _require_admin(actor)
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != actor.organisation_id:
        raise NotFound(f"no invitation {invitation_id} of your organisation")
    if invitation.accepted_at is not None:
        raise Conflict(f"invitation {invitation_id} was accepted already")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(session, actor, "invitation.withdraw", "invitation", invitation.id)


def accept(session: Session, token: str, password: str, display_name: str) -> User:
    """Create the invitee's account from a valid, unused, unexpired invitation (once)."""
    check_new_password(password)
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_sha256 == links.digest(token))
    )
    now = utcnow()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or as_utc(invitation.expires_at) <= now
    ):
        raise LinkNotValid(_NOT_VALID)
    # Used once even under concurrent requests: only one update finds it still open.
    taken = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(accepted_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkNotValid(_NOT_VALID)
    organisation = session.get(Organisation, invitation.organisation_id)
    assert organisation is not None
    name = display_name.strip() or invitation.email.split("@")[0]
    user = create_user(session, invitation.email, password, name, organisation, invitation.role)
    audit.record(
        session, None, "invitation.accept", "invitation", invitation.id, {"user_id": user.id}
    )
    return user
