"""Timestamps as the platform and the CLI write them: ISO 8601, in UTC, with the zone as `Z`.

One form everywhere (API responses, metadata.json, evaluation.json, reports): a reader never
has to guess the zone of a time, and two times compare as text. A naive `datetime` is taken
to be UTC: the platform only ever stores UTC (`store.models.utcnow`), and a naive value is one
that a database without time zones (SQLite) gave back without its zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["as_utc", "iso_utc", "now_iso_utc"]


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware datetime in UTC (a naive one is taken to be UTC already)."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_utc(moment: datetime, timespec: str = "auto") -> str:
    """`moment` in ISO 8601, UTC, ending in `Z`: `2026-12-06T23:30:00Z` (fractions of a
    second only when there are some, unless `timespec` says otherwise)."""
    text = as_utc(moment).isoformat(timespec=timespec)
    return text.removesuffix("+00:00") + "Z"


def now_iso_utc() -> str:
    """The current time, to the second: `2026-12-06T23:30:00Z`."""
    return iso_utc(datetime.now(UTC), "seconds")
