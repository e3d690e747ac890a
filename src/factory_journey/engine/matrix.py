"""The Data Matrix: one row per facility-year, one column per indicator of the catalogue.

`build_matrix` takes the ingested tables (contracts §2) and returns the matrix (contracts §3).
Each area aggregates its input rows in one vectorised group-by over (facility_id, year); the
areas are then left-joined onto the facility-years of the profiles, and the ratios computed on
the joined frame. A single facility goes through exactly the same plan as a million.

Nulls: an area without input rows leaves its columns null (never 0); a ratio with a null or
zero denominator is null; a total with an input row that cannot be converted is null.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version

import polars as pl

from factory_journey.engine import (
    air,
    chemicals,
    ems,
    energy,
    ghg,
    quality,
    waste,
    wastewater,
    water,
    zdhc,
)
from factory_journey.engine.catalogue import catalogue_version, matrix_columns
from factory_journey.engine.exprs import KEYS, collect, exact_totals_of, unknown_if
from factory_journey.engine.facilities import facility_keys, keys_from_tables, programmes_active
from factory_journey.engine.provenance import PROVENANCE_SCHEMA, provenance_frame
from factory_journey.engine.refdata import EngineReference, default_reference

#: Above this many input rows, provenance is not collected unless asked for.
PROVENANCE_AUTO_LIMIT = 2_000_000

ZDHC_LEVELS_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "facility_id": pl.String,
    "year": pl.Int64,
    "sample_date": pl.Date,
    "parameter": pl.String,
    "kind": zdhc.KIND_DTYPE,
    "value": pl.Float64,
    "unit": pl.String,
    "level": zdhc.LEVEL_DTYPE,
}


@dataclass(frozen=True)
class MatrixResult:
    """What `build_matrix` returns.

    - `matrix`: wide, one row per facility_id × year, columns = the indicator catalogue.
    - `zdhc_levels`: long, the graded parameters of each facility-year's latest discharged
      sample (facility_id, year, sample_date, parameter, kind, value, unit, level).
    - `provenance`: long, one row per input row (facility_id, year, indicator = area, table,
      ref_id, _file, _sheet, _row, verification_status, unit_reported); empty when
      `provenance_included` is false.
    - `versions`: reference files, catalogue, GWP vintage, grid vintage and engine version.
    """

    matrix: pl.DataFrame
    zdhc_levels: pl.DataFrame
    provenance: pl.DataFrame
    versions: dict[str, str] = field(default_factory=dict)
    provenance_included: bool = True


def _engine_version() -> str:
    try:
        return version("factory-journey")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _with_year(table: str, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Key columns typed alike in every table; ZDHC results get the year of their sample."""
    schema = frame.collect_schema()
    if table == "zdhc_wastewater" and "year" not in schema:
        frame = frame.with_columns(pl.col("sample_date").dt.year().alias("year"))
    if table == "zdhc_wastewater" and schema.get("sample_date") == pl.String:
        frame = frame.with_columns(pl.col("sample_date").str.to_date(strict=False))
    casts = [pl.col("facility_id").cast(pl.String)] if "facility_id" in schema else []
    if "year" in schema or table == "zdhc_wastewater":
        casts.append(pl.col("year").cast(pl.Int64))
    return frame.with_columns(casts) if casts else frame


def _fill_missing(frame: pl.LazyFrame, columns: dict[str, pl.DataType]) -> pl.LazyFrame:
    """Optional input columns an older file may lack, added as nulls."""
    have = set(frame.collect_schema().names())
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in columns.items() if c not in have]
    return frame.with_columns(missing) if missing else frame


_OPTIONAL: dict[str, dict[str, pl.DataType]] = {
    "energy": {
        "month": pl.Int64(), "production_share": pl.Float64(), "instrument": pl.String(),
        "market_factor_kgco2e_per_kwh": pl.Float64(), "verification_status": pl.String(),
    },
    "water": {"month": pl.Int64(), "verification_status": pl.String()},
    "wastewater": {
        "month": pl.Int64(), "recycled_share": pl.Float64(), "verification_status": pl.String(),
    },
    "waste": {"month": pl.Int64(), "verification_status": pl.String()},
    "air": {
        "tracked": pl.Boolean(), "refrigerant": pl.String(),
        "refrigerant_recharge_kg": pl.Float64(), "verification_status": pl.String(),
    },
    "chemicals": {
        "products_on_gateway": pl.Int64(), "mrsl_level_1": pl.Int64(),
        "mrsl_level_2": pl.Int64(), "mrsl_level_3": pl.Int64(),
        "incheck_verified": pl.Boolean(), "supplier_to_zero_level": pl.Int64(),
        "verification_status": pl.String(),
    },
    "ems": {
        name: pl.Boolean()
        for name in ("has_policy", "has_management_system", *ems.PRACTICES)
    } | {"verification_status": pl.String()},
}


