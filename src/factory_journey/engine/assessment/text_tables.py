"""The small tables of texts the assessment picks each row's text from by a code, and the one
type a column of such texts has across areas or indicators (decision 0056).

A text column made per area or indicator (which indicators are worse, which adaptations
applied, which inputs are missing) is stacked into one long column: its parts must share a
type. Where every part's texts can be listed, that type is an Enum of all of them,
alphabetical (sorting by the column sorts the text): Parquet writes an Enum from its codes,
where text is hashed value by value, and a reordering gathers codes. Otherwise it is String.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl


def combination_texts(keys: Sequence[str], limit: int) -> list[str | None] | None:
    """The `;`-joined `keys` of every combination, by bit code (bit i: `keys[i]` is in; code 0:
    none, null); None when there are more than `limit` keys (2**limit texts at most)."""
    if len(keys) > limit:
        return None
    return [
        ";".join(k for bit, k in enumerate(keys) if code >> bit & 1) or None
        for code in range(2 ** len(keys))
    ]


def texts_dtype(tables: Iterable[Sequence[str | None] | None]) -> pl.DataType:
    """One type for the texts of every table of `tables`: an Enum of all of them (nulls left
    out), alphabetical; String when some table could not be listed (None)."""
    texts: set[str] = set()
    for table in tables:
        if table is None:
            return pl.String()
        texts.update(t for t in table if t is not None)
    return pl.Enum(sorted(texts))


def picked(table: Sequence[str | None], dtype: pl.DataType, code: pl.Expr) -> pl.Expr:
    """`table[code]` for every row, of type `dtype`: each row then points into a few short
    texts (or is a code of an Enum) instead of having its text made."""
    return pl.lit(pl.Series(table, dtype=pl.String).cast(dtype)).gather(code)
