"""Participation groups and cohort definitions.

A facility's group follows from the programmes active in the evaluation window (1 January of
the baseline year to 31 December of the follow-up year), read from the `programmes` table
(contracts §2) or, when that table is absent, from the matrix's `programmes_active` column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from factory_journey.engine.evaluation.rules import EvaluationRules


@dataclass(frozen=True, slots=True)
class Cohort:
    """Which facilities an evaluation covers; an empty tuple means no restriction.

    `programmes` keeps facilities that took part in any of them plus the control group;
    `countries` are ISO 3166 alpha-2 or alpha-3 codes; `factory_types` are journey factory
    types (`cut_sew`, `mill`, `vertical`, …) as of the baseline year (else the follow-up).
    """

    programmes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    factory_types: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [
            f"{name}: {', '.join(values)}"
            for name, values in (
                ("programmes", self.programmes),
                ("countries", self.countries),
                ("factory types", self.factory_types),
            )
            if values
        ]
        return "; ".join(parts) if parts else "all facilities"


def _as_date(column: str, frame: pl.DataFrame, *, end_of_period: bool) -> pl.Expr:
    """A date column; text `YYYY`, `YYYY-MM` or `YYYY-MM-DD` is read as a date.

    A month or year alone is taken as its first day for a start and its last day for an end.
    """
    if column not in frame.columns:
        return pl.lit(None, dtype=pl.Date)
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column)
    if dtype == pl.Datetime:
        return pl.col(column).dt.date()
    text = pl.col(column).cast(pl.String).str.strip_chars()
    padded = (
        pl.when(text.str.len_chars() == 4)
        .then(text + ("-12-01" if end_of_period else "-01-01"))
        .when(text.str.len_chars() == 7)
        .then(text + "-01")
        .otherwise(text.str.slice(0, 10))
    )
    parsed = padded.str.to_date("%Y-%m-%d", strict=False)
    if end_of_period:
        short = text.str.len_chars() < 10
        return pl.when(short).then(parsed.dt.month_end()).otherwise(parsed)
    return parsed


def active_programmes(
    baseline_year: int,
    followup_year: int,
    *,
    programmes: pl.DataFrame | None = None,
    matrix: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """facility_id, programme (lower-case key) for every programme active in the window."""
    window_start = dt.date(baseline_year, 1, 1)
    window_end = dt.date(followup_year, 12, 31)
    if programmes is not None and {"facility_id", "programme"} <= set(programmes.columns):
        start = _as_date("start_date", programmes, end_of_period=False)
        end = _as_date("end_date", programmes, end_of_period=True)
        overlaps = start.fill_null(window_start) <= window_end
        overlaps = overlaps & (end.is_null() | (end >= window_start))
        return (
            programmes.filter(overlaps)
            .select(
                pl.col("facility_id").cast(pl.String),
                pl.col("programme").cast(pl.String).str.strip_chars().str.to_lowercase(),
            )
            .filter(pl.col("programme").is_not_null() & (pl.col("programme") != ""))
            .unique()
        )
    if matrix is not None and "programmes_active" in matrix.columns:
        return (
            matrix.filter(pl.col("year").is_between(baseline_year, followup_year))
            .select(
                pl.col("facility_id").cast(pl.String),
                pl.col("programmes_active").cast(pl.String).str.split(";").alias("programme"),
            )
            .explode("programme")
            .with_columns(pl.col("programme").str.strip_chars().str.to_lowercase())
            .filter(pl.col("programme").is_not_null() & (pl.col("programme") != ""))
            .unique()
        )
    return pl.DataFrame(schema={"facility_id": pl.String, "programme": pl.String})


def participation_groups(
    facility_ids: pl.Series, active: pl.DataFrame, rules: EvaluationRules
) -> pl.DataFrame:
    """facility_id, programmes (`;`-joined, sorted), group (first matching rule of `rules`)."""
    per_facility = active.group_by("facility_id").agg(
        pl.col("programme").unique().sort().str.join(";").alias("programmes"),
        pl.col("programme").unique().alias("_set"),
    )
    frame = (
        pl.DataFrame({"facility_id": facility_ids.cast(pl.String)})
        .unique(maintain_order=True)
        .join(per_facility, on="facility_id", how="left", maintain_order="left")
        .with_columns(pl.col("programmes").fill_null(""))
    )
    has_any = pl.col("_set").list.len().fill_null(0) > 0

    def has(key: str) -> pl.Expr:
        return pl.col("_set").list.contains(key).fill_null(False)

    # Built from the last rule backwards so that the first matching rule wins.
    group: pl.Expr = pl.lit(None, dtype=pl.String)
    for rule in reversed(rules.groups):
        condition = pl.lit(True)
        if rule.none:
            condition = ~has_any
        if rule.any:
            condition = condition & has_any
        for key in rule.all_of:
            condition = condition & has(key)
        for key in rule.none_of:
            condition = condition & ~has(key)
        group = pl.when(condition).then(pl.lit(rule.key)).otherwise(group)
    return frame.with_columns(group.alias("group")).drop("_set")


def facility_attributes(
    matrix: pl.DataFrame, baseline_year: int, followup_year: int
) -> pl.DataFrame:
    """One row per facility: name, country, factory type in both years, years present.

    Country, name and type are the baseline year's, else the follow-up year's, else the latest.
    """
    columns = set(matrix.columns)

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in columns else pl.lit(None, dtype=pl.String).alias(name)

    year = pl.col("year")
    years = sorted(int(y) for y in matrix.get_column("year").unique().drop_nulls().to_list())

    def pick(name: str) -> pl.Expr:
        # Baseline row, else follow-up row, else the latest row: no sort of the long frame.
        column = pl.col(name)
        return pl.coalesce(
            column.filter(year == baseline_year).first(),
            column.filter(year == followup_year).first(),
            column.sort_by(year).last(),
        )

    return (
        matrix.select(
            pl.col("facility_id").cast(pl.String),
            "year",
            col("facility_name"),
            col("country_iso2"),
            col("country_iso3"),
            col("journey_factory_type"),
        )
        .group_by("facility_id")
        .agg(
            pick("facility_name"),
            pick("country_iso2"),
            pick("country_iso3"),
            pick("journey_factory_type").alias("factory_type"),
            pl.col("journey_factory_type").filter(year == baseline_year).first()
            .alias("factory_type_baseline"),
            pl.col("journey_factory_type").filter(year == followup_year).first()
            .alias("factory_type_followup"),
            (year == baseline_year).any().alias("in_baseline"),
            (year == followup_year).any().alias("in_followup"),
            # One flag per distinct year, joined below: a list per facility costs 5× more.
            *((year == y).any().alias(f"_in_{y}") for y in years),
        )
        .with_columns(
            (
                pl.concat_str(
                    [pl.when(pl.col(f"_in_{y}")).then(pl.lit(str(y))) for y in years],
                    separator=";",
                    ignore_nulls=True,
                )
                if years
                else pl.lit("", dtype=pl.String)
            ).alias("years_present")
        )
        .drop(f"_in_{y}" for y in years)
        .sort("facility_id")
    )


def apply_cohort(facilities: pl.DataFrame, cohort: Cohort, control_group: str) -> pl.DataFrame:
    """Add `in_cohort` and `excluded_because` (null when included) to a facility frame.

    `facilities` needs columns programmes, group, country_iso2, country_iso3, factory_type.
    """
    reasons: list[tuple[pl.Expr, str]] = []
    if cohort.programmes:
        wanted = [p.strip().lower() for p in cohort.programmes]
        took_part = pl.col("programmes").str.split(";").list.set_intersection(wanted).list.len()
        keep = (took_part > 0) | (pl.col("group") == control_group)
        reasons.append((keep, f"not in programmes {', '.join(wanted)} nor in the control group"))
    if cohort.countries:
        codes = [c.strip().upper() for c in cohort.countries]
        keep = pl.col("country_iso2").is_in(codes).fill_null(False) | pl.col(
            "country_iso3"
        ).is_in(codes).fill_null(False)
        reasons.append((keep, f"country not in {', '.join(codes)}"))
    if cohort.factory_types:
        types = [t.strip().lower() for t in cohort.factory_types]
        keep = pl.col("factory_type").is_in(types).fill_null(False)
        reasons.append((keep, f"factory type not in {', '.join(types)}"))
    because = pl.lit(None, dtype=pl.String)
    for keep, text in reversed(reasons):
        because = pl.when(~keep).then(pl.lit(text)).otherwise(because)
    return facilities.with_columns(because.alias("excluded_because")).with_columns(
        pl.col("excluded_because").is_null().alias("in_cohort")
    )
