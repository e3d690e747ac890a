"""Chemicals: ZDHC InCheck monthly inventory summaries per facility-year.

Shares pool the year's monthly reports: Σ products on the Gateway ÷ Σ products in inventory
(and the same for each MRSL conformance level), so a month with a larger inventory weighs
more. `chem_products` is the inventory of the latest month reported; the Supplier to Zero
level is the highest held during the year.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.quality import months_aggs, verified_aggs


def chemicals_aggs() -> list[pl.Expr]:
    """Per facility-year counts [products, months] and pooled shares [0–1]."""
    products = pl.col("products_in_inventory").cast(pl.Float64)
    def share(column: str) -> pl.Expr:
        part = pl.col(column).cast(pl.Float64)
        # Only months that state the part count, so an unanswered month does not dilute it.
        base = products.filter(part.is_not_null()).sum()
        return pl.when(base > 0).then(part.sum() / base).otherwise(None)

    return [
        pl.lit(True).alias("_chemicals_present"),
        pl.col("month").drop_nulls().n_unique().cast(pl.Int32).alias("chem_months_reported"),
        products.sort_by(pl.col("month"), nulls_last=False).last().cast(pl.Int64)
        .alias("chem_products"),
        share("products_on_gateway").alias("chem_gateway_share"),
        share("mrsl_level_1").alias("chem_mrsl_level_1_share"),
        share("mrsl_level_2").alias("chem_mrsl_level_2_share"),
        share("mrsl_level_3").alias("chem_mrsl_level_3_share"),
        pl.col("incheck_verified").cast(pl.Boolean).fill_null(False).sum().cast(pl.Int32)
        .alias("chem_incheck_verified_months"),
        pl.col("supplier_to_zero_level").cast(pl.Int32).max().alias("supplier_to_zero_level"),
        *months_aggs("chemicals"),
        *verified_aggs("chemicals"),
    ]
