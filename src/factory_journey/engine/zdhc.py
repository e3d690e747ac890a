"""ZDHC wastewater levels per parameter, the overall level and ClearStream-style points.

Per parameter (limits from `zdhc_wastewater_limits.csv`, comparison `max`, `range` or
`presence`): aspirational if the value meets the aspirational limit, else progressive, else
foundational, else `fail`. A `range` parameter (pH) meets a level when min ≤ value ≤ max.

The facility-year's overall level is the **worst** level across the parameters of its latest
**discharged** sample of the year (latest sample date; all parameters of that date count).
Untreated and sludge samples are not graded. A result whose unit is not the limit's unit, or a
parameter without a limit, gets no level and is not counted as tested. `zdhc_levels` lists
every graded discharged result of the year (all sample dates), so the history stays visible.

ClearStream-style points: each conventional, anion or metal parameter scores 1 / 2 / 3 at
foundational / progressive / aspirational (0 when failing); the maximum is 3 × parameters
tested.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import collect
from factory_journey.engine.refdata import normalise_key

LEVELS: tuple[str, ...] = ("fail", "foundational", "progressive", "aspirational")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
SCORED_KINDS: tuple[str, ...] = ("conventional", "anion", "metal")

#: Unit spellings that mean the limit's unit (normalised with `normalise_key`).
_UNIT_SYNONYMS: dict[str, str] = {
    "deltadegc": "degc", "c": "degc", "degc": "degc", "celsius": "degc", "k": "degc",
    "1m": "1m", "m1": "1m", "perm": "1m",
    "mgl": "mgl", "mgperl": "mgl", "ppm": "mgl",
    "cfu100ml": "cfu100ml", "mpn100ml": "cfu100ml",
    "ph": "ph",
    "presence": "presence", "yesno": "presence",
}
#: Limit units for which a result without a unit is accepted (pH, foam presence).
_UNITLESS: tuple[str, ...] = ("ph", "presence")


def _unit_key(spelling: str | None) -> str:
    key = normalise_key(spelling or "")
    return _UNIT_SYNONYMS.get(key, key)


def limits_frame(limits: pl.DataFrame) -> pl.DataFrame:
    """One row per parameter (row number = its code) with normalised unit and float limits."""
    frame = limits.select(
        pl.col("parameter").cast(pl.String).alias("parameter_key"),
        pl.col("kind").cast(pl.String),
        pl.col("unit").cast(pl.String)
        .map_elements(_unit_key, return_dtype=pl.String, skip_nulls=False)
        .alias("_limit_unit"),
        (pl.col("comparison").cast(pl.String) == "range").fill_null(False).alias("_is_range"),
        *[pl.col(level).cast(pl.Float64).alias(f"_{level}_max") for level in LEVELS[1:]],
        *[pl.col(f"{level}_min").cast(pl.Float64).alias(f"_{level}_min")
          for level in LEVELS[1:]],
    )
    return frame.unique(subset="parameter_key", keep="first", maintain_order=True)


def _parameter_codes(limits: pl.DataFrame, table: pl.DataFrame) -> dict[str, int]:
    """Every normalised spelling of a parameter (key, label, aliases) → its row in `table`."""
    codes = {key: code for code, key in enumerate(table.get_column("parameter_key").to_list())}
    out: dict[str, int] = {}
    for row in limits.iter_rows(named=True):
        code = codes[str(row["parameter"])]
        spellings = [row["parameter"], row.get("label"), *str(row.get("aliases") or "").split(";")]
        for spelling in spellings:
            if spelling:
                out.setdefault(normalise_key(str(spelling)), code)
    return out


def _spelling_maps(
    rows: pl.DataFrame, codes: dict[str, int], unit_codes: dict[str, int], unknown: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Parameter spelling → parameter code (`unknown` when it has no limit) and unit spelling
    → unit code, for every spelling present.

    Normalising the few distinct spellings in Python and mapping them back as small integers
    is far cheaper than running string functions over millions of result rows.
    """
    parameters = {
        p: codes.get(normalise_key(p), unknown)
        for p in rows.get_column("parameter").unique().drop_nulls().to_list()
    }
    units = {
        u: unit_codes.get(_unit_key(u), -1)
        for u in rows.get_column("unit").unique().drop_nulls().to_list()
    }
    return parameters, units


