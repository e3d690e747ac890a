"""Sign-in throttling per account and per client address, with exponential back-off.

Every attempt is counted *before* its password is checked, in its own committed transaction
with the throttle rows locked, so that concurrent attempts (threads, worker processes) cannot
slip past the limit together; a successful attempt then takes its count back. A locked key
refuses every attempt, a correct password included, until the lock-out ends.
"""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from factory_journey.domain.timestamps import as_utc
from factory_journey.services.platform.account_limits import AccountLimits
from factory_journey.store.models import SignInThrottle


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    kind: str  # "account" or "address"
    digest: str
    limit: int


def keys_for(email: str, address: str, limits: AccountLimits) -> tuple[ThrottleKey, ThrottleKey]:
    """The account key (the e-mail as typed, whether or not it has an account) and the address
    key of an attempt."""
    return (
        ThrottleKey("account", _digest("account", email.strip().lower()), limits.account_failures),
        ThrottleKey("address", _digest("address", address_key(address)), limits.address_failures),
    )


def reset_key(address: str, limits: AccountLimits) -> ThrottleKey:
    """The key of password-reset requests from `address` (every request counts)."""
    return ThrottleKey("reset", _digest("reset", address_key(address)), limits.address_failures)


def address_key(address: str) -> str:
    """What an address is counted as: an IPv4 address itself, an IPv6 address its /64 (one
    subscriber commonly holds a whole /64, and could otherwise try from 2**64 addresses); an
    IPv4-mapped IPv6 address as its IPv4 address; anything else as given."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


#: Every this many attempts a process also deletes the rows idle past `forget_after`.
PURGE_EVERY = 100
_attempts = itertools.count(1)


def forget_idle(session: Session, limits: AccountLimits, now: datetime) -> int:
    """Delete throttle rows with no attempt for longer than `limits.forget_after` and no
    lock-out running (they would be reset on their next attempt anyway); how many went."""
    result = session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.last_attempt_at < now - limits.forget_after,
            (SignInThrottle.locked_until.is_(None)) | (SignInThrottle.locked_until <= now),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def count_attempt(
    session: Session, keys: tuple[ThrottleKey, ...], limits: AccountLimits, now: datetime
) -> int:
    """Count one attempt against `keys`; 0 if it may go on, else the wait in whole seconds.

    Commit the session whatever the answer: a refusal may have started a lock-out.
    """
    _lock_rows(session, keys, now)
    rows = {
        row.key_sha256: row
        for row in session.scalars(
            select(SignInThrottle)
            .where(SignInThrottle.key_sha256.in_([key.digest for key in keys]))
            .order_by(SignInThrottle.key_sha256)
            .with_for_update()
        )
    }
    locked = [as_utc(r.locked_until) for r in rows.values() if r.locked_until is not None]
    waits = [until - now for until in locked if until > now]
    if waits:
        return _whole_seconds(max(waits).total_seconds())
    wait = 0.0
    for key in keys:
        row = rows[key.digest]
        if now - as_utc(row.last_attempt_at) > limits.forget_after:
            row.lockouts = 0
        started = row.window_started_at
        if started is None or now - as_utc(started) >= limits.window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        row.last_attempt_at = now
        if row.failures > key.limit:
            lockout = min(limits.first_lockout * 2**row.lockouts, limits.longest_lockout)
            row.locked_until = now + lockout
            row.lockouts += 1
            row.failures, row.window_started_at = 0, None
            wait = max(wait, lockout.total_seconds())
    session.flush()
    if next(_attempts) % PURGE_EVERY == 0:  # cheap and bounded: the table stays small
        forget_idle(session, limits, now)
    return _whole_seconds(wait) if wait else 0


def take_back(session: Session, keys: tuple[ThrottleKey, ...]) -> None:
    """After a successful attempt: the account starts afresh; the address's count of this
    attempt is taken back (its other failures stay: one good account does not clear them)."""
    for key in keys:
        if key.kind == "account":
            session.execute(delete(SignInThrottle).where(SignInThrottle.key_sha256 == key.digest))
        else:
            session.execute(
                update(SignInThrottle)
                .where(SignInThrottle.key_sha256 == key.digest)
                .values(
                    failures=case(
                        (SignInThrottle.failures > 0, SignInThrottle.failures - 1), else_=0
                    )
                )
            )


def forget_account(session: Session, email: str) -> None:
    """Clear an account's failures and lock-out (its owner has proved they hold its mailbox)."""
    digest = _digest("account", email.strip().lower())
    session.execute(delete(SignInThrottle).where(SignInThrottle.key_sha256 == digest))


def _lock_rows(session: Session, keys: tuple[ThrottleKey, ...], now: datetime) -> None:
    """Make sure a row exists for each key. The insert comes first in the transaction: on
    SQLite it takes the database's write lock at once (a read first could not be upgraded
    later without failing); on PostgreSQL the caller's `FOR UPDATE` then locks the rows."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for key in sorted(keys, key=lambda k: k.digest):
        session.execute(
            insert(SignInThrottle)
            .values(
                kind=key.kind, key_sha256=key.digest, failures=0, lockouts=0, last_attempt_at=now
            )
            .on_conflict_do_nothing(index_elements=["key_sha256"])
        )


def _whole_seconds(seconds: float) -> int:
    return max(1, math.ceil(seconds))
