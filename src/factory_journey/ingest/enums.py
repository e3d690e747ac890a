"""Accepted values of enumerated columns, resolved case- and punctuation-insensitively.

An enum of `domain/tables.py` is either a reference file (read with
`reference.tables.enum_values`) or a tuple of literal values. A user may write a key, a label or an
alias in any case and with any spacing or punctuation: spellings are compared with letters
and digits only, as in `domain.fem_enums.fold`, and every value is stored as its key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from factory_journey.domain.fem_enums import fold
from factory_journey.reference.tables import enum_keys, enum_values

#: Accepted values listed in a message before the rest are referred to the file.
_LISTED = 25


@dataclass(frozen=True, slots=True)
class EnumIndex:
    """Folded spelling → key, and the accepted values in words."""

    index: dict[str, str]
    accepted: str


@cache
def enum_index(enum: str | tuple[str, ...]) -> EnumIndex:
    """The spelling index of a reference file name or of a tuple of literal values."""
    if isinstance(enum, tuple):
        return EnumIndex({fold(v): v for v in enum}, ", ".join(enum))
    index: dict[str, str] = {}
    for spelling, key in enum_values(enum).items():
        index.setdefault(fold(spelling), key)
    keys = list(enum_keys(enum))
    listed = ", ".join(keys[:_LISTED])
    if len(keys) > _LISTED:
        listed += f", … ({len(keys)} in all, see reference file {enum})"
    return EnumIndex(index, listed)


def folded(expr: pl.Expr) -> pl.Expr:
    """Vectorised `fold`: lower case, letters and digits only."""
    return expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]+", "")


def resolve(expr: pl.Expr, enum: str | tuple[str, ...]) -> pl.Expr:
    """The key each spelling in `expr` means; null where it means none."""
    return folded(expr).replace_strict(
        enum_index(enum).index, default=None, return_dtype=pl.String
    )
