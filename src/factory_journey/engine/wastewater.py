"""Wastewater volumes and the onsite recycling rate.

`wastewater_industrial_m3` counts industrial and combined streams (a combined stream carries
the process water). The recycling rate is Σ volume × recycled_share ÷ Σ volume over the rows
that state a recycled share; null when no row does.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import (
    beyond_exact_sum,
    exact_sum,
    exact_units,
    ratio,
    units_part,
    when_then_zero,
)
from factory_journey.engine.quality import quality_aggs, quality_rows


def wastewater_rows(wastewater: pl.LazyFrame) -> pl.LazyFrame:
    """Wastewater rows with the parts of each sum [m³] and the quality helpers."""
    volume = pl.col("quantity_canonical").cast(pl.Float64)
    kind = pl.col("wastewater_type").cast(pl.String)
    share = pl.col("recycled_share").cast(pl.Float64)
    # The volume is converted to exact-sum units once for the parts that are it or 0.
    return wastewater.with_columns(exact_units(volume).alias("_units")).with_columns(
        volume.is_null().cast(pl.UInt32).alias("_wastewater_bad"),
        volume.alias("_volume"),
        units_part(kind.is_in(["industrial", "combined"]), "_units").alias("_industrial"),
        when_then_zero(share.is_not_null(), volume * share).alias("_recycled"),
        units_part(share.is_not_null(), "_units").alias("_recycled_base"),
        *quality_rows(),
    ).with_columns(  # the other parts are the volume or 0
        beyond_exact_sum("_wastewater_bad", ["_volume", "_recycled"])
    )


def wastewater_aggs() -> list[pl.Expr]:
    """Per facility-year volumes [m³], recycling parts and the quality aggregations."""
    return [
        pl.col("_wastewater_bad").sum().alias("_wastewater_bad"),
        pl.col("_units").sum().alias("wastewater_m3"),
        pl.col("_industrial").sum().alias("wastewater_industrial_m3"),
        exact_sum("_recycled").alias("_wastewater_recycled_m3"),
        pl.col("_recycled_base").sum().alias("_wastewater_recycled_base_m3"),
        *quality_aggs("wastewater"),
    ]


def wastewater_columns() -> list[pl.Expr]:
    """Recycling rate [0–1] on the joined matrix."""
    return [
        ratio(pl.col("_wastewater_recycled_m3"), pl.col("_wastewater_recycled_base_m3"))
        .alias("wastewater_recycling_rate"),
    ]
