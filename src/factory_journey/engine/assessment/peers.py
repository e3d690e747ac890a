"""Peer-based thresholds: a percentile of comparable facilities, widening when peers are few.

Peers share the reporting year and journey factory type (and, for per-unit intensities, the
intensity basis: pieces or kilograms). The methodology lists region levels from narrow to wide;
the first level whose group has at least `min_group_size` values is used.

Two steps, each written once: `peer_table` computes the threshold and size of every large-enough
group of a matrix (the command line over its own dataset, the platform over every facility it
holds: a *peer snapshot*); `attach_peers` gives each facility-year the threshold of its narrowest
qualifying group in such a table. So the same facility data and the same table give the same
result wherever they are assessed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl

from factory_journey.engine.assessment.methodology import PEER_LEVELS, Indicator, Methodology

T = TypeVar("T")

#: Version of the peer table's columns, recorded with every platform peer snapshot: 1 threshold
#: and `n`; 2 also `median` (what a report compares a facility with, decision 0051).
PEER_TABLE_VERSION = "2"
#: Columns of a peer table, one row per (indicator, region level, group) with at least
#: `min_group_size` values: `threshold` in the indicator's unit, `n` the values in the group
#: [count], `median` their median in the indicator's unit (null in a table of version 1);
#: `basis` is null for indicators that are not per unit, `region` null at `global`.
PEER_TABLE_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String(),
    "level": pl.String(),
    "year": pl.Int64(),
    "factory_type": pl.String(),
    "basis": pl.String(),
    "region": pl.String(),
    "threshold": pl.Float64(),
    "n": pl.UInt32(),
    "median": pl.Float64(),
}
#: The Categorical copy (`_pk_*`, see assess) of each text key of GROUP_COLUMNS.
CODE_OF: dict[str, str] = {
    "_ftype": "_pk_ftype",
    "_basis": "_pk_basis",
    "country_iso2": "_pk_country_iso2",
    "un_subregion": "_pk_un_subregion",
    "un_region": "_pk_un_region",
}
#: `_plvl_<key>`: the region level of the peer group used.
LEVEL_ENUM = pl.Enum(list(PEER_LEVELS))
#: Columns of a prepared matrix that decide a facility-year's peer groups.
GROUP_COLUMNS: tuple[str, ...] = (
    "year",
    "_ftype",
    "_basis",
    "country_iso2",
    "un_subregion",
    "un_region",
)


def _per_unit(indicator: Indicator) -> bool:
    return indicator.column.endswith("_per_unit")


def peer_keys(indicator: Indicator, level: str) -> list[str]:
    """Columns that define a peer group for `indicator` at region `level`."""
    # `_pk_*` are Categorical copies of the text keys (see assess): grouping by their integer
    # codes is much faster than by strings.
    keys = ["year", "_pk_ftype"]
    if _per_unit(indicator):
        keys.append("_pk_basis")
    if level != "global":
        keys.append(f"_pk_{level}")
    return keys


def empty_peer_table() -> pl.DataFrame:
    """A peer table without any group: every peer threshold falls back to the absolute one."""
    return pl.DataFrame(schema=PEER_TABLE_SCHEMA)


def peer_table(frame: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Threshold, size and median of every peer group of `frame` with at least `min_group_size`
    values.

    `frame` holds the `_v_<key>` indicator values and the `_pk_*` group keys (see assess).
    Smaller groups are left out: their percentile would tell too much about a few facilities,
    and the rule would not use it. Rows are sorted, so the same frame gives the same bytes.
    """
    rules = methodology.peer_rules
    parts: list[pl.DataFrame] = []
    if frame.height < rules.min_group_size:  # no group can qualify: skip the group-bys
        return empty_peer_table()
    peer = [ind for _, ind in methodology.indicators() if ind.threshold.kind == "peer"]
    for level in rules.levels:
        # Indicators with the same group keys share one group-by (per unit or not).
        for kind in (True, False):
            same = [ind for ind in peer if _per_unit(ind) is kind]
            if not same:
                continue
            keys = peer_keys(same[0], level)
            aggregations = []
            for i, ind in enumerate(same):
                assert ind.threshold.percentile is not None
                value = pl.col(f"_v_{ind.key}")
                aggregations += [
                    value.quantile(ind.threshold.percentile, interpolation=rules.interpolation)
                    .alias(f"threshold{i}"),
                    value.count().cast(pl.UInt32).alias(f"n{i}"),
                    # The group's middle value, for a report's "median of n similar
                    # facilities": the same values as the threshold, so the same n.
                    value.median().alias(f"median{i}"),
                ]
            groups = _group(frame, keys, aggregations)
            for i, ind in enumerate(same):
                parts.append(
                    groups.filter(pl.col(f"n{i}") >= rules.min_group_size).select(
                        indicator=pl.lit(ind.key),
                        level=pl.lit(level),
                        year=pl.col("year").cast(pl.Int64),
                        factory_type=pl.col("_pk_ftype").cast(pl.String),
                        basis=(
                            pl.col("_pk_basis").cast(pl.String)
                            if kind
                            else pl.lit(None, pl.String)
                        ),
                        region=(
                            pl.col(f"_pk_{level}").cast(pl.String)
                            if level != "global"
                            else pl.lit(None, pl.String)
                        ),
                        threshold=pl.col(f"threshold{i}").cast(pl.Float64),
                        n=pl.col(f"n{i}"),
                        median=pl.col(f"median{i}").cast(pl.Float64),
                    )
                )
    if not parts:
        return empty_peer_table()
    return (
        pl.concat(parts)
        .cast(PEER_TABLE_SCHEMA)  # type: ignore[arg-type]
        .sort(["indicator", "level", "year", "factory_type", "basis", "region"], nulls_last=True)
    )


