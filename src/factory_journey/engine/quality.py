"""Data-quality indicators: months reported, completeness and the verified share of inputs.

They are aggregation expressions that each area adds to its own group-by, so no extra pass
over the input rows is needed.
"""

from __future__ import annotations

import polars as pl

#: Areas whose data come monthly and get `<area>_months_reported` and `<area>_complete`.
MONTHLY_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "chemicals")
#: Areas that get `<area>_verified_share`.
VERIFIED_AREAS: tuple[str, ...] = (
    "energy", "water", "wastewater", "chemicals", "ems", "waste", "air",
)


def months_aggs(area: str) -> list[pl.Expr]:
    """Distinct months with a value [months] and whether an annual (month-less) row exists."""
    return [
        pl.col("month").drop_nulls().n_unique().cast(pl.Int32).alias(f"{area}_months_reported"),
        pl.col("month").is_null().any().alias(f"_{area}_has_annual"),
    ]


def verified_aggs(area: str) -> list[pl.Expr]:
    """Share of the area's input rows whose verification_status is `verified` [0–1]."""
    verified = pl.col("verification_status").cast(pl.String) == "verified"
    return [verified.fill_null(False).mean().alias(f"{area}_verified_share")]


def completeness_columns(area: str) -> list[pl.Expr]:
    """After the join: `<area>_months_reported` (0 without data) and `<area>_complete`.

    Complete means twelve distinct months or an annual value; a facility-year without any
    row for the area reported 0 months and is not complete.
    """
    months = pl.col(f"{area}_months_reported").fill_null(0)
    complete = (months >= 12) | pl.col(f"_{area}_has_annual").fill_null(False)
    return [months.alias(f"{area}_months_reported"), complete.alias(f"{area}_complete")]
