"""Small polars expression helpers shared by the area modules (null-aware totals and ratios)."""

from __future__ import annotations

from typing import Literal

import polars as pl

KEYS: tuple[str, str] = ("facility_id", "year")

#: Polars engine for every collect of the matrix plan. The streaming engine (polars 2's
#: default) ran the group-bys 2–4× cheaper than the in-memory one (docs/performance.md).
ENGINE: Literal["in-memory", "streaming", "auto"] = "streaming"


def collect(frame: pl.LazyFrame) -> pl.DataFrame:
    """Collect a plan of the engine with the chosen polars engine."""
    return frame.collect(engine=ENGINE)


#: Fixed-point type of order-independent sums: 9 decimal places of the column's unit.
_EXACT_SUM_TYPE = pl.Decimal(38, 9)


def exact_sum(column: str) -> pl.Expr:
    """Sum of a float column that does not depend on row order or threads [column's unit].

    Polars adds floats in per-thread partial sums, so a plain float sum can differ in its last
    bits from one run to the next, and the same input would not give byte-identical outputs.
    A decimal sum is an integer sum: exact, associative, the same every run. Values beyond
    10^29 (no physical quantity here) cannot be represented and become null, i.e. unknown.
    """
    return pl.col(column).cast(_EXACT_SUM_TYPE, strict=False).sum().cast(pl.Float64)


def unknown_if(flag: str, columns: list[str]) -> list[pl.Expr]:
    """Set `columns` to null where the count `flag` of unconvertible input rows is > 0.

    Group sums skip nulls; a total with a part that could not be computed is not computable,
    so it must be null rather than look like a smaller number. Counting the bad rows in the
    group-by and nulling afterwards keeps the aggregation a plain, fast sum.
    """
    bad = pl.col(flag).fill_null(0) > 0
    return [pl.when(bad).then(None).otherwise(pl.col(c)).alias(c) for c in columns]


def ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator ÷ denominator, null when the denominator is null or 0 (never inf or 0)."""
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(None)


def is_in_ci(column: str, values: tuple[str, ...]) -> pl.Expr:
    """Membership test that accepts the spellings as given and lower-cased."""
    spellings = sorted({*values, *(v.lower() for v in values)})
    return pl.col(column).cast(pl.String).is_in(spellings)


def when_then_zero(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    """value where condition holds, else 0.0 (the part of a row that goes into one sum)."""
    return pl.when(condition).then(value).otherwise(0.0)
