"""The shortcuts that make large tables cheap give the same tables and problems as checking
row by row: values parsed per distinct value, facilities checked before their rows, tables
checked side by side, empty rows found without a pass, and native Parquet types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import generate_dataset
from factory_journey.ingest import dataset_reader, parse, read_dataset, validate
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.raw_tables import ROW, may_have_empty_rows, tidy_table
from factory_journey.ingest.units import convert_quantities

_RNG_SEED = 17


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    lists = [c for c, d in frame.schema.items() if isinstance(d, pl.List)]
    return frame.with_columns(pl.col(c).list.join(";") for c in lists).with_columns(
        pl.all().cast(pl.String)
    )


def _spoil(frame: pl.DataFrame, column: str, values: list[object], rng: np.random.Generator,
           share: float = 0.01) -> pl.DataFrame:
    """`share` of the cells of `column` replaced by one of `values` (a callable is applied
    to the cell)."""
    if column not in frame.columns:
        return frame
    cells = frame[column].to_list()
    for i in rng.choice(len(cells), size=max(1, int(len(cells) * share)), replace=False):
        value = values[int(rng.integers(len(values)))]
        cells[int(i)] = value(cells[int(i)]) if callable(value) else value
    return frame.with_columns(pl.Series(column, cells, dtype=pl.String))


def _padded(cell: object) -> object:
    return None if cell is None else f"  {cell} "


def _upper(cell: object) -> object:
    return None if cell is None else str(cell).upper()


def _messy_dataset(folder: Path) -> Path:
    """A generated dataset as CSV with mistakes of every kind the tables can have."""
    rng = np.random.default_rng(_RNG_SEED)
    tables = generate_dataset(120, range(2021, 2024), seed=5, monthly=True)
    folder.mkdir()
    for name, table in tables.items():
        frame = _as_text(table)
        if name == "profiles":
            frame.write_csv(folder / "profiles.csv")
            continue
        unknown = [f"FJ-NOPE-{i}" for i in range(25)]
        frame = _spoil(frame, "facility_id", [_padded, "", None, *unknown], rng)
        frame = _spoil(frame, "year", ["2020", "20x3", "2023.0", "2022.5", _padded], rng)
        frame = _spoil(frame, "verification_status", ["Verified", "checked", _padded], rng)
        for column in ("quantity", "value", "recycled_share", "production_share"):
            frame = _spoil(frame, column, ["1,234.5", "12,5", "-5", "abc", "inf", _padded,
                                           "", "120"], rng)
        frame = _spoil(frame, "month", ["0", "13", "6.0", _padded, ""], rng)
        for column in ("source", "flow", "stream", "disposal_method", "area", "parameter",
                       "sampling_point", "programme", "refrigerant", "tracking_method"):
            frame = _spoil(frame, column, [_upper, _padded, "unicorn", ""], rng)
        frame = _spoil(frame, "unit", ["furlongs", "kg", "kWh", "US gal", _padded, "g/L"], rng)
        for column in ("hazardous", "tracked", "incheck_verified", "has_policy"):
            frame = _spoil(frame, column, ["Yes", "N", "maybe", _padded], rng)
        for column in ("products_in_inventory", "supplier_to_zero_level", "target_year"):
            frame = _spoil(frame, column, ["-1", "7", "2.5", "3.0", "1,200"], rng)
        for column in ("sample_date", "start_date", "end_date"):
            frame = _spoil(frame, column, ["2022/03/04", "2022-03", "2022-02-30", "2099-01-01",
                                           _padded], rng)
        frame = pl.concat([frame, frame.sample(5, seed=1)])  # duplicate rows
        if "month" in frame.columns and name != "chemicals":  # annual beside monthly
            frame = pl.concat([frame, frame.sample(3, seed=2).with_columns(
                pl.lit(None, pl.String).alias("month"))])
        blank = pl.DataFrame({c: [None] for c in frame.columns},
                             schema=dict.fromkeys(frame.columns, pl.String))
        frame = pl.concat([frame.head(frame.height // 2), blank, frame.slice(frame.height // 2)])
        frame.write_csv(folder / f"{name}.csv")
    return folder


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _messy_dataset(tmp_path_factory.mktemp("large") / "messy")


def _read(path: Path) -> tuple[list[dict[str, object]], dict[str, pl.DataFrame]]:
    result = read_dataset(path)
    return [p.to_dict() for p in result.problems], result.tables


def _assert_same(left: tuple, right: tuple) -> None:
    assert left[0] == right[0]
    assert left[1].keys() == right[1].keys()
    for name, frame in left[1].items():
        assert_frame_equal(frame, right[1][name], check_exact=True)


def test_per_distinct_value_as_row_by_row(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "DISTINCT_PARSE_MIN_ROWS", 0)
    by_value = _read(messy)
    codes = {p["code"] for p in by_value[0]}
    assert {"unknown_facility", "year_without_profile", "duplicate_row", "annual_and_monthly",
            "unknown_unit", "wrong_unit_dimension", "wrong_type", "unknown_value",
            "required_empty", "negative", "out_of_range", "date_in_future"} <= codes
    monkeypatch.setattr(validate, "DISTINCT_PARSE_MIN_ROWS", 10**12)
    _assert_same(by_value, _read(messy))


def test_tables_checked_side_by_side_as_one_after_the_other(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dataset_reader, "WORKERS", 3)
    side_by_side = _read(messy)
    monkeypatch.setattr(dataset_reader, "WORKERS", 1)
    _assert_same(side_by_side, _read(messy))


def test_facilities_checked_before_their_rows(tmp_path: Path) -> None:
    """A large table (per-distinct path) where one facility lacks a profile for one year,
    and two facilities have no profile at all."""
    facilities = [f"F{i:02d}" for i in range(40)]
    profiles = pl.DataFrame({
        "facility_id": [f for f in facilities for _ in (2022, 2023)],
        "year": [y for _ in facilities for y in (2022, 2023)],
        "sitecountry": "BD", "sipfacilitytype": "finalProductAssembly",
    }).filter(~((pl.col("facility_id") == "F07") & (pl.col("year") == 2023)))
    rows = [(f, y, m) for f in [*facilities, "X1", "X2"] for y in (2022, 2023)
            for m in range(1, 13) for _ in range(25)]
    chemicals = pl.DataFrame(rows, schema=["facility_id", "year", "month"], orient="row")
    chemicals = chemicals.with_columns(
        pl.int_range(pl.len()).alias("products_in_inventory"),
        pl.lit(1).alias("products_on_gateway"),
    )
    folder = tmp_path / "set"
    folder.mkdir()
    profiles.write_csv(folder / "profiles.csv")
    chemicals.write_parquet(folder / "chemicals.parquet")
    assert chemicals.height >= validate.DISTINCT_PARSE_MIN_ROWS
    problems = read_dataset(folder).problems
    missing = [p for p in problems if p.code == "unknown_facility"]
    assert [(p.value, p.row) for p in missing] == [("X1", 24002), ("X2", 24602)]
    assert "600 rows of chemicals" in missing[0].message
    years = [p for p in problems if p.code == "year_without_profile"]
    first = 2 + 7 * 600 + 300  # F07's first row of 2023
    assert [(p.value, p.row) for p in years] == [("F07 2023", first)]


def test_empty_rows_are_ruled_out_without_a_pass_when_a_column_is_full() -> None:
    one_full = pl.DataFrame({"a": [1, 2, 3], "b": ["x", None, ""]})
    assert not may_have_empty_rows(one_full.with_row_index(ROW))
    no_full = pl.DataFrame({"a": [1, 2, None], "b": ["x", None, "z"], "c": [None, 5.0, 6.0]})
    assert may_have_empty_rows(no_full.with_row_index(ROW))  # then the exact filter runs
    assert tidy_table(no_full, Source("t.csv"), ProblemLog(), first_row=2).height == 3
    with_empty = pl.DataFrame({"a": [1, None, 3], "b": ["x", "", None]})
    tidied = tidy_table(with_empty, Source("t.csv"), ProblemLog(), first_row=2)
    assert tidied[ROW].to_list() == [2, 4]  # rows keep the numbers a person sees


def test_text_of_native_types_is_their_cast() -> None:
    frame = pl.DataFrame({
        "f": [1.5, None, float("nan"), -0.0], "i": [1, None, 3, -4],
        "b": [True, None, False, True],
        "d": [dt.date(2023, 1, 2), None, dt.date(2024, 2, 29), dt.date(1999, 12, 31)],
        "s": ["  a ", "", None, "b"],
    })
    for name, dtype in frame.schema.items():
        former = pl.col(name).cast(pl.String).str.strip_chars()
        expected = frame.select(pl.when(former != "").then(former)).to_series()
        got = frame.select(parse.text(name, dtype)).to_series()
        assert got.equals(expected, check_names=False), name


def test_units_with_their_spellings_given() -> None:
    frame = pl.DataFrame({
        ROW: [2, 3, 4, 5, 6], "source": ["diesel", "purchased_electricity", "coal", "diesel",
                                          None],
        "quantity": [1.0, 2.0, 3.0, 4.0, 5.0], "unit": ["L", "kg", "t", "furlongs", "kWh"],
    })
    logs = ProblemLog(), ProblemLog()
    plain = convert_quantities(frame, "energy", Source("e.csv"), logs[0], "energy")
    given = convert_quantities(frame, "energy", Source("e.csv"), logs[1], "energy",
                               frame["unit"].unique())
    assert_frame_equal(plain, given)
    assert [p.to_dict() for p in logs[0].problems] == [p.to_dict() for p in logs[1].problems]
    assert plain["quantity_canonical"].to_list()[:3] == [0.001, None, 3000.0]
    assert [p.code for p in logs[0].problems] == ["unknown_unit", "wrong_unit_dimension"]


@pytest.mark.parametrize(("units", "codes"), [
    (["kg", "t", " kg "], []),  # every spelling known and a mass: no count is needed
    (["kg", "t", "furlongs"], ["unknown_unit"]),
    (["kg", "kWh", "t"], ["wrong_unit_dimension"]),
])
def test_waste_units_with_their_spellings_given(units: list[str], codes: list[str]) -> None:
    """The spellings prove the units right, or the rows are counted: the same either way."""
    frame = pl.DataFrame({ROW: [2, 3, 4], "quantity": [1.0, 2.0, 3.0], "unit": units,
                          "month": [1, 2, 3]})
    logs = ProblemLog(), ProblemLog()
    plain = convert_quantities(frame, "mass", Source("w.csv"), logs[0], "waste")
    given = convert_quantities(frame, "mass", Source("w.csv"), logs[1], "waste",
                               frame["unit"].unique())
    assert_frame_equal(plain, given)
    assert [p.to_dict() for p in logs[0].problems] == [p.to_dict() for p in logs[1].problems]
    assert [p.code for p in logs[1].problems] == codes


def test_an_unexpected_error_in_a_table_check_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from tests.ingest.dataset_helpers import EXAMPLE

    def broken(raw, spec, log, known, **options):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"bug while checking {spec.name}")

    monkeypatch.setattr(dataset_reader, "WORKERS", 2)
    monkeypatch.setattr(dataset_reader, "read_performance_table", broken)
    with pytest.raises(RuntimeError, match="bug while checking"):
        read_dataset(EXAMPLE)
    assert not [t for t in threading.enumerate() if t.name.startswith("journey-ingest")]
