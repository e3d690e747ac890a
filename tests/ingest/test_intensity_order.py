"""The intensity warnings list the first flagged profile rows, in the order of the rows,
whichever order the facility-year sums are joined in (`checks.intensities`)."""

from __future__ import annotations

import polars as pl
import pytest

from factory_journey.ingest import checks
from factory_journey.ingest.dataset_reader import read_dataset
from factory_journey.ingest.problem_log import ProblemLog
from factory_journey.services.demo_data import make_demo_data


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    folder = tmp_path_factory.mktemp("intensity") / "demo"
    make_demo_data(40, "2022-2023", seed=7, out_dir=folder)
    return dict(read_dataset(folder).tables)


def test_flagged_rows_are_listed_in_row_order(tables: dict[str, pl.DataFrame]) -> None:
    # every facility-year's energy a million times too large (its rows in reverse), so that
    # more rows are flagged than are listed one by one
    energy = tables["energy"].reverse().with_columns(pl.col("quantity_canonical") * 1e6)
    log = ProblemLog(limit=5)
    checks.intensities({**tables, "energy": energy}, log)
    per_pc = [p for p in log.problems if p.code == "unusual_intensity"
              and p.column == "energy_intensity_mj_per_pc"]
    listed = [p.row for p in per_pc if p.row is not None]
    assert len(listed) == 5 and len(per_pc) == 6, [p.message for p in per_pc]
    assert listed == sorted(listed)
    # the rows listed are the first ones flagged: the summary's range starts after them
    summary = per_pc[-1].message
    first_left = int(summary.split("(rows ")[1].split("–")[0])
    assert first_left > listed[-1]
