"""Small polars expression helpers shared by the area modules (null-aware sums and ratios)."""

from __future__ import annotations

import polars as pl

KEYS: tuple[str, str] = ("facility_id", "year")


def strict_sum(expr: pl.Expr) -> pl.Expr:
    """Sum of a group that is null when any member is null (an unknown part → unknown total).

    Polars sums skip nulls and give 0 for an empty group; a total with a missing part is not
    computable, so it must stay null rather than look like a smaller number.
    """
    return pl.when(expr.null_count() > 0).then(None).otherwise(expr.sum())


def ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator ÷ denominator, null when the denominator is null or 0 (never inf or 0)."""
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(None)


def present(column: str) -> pl.Expr:
    """Boolean: the area had at least one input row (set by each area's aggregation)."""
    return pl.col(column).fill_null(False)


def is_in_ci(column: str, values: tuple[str, ...]) -> pl.Expr:
    """Membership test that accepts the spellings as given and lower-cased."""
    spellings = sorted({*values, *(v.lower() for v in values)})
    return pl.col(column).cast(pl.String).is_in(spellings)
