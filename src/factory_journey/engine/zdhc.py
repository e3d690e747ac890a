"""ZDHC wastewater levels per parameter, the overall level and ClearStream-style points.

Per parameter (limits from `zdhc_wastewater_limits.csv`, comparison `max`, `range` or
`presence`): aspirational if the value meets the aspirational limit, else progressive, else
foundational, else `fail`. A `range` parameter (pH) meets a level when min ≤ value ≤ max.

The facility-year's overall level is the **worst** level across the parameters of its latest
**discharged** sample of the year (latest sample date; all parameters of that date count).
Untreated and sludge samples are not graded. A result whose unit is not the limit's unit, or a
parameter without a limit, gets no level and is not counted as tested.

ClearStream-style points: each conventional, anion or metal parameter scores 1 / 2 / 3 at
foundational / progressive / aspirational (0 when failing); the maximum is 3 × parameters
tested.
"""

from __future__ import annotations

import polars as pl

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
    """Limits keyed by every normalised spelling of a parameter (key, label, aliases)."""
    rows: list[dict[str, object]] = []
    for row in limits.iter_rows(named=True):
        spellings = {row["parameter"], row.get("label"), *str(row.get("aliases") or "").split(";")}
        for spelling in spellings:
            if not spelling:
                continue
            rows.append(
                {
                    "_parameter_key": normalise_key(str(spelling)),
                    "parameter_key": row["parameter"],
                    "kind": row.get("kind"),
                    "_limit_unit": _unit_key(row.get("unit")),
                    "comparison": row.get("comparison") or "max",
                    **{
                        f"_{level}_{bound}": _float(row.get(f"{level}_{bound}"))
                        for level in LEVELS[1:]
                        for bound in ("min",)
                    },
                    **{f"_{level}_max": _float(row.get(level)) for level in LEVELS[1:]},
                }
            )
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.unique(subset="_parameter_key", keep="first", maintain_order=True)


def _float(value: object) -> float | None:
    if value is None or value == "":
        return None
    return float(str(value))


def _meets(level: str) -> pl.Expr:
    value = pl.col("value").cast(pl.Float64)
    upper = pl.col(f"_{level}_max")
    lower = pl.col(f"_{level}_min")
    within_upper = upper.is_null() | (value <= upper)
    within_lower = (pl.col("comparison") != "range") | lower.is_null() | (value >= lower)
    has_limit = upper.is_not_null() | lower.is_not_null()
    return has_limit & within_upper & within_lower


def _spelling_maps(
    zdhc: pl.LazyFrame, table: pl.DataFrame
) -> tuple[dict[str, str], dict[str, str]]:
    """Parameter spelling → limit key and unit spelling → unit key, for the values present.

    Normalising the few distinct spellings in Python and mapping them back is far cheaper
    than running string functions over millions of result rows.
    """
    present = pl.collect_all(
        [
            zdhc.select(pl.col("parameter").cast(pl.String).unique()),
            zdhc.select(pl.col("unit").cast(pl.String).unique()),
        ]
    )
    lookup = dict(
        zip(table.get_column("_parameter_key").to_list(),
            table.get_column("parameter_key").to_list(), strict=True)
    )
    parameters = {
        p: lookup[normalise_key(p)]
        for p in present[0].get_column("parameter").drop_nulls().to_list()
        if normalise_key(p) in lookup
    }
    units = {u: _unit_key(u) for u in present[1].get_column("unit").drop_nulls().to_list()}
    return parameters, units


def graded_results(zdhc: pl.LazyFrame, limits: pl.DataFrame) -> pl.LazyFrame:
    """Level of every parameter of each facility-year's latest discharged sample.

    Returns facility_id, year, sample_date, parameter, kind, value, unit, level (null when
    the parameter or its unit is unknown).
    """
    table = limits_frame(limits)
    parameters, units = _spelling_maps(zdhc, table)
    by_key = table.unique(subset="parameter_key", keep="first", maintain_order=True).drop(
        "_parameter_key"
    )
    point = pl.col("sampling_point").cast(pl.String)
    rows = zdhc.filter(point.is_in(["discharged", "Discharged", "DISCHARGED"]))
    latest = pl.col("sample_date").max().over("facility_id", "year")
    rows = rows.filter(pl.col("sample_date") == latest).with_columns(
        pl.col("parameter").cast(pl.String)
        .replace_strict(parameters, default=None, return_dtype=pl.String)
        .alias("parameter_key"),
        pl.col("unit").cast(pl.String)
        .replace_strict(units, default="", return_dtype=pl.String)
        .alias("_unit_key"),
    )
    rows = rows.join(by_key.lazy(), on="parameter_key", how="left")
    unit = pl.col("_unit_key").fill_null("")
    unit_ok = (unit == pl.col("_limit_unit")) | (
        (unit == "") & pl.col("_limit_unit").is_in(list(_UNITLESS))
    )
    graded = (
        pl.when(pl.col("parameter_key").is_null() | ~unit_ok.fill_null(False)
                | pl.col("value").is_null())
        .then(None)
        .when(_meets("aspirational")).then(pl.lit("aspirational"))
        .when(_meets("progressive")).then(pl.lit("progressive"))
        .when(_meets("foundational")).then(pl.lit("foundational"))
        .otherwise(pl.lit("fail"))
    )
    return rows.with_columns(graded.alias("level")).select(
        "facility_id",
        "year",
        "sample_date",
        pl.coalesce(pl.col("parameter_key"), pl.col("parameter").cast(pl.String))
        .alias("parameter"),
        "kind",
        pl.col("value").cast(pl.Float64),
        pl.col("unit").cast(pl.String),
        "level",
    )


def zdhc_rows(graded: pl.LazyFrame) -> pl.LazyFrame:
    """Graded results with the parts the facility-year aggregation sums."""
    level = pl.col("level")
    rank = level.replace_strict(LEVEL_RANK, default=None, return_dtype=pl.Int32)
    scored = pl.col("kind").is_in(list(SCORED_KINDS)) & level.is_not_null()
    return graded.with_columns(
        level.is_not_null().cast(pl.Int32).alias("_tested"),
        (level == "fail").fill_null(False).cast(pl.Int32).alias("_failing"),
        rank.alias("_rank"),
        pl.when(scored).then(rank).otherwise(0).alias("_points"),
        scored.cast(pl.Int32).alias("_scored"),
    )


def zdhc_aggs() -> list[pl.Expr]:
    """Per facility-year: parameters tested, failing, worst rank and ClearStream points."""
    return [
        pl.col("_tested").sum().cast(pl.Int32).alias("zdhc_parameters_tested"),
        pl.col("_failing").sum().cast(pl.Int32).alias("zdhc_parameters_failing_foundational"),
        pl.col("_rank").min().alias("_zdhc_worst_rank"),
        pl.col("_points").sum().cast(pl.Int32).alias("clearstream_points"),
        (pl.col("_scored").sum() * 3).cast(pl.Int32).alias("clearstream_max_points"),
    ]


def zdhc_columns() -> list[pl.Expr]:
    """Overall level name from the worst rank; counts are null for facility-years without tests."""
    names = {rank: level for level, rank in LEVEL_RANK.items()}
    return [
        pl.col("_zdhc_worst_rank").replace_strict(names, default=None, return_dtype=pl.String)
        .alias("zdhc_overall_level"),
    ]
