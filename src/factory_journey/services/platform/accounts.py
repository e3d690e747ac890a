"""Organisations, users, memberships and sign-in (argon2 password hashes, opaque bearer tokens)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from factory_journey.services.platform.errors import Conflict, InvalidInput, NotAuthenticated
from factory_journey.store.models import (
    ORGANISATION_KINDS,
    ROLES,
    ApiToken,
    Membership,
    Organisation,
    User,
    utcnow,
)

TOKEN_LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user acting for one organisation."""

    user_id: int
    email: str
    organisation_id: int
    organisation_kind: str
    role: str


def create_organisation(session: Session, name: str, kind: str) -> Organisation:
    if kind not in ORGANISATION_KINDS:
        raise InvalidInput(f"unknown organisation kind {kind!r}; accepted: {ORGANISATION_KINDS}")
    if session.scalar(select(Organisation).where(Organisation.name == name)):
        raise Conflict(f"an organisation named {name!r} exists already")
    organisation = Organisation(name=name, kind=kind)
    session.add(organisation)
    session.flush()
    return organisation


def create_user(
    session: Session,
    email: str,
    password: str,
    display_name: str,
    organisation: Organisation,
    role: str,
) -> User:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; accepted: {ROLES}")
    if len(password) < 10:
        raise InvalidInput("a password needs at least 10 characters")
    email = email.strip().lower()
    if session.scalar(select(User).where(User.email == email)):
        raise Conflict(f"a user with e-mail {email} exists already")
    user = User(email=email, display_name=display_name, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    session.flush()
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign_in(session: Session, email: str, password: str) -> str:
    """Check the password and return a new bearer token (shown once; only its hash is kept)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        if user is None or not user.active:
            raise VerificationError("no such user")
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated("e-mail or password is not right") from None
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id, token_sha256=_token_digest(token), expires_at=utcnow() + TOKEN_LIFETIME
        )
    )
    session.flush()
    return token


def sign_out(session: Session, token: str) -> None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == _token_digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


#: The actor behind a token digest, in one statement (built once; it runs on every request).
_ACTOR_BY_TOKEN = (
    select(
        ApiToken.revoked_at,
        ApiToken.expires_at,
        User.id,
        User.email,
        User.active,
        Membership.role,
        Organisation.id,
        Organisation.kind,
    )
    .join(User, User.id == ApiToken.user_id)
    .join(Membership, Membership.user_id == User.id)
    .join(Organisation, Organisation.id == Membership.organisation_id)
    .where(ApiToken.token_sha256 == bindparam("digest"))
    .order_by(Membership.id)
    .limit(1)
)


def actor_for_token(session: Session, token: str) -> Actor:
    """The actor a bearer token stands for, or `NotAuthenticated`."""
    row = session.connection().execute(_ACTOR_BY_TOKEN, {"digest": _token_digest(token)}).first()
    if row is None:
        raise NotAuthenticated("sign in again: the token is unknown, revoked or expired")
    revoked_at, expires_at, user_id, email, active, role, organisation_id, kind = row
    if revoked_at is not None or _aware(expires_at) <= utcnow() or not active:
        raise NotAuthenticated("sign in again: the token is unknown, revoked or expired")
    return Actor(user_id, email, organisation_id, kind, role)


def actor_for_email(session: Session, email: str) -> Actor:
    """The actor of a user by e-mail (server-side jobs such as loading the demo data)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    membership = (
        session.scalar(select(Membership).where(Membership.user_id == user.id)) if user else None
    )
    if user is None or membership is None:
        raise NotAuthenticated(f"no account {email} with an organisation")
    organisation = session.get(Organisation, membership.organisation_id)
    assert organisation is not None
    return Actor(user.id, user.email, organisation.id, organisation.kind, membership.role)


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns; they are stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
