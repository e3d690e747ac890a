"""Helpers that let a check run on a table held in memory or on a lazy plan over its file.

A large Parquet table read for `journey assess` is checked without being materialised
(decision 0035, `dataset_reader`): its checks are aggregations collected on the streaming
engine (the file's columns are read in batches and let go), and rows are selected only
where a check finds a problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import polars as pl

Frame = pl.DataFrame | pl.LazyFrame
#: A check that changes values gives back the kind of frame it was given.
FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def collect(frame: Frame) -> pl.DataFrame:
    """`frame` in memory: a lazy plan is collected (a few rows, or a small aggregate)."""
    return frame.collect(engine="streaming") if isinstance(frame, pl.LazyFrame) else frame


def one_row(frame: Frame, exprs: Iterable[pl.Expr]) -> tuple[Any, ...]:
    """The single row of aggregations `exprs` over `frame` (one pass over its columns)."""
    return collect(frame.select(exprs)).row(0)


def height(frame: Frame) -> int:
    """Rows of `frame` (a lazy plan over a Parquet file: counted from its metadata)."""
    if isinstance(frame, pl.DataFrame):
        return frame.height
    return int(frame.select(pl.len()).collect().item())


def column_names(frame: Frame) -> list[str]:
    return frame.columns if isinstance(frame, pl.DataFrame) else frame.collect_schema().names()


def schema(frame: Frame) -> pl.Schema:
    return frame.schema if isinstance(frame, pl.DataFrame) else frame.collect_schema()
