"""Synthetic demo datasets for the Factory Journey (pure generation: numpy and polars only).

`generate_dataset` makes reproducible, realistic raw input tables; `inject_errors` plants hard
errors for testing validation; `pilot_dataset_path` is the folder of the bundled pilot-sized
dataset (115 factories, 2021–2023). Writing files is `factory_journey.services.demo_data`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from factory_journey.demo.errors import InjectedError, inject_errors
from factory_journey.demo.generator import (
    MONTHLY_LIMIT,
    TABLE_ORDER,
    cohorts,
    generate_dataset,
    iter_dataset,
    normalise_years,
)

#: Arguments that made the bundled pilot dataset (see tools/make_pilot_dataset.py).
PILOT_FACILITIES = 115
PILOT_YEARS = (2021, 2022, 2023)
PILOT_SEED = 2021


def pilot_dataset_path() -> Path:
    """Folder of the bundled pilot dataset: one CSV file per table and a README."""
    return Path(str(resources.files("factory_journey.demo") / "pilot"))


__all__ = [
    "MONTHLY_LIMIT",
    "PILOT_FACILITIES",
    "PILOT_SEED",
    "PILOT_YEARS",
    "TABLE_ORDER",
    "InjectedError",
    "cohorts",
    "generate_dataset",
    "inject_errors",
    "iter_dataset",
    "normalise_years",
    "pilot_dataset_path",
]
