"""One-time link tokens: shown once in a message, only their SHA-256 kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to store."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns; they are stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
