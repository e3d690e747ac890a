"""The matrix's facility-year keys: profile facts, region, production volumes and programmes.

Intensity basis (docs/decisions/0003-vertical-intensity.md): pieces for cut & sew and
component facilities, kg for mills, raw-material facilities and vertical facilities, whose
wet-processing or material output in kg drives energy and water use.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import KEYS, collect, lookup

INTENSITY_BASIS: dict[str, str] = {
    "cut_sew": "pc",
    "component": "pc",
    "mill": "kg",
    "raw_material": "kg",
    "vertical": "kg",
}


def _volume_sum(columns: list[str], available: set[str]) -> pl.Expr:
    """Σ of the production-volume columns present; null when none of them has a value."""
    present = [pl.col(c).cast(pl.Float64) for c in columns if c in available]
    if not present:
        return pl.lit(None, dtype=pl.Float64)
    all_null = pl.all_horizontal([e.is_null() for e in present])
    return pl.when(all_null).then(None).otherwise(pl.sum_horizontal(present))


def _joined(column: str, schema: pl.Schema) -> pl.Expr:
    """A list column `;`-joined in the order given, or a string column as is."""
    if column not in schema:
        return pl.lit(None, dtype=pl.String).alias(column)
    dtype = schema[column]
    if isinstance(dtype, pl.List):
        return pl.col(column).list.join(";").alias(column)
    return pl.col(column).cast(pl.String).alias(column)


def _column(column: str, schema: pl.Schema, dtype: type[pl.DataType] | pl.DataType) -> pl.Expr:
    if column in schema:
        return pl.col(column).cast(dtype).alias(column)
    return pl.lit(None, dtype=dtype).alias(column)


def facility_keys(
    profiles: pl.LazyFrame,
    facility_types: pl.DataFrame,
    countries: pl.DataFrame,
    water_stress: pl.DataFrame,
) -> pl.LazyFrame:
    """One row per facility-year of the profiles with the key columns of the matrix.

    Adds production_volume_pcs / _kg [pcs, kg] (Σ over the facility's types in that unit),
    intensity_basis, `_production_volume_unit` (the volume on the basis) and the water
    stress score [0–5] of the site, else of the country, with the country's category.
    """
    schema = profiles.collect_schema()
    names = set(schema.names())
    units = dict(
        zip(
            facility_types.get_column("key").to_list(),
            facility_types.get_column("production_unit").to_list(),
            strict=True,
        )
    )
    pcs = [f"production_volume_{k}" for k, u in units.items() if u == "pcs"]
    kg = [f"production_volume_{k}" for k, u in units.items() if u == "kg"]
    keys = profiles.select(
        pl.col("facility_id").cast(pl.String),
        pl.col("year").cast(pl.Int64),
        _column("facility_name", schema, pl.String),
        _column("country_iso2", schema, pl.String),
        _column("country_iso3", schema, pl.String),
        _column("journey_factory_type", schema, pl.String),
        _joined("facility_types", schema),
        _column("park_id", schema, pl.String),
        _volume_sum(pcs, names).alias("production_volume_pcs"),
        _volume_sum(kg, names).alias("production_volume_kg"),
        _column("water_stress_score", schema, pl.Float64).alias("_site_water_stress"),
    )
    regions = countries.lazy().select(
        pl.col("iso2").cast(pl.String).alias("country_iso2"),
        pl.col("iso3").cast(pl.String).alias("_iso3"),
        pl.col("un_region").cast(pl.String),
        pl.col("un_subregion").cast(pl.String),
    )
    # Row order is kept (profiles usually come sorted): the matrix then needs no sort.
    keys = lookup(keys, collect(regions), "country_iso2").with_columns(
        pl.coalesce("country_iso3", "_iso3").alias("country_iso3")
    )
    stress = water_stress.lazy().select(
        pl.col("iso3").cast(pl.String).alias("country_iso3"),
        pl.col("water_stress_score").cast(pl.Float64).alias("_country_water_stress"),
        pl.col("water_risk_category").cast(pl.String).alias("_country_water_category"),
    )
    basis = pl.col("journey_factory_type").replace_strict(
        INTENSITY_BASIS, default=None, return_dtype=pl.String
    )
    return (
        lookup(keys, collect(stress), "country_iso3")
        .with_columns(
            basis.alias("intensity_basis"),
            pl.coalesce("_site_water_stress", "_country_water_stress").alias(
                "water_stress_score"
            ),
        )
        .with_columns(
            pl.when(pl.col("intensity_basis") == "pc")
            .then(pl.col("production_volume_pcs"))
            .when(pl.col("intensity_basis") == "kg")
            .then(pl.col("production_volume_kg"))
            .otherwise(None)
            .alias("_production_volume_unit")
        )
        .drop("_iso3", "_site_water_stress", "_country_water_stress")
    )


def keys_from_tables(frames: list[pl.LazyFrame]) -> pl.LazyFrame:
    """Facility-years named by any performance table, when there is no profiles table."""
    parts = [f.select(pl.col("facility_id").cast(pl.String), pl.col("year").cast(pl.Int64))
             for f in frames]
    return pl.concat(parts).unique()


def programmes_active(programmes: pl.LazyFrame, keys: pl.LazyFrame) -> pl.DataFrame:
    """Programmes active in each facility-year (start year ≤ year ≤ end year), `;`-joined in
    sorted order; one row per facility-year with at least one (of the keys' years).

    Each programme is a bit: the spans, expanded over the keys' few distinct years, are
    OR-ed per facility-year, and each distinct combination is written out once — instead of
    joining every facility-year with the spans and sorting names per group."""
    schema = programmes.collect_schema()

    def year_of(column: str) -> pl.Expr:
        if column not in schema:
            return pl.lit(None, dtype=pl.Int64)
        dtype = schema[column]
        if dtype in (pl.Date, pl.Datetime):
            return pl.col(column).dt.year().cast(pl.Int64)
        return pl.col(column).cast(pl.String).str.slice(0, 4).cast(pl.Int64, strict=False)

    spans = programmes.select(
        pl.col("facility_id").cast(pl.String),
        pl.col("programme").cast(pl.String),
        year_of("start_date").alias("_start"),
        year_of("end_date").alias("_end"),
    )
    active = (pl.col("_start").is_null() | (pl.col("_start") <= pl.col("year"))) & (
        pl.col("_end").is_null() | (pl.col("_end") >= pl.col("year"))
    )
    names = collect(spans.select(pl.col("programme").unique())).to_series()
    if names.null_count() or len(names) > _MAX_PROGRAMME_BITS:
        facility_years = keys.select(*KEYS)
        joined = facility_years.join(spans, on="facility_id", how="inner").filter(active)
        return collect(joined.group_by(*KEYS).agg(
            pl.col("programme").unique().sort().str.join(";").alias("programmes_active")
        ))
    ordered = sorted(names.to_list())
    bits = [1 << i for i in range(len(ordered))]
    masks = collect(
        spans.join(keys.select(pl.col("year").unique()), how="cross")
        .filter(active)
        .group_by(*KEYS)
        .agg(pl.col("programme").replace_strict(ordered, bits, return_dtype=pl.Int64)
             .bitwise_or().alias("_mask"))
    )
    present = masks.get_column("_mask").unique().to_list()
    texts = [";".join(n for n, b in zip(ordered, bits, strict=True) if m & b) for m in present]
    return masks.select(
        *KEYS,
        pl.col("_mask").replace_strict(present, texts, return_dtype=pl.String)
        .alias("programmes_active"),
    )


#: Programmes told apart by the bits of one 64-bit integer (the catalogue has 20).
_MAX_PROGRAMME_BITS = 62
