"""Web settings from the environment; unsafe defaults are refused outside development."""

from __future__ import annotations

import os
from dataclasses import dataclass


class UnsafeSettings(RuntimeError):
    """A production start with a development-only setting."""


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

    @classmethod
    def from_env(cls) -> Settings:
        environment = os.environ.get("JOURNEY_ENV", "development")
        settings = cls(
            environment=environment,
            database_url=os.environ.get("JOURNEY_DATABASE_URL"),
            secure_cookies=os.environ.get("JOURNEY_SECURE_COOKIES", "1") != "0",
            demo_accounts=os.environ.get("JOURNEY_DEMO_ACCOUNTS", "1") == "1"
            and environment == "development",
            threads=max(1, int(os.environ.get("JOURNEY_THREADS", "4"))),
            evidence_max_bytes=max(
                1, int(os.environ.get("JOURNEY_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
            ),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.environment == "development":
            return
        if not self.database_url or self.database_url.startswith("sqlite"):
            raise UnsafeSettings(
                "JOURNEY_ENV is not 'development': set JOURNEY_DATABASE_URL to a PostgreSQL URL"
            )
        if not self.secure_cookies:
            raise UnsafeSettings("secure cookies cannot be turned off outside development")
