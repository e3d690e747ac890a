"""The peer line of an indicator row: from the report's own dataset (the command line) or from
the peer table the assessment was judged against (the platform, decision 0051)."""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.peers import PEER_TABLE_SCHEMA
from factory_journey.reports.i18n import translator
from factory_journey.reports.peer_comparison import (
    MEDIAN,
    NO_MEDIAN,
    NOT_COMPARED,
    TOO_FEW,
    peer_comparison,
    peer_text,
)
from factory_journey.reports.report_data import ReportData

PROFILE = {"facility_id": "A", "year": 2023, "journey_factory_type": "mill",
           "intensity_basis": "kg", "country_iso2": "VN", "un_subregion": "South-eastern Asia",
           "un_region": "Asia"}
ENERGY = {"indicator": "energy_intensity", "column": "energy_intensity_mj_per_unit",
          "unit": "MJ/unit", "year": 2023, "threshold_kind": "peer",
          "peer_level": "un_subregion", "peer_group_size": 31}


def _data(matrix: pl.DataFrame | None = None, peers: pl.DataFrame | None = None) -> ReportData:
    empty = pl.DataFrame()
    return ReportData(matrix if matrix is not None else empty, empty, empty, empty, empty,
                      empty, peer_percentiles={"energy_intensity": 0.75}, peers=peers)


def _table(**changes: object) -> pl.DataFrame:
    row = {"indicator": "energy_intensity", "level": "un_subregion", "year": 2023,
           "factory_type": "mill", "basis": "kg", "region": "South-eastern Asia",
           "threshold": 32.8, "n": 31, "median": 24.5}
    row.update(changes)
    return pl.DataFrame([row], schema=PEER_TABLE_SCHEMA)


def test_the_median_and_n_of_the_group_that_gave_the_threshold():
    comparison = peer_comparison(_data(peers=_table()), ENERGY, PROFILE)
    assert (comparison.text, comparison.median, comparison.n) == (MEDIAN, 24.5, 31)
    assert peer_text(translator("en"), comparison, "24.5 MJ/kg") == (
        "Median of 31 similar facilities: 24.5 MJ/kg")


def test_another_group_of_the_table_is_never_named_for_this_one():
    # Another region, or a group whose size is not the one that judged the facility.
    for table in (_table(region="Eastern Asia"), _table(n=12), _table(basis="pc")):
        assert peer_comparison(_data(peers=table), ENERGY, PROFILE).text == TOO_FEW


def test_a_group_too_small_and_a_fixed_threshold_on_the_platform():
    data = _data(peers=_table())
    fallback = {**ENERGY, "threshold_kind": "absolute_fallback", "peer_level": None,
                "peer_group_size": None}
    assert peer_comparison(data, fallback, PROFILE).text == TOO_FEW
    fixed = {"indicator": "renewable_share", "column": "renewable_share", "unit": "share",
             "year": 2023, "threshold_kind": "absolute", "peer_level": None,
             "peer_group_size": None}
    assert peer_comparison(data, fixed, PROFILE).text == NOT_COMPARED


def test_a_snapshot_made_before_medians_gives_n_without_a_median():
    comparison = peer_comparison(_data(peers=_table(median=None)), ENERGY, PROFILE)
    assert (comparison.text, comparison.median, comparison.n) == (NO_MEDIAN, None, 31)
    assert peer_text(translator("en"), comparison, "–") == (
        "31 similar facilities; their median was not recorded")


def test_a_dataset_report_compares_with_the_dataset_as_before():
    matrix = pl.DataFrame({
        "facility_id": ["A", "B", "C", "D"], "year": [2023] * 4,
        "journey_factory_type": ["mill"] * 4, "intensity_basis": ["kg", "kg", "kg", "pc"],
        "energy_intensity_mj_per_unit": [10.0, 20.0, 60.0, 1.0],
    })
    comparison = peer_comparison(_data(matrix), ENERGY, PROFILE)
    assert (comparison.text, comparison.median, comparison.n) == (MEDIAN, 20.0, 3)
    two = matrix.filter(pl.col("facility_id") != "C")
    assert peer_comparison(_data(two), ENERGY, PROFILE).text == TOO_FEW