def _area_frames(
    lazy: dict[str, pl.LazyFrame], reference: EngineReference, graded: pl.LazyFrame | None
) -> list[pl.LazyFrame]:
    """One aggregated frame per area present, keyed by facility_id and year."""
    frames = []

    def aggregated(rows: pl.LazyFrame, aggs: list[pl.Expr],
                   finish: list[pl.Expr] | None = None) -> None:
        # Plain reductions in the group-by, every conversion after it (on one row per
        # facility-year): the streaming group-by stays on its fast path. The exact sums are
        # made floats once collected (`exact_totals_of`).
        frames.append(rows.group_by(*KEYS).agg(*aggs).with_columns(*finish or []))

    if "energy" in lazy:
        rows = energy.energy_rows(lazy["energy"], energy.source_attributes(reference))
        rows = ghg.ghg_rows(rows, reference)
        aggregated(rows, [*energy.energy_aggs(), *ghg.ghg_aggs()])
    if "water" in lazy:
        aggregated(water.water_rows(lazy["water"]), water.water_aggs())
    if "wastewater" in lazy:
        aggregated(wastewater.wastewater_rows(lazy["wastewater"]), wastewater.wastewater_aggs())
    if graded is not None:
        frames.append(zdhc.zdhc_sample_aggs(graded))
    if "waste" in lazy:
        aggregated(waste.waste_rows(lazy["waste"], reference.waste_routes), waste.waste_aggs())
    if "air" in lazy:
        aggregated(air.air_rows(lazy["air"], reference.gwp), air.air_aggs(), air.air_finish())
    if "chemicals" in lazy:
        aggregated(chemicals.chemicals_rows(lazy["chemicals"]), chemicals.chemicals_aggs(),
                   chemicals.chemicals_finish())
    if "ems" in lazy:
        aggregated(ems.ems_rows(lazy["ems"]), ems.ems_aggs())
    return frames


#: Facility-years from which the areas are placed beside them on every core.
PARALLEL_PLACING_MIN_ROWS = 50_000

#: Seed of the facility-year hash used to join the area aggregates onto the keys.
FY_HASH_SEED = 20261122


def _with_grid_factors(keys: pl.DataFrame, ref: EngineReference) -> pl.DataFrame:
    """The facility-years with the grid factor of their country and year (a left join).

    Only the two key columns are joined and the factor's columns set beside the keys: a
    join of the whole frame gathered every one of its columns again (0.21 → 0.13 s CPU at a
    million facility-years). A left join that keeps the left order and finds at most one
    row per key (the factors have one per country and year) gives the keys' rows in order.
    """
    factors = ghg.grid_factors_for(keys.lazy(), ref.grid, ref.grid_vintage)
    on = ("country_iso3", "year")
    joined = collect(keys.lazy().select(on).join(factors, on=on, how="left",
                                                 maintain_order="left"))
    if joined.height != keys.height:  # pragma: no cover - a country-year twice
        return collect(keys.lazy().join(factors, on=on, how="left", maintain_order="left"))
    return keys.hstack(joined.drop(on).get_columns())


def _attach(wide: pl.DataFrame, areas: list[pl.DataFrame]) -> pl.DataFrame:
    """Each area's aggregates placed beside the facility-years (a left join, rows kept in
    the order of `wide`).

    Each area's row for every facility-year is found once, on one 64-bit hash of
    (facility_id, year) — several times cheaper than joining on the string and year — and
    only the area's own columns are gathered and set beside `wide`, instead of joining the
    growing wide frame again for every area. Every match is checked: the area's own keys
    must equal the facility-year's and no row may match twice; on a hash collision
    (probability ~10⁻⁸ at a million facility-years) the area is joined on the real keys.
    """
    fy = pl.struct(*KEYS).hash(FY_HASH_SEED).alias("_fy")
    left = wide.select(fy)
    hashed = left.get_column("_fy").n_unique() == wide.height
    # Each placement is a join that runs mostly on one core: the areas are placed side by
    # side, one per core (polars releases the GIL).
    def place(frame: pl.DataFrame) -> pl.DataFrame | None:
        return _placed(wide, left, frame, fy) if hashed else None

    if wide.height >= PARALLEL_PLACING_MIN_ROWS and len(areas) > 1:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            placed = list(pool.map(place, areas))
    else:  # small matrices (a park's members): threads would cost more than they save
        placed = [place(frame) for frame in areas]
    parts: list[pl.DataFrame] = []
    for frame, done in zip(areas, placed, strict=True):
        values = [c for c in frame.columns if c not in KEYS]
        if done is None:
            done = wide.select(KEYS).join(
                frame, on=KEYS, how="left", maintain_order="left"
            )
            if done.height != wide.height:  # an area with a facility-year twice
                return _joined(wide, areas)
        parts.append(done.select(values))
    return wide.hstack([c for part in parts for c in part.get_columns()])


