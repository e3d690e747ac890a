"""Pathway steps: rank the areas, choose the recommended and optional pathway, name modules
and measures from the programme catalogue.

Order within a facility-year: areas with a high opportunity, then low, then not assessed; within
each, higher priority first (not-assessed areas: higher relevance first); ties keep the
methodology's area order. Rank 1 is the recommended pathway.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.catalogue import Catalogue
from factory_journey.engine.assessment.maturity import stage_keys
from factory_journey.engine.assessment.methodology import Methodology
from factory_journey.engine.assessment.rules import condition_expr

KEYS: list[str] = ["facility_id", "year"]
_LEVEL_ORDER = {"high": 0, "low": 1, "not_assessed": 2}


def _modules_text(names: list[str]) -> str:
    return ";".join(dict.fromkeys(names))


def modules_expr(area: str, catalogue: Catalogue, columns: set[str]) -> pl.Expr:
    """`;`-joined module keys for an assessed area's step, by maturity and verification."""
    spec = catalogue.area_modules
    foundation = [str(m) for m in spec.get("foundation", [])]
    verification = spec.get("verification")
    until = int(spec.get("foundation_until_stage", 0))
    below = float(spec.get("verification_below_share", 0.0))
    own = catalogue.modules_for(area)
    share_col = f"{area}_verified_share"
    unverified = (
        (pl.col(share_col).cast(pl.Float64).fill_null(0.0) < below)
        if share_col in columns
        else pl.lit(True)
    )
    early = pl.col(f"_stage_{area}") <= until
    tail = [str(verification)] if verification else []
    return (
        pl.when(early & unverified)
        .then(pl.lit(_modules_text(foundation + own + tail)))
        .when(early)
        .then(pl.lit(_modules_text(foundation + own)))
        .when(unverified)
        .then(pl.lit(_modules_text(own + tail)))
        .otherwise(pl.lit(_modules_text(own)))
    )


def _measure_scores(
    area: str, methodology: Methodology, catalogue: Catalogue, columns: set[str]
) -> list[tuple[str, pl.Expr]]:
    """(measure key, sort key) for the measures of `area`; sort key -1 = does not apply.

    Sort key: the largest gap among the failed indicators the measure addresses (0 if none)
    in 1e-4 steps, then catalogue order, so keys are unique and no order depends on sort
    stability.
    """
    flags = {ind.key for _, ind in methodology.indicators()}
    scores: list[tuple[str, pl.Expr]] = []
    for measure in (m for m in catalogue.measures if m.area == area):
        applies: pl.Expr = (
            pl.lit(True)
            if "*" in measure.factory_types
            else pl.col("_ftype").is_in(list(measure.factory_types)).fill_null(False)
        )
        for condition in measure.when:
            applies = applies & condition_expr(condition, columns, area)
        gaps = [
            pl.when(pl.col(f"_flag_{k}")).then(pl.col(f"_gap_{k}"))
            for k in measure.addresses
            if k in flags
        ]
        best = pl.max_horizontal(gaps).fill_null(0.0) if gaps else pl.lit(0.0)
        key = (best * 10_000).round(0).cast(pl.Int64) * 1_000 + (999 - len(scores))
        scores.append((measure.key, pl.when(applies).then(key).otherwise(pl.lit(-1, pl.Int64))))
    return scores


def add_measure_choices(
    frame: pl.DataFrame, methodology: Methodology, catalogue: Catalogue
) -> pl.DataFrame:
    """Add `_measures_<area>`: `;`-joined keys of at most N applicable measures, best first.

    Scores and ranks are materialised as columns in turn so that the pairwise comparisons
    stay cheap for a million rows.
    """
    limit = methodology.pathways.max_measures_per_step
    columns = set(frame.columns)
    per_area = {a.key: _measure_scores(a.key, methodology, catalogue, columns)
                for a in methodology.areas}
    frame = frame.with_columns(
        expr.alias(f"_msk_{a}_{i}") for a, items in per_area.items()
        for i, (_, expr) in enumerate(items)
    )
    ranks = []
    for a, items in per_area.items():
        for i in range(len(items)):
            me = pl.col(f"_msk_{a}_{i}")
            ahead = [(pl.col(f"_msk_{a}_{j}") > me).cast(pl.Int8)
                     for j in range(len(items)) if j != i]
            rank = pl.sum_horizontal(ahead) if ahead else pl.lit(0, pl.Int8)
            ranks.append(pl.when(me >= 0).then(rank).alias(f"_mrk_{a}_{i}"))
    frame = frame.with_columns(ranks)
    texts = []
    for a, items in per_area.items():
        picked = []
        for position in range(min(limit, len(items))):
            choice: pl.Expr = pl.lit(None, pl.String)
            for i, (key, _) in enumerate(items):
                choice = pl.when(pl.col(f"_mrk_{a}_{i}") == position).then(pl.lit(key)).otherwise(
                    choice
                )
            picked.append(choice)
        text = (pl.concat_str(picked, separator=";", ignore_nulls=True) if picked
                else pl.lit("", pl.String))
        texts.append(pl.when(text != "").then(text).alias(f"_measures_{a}"))
    drop = [c for c in frame.columns if c.startswith(("_msk_", "_mrk_"))]
    return frame.with_columns(texts).drop(drop)


