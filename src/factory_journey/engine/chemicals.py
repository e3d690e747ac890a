"""Chemicals: ZDHC InCheck monthly inventory summaries per facility-year.

Shares pool the year's monthly reports: Σ products on the Gateway ÷ Σ products in inventory
(and the same for each MRSL conformance level), over the months that state the part, so a
month with a larger inventory weighs more and an unanswered month does not dilute the share.
`chem_products` is the inventory of the latest month reported; the Supplier to Zero level is
the highest held during the year.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import ratio, when_then_zero
from factory_journey.engine.quality import months_reported, quality_aggs, quality_rows

#: Count columns whose share of the inventory the matrix reports, and the share's name.
SHARES: dict[str, str] = {
    "products_on_gateway": "chem_gateway_share",
    "mrsl_level_1": "chem_mrsl_level_1_share",
    "mrsl_level_2": "chem_mrsl_level_2_share",
    "mrsl_level_3": "chem_mrsl_level_3_share",
}


def chemicals_rows(chemicals: pl.LazyFrame) -> pl.LazyFrame:
    """InCheck rows with, per share, the part and its base [products] and quality helpers."""
    products = pl.col("products_in_inventory").cast(pl.Float64)
    parts = []
    for column in SHARES:
        part = pl.col(column).cast(pl.Float64)
        parts += [part.alias(f"_{column}"),
                  when_then_zero(part.is_not_null(), products).alias(f"_{column}_base")]
    return chemicals.with_columns(
        *parts,
        pl.col("incheck_verified").cast(pl.Boolean).fill_null(False).cast(pl.Int32)
        .alias("_incheck_verified"),
        *quality_rows(),
    )


def chemicals_finish() -> list[pl.Expr]:
    """After the group-by (kept out of the aggregations: plain reductions stream fastest)."""
    return [
        months_reported(pl.col("_chemicals_month_mask")).alias("chem_months_reported"),
        pl.col("chem_products").cast(pl.Int64),
        pl.col("chem_incheck_verified_months").cast(pl.Int32),
    ]


def chemicals_aggs() -> list[pl.Expr]:
    """Per facility-year counts [products, months], share parts and quality aggregations."""
    aggs = [
        pl.col("products_in_inventory").max_by("month").alias("chem_products"),
        pl.col("_incheck_verified").sum().alias("chem_incheck_verified_months"),
        pl.col("supplier_to_zero_level").cast(pl.Int32).max().alias("supplier_to_zero_level"),
    ]
    for column in SHARES:
        aggs += [pl.col(f"_{column}").sum().alias(f"_chem_{column}"),
                 pl.col(f"_{column}_base").sum().alias(f"_chem_{column}_base")]
    return [*aggs, *quality_aggs("chemicals")]


def chemicals_columns() -> list[pl.Expr]:
    """Pooled shares [0–1] on the joined matrix."""
    return [
        ratio(pl.col(f"_chem_{column}"), pl.col(f"_chem_{column}_base")).alias(name)
        for column, name in SHARES.items()
    ]
