"""The frames a facility or portfolio report is built from, and the report context type.

Inputs are the frames of docs/contracts.md §3 (matrix) and §4 (assessment: opportunities,
pathways, measures, trajectory, indicators, versions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

#: A report context: one plain, JSON-able dict that both templates of a report render.
Context = dict[str, Any]


@dataclass(frozen=True)
class ReportData:
    """Frames a report is built from (the whole dataset; builders select what they need)."""

    matrix: pl.DataFrame
    opportunities: pl.DataFrame
    pathways: pl.DataFrame
    measures: pl.DataFrame
    trajectory: pl.DataFrame
    indicators: pl.DataFrame
    versions: dict[str, str] = field(default_factory=dict)
    module_titles: dict[str, str] = field(default_factory=dict)
    measure_titles: dict[str, str] = field(default_factory=dict)
    dataset_name: str = ""
    #: Indicator key → the percentile [0–1] of its peer threshold, from the methodology that
    #: made the assessment; empty when that methodology is not known here (the report then
    #: names no percentile rather than a wrong one).
    peer_percentiles: dict[str, float] = field(default_factory=dict)
    #: The peer table the assessment was judged against (on the platform: its peer snapshot,
    #: with each group's median and size n), for each indicator's peer line; None: the report
    #: compares each facility with the others of its own dataset (reports/peer_comparison.py).
    peers: pl.DataFrame | None = None


class FacilityNotFoundError(LookupError):
    """The facility (or the year) asked for is not in the dataset."""
