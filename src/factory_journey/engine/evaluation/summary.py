"""Shares of facilities improving, changes per group and regional insights, with their counts.

Every share comes with the counts behind it: facilities in the cell, comparable ones,
improved, held, regressed and not comparable. A share is over comparable facilities only;
the not-comparable ones are counted beside it, never dropped silently.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.evaluation.cycles import HELD, IMPROVED, NOT_COMPARABLE, REGRESSED


def _group_rank(by: list[str], group_order: list[str] | None) -> list[pl.Expr]:
    """Sort keys: a `group` column in the rules' order, other `by` columns as they are."""
    ranks = {key: i for i, key in enumerate(group_order or [])}
    return [
        pl.col(c).replace_strict(ranks, default=len(ranks), return_dtype=pl.Int64)
        if c == "group" and group_order
        else pl.col(c)
        for c in by
    ]


def improvement_shares(
    judged: pl.DataFrame,
    by: list[str],
    *,
    min_n: int,
    area_order: list[str],
    group_order: list[str] | None = None,
) -> pl.DataFrame:
    """Counts and shares [0–1] of improved / held / regressed facilities per `by` × area.

    `judged` has one row per facility × area with `status` (and the `by` columns).
    `enough_data` is false where fewer than `min_n` facilities are comparable. Rows come in
    `group_order` (when `by` has `group`), then `area_order`.
    """
    keys = [*by, "area"]
    status = pl.col("status")
    counts = judged.group_by(keys).agg(
        pl.len().alias("n_facilities"),
        (status != NOT_COMPARABLE).sum().alias("n_comparable"),
        (status == IMPROVED).sum().alias("n_improved"),
        (status == HELD).sum().alias("n_held"),
        (status == REGRESSED).sum().alias("n_regressed"),
        (status == NOT_COMPARABLE).sum().alias("n_not_comparable"),
    )
    n = pl.col("n_comparable")

    def share(column: str) -> pl.Expr:
        return pl.when(n > 0).then(pl.col(column) / n).otherwise(None)

    order = pl.DataFrame({"area": area_order, "_order": list(range(len(area_order)))})
    return (
        counts.with_columns(
            pl.col(c).cast(pl.Int64)
            for c in ("n_facilities", "n_comparable", "n_improved", "n_held", "n_regressed",
                      "n_not_comparable")
        )
        .with_columns(
            share("n_improved").alias("share_improved"),
            share("n_held").alias("share_held"),
            share("n_regressed").alias("share_regressed"),
            (n >= min_n).alias("enough_data"),
        )
        .join(order, on="area", how="left")
        .sort([*_group_rank(by, group_order), "_order"], nulls_last=True)
        .drop("_order")
    )


def change_by_group(
    judged: pl.DataFrame,
    *,
    area_order: list[str],
    group_order: list[str] | None = None,
    by: str = "group",
) -> pl.DataFrame:
    """Mean, median and standard deviation of the change per `by` × area, with n.

    Changes are in the area's change unit (% of baseline, percentage points or count).
    """
    comparable = judged.filter(pl.col("status") != NOT_COMPARABLE)
    order = pl.DataFrame({"area": area_order, "_order": list(range(len(area_order)))})
    return (
        comparable.group_by([by, "area", "change_unit"])
        .agg(
            pl.len().cast(pl.Int64).alias("n_comparable"),
            pl.col("change").mean().alias("mean_change"),
            pl.col("change").median().alias("median_change"),
            pl.col("change").std().alias("std_change"),
            pl.col("value_start").mean().alias("mean_value_baseline"),
            pl.col("value_end").mean().alias("mean_value_followup"),
        )
        .join(order, on="area", how="left")
        .sort([*_group_rank([by], group_order), "_order"], nulls_last=True)
        .drop("_order")
    )


def not_comparable_reasons(judged: pl.DataFrame, *, by: list[str]) -> pl.DataFrame:
    """How many facility-areas were not comparable, per `by` × area × reason."""
    return (
        judged.filter(pl.col("status") == NOT_COMPARABLE)
        .group_by([*by, "area", "reason"])
        .agg(pl.len().cast(pl.Int64).alias("n_facilities"))
        .sort([*by, "area", "n_facilities"], descending=[False] * (len(by) + 1) + [True])
    )


def regional_insights(
    shares_by_country: pl.DataFrame, *, min_n: int, areas: list[str]
) -> pl.DataFrame:
    """Countries ranked by share improving per area; countries below `min_n` are not ranked.

    Returns area, rank (null when too few), country_iso2, share_improved [0–1], n_comparable,
    n_improved and note.
    """
    frame = shares_by_country.filter(pl.col("area").is_in(areas))
    ranked = (
        frame.filter(pl.col("enough_data"))
        .sort(["area", "share_improved", "n_comparable", "country_iso2"],
              descending=[False, True, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).over("area").cast(pl.Int64).alias("rank"))
    )
    unranked = frame.filter(~pl.col("enough_data")).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("rank")
    )
    note = pl.when(pl.col("rank").is_null()).then(
        pl.format("too few comparable facilities to rank (n={}, at least {} needed)",
                  pl.col("n_comparable"), pl.lit(min_n))
    ).otherwise(None)
    columns = ["area", "rank", "country_iso2", "share_improved", "n_comparable", "n_improved"]
    order = pl.DataFrame({"area": areas, "_order": list(range(len(areas)))})
    return (
        pl.concat([ranked.select(columns), unranked.select(columns)], how="vertical")
        .with_columns(note.alias("note"))
        .join(order, on="area", how="left")
        .sort(["_order", "rank", "country_iso2"], nulls_last=True)
        .drop("_order")
    )


def insight_sentences(
    insights: pl.DataFrame,
    labels: dict[str, str],
    *,
    top: int = 2,
    names: dict[str, str] | None = None,
) -> list[str]:
    """Plain sentences naming the countries with the highest share improving per area.

    `names` maps ISO alpha-2 codes to the names to print (default: the codes).
    """
    names = names or {}
    sentences: list[str] = []
    for area, label in labels.items():
        leaders = insights.filter((pl.col("area") == area) & pl.col("rank").is_not_null())
        if leaders.is_empty():
            continue
        parts = [
            f"{names.get(row['country_iso2'], row['country_iso2'])} "
            f"({row['share_improved']:.0%}, n={row['n_comparable']})"
            for row in leaders.head(top).iter_rows(named=True)
        ]
        sentences.append(f"{label}: highest share of facilities improving in {', '.join(parts)}.")
    return sentences
