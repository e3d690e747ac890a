"""Air emissions: inventory completeness and refrigerant emissions.

`air_sources_tracked_share` is the share of the listed sources whose emissions are tracked,
over the sources that answer the question. Refrigerant emissions [kgCO2e] = Σ recharge [kg] ×
GWP100 of the gas (the recharge makes up what leaked). A recharge of a gas without a known GWP
makes the total null rather than too small.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.quality import verified_aggs


def air_rows(air: pl.LazyFrame, gwp: dict[str, float]) -> pl.LazyFrame:
    """Air rows with `_refrigerant_kgco2e` per source [kgCO2e] (0 without a recharge)."""
    key = pl.col("refrigerant").cast(pl.String).str.to_lowercase().str.replace_all(
        r"[^0-9a-z]+", ""
    )
    factor = key.replace_strict(gwp, default=None, return_dtype=pl.Float64)
    recharge = pl.col("refrigerant_recharge_kg").cast(pl.Float64)
    emissions = (
        pl.when(recharge.is_null() | (recharge == 0)).then(0.0).otherwise(recharge * factor)
    )
    return air.with_columns(emissions.alias("_refrigerant_kgco2e"))


def air_aggs() -> list[pl.Expr]:
    """Per facility-year source count, tracked share [0–1] and refrigerant CO2e [kgCO2e]."""
    tracked = pl.col("tracked").cast(pl.Boolean)
    emissions = pl.col("_refrigerant_kgco2e")
    return [
        pl.lit(True).alias("_air_present"),
        pl.len().cast(pl.Int32).alias("air_sources_count"),
        tracked.cast(pl.Float64).mean().alias("air_sources_tracked_share"),
        pl.when(emissions.null_count() > 0).then(None).otherwise(emissions.sum())
        .alias("refrigerant_kgco2e"),
        *verified_aggs("air"),
    ]
