"""Sign-in throttling, equal-cost answers, invitations, password change and reset (#13).

Argon2 is made cheaper for this module (the defaults cost about a second on a busy CI
machine); what is tested — the same cost for unknown accounts, single-use links — does not
depend on the parameters.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.services.platform import accounts, throttle
from factory_journey.services.platform.account_limits import (
    AccountLimits,
    default_limits,
    load_limits,
)
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import (
    Invitation,
    OutboxMessage,
    PasswordReset,
    SignInThrottle,
    utcnow,
)
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url

PASSWORD = "correct horse battery"
LIMITS = replace(
    default_limits(),
    account_failures=3,
    address_failures=1000,
    first_lockout=timedelta(seconds=60),
    longest_lockout=timedelta(seconds=300),
)


@pytest.fixture(scope="module", autouse=True)
def cheap_hashes() -> Iterator[None]:
    original = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._hasher = original
    accounts._dummy_hash.cache_clear()


@dataclass
class Site:
    url: str
    factory: sessionmaker[Session]
    organisation_id: int

    def app(self, limits: AccountLimits = LIMITS, **settings: object) -> TestClient:
        engine = make_engine(self.url)
        base = Settings("development", None, secure_cookies=False, demo_accounts=False)
        return TestClient(create_app(engine, replace(base, account_limits=limits, **settings)))

    def client(self, app: TestClient, address: str) -> TestClient:
        return TestClient(app.app, client=(address, 50000))

    def outbox(self, recipient: str) -> list[OutboxMessage]:
        with transaction(self.factory) as session:
            return list(
                session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.recipient == recipient)
                    .order_by(OutboxMessage.id)
                )
            )


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A fresh database with one organisation: admin@, viewer@ and user@org.example."""
    url = test_database_url(tmp_path_factory)
    engine = make_engine(url)
    create_app(engine, Settings("development", None, secure_cookies=False, demo_accounts=False))
    factory = session_factory(engine)
    with transaction(factory) as session:
        organisation = accounts.create_organisation(session, "Org", "factory_group")
        for name, role in (("admin", "admin"), ("viewer", "viewer"), ("user", "editor")):
            accounts.create_user(session, f"{name}@org.example", PASSWORD, name, organisation, role)
        organisation_id = organisation.id
    return Site(url, factory, organisation_id)


def sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/auth/sign-in", json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- throttling --------------------------------------------------------------------------


def test_lockout_refuses_even_the_right_password(site: Site) -> None:
    client = site.app()
    for _ in range(LIMITS.account_failures):
        assert sign_in(client, "user@org.example", "wrong password").status_code == 401
    refused = sign_in(client, "user@org.example", "wrong password")
    assert refused.status_code == 429
    assert 55 <= int(refused.headers["Retry-After"]) <= 60
    assert "too many sign-in attempts" in refused.json()["detail"]
    right = sign_in(client, "user@org.example")
    assert right.status_code == 429, "a correct password during a lock-out must not sign in"
    assert "token" not in right.json()
    # Another account from the same address is not locked by this one.
    assert sign_in(client, "admin@org.example").status_code == 200


def test_lockout_ends_and_the_next_one_is_longer(site: Site) -> None:
    limits = replace(LIMITS, first_lockout=timedelta(seconds=1))
    client = site.app(limits)
    for _ in range(limits.account_failures):
        sign_in(client, "user@org.example", "wrong password")
    assert sign_in(client, "user@org.example").status_code == 429
    time.sleep(1.2)
    for _ in range(limits.account_failures):
        assert sign_in(client, "user@org.example", "wrong password").status_code == 401
    second = sign_in(client, "user@org.example", "wrong password")
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) == 2  # 1 s, then 2 s
    time.sleep(2.2)
    assert sign_in(client, "user@org.example").status_code == 200


