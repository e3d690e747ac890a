"""How the matrix puts its parts together: programmes active per facility-year, the areas set
beside the facility-years (hash match, checked, with its fallbacks), the row order, and the
input tables released once aggregated."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.engine import matrix as matrix_module
from factory_journey.engine.exprs import KEYS
from factory_journey.engine.facilities import programmes_active
from factory_journey.engine.matrix import build_matrix
from tests.engine import helpers as h
from tests.engine.test_matrix_areas import _tables


def _programmes_by_join(programmes: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """The former way: every facility-year joined with its spans, names sorted per group."""
    def year_of(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.String).str.slice(0, 4).cast(pl.Int64, strict=False)

    spans = programmes.select(
        "facility_id", "programme", year_of("start_date").alias("_start"),
        year_of("end_date").alias("_end"),
    )
    active = keys.select(KEYS).join(spans, on="facility_id", how="inner").filter(
        (pl.col("_start").is_null() | (pl.col("_start") <= pl.col("year")))
        & (pl.col("_end").is_null() | (pl.col("_end") >= pl.col("year")))
    )
    return active.group_by(*KEYS).agg(
        pl.col("programme").unique().sort().str.join(";").alias("programmes_active")
    )


def _random_programmes(seed: int, facilities: int, names: list[str | None]) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = facilities * 2
    start = rng.integers(2015, 2026, rows)
    end = start + rng.integers(0, 6, rows)
    return pl.DataFrame({
        "facility_id": [f"F{i:03d}" for i in rng.integers(0, facilities + 5, rows)],
        "programme": [names[i] for i in rng.integers(0, len(names), rows)],
        "start_date": [None if s % 7 == 0 else f"{s}-03-01" for s in start],
        "end_date": [None if e % 3 == 0 else f"{e}-06-30" for e in end],
    })


def _keys(facilities: int) -> pl.DataFrame:
    return pl.DataFrame({
        "facility_id": [f"F{i:03d}" for i in range(facilities) for _ in range(4)],
        "year": [y for _ in range(facilities) for y in (2019, 2021, 2022, 2024)],
    })


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(*KEYS, "programmes_active").sort(KEYS)


@pytest.mark.parametrize("names", [
    ["stz", "clp", "cbd", "instep", "perc"],  # one bit per programme
    ["stz", "clp", None],                     # a programme missing: the former way
])
def test_programmes_active_as_by_joining_every_facility_year(names):
    programmes, keys = _random_programmes(3, 60, names), _keys(60)
    got = programmes_active(programmes.lazy(), keys.lazy())
    # rows of facility-years the keys lack may come too: they are never attached
    on_keys = got.join(keys, on=KEYS, how="semi")
    assert_frame_equal(_sorted(on_keys), _sorted(_programmes_by_join(programmes, keys)))
    assert got.select(pl.struct(KEYS).is_unique().all()).item()


def test_programmes_active_names_are_sorted_and_limited_to_the_keys():
    programmes = pl.DataFrame({
        "facility_id": ["A", "A", "A", "B"],
        "programme": ["stz", "clp", "stz", "clp"],
        "start_date": ["2020-01-01", "2021-05-01", None, "2021-01-01"],
        "end_date": [None, "2021-12-31", "2019-12-31", None],
    })
    keys = pl.DataFrame({"facility_id": ["A", "A", "C"], "year": [2021, 2022, 2021]})
    got = _sorted(programmes_active(programmes.lazy(), keys.lazy()))
    joined = got.join(keys, on=KEYS, how="semi")
    assert joined.rows() == [("A", 2021, "clp;stz"), ("A", 2022, "stz")]


def _wide_and_areas() -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    wide = pl.DataFrame({"facility_id": ["F1", "F1", "F2", "F3"], "year": [2022, 2023, 2023, 2023],
                         "x": [1, 2, 3, 4]})
    first = pl.DataFrame({"facility_id": ["F3", "F1", "F9"], "year": [2023, 2022, 2023],
                          "a": [30.0, 10.0, 99.0]})
    second = pl.DataFrame({"facility_id": ["F2"], "year": [2023], "b": ["two"]})
    return wide, [first, second]


def test_areas_are_set_beside_the_facility_years_in_their_order():
    wide, areas = _wide_and_areas()
    got = matrix_module._attach(wide, areas)
    assert got.columns == ["facility_id", "year", "x", "a", "b"]
    assert got["a"].to_list() == [10.0, None, None, 30.0]
    assert got["b"].to_list() == [None, None, "two", None]
    assert_frame_equal(got, matrix_module._joined(wide, areas))


def test_a_hash_that_does_not_match_falls_back_to_the_real_keys(monkeypatch):
    wide, areas = _wide_and_areas()
    expected = matrix_module._attach(wide, areas)
    monkeypatch.setattr(matrix_module, "_placed", lambda *args: None)  # as on a collision
    assert_frame_equal(matrix_module._attach(wide, areas), expected)


def test_an_area_with_a_facility_year_twice_is_joined_as_before():
    wide, (first, second) = _wide_and_areas()
    twice = pl.concat([first, first.head(1)])
    got = matrix_module._attach(wide, [twice, second])
    assert_frame_equal(got, matrix_module._joined(wide, [twice, second]))
    assert got.height == wide.height + 1


def test_unsorted_profiles_give_the_sorted_matrix():
    tables = _tables()
    expected = build_matrix(tables, grid=h.GRID).matrix
    tables["profiles"] = tables["profiles"].reverse()
    got = build_matrix(tables, grid=h.GRID).matrix
    assert got["facility_id"].to_list() == ["F1", "F2", "F3"]
    assert_frame_equal(got, expected)


def test_release_tables_empties_the_dict_and_builds_the_same_matrix():
    kept = build_matrix(_tables(), grid=h.GRID, with_provenance=False)
    tables = _tables()
    released = build_matrix(tables, grid=h.GRID, with_provenance=False, release_tables=True)
    assert tables == {}  # the caller's dict no longer holds the input tables
    assert_frame_equal(released.matrix, kept.matrix)
    assert_frame_equal(released.zdhc_levels, kept.zdhc_levels)


def test_release_tables_keeps_them_when_provenance_needs_them():
    tables = _tables()
    names = set(tables)
    result = build_matrix(tables, grid=h.GRID, with_provenance=True, release_tables=True)
    assert set(tables) == names and result.provenance.height > 0
