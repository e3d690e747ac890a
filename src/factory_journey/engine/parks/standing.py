"""How the members and shared facilities of a park stand: assessed or not, their high and low
opportunities per area (from the ordinary assessment), and their ZDHC discharge status.

Discharge status (as ZDHC's public portal colours it, issue #17): `green` when every parameter
of the latest discharged sample of the year passes the foundational limit, `yellow` when one
fails and a corrective action plan is filed (`zdhc_cap_filed`), `red` when one fails without,
`not_tested` without a discharged sample in the year.
"""

from __future__ import annotations

import polars as pl

AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "chemicals", "ems", "waste", "air")

STANDING_UNITS: dict[str, str] = {
    "members": "count", "members_assessed": "count", "shared_facilities": "count",
    "central_plant_zdhc_pass": "0/1", "has_central_effluent_plant": "0/1",
}

CENTRAL_PLANT = "central_effluent_treatment"


def zdhc_status(tested: pl.Expr, failing: pl.Expr, cap: pl.Expr) -> pl.Expr:
    """green / yellow / red / not_tested from the matrix's ZDHC counts and the CAP flag."""
    return (pl.when(tested.fill_null(0) == 0).then(pl.lit("not_tested"))
            .when(failing.fill_null(0) == 0).then(pl.lit("green"))
            .when(cap.fill_null(False)).then(pl.lit("yellow"))
            .otherwise(pl.lit("red")))