def test_back_off_doubles_up_to_the_longest_and_is_forgotten(site: Site) -> None:
    keys = throttle.keys_for("someone@else.example", "192.0.2.1", LIMITS)[:1]
    now = utcnow()
    waits = []
    for _round in range(5):
        with transaction(site.factory) as session:
            for _ in range(LIMITS.account_failures):
                assert throttle.count_attempt(session, keys, LIMITS, now) == 0
            waits.append(throttle.count_attempt(session, keys, LIMITS, now))
            # While locked, an attempt is refused with the time left.
            assert throttle.count_attempt(session, keys, LIMITS, now + timedelta(seconds=1)) > 0
        now += timedelta(seconds=waits[-1] + 1)
    assert waits == [60, 120, 240, 300, 300]
    later = now + LIMITS.forget_after + timedelta(seconds=1)
    with transaction(site.factory) as session:
        for _ in range(LIMITS.account_failures):
            assert throttle.count_attempt(session, keys, LIMITS, later) == 0
        assert throttle.count_attempt(session, keys, LIMITS, later) == 60


def test_failures_outside_the_window_do_not_add_up(site: Site) -> None:
    keys = throttle.keys_for("user@org.example", "192.0.2.1", LIMITS)[:1]
    now = utcnow()
    with transaction(site.factory) as session:
        for step in range(3 * LIMITS.account_failures):
            moment = now + step * (LIMITS.window / LIMITS.account_failures + timedelta(seconds=1))
            assert throttle.count_attempt(session, keys, LIMITS, moment) == 0


def test_per_address_limit_across_accounts(site: Site) -> None:
    limits = replace(LIMITS, account_failures=100, address_failures=4)
    app = site.app(limits)
    guesser = site.client(app, "203.0.113.7")
    for n in range(4):
        assert sign_in(guesser, f"guess{n}@org.example", "wrong password").status_code == 401
    assert sign_in(guesser, "user@org.example").status_code == 429
    # Another address is not affected.
    assert sign_in(site.client(app, "203.0.113.8"), "user@org.example").status_code == 200


def test_success_clears_the_account_and_takes_back_only_its_own_count(site: Site) -> None:
    limits = replace(LIMITS, account_failures=3, address_failures=6)
    app = site.app(limits)
    office = site.client(app, "198.51.100.1")
    assert sign_in(office, "user@org.example", "wrong password").status_code == 401
    assert sign_in(office, "user@org.example", "wrong password").status_code == 401
    assert sign_in(office, "user@org.example").status_code == 200
    # Its count started afresh: three more failures are allowed.
    for _ in range(3):
        assert sign_in(office, "user@org.example", "wrong password").status_code == 401
    # The address keeps its 5 failures (of 6 allowed); many successful sign-ins from it (an
    # office) do not count against it, but failures do.
    for _ in range(10):
        assert sign_in(office, "admin@org.example").status_code == 200
    assert sign_in(office, "viewer@org.example", "wrong password").status_code == 401
    assert sign_in(office, "viewer@org.example").status_code == 429


def test_throttle_holds_across_threads_and_processes(site: Site) -> None:
    """Twelve concurrent wrong guesses on two app instances (as two worker processes) on one
    database: exactly the allowed number is checked, the others are refused."""
    limits = replace(LIMITS, account_failures=4)
    apps = [site.app(limits), site.app(limits)]
    statuses: list[int] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        status = sign_in(apps[n % 2], "user@org.example", f"wrong password {n}").status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 4 + [429] * 8
    with transaction(site.factory) as session:
        assert session.scalar(select(func.count()).select_from(SignInThrottle)) == 2


def test_unknown_account_costs_the_same_as_a_known_one(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Median of 20 answers each, interleaved: within a factor of 2. The hash costs ~40 ms
    here; without the dummy hash an unknown e-mail answered 4 times faster (ratio 0.23)."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1)
    )
    accounts._dummy_hash.cache_clear()
    try:
        with transaction(site.factory) as session:
            organisation = session.get(accounts.Organisation, site.organisation_id)
            assert organisation is not None
            accounts.create_user(
                session, "timed@org.example", PASSWORD, "Timed", organisation, "viewer"
            )
        client = site.app(replace(LIMITS, account_failures=1000))
        known: list[float] = []
        unknown: list[float] = []
        for n in range(21):
            for email, times in (
                ("timed@org.example", known),
                (f"nobody{n}@org.example", unknown),
            ):
                start = time.perf_counter()
                assert sign_in(client, email, "wrong password").status_code == 401
                if n:  # the first round warms up
                    times.append(time.perf_counter() - start)
    finally:
        accounts._dummy_hash.cache_clear()
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (statistics.median(known), statistics.median(unknown))


