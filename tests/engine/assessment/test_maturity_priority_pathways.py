"""Hand-built cases: maturity staging, priority arithmetic, regional adaptation, pathway order
and roles, measure choice."""

from __future__ import annotations

import polars as pl
import pytest

from factory_journey.engine.assessment import assess

from .matrix_rows import make_matrix, mill


def _opp(result, area: str, facility_id: str = "F1") -> dict:
    return result.opportunities.filter(
        (pl.col("facility_id") == facility_id) & (pl.col("area") == area)
    ).to_dicts()[0]


def _steps(result, facility_id: str = "F1") -> list[dict]:
    return result.pathways.filter(pl.col("facility_id") == facility_id).to_dicts()


@pytest.mark.parametrize(
    ("answers", "stage", "key"),
    [
        ({}, 1, "awareness"),
        ({"energy_has_baseline": True}, 2, "baseline"),
        ({"energy_has_baseline": True, "energy_has_target": True}, 2, "baseline"),
        (
            {
                "energy_has_baseline": True,
                "energy_has_target": True,
                "energy_tracks_progress": True,
            },
            3,
            "managing",
        ),
        (
            {
                "energy_has_baseline": True,
                "energy_has_target": True,
                "energy_tracks_progress": True,
                "energy_verified_share": 0.5,
            },
            4,
            "leading",
        ),
        # Stages are cumulative: verified data without a baseline stays at awareness.
        ({"energy_verified_share": 1.0, "energy_has_target": True}, 1, "awareness"),
    ],
)
def test_maturity_stages_are_cumulative(answers, stage, key):
    result = assess(make_matrix([mill(**answers)]))
    row = _opp(result, "energy")
    assert (row["maturity_stage"], row["maturity_stage_key"]) == (stage, key)


def test_area_specific_maturity_conditions():
    managed = {
        "chemicals_has_baseline": True,
        "chemicals_has_target": True,
        "chemicals_tracks_progress": True,
        "chemicals_verified_share": 1.0,
    }
    assert _opp(assess(make_matrix([mill(**managed)])), "chemicals")["maturity_stage"] == 3
    leading = assess(make_matrix([mill(**managed, supplier_to_zero_level=2)]))
    assert _opp(leading, "chemicals")["maturity_stage"] == 4
    # EMS: policy → 2, management system → 3 (GOOD_MILL has both).
    assert _opp(leading, "ems")["maturity_stage"] == 3
    no_policy = assess(make_matrix([mill(ems_has_policy=False)]))
    assert _opp(no_policy, "ems")["maturity_stage"] == 1


def test_priority_formula_exact_value():
    # Mill, energy: gap 0.25 (80 vs 60 MJ/kg), relevance 1.0, regional 0.5, stage 1 → need 1.
    result = assess(make_matrix([mill(energy_intensity_mj_per_unit=80.0)]))
    energy = next(s for s in _steps(result) if s["area"] == "energy")
    assert energy["priority"] == pytest.approx(100 * (0.4 * 0.25 + 0.3 * 1.0 + 0.15 * 0.5 + 0.15))
    assert energy["pathway"] == "recommended" and energy["rank"] == 1


def test_high_before_low_then_priority_then_area_order():
    result = assess(
        make_matrix(
            [
                mill(
                    energy_intensity_mj_per_unit=66.0,  # gap 0.0909… (energy, relevance 1.0)
                    waste_diversion_share=0.25,  # gap 0.5 (waste, relevance 0.5 for mills)
                    ems_has_policy=False,  # gap 1.0 (ems, relevance 0.7)
                )
            ]
        )
    )
    steps = _steps(result)
    assert [s["rank"] for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    # ems 100*(0.4+0.21+0.075+0.15)=83.5; energy 100*(0.0364+0.3+0.075+0.15)=56.1;
    # waste 100*(0.2+0.15+0.075+0.15)=57.5 → ems, waste, energy; then the low areas.
    assert [s["area"] for s in steps[:3]] == ["ems", "waste", "energy"]
    assert [s["pathway"] for s in steps[:4]] == ["recommended", "optional", "optional", "none"]
    # Low areas tie on relevance 1.0 (water, wastewater, chemicals): methodology order.
    assert [s["area"] for s in steps[3:6]] == ["water", "wastewater", "chemicals"]
    assert all(s["opportunity_level"] == "low" for s in steps[3:])


def test_high_water_risk_raises_water_priority():
    base = {"water_intensity_l_per_unit": 150.0}  # gap 0.2 against 120 L/kg
    low = assess(make_matrix([mill(**base, water_risk_category="low")]))
    high = assess(make_matrix([mill(**base, water_risk_category="extremely_high")]))
    water_low = next(s for s in _steps(low) if s["area"] == "water")
    water_high = next(s for s in _steps(high) if s["area"] == "water")
    assert water_high["regional_factor"] == 1.0 and water_low["regional_factor"] == 0.5
    assert water_high["regional_adaptations"] == "water_risk_high"
    assert water_high["priority"] - water_low["priority"] == pytest.approx(100 * 0.15 * 0.5)


def test_no_high_opportunity_recommends_maintaining_the_top_area():
    steps = _steps(assess(make_matrix([mill()])))
    first = steps[0]
    assert first["pathway"] == "recommended" and first["step_kind"] == "maintain"
    assert not any(s["pathway"] == "optional" for s in steps)


def test_nothing_assessed_recommends_the_data_foundation():
    bare = {
        k: None
        for k in mill()
        if k
        not in (
            "facility_id",
            "year",
            "country_iso2",
            "un_region",
            "un_subregion",
            "journey_factory_type",
            "intensity_basis",
        )
    }
    steps = _steps(assess(make_matrix([mill(**bare)])))
    assert all(s["opportunity_level"] == "not_assessed" for s in steps)
    first = steps[0]
    assert first["pathway"] == "recommended" and first["step_kind"] == "data_foundation"
    assert first["area"] == "energy"  # highest relevance for mills, first in order
    assert first["modules"] == "aii_target_setting;cascale_higg_fem"
    assert first["measures"] == "metering"
    assert {s["pathway"] for s in steps[1:]} == {"collect_data"}


def test_measures_addressing_the_largest_gap_come_first():
    result = assess(make_matrix([mill(energy_intensity_mj_per_unit=80.0, coal_share_thermal=0.5)]))
    energy = next(s for s in _steps(result) if s["area"] == "energy")
    # coal gap 0.5 > intensity gap 0.25; electric boilers need a grid below 0.3 kg/kWh.
    assert energy["measures"] == "coal_to_biomass;metering;steam_traps;condensate_recovery"


def test_modules_follow_maturity_and_verification():
    early = assess(make_matrix([mill(energy_intensity_mj_per_unit=80.0)]))
    energy = next(s for s in _steps(early) if s["area"] == "energy")
    assert energy["modules"].split(";")[:2] == ["aii_target_setting", "cascale_higg_fem"]
    assert energy["modules"].endswith("cascale_vfem")
    mature = assess(
        make_matrix(
            [
                mill(
                    energy_intensity_mj_per_unit=80.0,
                    energy_has_baseline=True,
                    energy_has_target=True,
                    energy_tracks_progress=True,
                    energy_verified_share=1.0,
                )
            ]
        )
    )
    energy = next(s for s in _steps(mature) if s["area"] == "energy")
    assert energy["modules"] == (
        "aii_resource_efficiency;aii_thermal_solutions;aii_renewable_energy;"
        "aii_carbon_monitoring;aii_financial_tools"
    )