def step_frame(frame: pl.DataFrame, methodology: Methodology, catalogue: Catalogue) -> pl.DataFrame:
    """Long frame, one row per facility-year × area, ranked, with pathway role and content."""
    frame = add_measure_choices(frame, methodology, catalogue)
    columns = set(frame.columns)
    area_enum = pl.Enum([a.key for a in methodology.areas])
    stages = stage_keys(methodology)
    foundation_modules = _modules_text([str(m) for m in catalogue.modules_for("data_foundation")])
    foundation_measures = ";".join(m.key for m in catalogue.measures if m.key == "metering") or None
    parts = []
    for order, area in enumerate(methodology.areas):
        a = area.key
        share_col = f"{a}_verified_share"
        parts.append(
            frame.select(
                *KEYS,
                "_ftype",
                pl.lit(a, area_enum).alias("area"),
                pl.lit(order, pl.Int8).alias("_area_order"),
                pl.col(f"_level_{a}").alias("opportunity_level"),
                pl.col(f"_judged_{a}").alias("indicators_judged"),
                pl.col(f"_flagged_{a}").alias("indicators_worse"),
                pl.col(f"_areagap_{a}").alias("gap"),
                pl.col(f"_missing_{a}").alias("missing_data"),
                (
                    pl.col(share_col).cast(pl.Float64)
                    if share_col in columns
                    else pl.lit(None, pl.Float64)
                ).alias("verified_share"),
                pl.col(f"_stage_{a}").alias("maturity_stage"),
                pl.col(f"_stage_{a}")
                .replace_strict(stages, return_dtype=pl.String)
                .alias("maturity_stage_key"),
                pl.col(f"_rel_{a}").alias("relevance"),
                pl.col(f"_reg_{a}").alias("regional_factor"),
                pl.col(f"_adapt_{a}").alias("regional_adaptations"),
                pl.col(f"_need_{a}").alias("maturity_need"),
                pl.when(pl.col(f"_level_{a}") != "not_assessed")
                .then(pl.col(f"_prio_{a}"))
                .alias("priority"),
                pl.when(pl.col(f"_level_{a}") != "not_assessed")
                .then(modules_expr(a, catalogue, columns))
                .otherwise(pl.lit(foundation_modules))
                .alias("modules"),
                pl.when(pl.col(f"_level_{a}") != "not_assessed")
                .then(pl.col(f"_measures_{a}"))
                .alias("measures"),
            )
        )
    long = pl.concat(parts, how="vertical")
    level_order = pl.col("opportunity_level").replace_strict(_LEVEL_ORDER, return_dtype=pl.Int8)
    long = long.with_columns(
        _level_order=level_order,
        _score=pl.coalesce(pl.col("priority"), pl.col("relevance") * 100.0),
    ).sort(
        [*KEYS, "_level_order", "_score", "_area_order"],
        descending=[False, False, False, True, False],
    )
    long = long.with_columns(rank=(pl.int_range(pl.len()).over(KEYS) + 1).cast(pl.Int8))
    first = pl.col("rank") == 1
    pathway = (
        pl.when(first)
        .then(pl.lit("recommended"))
        .when(pl.col("opportunity_level") == "high")
        .then(pl.lit("optional"))
        .when(pl.col("opportunity_level") == "not_assessed")
        .then(pl.lit("collect_data"))
        .otherwise(pl.lit("none"))
    )
    step_kind = (
        pl.when(pl.col("opportunity_level") == "high")
        .then(pl.lit("improve"))
        .when(pl.col("opportunity_level") == "low")
        .then(pl.lit("maintain"))
        .otherwise(pl.lit("data_foundation"))
    )
    return long.with_columns(
        pathway=pathway,
        step_kind=step_kind,
        measures=pl.when(first & (pl.col("opportunity_level") == "not_assessed"))
        .then(pl.lit(foundation_measures, pl.String))
        .otherwise(pl.col("measures")),
        methodology_version=pl.lit(methodology.label),
    ).drop("_level_order", "_score", "_area_order")
