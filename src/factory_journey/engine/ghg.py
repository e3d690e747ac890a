"""Greenhouse gases: Scope 1 from fuels and refrigerants, Scope 2 location- and market-based.

- Scope 1 fuel combustion [kgCO2e] = Σ energy [TJ] × (CO2 + CH4 × GWP_CH4 + N2O × GWP_N2O)
  [kg/TJ] over the sources whose FEM scope is 1 and that burn an IPCC fuel. Biogenic CO2
  (wood, biomass, biogas) is reported separately (`biogenic_co2_kg`), not in Scope 1; the CH4
  and N2O of burning biomass are in Scope 1 (GHG Protocol).
- Refrigerants: recharge [kg] × GWP100 (`refrigerant_kgco2e`, from the air module) is **inside**
  `scope1_kgco2e`, because Higg FEM counts refrigerants in Scope 1.
- Scope 2 location-based [kgCO2e] = purchased electricity [kWh] × grid factor of the country
  [kgCO2e/kWh = gCO2e/kWh ÷ 1000], the factor of the reporting year or the latest year before
  it (else the earliest year available), labelled with the grid table's vintage. Purchased
  renewables count at the grid factor here (FEM 2024 is location-based only).
- Scope 2 market-based: electricity bought as purchased renewables or with a PPA, EAC or
  green tariff counts at its `market_factor_kgco2e_per_kwh`, or 0 when none is given; other
  electricity at its supplier factor when given, else at the grid factor (no residual mix).
- Sources with a delivery efficiency in `fem_energy_sources.csv` (project assumptions):
  purchased chilled water = grid electricity ÷ COP; purchased steam = natural gas burnt in the
  supplier's boiler ÷ boiler efficiency, in both Scope 2 figures.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.energy import MJ_PER_KWH, RENEWABLE_INSTRUMENTS
from factory_journey.engine.exprs import beyond_exact_sum, exact_sum, is_in_ci, ratio
from factory_journey.engine.refdata import EngineReference, normalise_key

TJ_PER_MJ = 1e-6
G_PER_KG = 1000.0


def gas_gwp(reference: EngineReference, gas: str) -> float:
    """GWP100 of a gas in the reference's vintage [kgCO2e/kg]."""
    return reference.gwp[normalise_key(gas)]


def ghg_rows(rows: pl.LazyFrame, reference: EngineReference) -> pl.LazyFrame:
    """Energy rows (from `energy.energy_rows`) with their Scope 1 and Scope 2 parts.

    Adds `_scope1_fuel_kg`, `_biogenic_co2_kg` [kg], `_scope2_fuel_kg` [kgCO2e] (purchased
    steam: the fuel of the supplier's boiler ÷ its delivery efficiency), `_grid_kwh` [kWh of
    grid electricity: electricity ÷ delivery efficiency, e.g. chilled water ÷ COP],
    `_market_known_kg` [kgCO2e] and `_market_residual_kwh` [kWh].
    """
    gwp_ch4 = gas_gwp(reference, "ch4")
    gwp_n2o = gas_gwp(reference, "n2o")
    scope = pl.col("scope").cast(pl.String)
    fuel_basis = (pl.col("factor_basis") == "fuel") & pl.col("fuel").is_not_null()
    combustion = (scope == "1") & fuel_basis
    tj = pl.col("mj") * TJ_PER_MJ
    efficiency = pl.col("delivery_efficiency").fill_null(1.0)
    biogenic = pl.col("biogenic").fill_null(False)
    fossil_co2 = pl.when(biogenic).then(0.0).otherwise(pl.col("co2_kg_per_tj"))
    per_tj = fossil_co2 + pl.col("ch4_kg_per_tj") * gwp_ch4 + pl.col("n2o_kg_per_tj") * gwp_n2o
    grid_based = (pl.col("factor_basis") == "grid") & (scope == "2")
    grid_kwh = pl.col("mj") / MJ_PER_KWH / efficiency
    # A renewable purchase (source or instrument) is market-based at its own factor or 0.
    claimed = (
        pl.col("renewable").fill_null(False)
        | is_in_ci("instrument", RENEWABLE_INSTRUMENTS).fill_null(False)
    )
    market_factor = pl.col("market_factor_kgco2e_per_kwh").cast(pl.Float64)
    rows = rows.with_columns(
        pl.when(combustion).then(tj * per_tj).otherwise(0.0).alias("_scope1_fuel_kg"),
        pl.when(combustion & biogenic).then(tj * pl.col("co2_kg_per_tj")).otherwise(0.0)
        .alias("_biogenic_co2_kg"),
        pl.when((scope == "2") & fuel_basis).then(tj / efficiency * per_tj).otherwise(0.0)
        .alias("_scope2_fuel_kg"),
        pl.when(grid_based).then(grid_kwh).otherwise(0.0).alias("_grid_kwh"),
        pl.when(grid_based & claimed).then(grid_kwh * market_factor.fill_null(0.0))
        .when(grid_based & market_factor.is_not_null()).then(grid_kwh * market_factor)
        .otherwise(0.0).alias("_market_known_kg"),
        pl.when(grid_based & ~claimed & market_factor.is_null()).then(grid_kwh).otherwise(0.0)
        .alias("_market_residual_kwh"),
    )
    # A missing factor (or energy) in any part makes the row's GHG unknown.
    missing = pl.any_horizontal([pl.col(c).is_null() for c in GHG_SUMS])
    return rows.with_columns(
        (pl.col("_energy_bad") + missing.cast(pl.UInt32)).alias("_energy_bad")
    ).with_columns(  # the residual is the grid electricity or 0
        beyond_exact_sum("_energy_bad", [c for c in GHG_SUMS if c != "_market_residual_kwh"])
    )


