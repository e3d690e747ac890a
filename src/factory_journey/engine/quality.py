"""Data-quality indicators: months reported, completeness and the verified share of inputs.

Each area's rows get three helper columns before its group-by (`quality_rows`) and three
plain aggregations in it (`quality_aggs`), so no extra pass over the input rows is needed:
months are collected as a 12-bit mask (bitwise OR, then a popcount), which is much cheaper
than counting distinct months per group.
"""

from __future__ import annotations

import polars as pl

#: Areas whose data come monthly and get `<area>_months_reported` and `<area>_complete`.
MONTHLY_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "chemicals")
#: Areas that get `<area>_verified_share`.
VERIFIED_AREAS: tuple[str, ...] = (
    "energy", "water", "wastewater", "chemicals", "ems", "waste", "air",
)


def quality_rows(monthly: bool = True) -> list[pl.Expr]:
    """Row-level helpers: `_month_bit` (2^(month−1), null for annual), `_annual`, `_verified`."""
    verified = (pl.col("verification_status").cast(pl.String) == "verified").fill_null(False)
    exprs = [verified.cast(pl.Float64).alias("_verified")]
    if monthly:
        month = pl.col("month").cast(pl.Int32)
        valid = month.is_between(1, 12)
        exprs += [
            pl.when(valid).then(pl.lit(2, dtype=pl.Int32).pow(month - 1)).otherwise(None)
            .cast(pl.Int32).alias("_month_bit"),
            month.is_null().alias("_annual"),
        ]
    return exprs


def quality_aggs(area: str, monthly: bool = True) -> list[pl.Expr]:
    """Per facility-year: month mask, annual flag and verified share [0–1]."""
    aggs = [pl.col("_verified").mean().alias(f"{area}_verified_share")]
    if monthly:
        aggs += [
            pl.col("_month_bit").bitwise_or().alias(f"_{area}_month_mask"),
            pl.col("_annual").max().alias(f"_{area}_has_annual"),
        ]
    return aggs


def completeness_columns(area: str) -> list[pl.Expr]:
    """After the join: `<area>_months_reported` (0 without data) and `<area>_complete`.

    Complete means twelve distinct months or an annual value; a facility-year without any
    row for the area reported 0 months and is not complete.
    """
    months = pl.col(f"_{area}_month_mask").bitwise_count_ones().cast(pl.Int32).fill_null(0)
    complete = (months >= 12) | pl.col(f"_{area}_has_annual").fill_null(False)
    return [months.alias(f"{area}_months_reported"), complete.alias(f"{area}_complete")]
