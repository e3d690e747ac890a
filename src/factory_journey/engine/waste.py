"""Waste: mass by hazard class and by disposal route, intensity and diversion.

Masses come in kg (contracts §2; g, lb, oz, metric and short tons converted at ingestion).
Each disposal method maps to a route in `waste_disposal_methods.csv`; a method without a route
counts as `other`. Diversion = recycling + reuse + composting.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import (
    beyond_exact_sum,
    exact_units,
    ratio,
    replaced,
    units_part,
)
from factory_journey.engine.quality import quality_aggs, quality_rows

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
    # The route as its position in ROUTES (a method without a known route → `other`): a small
    # integer compared seven times per row instead of a string.
    other = ROUTES.index("other")
    codes = {m: ROUTES.index(r) if r in ROUTES else other for m, r in mapping.items()}
    route = replaced(pl.col("disposal_method").cast(pl.String), dict(codes), other, pl.Int8())
    mass = pl.col("quantity_canonical").cast(pl.Float64)
    hazardous = pl.col("hazardous").cast(pl.Boolean)
    # Every part is the mass or 0: the mass is converted to exact-sum units once
    # (`units_part`).
    units = exact_units(mass).alias("_units")
    return waste.with_columns(route.alias("_route"), units).with_columns(
        (mass.is_null() | hazardous.is_null()).cast(pl.UInt32).alias("_waste_bad"),
        mass.alias("_mass"),
        units_part(hazardous, "_units").alias("_hazardous"),
        units_part(~hazardous, "_units").alias("_nonhazardous"),
        *[units_part(pl.col("_route") == i, "_units").alias(f"_route_{r}")
          for i, r in enumerate(ROUTES)],
        *quality_rows(),
    ).with_columns(beyond_exact_sum("_waste_bad", ["_mass"]))  # every part is the mass or 0


#: Waste columns (exact-sum units) summed per facility-year, and the matrix name of each sum.
WASTE_SUMS: dict[str, str] = {
    "_units": "waste_total_kg",
    "_hazardous": "waste_hazardous_kg",
    "_nonhazardous": "waste_nonhazardous_kg",
    **{f"_route_{r}": f"_waste_{r}_kg" for r in ROUTES},
}


def waste_aggs() -> list[pl.Expr]:
    """Per facility-year masses [kg] in total, by hazard class and by route."""
    return [
        pl.col("_waste_bad").sum().alias("_waste_bad"),
        *[pl.col(c).sum().alias(name) for c, name in WASTE_SUMS.items()],
        *quality_aggs("waste"),
    ]


def waste_columns() -> list[pl.Expr]:
    """Intensity [kg/unit] and shares by route [0–1]."""
    total = pl.col("waste_total_kg")
    columns = [ratio(total, pl.col("_production_volume_unit")).alias("waste_intensity_kg_per_unit")]
    columns += [ratio(pl.col(f"_waste_{r}_kg"), total).alias(f"waste_share_{r}") for r in ROUTES]
    diverted = pl.sum_horizontal([pl.col(f"_waste_{r}_kg") for r in DIVERTED])
    columns.append(ratio(diverted, total).alias("waste_diversion_share"))
    return columns
