"""The matrix's cheaper forms of common operations give exactly what the plain ones give.

Each fast path (an integer sum read back as a decimal, an Enum lookup instead of a join or
`replace_strict`, EMS facts and months as bits) is compared with the plain Polars operation it
replaces, on values chosen to hit the edges: nulls, NaN, infinities, exact halves, unknown keys.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from polars.testing import assert_frame_equal

from factory_journey.engine import ems
from factory_journey.engine.exprs import (
    EXACT_SUM_LIMIT,
    exact_sum,
    exact_totals,
    exact_totals_of,
    exact_units,
    lookup,
    replaced,
    units_part,
    when_then_zero,
)
from factory_journey.engine.quality import (
    completeness_columns,
    months_reported,
    quality_aggs,
    quality_rows,
)


def _decimal_sum(column: str) -> pl.Expr:
    """The plain exact sum: every value within the limit cast to Decimal(38, 9) and summed."""
    value = pl.col(column)
    within = pl.when(value.abs() < EXACT_SUM_LIMIT).then(value)
    return within.cast(pl.Decimal(38, 9), strict=False).sum().cast(pl.Float64)


def test_exact_sum_equals_a_decimal_sum_on_edge_values() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    halves = (rng.integers(-10**6, 10**6, n) + 0.5) / 1e9  # many are exact halves of 1e-9
    values = np.concatenate([
        rng.exponential(1e3, n), -rng.exponential(1e12, n), rng.exponential(1e17, n),
        rng.exponential(1e-9, n), halves,
        rng.choice([0.0, -0.0, np.nan, np.inf, -np.inf, 1e20, -1e20, 9.99e19, 2.5e-9], n),
    ])
    frame = pl.DataFrame({"g": rng.integers(0, 5_000, len(values)), "v": values}).with_columns(
        pl.when(pl.int_range(pl.len()) % 13 == 0).then(None).otherwise("v").alias("v")
    )
    for engine in ("streaming", "in-memory"):
        plain = frame.lazy().group_by("g").agg(_decimal_sum("v").alias("s"))
        fast = frame.lazy().group_by("g").agg(exact_sum("v").alias("s")).with_columns(
            exact_totals()
        )
        assert_frame_equal(plain.sort("g").collect(engine=engine),
                           fast.sort("g").collect(engine=engine), check_exact=True)


def test_parts_of_converted_units_sum_as_the_exact_sum_of_each_part() -> None:
    rng = np.random.default_rng(3)
    n = 30_000
    values = np.concatenate([
        rng.exponential(1e6, n), -rng.exponential(1e12, n), (rng.integers(0, 10**6, n) + 0.5)
        / 1e9, rng.choice([0.0, -0.0, np.nan, np.inf, -np.inf, 1e20, 9.99e19, 2.5e-9], n),
    ])
    kind = rng.integers(0, 4, len(values))
    frame = pl.DataFrame({"g": rng.integers(0, 3_000, len(values)), "v": values, "k": kind})
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 11 == 0).then(None).otherwise("v").alias("v"),
        pl.when(pl.int_range(pl.len()) % 7 == 0).then(None).otherwise("k").alias("k"),
    )
    conditions = {"a": pl.col("k") == 1, "b": pl.col("k") != 1, "c": pl.col("k").is_null()}
    plain = frame.lazy().with_columns(
        when_then_zero(c, pl.col("v")).alias(name) for name, c in conditions.items()
    ).group_by("g").agg(exact_sum(name) for name in conditions)
    parts = frame.lazy().with_columns(exact_units(pl.col("v")).alias("_u")).with_columns(
        units_part(c, "_u").alias(name) for name, c in conditions.items()
    ).group_by("g").agg(pl.col(name).sum() for name in conditions)
    for engine in ("streaming", "in-memory"):
        assert_frame_equal(plain.sort("g").collect(engine=engine),
                           parts.sort("g").collect(engine=engine), check_exact=True)


def test_exact_totals_of_a_frame_equal_the_decimal_reading() -> None:
    rng = np.random.default_rng(11)
    edge = [2**53 + d for d in range(-3, 4)] + [-(2**53) + d for d in range(-3, 4)]
    units = [*rng.integers(-(2**62), 2**62, 5_000).tolist(),
             *rng.integers(-(2**53), 2**53, 100_000).tolist(),
             *(rng.integers(1, 10**6, 5_000) * 10**9).tolist(), *edge, 0, 10**29 + 7,
             -(10**30) + 1, None,
             # beyond 2^53: sums a float holds exactly (divided as floats) and their
             # neighbours, which it rounds (read through the decimal)
             *[v + d for v in (2**60, -(2**61), 3 * 2**70, 10**12 * 2**20) for d in (-1, 0, 1)],
             *(rng.integers(1, 2**40, 5_000) * 2**30).tolist()]
    frame = pl.DataFrame({"s": pl.Series(units, dtype=pl.Int128), "t": ["x"] * len(units),
                          "u": pl.Series(units[::-1], dtype=pl.Int128)})
    assert_frame_equal(exact_totals_of(frame), frame.with_columns(exact_totals()),
                       check_exact=True)


def test_replaced_equals_replace_strict() -> None:
    frame = pl.DataFrame({"x": ["a", None, "b", "zz", "a", ""]})
    mapping = {"a": 1.5, "b": None, "": 3.0}
    plain = frame.select(pl.col("x").replace_strict(mapping, default=-1.0,
                                                    return_dtype=pl.Float64))
    fast = frame.select(replaced(pl.col("x"), mapping, -1.0, pl.Float64()))
    assert_frame_equal(plain, fast)
    assert fast.to_series().to_list() == [1.5, -1.0, None, -1.0, 1.5, 3.0]


def test_lookup_equals_a_left_join_and_keeps_the_order() -> None:
    frame = pl.LazyFrame({"k": ["b", None, "a", "q", "b"], "n": [1, 2, 3, 4, 5]})
    table = pl.DataFrame({"k": ["a", "b"], "v": [10.0, None], "w": ["x", "y"]})
    plain = frame.join(table.lazy(), on="k", how="left", maintain_order="left").collect()
    assert_frame_equal(plain, lookup(frame, table, "k").collect())
    # Keys that repeat: the join itself (rows repeated), not a lookup.
    twice = pl.concat([table, table])
    joined = frame.join(twice.lazy(), on="k", how="left", maintain_order="left").collect()
    assert_frame_equal(joined, lookup(frame, twice, "k").collect())
    assert joined.height == 8


def test_ems_fact_bits_equal_the_max_of_each_boolean() -> None:
    rng = np.random.default_rng(3)
    n = 20_000

    def answers() -> pl.Series:
        return pl.Series(rng.choice([True, False, None], n).tolist(), dtype=pl.Boolean)

    areas = ["ems", *ems.PRACTICE_AREAS, "other", None]
    rows = pl.LazyFrame({
        "facility_id": rng.choice(["A", "B", "C", "D"], n),
        "year": rng.integers(2021, 2024, n),
        "area": pl.Series(rng.choice(np.array(areas, dtype=object), n).tolist(),
                          dtype=pl.String),
        **{fact: answers() for fact in (*ems.FACILITY_FACTS, *ems.PRACTICES)},
        "verification_status": rng.choice(["verified", "self-reported"], n),
    })
    area = pl.col("area")
    plain = rows.group_by("facility_id", "year").agg(
        *[pl.col(f).filter(area == "ems").max().alias(f"_own_{f}") for f in ems.FACILITY_FACTS],
        *[pl.col(f).max().alias(f"_any_{f}") for f in ems.FACILITY_FACTS],
        *[pl.col(p).filter(area == a).max().alias(f"{a}_{p}")
          for a in ems.PRACTICE_AREAS for p in ems.PRACTICES],
    )
    fast = ems.ems_rows(rows).group_by("facility_id", "year").agg(*ems.ems_aggs())
    fast = fast.with_columns(ems.ems_fact_columns()).select(plain.collect_schema().names())
    assert_frame_equal(plain.sort("facility_id", "year").collect(),
                       fast.sort("facility_id", "year").collect(), check_exact=True)


def test_month_mask_counts_distinct_months_and_annual_rows() -> None:
    rng = np.random.default_rng(4)
    n = 20_000
    months = pl.Series(rng.choice(np.array([None, 0, 13, *range(1, 13)], dtype=object), n)
                       .tolist(), dtype=pl.Int64)
    rows = pl.LazyFrame({"facility_id": rng.choice(["A", "B", "C"], n),
                         "year": rng.integers(2000, 2400, n), "month": months,
                         "verification_status": rng.choice(["verified", "self"], n)})
    valid = pl.col("month").filter(pl.col("month").is_between(1, 12))
    plain = rows.group_by("facility_id", "year").agg(
        pl.when(valid.n_unique() > 0).then(valid.n_unique().cast(pl.Int32)).alias("months"),
        pl.col("month").is_null().any().alias("annual"),
    ).with_columns(
        ((pl.col("months").fill_null(0) >= 12) | pl.col("annual")).alias("energy_complete"),
        pl.col("months").fill_null(0).alias("energy_months_reported"),
    )
    fast = rows.with_columns(quality_rows()).group_by("facility_id", "year").agg(
        *quality_aggs("energy")
    ).with_columns(months_reported(pl.col("_energy_month_mask")).alias("months"),
                   *completeness_columns("energy"))
    names = ["facility_id", "year", "months", "energy_months_reported", "energy_complete"]
    assert_frame_equal(plain.select(names).sort("facility_id", "year").collect(),
                       fast.select(names).sort("facility_id", "year").collect())