#: Largest combined group key [count of combinations]: within Int64, with room.
_KEY_SPACE = 1 << 62


def _group(frame: pl.DataFrame, keys: list[str], aggregations: list[pl.Expr]) -> pl.DataFrame:
    """`aggregations` per group of `keys` (rows with a null key left out), with the keys.

    The keys (an integer year and Categorical codes) are folded into one Int64 first: a
    group-by on one integer is ~3x faster than on four columns (a million rows: 11 against
    32 ms), and the peer table makes eight of them. Keys too wide to fold: grouped as they
    are."""
    parts = [pl.col("year").cast(pl.Int64)]
    parts += [pl.col(k).to_physical().cast(pl.Int64) for k in keys[1:]]
    bounds = frame.select(
        *(p.min().alias(f"lo{i}") for i, p in enumerate(parts)),
        *(p.max().alias(f"hi{i}") for i, p in enumerate(parts)),
    ).row(0)
    lows, highs = bounds[: len(parts)], bounds[len(parts) :]
    space = 1
    for low, high in zip(lows, highs, strict=True):
        space *= 1 if low is None else high - low + 1
    values = list(dict.fromkeys(e.meta.root_names()[0] for e in aggregations))
    if keys[0] != "year" or space > _KEY_SPACE or None in lows:
        return frame.select(*keys, *values).drop_nulls(keys).group_by(keys).agg(aggregations)
    folded: pl.Expr = pl.lit(0, pl.Int64)
    for part, low, high in zip(parts, lows, highs, strict=True):
        folded = folded * (high - low + 1) + (part - low)
    return (
        frame.select(*keys, *values, folded.alias("_group"))
        .drop_nulls("_group")
        .group_by("_group")
        .agg(*(pl.col(k).first() for k in keys), *aggregations)
        .drop("_group")
    )


def validate_peer_table(table: pl.DataFrame, label: str = "the peer table") -> pl.DataFrame:
    """`table` with the peer-table columns and types; ValueError naming what is wrong.

    A table of version 1 (no `median`, e.g. exported before) is read with null medians: its
    thresholds judge exactly as before."""
    if "median" not in table.columns:
        table = table.with_columns(median=pl.lit(None, pl.Float64))
    missing = [c for c in PEER_TABLE_SCHEMA if c not in table.columns]
    if missing:
        raise ValueError(f"{label} has no column(s) {', '.join(missing)}")
    try:
        return table.select(list(PEER_TABLE_SCHEMA)).cast(PEER_TABLE_SCHEMA)  # type: ignore[arg-type]
    except pl.exceptions.PolarsError:
        raise ValueError(
            f"{label} has values of the wrong type; expected "
            + ", ".join(f"{c} ({t})" for c, t in PEER_TABLE_SCHEMA.items())
        ) from None


