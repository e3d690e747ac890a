"""Stand-in generator of ingested tables (contracts §2), used only when `factory_journey.demo`
is not importable. Vectorised numpy: 1,000,000 facility-years in a few seconds.

Shape per facility-year: energy 12 months × 3 sources, water 12 months, wastewater 12
months, waste 4 annual streams, chemicals 12 months, ems 7 areas, air 2 sources, and for 30 %
of facility-years one discharged ZDHC sample of 8 parameters.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def _pick(name: str, values: list[str | None], index: np.ndarray) -> pl.Series:
    """values[index] as a polars String series (fast gather, no numpy unicode arrays)."""
    return pl.Series(name, values, pl.String)[index]


def _repeat(frame: pl.DataFrame, times: int) -> tuple[pl.DataFrame, np.ndarray]:
    index = np.repeat(np.arange(frame.height), times)
    return frame[index], np.tile(np.arange(times), frame.height)

def _provenance(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(f"{table}.csv").alias("_file"),
        pl.lit(None, dtype=pl.String).alias("_sheet"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("_row"),
        pl.lit("self-reported").alias("verification_status"),
    )

def _quantity(frame: pl.DataFrame, values: np.ndarray, unit: str, canonical: str,
              factor: float) -> pl.DataFrame:
    return frame.with_columns(
        pl.Series("quantity", values),
        pl.lit(unit).alias("unit"),
        pl.Series("quantity_reported", values),
        pl.lit(unit).alias("unit_reported"),
        pl.Series("quantity_canonical", values * factor),
        pl.lit(canonical).alias("unit_canonical"),
    )

def generate(facility_years: int, seed: int = 1) -> dict[str, pl.DataFrame]:
    """Tables for `facility_years` facility-years (5 years per facility)."""
    rng = np.random.default_rng(seed)
    years = 5
    facilities = max(1, facility_years // years)
    n = facilities * years
    ids = np.repeat(np.arange(facilities), years)
    fid = pl.Series("facility_id", np.arange(facilities)).cast(pl.String).str.zfill(7)
    fid = ("F" + fid)[ids].alias("facility_id")
    year = pl.Series("year", np.tile(np.arange(2019, 2019 + years), facilities), pl.Int64)
    kind_index = rng.integers(0, 4, n)
    kinds = _pick("journey_factory_type", ["cut_sew", "mill", "vertical", "component"],
                  kind_index)
    types = _pick("facility_types", ["finalProductAssembly", "materialProduction",
                                     "finalProductAssembly;materialProduction",
                                     "hardComponentTrimProduction"], kind_index)
    keys = pl.DataFrame([fid, year])
    profiles = keys.with_columns(
        kinds,
        types.str.split(";"),
        pl.lit("BD").alias("country_iso2"),
        pl.lit("BGD").alias("country_iso3"),
        pl.Series("production_volume_finalProductAssembly", rng.lognormal(14, 0.5, n)),
        pl.Series("production_volume_materialProduction", rng.lognormal(15, 0.5, n)),
        pl.Series("production_volume_hardComponentTrimProduction", rng.lognormal(15, 0.5, n)),
    )
    out: dict[str, pl.DataFrame] = {"profiles": _provenance(profiles, "profiles")}

    base, month = _repeat(keys, 36)
    kind = month % 3
    energy = base.with_columns(
        pl.Series("month", month // 3 + 1, pl.Int64),
        _pick("source", ["purchased_electricity", "natural_gas", "coal"], kind),
    )
    quantity = rng.lognormal(8, 1, energy.height)
    energy = energy.with_columns(
        pl.Series("quantity", quantity),
        _pick("unit", ["kWh", "Nm3", "t"], kind),
        _pick("unit_canonical", ["MJ", "m3", "kg"], kind),
        pl.Series("_factor", [3.6, 1.0, 1000.0])[kind],
    ).with_columns(
        pl.col("quantity").alias("quantity_reported"),
        pl.col("unit").alias("unit_reported"),
        (pl.col("quantity") * pl.col("_factor")).alias("quantity_canonical"),
        pl.lit(None, dtype=pl.Float64).alias("production_share"),
        pl.lit(None, dtype=pl.String).alias("instrument"),
        pl.lit(None, dtype=pl.Float64).alias("market_factor_kgco2e_per_kwh"),
    ).drop("_factor")
    out["energy"] = _provenance(energy, "energy")

    base, month = _repeat(keys, 12)
    water = _quantity(base.with_columns(pl.Series("month", month + 1, pl.Int64),
                                        pl.lit("municipal").alias("source"),
                                        pl.lit("withdrawal").alias("flow")),
                      rng.lognormal(7, 1, base.height), "m3", "m3", 1.0)
    out["water"] = _provenance(water, "water")
    wastewater = _quantity(base.with_columns(pl.Series("month", month + 1, pl.Int64),
                                             pl.lit("industrial").alias("wastewater_type"),
                                             pl.lit(0.1).alias("recycled_share")),
                           rng.lognormal(7, 1, base.height), "m3", "m3", 1.0)
    out["wastewater"] = _provenance(wastewater, "wastewater")

    base, stream = _repeat(keys, 4)
    waste = _quantity(
        base.with_columns(
            pl.lit(None, dtype=pl.Int64).alias("month"),
            _pick("stream", ["fabric", "packaging", "sludge", "chemical"], stream),
            pl.Series("hazardous", stream >= 2),
            _pick("disposal_method", ["recycling", "landfill", "incineration", "co_processing"],
                  stream),
        ),
        rng.lognormal(2, 1, base.height), "short ton", "kg", 907.18474,
    )
    out["waste"] = _provenance(waste, "waste")

    base, month = _repeat(keys, 12)
    products = rng.integers(20, 200, base.height)
    out["chemicals"] = _provenance(base.with_columns(
        pl.Series("month", month + 1, pl.Int64),
        pl.Series("products_in_inventory", products, pl.Int64),
        pl.Series("products_on_gateway", products // 2, pl.Int64),
        pl.Series("mrsl_level_1", products // 4, pl.Int64),
        pl.Series("mrsl_level_2", products // 8, pl.Int64),
        pl.Series("mrsl_level_3", products // 16, pl.Int64),
        pl.Series("incheck_verified", month % 2 == 0),
        pl.lit(1, dtype=pl.Int64).alias("supplier_to_zero_level"),
    ), "chemicals")

    base, area = _repeat(keys, 7)
    areas: list[str | None] = ["ems", "energy", "water", "wastewater", "waste", "air", "chemicals"]
    flags = rng.random((4, base.height)) < 0.6
    out["ems"] = _provenance(base.with_columns(
        _pick("area", areas, area),
        pl.Series("has_policy", flags[0]), pl.Series("has_management_system", flags[1]),
        pl.Series("has_baseline", flags[2]), pl.Series("has_target", flags[3]),
        pl.Series("tracks_progress", flags[2] & flags[3]),
    ), "ems")

    base, source = _repeat(keys, 2)
    out["air"] = _provenance(base.with_columns(
        _pick("source_name", ["Boiler 1", "Chiller 1"], source),
        _pick("source_type", ["point", "fugitive"], source),
        pl.Series("tracked", source == 0),
        _pick("refrigerant", [None, "r410a"], source),
        pl.Series("refrigerant_recharge_kg", np.where(source == 1, 2.0, np.nan)).fill_nan(None),
    ), "air")

    tested = keys.filter(pl.Series(rng.random(n) < 0.3))
    base, parameter = _repeat(tested, 8)
    names: list[str | None] = ["cod", "bod5", "tss", "ph", "total_nitrogen", "copper", "zinc",
                               "sulfide"]
    units_z: list[str | None] = ["mg/L"] * 3 + ["pH"] + ["mg/L"] * 4
    out["zdhc_wastewater"] = _provenance(base.with_columns(
        _pick("parameter", names, parameter),
        pl.Series("value", rng.lognormal(0, 1, base.height)),
        _pick("unit", units_z, parameter),
        pl.lit("direct").alias("discharge_type"),
        pl.lit("discharged").alias("sampling_point"),
        (pl.col("year").cast(pl.String) + "-06-15").str.to_date().alias("sample_date"),
    ), "zdhc_wastewater")
    return out
