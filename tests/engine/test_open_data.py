"""Open data (#17) in the pure core: discharge status, verification status, long values and
peer statistics of at least 5 contributors."""

from __future__ import annotations

import polars as pl
import pytest

from factory_journey.engine.open_data import (
    PUBLISHABLE_GROUPS,
    discharge_status,
    discharge_years,
    long_values,
    peer_statistics,
    verification_status,
)


@pytest.mark.parametrize(
    ("tested", "failing", "plan", "status"),
    [
        (0, 0, False, None),  # nothing tested: no colour
        (0, 0, True, None),
        (12, 0, False, "green"),  # every tested substance passes
        (12, 0, True, "green"),
        (12, 1, True, "yellow"),  # a failure with a corrective action plan filed
        (12, 3, False, "red"),  # a failure without one
    ],
)
def test_discharge_status(tested, failing, plan, status):
    assert discharge_status(tested, failing, plan) == status


def test_discharge_years_read_the_matrix_and_the_plans():
    matrix = pl.DataFrame(
        {
            "year": [2023, 2022, 2021],
            "zdhc_parameters_tested": [10, 10, None],
            "zdhc_parameters_failing_foundational": [2, 2, None],
        }
    )
    years = discharge_years(matrix, frozenset({2023}))
    assert [(y.year, y.status) for y in years] == [(2021, None), (2022, "red"), (2023, "yellow")]


@pytest.mark.parametrize(
    ("share", "status"),
    [(None, "self-reported"), (float("nan"), "self-reported"), (0.0, "self-reported"),
     (0.4, "partly verified"), (1.0, "verified")],
)
def test_verification_status(share, status):
    assert verification_status(share) == status


def test_long_values_keep_publishable_groups_with_units_and_status():
    matrix = pl.DataFrame(
        {
            "year": [2023],
            "production_volume_pcs": [1_000_000.0],  # commercially sensitive: never offered
            "energy_total_mj": [5.0e6],
            "energy_verified_share": [1.0],
            "water_withdrawal_m3": [None],  # missing: left out, not published as null
            "zdhc_overall_level": ["progressive"],
            "wastewater_verified_share": [0.5],
            "ems_has_policy": [True],
        }
    )
    rows = {r["indicator"]: r for r in long_values(matrix).iter_rows(named=True)}
    assert set(rows) == {"energy_total_mj", "zdhc_overall_level", "ems_has_policy"}
    assert rows["energy_total_mj"]["unit"] == "MJ"
    assert rows["energy_total_mj"]["verification_status"] == "verified"
    assert rows["zdhc_overall_level"]["value_text"] == "progressive"
    assert rows["zdhc_overall_level"]["verification_status"] == "partly verified"
    assert rows["ems_has_policy"]["value"] == 1.0
    assert rows["ems_has_policy"]["verification_status"] == "self-reported"
    assert {r["indicator_group"] for r in rows.values()} <= set(PUBLISHABLE_GROUPS)


def test_peer_statistics_hide_groups_under_the_minimum():
    values = pl.DataFrame(
        {
            "subject_id": [f"F{i}" for i in range(5)] + ["G1", "G2", "G2"],
            "country_iso2": ["BD"] * 5 + ["VN", "VN", "VN"],
            "year": [2023] * 8,
            "indicator": ["energy_total_mj"] * 8,
            "unit": ["MJ"] * 8,
            "value": [1.0, 2.0, 3.0, 4.0, 100.0, 7.0, 8.0, 9.0],
        }
    )
    stats = peer_statistics(values, 5)
    assert stats["country_iso2"].to_list() == ["BD"]  # VN: 2 facilities, 3 rows: hidden
    assert stats["contributors"].to_list() == [5]
    assert stats["median"].to_list() == [3.0]
