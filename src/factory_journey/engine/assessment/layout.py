"""Wide-to-long reshaping without sorting millions of rows.

The wide frame (one row per facility-year, sorted) gives one frame per item (area or
indicator); these are stacked item by item ("item-major": all facility-years of the first
item, then of the second, …), which costs one copy. Where facility-year-major order is wanted
(pathways, by rank), a permutation is computed arithmetically and applied with one gather:
far cheaper than sorting string keys, and deterministic.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def stack(
    frame: pl.DataFrame, selects: list[list[pl.Expr]], then: list[pl.Expr] | None = None
) -> pl.DataFrame:
    """One frame per select of `frame` (same schema each), stacked item-major; `then`:
    row-wise columns added to every part. The selects run as one batch of lazy queries.

    With `then`, each part is computed eagerly (one chunk per part) and the parts are not
    copied into one chunk: adding columns to the stacked frame afterwards would copy every
    column (the 7 M-row steps frame at a million facility-years: ~1.5 GB of fresh memory,
    whose page faults cost seconds of system time)."""
    if not selects:
        raise ValueError("nothing to stack")
    if then:
        return pl.concat([frame.select(select).with_columns(then) for select in selects],
                         how="vertical", rechunk=False)
    lazy = frame.lazy()
    parts = pl.collect_all([lazy.select(select) for select in selects])
    return pl.concat(parts, how="vertical")


def by_row_then_position(stacked: pl.DataFrame, items: int, position: str) -> pl.DataFrame:
    """Reorder an item-major stack of `items` blocks so that each source row's items are
    adjacent, ordered by the 1-based `position` column (a permutation 1…items per row)."""
    height = stacked.height // items
    positions = stacked[position].cast(pl.Int64).to_numpy()
    source_row = np.arange(stacked.height) % max(height, 1)
    target = source_row * items + positions - 1
    permutation = np.empty(stacked.height, dtype=np.int64)
    permutation[target] = np.arange(stacked.height)
    # One chunk first: a gather across the stack's chunks goes row by row for text columns
    # (a 1.75 M-row pathways frame: 0.24 s CPU, against 0.03 s to rechunk + 0.07 s to gather).
    return stacked.rechunk()[pl.Series(permutation)]