def _coded(column: str, codes: dict[str, int], null: int, dtype: pl.DataType) -> pl.Expr:
    """The code of each row's spelling (`codes` holds every spelling present; `null` for a
    null). An Enum of the spellings finds each row's spelling several times cheaper than
    `replace_strict`; its index then picks the code from a small array."""
    if not codes:
        return pl.lit(null, dtype=dtype)
    spellings = list(codes)
    index = pl.col(column).cast(pl.Enum(spellings)).to_physical()
    values = pl.Series([codes[s] for s in spellings], dtype=dtype)
    return _by_code(values, index).fill_null(null)


def _by_code(values: pl.Series, code: pl.Expr) -> pl.Expr:
    """`values[code]`: a small per-parameter table looked up for every result row."""
    return pl.lit(values).gather(code)


def _level_rank(table: pl.DataFrame, code: pl.Expr, unit_code: pl.Expr, value: pl.Expr,
                empty_unit: int) -> pl.Expr:
    """Rank 0–3 (fail … aspirational) per result, null where it cannot be graded.

    `code` is the parameter's row in `table`, `table.height` for an unknown parameter (a
    padding row without limits). Each limit is a gather from a small array by that code —
    no join, no per-row strings — and the expression runs on every core.
    """

    def column(name: str, fill: object) -> pl.Series:
        values = table.get_column(name)
        if values.dtype == pl.Float64:
            values = values.fill_nan(None)
        padded = pl.concat([values, pl.Series([None], dtype=values.dtype)])
        return padded if fill is None else padded.fill_null(fill)

    is_range = column("_is_range", False)
    rank: pl.Expr = pl.lit(0, dtype=pl.Int8)
    # From the least to the most demanding level: each level met overrides the one below.
    for level in LEVELS[1:]:
        upper = column(f"_{level}_max", None)
        lower = column(f"_{level}_min", None)
        has = upper.is_not_null() | lower.is_not_null()
        # A missing bound, or a lower bound of a parameter that is not a range, holds always;
        # a parameter without the level gets bounds no value meets (-inf above, +inf below),
        # which spares a third gather per level and row.
        upper, lower = pl.select(
            pl.when(pl.lit(has)).then(pl.lit(upper).fill_null(float("inf")))
            .otherwise(float("-inf")),
            pl.when(pl.lit(has)).then(
                pl.when(pl.lit(is_range)).then(pl.lit(lower)).otherwise(None)
                .fill_null(float("-inf"))
            ).otherwise(float("inf")),
        ).get_columns()
        met = (value <= _by_code(upper, code)) & (value >= _by_code(lower, code))
        rank = pl.when(met).then(pl.lit(LEVEL_RANK[level], dtype=pl.Int8)).otherwise(rank)
    unit_ok = (unit_code == _by_code(column("_limit_unit_code", -2), code)) | (
        (unit_code == empty_unit) & _by_code(column("_unitless", False), code)
    )
    known = (code < table.height) & unit_ok.fill_null(False) & value.is_not_null()
    return pl.when(known & value.is_not_nan()).then(rank)


LEVEL_DTYPE = pl.Enum(LEVELS)
KIND_DTYPE = pl.Enum(("conventional", "anion", "metal", "mrsl", "other"))


