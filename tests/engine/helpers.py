"""Small input frames shaped like ingested tables (contracts §2), for the engine tests."""

from __future__ import annotations

from typing import Any

import polars as pl

from factory_journey.domain.units import CANONICAL_SYMBOLS, conversion_factor, unit_dimension

PROFILE_DEFAULTS: dict[str, Any] = {
    "facility_name": None,
    "country_iso2": "BD",
    "country_iso3": "BGD",
    "journey_factory_type": "cut_sew",
    "facility_types": ["finalProductAssembly"],
    "park_id": None,
    "production_volume_finalProductAssembly": None,
    "production_volume_materialProduction": None,
    "production_volume_printingProductDyeingAndLaundering": None,
    "water_stress_score": None,
    "verification_status": "self-reported",
}


def profiles(*rows: dict[str, Any]) -> pl.DataFrame:
    """Profiles table with the derived columns the profile reader adds."""
    records = [{**PROFILE_DEFAULTS, **row} for row in rows]
    return pl.DataFrame(
        records,
        schema_overrides={
            "facility_types": pl.List(pl.String),
            "production_volume_finalProductAssembly": pl.Float64,
            "production_volume_materialProduction": pl.Float64,
            "production_volume_printingProductDyeingAndLaundering": pl.Float64,
            "water_stress_score": pl.Float64,
            "park_id": pl.String,
            "facility_name": pl.String,
        },
    )


def quantity_table(rows: list[dict[str, Any]], **defaults: Any) -> pl.DataFrame:
    """Rows with `quantity` and `unit` → the ingest columns: reported and canonical quantity."""
    out = []
    for index, row in enumerate(rows):
        record = {"month": None, "verification_status": "self-reported", **defaults, **row}
        quantity, unit = record["quantity"], record["unit"]
        record["quantity_reported"] = quantity
        record["unit_reported"] = unit
        record["quantity_canonical"] = quantity * conversion_factor(unit)
        record["unit_canonical"] = CANONICAL_SYMBOLS[unit_dimension(unit)]
        record.setdefault("_file", "input.csv")
        record.setdefault("_sheet", None)
        record.setdefault("_row", index + 2)
        out.append(record)
    return pl.DataFrame(
        out,
        infer_schema_length=None,
        schema_overrides={
            "month": pl.Int64,
            "_sheet": pl.String,
            "quantity": pl.Float64,
            "quantity_reported": pl.Float64,
            "quantity_canonical": pl.Float64,
        },
    )


def energy(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Energy table; `instrument` and `market_factor_kgco2e_per_kwh` default to empty."""
    table = quantity_table(rows)
    for column, dtype in (
        ("instrument", pl.String),
        ("market_factor_kgco2e_per_kwh", pl.Float64),
        ("production_share", pl.Float64),
    ):
        if column not in table.columns:
            table = table.with_columns(pl.lit(None, dtype=dtype).alias(column))
    return table


GRID = pl.DataFrame(
    {
        "iso3": ["BGD", "BGD", "IND"],
        "year": [2020, 2023, 2023],
        "carbon_intensity_gco2e_per_kwh": [600.0, 500.0, 700.0],
    }
)
