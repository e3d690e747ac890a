"""Vectorised helpers of the generator: categorical draws, exact allocation, row expansion."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


def categorical(rng: np.random.Generator, probs: np.ndarray, n: int | None = None) -> np.ndarray:
    """Draw one category index per row of `probs` (n, k), or n draws from a vector `probs` (k,)."""
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 1:
        assert n is not None
        cum: np.ndarray = np.cumsum(probs)
        cum = cum / cum[-1]
        drawn = np.searchsorted(cum, rng.random(n), side="right")
        return np.asarray(np.minimum(drawn, len(probs) - 1))
    rows: np.ndarray = np.cumsum(probs, axis=1)
    rows = rows / rows[:, -1:]
    u = rng.random((probs.shape[0], 1))
    return np.asarray(np.minimum((u >= rows).sum(axis=1), probs.shape[1] - 1))


def allocate(n: int, weights: np.ndarray) -> np.ndarray:
    """Split `n` into integer counts proportional to `weights` (largest remainder, stable)."""
    quota = np.asarray(weights, dtype=float) / float(np.sum(weights)) * n
    counts = np.floor(quota).astype(np.int64)
    left = n - int(counts.sum())
    order = np.argsort(-(quota - counts), kind="stable")
    counts[order[:left]] += 1
    return counts


def exact_labels(rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    """`n` labels with counts exactly proportional to `weights`, in random order."""
    counts = allocate(n, weights)
    return rng.permutation(np.repeat(np.arange(len(counts)), counts))


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows for `counts[i]` items of owner i: (owner index, 0-based position within owner)."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(len(owner)) - np.repeat(starts, counts)
    return owner, position


def take(values: Sequence[str | None], index: np.ndarray, name: str) -> pl.Series:
    """String column: `values[index]` (None stays null)."""
    return pl.Series(name, list(values), dtype=pl.String).gather(np.asarray(index, dtype=np.int64))


def round_by(values: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Round each value to its own number of decimals (as `np.round` does: x·10^d, round, ÷)."""
    scale = 10.0 ** np.asarray(decimals, dtype=float)
    return np.round(np.asarray(values, dtype=float) * scale) / scale


def dates(year: np.ndarray, month: np.ndarray, day: np.ndarray, name: str) -> pl.Series:
    """A polars Date column from integer year, month, day arrays (days must exist)."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + (np.asarray(month) - 1)
    days = months.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(day) - 1)
    return pl.Series(name, days.astype("datetime64[D]")).cast(pl.Date)


def pad_ids(prefix: str, numbers: np.ndarray, width: int, name: str) -> pl.Series:
    """`prefix` + zero-padded numbers, e.g. FJ-0001."""
    padded = pl.Series(name, numbers, dtype=pl.Int64).cast(pl.String).str.zfill(width)
    return pl.select((pl.lit(prefix) + padded).alias(name)).to_series()
