"""Opportunity level per facility-year and impact area, and the long per-indicator reasons.

An area is assessed when every required indicator could be judged (or, if none is required, at
least one). Its score is the weighted share of its judged indicators that are worse than their
thresholds (0-1). It is `high` when a decisive indicator is worse or the score reaches the area's
`high_at`; without `high_at` (methodology fj-2026.1) any worse indicator makes it high.
Otherwise it is `low`.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.indicators import THRESHOLD_KINDS
from factory_journey.engine.assessment.layout import stack
from factory_journey.engine.assessment.methodology import PEER_LEVELS, Area, Methodology
from factory_journey.engine.assessment.plan import Frame, cached
from factory_journey.engine.assessment.text_tables import combination_texts, picked, texts_dtype
from factory_journey.engine.assessment.thresholds import CERTAINTY_ENUM

LEVELS: tuple[str, ...] = ("high", "low", "not_assessed")
LEVEL_ENUM = pl.Enum(list(LEVELS))
KEYS: tuple[str, ...] = ("facility_id", "year")


def _judged(key: str) -> pl.Expr:
    return pl.col(f"_flag_{key}").is_not_null()


def area_columns(area: Area, flagged: pl.DataType | None = None
                 ) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """`_areagap_`, `_score_`, `_flagged_`, `_judged_` and a temporary `_assessed_` of one
    area; then, from those, `_level_` and `_missing_`. In two steps so that the score and
    whether the area is assessed are computed once (eager frames do not share them).
    `flagged`: the type of `_flagged_` (`flagged_dtype`; default String)."""
    required = [i for i in area.indicators if i.required]
    if required:
        assessed = pl.all_horizontal([_judged(i.key) for i in required])
        blocking = required
    else:
        assessed = pl.any_horizontal([_judged(i.key) for i in area.indicators])
        blocking = list(area.indicators)
    gap = pl.max_horizontal(
        [pl.when(pl.col(f"_flag_{i.key}")).then(pl.col(f"_gap_{i.key}")) for i in area.indicators]
    )
    judged = pl.sum_horizontal([_judged(i.key).cast(pl.Int8) for i in area.indicators])
    first = [
        assessed.alias(f"_assessed_{area.key}"),
        pl.when(assessed).then(gap.fill_null(0.0)).alias(f"_areagap_{area.key}"),
        pl.when(assessed).then(_score_expr(area)).alias(f"_score_{area.key}"),
        _flagged_expr(area, flagged).alias(f"_flagged_{area.key}"),
        judged.cast(pl.Int8).alias(f"_judged_{area.key}"),
    ]
    assessed = pl.col(f"_assessed_{area.key}")
    # The score where the area is assessed (never null there: something was judged).
    score = pl.col(f"_score_{area.key}")
    if area.high_at is None:
        is_high = score > 0
    else:
        decisive = [
            pl.col(f"_flag_{i.key}").fill_null(False) for i in area.indicators if i.decisive
        ]
        # A small tolerance: weights like 1/3 must not miss a `high_at` they meet exactly.
        is_high = (score >= area.high_at - 1e-9) | pl.any_horizontal([pl.lit(False), *decisive])
    # Picked from one short Series (see pathways.modules_expr); an Enum, so that the steps
    # compare and rank it by its code (LEVEL_ENUM's order is the ranking order).
    level = pl.lit(pl.Series(LEVELS, dtype=LEVEL_ENUM)).gather(
        pl.when(~assessed).then(2).when(is_high).then(0).otherwise(1)
    )
    # Not assessed: the data that blocked it; assessed: the optional indicators left out. One
    # text either way: an indicator that does not block counts only where the area is assessed.
    blocks = {i.key for i in blocking}
    parts, named = [], []
    for i in area.indicators:
        miss = pl.col(f"_miss_{i.key}")
        parts.append(miss if i.key in blocks else pl.when(assessed).then(miss))
        named.append(miss.is_not_null() if i.key in blocks else assessed & miss.is_not_null())
    # Null rather than "" where nothing is missing; the booleans decide, so the text is made
    # once.
    missing = pl.when(pl.any_horizontal(named)).then(
        pl.concat_str(parts, separator="; ", ignore_nulls=True)
    )
    return first, [level.alias(f"_level_{area.key}"), missing.alias(f"_missing_{area.key}")]


#: Up to this many indicators in an area, its `_flagged_` text is looked up (2**n texts).
_FLAG_TABLE_MAX = 10


def _flag_texts(area: Area) -> list[str | None] | None:
    """Every `_flagged_` text of `area` by bit code; None when the area has more than
    `_FLAG_TABLE_MAX` indicators (its text is then joined per row)."""
    return combination_texts([i.key for i in area.indicators], _FLAG_TABLE_MAX)


def flagged_dtype(methodology: Methodology) -> pl.DataType:
    """The type of every `_flagged_<area>` (the opportunities' and steps' `indicators_worse`):
    one for all areas (`text_tables.texts_dtype`)."""
    return cached("flagged_dtype", (methodology,), frozenset(),
                  lambda: texts_dtype(_flag_texts(a) for a in methodology.areas))


def _flagged_expr(area: Area, dtype: pl.DataType | None = None) -> pl.Expr:
    """`;`-joined keys of the area's indicators worse than their thresholds; null if none.

    Looked up by a bit code in a table of every combination: each row then points into a
    few short strings instead of having its text joined (7 areas x 250,000 rows: ~10x
    faster). Larger areas join the text."""
    keys = [i.key for i in area.indicators]
    flags = [pl.col(f"_flag_{k}").fill_null(False) for k in keys]
    texts = _flag_texts(area)
    if texts is None:
        text = pl.concat_str(
            [pl.when(flag).then(pl.lit(k)) for k, flag in zip(keys, flags, strict=True)],
            separator=";",
            ignore_nulls=True,
        )
        return pl.when(pl.any_horizontal(flags)).then(text)
    code = pl.sum_horizontal(
        [flag.cast(pl.UInt16) * (1 << bit) for bit, flag in enumerate(flags)]
    )
    return picked(texts, dtype or pl.String(), code)


def _score_expr(area: Area) -> pl.Expr:
    """Weighted share (0-1) of the judged indicators worse than their thresholds; null if none."""
    worse = pl.sum_horizontal(
        [pl.col(f"_flag_{i.key}").cast(pl.Float64) * i.weight for i in area.indicators]
    )
    judged = pl.sum_horizontal(
        [_judged(i.key).cast(pl.Float64) * i.weight for i in area.indicators]
    )
    return pl.when(judged > 0).then(worse / judged)


def add_area_levels(frame: Frame, methodology: Methodology) -> Frame:
    """Add the `_level_ _areagap_ _score_ _flagged_ _missing_ _judged_` columns of every area."""
    def build() -> tuple[list[pl.Expr], list[pl.Expr], list[str]]:
        flagged = flagged_dtype(methodology)
        steps = [area_columns(a, flagged) for a in methodology.areas]
        return (
            [e for first, _ in steps for e in first],
            [e for _, then in steps for e in then],
            [f"_assessed_{a.key}" for a in methodology.areas],
        )

    first, then, temporary = cached("levels", (methodology,), frozenset(), build)
    return frame.with_columns(first).with_columns(then).drop(temporary)


def indicator_frame(frame: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Long frame: one row per facility-year × indicator, with the reasons behind each level.

    Item-major: all facility-years (in `frame`'s order) of the first indicator of the
    methodology, then of the second, …; no reordering of 15 million rows at scale.
    """
    selects = cached(
        "indicator_frame", (methodology,), frozenset(), lambda: _indicator_selects(methodology)
    )
    return stack(frame, selects)