def attach_peers(
    frame: pl.DataFrame, table: pl.DataFrame, methodology: Methodology
) -> pl.DataFrame:
    """`frame` with `_peer_<key>` threshold, `_plvl_<key>` level (`LEVEL_ENUM`), `_pn_<key>`
    size and `_pgrp_<key>` group in words (`peer_group_text`) for every peer indicator: the
    narrowest group of `table` with at least `min_group_size` values, null when there is none
    (the absolute threshold then applies).

    Resolved on the few distinct group-key combinations and joined back once, so its cost does
    not grow with the number of facility-years.
    """
    keys = [ind.key for _, ind in methodology.indicators() if ind.threshold.kind == "peer"]
    if not keys:
        return frame
    if table.height == 0:  # nothing to look up (one facility on its own): no joins
        return frame.with_columns(
            col
            for k in keys
            for col in (
                pl.lit(None, pl.Float64).alias(f"_peer_{k}"),
                pl.lit(None, LEVEL_ENUM).alias(f"_plvl_{k}"),
                pl.lit(None, pl.UInt32).alias(f"_pn_{k}"),
                pl.lit(None, peer_group_dtype(table, methodology)).alias(f"_pgrp_{k}"),
            )
        )
    year = pl.col("year").cast(pl.Int64).alias("_peer_year")
    codes = [CODE_OF[c] for c in GROUP_COLUMNS[1:]]
    if set(codes) <= set(frame.columns):
        # By the Categorical copies of the text keys (see assess): finding the combinations
        # and joining them back compares integer codes, not text (250,000 rows: ~3x faster).
        combos = (
            frame.select(year, *codes)
            .unique(maintain_order=True)
            .with_columns(pl.col(k).cast(pl.String).alias(c) for c, k in CODE_OF.items())
        )
        on = ["_peer_year", *codes]
        resolved = _resolve_memo(combos, table, methodology).drop(GROUP_COLUMNS[1:])
    else:
        combos = frame.select(year, *(pl.col(c).cast(pl.String) for c in GROUP_COLUMNS[1:]))
        combos = combos.unique(maintain_order=True)
        on = ["_peer_year", *GROUP_COLUMNS[1:]]
        resolved = _resolve_memo(combos, table, methodology)
    return (
        frame.with_columns(_peer_year=pl.col("year").cast(pl.Int64))
        .join(resolved, on=on, how="left", nulls_equal=True, maintain_order="left")
        .drop("_peer_year")
    )


#: Up to this many distinct key combinations in a frame, resolutions are remembered.
_MEMO_MAX_COMBOS = 16
_MEMO_MAX_ENTRIES = 256
_MEMO_LOCK = threading.Lock()
_MEMO: OrderedDict[tuple[Any, ...], tuple[pl.DataFrame, Methodology, pl.DataFrame]] = OrderedDict()


def _resolve_memo(
    combos: pl.DataFrame, table: pl.DataFrame, methodology: Methodology
) -> pl.DataFrame:
    # One facility on the platform has one or two combinations and is judged against the same
    # snapshot table again and again: its dozen small joins cost more than the rest of its
    # look-up, so keep their results (bounded; keyed by the table and methodology objects).
    if combos.height > _MEMO_MAX_COMBOS:
        return _resolve(combos, table, methodology)
    key = (id(table), id(methodology), tuple(sorted(combos.rows(), key=repr)))
    return _remembered(_MEMO, key, table, methodology, _MEMO_MAX_ENTRIES,
                       lambda: _resolve(combos, table, methodology))


def _remembered(memo: OrderedDict[Any, tuple[pl.DataFrame, Methodology, T]], key: Any,
                table: pl.DataFrame, methodology: Methodology, limit: int,
                build: Callable[[], T]) -> T:
    """`build()`, remembered in `memo` under `key` (which holds the ids of `table` and
    `methodology`) for as long as those very objects are the ones asked about; the `limit`
    most recently used are kept. Shared by the platform's assessing threads."""
    with _MEMO_LOCK:
        hit = memo.get(key)
        if hit is not None and hit[0] is table and hit[1] is methodology:  # ids can be reused
            memo.move_to_end(key)
            return hit[2]
    value = build()
    with _MEMO_LOCK:
        memo[key] = (table, methodology, value)
        while len(memo) > limit:
            memo.popitem(last=False)
    return value


