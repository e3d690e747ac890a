"""One form for every timestamp: ISO 8601, UTC, `Z`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from factory_journey.domain.timestamps import as_utc, iso_utc, now_iso_utc


def test_a_naive_moment_is_utc_and_an_aware_one_is_converted():
    naive = datetime(2026, 12, 6, 23, 30)
    assert as_utc(naive) == datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    dhaka = datetime(2026, 12, 7, 5, 30, tzinfo=timezone(timedelta(hours=6)))
    assert as_utc(dhaka).tzinfo is UTC and as_utc(dhaka) == as_utc(naive)


def test_iso_form_ends_in_z_with_fractions_only_when_there_are_some():
    assert iso_utc(datetime(2026, 12, 6, 23, 30)) == "2026-12-06T23:30:00Z"
    moment = datetime(2026, 12, 7, 5, 30, 0, 250, tzinfo=timezone(timedelta(hours=6)))
    assert iso_utc(moment) == "2026-12-06T23:30:00.000250Z"
    assert iso_utc(moment, "seconds") == "2026-12-06T23:30:00Z"


def test_now_is_to_the_second_and_parses_back():
    text = now_iso_utc()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text)
    assert abs(datetime.fromisoformat(text) - datetime.now(UTC)) < timedelta(minutes=1)
