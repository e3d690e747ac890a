"""The demo generator's datasets read clean, and every error it plants is found and located."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from factory_journey.ingest import read_dataset

demo = pytest.importorskip("factory_journey.demo")


def _write_csv_folder(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    folder.mkdir()
    for name, frame in tables.items():
        lists = [c for c, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
        frame.with_columns(pl.col(c).list.join(";") for c in lists).write_csv(
            folder / f"{name}.csv"
        )
    return folder


def test_a_realistic_generated_dataset_has_no_errors(tmp_path: Path) -> None:
    tables = demo.generate_dataset(40, range(2022, 2024), seed=11)
    result = read_dataset(_write_csv_folder(tables, tmp_path / "demo"))
    assert [p.describe() for p in result.problems.errors] == []
    for name, frame in tables.items():
        assert result.tables[name].height == frame.height


def test_every_planted_error_is_located(tmp_path: Path) -> None:
    tables, planted = demo.inject_errors(
        demo.generate_dataset(40, range(2022, 2024), seed=3), seed=5
    )
    result = read_dataset(_write_csv_folder(tables, tmp_path / "bad"))
    errors = result.problems.errors
    for error in planted:
        row = error.row + 2  # 0-based frame row → spreadsheet row under the header
        located = [
            p
            for p in errors
            if p.file == f"{error.table}.csv"
            # a missing facility is one problem naming its rows
            and (p.row == row or (p.code == "unknown_facility" and
                                  re.search(rf"\b{row}\b", p.message)))
        ]
        assert located, f"not found: {error}"
