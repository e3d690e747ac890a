"""Browser tests: a real server and Debian's Chromium driven by Playwright.

Fixtures:
  - `live_server` (session): a uvicorn server in a thread of this process, on a fresh
    database (SQLite file, or PostgreSQL when JOURNEY_TEST_DATABASE_URL is set) prepared as
    `journey serve` prepares it: migrated, demo accounts, the pilot dataset and its sharing.
    `.url` (http://127.0.0.1:<port>), `.database_url`, `.factory` (a sessionmaker on it).
  - `page_as(role, phone=False)`: a Playwright page signed in as the demo account of `role`
    (factory.admin, factory.editor, factory.viewer, brand.analyst, programme.officer,
    park.manager, verifier), or signed out with `role=None`; `phone=True`: 360 × 740 px;
    `viewport={"width": …, "height": …}`: another size [CSS px].
    Relative URLs go to the live server: `page.goto("/account")`.
  - `snap(page, name)`: a full-page screenshot in test-output/screenshots/<test>/<name>.png.
  - `assert_accessible(page)`: axe-core (tests/browser/vendor) on the page as it is now;
    fails on any serious or critical violation of WCAG 2.1 A/AA rules.
Every page of a test records what the browser says about the Content-Security-Policy; a
refused inline script or style fails the test.

Chromium is /usr/bin/chromium (Debian's package; CI installs it); no browser is downloaded.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.services.platform import accounts
from factory_journey.services.platform.bootstrap import prepare
from factory_journey.services.platform.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import User
from factory_journey.web.pages.shell import PAGE_COOKIE
from tests.database import test_database_url

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
#: Generous: the test machine may be a loaded 2-core box [ms].
TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ROLES = {account.email.removesuffix("@demo.test"): account for account in DEMO_ACCOUNTS}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    factory: sessionmaker[Session]
    password: str = DEMO_PASSWORD

    def email(self, role: str) -> str:
        return ROLES[role].email


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from factory_journey.web.app import create_app
    from factory_journey.web.settings import Settings

    url = test_database_url(tmp_path_factory)
    prepare(url, demo=True, warm=False)  # as `journey serve` does on a first start
    engine = make_engine(url)
    settings = Settings("development", url, secure_cookies=True, demo_accounts=True)
    app = create_app(engine, settings)
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:  # polled, not slept on: start-up takes what it takes
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", url, session_factory(engine))
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail(
            "the browser tests need Debian's chromium at /usr/bin/chromium "
            "(apt-get install chromium); no browser is downloaded"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def sign_in_token(server: LiveServer, role: str) -> str:
    """A page session of `role`'s demo account, made as a sign-in makes one (unthrottled)."""
    if role not in ROLES:
        raise ValueError(f"no demo account {role!r}; roles: {', '.join(ROLES)}")
    with transaction(server.factory) as session:
        # Every test starts in the browser's language (en-GB): a language another test chose
        # for this shared demo account must not carry over (the account remembers it).
        session.execute(
            update(User).where(User.email == server.email(role)).values(language=None)
        )
        return accounts.sign_in(session, server.email(role), server.password)


@pytest.fixture
def page_as(live_server: LiveServer, browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []
    refusals: list[str] = []

    def open_page(
        role: str | None,
        *,
        phone: bool = False,
        javascript: bool = True,
        viewport: dict[str, int] | None = None,
    ) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or (PHONE if phone else DESKTOP),
            locale="en-GB",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        if role is not None:
            token = sign_in_token(live_server, role)
            context.add_cookies(
                [{"name": PAGE_COOKIE, "value": token, "url": live_server.url, "httpOnly": True}]
            )
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refusals.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not refusals, f"the Content-Security-Policy refused: {refusals[:3]}"


@pytest.fixture
def snap(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    folder = (
        request.config.rootpath
        / "test-output"
        / "screenshots"
        / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    )

    def take(page: Any, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
        page.evaluate("async () => { await document.fonts.ready; }")  # no half-drawn script
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def assert_accessible() -> Callable[[Any], None]:
    source = AXE.read_text(encoding="utf-8")

    def check(page: Any) -> None:
        # evaluate() runs through the DevTools protocol, which the page's CSP does not govern
        # (an injected <script> would be refused, as it should be).
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source)
        result = page.evaluate(
            "async (tags) => await window.axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"{page.url}: accessibility violations\n{_axe_report(serious)}"

    return check
