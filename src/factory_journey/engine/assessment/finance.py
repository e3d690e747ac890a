"""Energy, water, carbon and money figures for the measures of the recommended pathway.

Savings are the catalogue's typical fractions (low, central = midpoint, high) of the facility's
own annual baseline from the Data Matrix. Carbon uses the facility's grid factor for
electricity and its average thermal factor (scope1_kgco2e / energy_thermal_mj) for fuel. Money
uses the prices given (per country, `*` as the default row). 1 kWh = 3.6 MJ exactly.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.catalogue import EFFECT_KEYS, Catalogue
from factory_journey.engine.assessment.plan import cached, with_shared_columns
from factory_journey.engine.assessment.prices import PRICE_COLUMNS

BASELINE_COLUMNS: tuple[str, ...] = (
    "energy_thermal_mj",
    "energy_electric_mj",
    "water_withdrawal_m3",
    "scope1_kgco2e",
    "grid_factor_kgco2e_per_kwh",
    "coal_share_thermal",
    "fossil_share_thermal",
)
MJ_PER_KWH = 3.6


def measure_table(catalogue: Catalogue) -> pl.DataFrame:
    """One row per measure: effect fractions (low, high), investment basis and range."""
    rows = []
    for m in catalogue.measures:
        row: dict[str, object] = {
            "measure": m.key,
            "measure_title": m.title,
            "measure_modules": ";".join(m.modules),
            "investment_basis": m.investment.basis,
            "_usd_lo": m.investment.usd[0],
            "_usd_hi": m.investment.usd[1],
            "_scale_by": m.scale_by,
            "_ept": m.electric_per_thermal,
            "savings_certainty": m.certainty,
            "savings_source": m.source,
        }
        for key in EFFECT_KEYS:
            low, high = m.effects.get(key, (0.0, 0.0))
            row[f"_f_{key}_lo"], row[f"_f_{key}_hi"] = float(low), float(high)
        rows.append(row)
    table = pl.DataFrame(rows, infer_schema_length=None)
    # The catalogue's texts as Enums (alphabetical): the measures frame takes them by a join,
    # and Parquet writes an Enum from its codes, not each row's text again (decision 0056).
    return table.cast({name: pl.Enum(sorted(set(table[name].drop_nulls().to_list())))
                       for name in _CATALOGUE_TEXTS if table.schema.get(name) == pl.String})


#: Texts of a measure that the measures frame repeats on every row of the measure.
_CATALOGUE_TEXTS = ("measure_title", "measure_modules", "investment_basis", "savings_certainty",
                    "savings_source")


def join_prices(frame: pl.DataFrame, prices: pl.DataFrame) -> pl.DataFrame:
    """Add price columns by `country_iso2`, falling back to the `*` row [USD per unit]."""
    default = prices.filter(pl.col("country_iso2") == "*")
    fallback = (f"{default.row(0, named=True)['price_source']}, world default"
                if default.height else None)
    # `price_source` as an Enum of the table's sources (see `measure_table`).
    sources = {*prices["price_source"].drop_nulls().cast(pl.String).to_list(), fallback} - {None}
    source = pl.Enum(sorted(str(s) for s in sources))
    by_country = prices.filter(pl.col("country_iso2") != "*").select(
        "country_iso2", *PRICE_COLUMNS, pl.col("price_source").cast(pl.String).cast(source)
    )
    frame = frame.join(by_country, on="country_iso2", how="left", maintain_order="left")
    if default.height:
        row = default.row(0, named=True)
        frame = frame.with_columns(
            [pl.col(c).fill_null(float(row[c])) for c in PRICE_COLUMNS]
            + [pl.col("price_source").fill_null(pl.lit(fallback, source))]
        )
    return frame


def _part(fraction: pl.Expr, base: pl.Expr) -> pl.Expr:
    # A measure without this effect contributes 0 even where the baseline is unknown.
    return pl.when(fraction == 0).then(0.0).otherwise(fraction * base)


def _figures(which: str) -> dict[str, pl.Expr]:
    """Savings for effect fractions `which` (`lo`, `mid` or `hi`) [MJ, kWh, m3, kgCO2e, USD]."""

    def f(key: str) -> pl.Expr:
        return pl.col(f"_f_{key}_{which}")

    thermal = pl.col("energy_thermal_mj")
    electric = pl.col("energy_electric_mj")
    scale = pl.col("_scale_value")
    thermal_saved = _part(f("thermal_energy"), thermal)
    electric_saved = _part(f("electric_energy"), electric)
    substituted_kwh = _part(f("grid_electricity_substituted"), electric / MJ_PER_KWH)
    electrified = _part(f("thermal_electrified"), thermal)
    added_electric = electrified * pl.col("_ept")
    scope1_cut = _part(f("scope1") * scale, pl.col("scope1_kgco2e"))
    water = _part(f("water"), pl.col("water_withdrawal_m3"))
    thermal_factor = pl.when(thermal > 0).then(pl.col("scope1_kgco2e") / thermal).otherwise(0.0)
    grid = pl.col("grid_factor_kgco2e_per_kwh")
    grid_kwh_saved = electric_saved / MJ_PER_KWH + substituted_kwh - added_electric / MJ_PER_KWH
    fuel_gj_saved = (thermal_saved + electrified) / 1000.0
    fuel_mj = thermal_saved + electrified
    return {
        "energy_saved_mj": thermal_saved + electric_saved + electrified - added_electric,
        "electricity_saved_kwh": grid_kwh_saved,
        "water_saved_m3": water,
        "co2e_saved_kgco2e": pl.when(fuel_mj == 0).then(0.0).otherwise(fuel_mj * thermal_factor)
        + pl.when(grid_kwh_saved == 0).then(0.0).otherwise(grid_kwh_saved * grid)
        + scope1_cut,
        "money_saved_usd": fuel_gj_saved * pl.col("thermal_fuel_usd_per_gj")
        + grid_kwh_saved * pl.col("electricity_usd_per_kwh")
        + water * pl.col("water_usd_per_m3"),
        "_switched_gj": (
            electrified + pl.when(f("scope1") == 0).then(0.0).otherwise(thermal * scale)
        )
        / 1000.0,
        "_saved_gj": (thermal_saved + electric_saved) / 1000.0,
        "_substituted_kwh": substituted_kwh,
    }


def _investment(quantities: dict[str, pl.Expr], usd: pl.Expr) -> pl.Expr:
    basis = pl.col("investment_basis")
    return (
        pl.when(basis == "facility")
        .then(usd)
        .when(basis == "energy_gj")
        .then(usd * quantities["_saved_gj"])
        .when(basis == "switched_gj")
        .then(usd * quantities["_switched_gj"])
        .when(basis == "electricity_kwh")
        .then(usd * quantities["_substituted_kwh"])
        .when(basis == "water_m3")
        .then(usd * quantities["water_saved_m3"])
    )


def measure_finance(
    steps: pl.DataFrame, catalogue: Catalogue, prices: pl.DataFrame
) -> pl.DataFrame:
    """One row per facility-year × measure of `steps` (which hold KEYS, area, measures, the
    baseline columns and country_iso2), with savings, investment and simple payback."""
    table = cached("measure_table", (catalogue,), frozenset(), lambda: measure_table(catalogue))
    # The rank is the position in the step's list, exploded with it: no window over keys.
    listed = pl.col("measures").str.split(";")
    long = (
        steps.with_columns(
            listed.alias("measure"),
            pl.int_ranges(1, listed.list.len() + 1, dtype=pl.Int8).alias("measure_rank"),
        )
        .drop("measures")
        .explode("measure", "measure_rank")
        .join(table, on="measure", how="left", maintain_order="left")
    )
    long = join_prices(long, prices)
    prepare, figures = cached(
        "finance", (catalogue,), frozenset(), lambda: _finance_exprs(catalogue)
    )
    # low, central and high figures share most of their terms (see with_shared_columns)
    long = with_shared_columns(long.with_columns(prepare), figures)
    return long.drop([c for c in long.columns if c.startswith("_")])


def _finance_exprs(catalogue: Catalogue) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """(mid fractions and scale, the savings/investment/payback columns) of `measure_finance`;
    built once per catalogue (see plan.cached)."""
    scale_value = pl.lit(1.0)
    for column in sorted({m.scale_by for m in catalogue.measures if m.scale_by}):
        scale_value = (
            pl.when(pl.col("_scale_by") == column)
            .then(pl.col(column).cast(pl.Float64))
            .otherwise(scale_value)
        )
    mids = [
        ((pl.col(f"_f_{k}_lo") + pl.col(f"_f_{k}_hi")) / 2.0).alias(f"_f_{k}_mid")
        for k in EFFECT_KEYS
    ]
    central = _figures("mid")
    low, high = _figures("lo"), _figures("hi")
    usd_mid = (pl.col("_usd_lo") + pl.col("_usd_hi")) / 2.0
    money = central["money_saved_usd"]
    investment = _investment(central, usd_mid)
    figures = [
        *[expr.alias(name) for name, expr in central.items() if not name.startswith("_")],
        low["money_saved_usd"].alias("money_saved_usd_low"),
        high["money_saved_usd"].alias("money_saved_usd_high"),
        low["co2e_saved_kgco2e"].alias("co2e_saved_kgco2e_low"),
        high["co2e_saved_kgco2e"].alias("co2e_saved_kgco2e_high"),
        investment.alias("investment_usd"),
        _investment(central, pl.col("_usd_lo")).alias("investment_usd_low"),
        _investment(central, pl.col("_usd_hi")).alias("investment_usd_high"),
        # Simple payback only where the measure pays for itself in money at all.
        pl.when(money > 0).then(investment / money).alias("simple_payback_years"),
    ]
    return [*mids, scale_value.alias("_scale_value")], figures
