"""Web settings from the environment; unsafe defaults are refused outside development.

`JOURNEY_ENV` is `development` (the default: demo accounts, API docs, SQLite allowed) or
`production`, which refuses to start with a development-only setting (see `Settings.check`).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from factory_journey.services.platform import env_settings
from factory_journey.services.platform.account_limits import (
    AccountLimits,
    default_limits,
    load_limits,
)
from factory_journey.services.platform.env_settings import UnsafeSettings, flag, setting
from factory_journey.services.reports import pdf_compilers

__all__ = ["Settings", "UnsafeSettings", "flag", "setting"]

ENVIRONMENTS = ("development", "production")
#: Database passwords that are published somewhere (examples, images, tutorials).
KNOWN_DEFAULT_PASSWORDS = frozenset(
    {"", "postgres", "password", "journey", "secret", "changeme", "admin", "root", "example"}
)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        digits = value.replace("_", "")
        if not digits.isdigit():  # "20MB", "1.5", "four", "-1"
            raise ValueError("not a whole number")
        number = int(digits)
        if not low <= number <= high:
            raise ValueError("out of range")
        return number

    return parse


def _public_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http:// or https:// address")
    return value.rstrip("/")


def _limits_file(value: str) -> AccountLimits:
    path = Path(value)
    if not path.is_file():
        raise ValueError("no such file")
    return load_limits(path)


def trusted_proxies(value: str) -> tuple[str, ...]:
    """`JOURNEY_TRUSTED_PROXIES`: comma-separated addresses or networks, or `*` (any)."""
    entries = tuple(part.strip() for part in value.split(",") if part.strip())
    for entry in entries:
        if entry != "*":
            ipaddress.ip_network(entry, strict=False)  # ValueError names nothing: see setting
    return entries


def _pdf_compilers(_value: str) -> int:
    try:
        return pdf_compilers()  # the renderer's own reading of the variable, checked at start-up
    except ValueError:
        raise ValueError("not a whole number of at least 1") from None


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


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
    #: PDFs one process compiles at once (JOURNEY_PDF_COMPILERS; read by the renderer).
    pdf_compilers: int = 2
    #: Proxies whose X-Forwarded-For is believed (JOURNEY_TRUSTED_PROXIES; none by default).
    trusted_proxies: tuple[str, ...] = ()
    #: Seconds between background recomputations of the peer snapshot (JOURNEY_PEER_INTERVAL;
    #: 3600 from the environment, 0 = off: then only `journey peers recompute` makes one).
    peer_interval: int = 0

    @property
    def production(self) -> bool:
        return self.environment != "development"

    @property
    def link_base(self) -> str:
        return self.public_url or DEFAULT_PUBLIC_URL

    @classmethod
    def from_env(cls) -> Settings:
        """Every `JOURNEY_*` variable of the web, read and checked here, at start-up: a value
        that is not accepted is an `UnsafeSettings` naming the variable, the value and what
        is accepted."""
        environment = env_settings.environment()
        development = environment == "development"
        setting(
            "JOURNEY_LOG_LEVEL", "info", _one_of(LOG_LEVELS), ", ".join(LOG_LEVELS)
        )  # read by `serve`; checked here so that uvicorn does not fail on it
        settings = cls(
            environment=environment,
            database_url=os.environ.get("JOURNEY_DATABASE_URL", "").strip() or None,
            secure_cookies=flag("JOURNEY_SECURE_COOKIES", True),
            demo_accounts=flag("JOURNEY_DEMO_ACCOUNTS", development),
            threads=setting("JOURNEY_THREADS", 4, _whole(1, 256), "a whole number from 1 to 256"),
            evidence_max_bytes=setting(
                "JOURNEY_EVIDENCE_MAX_BYTES",
                20 * 1024 * 1024,
                _whole(1, 1024**3),
                "a whole number of bytes from 1 to 1073741824 (20 MB is 20971520)",
            ),
            public_url=setting(
                "JOURNEY_PUBLIC_URL",
                None,
                _public_url,
                "an address such as https://journey.example",
            ),
            api_docs=flag("JOURNEY_API_DOCS", development),
            hsts=flag("JOURNEY_HSTS", False),
            account_limits=setting(
                "JOURNEY_ACCOUNT_LIMITS",
                default_limits(),
                _limits_file,
                "the path of a YAML file of account limits, shaped as "
                "services/platform/data/account_security.yaml",
            ),
            pdf_compilers=setting(
                "JOURNEY_PDF_COMPILERS", 2, _pdf_compilers, "a whole number of at least 1"
            ),
            trusted_proxies=setting(
                "JOURNEY_TRUSTED_PROXIES",
                (),
                trusted_proxies,
                "comma-separated IP addresses or networks of your proxies (10.0.0.1, "
                "10.0.0.0/8), or * for any",
            ),
            peer_interval=setting(
                "JOURNEY_PEER_INTERVAL",
                3600,
                _whole(0, 7 * 24 * 3600),
                "a whole number of seconds from 0 (off) to 604800 (a week)",
            ),
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


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError("not one of those")
        return value.lower()

    return parse


def _default_password(url: str) -> bool:
    """True for a network database URL without a password or with a published one. A URL
    without a host (a Unix socket: peer or certificate authentication) needs none."""
    parts = urlsplit(url)
    password = parts.password
    if password is None:
        return bool(parts.hostname) and "host=" not in parts.query
    return password.lower() in KNOWN_DEFAULT_PASSWORDS
