"""Indicator results: value, threshold (absolute or peer), flag and gap, vectorised.

For every indicator `k` the frame gains:
`_v_k` value [indicator unit], `_t_k` threshold [same unit], `_kind_k` (`absolute`, `peer`,
or `absolute_fallback` when no peer group was large enough), `_lvl_k` peer level, `_n_k` peer
group size [count], `_flag_k` (True = worse than the threshold), `_gap_k` (0–1) and `_miss_k`
(the missing inputs in words, null when the value is present).
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.methodology import Indicator, Methodology
from factory_journey.engine.assessment.peers import LEVEL_ENUM, attach_peers, peer_table
from factory_journey.engine.assessment.plan import cached
from factory_journey.engine.assessment.text_tables import picked, texts_dtype

THRESHOLD_KINDS: tuple[str, ...] = ("absolute", "peer", "absolute_fallback")


def value_expr(indicator: Indicator, columns: set[str]) -> pl.Expr:
    """The indicator's value as Float64; ordinal levels and yes/no answers become numbers."""
    if indicator.column not in columns:
        return pl.lit(None, pl.Float64)
    col = pl.col(indicator.column)
    if indicator.ordinal is not None:
        mapping = {k: float(v) for k, v in indicator.ordinal.items()}
        return col.cast(pl.String).replace_strict(mapping, default=None, return_dtype=pl.Float64)
    if indicator.boolean:
        return col.cast(pl.Boolean, strict=False).cast(pl.Float64)
    return col.cast(pl.Float64, strict=False)


def gap_expr(indicator: Indicator, value: pl.Expr, threshold: pl.Expr) -> pl.Expr:
    """Size of the gap to the threshold, 0–1 [fraction].

    relative: the share of the current value to remove (lower is better) or the shortfall as a
    share of the threshold (higher is better); absolute: the plain difference of two shares.
    """
    if indicator.gap == "absolute":
        raw = (value - threshold).abs()
    elif indicator.direction == "lower_is_better":
        raw = pl.when(value > 0).then((value - threshold) / value).otherwise(0.0)
    else:
        raw = pl.when(threshold > 0).then((threshold - value) / threshold).otherwise(0.0)
    return raw.clip(0.0, 1.0)


def _input_missing(name: str, columns: set[str]) -> pl.Expr:
    """The name of input `name` when it is null. `production_volume` stands for the volume on
    the facility's intensity basis (pcs or kg), or for the basis itself when that is unknown."""
    if name == "production_volume":
        basis = pl.col("_basis")
        pcs, kg = "production_volume_pcs", "production_volume_kg"
        return (
            pl.when(basis == "pc")
            .then(
                pl.when(pl.col(pcs).is_null()).then(pl.lit(pcs)) if pcs in columns else pl.lit(pcs)
            )
            .when(basis == "kg")
            .then(pl.when(pl.col(kg).is_null()).then(pl.lit(kg)) if kg in columns else pl.lit(kg))
            .otherwise(pl.lit("intensity_basis"))
        )
    if name not in columns:
        return pl.lit(name)
    return pl.when(pl.col(name).is_null()).then(pl.lit(name))


def missing_expr(indicator: Indicator, columns: set[str]) -> pl.Expr:
    """`column` or `column (missing: a, b)` naming the null inputs; null when the value exists."""
    parts = [_input_missing(name, columns) for name in indicator.requires]
    inputs = (
        pl.concat_str(parts, separator=", ", ignore_nulls=True)
        if parts
        else pl.lit(None, pl.String)
    )
    named = (
        pl.when(inputs.is_not_null() & (inputs != ""))
        .then(pl.format("{} (missing: {})", pl.lit(indicator.column), inputs))
        .otherwise(pl.lit(indicator.column))
    )
    present = (
        pl.col(indicator.column).is_not_null() if indicator.column in columns else pl.lit(False)
    )
    return pl.when(present).then(pl.lit(None, pl.String)).otherwise(named)


