"""Statuses and the reasons a facility-area is not comparable, in codes and in words."""

from __future__ import annotations

import polars as pl

#: Statuses of a facility in one area.
IMPROVED, HELD, REGRESSED, NOT_COMPARABLE = "improved", "held", "regressed", "not_comparable"
STATUSES: tuple[str, ...] = (IMPROVED, HELD, REGRESSED, NOT_COMPARABLE)

#: Why a facility-area is not comparable, in the order the checks apply (first wins).
REASONS: dict[str, str] = {
    "not_in_both_years": "the facility has no data row in one or both years",
    "factory_type_changed": "the journey factory type changed between the years",
    "basis_changed": "the production basis of the intensity (pieces or kg) changed",
    "missing_indicator": "the indicator could not be computed in one or both years",
    "zero_baseline": "the start value is 0, so a relative change is undefined",
    "disputed_data": "input data of this area is disputed in one or both years",
    "incomplete": "fewer months reported than the methodology's minimum",
    "unverified": "verified share of the input is below the methodology's minimum",
}


def _which_years(flag_s: pl.Expr, flag_e: pl.Expr, start: int, end: int) -> pl.Expr:
    both = f"{start} and {end}"
    return (
        pl.when(flag_s & flag_e).then(pl.lit(both))
        .when(flag_s).then(pl.lit(str(start)))
        .otherwise(pl.lit(str(end)))
    )


def reason_detail(start: int, end: int) -> pl.Expr:
    """The reason of a not-comparable row in words, with the years or types involved.

    Reads the columns built by `cycles.compare_years` before its final selection.
    """
    present_s = pl.col("present_start").fill_null(False)
    present_e = pl.col("present_end").fill_null(False)
    missing_s = pl.col("value_start").is_null()
    missing_e = pl.col("value_end").is_null()
    disputed_s = pl.col("disputed_start").fill_null(False)
    disputed_e = pl.col("disputed_end").fill_null(False)
    incomplete_s = ~pl.col("complete_start").fill_null(False)
    incomplete_e = ~pl.col("complete_end").fill_null(False)
    reason = pl.col("reason")
    return (
        pl.when(reason == "not_in_both_years").then(
            pl.when(~present_s & ~present_e).then(pl.lit(f"no data for {start} or {end}"))
            .when(~present_s).then(pl.lit(f"data for {end} only, none for {start}"))
            .otherwise(pl.lit(f"data for {start} only, none for {end}"))
        )
        .when(reason == "factory_type_changed").then(pl.concat_str(
            pl.lit("factory type "), pl.col("journey_factory_type_start").fill_null("unknown"),
            pl.lit(f" in {start}, "), pl.col("journey_factory_type_end").fill_null("unknown"),
            pl.lit(f" in {end}")))
        .when(reason == "basis_changed").then(pl.concat_str(
            pl.lit("intensity per "), pl.col("intensity_basis_start").fill_null("unknown"),
            pl.lit(f" in {start}, per "), pl.col("intensity_basis_end").fill_null("unknown"),
            pl.lit(f" in {end}")))
        .when(reason == "missing_indicator").then(pl.concat_str(
            pl.col("indicator"), pl.lit(" missing for "),
            _which_years(missing_s, missing_e, start, end)))
        .when(reason == "zero_baseline").then(pl.concat_str(
            pl.col("indicator"), pl.lit(f" is 0 in {start}")))
        .when(reason == "disputed_data").then(pl.concat_str(
            pl.lit("disputed input for "), _which_years(disputed_s, disputed_e, start, end)))
        .when(reason == "incomplete").then(pl.concat_str(
            pl.lit("incomplete year: "), _which_years(incomplete_s, incomplete_e, start, end)))
        .when(reason == "unverified").then(pl.lit("verified share below the minimum"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
