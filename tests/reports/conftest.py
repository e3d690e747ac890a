"""Report fixtures: matrix and assessment frames of examples/small-dataset (3 facilities, 2 years).

The frames in fixtures/ were written by the real pipeline (ingest → build_matrix → assess) with
the columns of docs/contracts.md §3 and §4, so the report tests do not depend on ingestion.
Regenerate them with `python tools/make_report_fixtures.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from factory_journey.engine.assessment import default_catalogue
from factory_journey.reports.context import ReportData
from factory_journey.reports.i18n import LANGUAGES

FIXTURES = Path(__file__).with_name("fixtures")
LANGS = tuple(LANGUAGES)
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def report_data() -> ReportData:
    frames = {
        name: pl.read_parquet(FIXTURES / f"{name}.parquet")
        for name in ("matrix", "opportunities", "pathways", "measures", "trajectory",
                     "indicators")
    }
    catalogue = default_catalogue()
    return ReportData(
        **frames,
        versions=json.loads((FIXTURES / "versions.json").read_text(encoding="utf-8")),
        module_titles={m.key: m.title for m in catalogue.modules},
        measure_titles={m.key: m.title for m in catalogue.measures},
        dataset_name="small-dataset",
    )
