"""Data-quality indicators: months reported, completeness and the verified share of inputs.

Each area's rows get two helper columns before its group-by (`quality_rows`) and two plain
aggregations in it (`quality_aggs`), so no extra pass over the input rows is needed: months
are collected as a 12-bit mask, with a 13th bit for an annual row (bitwise OR, then a
popcount), which is much cheaper than counting distinct months per group.
"""

from __future__ import annotations

import polars as pl

#: Areas whose data come monthly and get `<area>_months_reported` and `<area>_complete`.
MONTHLY_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "chemicals")
#: Areas that get `<area>_verified_share`.
VERIFIED_AREAS: tuple[str, ...] = (
    "energy", "water", "wastewater", "chemicals", "ems", "waste", "air",
)


#: The bit of a row's month mask that says it is an annual row (months take bits 0–11).
ANNUAL_BIT = 1 << 12
#: The bits of the twelve months.
MONTH_BITS = (1 << 12) - 1


def quality_rows(monthly: bool = True) -> list[pl.Expr]:
    """Row-level helpers: `_verified` and, for monthly areas, `_month_bit`: 2^(month−1) for a
    month 1–12, `ANNUAL_BIT` for an annual row (no month), 0 for a month out of range — so
    one bitwise OR per facility-year gives both its months and whether it has an annual row.
    """
    verified = (pl.col("verification_status").cast(pl.String) == "verified").fill_null(False)
    exprs = [verified.cast(pl.Float64).alias("_verified")]
    if monthly:
        month = pl.col("month").cast(pl.Int32)
        valid = month.is_between(1, 12)
        exprs += [
            pl.when(valid).then(pl.lit(2, dtype=pl.Int32).pow(month - 1))
            .when(month.is_null()).then(pl.lit(ANNUAL_BIT, dtype=pl.Int32))
            .otherwise(pl.lit(0, dtype=pl.Int32))
            .cast(pl.Int32).alias("_month_bit"),
        ]
    return exprs


def quality_aggs(area: str, monthly: bool = True) -> list[pl.Expr]:
    """Per facility-year: month mask (with the annual bit) and verified share [0–1]."""
    aggs = [pl.col("_verified").mean().alias(f"{area}_verified_share")]
    if monthly:
        aggs.append(pl.col("_month_bit").bitwise_or().alias(f"_{area}_month_mask"))
    return aggs


def months_reported(mask: pl.Expr) -> pl.Expr:
    """Distinct months of a month mask; null when it has none (as the OR of no month is)."""
    months = mask & MONTH_BITS
    return pl.when(months != 0).then(months.bitwise_count_ones().cast(pl.Int32))


def completeness_columns(area: str) -> list[pl.Expr]:
    """After the join: `<area>_months_reported` (0 without data) and `<area>_complete`.

    Complete means twelve distinct months or an annual value; a facility-year without any
    row for the area reported 0 months and is not complete.
    """
    mask = pl.col(f"_{area}_month_mask")
    months = months_reported(mask).fill_null(0)
    complete = (months >= 12) | ((mask & ANNUAL_BIT) != 0).fill_null(False)
    return [months.alias(f"{area}_months_reported"), complete.alias(f"{area}_complete")]
