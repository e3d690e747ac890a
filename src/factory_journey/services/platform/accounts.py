"""Organisations, users, memberships and sign-in (argon2 password hashes, opaque bearer tokens)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.domain.timestamps import as_utc
from factory_journey.services.platform import throttle
from factory_journey.services.platform.account_limits import AccountLimits
from factory_journey.services.platform.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    TooManyAttempts,
)
from factory_journey.store.database import transaction
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
#: Shortest password accepted [characters].
MIN_PASSWORD_LENGTH = 10
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
    check_new_password(password)
    email = email.strip().lower()
    if session.scalar(select(User).where(User.email == email)):
        raise Conflict(f"a user with e-mail {email} exists already")
    user = User(email=email, display_name=display_name, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    session.flush()
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_new_password(password: str) -> None:
    """Refuse a password too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def warm_up() -> None:
    """Make the dummy hash now, so that the first unknown e-mail costs no more than others."""
    _dummy_hash()


@cache
def _dummy_hash() -> str:
    """A hash with the same parameters as real ones, to check unknown accounts against."""
    return _hasher.hash(secrets.token_urlsafe(16))


def check_password(session: Session, email: str, password: str) -> User | None:
    """The active user with `email` and `password`, or None.

    An unknown or inactive account costs one hash verification like a known one, so that the
    answer's time does not tell whether an account exists.
    """
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    target = user.password_hash if user is not None and user.active else _dummy_hash()
    try:
        _hasher.verify(target, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and user.active else None


def _new_token(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id, token_sha256=_token_digest(token), expires_at=utcnow() + TOKEN_LIFETIME
        )
    )
    session.flush()
    return token


def sign_in(session: Session, email: str, password: str) -> str:
    """Check the password and return a new bearer token (shown once; only its hash is kept).

    Not throttled: for server-side jobs and tests. People sign in through `sign_in_guarded`.
    """
    user = check_password(session, email, password)
    if user is None:
        raise NotAuthenticated("e-mail or password is not right")
    return _new_token(session, user)


def count_attempt(
    factory: sessionmaker[Session], email: str, address: str, limits: AccountLimits
) -> tuple[throttle.ThrottleKey, ...]:
    """Count an attempt with `email`'s password from `address` (committed at once), or raise
    `TooManyAttempts`; returns the keys to `throttle.take_back` on success."""
    keys = throttle.keys_for(email, address, limits)
    with transaction(factory) as session:
        wait = throttle.count_attempt(session, keys, limits, utcnow())
    if wait:
        raise TooManyAttempts(
            "too many sign-in attempts for this account or from this address: "
            f"try again in {_say_wait(wait)}",
            wait,
        )
    return keys


def forget_idle_attempts(factory: sessionmaker[Session], limits: AccountLimits) -> int:
    """At start-up: delete sign-in throttle rows idle past `limits.forget_after`."""
    with transaction(factory) as session:
        return throttle.forget_idle(session, limits, utcnow())


def sign_in_guarded(
    factory: sessionmaker[Session], email: str, password: str, address: str, limits: AccountLimits
) -> str:
    """Sign in, throttled per account and per client address (see `throttle`).

    During a lock-out every attempt is refused, a correct password included.
    """
    keys = count_attempt(factory, email, address, limits)
    with transaction(factory) as session:
        user = check_password(session, email, password)
        if user is None:
            raise NotAuthenticated("e-mail or password is not right")
        throttle.take_back(session, keys)
        return _new_token(session, user)


def _say_wait(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{-(-seconds // 60)} minutes"


def revoke_tokens(session: Session, user_id: int, keep: str | None = None) -> None:
    """End every session (bearer token) of a user but the one of token `keep`."""
    statement = (
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if keep is not None:
        statement = statement.where(ApiToken.token_sha256 != _token_digest(keep))
    session.execute(statement)


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
    if revoked_at is not None or as_utc(expires_at) <= utcnow() or not active:
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
