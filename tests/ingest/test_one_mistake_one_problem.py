"""One mistake in a cell gives the user one problem that is true: found in a review of the
upload page on a phone in Vietnamese, where a negative quantity also drew a warning calling it
"accepted", a month written "Tháng 2" was also called an annual value, and "12.500" (twelve
thousand five hundred, as Vietnamese writes it) was read as 12.5 without a word."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from factory_journey.domain.tables import PERFORMANCE_TABLES
from factory_journey.ingest import read_dataset
from factory_journey.reference import plausibility


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from factory_journey.services.demo_data import make_demo_data

    out = tmp_path_factory.mktemp("demo")
    make_demo_data(2, [2023], 7, out)
    return out


def _with_water(folder: Path, tmp_path: Path, **cells: list[str | None]) -> Path:
    """The demo dataset with the first water rows' cells replaced (column → values)."""
    copy = tmp_path / "data"
    copy.mkdir()
    for file in folder.iterdir():
        (copy / file.name).write_bytes(file.read_bytes())
    water = pl.read_csv(folder / "water.csv", infer_schema=False)
    for column, values in cells.items():
        index = pl.int_range(pl.len())
        expr = pl.col(column)
        for i, value in enumerate(values):
            expr = pl.when(index == i).then(pl.lit(value, pl.String)).otherwise(expr)
        water = water.with_columns(expr.alias(column))
    water.write_csv(copy / "water.csv")
    return copy


def _problems_of(folder: Path, row: int) -> list[tuple[str, str, str]]:
    return [(p.severity.value, p.code, p.message) for p in read_dataset(folder).problems
            if p.file == "water.csv" and p.row == row]


def test_a_negative_quantity_is_one_error_not_also_an_accepted_warning(
        folder: Path, tmp_path: Path) -> None:
    data = _with_water(folder, tmp_path, quantity=["-1200"])
    assert _problems_of(data, 2) == [("error", "negative", "Negative quantity")]


def test_every_table_with_plausibility_bounds_refuses_negative_quantities() -> None:
    """What the plausibility screen relies on to leave negative quantities to the range
    check (`checks.quantity_bounds`)."""
    tables = {table for table, _ in plausibility.quantity_bounds()}
    for spec in PERFORMANCE_TABLES:
        if spec.name in tables:
            assert spec.column("quantity").minimum == 0, spec.name


def test_a_month_written_in_words_is_a_month_to_correct_not_an_annual_value(
        folder: Path, tmp_path: Path) -> None:
    data = _with_water(folder, tmp_path, month=["Tháng 2"])
    problems = _problems_of(data, 2)
    assert [code for _, code, _ in problems] == ["wrong_type"]
    assert not any(p.code == "annual_and_monthly" for p in read_dataset(data).problems)


def test_an_annual_value_beside_monthly_ones_is_still_found(
        folder: Path, tmp_path: Path) -> None:
    data = _with_water(folder, tmp_path, month=[None])
    assert [code for _, code, _ in _problems_of(data, 2)] == ["annual_and_monthly"]


def test_a_point_between_thousands_is_read_as_a_decimal_with_a_warning(
        folder: Path, tmp_path: Path) -> None:
    """A file that writes points only as three-digit groups ("12.500", "1.250") may mean
    thousands: kept as 12.5, with a warning naming the cell."""
    water = pl.read_csv(folder / "water.csv", infer_schema=False)
    values = ["12.500", "1.250", *(["800"] * (water.height - 2))]
    data = _with_water(folder, tmp_path, quantity=values)
    result = read_dataset(data)
    warned = [(p.row, p.value) for p in result.problems if p.code == "point_thousands"]
    assert warned == [(2, "12.500"), (3, "1.250")]
    assert all(p.severity.value == "warning" for p in result.problems
               if p.code == "point_thousands")
    assert result.tables["water"].get_column("quantity_reported")[0] == 12.5


def test_a_file_that_writes_decimals_with_a_point_draws_no_such_warning(
        folder: Path, tmp_path: Path) -> None:
    data = _with_water(folder, tmp_path, quantity=["12.500", "7.5"])
    assert not any(p.code == "point_thousands" for p in read_dataset(data).problems)


def test_the_warning_holds_for_a_large_table_read_per_distinct_value(tmp_path: Path) -> None:
    """Above `DISTINCT_PARSE_MIN_ROWS` a column of few values is parsed once per value: the
    same warning, on every row of the value."""
    from factory_journey.ingest.validate import DISTINCT_PARSE_MIN_ROWS
    from factory_journey.services.demo_data import make_demo_data

    data = tmp_path / "large"
    facilities = DISTINCT_PARSE_MIN_ROWS // 8  # ~12 water rows each
    make_demo_data(facilities, [2023], 7, data)
    water = pl.read_csv(data / "water.csv", infer_schema=False)
    assert water.height >= DISTINCT_PARSE_MIN_ROWS
    water.with_columns(
        pl.when(pl.int_range(pl.len()) % 2 == 0).then(pl.lit("12.500"))
        .otherwise(pl.lit("800")).alias("quantity")).write_csv(data / "water.csv")
    result = read_dataset(data)
    warned = [p for p in result.problems if p.code == "point_thousands"]
    assert warned and warned[0].row == 2 and warned[0].value == "12.500"
    assert not any(p.code == "point_thousands" and p.value == "800" for p in result.problems)