#: `_kind_<key>`: an Enum of the threshold kinds (absolute, peer, absolute_fallback).
_KINDS = pl.lit(pl.Series(THRESHOLD_KINDS, dtype=pl.Enum(list(THRESHOLD_KINDS))))
#: Up to this many texts, an indicator's `_miss_` text is looked up by a code.
_MISSING_TABLE_MAX = 4096
_NO_THRESHOLD = "{} (no threshold for this factory type, basis or region)"


def _input_states(name: str, columns: set[str]) -> tuple[list[str | None], pl.Expr]:
    """What `_input_missing` can give for input `name` (None: not missing), and an Int64 code
    of which one it gives (the index in that list)."""
    if name == "production_volume":
        basis = pl.col("_basis")
        pcs, kg = "production_volume_pcs", "production_volume_kg"
        pcs_code = pl.col(pcs).is_null().cast(pl.Int64) if pcs in columns else pl.lit(1)
        kg_code = pl.col(kg).is_null().cast(pl.Int64) * 2 if kg in columns else pl.lit(2)
        code = pl.when(basis == "pc").then(pcs_code).when(basis == "kg").then(kg_code)
        return [None, pcs, kg, "intensity_basis"], code.otherwise(3)
    if name not in columns:
        return [name], pl.lit(0, pl.Int64)
    return [None, name], pl.col(name).is_null().cast(pl.Int64)


def _missing_table(indicator: Indicator, columns: set[str]) -> list[str | None] | None:
    """Every text `_miss_<key>` can be (by code: null, no threshold, then one per combination
    of missing inputs); None when there would be more than `_MISSING_TABLE_MAX`."""
    states = [_input_states(name, columns) for name in indicator.requires]
    size = 1
    for texts, _ in states:
        size *= len(texts)
    if size + 2 > _MISSING_TABLE_MAX:
        return None
    table: list[str | None] = [None, _NO_THRESHOLD.format(indicator.column)]
    for number in range(size):
        names: list[str | None] = []
        rest = number
        for texts, _ in reversed(states):  # the last input is the lowest digit
            rest, digit = divmod(rest, len(texts))
            names.append(texts[digit])
        given = ", ".join(n for n in reversed(names) if n is not None)
        table.append(f"{indicator.column} (missing: {given})" if given else indicator.column)
    return table


def missing_dtype(methodology: Methodology) -> pl.DataType:
    """The type of every `_miss_<key>` (and of the indicators' `missing_data`): an Enum of
    every text any indicator of `methodology` can give, alphabetical, when each indicator's
    texts can be listed (`_missing_table`), else String.

    An Enum, because Parquet writes it from its codes: as text, `missing_data` was ~0.7 s of
    CPU of writing the 15 M indicator rows of a million facility-years (docs/performance.md,
    "Text columns as Enums"). The texts listed are those with every input in the matrix, which
    include those of any fewer columns: one type per methodology, whatever the matrix holds."""

    def build() -> pl.DataType:
        return texts_dtype(_missing_table(indicator, set(indicator.requires))
                           for _, indicator in methodology.indicators())

    return cached("missing_dtype", (methodology,), frozenset(), build)


def coded_missing_expr(
    indicator: Indicator, columns: set[str], dtype: pl.DataType | None = None
) -> pl.Expr | None:
    """The final `_miss_<key>` (`missing_expr`, or the no-threshold text where a value has
    no threshold), looked up in a table of every text it can be by a code of which inputs
    are missing: each row then points into a few short strings instead of having its text
    formatted (15 indicators x 250,000 rows: ~10x faster). None when the table would be
    larger than `_MISSING_TABLE_MAX`. Reads `_v_<key>` and `_t_<key>`. `dtype`: of the
    texts (`missing_dtype`; default String)."""
    table = _missing_table(indicator, columns)
    if table is None:
        return None
    states = [_input_states(name, columns) for name in indicator.requires]
    code: pl.Expr = pl.lit(0, pl.Int64)
    for texts, which in states:
        code = code * len(texts) + which
    k = indicator.key
    present = (
        pl.col(indicator.column).is_not_null() if indicator.column in columns else pl.lit(False)
    )
    final = (
        pl.when(pl.col(f"_v_{k}").is_not_null() & pl.col(f"_t_{k}").is_null())
        .then(1)
        .when(present)
        .then(0)
        .otherwise(code + 2)
    )
    return picked(table, dtype or pl.String(), final)


