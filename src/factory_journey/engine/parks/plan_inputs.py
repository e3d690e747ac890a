"""The member table of the collective plan, from `journey park assess` outputs and the Data Matrix.

`members_for_plan` joins each park member (park_members output: park_id, year, facility_id)
to its own Data Matrix row (one implementation of every rule: the plan never recomputes a
member figure) and adds what the plan splits by:

- `wastewater_to_central_m3` [m³/yr]: in a park-year with a central effluent plant
  (park_indicators `has_central_effluent_plant` = 1), the member's industrial wastewater
  (`wastewater_industrial_m3`, else `wastewater_m3` when the member reports no type), since a
  member of such a park sends its industrial effluent to the plant (zero-liquid-discharge
  members report no discharge); 0 in a park without one. A `wastewater_to_central_m3` value
  already in park_members (the flow metered at the plant's inlet) is used as it is; where it
  is null (nothing metered for that member) the rule above fills it.
- `workers` [persons]: `employees` of park_members when given, else the matrix's
  `siptotalnumemployees` when it has it; null otherwise (the worker programme then has no
  participants, and the plan says so).
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.parks.plan import KEY_COLUMNS, MEMBER_COLUMNS

MATRIX_COLUMNS: tuple[str, ...] = (
    "country_iso2", "energy_electric_mj", "energy_thermal_mj", "scope1_kgco2e",
    "grid_factor_kgco2e_per_kwh", "wastewater_industrial_m3", "wastewater_m3", "waste_total_kg",
    "production_volume_kg",
)


def members_for_plan(park_members: pl.DataFrame, matrix: pl.DataFrame,
                     park_indicators: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per park_id × facility_id × year with the columns `plan.collective_plan` reads."""
    keys = park_members.select(
        pl.col("park_id").cast(pl.String), pl.col("facility_id").cast(pl.String),
        pl.col("year").cast(pl.Int64),
        *[pl.col(c) for c in ("employees", "wastewater_to_central_m3")
          if c in park_members.columns])
    wanted = [c for c in (*MATRIX_COLUMNS, "siptotalnumemployees") if c in matrix.columns]
    rows = matrix.select(pl.col("facility_id").cast(pl.String), pl.col("year").cast(pl.Int64),
                         *wanted).with_columns(
        pl.lit(None, dtype=pl.Float64).alias(c) for c in MATRIX_COLUMNS if c not in wanted)
    joined = keys.join(rows, on=["facility_id", "year"], how="left", maintain_order="left")
    central = _has_central(park_indicators)
    joined = joined.join(central, on=["park_id", "year"], how="left", maintain_order="left")
    effluent = pl.coalesce(pl.col("wastewater_industrial_m3"), pl.col("wastewater_m3"))
    inferred = pl.when(pl.col("_central").fill_null(False)).then(effluent).otherwise(0.0)
    metered = (pl.col("wastewater_to_central_m3").cast(pl.Float64)
               if "wastewater_to_central_m3" in joined.columns else pl.lit(None, pl.Float64))
    joined = joined.with_columns(
        pl.coalesce(metered, inferred).alias("wastewater_to_central_m3"))
    workers = [pl.col(c).cast(pl.Float64) for c in ("employees", "siptotalnumemployees")
               if c in joined.columns]
    joined = joined.with_columns(
        (pl.coalesce(workers) if workers else pl.lit(None, dtype=pl.Float64)).alias("workers"))
    return joined.select(*KEY_COLUMNS, *MEMBER_COLUMNS)


def _has_central(park_indicators: pl.DataFrame | None) -> pl.DataFrame:
    schema = {"park_id": pl.String, "year": pl.Int64, "_central": pl.Boolean}
    if park_indicators is None or park_indicators.height == 0:
        return pl.DataFrame(schema=schema)
    return park_indicators.filter(
        pl.col("indicator").cast(pl.String) == "has_central_effluent_plant").select(
        pl.col("park_id").cast(pl.String), pl.col("year").cast(pl.Int64),
        (pl.col("value") >= 1).fill_null(False).alias("_central"))