def _matrix_cols(matrix: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    have = set(matrix.columns)
    return matrix.select("facility_id", "year", *[
        pl.col(n) if n in have else pl.lit(None).alias(n) for n in names])


def _to_central_plant(members: pl.DataFrame, shared_facilities: pl.DataFrame | None,
                      wastewater: pl.DataFrame | None) -> pl.DataFrame:
    """Each member-year's wastewater metered at a central effluent plant of its park [m³]."""
    keys = members.select("facility_id", "year").unique()
    if shared_facilities is None or wastewater is None or wastewater.is_empty() \
            or "quantity_canonical" not in wastewater.columns:
        return keys.with_columns(pl.lit(None, pl.Float64).alias("wastewater_to_central_m3"))
    plants = shared_facilities.filter(pl.col("type") == CENTRAL_PLANT).select(
        pl.col("shared_facility_id").alias("_plant"), "year")
    metered = (wastewater.filter(pl.col("member_facility_id").is_not_null())
               .join(plants, left_on=["facility_id", "year"], right_on=["_plant", "year"],
                     how="semi")
               .group_by(pl.col("member_facility_id").alias("facility_id"), "year")
               .agg(pl.col("quantity_canonical").sum().alias("wastewater_to_central_m3")))
    return keys.join(metered, on=["facility_id", "year"], how="left")


def member_levels(members: pl.DataFrame, opportunities: pl.DataFrame) -> pl.DataFrame:
    """One row per member-year, one column per area holding its opportunity level (the
    assessment's long frame made wide once; both the standing and the counts read it)."""
    wide = _area_blocks(opportunities)
    if wide is None:  # not in the assessment's block layout: pivot (same frame, slower)
        wide = (opportunities.select("facility_id", "year", pl.col("area").cast(pl.String),
                                     pl.col("opportunity_level").cast(pl.String))
                .pivot(on="area", index=["facility_id", "year"], values="opportunity_level"))
    return wide.join(members.select("facility_id", "year").unique(), on=["facility_id", "year"],
                     how="semi", maintain_order="left")


def _area_blocks(opportunities: pl.DataFrame) -> pl.DataFrame | None:
    """The opportunities made wide without a pivot, or None when they are not laid out as
    `assess` writes them: area-major, every area's block holding the same facility-years in
    the same order (checked here, block by block). At 150,000 facility-years × 7 areas this is
    a few slices instead of a pivot of 1,050,000 rows."""
    areas = opportunities["area"].unique(maintain_order=True)
    height = opportunities.height // max(len(areas), 1)
    if areas.is_empty() or height * len(areas) != opportunities.height:
        return None
    keys = opportunities.slice(0, height).select("facility_id", "year")
    levels = []
    for index, area in enumerate(areas.cast(pl.String)):
        block = opportunities.slice(index * height, height)
        if area is None or not (block["area"].cast(pl.String) == area).all() \
                or not block.select("facility_id", "year").equals(keys):
            return None
        levels.append(block["opportunity_level"].cast(pl.String).alias(area))
    return keys.with_columns(levels)


def _areas(levels: pl.DataFrame) -> list[str]:
    return sorted(a for a in levels.columns if a not in ("facility_id", "year"))


def member_standing(
    members: pl.DataFrame, matrix: pl.DataFrame, levels: pl.DataFrame,
    shared_facilities: pl.DataFrame | None = None, wastewater: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per park × year × member (docs/park-data-format.md, park_members output).

    levels: `member_levels`; shared_facilities and wastewater (the shared facilities'
    wastewater rows) give each member's `wastewater_to_central_m3`; the matrix must carry
    `_employees` for `employees`."""
    # the areas of each level joined in area order (horizontal expressions: no sort, no explode)
    areas = _areas(levels)
    levels = levels.select("facility_id", "year", *[
        pl.concat_str([pl.when(pl.col(a) == level).then(pl.lit(a)) for a in areas],
                      separator=";", ignore_nulls=True).alias(f"{name}_areas")
        for level, name in (("high", "high"), ("low", "low"), ("not_assessed", "not_assessed"))
    ])
    facts = _matrix_cols(matrix, ["facility_name", "journey_factory_type",
                                  "zdhc_parameters_tested", "zdhc_parameters_failing_foundational",
                                  "energy_total_mj", "water_withdrawal_m3", "wastewater_m3",
                                  "ghg_kgco2e", "_employees"])
    out = (members.select("park_id", "year", "facility_id", "os_id", "zdhc_cap_filed")
           .join(facts, on=["facility_id", "year"], how="left")
           .join(levels, on=["facility_id", "year"], how="left")
           .join(_to_central_plant(members, shared_facilities, wastewater),
                 on=["facility_id", "year"], how="left")
           .with_columns(
               ((pl.col("high_areas").fill_null("") != "")
                | (pl.col("low_areas").fill_null("") != "")).alias("assessed"),
               zdhc_status(pl.col("zdhc_parameters_tested"),
                           pl.col("zdhc_parameters_failing_foundational"),
                           pl.col("zdhc_cap_filed")).alias("zdhc_status")))
    return out.select(
        "park_id", "year", "facility_id", "facility_name", "os_id",
        pl.col("journey_factory_type").cast(pl.String), "assessed", "high_areas", "low_areas",
        "not_assessed_areas", "zdhc_status", "zdhc_parameters_failing_foundational",
        "energy_total_mj", "water_withdrawal_m3", "wastewater_m3", "ghg_kgco2e",
        pl.col("_employees").cast(pl.Float64).alias("employees"), "wastewater_to_central_m3",
    ).sort("park_id", "year", "facility_id")


def park_opportunities(members: pl.DataFrame, levels: pl.DataFrame) -> pl.DataFrame:
    """Members per park-year and area by opportunity level (high, low, not_assessed)."""
    names = ("high", "low", "not_assessed")
    joined = members.select("park_id", "year", "facility_id").join(
        levels, on=["facility_id", "year"], how="inner")
    counts = joined.group_by("park_id", "year").agg(
        *[(pl.col(a) == level).sum().cast(pl.Int64).alias(f"{a}|{level}")
          for a in _areas(levels) for level in names])
    long = pl.concat([counts.select("park_id", "year", pl.lit(a).alias("area"),
                                    *[pl.col(f"{a}|{n}").alias(n) for n in names])
                      for a in _areas(levels)]) if _areas(levels) else pl.DataFrame(
        schema={"park_id": pl.String, "year": pl.Int64, "area": pl.String}
        | dict.fromkeys(names, pl.Int64))
    sizes = members.group_by("park_id", "year").agg(pl.len().cast(pl.Int64).alias("members"))
    return long.join(sizes, on=["park_id", "year"], how="left").sort("park_id", "year", "area")


def shared_standing(
    shared_facilities: pl.DataFrame, shared_matrix: pl.DataFrame | None,
    metered: dict[str, pl.DataFrame],
) -> pl.DataFrame:
    """One row per park × year × shared facility: its own figures, the members' flows metered
    there (m³ of wastewater and water, MJ of energy as given in canonical units) and its ZDHC
    status."""
    base = shared_facilities.select(
        "park_id", "year", "shared_facility_id", "name", "type",
        pl.col("serves").fill_null("not_allocated"),
        pl.concat_str([pl.col("delivers_energy_source"), pl.col("delivers_water_source")],
                      separator=";", ignore_nulls=True).alias("delivers"),
        "zdhc_cap_filed")
    cols = ["energy_total_mj", "ghg_kgco2e", "water_withdrawal_m3", "wastewater_m3",
            "zdhc_parameters_tested", "zdhc_parameters_failing_foundational"]
    if shared_matrix is not None and shared_matrix.height:
        facts = _matrix_cols(shared_matrix, cols).rename({"facility_id": "shared_facility_id"})
    else:
        facts = pl.DataFrame(schema={"shared_facility_id": pl.String, "year": pl.Int64}
                             | {c: pl.Float64 for c in cols})
    out = base.join(facts, on=["shared_facility_id", "year"], how="left")
    for table, name in (("wastewater", "member_flows_wastewater_m3"),
                        ("energy", "member_flows_energy_mj"),
                        ("water", "member_flows_water_m3")):
        frame = metered.get(table)
        if frame is None or "quantity_canonical" not in frame.columns:
            out = out.with_columns(pl.lit(None, pl.Float64).alias(name))
            continue
        sums = (frame.filter(pl.col("member_facility_id").is_not_null())
                .group_by(pl.col("facility_id").alias("shared_facility_id"), "year")
                .agg(pl.col("quantity_canonical").sum().alias(name)))
        out = out.join(sums, on=["shared_facility_id", "year"], how="left")
    return out.with_columns(
        zdhc_status(pl.col("zdhc_parameters_tested"),
                    pl.col("zdhc_parameters_failing_foundational"),
                    pl.col("zdhc_cap_filed")).alias("zdhc_status")
    ).drop("zdhc_cap_filed", "zdhc_parameters_tested").sort("park_id", "year",
                                                             "shared_facility_id")


def park_standing(
    standing: pl.DataFrame, shared: pl.DataFrame, opportunities_by_area: pl.DataFrame
) -> pl.DataFrame:
    """Count and share indicators per park-year (park_id, year, one column each)."""
    members = standing.group_by("park_id", "year").agg(
        pl.len().cast(pl.Float64).alias("members"),
        pl.col("assessed").sum().cast(pl.Float64).alias("members_assessed"),
        (pl.col("zdhc_status") != "not_tested").sum().cast(pl.Float64).alias("_tested"),
        (pl.col("zdhc_status") == "green").sum().cast(pl.Float64).alias("_green"),
    ).with_columns(
        (pl.col("members_assessed") / pl.col("members")).alias("members_assessed_share"),
        (pl.col("_tested") / pl.col("members")).alias("members_zdhc_tested_share"),
        pl.when(pl.col("_tested") > 0).then(pl.col("_green") / pl.col("_tested"))
        .otherwise(None).alias("members_zdhc_green_share"),
    ).drop("_tested", "_green")
    plants = shared.group_by("park_id", "year").agg(
        pl.len().cast(pl.Float64).alias("shared_facilities"),
        (pl.col("type") == CENTRAL_PLANT).any().cast(pl.Float64)
        .alias("has_central_effluent_plant"),
        pl.col("zdhc_status").filter((pl.col("type") == CENTRAL_PLANT)
                                     & (pl.col("zdhc_status") != "not_tested")).alias("_st"),
    ).with_columns(
        pl.when(pl.col("_st").list.len() == 0).then(None)
        .when(pl.col("_st").list.eval(pl.element() == "green").list.all()).then(1.0)
        .otherwise(0.0).alias("central_plant_zdhc_pass")
    ).drop("_st")
    high = opportunities_by_area.with_columns(
        pl.when((pl.col("high") + pl.col("low")) > 0)
        .then(pl.col("high") / (pl.col("high") + pl.col("low"))).otherwise(None)
        .alias("share"),
        pl.format("members_high_share_{}", "area").alias("indicator"),
    ).pivot(on="indicator", index=["park_id", "year"], values="share")
    years = pl.concat([members.select("park_id", "year"), plants.select("park_id", "year")]
                      ).unique()
    out = (years.join(members, on=["park_id", "year"], how="left")
           .join(plants, on=["park_id", "year"], how="left")
           .join(high, on=["park_id", "year"], how="left"))
    missing = [pl.lit(None, pl.Float64).alias(f"members_high_share_{a}") for a in AREAS
               if f"members_high_share_{a}" not in out.columns]
    return out.with_columns(
        *missing, pl.col("members").fill_null(0.0), pl.col("shared_facilities").fill_null(0.0),
        pl.col("has_central_effluent_plant").fill_null(0.0))
