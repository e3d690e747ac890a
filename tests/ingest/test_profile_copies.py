"""The profile validator's shortcuts that avoid copying a column of a million rows must give
what the copy gave: native float numbers, the range screen and units read with a blank as
the FEM unit."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_series_equal

from factory_journey.domain.profile import PROFILES
from factory_journey.ingest import parse
from factory_journey.ingest.profile_cells import by_distinct, by_distinct_or, numbers
from factory_journey.ingest.profile_validate import _out_of_range


def test_native_floats_are_the_numbers_parse_gives() -> None:
    for values in ([1.5, None, 3.0], [1.5, float("nan"), None, float("inf"), -2.0]):
        frame = pl.DataFrame({"x": values}, schema={"x": pl.Float64})
        expected = frame.select(parse.number("x", pl.Float64)).to_series()
        assert_series_equal(numbers(frame, "x", pl.Float64), expected)


def test_the_range_screen_finds_a_value_outside_the_range() -> None:
    days = PROFILES.column("sipoperatingdays")
    assert days.maximum is not None and days.minimum is not None
    assert not _out_of_range(pl.Series([days.minimum, days.maximum, None]), days)
    assert _out_of_range(pl.Series([1.0, days.maximum + 1]), days)
    assert _out_of_range(pl.Series([None, days.minimum - 1]), days)


def test_a_blank_unit_reads_as_the_unit_given_for_it() -> None:
    frame = pl.DataFrame({"u": ["kg", None, "t", "pcs", None]})

    def fn(unit: str) -> str:
        return f"<{unit}>"

    filled = frame.select(by_distinct(frame, pl.col("u").fill_null("kg"), fn, pl.String))
    shortcut = frame.select(by_distinct_or(frame, pl.col("u"), "kg", fn, pl.String))
    assert_series_equal(shortcut.to_series(), filled.to_series(), check_names=False)
    assert shortcut.to_series().to_list() == ["<kg>", "<kg>", "<t>", "<pcs>", "<kg>"]
