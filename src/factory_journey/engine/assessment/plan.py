"""A small cache of built polars expressions.

Building the expressions of a methodology (hundreds of them) costs more than running them on
one facility, so each builder's result is kept per (methodology, catalogue, column set). The
expressions are immutable; the cache only skips rebuilding them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

import polars as pl

T = TypeVar("T")
#: A frame the wide stages accept (eager in `assess`; lazy works too).
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

#: Only common-subexpression elimination (and the simplification eager frames get anyway).
_SHARED = pl.QueryOptFlags.none(comm_subexpr_elim=True, simplify_expression=True)

_MAX_ENTRIES = 512
_CACHE: dict[tuple[Hashable, ...], tuple[tuple[Any, ...], Any]] = {}


def cached(
    name: str, owners: tuple[Any, ...], columns: frozenset[str], build: Callable[[], T]
) -> T:
    """`build()` once per builder `name`, owner objects (by identity) and column set."""
    key = (name, tuple(id(owner) for owner in owners), columns)
    hit = _CACHE.get(key)
    # Identity check: an id can be reused once its object is gone.
    if hit is not None and all(a is b for a, b in zip(hit[0], owners, strict=True)):
        return cast(T, hit[1])
    value = build()
    if len(_CACHE) >= _MAX_ENTRIES:
        _CACHE.clear()
    _CACHE[key] = (owners, value)
    return value


def with_shared_columns(frame: pl.DataFrame, exprs: list[pl.Expr]) -> pl.DataFrame:
    """`frame.with_columns(exprs)`, computing a subexpression that several of `exprs` share
    once: an eager `with_columns` computes it again in each (it has no common-subexpression
    elimination). Worth it only where much is shared (the measures' finance: half the CPU);
    elsewhere the search costs more than it saves."""
    return frame.lazy().with_columns(exprs).collect(optimizations=_SHARED)