def _placed(
    wide: pl.DataFrame, left: pl.DataFrame, frame: pl.DataFrame, fy: pl.Expr
) -> pl.DataFrame | None:
    """`frame`'s rows in the order of `wide` (null where it has none), matched on the
    facility-year hash; None unless every match is unique and its keys are the same."""
    placed = left.join(frame.with_columns(fy), on="_fy", how="left", maintain_order="left")
    if placed.height != wide.height:
        return None
    same = placed.get_column("facility_id").is_null() | (
        (placed.get_column("facility_id") == wide.get_column("facility_id"))
        & (placed.get_column("year") == wide.get_column("year"))
    )
    return placed if same.all() else None


def _joined(wide: pl.DataFrame, areas: list[pl.DataFrame]) -> pl.DataFrame:
    """The plain left joins on the real keys, one area after the other."""
    for frame in areas:
        wide = wide.join(frame, on=KEYS, how="left", maintain_order="left")
    return wide


def _unknown_totals() -> list[pl.Expr]:
    """Null every total whose area had an input row that could not be converted."""
    return [
        *unknown_if("_energy_bad", [*energy.ENERGY_SUMS.values(), *ghg.GHG_SUMS.values()]),
        *unknown_if("_water_bad", list(water.WATER_SUMS.values())),
        *unknown_if("_wastewater_bad", ["wastewater_m3", "wastewater_industrial_m3",
                                        "_wastewater_recycled_m3"]),
        *unknown_if("_waste_bad", list(waste.WASTE_SUMS.values())),
        *unknown_if("_air_bad", ["refrigerant_kgco2e"]),
    ]


def build_matrix(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame],
    *,
    gwp_vintage: str = "AR5",
    grid: pl.DataFrame | None = None,
    reference: EngineReference | None = None,
    with_provenance: bool | None = None,
    release_tables: bool = False,
) -> MatrixResult:
    """Build the Data Matrix from ingested tables (contracts §2 → §3).

    `grid` replaces the packaged grid table (iso3, year, carbon_intensity_gco2e_per_kwh
    [gCO2e/kWh]); `reference` replaces all reference data (tests, own factors).
    `with_provenance` None = collect provenance when the input has at most
    `PROVENANCE_AUTO_LIMIT` rows. Tables may be LazyFrames (e.g. `pl.scan_parquet` of saved
    ingested tables): only the columns the matrix uses are then read, which keeps a million
    facility-years well under the memory of the same tables held in full.

    `release_tables` (with `tables` a dict and provenance not collected): the tables are
    removed from `tables` as soon as every area is aggregated, so that a caller that holds no
    other reference to them (`journey matrix`, `journey assess`) frees their memory (~6 GB
    at a million facility-years) before the ~1 M-row wide frame is joined and computed.
    """
    ref = reference or default_reference(gwp_vintage)
    if grid is not None:
        ref = replace(ref, grid=grid, grid_vintage="grid table supplied by the user")
    lazy = {
        name: _fill_missing(_with_year(name, frame.lazy()), _OPTIONAL.get(name, {}))
        for name, frame in tables.items()
    }
    performance = [f for n, f in lazy.items() if n not in ("profiles", "programmes")]
    if "profiles" in lazy:
        keys = facility_keys(lazy["profiles"], ref.facility_types, ref.countries, ref.water_stress)
    else:
        keys = facility_keys(
            keys_from_tables(performance), ref.facility_types, ref.countries, ref.water_stress
        )
    keys_frame = collect(keys)
    keys = keys_frame.lazy()

    graded_df = None
    if "zdhc_wastewater" in lazy:
        graded_df = zdhc.graded_results(lazy["zdhc_wastewater"], ref.zdhc_limits)
    graded = graded_df.lazy() if graded_df is not None else None

    placed = _with_grid_factors(keys_frame, ref)
    # Lazy inputs (e.g. `pl.scan_parquet`) have no cheap row count: no provenance unless asked.
    rows = sum(f.height if isinstance(f, pl.DataFrame) else PROVENANCE_AUTO_LIMIT + 1
               for f in tables.values())
    include = rows <= PROVENANCE_AUTO_LIMIT if with_provenance is None else with_provenance
    # One area after the other: collected together they took ~10% more CPU and held every
    # area's input batches at once.
    areas = [exact_totals_of(collect(frame)) for frame in _area_frames(lazy, ref, graded)]
    if "programmes" in lazy:
        areas.append(programmes_active(lazy["programmes"], keys))
    if release_tables and not include and isinstance(tables, dict):
        # Nothing below reads an input table: let them go before the wide frame is made.
        tables.clear()
        lazy.clear()
        performance.clear()
    wide = _attach(placed, areas).lazy()
    if ems.FACTS_MASK in wide.collect_schema().names():
        wide = wide.with_columns(ems.ems_fact_columns())
    wide = _fill_missing(wide, _area_placeholders())
    wide = wide.with_columns(_unknown_totals())
    wide = wide.with_columns(energy.energy_columns())
    wide = wide.with_columns(ghg.ghg_columns()).with_columns(ghg.ghg_total_columns())
    wide = wide.with_columns(
        *water.water_columns(ref.water_bands), *waste.waste_columns(), *zdhc.zdhc_columns(),
        *wastewater.wastewater_columns(), *chemicals.chemicals_columns(), *ems.ems_columns(),
    )
    wide = wide.with_columns(
        pl.coalesce(
            water.water_risk_category(pl.col("water_stress_score"), ref.water_bands),
            pl.col("_country_water_category"),
        ).alias("water_risk_category"),
        *[e for area in quality.MONTHLY_AREAS for e in quality.completeness_columns(area)],
    )
    matrix = _sorted_unique(collect(wide.select(matrix_columns())))

    if include:
        provenance = collect(
            provenance_frame(lazy).sort(*KEYS, "table", "_file", "_sheet", "_row",
                                        maintain_order=True)
        )
    else:
        provenance = pl.DataFrame(schema=PROVENANCE_SCHEMA)
    levels = (
        graded_df
        if graded_df is not None
        else pl.DataFrame(schema=ZDHC_LEVELS_SCHEMA)
    )
    versions = {
        **ref.versions,
        "indicators.yaml": catalogue_version(),
        "gwp_vintage": ref.gwp_vintage,
        "grid_vintage": ref.grid_vintage,
        "engine": _engine_version(),
    }
    return MatrixResult(matrix, levels, provenance, versions, include)


