"""Hand-built cases for the area rule of fj-2026.2: a weighted score of the judged indicators
worse than their thresholds, the area's `high_at`, decisive indicators — and fj-2026.1's
"any worse indicator" rule, still reproducible with its own file."""

from __future__ import annotations

import copy

import polars as pl
import pytest

from factory_journey.engine.assessment import MethodologyError, assess, parse_methodology
from factory_journey.reference.loader import load_yaml

from .matrix_rows import make_matrix, mill


def _area(result, area: str, facility_id: str = "F1") -> dict:
    rows = result.opportunities.filter(
        (pl.col("facility_id") == facility_id) & (pl.col("area") == area)
    ).to_dicts()
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize(
    ("changes", "score", "level", "worse"),
    [
        # Energy: intensity weighs 2, renewable share 1, coal share 1 (total 4); high_at 0.5.
        ({}, 0.0, "low", None),
        ({"renewable_share": 0.0}, 0.25, "low", "renewable_share"),
        ({"coal_share_thermal": 0.4}, 0.25, "low", "coal_share_thermal"),
        (
            {"renewable_share": 0.0, "coal_share_thermal": 0.4},
            0.5,
            "high",
            "renewable_share;coal_share_thermal",
        ),
        # 61 MJ/kg against the mill fallback of 60 MJ/kg (a lone facility has no peers).
        ({"energy_intensity_mj_per_unit": 61.0}, 0.5, "high", "energy_intensity"),
        (
            {"energy_intensity_mj_per_unit": 61.0, "renewable_share": 0.0,
             "coal_share_thermal": 0.4},
            1.0,
            "high",
            "energy_intensity;renewable_share;coal_share_thermal",
        ),
    ],
)
def test_energy_score_is_the_weighted_share_of_worse_indicators(changes, score, level, worse):
    energy = _area(assess(make_matrix([mill(**changes)])), "energy")
    assert energy["area_score"] == pytest.approx(score)
    assert energy["opportunity_level"] == level
    assert energy["indicators_worse"] == worse


def test_score_counts_only_judged_indicators():
    # Recycled share unknown: water is judged on intensity alone (weight 2 of 2).
    row = mill(water_recycled_reused_share=None, water_intensity_l_per_unit=130.0)
    water = _area(assess(make_matrix([row])), "water")
    assert water["indicators_judged"] == 1
    assert water["area_score"] == 1.0 and water["opportunity_level"] == "high"
    # Intensity met, recycling unknown: score 0 of the judged weight, low.
    water = _area(assess(make_matrix([mill(water_recycled_reused_share=None)])), "water")
    assert water["area_score"] == 0.0 and water["opportunity_level"] == "low"


def test_decisive_indicator_makes_the_area_high_on_its_own():
    # EMS: high_at 1.0; no policy is decisive, no management system alone is not.
    no_policy = _area(assess(make_matrix([mill(ems_has_policy=False)])), "ems")
    assert no_policy["area_score"] == 0.5 and no_policy["opportunity_level"] == "high"
    no_system = _area(assess(make_matrix([mill(ems_has_management_system=False)])), "ems")
    assert no_system["area_score"] == 0.5 and no_system["opportunity_level"] == "low"
    assert no_system["indicators_worse"] == "ems_management_system"
    # Wastewater: a failed ZDHC test is decisive even when recycling is good.
    failed = _area(assess(make_matrix([mill(zdhc_overall_level="fail")])), "wastewater")
    assert failed["opportunity_level"] == "high"


def test_not_assessed_area_has_no_score():
    energy = _area(
        assess(make_matrix([mill(energy_intensity_mj_per_unit=None, energy_total_mj=None)])),
        "energy",
    )
    assert energy["opportunity_level"] == "not_assessed" and energy["area_score"] is None


def test_methodology_2026_1_keeps_its_any_worse_rule():
    old = parse_methodology(load_yaml("methodology/fj-2026.1.yaml"))
    assert all(area.high_at is None for area in old.areas)
    result = assess(make_matrix([mill(renewable_share=0.0)]), old)
    energy = _area(result, "energy")
    assert energy["area_score"] == pytest.approx(1 / 3)  # all weights 1 in 2026.1
    assert energy["opportunity_level"] == "high"
    assert set(result.opportunities["methodology_version"]) == {"fj-2026.1 (2026.1)"}


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("areas", 0, "high_at"), 0, "areas.0.high_at: Input should be greater than 0"),
        (("areas", 0, "high_at"), 1.5, "areas.0.high_at: Input should be less than or equal to 1"),
        (
            ("areas", 0, "indicators", 0, "weight"),
            -1,
            "areas.0.indicators.0.weight: Input should be greater than 0",
        ),
    ],
)
def test_bad_area_rule_values_are_located(path, value, message):
    document = copy.deepcopy(load_yaml("methodology/fj-2026.2.yaml"))
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(document)
    assert message in caught.value.messages
