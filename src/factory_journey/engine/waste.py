"""Waste: mass by hazard class and by disposal route, intensity and diversion.

Masses come in kg (contracts §2; g, lb, oz, metric and short tons converted at ingestion).
Each disposal method maps to a route in `waste_disposal_methods.csv`; a method without a route
counts as `other`. Diversion = recycling + reuse + composting.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import ratio, strict_sum
from factory_journey.engine.quality import months_aggs, verified_aggs

ROUTES: tuple[str, ...] = (
    "landfill", "incineration", "energy_recovery", "recycling", "reuse", "composting", "other",
)
DIVERTED: tuple[str, ...] = ("recycling", "reuse", "composting")


def waste_rows(waste: pl.LazyFrame, routes: pl.DataFrame) -> pl.LazyFrame:
    """Waste rows with their disposal `route` (unknown methods → `other`)."""
    mapping = dict(
        zip(
            routes.get_column("key").cast(pl.String).to_list(),
            routes.get_column("route").cast(pl.String).to_list(),
            strict=True,
        )
    )
    route = pl.col("disposal_method").cast(pl.String).replace_strict(
        mapping, default="other", return_dtype=pl.String
    )
    route = pl.when(route.is_in(list(ROUTES))).then(route).otherwise(pl.lit("other"))
    return waste.with_columns(route.alias("_route"))


def waste_aggs() -> list[pl.Expr]:
    """Per facility-year masses [kg] in total, by hazard class and by route."""
    mass = pl.col("quantity_canonical").cast(pl.Float64)
    hazardous = pl.col("hazardous").cast(pl.Boolean)
    aggs = [
        pl.lit(True).alias("_waste_present"),
        strict_sum(mass).alias("waste_total_kg"),
        strict_sum(pl.when(hazardous.is_null()).then(None).when(hazardous).then(mass)
                   .otherwise(0.0)).alias("waste_hazardous_kg"),
        strict_sum(pl.when(hazardous.is_null()).then(None).when(~hazardous).then(mass)
                   .otherwise(0.0)).alias("waste_nonhazardous_kg"),
    ]
    aggs += [
        strict_sum(pl.when(pl.col("_route") == route).then(mass).otherwise(0.0))
        .alias(f"_waste_{route}_kg")
        for route in ROUTES
    ]
    return [*aggs, *months_aggs("waste"), *verified_aggs("waste")]


def waste_columns() -> list[pl.Expr]:
    """Intensity [kg/unit] and shares by route [0–1]."""
    total = pl.col("waste_total_kg")
    columns = [ratio(total, pl.col("_production_volume_unit")).alias("waste_intensity_kg_per_unit")]
    columns += [ratio(pl.col(f"_waste_{r}_kg"), total).alias(f"waste_share_{r}") for r in ROUTES]
    diverted = pl.sum_horizontal([pl.col(f"_waste_{r}_kg") for r in DIVERTED])
    columns.append(ratio(diverted, total).alias("waste_diversion_share"))
    return columns
