"""Wastewater volumes and the onsite recycling rate.

`wastewater_industrial_m3` counts industrial and combined streams (a combined stream carries
the process water). The recycling rate is Σ volume × recycled_share ÷ Σ volume over the rows
that state a recycled share; null when no row does.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import strict_sum
from factory_journey.engine.quality import months_aggs, verified_aggs


def wastewater_aggs() -> list[pl.Expr]:
    """Per facility-year volumes [m³], recycling rate [0–1] and the quality expressions."""
    volume = pl.col("quantity_canonical").cast(pl.Float64)
    kind = pl.col("wastewater_type").cast(pl.String)
    share = pl.col("recycled_share").cast(pl.Float64)
    stated = share.is_not_null()
    recycled = (volume * share).filter(stated).sum()
    base = volume.filter(stated).sum()
    return [
        pl.lit(True).alias("_wastewater_present"),
        strict_sum(volume).alias("wastewater_m3"),
        strict_sum(pl.when(kind.is_in(["industrial", "combined"])).then(volume).otherwise(0.0))
        .alias("wastewater_industrial_m3"),
        pl.when(base > 0).then(recycled / base).otherwise(None)
        .alias("wastewater_recycling_rate"),
        *months_aggs("wastewater"),
        *verified_aggs("wastewater"),
    ]
