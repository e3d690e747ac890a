"""Wide-to-long reshaping without sorting millions of rows.

Per-item frames of equal height (one per area or indicator, each in facility-year order) are
stacked and then put in facility-year-major order by a computed permutation: row r of item i
goes to position r × n_items + i. Gathering by index is far cheaper than sorting string keys.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def interleave(frame: pl.DataFrame, selects: list[list[pl.Expr]]) -> pl.DataFrame:
    """One frame per select of `frame` (same schema each), stacked so that each source row's
    items are adjacent. The selects run as one batch of lazy queries."""
    if not selects:
        raise ValueError("nothing to interleave")
    lazy = frame.lazy()
    parts = pl.collect_all([lazy.select(select) for select in selects])
    height, count = parts[0].height, len(parts)
    stacked = pl.concat(parts, how="vertical")
    order = (np.arange(count)[None, :] * height + np.arange(height)[:, None]).ravel()
    return stacked[pl.Series(order, dtype=pl.Int64)]


def order_within_groups(frame: pl.DataFrame, group_size: int, position: str) -> pl.DataFrame:
    """Reorder each consecutive block of `group_size` rows by the 1-based `position` column.

    Every block must hold the positions 1…group_size exactly once (a permutation).
    """
    positions = frame[position].cast(pl.Int64).to_numpy()
    blocks = np.arange(frame.height) // group_size
    target = blocks * group_size + positions - 1
    permutation = np.empty(frame.height, dtype=np.int64)
    permutation[target] = np.arange(frame.height)
    return frame[pl.Series(permutation)]
