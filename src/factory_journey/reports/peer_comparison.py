"""The peer line of a report's indicator row: which similar facilities the value is set against.

Two sources, chosen by `ReportData.peers`:

- **A dataset** (`peers` None: the command line's `journey report`, every facility in one
  matrix): the median of the indicator over the dataset's facilities of the same factory type,
  intensity basis and year, when at least `MIN_DATASET_PEERS` have a value.
- **A peer table** (the platform: the peer snapshot the assessment was judged against, decision
  0051): the median and size `n` of the very group behind the row's peer threshold, so that the
  peer line and the threshold note ("75th percentile of 31 peers") name the same group. The
  facility's own matrix holds only itself, so it could never give a median. An indicator judged
  on a fixed threshold has no group in the table and is said to be not compared; a peer
  indicator whose groups were all too small says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import N_
from factory_journey.reports.report_data import ReportData

#: Fewest facilities with a value whose median a dataset report shows [count].
MIN_DATASET_PEERS = 3
#: The matrix column of the facility's region at each peer level (`global`: none).
_REGION_COLUMNS = {"country_iso2": "country_iso2", "un_subregion": "un_subregion",
                   "un_region": "un_region"}

MEDIAN = N_("Median of {n} similar facilities: {value}")
TOO_FEW = N_("Too few similar facilities to compare")
NOT_COMPARED = N_("Not compared with similar facilities for this indicator")
NO_MEDIAN = N_("{n} similar facilities; their median was not recorded")


@dataclass(frozen=True, slots=True)
class PeerComparison:
    """`median` [the indicator's unit] of `n` similar facilities [count], or no median (None)
    with `text` saying why; `text` is the untranslated message, `n` its count."""

    text: str
    median: float | None = None
    n: int = 0


def dataset_median(matrix: pl.DataFrame, column: str, year: int, factory_type: str | None,
                   basis: str | None) -> tuple[float | None, int]:
    """Median of `column` over facilities of the same type and basis in the dataset that year,
    and how many have a value; no median below `MIN_DATASET_PEERS`."""
    if column not in matrix.columns or basis is None:  # no basis: no facility compares equal
        return None, 0
    peers = matrix.filter(
        (pl.col("year") == year)
        & (pl.col("journey_factory_type") == factory_type)
        & (pl.col("intensity_basis") == basis)
        & pl.col(column).is_not_null()
    )[column]
    if peers.len() < MIN_DATASET_PEERS:
        return None, int(peers.len())
    median = peers.cast(pl.Float64).median()
    return (float(median) if isinstance(median, int | float) else None), int(peers.len())


def _group_row(table: pl.DataFrame, row: dict[str, Any],
               profile: dict[str, Any]) -> dict[str, Any] | None:
    """The table's row of the group behind the indicator row's peer threshold: the group's
    level the engine recorded (`peer_level`) and the facility's keys at that level."""
    level = row.get("peer_level")
    if level is None or (level != "global" and level not in _REGION_COLUMNS):
        return None
    per_unit = str(row.get("column") or "").endswith("_per_unit")  # as the engine groups
    region = None if level == "global" else profile.get(_REGION_COLUMNS[str(level)])
    keys: dict[str, Any] = {
        "indicator": str(row["indicator"]),
        "level": str(level),
        "year": row.get("year", profile.get("year")),
        "factory_type": profile.get("journey_factory_type"),
        "basis": profile.get("intensity_basis") if per_unit else None,
        "region": region,
    }
    found = table
    for column, value in keys.items():
        found = found.filter(pl.col(column).is_null() if value is None
                             else pl.col(column) == value)
    if found.height != 1:
        return None
    group = found.row(0, named=True)
    # The same group the engine used has the size it recorded; anything else is not it.
    return group if group["n"] == row.get("peer_group_size") else None


def _from_table(data: ReportData, row: dict[str, Any],
                profile: dict[str, Any]) -> PeerComparison:
    assert data.peers is not None
    kind = row.get("threshold_kind")
    if kind == "peer":
        group = _group_row(data.peers, row, profile)
        if group is None:  # not the table the assessment used: name no group rather than one
            return PeerComparison(TOO_FEW)
        if group.get("median") is None:  # a snapshot made before medians were kept
            return PeerComparison(NO_MEDIAN, None, int(group["n"]))
        return PeerComparison(MEDIAN, float(group["median"]), int(group["n"]))
    if kind == "absolute_fallback" or str(row["indicator"]) in data.peer_percentiles:
        return PeerComparison(TOO_FEW)  # a peer indicator whose every group was too small
    return PeerComparison(NOT_COMPARED)


def peer_comparison(data: ReportData, row: dict[str, Any],
                    profile: dict[str, Any]) -> PeerComparison:
    """What the indicator row's value is set against: from the assessment's peer table when
    the report has one, else from the dataset (see the module's docstring)."""
    if data.peers is not None:
        return _from_table(data, row, profile)
    median, n = None, 0
    if str(row["unit"]) not in ("yes/no", "level"):
        median, n = dataset_median(data.matrix, str(row["column"]), profile["year"],
                                   profile.get("journey_factory_type"),
                                   profile.get("intensity_basis"))
    return PeerComparison(MEDIAN, median, n) if median is not None else PeerComparison(TOO_FEW)


def peer_text(tr: Translator, comparison: PeerComparison, value: str) -> str:
    """The peer line in the report language; `value`: the median as the report writes it."""
    if comparison.text in (MEDIAN, NO_MEDIAN):
        return tr(comparison.text, n=tr.number(comparison.n), value=value)
    return tr(comparison.text)