def value_columns(
    frame: pl.DataFrame, methodology: Methodology, columns: frozenset[str]
) -> pl.DataFrame:
    """`frame` with the `_v_<key>` value of every indicator [indicator unit]."""
    steps = cached(
        "indicators", (methodology,), columns, lambda: _indicator_steps(methodology, columns)
    )
    return frame.with_columns(steps[0])


def evaluate_indicators(
    frame: pl.DataFrame,
    methodology: Methodology,
    columns: frozenset[str],
    peers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Add the `_v_ _t_ _kind_ _lvl_ _n_ _flag_ _gap_ _miss_` columns for every indicator.

    `frame` must hold `_ftype`, `_basis`, the `_pk_*` group keys and the `_abs_<key>` absolute
    thresholds; `columns` are the matrix columns present. `peers`: a peer table (see
    `peers.peer_table`) to judge against, e.g. a platform's peer snapshot; None = the peer
    groups of `frame` itself.
    """
    steps = cached(
        "indicators", (methodology,), columns, lambda: _indicator_steps(methodology, columns)
    )
    frame = frame.with_columns(steps[0])
    table = peer_table(frame, methodology) if peers is None else peers
    frame = attach_peers(frame, table, methodology)
    for step in steps[1:]:
        frame = frame.with_columns(step)
    return frame


def _indicator_steps(
    methodology: Methodology, matrix_columns: frozenset[str]
) -> list[list[pl.Expr]]:
    columns = set(matrix_columns)
    values = [
        value_expr(ind, columns).alias(f"_v_{ind.key}") for _, ind in methodology.indicators()
    ]
    exprs: list[pl.Expr] = []
    for _, ind in methodology.indicators():
        k = ind.key
        value = pl.col(f"_v_{k}")
        absolute = pl.col(f"_abs_{k}")
        if ind.threshold.kind == "peer":
            peer = pl.col(f"_peer_{k}")
            level, size = pl.col(f"_plvl_{k}"), pl.col(f"_pn_{k}")
            threshold = pl.coalesce(peer, absolute)
            code: pl.Expr = pl.when(peer.is_not_null()).then(1).when(absolute.is_not_null()).then(2)
        else:
            threshold, level, size = absolute, pl.lit(None, LEVEL_ENUM), pl.lit(None, pl.UInt32)
            code = pl.when(absolute.is_not_null()).then(0)
        # `THRESHOLD_KINDS` picked by code from a short Series (null code: null kind)
        kind = _KINDS.gather(code)
        exprs += [
            threshold.alias(f"_t_{k}"),
            kind.alias(f"_kind_{k}"),
            level.alias(f"_lvl_{k}"),
            size.alias(f"_n_{k}"),
        ]
        if coded_missing_expr(ind, columns) is None:
            exprs.append(missing_expr(ind, columns).alias(f"_miss_{k}"))
    flags: list[pl.Expr] = []
    for _, ind in methodology.indicators():
        k = ind.key
        value, threshold = pl.col(f"_v_{k}"), pl.col(f"_t_{k}")
        worse = value > threshold if ind.direction == "lower_is_better" else value < threshold
        flags += [
            worse.alias(f"_flag_{k}"),
            pl.when(worse)
            .then(gap_expr(ind, value, threshold))
            .when(worse.is_not_null())
            .then(0.0)
            .alias(f"_gap_{k}"),
        ]
    # A value without any threshold (e.g. an unknown intensity basis) cannot be judged: say so.
    fixes = []
    texts = missing_dtype(methodology)
    for _, ind in methodology.indicators():
        k = ind.key
        coded = coded_missing_expr(ind, columns, texts)
        if coded is not None:
            fixes.append(coded.alias(f"_miss_{k}"))
            continue
        no_threshold = pl.col(f"_v_{k}").is_not_null() & pl.col(f"_t_{k}").is_null()
        fixes.append(
            pl.when(no_threshold)
            .then(
                pl.lit(_NO_THRESHOLD.format(ind.column))
            )
            .otherwise(pl.col(f"_miss_{k}"))
            .alias(f"_miss_{k}")
        )
    return [values, exprs, flags, fixes]
