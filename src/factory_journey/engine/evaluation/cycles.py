"""Improvement cycles: per facility and impact area, improved, held, regressed or not comparable.

A comparison takes a start year and an end year of the Data Matrix (contracts §3). The same
function judges the evaluation window (baseline → follow-up) and every improvement cycle inside
it, so there is one rule for "improved".
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.evaluation.reasons import (
    HELD,
    IMPROVED,
    NOT_COMPARABLE,
    REASONS,
    REGRESSED,
    STATUSES,
    reason_detail,
)
from factory_journey.engine.evaluation.rules import AreaRule, EvaluationRules

__all__ = [
    "HELD",
    "IMPROVED",
    "NOT_COMPARABLE",
    "REASONS",
    "REGRESSED",
    "STATUSES",
    "compare_years",
    "cycle_pairs",
    "disputed_areas",
    "facility_cycle_years",
    "improvement_cycles",
]

# A change exactly at the noise band is "held"; the tolerance keeps 0.95/1.00 - 1 (which is
# -0.05000000000000004 in binary floating point) from counting as beyond a 5 % band.
_BAND_TOLERANCE = 1e-9

_KEYS = ("facility_id", "journey_factory_type", "intensity_basis")


def area_indicator(rule: AreaRule, columns: set[str]) -> pl.Expr:
    """The area's indicator as Float64 [indicator unit]; null where it cannot be computed."""
    if rule.derived_count_of_areas:
        flags = [
            f"{area}_{flag}"
            for area in rule.derived_count_of_areas
            for flag in rule.derived_flags
            if f"{area}_{flag}" in columns
        ]
        if not flags:
            return pl.lit(None, dtype=pl.Float64)
        in_place = [
            pl.all_horizontal(
                pl.col(f"{area}_{flag}").fill_null(False)
                for flag in rule.derived_flags
                if f"{area}_{flag}" in columns
            ).cast(pl.Float64)
            for area in rule.derived_count_of_areas
            if any(f"{area}_{flag}" in columns for flag in rule.derived_flags)
        ]
        answered = pl.any_horizontal(pl.col(c).is_not_null() for c in flags)
        return pl.when(answered).then(pl.sum_horizontal(in_place)).otherwise(None)
    if rule.indicator not in columns:
        return pl.lit(None, dtype=pl.Float64)
    value = pl.col(rule.indicator).cast(pl.Float64)
    return pl.when(value.is_nan()).then(None).otherwise(value)


def _completeness(rule: AreaRule, columns: set[str]) -> tuple[pl.Expr, pl.Expr]:
    """(usable, partial): enough months for a comparison; usable but fewer than 12 months.

    A year is full with `<area>_complete` (12 months or an annual value) and usable with at
    least `min_months_reported` months; without either column every year counts as full.
    """
    has_full = bool(rule.completeness_column and rule.completeness_column in columns)
    has_months = bool(
        rule.months_column and rule.min_months_reported and rule.months_column in columns
    )
    if not has_full and not has_months:
        return pl.lit(True), pl.lit(False)
    full = (
        pl.col(str(rule.completeness_column)).cast(pl.Boolean).fill_null(False)
        if has_full
        else pl.lit(False)
    )
    enough = (
        pl.col(str(rule.months_column)).fill_null(0) >= (rule.min_months_reported or 12)
        if has_months
        else pl.lit(False)
    )
    return full | enough, ~full & enough


def _annualised_value(rule: AreaRule, columns: set[str], partial: pl.Expr) -> pl.Expr:
    """The indicator, scaled to twelve months where the rule says so [indicator unit]."""
    value = area_indicator(rule, columns)
    if not rule.annualise_partial_years or rule.months_column not in columns:
        return value
    months = pl.col(rule.months_column).cast(pl.Float64)
    return pl.when(partial & (months > 0)).then(value * 12.0 / months).otherwise(value)


def _disputed(area: str, columns: set[str]) -> pl.Expr:
    flags = [pl.col(c).fill_null(False) for c in (f"_disputed_{area}",) if c in columns]
    share = f"{area}_disputed_share"
    if share in columns:
        flags.append(pl.col(share).fill_null(0.0) > 0)
    return pl.any_horizontal(flags) if flags else pl.lit(False)


