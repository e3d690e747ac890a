"""Lazy mode of `read_dataset`: a large Parquet table checked without an error is handed on
as a plan over its file. The plan must give exactly the table the checks saw, with the same
problems; tables with an error, CSV files and files out of a .zip stay held."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import generate_dataset
from factory_journey.ingest import dataset_reader, read_dataset
from factory_journey.services.demo_data import write_dataset


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated Parquet dataset whose energy table has spellings to resolve (upper case,
    padded units) and an unusual quantity (1e9 kWh in a month: a warning, not an error)."""
    folder = tmp_path_factory.mktemp("lazy") / "set"
    write_dataset(generate_dataset(60, range(2022, 2024), seed=3, monthly=True), folder,
                  "parquet")
    energy = pl.read_parquet(folder / "energy.parquet")
    energy = energy.with_columns(
        pl.when(pl.int_range(pl.len()) % 7 == 0).then(pl.col("source").str.to_uppercase())
        .otherwise(pl.col("source")).alias("source"),
        pl.when(pl.int_range(pl.len()) % 5 == 0).then(pl.lit(" kWh ")).otherwise(
            pl.col("unit")).alias("unit"),
        pl.when(pl.int_range(pl.len()) == 5).then(pl.lit(1e9)).otherwise(
            pl.col("quantity")).alias("quantity"),
    )
    energy.write_parquet(folder / "energy.parquet")
    return folder


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    monkeypatch.setattr(dataset_reader, "LAZY_MIN_ROWS", 0)
    return read_dataset(path), read_dataset(path, lazy=True)


def _assert_same_tables(held: object, lazy: object) -> None:
    frames, plans = held.frames(), lazy.frames()  # type: ignore[attr-defined]
    assert list(frames) == list(plans)
    assert held.row_counts() == lazy.row_counts()  # type: ignore[attr-defined]
    assert list(held.row_counts()) == list(frames)  # type: ignore[attr-defined]
    for name, frame in frames.items():
        plan = plans[name]
        got = plan.collect() if isinstance(plan, pl.LazyFrame) else plan
        assert_frame_equal(frame, got, check_exact=True)
    assert ([p.to_dict() for p in held.problems]  # type: ignore[attr-defined]
            == [p.to_dict() for p in lazy.problems])  # type: ignore[attr-defined]


def test_a_plan_gives_the_table_the_checks_saw(
    parquet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held, lazy = _both(parquet, monkeypatch)
    assert not held.scans
    assert set(lazy.scans) == set(held.tables) - {"profiles"}
    assert list(lazy.tables) == ["profiles"]
    codes = {p.code for p in lazy.problems}
    assert "unusual_quantity" in codes and not lazy.problems.has_errors
    _assert_same_tables(held, lazy)


def test_a_table_with_an_error_is_held(
    parquet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(parquet, folder)
    water = pl.read_parquet(folder / "water.parquet")
    water.with_columns(pl.lit("furlongs").alias("unit")).write_parquet(folder / "water.parquet")
    held, lazy = _both(folder, monkeypatch)
    assert "water" in lazy.tables and "water" not in lazy.scans
    assert "energy" in lazy.scans
    assert any(p.code == "unknown_unit" for p in lazy.problems)
    _assert_same_tables(held, lazy)


def test_no_table_is_lazy_where_the_matrix_would_keep_provenance() -> None:
    from factory_journey.engine.matrix import PROVENANCE_AUTO_LIMIT

    assert dataset_reader.LAZY_MIN_ROWS >= PROVENANCE_AUTO_LIMIT


def test_small_tables_csv_and_zip_are_held(
    parquet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not read_dataset(parquet, lazy=True).scans  # below LAZY_MIN_ROWS
    monkeypatch.setattr(dataset_reader, "LAZY_MIN_ROWS", 0)
    archive = Path(shutil.make_archive(str(tmp_path / "set"), "zip", parquet))
    assert not read_dataset(archive, lazy=True).scans  # its files are gone once read
    csv = tmp_path / "csv"
    write_dataset(generate_dataset(5, range(2023, 2024), seed=3), csv, "csv")
    assert not read_dataset(csv, lazy=True).scans
