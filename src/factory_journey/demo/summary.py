"""What a generated dataset shows: participants-versus-control effects and headline shares.

A deliberately simple, independent reading of the raw tables (not the matrix engine): annual
energy in MJ (the generator's own units and calorific values), water withdrawal in m³, divided
by the production volume of the profile (kg for mills and vertical factories, pieces
otherwise); chemical management = share of InCheck products on the ZDHC Gateway. It lets tests
and `tools/make_pilot_dataset.py` check that the effects built into the generator show up in
the data, as the seed's headline shares (61 % energy, 77 % water, 20 % chemicals) did.
"""

from __future__ import annotations

import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo.keys import pick
from factory_journey.domain.fem_enums import fold

PRODVOL = "sipfacilityannualprodvol"

#: Minimum gain in Gateway share (points of 0–1) that counts as improved chemical management.
CHEMICAL_GAIN = 0.10


def _energy_mj_per_unit() -> pl.DataFrame:
    rows = []
    for candidates, options in zip(P.ENERGY_SOURCE_CANDIDATES, P.ENERGY_UNITS, strict=True):
        source = pick("fem_energy_sources.csv", *candidates)
        for unit, _, mj, _ in options:
            rows.append((source, unit, mj))
    return pl.DataFrame(rows, schema=["source", "unit", "mj_per_unit"], orient="row")


_PC_FACTOR = {"pcs": 1.0, "pieces": 1.0, "dozen": 12.0, "pairs": 1.0}
_KG_FACTOR = {"kg": 1.0, "t": 1000.0, "lb": 0.45359237}


def production(profiles: pl.DataFrame) -> pl.DataFrame:
    """facility_id, year, basis (`kg` or `pc`), volume in that basis (null when not given)."""
    kg_expr = []
    pc_expr = []
    for column in profiles.columns:
        if not column.startswith(PRODVOL + "_") or column.endswith("_unit"):
            continue
        unit = pl.col(column + "_unit").fill_null("")
        if fold(column).endswith(("materialproduction", "printingproductdyeingandlaundering")):
            kg_expr.append(pl.col(column) * unit.replace_strict(_KG_FACTOR, default=1.0))
        else:
            pc_expr.append(pl.col(column) * unit.replace_strict(_PC_FACTOR, default=1.0))
    kg = pl.sum_horizontal(kg_expr) if kg_expr else pl.lit(0.0)
    pc = pl.sum_horizontal(pc_expr) if pc_expr else pl.lit(0.0)
    wet = pl.col("sipfacilitytype").str.contains("materialProduction|printingProduct")
    missing = pl.all_horizontal([pl.col(c).is_null() for c in profiles.columns
                                 if c.startswith(PRODVOL + "_") and not c.endswith("_unit")])
    return profiles.select(
        "facility_id", "year",
        pl.when(wet).then(pl.lit("kg")).otherwise(pl.lit("pc")).alias("basis"),
        pl.when(missing).then(None).when(wet).then(kg).otherwise(pc).alias("volume"),
    )


def intensities(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per facility-year: energy MJ, water m³, production, intensities, Gateway share."""
    prod = production(tables["profiles"])
    energy = (
        tables["energy"].join(_energy_mj_per_unit(), on=["source", "unit"], how="left")
        .group_by("facility_id", "year")
        .agg((pl.col("quantity") * pl.col("mj_per_unit")).sum().alias("energy_mj"),
             pl.col("month").n_unique().alias("energy_months"))
    )
    water = (
        tables["water"].filter(pl.col("flow") == "withdrawal")
        .group_by("facility_id", "year")
        .agg(pl.col("quantity").sum().alias("water_m3"),
             pl.col("month").n_unique().alias("water_months"))
    )
    chem = (
        tables["chemicals"].group_by("facility_id", "year")
        .agg((pl.col("products_on_gateway").sum() / pl.col("products_in_inventory").sum())
             .alias("gateway_share"))
    )
    return (
        prod.join(energy, on=["facility_id", "year"], how="left")
        .join(water, on=["facility_id", "year"], how="left")
        .join(chem, on=["facility_id", "year"], how="left")
        .with_columns(
            (pl.col("energy_mj") / pl.col("volume")).alias("energy_intensity"),
            (pl.col("water_m3") * 1000 / pl.col("volume")).alias("water_intensity_l"),
        )
        .sort("facility_id", "year")
    )


def improvements(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per facility: first-to-last-year change of energy and water intensity and Gateway share,
    and whether each improved. Cohort comes from the programmes table."""
    data = intensities(tables)
    first, last = data["year"].min(), data["year"].max()
    clp = pick("programmes.csv", "clp")
    stz = pick("programmes.csv", "stz")
    prog = tables["programmes"].group_by("facility_id").agg(
        pl.col("programme").eq(clp).any().alias("clp"),
        pl.col("programme").eq(stz).any().alias("stz"),
    )
    a = data.filter(pl.col("year") == first).drop("year")
    b = data.filter(pl.col("year") == last).drop("year")
    both = a.join(b, on="facility_id", suffix="_last")
    both = both.join(prog, on="facility_id", how="left").with_columns(
        pl.col("clp").fill_null(False), pl.col("stz").fill_null(False)
    )
    return both.select(
        "facility_id", "clp", "stz",
        (pl.col("energy_intensity_last") / pl.col("energy_intensity") - 1).alias("energy_change"),
        (pl.col("water_intensity_l_last") / pl.col("water_intensity_l") - 1).alias("water_change"),
        (pl.col("gateway_share_last") - pl.col("gateway_share")).alias("gateway_change"),
    ).with_columns(
        (pl.col("energy_change") < 0).alias("energy_improved"),
        (pl.col("water_change") < 0).alias("water_improved"),
        (pl.col("gateway_change") >= CHEMICAL_GAIN).fill_null(False).alias("chemicals_improved"),
    )


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def headline(tables: dict[str, pl.DataFrame]) -> dict[str, float]:
    """Shares of facilities that improved (of those with both years computable; chemicals of
    all facilities), and median changes of participants and the control group (medians: a
    slipped decimal in one month must not decide a cohort's figure)."""
    imp = improvements(tables)
    n_all = tables["profiles"]["facility_id"].n_unique()

    energy = imp.filter(pl.col("energy_change").is_not_null())
    water = imp.filter(pl.col("water_change").is_not_null())
    out = {
        "facilities": float(n_all),
        "energy_improved_share": _num(energy["energy_improved"].mean()),
        "water_improved_share": _num(water["water_improved"].mean()),
        "chemicals_improved_share": float(imp["chemicals_improved"].sum()) / n_all,
    }
    for group, expr in (("clp", pl.col("clp")), ("control", ~pl.col("clp") & ~pl.col("stz")),
                        ("stz", pl.col("stz"))):
        sub = imp.filter(expr)
        out[f"{group}_energy_change_median"] = _num(sub["energy_change"].median())
        out[f"{group}_water_change_median"] = _num(sub["water_change"].median())
        out[f"{group}_gateway_change_median"] = _num(sub["gateway_change"].median())
    return out