def _year_rows(
    matrix: pl.DataFrame,
    year: int,
    rules: EvaluationRules,
    disputed: pl.DataFrame | None,
    suffix: str,
) -> pl.DataFrame:
    """Wide frame, one row per facility present in `year`, one struct column per area.

    Each struct holds value, complete, verified and disputed, suffixed with `suffix`.
    """
    rows = matrix.filter(pl.col("year") == year)
    if disputed is not None and disputed.height:
        # Disputed areas from the provenance become one boolean column per area.
        flagged = (
            disputed.filter(pl.col("year") == year)
            .select("facility_id", pl.concat_str(pl.lit("_disputed_"), "area").alias("area"),
                    pl.lit(True).alias("flag"))
            .unique()
        )
        if flagged.height:
            wide = flagged.pivot(on="area", index="facility_id", values="flag")
            rows = rows.join(wide, on="facility_id", how="left")
    columns = set(rows.columns)
    usable_partial = {area: _completeness(rule, columns) for area, rule in rules.areas.items()}
    return rows.select(
        "facility_id",
        *(
            (pl.col(k) if k in columns else pl.lit(None, dtype=pl.String)).alias(k + suffix)
            for k in _KEYS[1:]
        ),
        pl.lit(True).alias("present" + suffix),
        *(
            pl.struct(
                _annualised_value(rule, columns, usable_partial[area][1]).alias("value" + suffix),
                usable_partial[area][0].alias("complete" + suffix),
                (
                    usable_partial[area][1] & pl.lit(rule.annualise_partial_years)
                ).alias("annualised" + suffix),
                (
                    pl.col(rule.verified_share_column).cast(pl.Float64)
                    if rule.verified_share_column and rule.verified_share_column in columns
                    else pl.lit(None, dtype=pl.Float64)
                ).alias("verified" + suffix),
                _disputed(area, columns).alias("disputed" + suffix),
            ).alias(area + suffix)
            for area, rule in rules.areas.items()
        ),
    )


def disputed_areas(provenance: pl.DataFrame | None, rules: EvaluationRules) -> pl.DataFrame | None:
    """facility_id, year, area for every area with a disputed input row (from provenance)."""
    if provenance is None or not {"facility_id", "year", "table", "verification_status"} <= set(
        provenance.columns
    ):
        return None
    table_to_area = pl.DataFrame(
        [(t, a) for a, r in rules.areas.items() for t in r.disputed_tables],
        schema={"table": pl.String, "area": pl.String},
        orient="row",
    )
    return (
        provenance.filter(pl.col("verification_status") == "disputed")
        .select("facility_id", pl.col("year").cast(pl.Int64), "table")
        .join(table_to_area, on="table", how="inner")
        .select("facility_id", "year", "area")
        .unique()
    )


def _ids(matrix: pl.DataFrame, facility_ids: pl.Series | None) -> pl.Series:
    if facility_ids is not None:
        return facility_ids
    return matrix.get_column("facility_id").unique(maintain_order=True)


def _area_parameters(rules: EvaluationRules) -> dict[str, dict[str, object]]:
    parameters: dict[str, dict[str, object]] = {}
    for order, (area, rule) in enumerate(rules.areas.items()):
        parameters[area] = {
            "_order": order,
            "indicator": rule.indicator,
            "change_unit": rule.change_unit,
            "_sign": -1.0 if rule.direction == "lower_is_better" else 1.0,
            "_relative": rule.change == "relative",
            "_band": rule.noise_band,
            "_scale": 1.0 if rule.derived_count_of_areas else 100.0,
            "_same_type": rule.same_factory_type_required,
            "_same_basis": rule.same_basis_required,
        }
    return parameters


