"""A DateTime column type that always gives back an aware datetime in UTC.

SQLite keeps no time zone: a `DateTime(timezone=True)` column comes back naive from it, and
PostgreSQL gives `timestamptz` back in the session's zone. This type stores every value as
UTC and returns it as UTC with its zone on every backend, so that code comparing times and
every response that shows one never meet a naive or a shifted value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from factory_journey.domain.timestamps import as_utc

__all__ = ["UtcDateTime"]


class UtcDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that stores UTC and returns aware UTC datetimes.

    A naive value given to it is taken to be UTC; an aware one is converted to UTC first (on
    SQLite the stored text then always means UTC)."""

    impl = DateTime
    cache_ok = True

    def __init__(self, timezone: bool = True, **kwargs: Any) -> None:
        # `timezone` is accepted for the signature of `DateTime`, but always on.
        super().__init__(timezone=True, **kwargs)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect
                             ) -> datetime | None:
        return None if value is None else as_utc(value)
