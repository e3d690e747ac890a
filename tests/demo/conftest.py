from __future__ import annotations

import polars as pl
import pytest

from factory_journey.demo import PILOT_FACILITIES, PILOT_SEED, PILOT_YEARS, generate_dataset


@pytest.fixture(scope="session")
def pilot_tables() -> dict[str, pl.DataFrame]:
    return generate_dataset(PILOT_FACILITIES, list(PILOT_YEARS), PILOT_SEED)


@pytest.fixture(scope="session")
def large_tables() -> dict[str, pl.DataFrame]:
    """A few thousand facilities, annual rows: enough for effects to show through noise."""
    return generate_dataset(4000, [2021, 2022, 2023], 11, monthly=False)
