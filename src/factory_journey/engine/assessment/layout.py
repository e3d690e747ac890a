"""Wide-to-long reshaping without sorting millions of rows.

The wide frame (one row per facility-year, sorted) gives one frame per item (area or
indicator); these are stacked item by item ("item-major": all facility-years of the first
item, then of the second, …), which costs one copy. Where facility-year-major order is wanted
(pathways, by rank), a permutation is computed arithmetically and applied with one gather:
far cheaper than sorting string keys, and deterministic.
"""

from __future__ import annotations

from collections.abc import Collection

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


def by_row_then_position(
    stacked: pl.DataFrame, items: int, position: str, per_row: Collection[str] = ()
) -> pl.DataFrame:
    """Reorder an item-major stack of `items` blocks so that each source row's items are
    adjacent, ordered by the 1-based `position` column (a permutation 1…items per row).
    `per_row`: columns the same in every block (the source row's own, e.g. its keys), taken
    from the first block."""
    height = stacked.height // items
    # 32-bit indices (polars' own index type), computed in place: at 1.75 M rows each array
    # is 7 MB of fresh memory, whose page faults cost more than the arithmetic.
    index = np.dtype(np.uint32 if stacked.height < 2**32 else np.uint64)
    target = np.arange(stacked.height, dtype=index)
    np.remainder(target, max(height, 1), out=target)
    target *= items
    target += stacked[position].cast(pl.Int64).to_numpy().astype(index) - 1
    permutation = np.empty(stacked.height, dtype=index)
    permutation[target] = np.arange(stacked.height, dtype=index)
    order = pl.Series(permutation)
    rows = pl.Series(np.repeat(np.arange(height, dtype=index), items))
    # A gather across the stack's chunks goes row by row for text columns (1.75 M rows of a
    # chunk's pathways: 5x slower than one chunk): those are made one chunk first. Numbers
    # gather fast from any chunks, and the per-row columns come from the first block, one
    # chunk, so the stack is not copied whole first.
    texts = [c for c, t in stacked.schema.items() if c not in per_row and t == pl.String]
    gathered = stacked.select(
        pl.col(c).slice(0, height).gather(rows) if c in per_row else pl.col(c).gather(order)
        for c in stacked.columns
        if c not in texts
    )
    if texts:
        gathered = gathered.hstack(stacked.select(texts).rechunk().select(pl.all().gather(order)))
    return gathered.select(stacked.columns)
