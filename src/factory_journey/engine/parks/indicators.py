"""Park indicators: park totals and intensities over the members' Data Matrix and the shared
facilities' own matrix, less the internal deliveries (to members, and from one shared facility
to another; decision 0025), and the members' standing.

Every total is `value = members_value − internal_value + shared_value`, each part a Σ of one
Data Matrix column over the park-year's members (or shared facilities); a part with no value
anywhere is null, and a total is null only when all its parts are. Ratios are taken on the
park totals, never averaged over members. Units: MJ, m³, kg, kgCO2e, persons, shares 0–1.
"""

from __future__ import annotations

import polars as pl

#: Park totals: indicator → (matrix column summed, unit, parts: does a shared facility or an
#: internal delivery count in it).
TOTALS: dict[str, tuple[str, str, bool]] = {
    "energy_total_mj": ("energy_total_mj", "MJ", True),
    "energy_renewable_mj": ("energy_renewable_mj", "MJ", True),
    "scope1_kgco2e": ("scope1_kgco2e", "kgCO2e", True),
    "scope2_location_kgco2e": ("scope2_location_kgco2e", "kgCO2e", True),
    "ghg_kgco2e": ("ghg_kgco2e", "kgCO2e", True),
    "water_withdrawal_m3": ("water_withdrawal_m3", "m3", True),
    "water_recycled_reused_m3": ("_water_recycled_reused_m3", "m3", True),
    "wastewater_m3": ("wastewater_m3", "m3", True),
    "waste_total_kg": ("waste_total_kg", "kg", True),
    "waste_hazardous_kg": ("waste_hazardous_kg", "kg", True),
    "waste_diverted_kg": ("_waste_diverted_kg", "kg", True),
    "employees": ("_employees", "persons", False),
    "production_volume_pcs": ("production_volume_pcs", "pcs", False),
    "production_volume_kg": ("production_volume_kg", "kg", False),
}

#: Ratios of park totals: indicator → (numerator, denominator, unit). The water share's
#: denominator is withdrawal + recycled + reused (added below).
RATIOS: dict[str, tuple[str, str, str]] = {
    "renewable_share": ("energy_renewable_mj", "energy_total_mj", "share"),
    "water_recycled_reused_share": ("water_recycled_reused_m3", "_water_all_m3", "share"),
    "waste_diversion_share": ("waste_diverted_kg", "waste_total_kg", "share"),
    "energy_mj_per_employee": ("energy_total_mj", "employees", "MJ/person"),
    "water_m3_per_employee": ("water_withdrawal_m3", "employees", "m3/person"),
    "ghg_kgco2e_per_employee": ("ghg_kgco2e", "employees", "kgCO2e/person"),
    "waste_kg_per_employee": ("waste_total_kg", "employees", "kg/person"),
}

INDICATOR_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "park_id": pl.String, "year": pl.Int64, "indicator": pl.String, "value": pl.Float64,
    "unit": pl.String, "members_value": pl.Float64, "shared_value": pl.Float64,
    "internal_value": pl.Float64, "reporting": pl.Int64,
}


def _derived(matrix: pl.DataFrame) -> pl.DataFrame:
    """The summed columns that are products or sums of matrix columns, per facility-year."""
    have = set(matrix.columns)

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in have else pl.lit(None, pl.Float64)

    recycled = pl.when(col("water_recycled_m3").is_null() & col("water_reused_m3").is_null()
                       ).then(None).otherwise(col("water_recycled_m3").fill_null(0)
                                              + col("water_reused_m3").fill_null(0))
    return matrix.with_columns(
        recycled.alias("_water_recycled_reused_m3"),
        (col("waste_diversion_share") * col("waste_total_kg")).alias("_waste_diverted_kg"),
    )


def _part(matrix: pl.DataFrame | None, who: pl.DataFrame, part: str) -> pl.DataFrame:
    """Σ of every summed column over `who` (park_id, year, facility_id), one row per park-year;
    `<indicator>__n` counts the facilities with a value."""
    if matrix is None or matrix.is_empty():
        return who.select("park_id", "year").unique()
    frame = _derived(matrix)
    have = set(frame.columns)
    cols = {ind: src for ind, (src, _, _) in TOTALS.items() if src in have}
    joined = who.join(frame.select("facility_id", "year", *set(cols.values())),
                      on=["facility_id", "year"], how="inner")
    aggs = []
    for indicator, source in cols.items():
        value = pl.col(source).cast(pl.Float64)
        aggs += [pl.when(value.is_not_null().any()).then(value.sum()).otherwise(None)
                 .alias(f"{indicator}__{part}"),
                 value.is_not_null().sum().alias(f"{indicator}__n_{part}")]
    return joined.group_by("park_id", "year").agg(aggs)


