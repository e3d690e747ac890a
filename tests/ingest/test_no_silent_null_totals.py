"""No numeric input reaches the engine's null totals silently (issue #13, review).

For every numeric column of every table of the dataset contract (the performance tables of
`domain/tables.py` and the profiles), 1e30 is written into one row of one small demo
dataset. Either the dataset is refused with an error located at that file, row and column,
or the matrix is built and every figure that was a number before is still a number: never a
result whose totals went null ("not assessed") without a word. The loop runs in process
(read_dataset, then the engine); a few of the cases also run through `journey matrix`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.domain.problems import Severity
from factory_journey.domain.profile import PROFILES
from factory_journey.domain.tables import PERFORMANCE_TABLES, Table
from factory_journey.ingest.dataset_reader import read_dataset
from factory_journey.ingest.result import ImportResult
from factory_journey.reference import plausibility
from factory_journey.services.demo_data import make_demo_data
from factory_journey.services.matrix import build_matrix

HUGE = "1e30"
KEY = ["facility_id", "year"]

COLUMNS = [(spec, column.name) for spec in (PROFILES, *PERFORMANCE_TABLES)
           for column in spec.columns if column.type in ("float", "int")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("numbers") / "demo"
    make_demo_data(5, "2022-2023", seed=7, out_dir=folder)
    return folder


def _numbers(matrix: pl.DataFrame) -> pl.DataFrame:
    """Per facility-year, whether each numeric figure of the matrix is a number."""
    figures = [c for c, t in matrix.schema.items() if t.is_numeric() and c not in KEY]
    return matrix.select(*KEY, *(pl.col(c).is_not_null() for c in figures)).sort(KEY)


@pytest.fixture(scope="module")
def before(demo: Path) -> pl.DataFrame:
    imported = read_dataset(demo)
    assert imported.ok, imported.problems.errors[:3]
    return _numbers(build_matrix(imported.tables).matrix)


def _with_huge(demo: Path, target: Path, spec: Table, column: str, value: str = HUGE) -> int:
    """A copy of `demo` with `value` in `column` of `spec`'s first row that has a value
    there (row 0 when none has); returns that row's index."""
    shutil.copytree(demo, target)
    path = target / f"{spec.name}.csv"
    frame = pl.read_csv(path, infer_schema=False)
    if column not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
    given = frame[column].is_not_null()
    index = int(given.arg_true()[0]) if given.any() else 0
    frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index).then(pl.lit(value)).otherwise(pl.col(column))
        .alias(column)
    ).write_csv(path)
    return index


def test_every_numeric_column_is_covered() -> None:
    """The loop below reaches the columns the review found (not a vacuous list)."""
    names = {(spec.name, column) for spec, column in COLUMNS}
    assert {("energy", "production_share"), ("energy", "market_factor_kgco2e_per_kwh"),
            ("air", "refrigerant_recharge_kg"), ("zdhc_wastewater", "value"),
            ("chemicals", "products_in_inventory")} <= names


@pytest.mark.parametrize(("spec", "column"), COLUMNS,
                         ids=[f"{spec.name}.{column}" for spec, column in COLUMNS])
def test_1e30_is_refused_where_it_is_or_changes_no_total_to_null(
    demo: Path, before: pl.DataFrame, tmp_path: Path, spec: Table, column: str
) -> None:
    index = _with_huge(demo, tmp_path / "data", spec, column)
    imported = read_dataset(tmp_path / "data")
    _refused_there_or_no_null_total(imported, before, spec, column, index)


def _refused_there_or_no_null_total(imported: ImportResult, before: pl.DataFrame, spec: Table,
                                    column: str, index: int) -> None:
    if not imported.ok:
        errors = imported.problems.errors
        located = [p for p in errors if p.file == f"{spec.name}.csv" and p.row == index + 2
                   and p.column and column in p.column]
        assert located, [(p.code, p.file, p.row, p.column) for p in errors[:5]]
        assert located[0].accepted, located[0]
        return
    after = _numbers(build_matrix(imported.tables).matrix)
    assert after.select(KEY).equals(before.select(KEY))
    lost = [c for c in before.columns if c not in KEY
            and (before[c] & ~after[c]).any()]  # a number before, null now
    assert not lost, (f"{spec.name}.{column} row {index + 2} accepted and nulled",
                      lost, [(p.code, p.severity) for p in imported.problems])


BOUNDED = sorted(plausibility.column_bounds())


@pytest.mark.parametrize(("table", "column"), BOUNDED, ids=[f"{t}.{c}" for t, c in BOUNDED])
def test_the_largest_accepted_value_keeps_every_total(
    demo: Path, before: pl.DataFrame, tmp_path: Path, table: str, column: str
) -> None:
    """Each hard limit of plausibility_bounds.yaml is accepted (with a warning at most) and
    adds up: the limits sit below what the engine adds exactly."""
    spec = next(s for s in (PROFILES, *PERFORMANCE_TABLES) if s.name == table)
    bound = plausibility.column_bounds()[(table, column)]
    value = f"{bound.hard_max:.0f}" if spec.column(column).type == "int" else repr(
        bound.hard_max)
    index = _with_huge(demo, tmp_path / "data", spec, column, value)
    imported = read_dataset(tmp_path / "data")
    assert not [p for p in imported.problems.errors if p.code == "implausible_value"], (
        imported.problems.errors[:3])
    if table != "profiles":  # a profile sub-answer may be refused for its parent's answer
        assert imported.ok, imported.problems.errors[:3]
    _refused_there_or_no_null_total(imported, before, spec, column, index)


CLI_CASES = (("energy", "production_share"), ("energy", "market_factor_kgco2e_per_kwh"),
             ("air", "refrigerant_recharge_kg"))


@pytest.mark.parametrize(("table", "column"), CLI_CASES, ids=[f"{t}.{c}" for t, c in CLI_CASES])
def test_through_the_cli(demo: Path, tmp_path: Path, table: str, column: str) -> None:
    spec = next(s for s in PERFORMANCE_TABLES if s.name == table)
    index = _with_huge(demo, tmp_path / "data", spec, column)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["matrix", str(tmp_path / "data"), "--out", str(out),
                                      "--json"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    outcome = json.loads(result.output)
    assert outcome["status"] == "input_problems"
    located = [p for p in outcome["problems"] if p["severity"] == Severity.ERROR.value
               and p["file"] == f"{table}.csv" and p["row"] == index + 2
               and p["column"] == column]
    assert located and located[0]["accepted"], outcome["problems"][:3]
    assert not (out / "matrix.parquet").exists()


def test_the_intensity_check_names_an_intensity_beyond_any_whole_number(demo: Path) -> None:
    """The intensity warning writes its parts without an integer cast (which overflowed on
    1.2e25 MJ and stopped `journey matrix` on "unexpected error")."""
    from factory_journey.ingest import checks
    from factory_journey.ingest.problem_log import ProblemLog

    tables = dict(read_dataset(demo).tables)
    tables["energy"] = tables["energy"].with_columns(pl.col("quantity_canonical") * 1e20)
    log = ProblemLog()
    checks.intensities(tables, log)
    unusual = [p for p in log.problems if p.code == "unusual_intensity"]
    assert unusual, [p.code for p in log.problems]
    assert all(p.severity is Severity.WARNING and "e+" in str(p.value) for p in unusual), (
        unusual[0].value)