def compare_years(
    matrix: pl.DataFrame,
    start_year: int,
    end_year: int,
    rules: EvaluationRules,
    *,
    facility_ids: pl.Series | None = None,
    disputed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Judge every facility × area between `start_year` and `end_year`.

    Returns one row per area and facility (of `facility_ids`, default: every facility in
    `matrix`), area by area in the rules' order, facilities sorted within: `value_start`,
    `value_end` [indicator unit], `change` [% of baseline for relative areas, percentage
    points for shares, count for counts], `status` (improved, held, regressed,
    not_comparable), `reason` (a key of `REASONS`, null when comparable) and `detail` (the
    reason in words with the years or values involved).
    """
    # Facilities sorted once: rows come out area by area (rules' order), facilities sorted
    # within, whatever the order of the matrix; sorting the long frame would cost more.
    ids = pl.DataFrame({"facility_id": _ids(matrix, facility_ids).cast(pl.String)}).unique().sort(
        "facility_id"
    )
    start = _year_rows(matrix, start_year, rules, disputed, "_start")
    end = _year_rows(matrix, end_year, rules, disputed, "_end")
    # Join on the facility while wide (one row each), then turn areas into rows: joining the
    # long frame on facility × area costs several times more.
    wide = ids.join(start, on="facility_id", how="left", maintain_order="left").join(
        end, on="facility_id", how="left", maintain_order="left"
    )
    parameters = _area_parameters(rules)
    frame = (
        wide.select(
            "facility_id",
            *(f"{k}{s}" for k in (*_KEYS[1:], "present") for s in ("_start", "_end")),
            *(
                pl.struct(
                    pl.col(f"{area}_start").struct.unnest(),
                    pl.col(f"{area}_end").struct.unnest(),
                    *(pl.lit(v).alias(k) for k, v in parameters[area].items()),
                ).alias(area)
                for area in rules.areas
            ),
        )
        .unpivot(
            index=["facility_id",
                   *(f"{k}{s}" for k in (*_KEYS[1:], "present") for s in ("_start", "_end"))],
            on=list(rules.areas),
            variable_name="area",
        )
        .unnest("value")
    )
    present_s = pl.col("present_start").fill_null(False)
    present_e = pl.col("present_end").fill_null(False)
    value_s, value_e = pl.col("value_start"), pl.col("value_end")
    min_verified = rules.min_verified_share
    reason = (
        pl.when(~present_s | ~present_e).then(pl.lit("not_in_both_years"))
        .when(pl.col("_same_type") & pl.col("journey_factory_type_start").ne_missing(
            pl.col("journey_factory_type_end"))).then(pl.lit("factory_type_changed"))
        .when(pl.col("_same_basis") & pl.col("intensity_basis_start").ne_missing(
            pl.col("intensity_basis_end"))).then(pl.lit("basis_changed"))
        .when(value_s.is_null() | value_e.is_null()).then(pl.lit("missing_indicator"))
        .when(pl.col("_relative") & (value_s == 0)).then(pl.lit("zero_baseline"))
        .when(pl.lit(rules.exclude_disputed) & (pl.col("disputed_start").fill_null(False)
              | pl.col("disputed_end").fill_null(False))).then(pl.lit("disputed_data"))
        .when(~pl.col("complete_start").fill_null(False) | ~pl.col("complete_end").fill_null(
            False)).then(pl.lit("incomplete"))
        .when(pl.lit(min_verified > 0) & ((pl.col("verified_start").fill_null(0) < min_verified)
              | (pl.col("verified_end").fill_null(0) < min_verified))).then(pl.lit("unverified"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    frame = frame.with_columns(reason.alias("reason"))
    raw = pl.when(pl.col("_relative")).then((value_e - value_s) / value_s.abs()).otherwise(
        value_e - value_s
    )
    score = raw * pl.col("_sign")
    band = pl.col("_band") + _BAND_TOLERANCE
    comparable = pl.col("reason").is_null()
    status = (
        pl.when(~comparable).then(pl.lit(NOT_COMPARABLE))
        .when(score > band).then(pl.lit(IMPROVED))
        .when(score < -band).then(pl.lit(REGRESSED))
        .otherwise(pl.lit(HELD))
    )
    frame = frame.with_columns(
        status.alias("status"),
        pl.when(comparable).then(raw * pl.col("_scale")).otherwise(None).alias("change"),
        reason_detail(start_year, end_year).alias("detail"),
    )
    return frame.select(
        "facility_id",
        pl.lit(start_year, dtype=pl.Int64).alias("start_year"),
        pl.lit(end_year, dtype=pl.Int64).alias("end_year"),
        "area",
        "indicator",
        "value_start",
        "value_end",
        "change",
        "change_unit",
        "status",
        "reason",
        "detail",
        pl.col("journey_factory_type_start"),
        pl.col("journey_factory_type_end"),
        pl.col("verified_start").alias("verified_share_start"),
        pl.col("verified_end").alias("verified_share_end"),
        (pl.col("annualised_start").fill_null(False) | pl.col("annualised_end").fill_null(False))
        .alias("annualised"),
    )


def cycle_pairs(baseline_year: int, followup_year: int, cycle_years: int) -> list[tuple[int, int]]:
    """The improvement cycles (start, end) of `cycle_years` that fit in baseline → follow-up."""
    return [
        (start, start + cycle_years)
        for start in range(baseline_year, followup_year - cycle_years + 1, cycle_years)
    ]


def facility_cycle_years(
    matrix: pl.DataFrame, facility_ids: pl.Series, default: int, allowed: tuple[int, ...]
) -> pl.DataFrame:
    """facility_id, cycle_years [years]: the matrix's optional `cycle_years` of the facility
    (its first non-null value by year) when it is an allowed length, else `default`."""
    lengths = pl.DataFrame({"facility_id": facility_ids.cast(pl.String)}).unique(
        maintain_order=True
    )
    if "cycle_years" not in matrix.columns:
        return lengths.with_columns(pl.lit(default, dtype=pl.Int64).alias("cycle_years"))
    own = matrix.sort("year").group_by("facility_id").agg(
        pl.col("cycle_years").drop_nulls().first().cast(pl.Int64).alias("_own")
    )
    return lengths.join(own, on="facility_id", how="left", maintain_order="left").select(
        "facility_id",
        pl.when(pl.col("_own").is_in(list(allowed)))
        .then(pl.col("_own"))
        .otherwise(pl.lit(default, dtype=pl.Int64))
        .alias("cycle_years"),
    )


def improvement_cycles(
    matrix: pl.DataFrame,
    baseline_year: int,
    followup_year: int,
    rules: EvaluationRules,
    *,
    cycle_years: int | None = None,
    facility_ids: pl.Series | None = None,
    disputed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every facility's improvement cycles [years] between baseline and follow-up, judged.

    The cycle length is `cycle_years` (default: the rules' default), or per facility the
    matrix's optional `cycle_years` column (see `facility_cycle_years`). Returns the
    rows of `compare_years` for each cycle with `cycle_years` and `cycle` (1, 2, …).
    """
    default = cycle_years or rules.default_cycle_years
    ids = _ids(matrix, facility_ids)
    lengths = facility_cycle_years(matrix, ids, default, rules.allowed_cycle_years)
    parts: list[pl.DataFrame] = []
    for length in sorted(set(lengths.get_column("cycle_years").to_list())):
        members = lengths.filter(pl.col("cycle_years") == length).get_column("facility_id")
        for number, (start, end) in enumerate(cycle_pairs(baseline_year, followup_year, length)):
            judged = compare_years(
                matrix, start, end, rules, facility_ids=members, disputed=disputed
            )
            parts.append(
                judged.with_columns(
                    pl.lit(length, dtype=pl.Int64).alias("cycle_years"),
                    pl.lit(number + 1, dtype=pl.Int64).alias("cycle"),
                )
            )
    if not parts:
        return compare_years(
            matrix.clear(), baseline_year, followup_year, rules, facility_ids=ids.clear()
        ).with_columns(
            pl.lit(None, dtype=pl.Int64).alias("cycle_years"),
            pl.lit(None, dtype=pl.Int64).alias("cycle"),
        )
    return pl.concat(parts, how="vertical")