def _sorted_unique(matrix: pl.DataFrame) -> pl.DataFrame:
    """Rows ordered by facility_id and year, one per facility-year.

    Profiles usually come sorted and unique; checking that with a vectorised comparison of
    neighbours is much cheaper than sorting or de-duplicating a million rows again.
    """
    facility, year = pl.col("facility_id"), pl.col("year")
    previous_facility, previous_year = facility.shift(), year.shift()
    ascending = (facility > previous_facility) | (
        (facility == previous_facility) & (year > previous_year)
    )
    in_order = matrix.select(ascending.fill_null(True).all()).item()
    if in_order:
        return matrix
    # Duplicated facility-years (not expected after ingest): keep the first, deterministically.
    return matrix.unique(subset=list(KEYS), keep="first", maintain_order=True).sort(
        *KEYS, maintain_order=True
    )


def _area_placeholders() -> dict[str, pl.DataType]:
    """Columns an absent area would have produced, so the derived columns stay computable."""
    floats = [
        *energy.ENERGY_SUMS.values(), *ghg.GHG_SUMS.values(), *water.WATER_SUMS.values(),
        "wastewater_m3", "wastewater_industrial_m3", "_wastewater_recycled_m3",
        "_wastewater_recycled_base_m3", *waste.WASTE_SUMS.values(),
        "air_sources_tracked_share", "refrigerant_kgco2e",
        *[f"_chem_{c}{s}" for c in chemicals.SHARES for s in ("", "_base")],
        *[f"{a}_verified_share" for a in quality.VERIFIED_AREAS],
    ]
    ints = [
        "zdhc_parameters_tested", "zdhc_parameters_failing_foundational", "clearstream_points",
        "clearstream_max_points", "air_sources_count", "chem_months_reported",
        "chem_incheck_verified_months", "supplier_to_zero_level", "_zdhc_worst_rank",
        *[f"_{a}_month_mask" for a in quality.MONTHLY_AREAS],
        *[f"_{a}_bad" for a in ("energy", "water", "wastewater", "waste", "air")],
    ]
    bools = [
        *[f"_{k}_{f}" for k in ("own", "any") for f in ems.FACILITY_FACTS],
        *[f"{a}_{p}" for a in ems.PRACTICE_AREAS for p in ems.PRACTICES],
    ]
    out: dict[str, pl.DataType] = {c: pl.Float64() for c in floats}
    out |= {c: pl.Int32() for c in ints}
    out |= {c: pl.Boolean() for c in bools}
    out |= {"programmes_active": pl.String(), "chem_products": pl.Int64()}
    return out
