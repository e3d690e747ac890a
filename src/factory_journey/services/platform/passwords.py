"""Changing a password (signed in, with the current one) and resetting a forgotten one through
a one-time, expiring link sent to the account's e-mail address (through the outbox)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.domain.timestamps import as_utc
from factory_journey.services.platform import audit, links, outbox, throttle
from factory_journey.services.platform.account_limits import AccountLimits
from factory_journey.services.platform.accounts import (
    actor_for_token,
    check_new_password,
    check_password,
    count_attempt,
    hash_password,
    revoke_tokens,
)
from factory_journey.services.platform.errors import (
    Forbidden,
    InvalidInput,
    LinkNotValid,
    TooManyAttempts,
)
from factory_journey.store.database import transaction
from factory_journey.store.models import PasswordReset, User, utcnow

#: The answer to every reset request, known account or not.
RESET_REQUESTED = (
    "if an account exists for this address, a link to set a new password has been sent to it"
)
_NOT_VALID = "this password link is not valid: it is unknown, used or expired; ask for a new one"


def change(
    factory: sessionmaker[Session],
    token: str,
    current_password: str,
    new_password: str,
    address: str,
    limits: AccountLimits,
) -> None:
    """Set a new password for the signed-in user of `token`; every other session ends.

    The current password is checked like a sign-in (throttled per account and address).
    """
    check_new_password(new_password)
    if new_password == current_password:
        raise InvalidInput("the new password is the same as the current one")
    with transaction(factory) as session:
        actor = actor_for_token(session, token)
    keys = count_attempt(factory, actor.email, address, limits)
    with transaction(factory) as session:
        if check_password(session, actor.email, current_password) is None:
            raise Forbidden("the current password is not right")
        throttle.take_back(session, keys)
        _set_password(session, actor.user_id, new_password, keep_token=token)
        audit.record(session, actor, "password.change", "user", actor.user_id)


def request_reset_guarded(
    factory: sessionmaker[Session],
    email: str,
    address: str,
    limits: AccountLimits,
    public_url: str,
) -> str:
    """`request_reset`, with the requests from one address throttled like sign-in failures.

    Known and unknown e-mails alike cost one committed transaction that writes (the count),
    so that neither the answer nor its time tells whether the address has an account.
    """
    keys = (throttle.reset_key(address, limits),)
    with transaction(factory) as session:
        wait = throttle.count_attempt(session, keys, limits, utcnow())
        if not wait:
            request_reset(session, email, limits, public_url)
    if wait:
        raise TooManyAttempts(
            f"too many password-reset requests from this address: try again in {wait} seconds",
            wait,
        )
    return RESET_REQUESTED


def request_reset(session: Session, email: str, limits: AccountLimits, public_url: str) -> str:
    """Send a reset link to an active account's address; the answer is the same either way."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        return RESET_REQUESTED
    now = utcnow()
    open_links = [
        row
        for row in session.scalars(
            select(PasswordReset).where(
                PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
            )
        )
        if as_utc(row.expires_at) > now
    ]
    if len(open_links) >= limits.open_resets_per_account:
        return RESET_REQUESTED  # enough links are on their way: send no more for now
    token, digest = links.new_token()
    session.add(
        PasswordReset(
            user_id=user.id,
            token_sha256=digest,
            created_at=now,
            expires_at=now + limits.reset_lifetime,
        )
    )
    minutes = max(1, round(limits.reset_lifetime.total_seconds() / 60))
    outbox.send(
        session,
        user.email,
        "Set a new password for Factory Journey",
        "Someone (we hope you) asked to set a new password for your Factory Journey account.\n\n"
        f"To set it, within {minutes} minutes, open this link:\n"
        f"{public_url.rstrip('/')}/password-reset/new?token={token}\n\n"
        "Or, through the API:\n"
        f"POST {public_url.rstrip('/')}/api/auth/password-reset/confirm\n"
        f'{{"token": "{token}", "new_password": "..."}}\n\n'
        "The link works once; setting a password signs you out everywhere. If you did not ask, "
        "ignore this message: your password stays as it is.",
    )
    audit.record(session, None, "password.reset_request", "user", user.id)
    return RESET_REQUESTED


def reset(session: Session, token: str, new_password: str) -> None:
    """Set a new password through a valid reset link (once); every session of the user ends."""
    check_new_password(new_password)
    row = session.scalar(
        select(PasswordReset).where(PasswordReset.token_sha256 == links.digest(token))
    )
    now = utcnow()
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
        raise LinkNotValid(_NOT_VALID)
    taken = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkNotValid(_NOT_VALID)
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise LinkNotValid(_NOT_VALID)
    _set_password(session, user.id, new_password, keep_token=None)
    throttle.forget_account(session, user.email)
    audit.record(session, None, "password.reset", "user", user.id)


def _set_password(session: Session, user_id: int, password: str, keep_token: str | None) -> None:
    """Store the new hash, end the other sessions, close open reset links, tell the owner."""
    user = session.get(User, user_id)
    assert user is not None
    user.password_hash = hash_password(password)
    revoke_tokens(session, user_id, keep=keep_token)
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    outbox.send(
        session,
        user.email,
        "Your Factory Journey password was changed",
        "The password of your Factory Journey account was just changed, and every other "
        "session was signed out. If this was not you, ask for a new password link at once.",
    )