def test_unknown_account_answers_like_a_known_one(site: Site) -> None:
    client = site.app()
    known = sign_in(client, "user@org.example", "wrong password")
    unknown = sign_in(client, "nobody@org.example", "wrong password")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


def test_account_limits_from_data(tmp_path: Path) -> None:
    limits = default_limits()
    assert limits.account_failures < limits.address_failures
    assert limits.first_lockout < limits.longest_lockout
    bad = tmp_path / "limits.yaml"
    bad.write_text("sign_in:\n  window_seconds: -5\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"limits.yaml: sign_in.window_seconds is '-5'"):
        load_limits(bad)


# --- invitations ---------------------------------------------------------------------------


def _token_in(message: OutboxMessage) -> str:
    return message.body.split('"token": "')[1].split('"')[0]


def test_invitation_lifecycle(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    client = site.app()
    admin = bearer(sign_in(client, "admin@org.example").json()["token"])
    viewer = bearer(sign_in(client, "viewer@org.example").json()["token"])
    body = {"email": "New.Person@Org.example", "role": "editor"}
    assert (
        client.post("/api/organisation/invitations", json=body, headers=viewer).status_code == 403
    )
    with caplog.at_level(logging.INFO, logger="factory_journey.outbox"):
        created = client.post("/api/organisation/invitations", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "new.person@org.example"
    assert "token" not in created.json()
    (message,) = site.outbox("new.person@org.example")
    token = _token_in(message)
    assert token in caplog.text, "the message goes to the log too"
    with transaction(site.factory) as session:
        stored = session.scalar(select(Invitation))
        assert stored is not None and token not in stored.token_sha256  # only its hash
    listed = client.get("/api/organisation/invitations", headers=admin).json()
    assert [row["email"] for row in listed] == ["new.person@org.example"]
    assert client.get("/api/organisation/invitations", headers=viewer).status_code == 403

    accept = {"token": token, "password": "a new long password", "display_name": "New"}
    short = client.post("/api/auth/invitations/accept", json={**accept, "password": "short"})
    assert short.status_code == 422
    accepted = client.post("/api/auth/invitations/accept", json=accept)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["role"] == "editor"
    assert accepted.json()["organisation_id"] == site.organisation_id
    again = client.post("/api/auth/invitations/accept", json=accept)
    assert again.status_code == 400 and "not valid" in again.json()["detail"]
    assert sign_in(client, "new.person@org.example", "a new long password").status_code == 200
    # An address with an account gets the same answer as any (nothing tells the admin who
    # uses the platform), and a message saying it has an account, with no link.
    before = len(site.outbox("new.person@org.example"))
    again_invited = client.post("/api/organisation/invitations", json=body, headers=admin)
    assert again_invited.status_code == 201, again_invited.text
    assert set(again_invited.json()) == set(created.json())
    (told,) = site.outbox("new.person@org.example")[before:]
    assert "you already have an account" in told.body and "token" not in told.body


def test_withdrawn_replaced_and_expired_invitations_do_not_work(site: Site) -> None:
    client = site.app()
    admin = bearer(sign_in(client, "admin@org.example").json()["token"])
    body = {"email": "late@org.example", "role": "viewer"}
    first = client.post("/api/organisation/invitations", json=body, headers=admin).json()
    client.post("/api/organisation/invitations", json=body, headers=admin)  # replaces it
    third = client.post("/api/organisation/invitations", json=body, headers=admin).json()
    tokens = [_token_in(m) for m in site.outbox("late@org.example")]
    accept = {"password": "a new long password"}
    replaced = client.post("/api/auth/invitations/accept", json={**accept, "token": tokens[0]})
    assert replaced.status_code == 400
    path = f"/api/organisation/invitations/{third['id']}"
    assert client.delete(path, headers=admin).status_code == 204
    withdrawn = client.post("/api/auth/invitations/accept", json={**accept, "token": tokens[2]})
    assert withdrawn.status_code == 400
    with transaction(site.factory) as session:
        row = session.get(Invitation, first["id"] + 1)
        assert row is not None
        row.revoked_at = None
        row.expires_at = utcnow() - timedelta(seconds=1)
    expired = client.post("/api/auth/invitations/accept", json={**accept, "token": tokens[1]})
    assert expired.status_code == 400
    assert client.delete("/api/organisation/invitations/999999", headers=admin).status_code == 404


# --- password change and reset ---------------------------------------------------------------


def test_password_change_needs_the_current_one_and_ends_other_sessions(site: Site) -> None:
    client = site.app()
    here = sign_in(client, "user@org.example").json()["token"]
    elsewhere = sign_in(client, "user@org.example").json()["token"]
    change = {"current_password": "not the password", "new_password": "another long password"}
    wrong = client.post("/api/auth/password", json=change, headers=bearer(here))
    assert wrong.status_code == 403
    change["current_password"] = PASSWORD
    anonymous = site.client(client, "192.0.2.9")  # no cookie either
    assert anonymous.post("/api/auth/password", json=change).status_code == 401
    done = client.post("/api/auth/password", json=change, headers=bearer(here))
    assert done.status_code == 204, done.text
    assert client.get("/api/me", headers=bearer(here)).status_code == 200
    assert client.get("/api/me", headers=bearer(elsewhere)).status_code == 401
    assert sign_in(client, "user@org.example").status_code == 401
    assert sign_in(client, "user@org.example", "another long password").status_code == 200
    assert "was changed" in site.outbox("user@org.example")[-1].subject


def test_password_change_guesses_are_throttled(site: Site) -> None:
    client = site.app()
    token = bearer(sign_in(client, "user@org.example").json()["token"])
    change = {"current_password": "guess", "new_password": "another long password"}
    for _ in range(LIMITS.account_failures):
        assert client.post("/api/auth/password", json=change, headers=token).status_code == 403
    change["current_password"] = PASSWORD
    assert client.post("/api/auth/password", json=change, headers=token).status_code == 429


def test_reset_answers_the_same_for_unknown_and_known_addresses(site: Site) -> None:
    client = site.app()
    known = client.post("/api/auth/password-reset", json={"email": "user@org.example"})
    unknown = client.post("/api/auth/password-reset", json={"email": "nobody@org.example"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    assert len(site.outbox("user@org.example")) == 1
    assert site.outbox("nobody@org.example") == []


def test_reset_link_works_once_and_ends_every_session(site: Site) -> None:
    limits = replace(LIMITS, account_failures=1)
    client = site.app(limits)
    session_token = sign_in(client, "user@org.example").json()["token"]
    sign_in(client, "user@org.example", "wrong password")
    assert sign_in(client, "user@org.example").status_code == 429  # locked out
    client.post("/api/auth/password-reset", json={"email": "user@org.example"})
    token = _token_in(site.outbox("user@org.example")[-1])
    with transaction(site.factory) as session:
        stored = session.scalar(select(PasswordReset))
        assert stored is not None and stored.token_sha256 != token
    confirm = {"token": token, "new_password": "a reset long password"}
    assert client.post("/api/auth/password-reset/confirm", json=confirm).status_code == 204
    again = client.post("/api/auth/password-reset/confirm", json=confirm)
    assert again.status_code == 400 and "not valid" in again.json()["detail"]
    assert client.get("/api/me", headers=bearer(session_token)).status_code == 401
    # Proving the mailbox ends the lock-out; the old password no longer works.
    assert sign_in(client, "user@org.example", "a reset long password").status_code == 200


def test_reset_links_expire_and_are_limited(site: Site) -> None:
    client = site.app()
    for _ in range(LIMITS.open_resets_per_account + 2):
        client.post("/api/auth/password-reset", json={"email": "viewer@org.example"})
    messages = site.outbox("viewer@org.example")
    assert len(messages) == LIMITS.open_resets_per_account
    with transaction(site.factory) as session:
        for row in session.scalars(select(PasswordReset)):
            row.expires_at = utcnow() - timedelta(seconds=1)
    confirm = {"token": _token_in(messages[0]), "new_password": "a reset long password"}
    assert client.post("/api/auth/password-reset/confirm", json=confirm).status_code == 400
    bogus = {"token": "x" * 43, "new_password": "a reset long password"}
    assert client.post("/api/auth/password-reset/confirm", json=bogus).status_code == 400


def test_invitations_stay_within_their_organisation(site: Site) -> None:
    with transaction(site.factory) as session:
        other = accounts.create_organisation(session, "Other", "brand")
        accounts.create_user(session, "boss@other.example", PASSWORD, "Boss", other, "admin")
    client = site.app()
    admin = bearer(sign_in(client, "admin@org.example").json()["token"])
    stranger = bearer(sign_in(client, "boss@other.example").json()["token"])
    editor = bearer(sign_in(client, "user@org.example").json()["token"])
    body = {"email": "someone@org.example", "role": "admin"}
    assert (
        client.post("/api/organisation/invitations", json=body, headers=editor).status_code == 403
    )
    created = client.post("/api/organisation/invitations", json=body, headers=admin).json()
    assert client.get("/api/organisation/invitations", headers=stranger).json() == []
    path = f"/api/organisation/invitations/{created['id']}"
    assert client.delete(path, headers=stranger).status_code == 404
    assert client.delete(path, headers=editor).status_code == 403
    assert (
        client.get("/api/organisation/invitations", headers=admin).json()[0]["revoked_at"] is None
    )


@pytest.mark.parametrize(
    "kind", ["factory_group", "brand", "programme", "park_operator", "verifier"]
)
@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_only_admins_of_any_kind_invite(kind: str, role: str) -> None:
    from factory_journey.services.platform.policy import allowed_in_organisation

    assert allowed_in_organisation("organisation.invite", kind, role) is (role == "admin")


def test_reset_requests_from_one_address_are_throttled(site: Site) -> None:
    limits = replace(LIMITS, address_failures=3)
    app = site.app(limits)
    asker = site.client(app, "203.0.113.50")
    emails = ["user@org.example", "nobody@org.example", "viewer@org.example"]
    for email in emails:
        assert asker.post("/api/auth/password-reset", json={"email": email}).status_code == 202
    refused = asker.post("/api/auth/password-reset", json={"email": "admin@org.example"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert site.outbox("admin@org.example") == []
    other = site.client(app, "203.0.113.51")
    assert (
        other.post("/api/auth/password-reset", json={"email": "admin@org.example"}).status_code
        == 202
    )


# --- addresses behind proxies, IPv6 /64, idle rows (#13 review) ----------------------------


def _guess(client: TestClient, n: int, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    body = {"email": f"guess{n}@org.example", "password": "wrong password"}
    return client.post("/api/auth/sign-in", json=body, headers=headers)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(site: Site) -> None:
    limits = replace(LIMITS, account_failures=100, address_failures=2)
    spoofer = site.client(site.app(limits), "203.0.113.7")
    # Not trusted (the default): a made-up X-Forwarded-For does not buy new addresses.
    assert [_guess(spoofer, n, f"198.51.100.{n}").status_code for n in range(3)] == [
        401,
        401,
        429,
    ]
    proxy = site.client(site.app(limits, trusted_proxies=("192.0.2.1",)), "192.0.2.1")
    # Behind a trusted proxy each client is its own address.
    assert [_guess(proxy, n, "198.51.100.20").status_code for n in range(3)] == [401, 401, 429]
    assert _guess(proxy, 9, "198.51.100.21").status_code == 401


def test_an_ipv6_address_is_counted_by_its_64(site: Site) -> None:
    limits = replace(LIMITS, account_failures=100, address_failures=2)
    app = site.app(limits)
    answers = [
        _guess(site.client(app, f"2001:db8:1:2::{n + 1:x}"), n).status_code for n in range(3)
    ]
    assert answers == [401, 401, 429]  # three addresses of one /64
    assert _guess(site.client(app, "2001:db8:1:3::1"), 5).status_code == 401  # the next /64


def test_idle_throttle_rows_are_forgotten(site: Site) -> None:
    limits = replace(LIMITS, account_failures=100, address_failures=100)
    client = site.client(site.app(limits), "203.0.113.50")
    assert _guess(client, 1).status_code == 401
    with transaction(site.factory) as session:
        assert session.scalar(select(func.count()).select_from(SignInThrottle)) == 2
        session.execute(
            update(SignInThrottle).values(
                last_attempt_at=utcnow() - limits.forget_after - timedelta(seconds=1)
            )
        )
    assert accounts.forget_idle_attempts(site.factory, limits) == 2
    assert _guess(client, 2).status_code == 401
    site.app(limits)  # a start-up purges too; the fresh rows stay
    with transaction(site.factory) as session:
        assert session.scalar(select(func.count()).select_from(SignInThrottle)) == 2