#: GHG columns summed per facility-year, and the matrix name of each sum.
GHG_SUMS: dict[str, str] = {
    "_scope1_fuel_kg": "_scope1_fuel_kg",
    "_biogenic_co2_kg": "biogenic_co2_kg",
    "_scope2_fuel_kg": "_scope2_fuel_kg",
    "_grid_kwh": "_grid_kwh",
    "_market_known_kg": "_market_known_kg",
    "_market_residual_kwh": "_market_residual_kwh",
}


def ghg_aggs() -> list[pl.Expr]:
    """Per facility-year sums of the GHG parts (added to the energy group-by)."""
    return [exact_sum(c).alias(name) for c, name in GHG_SUMS.items()]


def grid_factors_for(
    keys: pl.LazyFrame, grid: pl.DataFrame, vintage: str
) -> pl.LazyFrame:
    """Grid factor per facility-year [kgCO2e/kWh] and its vintage label.

    `keys` has facility_id, year, country_iso3. The factor is that of the reporting year or
    the latest earlier year of the country; before the first year, the first year's.
    """
    table = (
        grid.lazy()
        .select(
            pl.col("iso3").cast(pl.String).alias("country_iso3"),
            pl.col("year").cast(pl.Int64).alias("_grid_year"),
            (pl.col("carbon_intensity_gco2e_per_kwh").cast(pl.Float64) / G_PER_KG)
            .alias("grid_factor_kgco2e_per_kwh"),
        )
        .drop_nulls()
    )
    # Country-years are few (≤ 200 countries × a few years): resolve per distinct pair, then
    # join back, instead of an as-of join over every facility-year.
    pairs = keys.select(pl.col("country_iso3").cast(pl.String), pl.col("year").cast(pl.Int64))
    pairs = pairs.unique().drop_nulls()
    candidates = pairs.join(table, on="country_iso3", how="inner").with_columns(
        (pl.col("_grid_year") <= pl.col("year")).alias("_not_after"),
    )
    best = (
        candidates.sort("country_iso3", "year", "_not_after", "_grid_year")
        .group_by("country_iso3", "year")
        .agg(
            # Prefer the latest year not after the reporting year; else the earliest year.
            pl.when(pl.col("_not_after").any())
            .then(pl.col("grid_factor_kgco2e_per_kwh").filter(pl.col("_not_after")).last())
            .otherwise(pl.col("grid_factor_kgco2e_per_kwh").first())
            .alias("grid_factor_kgco2e_per_kwh"),
            pl.when(pl.col("_not_after").any())
            .then(pl.col("_grid_year").filter(pl.col("_not_after")).last())
            .otherwise(pl.col("_grid_year").first())
            .alias("_grid_year"),
        )
        .with_columns(
            pl.format("{} (data year {})", pl.lit(vintage), pl.col("_grid_year"))
            .alias("grid_factor_vintage")
        )
        .drop("_grid_year")
    )
    return best


def ghg_columns() -> list[pl.Expr]:
    """Scope 1, Scope 2 and totals [kgCO2e] on the joined matrix (needs grid and air columns)."""
    grid = pl.col("grid_factor_kgco2e_per_kwh")
    fuel = pl.col("_scope1_fuel_kg")
    refrigerant = pl.col("refrigerant_kgco2e")
    # Scope 1 needs at least one of its two inputs; a missing one counts as not reported.
    scope1 = (
        pl.when(fuel.is_null() & refrigerant.is_null())
        .then(None)
        .otherwise(fuel.fill_null(0.0) + refrigerant.fill_null(0.0))
    )
    steam = pl.col("_scope2_fuel_kg")
    # No grid electricity needs no grid factor: 0 kWh × unknown factor = 0, not null.
    grid_kwh = pl.col("_grid_kwh")
    location = steam + pl.when(grid_kwh == 0).then(0.0).otherwise(grid_kwh * grid)
    residual = pl.col("_market_residual_kwh")
    market = steam + pl.col("_market_known_kg") + pl.when(residual == 0).then(0.0).otherwise(
        residual * grid
    )
    return [
        scope1.alias("scope1_kgco2e"),
        location.alias("scope2_location_kgco2e"),
        market.alias("scope2_market_kgco2e"),
    ]


def ghg_total_columns() -> list[pl.Expr]:
    """Total GHG (Scope 1 + Scope 2 location) [kgCO2e] and its intensity [kgCO2e/unit]."""
    total = pl.col("scope1_kgco2e") + pl.col("scope2_location_kgco2e")
    return [
        total.alias("ghg_kgco2e"),
        ratio(total, pl.col("_production_volume_unit")).alias("ghg_intensity_kgco2e_per_unit"),
    ]
