"""Helpers to make bad datasets from the example: copy it, then edit one table."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "small-dataset"


def example_copy(tmp_path: Path, name: str = "dataset") -> Path:
    """A writable copy of the example CSV dataset."""
    target = tmp_path / name
    shutil.copytree(EXAMPLE, target)
    return target


def read_table(folder: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema=False)


def edit_table(folder: Path, table: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    """Rewrite `<table>.csv` of `folder` through `change` (cells are text)."""
    change(read_table(folder, table)).write_csv(folder / f"{table}.csv")


def set_cell(frame: pl.DataFrame, index: int, column: str, value: str | None) -> pl.DataFrame:
    """`frame` with data row `index` (0-based; spreadsheet row index + 2) of `column` set."""
    if column not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
    values = frame[column].to_list()
    values[index] = value
    return frame.with_columns(pl.Series(column, values, dtype=pl.String))
