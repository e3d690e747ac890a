"""assessment.xlsx: the assessment for people who work in a spreadsheet, a read-me sheet first
(what each sheet holds, the versions behind the result), then one sheet per output frame.
Written through `report_files.write_workbook` (formulas neutralised, sheets that fit Excel)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from factory_journey import __version__
from factory_journey.services.report_files import write_workbook

#: Sheets of assessment.xlsx: (sheet, output frame, what it holds).
SHEETS: tuple[tuple[str, str, str], ...] = (
    ("Opportunities", "opportunities",
     "One row per facility-year and impact area: high / low / not assessed, the score and the "
     "indicators worse than their threshold, missing data, maturity stage."),
    ("Pathways", "pathways",
     "The steps in priority order (rank 1 = recommended), with modules, measures and the "
     "priority's parts."),
    ("Measures", "measures",
     "The recommended step's measures: energy, water, CO2e and money saved, investment, simple "
     "payback, with low-high ranges and their sources."),
    ("Reasons", "indicators",
     "Every indicator of every area: value, threshold, kind (absolute or peer, peer group and "
     "size), worse or not, gap."),
    ("Trajectory", "trajectory",
     "Scope 1 and 2 baseline, the 1.5 °C-aligned target for the year, and the gap to it."),
    ("Data Matrix", "matrix",
     "The harmonised indicators the assessment read (units in the column names)."),
)


def write_assessment_workbook(
    dataset: str, facility_years: int, versions: dict[str, str],
    frames: dict[str, pl.DataFrame], path: Path,
) -> None:
    """assessment.xlsx of an assessment of `facility_years` [count] rows of the dataset named
    `dataset`: the read-me sheet, then every frame of `SHEETS` from `frames`."""
    about = [
        ("Dataset", dataset),
        ("Facility-years", str(facility_years)),
        *[(f"Version: {k}", str(v)) for k, v in sorted(versions.items())],
        ("Package", f"factory-journey {__version__}"),
        *[(sheet, what) for sheet, _, what in SHEETS],
        ("Method", "docs/methodology.md explains every threshold, weight and formula; "
                   "journey explain DATASET FACILITY_ID tells one facility's story in words."),
    ]
    write_workbook(path, {sheet: frames[name] for sheet, name, _ in SHEETS}, about)