def _indicator_selects(methodology: Methodology) -> list[list[pl.Expr]]:
    # Low-cardinality text as Enum: 4 bytes a row instead of a string, for 15 M rows at scale.
    area_enum = pl.Enum([a.key for a in methodology.areas])
    indicators = [i for _, i in methodology.indicators()]
    indicator_enum = pl.Enum([i.key for i in indicators])
    column_enum = pl.Enum(sorted({i.column for i in indicators}))
    unit_enum = pl.Enum(sorted({i.unit for i in indicators}))
    direction_enum = pl.Enum(["lower_is_better", "higher_is_better"])
    kind_enum = pl.Enum(list(THRESHOLD_KINDS))
    level_enum = pl.Enum(list(PEER_LEVELS))
    version_enum = pl.Enum([methodology.label])
    parts = []
    peer_keys = [i.key for i in indicators if i.threshold.kind == "peer"]
    # An indicator without peers has no group: null, of the type of the peer indicators'
    # (an Enum of the peer table's groups, `peers.peer_group_dtype`), so the parts stack.
    no_group = (pl.when(pl.lit(False)).then(pl.col(f"_pgrp_{peer_keys[0]}")) if peer_keys
                else pl.lit(None, pl.String))
    for area, ind in methodology.indicators():
        k = ind.key
        # made per peer group in peers.attach_peers, not per row
        peer_group = pl.col(f"_pgrp_{k}") if ind.threshold.kind == "peer" else no_group
        parts.append(
            [
                *[pl.col(k) for k in KEYS],
                pl.lit(area.key, area_enum).alias("area"),
                pl.lit(k, indicator_enum).alias("indicator"),
                pl.lit(ind.column, column_enum).alias("column"),
                pl.lit(ind.unit, unit_enum).alias("unit"),
                pl.lit(ind.direction, direction_enum).alias("direction"),
                pl.col(f"_v_{k}").alias("value"),
                pl.col(f"_t_{k}").alias("threshold"),
                pl.col(f"_kind_{k}").cast(kind_enum).alias("threshold_kind"),
                # already these Enums (thresholds.resolve_absolute, peers.attach_peers)
                pl.col(f"_abscert_{k}").cast(CERTAINTY_ENUM).alias("threshold_certainty"),
                pl.col(f"_lvl_{k}").cast(level_enum).alias("peer_level"),
                peer_group.alias("peer_group"),
                pl.col(f"_n_{k}").alias("peer_group_size"),
                pl.col(f"_flag_{k}").alias("worse_than_threshold"),
                pl.col(f"_gap_{k}").alias("gap"),
                pl.col(f"_miss_{k}").alias("missing_data"),
                pl.lit(methodology.label, version_enum).alias("methodology_version"),
            ]
        )
    return parts