def graded_results(zdhc: pl.LazyFrame, limits: pl.DataFrame) -> pl.DataFrame:
    """Level of every discharged result (all samples of the year).

    Returns facility_id, year, sample_date, parameter and unit (as given; ingestion turns a
    parameter into its limit key), kind, value, level (Enum fail < foundational < progressive
    < aspirational; null when the parameter or its unit is unknown).
    """
    table = limits_frame(limits)
    unit_names = sorted({*table.get_column("_limit_unit").drop_nulls().to_list(), ""})
    unit_codes = {name: code for code, name in enumerate(unit_names)}
    table = table.with_columns(
        pl.col("_limit_unit").replace_strict(unit_codes, return_dtype=pl.Int32)
        .alias("_limit_unit_code"),
        pl.col("_limit_unit").is_in(list(_UNITLESS)).alias("_unitless"),
        pl.col("kind").cast(pl.String).replace_strict(
            {k: k for k in KIND_DTYPE.categories}, default="other"
        ).cast(KIND_DTYPE),
    )
    point = pl.col("sampling_point").cast(pl.String)
    rows = collect(
        zdhc.filter(point.is_in(["discharged", "Discharged", "DISCHARGED"])).select(
            "facility_id",
            "year",
            "sample_date",
            pl.col("parameter").cast(pl.String),
            pl.col("value").cast(pl.Float64),
            pl.col("unit").cast(pl.String),
        )
    )
    parameters, units = _spelling_maps(
        rows, _parameter_codes(limits, table), unit_codes, table.height
    )
    code = _coded("parameter", parameters, table.height, pl.UInt32())
    unit_code = _coded("unit", units, unit_codes[""], pl.Int32())
    kinds = pl.concat([table.get_column("kind"), pl.Series([None], dtype=KIND_DTYPE)])
    levels = pl.Series(LEVELS).cast(LEVEL_DTYPE)
    rank = _level_rank(table, pl.col("_code"), unit_code, pl.col("value"), unit_codes[""])
    # Lazy over the held rows: the streaming engine grades them on every core.
    return collect(
        rows.lazy()
        .with_columns(code.alias("_code"))
        .select(
            "facility_id",
            "year",
            "sample_date",
            "parameter",
            _by_code(kinds, pl.col("_code")).alias("kind"),
            "value",
            "unit",
            # A null rank gathers a null level (not gradable).
            _by_code(levels, rank.cast(pl.UInt32)).alias("level"),
        )
    )


def zdhc_sample_aggs(graded: pl.LazyFrame) -> pl.LazyFrame:
    """Per facility-year, the counts and points of its latest discharged sample.

    Two steps keep it cheap: aggregate each sample (facility, year, date), then take the
    latest sample's figures with `max_by(sample_date)` over the (far fewer) samples.
    """
    level = pl.col("level")
    rank = level.to_physical().cast(pl.Int32)
    # The kind compared as it comes (the Enum of `graded_results`): cast to text first, the
    # test took a fifth of this function's CPU time at a million facility-years.
    scored = pl.col("kind").is_in(list(SCORED_KINDS)) & level.is_not_null()
    per_row = graded.with_columns(
        level.is_not_null().cast(pl.Int32).alias("_tested"),
        (level == "fail").fill_null(False).cast(pl.Int32).alias("_failing"),
        rank.alias("_rank"),
        pl.when(scored).then(rank).otherwise(0).alias("_points"),
        scored.cast(pl.Int32).alias("_scored"),
    )
    samples = per_row.group_by("facility_id", "year", "sample_date").agg(
        pl.col("_tested").sum(),
        pl.col("_failing").sum(),
        pl.col("_rank").min(),
        pl.col("_points").sum(),
        pl.col("_scored").sum(),
    )
    latest = pl.col("sample_date")
    # Plain reductions in the group-by (they stream fastest), the casts after it.
    return samples.group_by("facility_id", "year").agg(
        pl.col("_tested").max_by(latest).alias("zdhc_parameters_tested"),
        pl.col("_failing").max_by(latest).alias("zdhc_parameters_failing_foundational"),
        pl.col("_rank").max_by(latest).alias("_zdhc_worst_rank"),
        pl.col("_points").max_by(latest).alias("clearstream_points"),
        pl.col("_scored").max_by(latest).alias("clearstream_max_points"),
    ).with_columns(
        pl.col("zdhc_parameters_tested").cast(pl.Int32),
        pl.col("zdhc_parameters_failing_foundational").cast(pl.Int32),
        pl.col("clearstream_points").cast(pl.Int32),
        (pl.col("clearstream_max_points") * 3).cast(pl.Int32),
    )


def zdhc_columns() -> list[pl.Expr]:
    """Overall level name from the worst rank; counts are null for facility-years without tests."""
    names = {rank: level for level, rank in LEVEL_RANK.items()}
    return [
        pl.col("_zdhc_worst_rank").replace_strict(names, default=None, return_dtype=pl.String)
        .alias("zdhc_overall_level"),
    ]
