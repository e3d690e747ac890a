"""A write is in force on the very next request: revoke-then-read and sign-out-then-read.

A real server (uvicorn in its own process, as in `test_crash_safety.py`) on the database that
`tests/database.py` selects (SQLite, or PostgreSQL in CI), and `CLIENTS` concurrent clients.
The in-process test client cannot show the fault this guards against: it waits for the whole
ASGI call, so work done after the response was sent (a commit in a yield dependency's teardown)
is finished before it returns. Over a socket the client's next request races that work.

- Revoke: each client has a grantee organisation of its own. The owner grants it `full`, the
  grantee reads the raw submissions (200: the grant is in force at once), the owner revokes,
  and the grantee at once reads again. A 200 there is a leak.
- Sign-out: an owner's token is used (`/api/me`), signs out, and at once reads the facility
  again. Anything but 401 there is a leak.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import ApiToken, utcnow
from tests.database import test_database_url

from .conftest import PASSWORD, import_f1
from .test_crash_safety import Server, _free_port

pytestmark = pytest.mark.slow

#: Trials of each kind, and the clients that run them at the same time.
TRIALS = 200
CLIENTS = 8
SUBMISSIONS = "/api/facilities/F1/submissions"


@dataclass
class Running:
    base: str
    owner_token: str
    grantees: list[tuple[int, str]]  # (organisation id, a member's token), one per client
    sign_out_tokens: list[str]


def mint_tokens(factory, email: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """`count` bearer tokens of one user, stored as sign-in stores them (SHA-256 only).

    Minted here rather than by sign-ins: a sign-in costs an argon2 hash (~0.2 s here) and may
    be throttled; the routes under test do not care how a token was made.
    """
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    with transaction(factory) as session:
        user_id = accounts.actor_for_email(session, email).user_id
        for token in tokens:
            session.add(
                ApiToken(
                    user_id=user_id,
                    token_sha256=hashlib.sha256(token.encode("utf-8")).hexdigest(),
                    expires_at=utcnow() + timedelta(hours=1),
                )
            )
    return tokens


@pytest.fixture(scope="module")
def running(tmp_path_factory):  # type: ignore[no-untyped-def]
    url = test_database_url(tmp_path_factory)
    engine = make_engine(url)
    migrate(engine)
    factory = session_factory(engine)
    grantee_emails = []
    with transaction(factory) as session:
        owner_org = accounts.create_organisation(session, "Factory A", "factory_group")
        accounts.create_user(session, "owner@test.example", PASSWORD, "Owner", owner_org, "admin")
        for index in range(CLIENTS):
            brand = accounts.create_organisation(session, f"Brand {index}", "brand")
            email = f"brand{index}@test.example"
            accounts.create_user(session, email, PASSWORD, f"Brand {index}", brand, "viewer")
            grantee_emails.append((brand.id, email))
    owner_token = mint_tokens(factory, "owner@test.example", 1)[0]
    grantees = [(org, mint_tokens(factory, email, 1)[0]) for org, email in grantee_emails]
    import_f1(factory, owner_token)
    sign_out_tokens = mint_tokens(factory, "owner@test.example", TRIALS)
    engine.dispose()

    server = Server(url, _free_port(), tmp_path_factory.mktemp("server") / "server.log")
    server.start()
    try:
        yield Running(server.base, owner_token, grantees, sign_out_tokens)
    finally:
        server.stop()


def _client(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _revoke_then_read(running: Running, client_index: int, trials: int) -> Counter[str]:
    organisation_id, grantee_token = running.grantees[client_index]
    outcomes: Counter[str] = Counter()
    with (
        _client(running.base, running.owner_token) as owner,
        _client(running.base, grantee_token) as grantee,
    ):
        for _ in range(trials):
            created = owner.post(
                "/api/facilities/F1/grants",
                json={"grantee_organisation_id": organisation_id, "scope": "full"},
            )
            assert created.status_code == 201, created.text
            if grantee.get(SUBMISSIONS).status_code != 200:
                outcomes["grant not yet in force"] += 1
            revoked = owner.post(f"/api/facilities/F1/grants/{created.json()['id']}/revoke")
            if revoked.status_code != 200:  # the grant was not saved yet: nothing to read
                outcomes[f"revoke answered {revoked.status_code}"] += 1
                continue
            after = grantee.get(SUBMISSIONS).status_code
            outcomes["leak" if after == 200 else f"after revoke {after}"] += 1
    return outcomes


def _sign_out_then_read(running: Running, tokens: list[str]) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    with httpx.Client(base_url=running.base, timeout=60) as client:
        for token in tokens:
            bearer = {"Authorization": f"Bearer {token}"}
            if client.get("/api/me", headers=bearer).status_code != 200:
                outcomes["token not yet in force"] += 1
            signed_out = client.post("/api/auth/sign-out", headers=bearer)
            assert signed_out.status_code == 204, signed_out.text
            after = client.get("/api/facilities/F1", headers=bearer).status_code
            outcomes["leak" if after != 401 else "after sign-out 401"] += 1
    return outcomes


def _in_parallel(jobs) -> Counter[str]:  # type: ignore[no-untyped-def]
    total: Counter[str] = Counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for outcome in pool.map(lambda job: job(), jobs):
            total.update(outcome)
    return total


def test_a_revoke_is_in_force_on_the_next_request(running):
    per_client = TRIALS // CLIENTS
    outcomes = _in_parallel(
        [lambda i=i: _revoke_then_read(running, i, per_client) for i in range(CLIENTS)]
    )
    assert outcomes == Counter({"after revoke 404": per_client * CLIENTS}), outcomes


def test_a_sign_out_is_in_force_on_the_next_request(running):
    tokens = running.sign_out_tokens
    shares = [tokens[i::CLIENTS] for i in range(CLIENTS)]
    outcomes = _in_parallel([lambda s=s: _sign_out_then_read(running, s) for s in shares])
    assert outcomes == Counter({"after sign-out 401": TRIALS}), outcomes
