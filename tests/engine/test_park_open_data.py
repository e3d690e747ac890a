"""What a park publishes (engine/park_open_data.py): totals only over at least 5 members,
shares only over at least 5 members, ratios only of published totals, no requirement that
tests a withheld total, the shared facilities' own figures and the central plant's status."""

from __future__ import annotations

import polars as pl

from factory_journey.engine.park_open_data import (
    park_long_values,
    plant_discharge,
    published_indicators,
)


def _indicators(members: int, reporting: int) -> pl.DataFrame:
    rows = [  # indicator, value, unit, members_value, shared_value, reporting
        ("members", members, "count", None, None, None),
        ("shared_facilities", 1, "count", None, None, None),
        ("energy_total_mj", 1000.0, "MJ", 900.0, 100.0, reporting + 1),
        ("energy_renewable_mj", 50.0, "MJ", 50.0, None, reporting),
        ("renewable_share", 0.05, "share", None, None, None),
        ("employees", 10.0, "persons", 10.0, None, 2),  # only 2 members report it
        ("energy_mj_per_employee", 100.0, "MJ/person", None, None, None),
        ("members_zdhc_tested_share", 0.4, "share", None, None, None),
        ("members_zdhc_green_share", 1.0, "share", None, None, None),
        ("central_plant_zdhc_pass", 0.0, "0/1", None, None, None),
        ("shared_only_mj", 7.0, "MJ", None, 7.0, 1),
        ("members_high_share_energy", 0.5, "share", None, None, None),
        ("something_new", 1.0, "x", None, None, None),
    ]
    return pl.DataFrame(
        [{"park_id": "P", "year": 2024, "indicator": r[0], "value": float(r[1]), "unit": r[2],
          "members_value": r[3], "shared_value": r[4], "reporting": r[5]} for r in rows],
        schema_overrides={"members_value": pl.Float64, "shared_value": pl.Float64,
                          "reporting": pl.Int64},
    )


def _opportunities(assessed: int) -> pl.DataFrame:
    return pl.DataFrame({"park_id": ["P"], "year": [2024], "area": ["energy"],
                         "high": [assessed - 1], "low": [1], "not_assessed": [0],
                         "members": [assessed]})


def test_totals_and_shares_need_five_members_behind_them() -> None:
    kept = set(published_indicators(_indicators(10, 5), _opportunities(5), 5)["indicator"])
    assert {"energy_total_mj", "energy_renewable_mj", "renewable_share",
            "members_zdhc_tested_share", "members_high_share_energy", "shared_only_mj",
            "members", "shared_facilities", "central_plant_zdhc_pass"} <= kept
    assert "employees" not in kept and "energy_mj_per_employee" not in kept  # 2 report
    assert "members_zdhc_green_share" not in kept  # green of 0.4 × 10 = 4 tested members
    assert "something_new" not in kept  # an indicator nobody classified: withheld


def test_a_small_park_publishes_nothing_over_its_members() -> None:
    kept = set(published_indicators(_indicators(4, 4), _opportunities(4), 5)["indicator"])
    assert kept == {"members", "shared_facilities", "central_plant_zdhc_pass",
                    "shared_only_mj"}


def test_shared_facilities_requirements_and_pillars() -> None:
    frames = {
        "park_indicators": _indicators(4, 4),
        "park_opportunities": _opportunities(4),
        "park_shared_facilities": pl.DataFrame({
            "park_id": ["P"], "year": [2024], "shared_facility_id": ["CETP"],
            "name": ["Plant"], "type": ["central_effluent_treatment"],
            "energy_total_mj": [10.0], "ghg_kgco2e": [1.0], "water_withdrawal_m3": [None],
            "wastewater_m3": [5.0], "zdhc_parameters_failing_foundational": [2],
            "member_flows_wastewater_m3": [999.0], "zdhc_status": ["red"]}),
        "requirement_results": pl.DataFrame({
            "park_id": ["P", "P"], "year": [2024, 2024], "requirement_id": ["R1", "R2"],
            "test_kind": ["indicator", "questionnaire"],
            "subject": ["energy_total_mj", "q1"], "value": [1000.0, 1.0],
            "unit": ["MJ", "yes/partly/no"], "result": ["met", "met"]}),
        "pillar_scores": pl.DataFrame({"park_id": ["P"], "year": [2024],
                                       "pillar": ["environment"], "score": [0.5]}),
    }
    values = park_long_values(frames, 5)
    by = {(r["indicator_group"], r["indicator"]): r for r in values.iter_rows(named=True)}
    assert ("requirement_results", "R1") not in by  # tests a withheld total
    assert by[("requirement_results", "R2")]["value_text"] == "met"
    assert by[("pillar_scores", "environment")]["value"] == 0.5
    assert by[("shared_facilities", "CETP.wastewater_m3")]["value"] == 5.0
    assert by[("shared_facilities", "CETP.type")]["value_text"] == "central_effluent_treatment"
    assert 999.0 not in values["value"].to_list()  # members' flows metered at the plant
    assert ("shared_facilities", "CETP.water_withdrawal_m3") not in by  # no value: no row
    assert set(values["verification_status"]) == {"self-reported"}
    [plant] = plant_discharge(frames["park_shared_facilities"])
    assert (plant.year, plant.status, plant.parameters_failing) == (2024, "red", 2)