def _resolve(combos: pl.DataFrame, table: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    rules = methodology.peer_rules
    table = table.filter(pl.col("n") >= rules.min_group_size)
    for _, ind in methodology.indicators():
        if ind.threshold.kind != "peer":
            continue
        k = ind.key
        rows = table.filter(pl.col("indicator") == k)
        threshold: pl.Expr = pl.lit(None, pl.Float64)
        level_used: pl.Expr = pl.lit(None, pl.String)
        size: pl.Expr = pl.lit(None, pl.UInt32)
        # Build the chain from the widest level inwards so the narrowest qualifying level wins.
        for i, level in reversed(list(enumerate(rules.levels))):
            left = ["_peer_year", "_ftype"] + (["_basis"] if _per_unit(ind) else [])
            right = ["year", "factory_type"] + (["basis"] if _per_unit(ind) else [])
            if level != "global":
                left.append(level)
                right.append("region")
            found = rows.filter(pl.col("level") == level).select(
                *right,
                pl.col("threshold").alias(f"_pt{i}"),
                pl.col("n").alias(f"_pn{i}"),
            )
            combos = combos.join(found, left_on=left, right_on=right, how="left")
            usable = pl.col(f"_pn{i}").is_not_null()
            threshold = pl.when(usable).then(pl.col(f"_pt{i}")).otherwise(threshold)
            level_used = pl.when(usable).then(pl.lit(level)).otherwise(level_used)
            size = pl.when(usable).then(pl.col(f"_pn{i}")).otherwise(size)
        levels = range(len(rules.levels))
        combos = combos.with_columns(
            threshold.alias(f"_peer_{k}"),
            level_used.cast(LEVEL_ENUM).alias(f"_plvl_{k}"),
            size.alias(f"_pn_{k}"),
        ).drop([f"_pt{i}" for i in levels] + [f"_pn{i}" for i in levels])
        # Made here, once per combination, rather than formatted for every facility-year.
        combos = combos.with_columns(
            peer_group_text(ind.column, f"_plvl_{k}", "_peer_year")
            .cast(peer_group_dtype(table, methodology))
            .alias(f"_pgrp_{k}")
        )
    return combos


def peer_group_dtype(table: pl.DataFrame, methodology: Methodology) -> pl.Enum:
    """The type of every `_pgrp_<key>` judged against `table`: an Enum of the words
    (`peer_group_text`) of each of its groups, alphabetical.

    An Enum, because Parquet writes it from its codes (as text, `peer_group` was ~0.3 s of CPU
    of writing the 15 M indicator rows of a million facility-years); of the whole table, so
    that every chunk of an assessment against it has the same type."""

    # A few tables at a time (a run's own; the platform's current snapshots), not the plan
    # cache's hundreds: a process that outlives many snapshots keeps none of them.
    return _remembered(_GROUP_TYPES, (id(table), id(methodology)), table, methodology,
                       _MEMO_MAX_TABLES, lambda: _group_words(table, methodology))


def _group_words(table: pl.DataFrame, methodology: Methodology) -> pl.Enum:
    texts: set[str] = set()
    for _, ind in methodology.indicators():
        if ind.threshold.kind != "peer":
            continue
        region = pl.col("region")
        groups = table.filter(pl.col("indicator") == ind.key).select(
            pl.col("level"), pl.col("year").cast(pl.Int64).alias("_peer_year"),
            pl.col("factory_type").alias("_ftype"), pl.col("basis").alias("_basis"),
            region.alias("country_iso2"), region.alias("un_subregion"),
            region.alias("un_region"),
        )
        words = groups.select(peer_group_text(ind.column, "level", "_peer_year"))
        texts.update(words.to_series().drop_nulls().to_list())
    return pl.Enum(sorted(texts))


#: Peer tables whose `peer_group_dtype` is remembered.
_MEMO_MAX_TABLES = 8
_GROUP_TYPES: OrderedDict[tuple[int, int], tuple[pl.DataFrame, Methodology, pl.Enum]] = (
    OrderedDict())


def peer_group_text(indicator_column: str, level_column: str, year_column: str) -> pl.Expr:
    """`mill per-kg facilities in BD 2024`: the peer group behind a peer threshold, in words;
    null where no peer group was used (`level_column` null)."""
    basis = (
        pl.format(" per-{}", pl.col("_basis"))
        if indicator_column.endswith("_per_unit")
        else pl.lit("")
    )
    level = pl.col(level_column)
    region = (
        pl.when(level == "global")
        .then(pl.lit("the world"))
        .when(level == "country_iso2")
        .then(pl.col("country_iso2"))
        .when(level == "un_subregion")
        .then(pl.col("un_subregion"))
        .otherwise(pl.col("un_region"))
    )
    text = pl.format(
        "{}{} facilities in {} {}", pl.col("_ftype"), basis, region, pl.col(year_column)
    )
    return pl.when(level.is_not_null()).then(text)
