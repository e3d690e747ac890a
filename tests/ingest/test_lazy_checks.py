"""A large Parquet table in lazy mode is checked by aggregations over its file, never read
whole (`RawTable.lazy`): the problems found must be exactly those of checking it in memory
(same kinds, rows, columns, values and accepted texts, in the same order), and the table it
gives the same, held or as a plan. Mistakes of every kind, as text and as typed Parquet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import generate_dataset
from factory_journey.ingest import dataset_reader, formats, read_dataset, validate
from tests.ingest.test_large_tables import _messy_dataset


def _text_parquet(folder: Path) -> Path:
    """The messy CSV dataset as Parquet files of text (the blank rows left out: a table
    that may have one is read whole)."""
    out = folder.parent / "text-parquet"
    out.mkdir()
    for path in sorted(folder.glob("*.csv")):
        frame = pl.read_csv(path, infer_schema=False)
        frame.filter(~pl.all_horizontal(pl.all().is_null())).write_parquet(
            out / f"{path.stem}.parquet")
    return out


def _typed_parquet(folder: Path) -> Path:
    """Generated typed tables with NaN, infinity, negatives, huge values, nulls in required
    columns, duplicates, facilities not in the profiles and annual rows beside monthly."""
    rng = np.random.default_rng(11)
    folder.mkdir()
    for name, table in generate_dataset(80, range(2022, 2024), seed=9, monthly=True).items():
        frame = table
        if name != "profiles":
            n = frame.height
            picks = pl.Series(rng.integers(0, 9, n))
            for column, dtype in frame.schema.items():
                if dtype == pl.Float64:
                    frame = frame.with_columns(
                        pl.when(picks == 1).then(float("nan"))
                        .when(picks == 2).then(float("inf"))
                        .when(picks == 3).then(-5.0)
                        .when(picks == 4).then(1e30)
                        .otherwise(pl.col(column)).alias(column))
            if "facility_id" in frame.columns:
                frame = frame.with_columns(
                    pl.when(picks.shift(1, fill_value=0) == 5).then(pl.lit("FJ-NOPE"))
                    .when(picks.shift(2, fill_value=0) == 6).then(None)
                    .otherwise(pl.col("facility_id")).alias("facility_id"))
            if "year" in frame.columns:
                frame = frame.with_columns(
                    pl.when(picks.shift(3, fill_value=0) == 7).then(2030)
                    .otherwise(pl.col("year")).alias("year"))
            frame = pl.concat([frame, frame.sample(4, seed=1)])
            if "month" in frame.columns:
                frame = pl.concat([frame, frame.sample(3, seed=2).with_columns(
                    pl.lit(None, frame.schema["month"]).alias("month"))])
        frame.write_parquet(folder / f"{name}.parquet")
    return folder


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("lazy-checks")
    return [_text_parquet(_messy_dataset(root / "messy")), _typed_parquet(root / "typed")]


def _read_lazily(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, list[str]]:
    """`read_dataset` with every Parquet table lazy, and the tables that were."""
    lazy_tables: list[str] = []
    original = formats.lazy_parquet

    def spy(*args: object, **kwargs: object) -> formats.RawTable | None:
        raw = original(*args, **kwargs)  # type: ignore[arg-type]
        if raw is not None:
            lazy_tables.append(raw.table)
        return raw

    with monkeypatch.context() as patch:
        patch.setattr(formats, "lazy_parquet", spy)
        patch.setattr(dataset_reader, "LAZY_MIN_ROWS", 0)
        return read_dataset(folder, lazy=True), lazy_tables


@pytest.mark.parametrize("per_distinct", [False, True, "screened"])
def test_lazy_checks_find_the_problems_of_checking_in_memory(
    datasets: list[Path], monkeypatch: pytest.MonkeyPatch, per_distinct: bool | str
) -> None:
    if per_distinct:  # text columns parsed per distinct value, as in a large table
        monkeypatch.setattr(validate, "DISTINCT_PARSE_MIN_ROWS", 0)
    if per_distinct == "screened":
        # a few first rows: a lazy table's columns are screened against their values, and
        # the columns with a value (or a null) beyond them are found by a pass of their own
        monkeypatch.setattr(validate, "_SAMPLE_ROWS", 9)
    for folder in datasets:
        held = read_dataset(folder, lazy=True)  # every table below LAZY_MIN_ROWS: in memory
        lazy, lazy_tables = _read_lazily(folder, monkeypatch)
        assert len(lazy_tables) >= 8, lazy_tables  # the checks ran on the files
        problems = [repr(p.to_dict()) for p in held.problems]  # repr: NaN equals NaN
        assert len(problems) > 100 and held.problems.has_errors
        assert problems == [repr(p.to_dict()) for p in lazy.problems]  # type: ignore[attr-defined]
        frames, plans = held.frames(), lazy.frames()  # type: ignore[attr-defined]
        assert list(frames) == list(plans)
        for name, frame in frames.items():
            got = plans[name]
            assert_frame_equal(frame, got.collect() if isinstance(got, pl.LazyFrame) else got,
                               check_exact=True)


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    from factory_journey.services.demo_data import write_dataset

    folder = tmp_path / "set"
    write_dataset(generate_dataset(30, range(2022, 2024), seed=3, monthly=True), folder,
                  "parquet")
    return folder


def _unreadable(result: object) -> list[str | None]:
    return [p.to_dict()["file"] for p in result.problems  # type: ignore[attr-defined]
            if p.code == "unreadable_file"]


def test_a_damaged_file_is_a_problem_in_lazy_mode_too(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = small / "energy.parquet"
    data = bytearray(path.read_bytes())
    for i in range(200, len(data) // 2):  # pages spoilt, the footer intact
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))
    held = read_dataset(small, lazy=True)
    lazy, _ = _read_lazily(small, monkeypatch)
    assert _unreadable(held) == _unreadable(lazy) == ["energy.parquet"]


def test_pages_found_damaged_while_checking_are_a_problem(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(*args: object, **kwargs: object) -> None:
        raise pl.exceptions.ComputeError("parquet: File out of specification")

    monkeypatch.setattr(dataset_reader, "read_performance_table", damaged)
    lazy, lazy_tables = _read_lazily(small, monkeypatch)
    assert lazy_tables and lazy.problems.has_errors  # type: ignore[attr-defined]
    assert set(_unreadable(lazy)) == {f"{t}.parquet" for t in lazy_tables}


def test_a_screened_column_has_the_distinct_values_of_a_grouping(tmp_path: Path) -> None:
    """`validate._screened`: a column whose every value is among those of the first rows
    gets exactly its distinct values (a null too when it has one, even past the first rows);
    a column with another value is left to a pass of its own."""
    path = tmp_path / "t.parquet"
    pl.DataFrame({
        "a": ["x", "y", "x", "y", "x", None],       # a null past the first rows
        "b": ["p", "q", "p", "q", "p", "r"],        # a value past the first rows
        "c": [None, "k", "k", None, "k", "k"],      # a null within them
    }).write_parquet(path)
    scan = pl.scan_parquet(path)
    top = scan.head(4).collect()
    screened = validate._screened(scan, top, ["a", "b", "c"])
    assert set(screened) == {"a", "c"}
    for name, values in screened.items():
        grouped = scan.select(name).unique().collect().to_series()
        assert values.name == name and values.dtype == pl.String
        assert sorted(values.to_list(), key=str) == sorted(grouped.to_list(), key=str)
