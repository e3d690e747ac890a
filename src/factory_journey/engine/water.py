"""Water: withdrawal, recycled and reused volumes, intensities and the location's water risk.

Volumes come in m³ (contracts §2). The recycled-and-reused share is the part of all water
used that did not come from a fresh withdrawal: (recycled + reused) ÷ (withdrawal + recycled +
reused). Water risk is WRI Aqueduct baseline water stress [score 0–5] of the site when the
profile gives it, else of the country, put in Aqueduct's five categories.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import (
    beyond_exact_sum,
    exact_units,
    ratio,
    units_part,
    when_then_zero,
)
from factory_journey.engine.quality import quality_aggs, quality_rows

L_PER_M3 = 1000.0


def water_rows(water: pl.LazyFrame) -> pl.LazyFrame:
    """Water rows with their volume split by flow [m³] and the quality helpers."""
    volume = pl.col("quantity_canonical").cast(pl.Float64)
    flow = pl.col("flow").cast(pl.String)
    # The volume is converted to exact-sum units once (`units_part`); the float parts stay
    # for the check of values an exact sum cannot add.
    parts = {"_withdrawal": "withdrawal", "_recycled": "recycled", "_reused": "reused"}
    return water.with_columns(exact_units(volume).alias("_units")).with_columns(
        volume.is_null().cast(pl.UInt32).alias("_water_bad"),
        *[when_then_zero(flow == f, volume).alias(c) for c, f in parts.items()],
        *[units_part(flow == f, "_units").alias(f"{c}_units") for c, f in parts.items()],
        *quality_rows(),
    ).with_columns(beyond_exact_sum("_water_bad", list(parts)))


#: Water columns (exact-sum units) summed per facility-year, and the matrix name of each sum.
WATER_SUMS: dict[str, str] = {
    "_withdrawal_units": "water_withdrawal_m3",
    "_recycled_units": "water_recycled_m3",
    "_reused_units": "water_reused_m3",
}


def water_aggs() -> list[pl.Expr]:
    """Per facility-year volumes by flow [m³], bad-row count and the quality aggregations."""
    return [
        pl.col("_water_bad").sum().alias("_water_bad"),
        *[pl.col(c).sum().alias(name) for c, name in WATER_SUMS.items()],
        *quality_aggs("water"),
    ]


def water_risk_category(score: pl.Expr, bands: tuple[tuple[float, str], ...]) -> pl.Expr:
    """Aqueduct category of a baseline water-stress score [0–5]; null for a null score.

    `bands` are (upper bound, category) pairs, ascending; a score equal to a bound belongs to
    the higher band (Aqueduct: 1 ≤ score < 2 is low-medium), the last band includes 5.
    """
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    # Build from the top band down so the first matching `when` is the lowest band.
    for upper, category in reversed(bands):
        expr = pl.when(score < upper).then(pl.lit(category)).otherwise(expr)
    top = bands[-1][1]
    return pl.when(score.is_null()).then(None).when(score >= bands[-1][0]).then(
        pl.lit(top)
    ).otherwise(expr)


def water_columns(bands: tuple[tuple[float, str], ...]) -> list[pl.Expr]:
    """Share [0–1], intensities [L/pc, L/kg, L/unit] and water-risk category."""
    withdrawal_l = pl.col("water_withdrawal_m3") * L_PER_M3
    recycled_reused = pl.col("water_recycled_m3") + pl.col("water_reused_m3")
    used = pl.col("water_withdrawal_m3") + recycled_reused
    return [
        ratio(recycled_reused, used).alias("water_recycled_reused_share"),
        ratio(withdrawal_l, pl.col("production_volume_pcs")).alias("water_intensity_l_per_pc"),
        ratio(withdrawal_l, pl.col("production_volume_kg")).alias("water_intensity_l_per_kg"),
        ratio(withdrawal_l, pl.col("_production_volume_unit"))
        .alias("water_intensity_l_per_unit"),
        water_risk_category(pl.col("water_stress_score"), bands).alias("water_risk_category"),
    ]
