"""Web settings from the environment; unsafe defaults are refused outside development.

`JOURNEY_ENV` is `development` (the default: demo accounts, API docs, SQLite allowed) or
`production`, which refuses to start with a development-only setting (see `Settings.check`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from factory_journey.services.platform.account_limits import (
    AccountLimits,
    default_limits,
    load_limits,
)

ENVIRONMENTS = ("development", "production")
#: Database passwords that are published somewhere (examples, images, tutorials).
KNOWN_DEFAULT_PASSWORDS = frozenset(
    {"", "postgres", "password", "journey", "secret", "changeme", "admin", "root", "example"}
)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class UnsafeSettings(RuntimeError):
    """A production start with a development-only setting."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() not in _FLAG_VALUES:
        raise UnsafeSettings(f"{name} is {value[:40]!r}; accepted: 1 or 0 (true or false)")
    return _FLAG_VALUES[value.lower()]


_FLAG_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


@dataclass(frozen=True, slots=True)
class Settings:
    environment: str
    database_url: str | None
    secure_cookies: bool
    demo_accounts: bool
    #: Threads that run database work per worker process (JOURNEY_THREADS).
    threads: int = 4
    #: Largest evidence document accepted [bytes] (JOURNEY_EVIDENCE_MAX_BYTES; 20 MB).
    evidence_max_bytes: int = 20 * 1024 * 1024
    #: The address people reach the platform at, for links in messages (JOURNEY_PUBLIC_URL).
    public_url: str | None = None
    #: Serve /docs and /openapi.json (JOURNEY_API_DOCS; default: on in development only).
    api_docs: bool = True
    #: Send Strict-Transport-Security on every answer even when no proxy says https
    #: (JOURNEY_HSTS=1; it is always sent on an answer over https).
    hsts: bool = False
    #: Sign-in throttling and link lifetimes (JOURNEY_ACCOUNT_LIMITS=<yaml file>).
    account_limits: AccountLimits = field(default_factory=default_limits)

    @property
    def production(self) -> bool:
        return self.environment != "development"

    @property
    def link_base(self) -> str:
        return self.public_url or DEFAULT_PUBLIC_URL

    @classmethod
    def from_env(cls) -> Settings:
        environment = os.environ.get("JOURNEY_ENV", "development")
        development = environment == "development"
        limits_file = os.environ.get("JOURNEY_ACCOUNT_LIMITS")
        settings = cls(
            environment=environment,
            database_url=os.environ.get("JOURNEY_DATABASE_URL"),
            secure_cookies=_flag("JOURNEY_SECURE_COOKIES", True),
            demo_accounts=_flag("JOURNEY_DEMO_ACCOUNTS", development),
            threads=max(1, int(os.environ.get("JOURNEY_THREADS", "4"))),
            evidence_max_bytes=max(
                1, int(os.environ.get("JOURNEY_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
            ),
            public_url=os.environ.get("JOURNEY_PUBLIC_URL") or None,
            api_docs=_flag("JOURNEY_API_DOCS", development),
            hsts=_flag("JOURNEY_HSTS", False),
            account_limits=load_limits(Path(limits_file)) if limits_file else default_limits(),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse a production start with a development-only or default setting."""
        if self.environment not in ENVIRONMENTS:
            raise UnsafeSettings(
                f"JOURNEY_ENV is {self.environment[:40]!r}; accepted: {', '.join(ENVIRONMENTS)}"
            )
        if not self.production:
            return
        problems = []
        url = self.database_url or ""
        if not url or url.startswith("sqlite"):
            problems.append("set JOURNEY_DATABASE_URL to a PostgreSQL URL (not SQLite)")
        elif _default_password(url):
            problems.append(
                "the database password in JOURNEY_DATABASE_URL is missing or a published "
                "default: give the database user a password of its own"
            )
        if not self.secure_cookies:
            problems.append("secure cookies cannot be turned off (JOURNEY_SECURE_COOKIES=0)")
        if self.demo_accounts:
            problems.append(
                "demo accounts (JOURNEY_DEMO_ACCOUNTS=1) have a published password: unset it"
            )
        if not self.public_url or not self.public_url.startswith("https://"):
            problems.append(
                "set JOURNEY_PUBLIC_URL to the https:// address people reach the platform at "
                "(it goes into invitation and password messages)"
            )
        if problems:
            raise UnsafeSettings("JOURNEY_ENV=production refuses to start: " + "; ".join(problems))


def _default_password(url: str) -> bool:
    """True for a network database URL without a password or with a published one. A URL
    without a host (a Unix socket: peer or certificate authentication) needs none."""
    parts = urlsplit(url)
    password = parts.password
    if password is None:
        return bool(parts.hostname) and "host=" not in parts.query
    return password.lower() in KNOWN_DEFAULT_PASSWORDS
