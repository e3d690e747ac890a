"""Peer-based thresholds: a percentile of comparable facilities, widening when peers are few.

Peers share the reporting year and journey factory type (and, for per-unit intensities, the
intensity basis: pieces or kilograms). The methodology lists region levels from narrow to wide;
the first level whose group has at least `min_group_size` values is used.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.methodology import Indicator, PeerRules


def peer_keys(indicator: Indicator, level: str) -> list[str]:
    """Columns that define a peer group for `indicator` at region `level`."""
    # `_pk_*` are Categorical copies of the text keys (see assess): windows over their integer
    # codes are much faster than over strings.
    keys = ["year", "_pk_ftype"]
    if indicator.column.endswith("_per_unit"):
        keys.append("_pk_basis")
    if level != "global":
        keys.append(f"_pk_{level}")
    return keys


def peer_threshold_exprs(
    indicator: Indicator, value: pl.Expr, rules: PeerRules, percentile: float
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(threshold, level, size) of the narrowest large-enough peer group; null when none is.

    threshold in the indicator's unit; level is the region column used (or `global`); size is the
    number of facilities with a value in that group [count].
    """
    threshold: pl.Expr = pl.lit(None, pl.Float64)
    level_used: pl.Expr = pl.lit(None, pl.String)
    size: pl.Expr = pl.lit(None, pl.UInt32)
    # Build the chain from the widest level inwards so the narrowest qualifying level wins.
    for level in reversed(rules.levels):
        keys = peer_keys(indicator, level)
        in_group = pl.all_horizontal([pl.col(k).is_not_null() for k in keys])
        count = value.count().over(keys)
        quantile = value.quantile(percentile, interpolation=rules.interpolation).over(keys)
        usable = in_group & (count >= rules.min_group_size)
        threshold = pl.when(usable).then(quantile).otherwise(threshold)
        level_used = pl.when(usable).then(pl.lit(level)).otherwise(level_used)
        size = pl.when(usable).then(count.cast(pl.UInt32)).otherwise(size)
    return threshold, level_used, size
