"""Absolute thresholds: the most specific methodology row for each facility-year.

Specificity, most important first: an exact factory type beats `*`; then the region level
(country ISO alpha-2, UN sub-region, UN region, `*`); then an exact intensity basis beats `*`.
Resolution runs on the few distinct (type, basis, country, sub-region, region) combinations and
is joined back, so its cost does not grow with the number of facility-years.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import polars as pl

from factory_journey.engine.assessment.methodology import Methodology

KEY_COLUMNS: tuple[str, ...] = ("_ftype", "_basis", "country_iso2", "un_subregion", "un_region")
#: Certainty of a threshold value (`_abscert_<indicator>`, an Enum of these).
CERTAINTIES: tuple[str, ...] = ("primary", "secondary", "unverified", "project")
CERTAINTY_ENUM = pl.Enum(list(CERTAINTIES))


def threshold_table(methodology: Methodology) -> pl.DataFrame:
    """The absolute threshold rows as a frame (indicator, factory_type, basis, region, value …)."""
    rows = [row.model_dump() for row in methodology.absolute_thresholds]
    return pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String,
            "value": pl.Float64,
            "factory_type": pl.String,
            "basis": pl.String,
            "region": pl.String,
            "certainty": pl.String,
            "source": pl.String,
        },
    )


def attach_absolute(
    frame: pl.DataFrame, methodology: Methodology, codes: dict[str, str]
) -> pl.DataFrame:
    """`frame` with the `_abs_<indicator>` and `_abscert_<indicator>` columns of
    `resolve_absolute`; `codes`: KEY_COLUMNS → a Categorical copy of it in `frame`.

    The distinct combinations are found, and joined back, by the Categorical codes: integer
    comparisons instead of text (250,000 facility-years: ~3x faster)."""
    keys = [codes[c] for c in KEY_COLUMNS]
    combos = (
        frame.select(keys)
        .unique(maintain_order=True)
        .with_columns(pl.col(codes[c]).cast(pl.String).alias(c) for c in KEY_COLUMNS)
    )
    resolved = combos.join(
        resolve_absolute(combos, methodology),
        on=list(KEY_COLUMNS),
        how="left",
        nulls_equal=True,
        maintain_order="left",
    ).drop(KEY_COLUMNS)
    return frame.join(resolved, on=keys, how="left", nulls_equal=True, maintain_order="left")


def resolve_absolute(frame: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Per distinct key combination of `frame`: `_abs_<indicator>` threshold and its certainty.

    Returns a frame keyed by KEY_COLUMNS, to be left-joined on those columns (nulls equal).
    """
    combos = frame.select(KEY_COLUMNS).unique(maintain_order=True)
    if combos.height > _MEMO_MAX_COMBOS:
        return _resolve(combos, methodology)
    # One facility (the platform, `journey explain`) has one or two combinations: the cross
    # join and pivots cost more than its whole assessment otherwise, so keep their results —
    # in a bounded memo of their own, not the expression cache (`plan.cached`), which a
    # platform's many countries and types would otherwise flush.
    key = (id(methodology), tuple(sorted(combos.rows(), key=repr)))
    with _MEMO_LOCK:  # the platform assesses in several threads
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is methodology:  # ids can be reused once gone
            _MEMO.move_to_end(key)
            return hit[1]
    resolved = _resolve(combos, methodology)
    with _MEMO_LOCK:
        _MEMO[key] = (methodology, resolved)
        while len(_MEMO) > _MEMO_MAX_ENTRIES:
            _MEMO.popitem(last=False)
    return resolved


#: Up to this many distinct key combinations in a frame, resolutions are remembered.
_MEMO_MAX_COMBOS = 16
#: Remembered resolutions, least recently used dropped first.
_MEMO_MAX_ENTRIES = 256
_MEMO_LOCK = threading.Lock()
_MEMO: OrderedDict[tuple[int, tuple[Any, ...]], tuple[Methodology, pl.DataFrame]] = OrderedDict()


def _resolve(combos: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    combos = combos.with_row_index("_combo")
    table = threshold_table(methodology).with_row_index("_order")
    candidates = combos.join(table, how="cross").with_columns(
        _type_score=pl.when(pl.col("factory_type") == pl.col("_ftype"))
        .then(100)
        .when(pl.col("factory_type") == "*")
        .then(0)
        .otherwise(None),
        _region_score=pl.when(pl.col("region") == pl.col("country_iso2"))
        .then(30)
        .when(pl.col("region") == pl.col("un_subregion"))
        .then(20)
        .when(pl.col("region") == pl.col("un_region"))
        .then(10)
        .when(pl.col("region") == "*")
        .then(0)
        .otherwise(None),
        _basis_score=pl.when(pl.col("basis") == pl.col("_basis"))
        .then(1)
        .when(pl.col("basis") == "*")
        .then(0)
        .otherwise(None),
    )
    best = (
        candidates.drop_nulls(["_type_score", "_region_score", "_basis_score"])
        .with_columns(
            _score=pl.col("_type_score") + pl.col("_region_score") + pl.col("_basis_score")
        )
        # Highest score wins; equal scores keep the file's row order, so the result is stable.
        .sort(["_combo", "indicator", "_score", "_order"], descending=[False, False, True, False])
        .unique(["_combo", "indicator"], keep="first", maintain_order=True)
    )
    wide_value = best.pivot(on="indicator", index="_combo", values="value", sort_columns=True)
    wide_cert = best.pivot(on="indicator", index="_combo", values="certainty", sort_columns=True)
    wide_value = wide_value.rename({c: f"_abs_{c}" for c in wide_value.columns if c != "_combo"})
    wide_cert = wide_cert.rename({c: f"_abscert_{c}" for c in wide_cert.columns if c != "_combo"})
    for area_indicator in methodology.indicators():
        key = area_indicator[1].key
        if f"_abs_{key}" not in wide_value.columns:
            wide_value = wide_value.with_columns(pl.lit(None, pl.Float64).alias(f"_abs_{key}"))
            wide_cert = wide_cert.with_columns(pl.lit(None, pl.String).alias(f"_abscert_{key}"))
    # The certainty as an Enum here, on the few combinations, so that the facility-years
    # get a code each rather than a text to cast later (15 indicators x 250,000 rows).
    wide_cert = wide_cert.with_columns(
        pl.col(c).cast(pl.String).cast(CERTAINTY_ENUM) for c in wide_cert.columns if c != "_combo"
    )
    return (
        combos.join(wide_value, on="_combo", how="left")
        .join(wide_cert, on="_combo", how="left")
        .drop("_combo")
    )