def park_indicators(
    members_matrix: pl.DataFrame,
    internal_matrix: pl.DataFrame | None,
    shared_matrix: pl.DataFrame | None,
    members: pl.DataFrame,
    shared_facilities: pl.DataFrame,
    standing: pl.DataFrame,
) -> pl.DataFrame:
    """The long park_indicators frame (docs/park-data-format.md) of every park-year.

    members: park_id, year, facility_id (+ `_employees` [persons] when known);
    members_matrix must carry `_employees` too when employees are wanted; internal_matrix holds
    the delivered rows of members and of shared facilities alike; shared_facilities:
    park_id, year, shared_facility_id; standing: one row per park-year of the count and share
    indicators (see `standing.park_standing`)."""
    who = members.select("park_id", "year", "facility_id")
    shared_who = shared_facilities.select(
        "park_id", "year", pl.col("shared_facility_id").alias("facility_id"))
    years = pl.concat([who.select("park_id", "year"), shared_who.select("park_id", "year")]
                      ).unique()
    wide = years
    # internal deliveries: to members and to other shared facilities (decision 0025)
    users = pl.concat([who, shared_who], how="vertical_relaxed")
    for frame in (_part(members_matrix, who, "m"), _part(internal_matrix, users, "i"),
                  _part(shared_matrix, shared_who, "s")):
        wide = wide.join(frame, on=["park_id", "year"], how="left")
    rows = []
    for indicator, (_, unit, counted) in TOTALS.items():
        parts = {p: (pl.col(f"{indicator}__{p}") if f"{indicator}__{p}" in wide.columns
                     else pl.lit(None, pl.Float64)) for p in ("m", "i", "s")}
        if not counted:
            parts["i"] = parts["s"] = pl.lit(None, pl.Float64)
        counts = [pl.col(f"{indicator}__n_{p}") for p in ("m", "s")
                  if f"{indicator}__n_{p}" in wide.columns and (counted or p == "m")]
        value = pl.when(pl.all_horizontal(e.is_null() for e in parts.values())).then(None) \
            .otherwise(parts["m"].fill_null(0) - parts["i"].fill_null(0)
                       + parts["s"].fill_null(0))
        rows.append(wide.select(
            "park_id", "year", pl.lit(indicator).alias("indicator"), value.alias("value"),
            pl.lit(unit).alias("unit"), parts["m"].alias("members_value"),
            parts["s"].alias("shared_value"), parts["i"].alias("internal_value"),
            (pl.sum_horizontal(counts) if counts else pl.lit(0)).cast(pl.Int64)
            .alias("reporting")))
    long = pl.concat(rows)
    long = pl.concat([long, _ratios(long), _standing_rows(standing)], how="diagonal_relaxed")
    return long.select(list(INDICATOR_SCHEMA)).cast(INDICATOR_SCHEMA).sort(  # type: ignore[arg-type]
        "park_id", "year", "indicator")


def _ratios(long: pl.DataFrame) -> pl.DataFrame:
    wide = long.pivot(on="indicator", index=["park_id", "year"], values="value")
    wide = wide.with_columns((pl.col("water_withdrawal_m3").fill_null(0)
                              + pl.col("water_recycled_reused_m3").fill_null(0)
                              ).alias("_water_all_m3"))
    rows = []
    for indicator, (num, den, unit) in RATIOS.items():
        ratio = pl.when(pl.col(den).is_null() | (pl.col(den) == 0)).then(None).otherwise(
            pl.col(num) / pl.col(den))
        rows.append(wide.select("park_id", "year", pl.lit(indicator).alias("indicator"),
                                ratio.alias("value"), pl.lit(unit).alias("unit")))
    return pl.concat(rows)


def _standing_rows(standing: pl.DataFrame) -> pl.DataFrame:
    """The standing frame (park_id, year, one column per indicator) made long."""
    values = [c for c in standing.columns if c not in ("park_id", "year")]
    long = standing.unpivot(on=values, index=["park_id", "year"], variable_name="indicator",
                            value_name="value").with_columns(pl.col("value").cast(pl.Float64))
    from factory_journey.engine.parks.standing import STANDING_UNITS

    return long.with_columns(pl.col("indicator").replace_strict(
        STANDING_UNITS, default="share").alias("unit"))
