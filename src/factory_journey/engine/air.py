"""Air emissions: inventory completeness and refrigerant emissions.

`air_sources_tracked_share` is the share of the listed sources whose emissions are tracked,
over the sources that answer the question. Refrigerant emissions [kgCO2e] = Σ recharge [kg] ×
GWP100 of the gas (the recharge makes up what leaked). A recharge of a gas without a known GWP
makes the total null rather than too small.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import beyond_exact_sum, collect, exact_sum, replaced
from factory_journey.engine.quality import quality_aggs, quality_rows
from factory_journey.engine.refdata import normalise_key


def air_rows(air: pl.LazyFrame, gwp: dict[str, float]) -> pl.LazyFrame:
    """Air rows with `_refrigerant_kgco2e` per source [kgCO2e] (0 without a recharge)."""
    # Normalise the few distinct spellings in Python, not every row in polars.
    present = collect(air.select(pl.col("refrigerant").cast(pl.String).unique()))
    factors = {
        spelling: gwp[normalise_key(spelling)]
        for spelling in present.get_column("refrigerant").drop_nulls().to_list()
        if normalise_key(spelling) in gwp
    }
    factor = replaced(pl.col("refrigerant").cast(pl.String), dict(factors), None, pl.Float64())
    recharge = pl.col("refrigerant_recharge_kg").cast(pl.Float64)
    emissions = (
        pl.when(recharge.is_null() | (recharge == 0)).then(0.0).otherwise(recharge * factor)
    )
    tracked = pl.col("tracked").cast(pl.Boolean)
    return air.with_columns(
        emissions.alias("_refrigerant_kgco2e"),
        emissions.is_null().cast(pl.UInt32).alias("_air_bad"),
        tracked.cast(pl.Float64).alias("_tracked"),
        *quality_rows(monthly=False),
    ).with_columns(beyond_exact_sum("_air_bad", ["_refrigerant_kgco2e"]))


def air_finish() -> list[pl.Expr]:
    """After the group-by (kept out of the aggregations: plain reductions stream fastest)."""
    return [pl.col("air_sources_count").cast(pl.Int32)]


def air_aggs() -> list[pl.Expr]:
    """Per facility-year source count, tracked share [0–1] and refrigerant CO2e [kgCO2e]."""
    return [
        pl.len().alias("air_sources_count"),
        pl.col("_tracked").mean().alias("air_sources_tracked_share"),
        exact_sum("_refrigerant_kgco2e").alias("refrigerant_kgco2e"),
        pl.col("_air_bad").sum().alias("_air_bad"),
        *quality_aggs("air", monthly=False),
    ]
