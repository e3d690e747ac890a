"""`checks.column_bounds` first looks at each column's smallest and largest value and counts
flags only in a column that leaves its bounds: the problems must be those of counting every
column (values at, inside and beyond each bound, NaN, infinity, nulls), held or lazy."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from factory_journey.ingest import checks
from factory_journey.ingest.formats import ROW
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.reference import plausibility

BOUND = plausibility.column_bounds()[("air", "refrigerant_recharge_kg")]
INSIDE = [0.0, 1.0, BOUND.soft_max or 0.0]
BEYOND = {
    "unusual": BOUND.hard_max,
    "refused": BOUND.hard_max * 2,
    "negative": -1.0,
    "nan": float("nan"),
    "infinite": float("inf"),
}


def _problems(frame: pl.DataFrame | pl.LazyFrame) -> tuple[list[str], pl.DataFrame]:
    log = ProblemLog()
    out = checks.column_bounds(frame, "air", Source("air.parquet"), log)
    held = out.collect() if isinstance(out, pl.LazyFrame) else out
    return [repr(p.to_dict()) for p in log.problems], held


def _counted(frame: pl.DataFrame, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The problems with the screen off (every column counted)."""
    with monkeypatch.context() as patch:
        patch.setattr(checks, "_within", lambda *args: False)
        return _problems(frame)[0]


@pytest.mark.parametrize("extra", [None, *BEYOND])
def test_the_screen_finds_the_problems_of_counting(
    extra: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = [*INSIDE, None, *([BEYOND[extra]] if extra else [])]
    frame = pl.DataFrame({ROW: list(range(2, len(values) + 2)),
                          "refrigerant_recharge_kg": pl.Series(values, dtype=pl.Float64)})
    expected = _counted(frame, monkeypatch)
    assert bool(expected) == (extra is not None)  # a value beyond the bounds is reported
    problems, held = _problems(frame)
    assert problems == expected
    path = tmp_path / "air.parquet"
    frame.write_parquet(path)
    lazy_problems, from_file = _problems(pl.scan_parquet(path))
    assert lazy_problems == expected
    assert from_file.equals(held)


def test_a_column_without_values_has_no_problem() -> None:
    frame = pl.DataFrame({ROW: [2, 3], "refrigerant_recharge_kg": [None, None]},
                         schema_overrides={"refrigerant_recharge_kg": pl.Float64})
    assert _problems(frame)[0] == []
