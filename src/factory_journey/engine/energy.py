"""Energy: fuel-aware conversion to MJ and the energy columns of the matrix.

Ingestion converts each quantity into the canonical unit of its own dimension (contracts §2):
energy → MJ, volume → m³, mass → kg. Fuels reported by volume or mass become energy here with
the IPCC 2006 defaults: mass [kg] × net calorific value [TJ/Gg = MJ/kg]; volume [m³] × density
[kg/m³] first. Natural gas in m³ or Nm³ uses its density at normal conditions (0 °C,
101.325 kPa) from the fuel table, so a volume at other conditions must be normalised upstream.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import (
    beyond_exact_sum,
    exact_sum,
    exact_units,
    is_in_ci,
    lookup,
    ratio,
    units_part,
)
from factory_journey.engine.quality import quality_aggs, quality_rows
from factory_journey.engine.refdata import EngineReference

#: Contractual instruments that make purchased electricity renewable (market-based claim).
RENEWABLE_INSTRUMENTS: tuple[str, ...] = ("PPA", "EAC", "green_tariff")
#: IPCC fuels counted as coal for `coal_share_thermal` (petroleum coke is an oil product).
COAL_PATTERN = r"coal|lignite|anthracite|peat"
MJ_PER_KWH = 3.6


def source_attributes(reference: EngineReference) -> pl.DataFrame:
    """One row per FEM energy source with its category, flags and IPCC fuel factors.

    Columns: source, category, renewable, scope, fuel, factor_basis, delivery_efficiency,
    ncv_mj_per_kg, density_kg_per_m3, co2_kg_per_tj, ch4_kg_per_tj, n2o_kg_per_tj, biogenic,
    is_coal.
    """
    sources = reference.energy_sources.select(
        pl.col("key").cast(pl.String).alias("source"),
        pl.col("category").cast(pl.String),
        _as_bool(pl.col("renewable")).alias("renewable"),
        pl.col("scope").cast(pl.String).alias("scope"),
        pl.col("fuel").cast(pl.String).alias("fuel"),
        pl.col("factor_basis").cast(pl.String).alias("factor_basis"),
        pl.col("delivery_efficiency").cast(pl.Float64).alias("delivery_efficiency"),
    )
    fuels = reference.fuels.select(
        pl.col("fuel").cast(pl.String),
        pl.col("ncv_tj_per_gg").cast(pl.Float64).alias("ncv_mj_per_kg"),
        pl.col("density_kg_per_m3").cast(pl.Float64),
        pl.col("co2_kg_per_tj").cast(pl.Float64),
        pl.col("ch4_kg_per_tj").cast(pl.Float64).fill_null(0.0),
        pl.col("n2o_kg_per_tj").cast(pl.Float64).fill_null(0.0),
        _as_bool(pl.col("biogenic")).fill_null(False).alias("biogenic"),
    )
    out = sources.join(fuels, on="fuel", how="left")
    return out.with_columns(
        pl.col("fuel").str.to_lowercase().str.contains(COAL_PATTERN).fill_null(False)
        .alias("is_coal")
    )


def _as_bool(expr: pl.Expr) -> pl.Expr:
    """`true/yes/1` (any case) or a boolean column → boolean."""
    text = expr.cast(pl.String).str.to_lowercase()
    return text.is_in(["true", "yes", "1", "y"])


def energy_mj(unit: pl.Expr, quantity: pl.Expr) -> pl.Expr:
    """Energy of a row [MJ] from its canonical quantity and unit (MJ, kg of fuel, m³ of fuel).

    Needs the fuel columns `ncv_mj_per_kg` [MJ/kg] and `density_kg_per_m3` [kg/m³]; null when
    the fuel has no factor for the unit given (e.g. electricity in kg). Only fuels burnt on
    site (scope 1) are converted: a tonne of purchased steam is not a tonne of its fuel.
    """
    unit = unit.cast(pl.String)
    burnt = pl.col("scope").cast(pl.String) == "1"
    return (
        pl.when(unit.is_in(["MJ", "mj"]))
        .then(quantity)
        .when(~burnt)
        .then(None)
        .when(unit == "kg")
        .then(quantity * pl.col("ncv_mj_per_kg"))
        .when(unit.is_in(["m3", "m³"]))
        .then(quantity * pl.col("density_kg_per_m3") * pl.col("ncv_mj_per_kg"))
        .otherwise(None)
    )


def energy_rows(energy: pl.LazyFrame, attributes: pl.DataFrame) -> pl.LazyFrame:
    """Energy input rows with `mj` and the per-row parts the aggregation sums [MJ]."""
    rows = lookup(energy, attributes, "source")
    mj = energy_mj(pl.col("unit_canonical"), pl.col("quantity_canonical").cast(pl.Float64))
    rows = rows.with_columns(mj.alias("mj")).with_columns(
        exact_units(pl.col("mj")).alias("_mj_units")
    )
    category = pl.col("category")
    mj = pl.col("mj")
    renewable = pl.col("renewable").fill_null(False) | is_in_ci(
        "instrument", RENEWABLE_INSTRUMENTS
    ).fill_null(False)
    thermal = category == "thermal"
    fossil = (
        thermal & pl.col("fuel").is_not_null() & ~pl.col("biogenic").fill_null(False)
        & ~pl.col("renewable").fill_null(False)
    )
    return rows.with_columns(
        # A row whose energy or category is unknown makes the year's totals unknown.
        (mj.is_null() | category.is_null()).cast(pl.UInt32).alias("_energy_bad"),
        # The parts of the energy as its exact-sum units (`units_part`): converted once.
        units_part(category == "electricity", "_mj_units").alias("_elec_mj"),
        units_part(thermal, "_mj_units").alias("_thermal_mj"),
        units_part(renewable, "_mj_units").alias("_renewable_mj"),
        (mj * pl.col("production_share").cast(pl.Float64).fill_null(1.0))
        .alias("_production_mj"),
        units_part(thermal & pl.col("is_coal"), "_mj_units").alias("_coal_mj"),
        units_part(fossil, "_mj_units").alias("_fossil_mj"),
        *quality_rows(),
    ).with_columns(  # the other parts are the energy or 0
        beyond_exact_sum("_energy_bad", ["mj", "_production_mj"])
    )


#: Energy columns summed per facility-year, and the matrix name of each sum.
ENERGY_SUMS: dict[str, str] = {
    "_mj_units": "energy_total_mj",
    "_elec_mj": "energy_electric_mj",
    "_thermal_mj": "energy_thermal_mj",
    "_renewable_mj": "energy_renewable_mj",
    "_production_mj": "_energy_production_mj",
    "_coal_mj": "_energy_coal_mj",
    "_fossil_mj": "_energy_fossil_mj",
}


def energy_aggs() -> list[pl.Expr]:
    """Per facility-year sums of the energy parts [MJ], bad-row count and quality."""
    return [
        pl.col("_energy_bad").sum().alias("_energy_bad"),
        # Exact-sum units already (`units_part`), but for the production share's energy.
        *[(exact_sum(c) if c == "_production_mj" else pl.col(c).sum()).alias(name)
          for c, name in ENERGY_SUMS.items()],
        *quality_aggs("energy"),
    ]


def energy_columns() -> list[pl.Expr]:
    """Shares [0–1] and intensities [MJ/pc, MJ/kg, MJ/unit] on the joined matrix.

    Intensities divide the energy used for production (`production_share` applied, empty =
    all) by the production volume; see docs/decisions/0003-vertical-intensity.md.
    """
    production = pl.col("_energy_production_mj")
    return [
        ratio(pl.col("energy_renewable_mj"), pl.col("energy_total_mj")).alias("renewable_share"),
        ratio(pl.col("_energy_coal_mj"), pl.col("energy_thermal_mj")).alias("coal_share_thermal"),
        ratio(pl.col("_energy_fossil_mj"), pl.col("energy_thermal_mj"))
        .alias("fossil_share_thermal"),
        ratio(production, pl.col("production_volume_pcs")).alias("energy_intensity_mj_per_pc"),
        ratio(production, pl.col("production_volume_kg")).alias("energy_intensity_mj_per_kg"),
        ratio(production, pl.col("_production_volume_unit")).alias("energy_intensity_mj_per_unit"),
    ]
