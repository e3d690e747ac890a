"""Acceptance (#16): a hand-made park of three members and one central effluent plant, whose
totals, intensities and requirement results are worked out by hand below; moving a member's
discharge to the plant changes no park total; giving it on both sides is refused, located."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from factory_journey.services.parks import ParkInputError, assess_park_dataset
from tests.engine.parks.hand_park import FRAMEWORK, write_park

TOL = 1e-9

# By hand, from hand_park.py (kWh × 3.6 = MJ):
#   energy  M1 100,000 kWh grid + 300,000 kWh solar = 360,000 + 1,080,000 MJ
#           M2 200,000 kWh grid + 500,000 MJ steam  = 720,000 + 500,000 MJ
#           M3 50,000 kWh grid = 180,000 MJ; CETP 20,000 kWh = 72,000 MJ; OUT is not a member
ENERGY = 360_000 + 1_080_000 + 720_000 + 500_000 + 180_000 + 72_000  # 2,912,000 MJ
RENEWABLE = 1_080_000
WATER = 1_000 + 20_000 + 3_000 + 100  # withdrawal, m³
RECYCLED = 2_000
WASTEWATER = 800 + 18_000 + 2_500 + 50  # M2's 18,000 m³ counted once, wherever it is given
WASTE = 5_000 + 2_000 + 10_000
HAZARDOUS = 2_000 + 10_000
DIVERTED = 5_000  # M1's fabric scraps to recycling
EMPLOYEES = 100 + 200 + 300

EXPECTED = {
    "energy_total_mj": ENERGY,
    "energy_renewable_mj": RENEWABLE,
    "renewable_share": RENEWABLE / ENERGY,
    "water_withdrawal_m3": WATER,
    "water_recycled_reused_m3": RECYCLED,
    "water_recycled_reused_share": RECYCLED / (WATER + RECYCLED),
    "wastewater_m3": WASTEWATER,
    "waste_total_kg": WASTE,
    "waste_hazardous_kg": HAZARDOUS,
    "waste_diverted_kg": DIVERTED,
    "waste_diversion_share": DIVERTED / WASTE,
    "employees": EMPLOYEES,
    "production_volume_pcs": 100_000 + 200_000,
    "production_volume_kg": 50_000,
    "energy_mj_per_employee": ENERGY / EMPLOYEES,
    "water_m3_per_employee": WATER / EMPLOYEES,
    "waste_kg_per_employee": WASTE / EMPLOYEES,
    "members": 3,
    "shared_facilities": 1,
    "has_central_effluent_plant": 1,
    "central_plant_zdhc_pass": 0,  # the plant's COD 200 mg/L > 150 foundational
    "members_zdhc_tested_share": 1 / 3,  # only M2 has a discharged sample
    "members_zdhc_green_share": 1.0,  # and it passes (COD 100, BOD5 20)
}

# Requirements of tiny-framework.yaml, by hand:
#   PM-1 (prerequisite) yes, but no evidence and evidence_required → partly met
#   ENV-1 renewable 0.3709 ≥ 0.2 → met; ENV-2 plant pass 0 < 1 → not met
#   ENV-3 2 monitoring points: ≥ 1 but < 3 → partly met; SOC-1 no → not met
RESULTS = {"PM-1": "partly_met", "ENV-1": "met", "ENV-2": "not_met", "ENV-3": "partly_met",
           "SOC-1": "not_met"}
#   environment (1 + 0.5 × 1) / 3; social 0 / 1; park management has only a prerequisite
SCORES = {"environment": 0.5, "social": 0.0, "park_management": None}


def _indicators(folder: Path) -> dict[str, float | None]:
    result = assess_park_dataset(folder, [FRAMEWORK]).result
    frame = result.park_indicators.filter(pl.col("park_id") == "P1", pl.col("year") == 2024)
    return dict(frame.select("indicator", "value").iter_rows())


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory):
    return assess_park_dataset(write_park(tmp_path_factory.mktemp("park")), [FRAMEWORK]).result


def test_totals_and_intensities_equal_the_hand_figures(assessed) -> None:
    values = dict(assessed.park_indicators.select("indicator", "value").iter_rows())
    for indicator, expected in EXPECTED.items():
        assert values[indicator] == pytest.approx(expected, abs=TOL, rel=0), indicator


def test_each_total_shows_its_parts(assessed) -> None:
    row = assessed.park_indicators.filter(pl.col("indicator") == "energy_total_mj").row(
        0, named=True)
    assert row["members_value"] == pytest.approx(ENERGY - 72_000, abs=TOL)
    assert row["shared_value"] == pytest.approx(72_000, abs=TOL)
    assert row["value"] == pytest.approx(
        row["members_value"] - (row["internal_value"] or 0) + row["shared_value"], abs=TOL)


def test_requirement_results_and_pillar_scores_equal_the_hand_ones(assessed) -> None:
    results = dict(assessed.requirement_results.select("requirement_id", "result").iter_rows())
    assert results == RESULTS
    scores = dict(assessed.pillar_scores.select("pillar", "score").iter_rows())
    assert scores.keys() == SCORES.keys()
    for pillar, expected in SCORES.items():
        if expected is None:
            assert scores[pillar] is None
        else:
            assert scores[pillar] == pytest.approx(expected, abs=TOL)
    pm = assessed.pillar_scores.filter(pl.col("pillar") == "park_management").row(0, named=True)
    assert (pm["prerequisites"], pm["prerequisites_partly_met"]) == (1, 1)
    why = assessed.requirement_results.filter(pl.col("requirement_id") == "ENV-1")["decided_by"]
    assert "renewable_share = 0.370879" in why[0]


def test_member_and_plant_discharge_status(assessed) -> None:
    status = dict(assessed.park_members.select("facility_id", "zdhc_status").iter_rows())
    assert status == {"M1": "not_tested", "M2": "green", "M3": "not_tested"}
    plant = assessed.park_shared_facilities.row(0, named=True)
    assert plant["zdhc_status"] == "red"
    assert plant["member_flows_wastewater_m3"] is None  # M2 gives its own wastewater here
    assert "OUT" not in assessed.park_members["facility_id"].to_list()


def test_moving_a_members_discharge_to_the_central_plant_changes_no_park_total(
    tmp_path: Path,
) -> None:
    own = _indicators(write_park(tmp_path / "own"))
    metered = _indicators(write_park(tmp_path / "at-plant", m2_at_plant=True))
    assert own.keys() == metered.keys()
    for indicator, value in own.items():
        assert metered[indicator] == pytest.approx(value, abs=TOL, rel=0) if value is not None \
            else metered[indicator] is None, indicator
    assert metered["wastewater_m3"] == pytest.approx(WASTEWATER, abs=TOL)


def test_the_metered_flow_is_shown_at_the_plant(tmp_path: Path) -> None:
    result = assess_park_dataset(write_park(tmp_path, m2_at_plant=True), [FRAMEWORK]).result
    assert result.park_shared_facilities["member_flows_wastewater_m3"][0] == 18_000
    m2 = result.park_members.filter(pl.col("facility_id") == "M2")
    assert m2["wastewater_m3"][0] == 18_000  # still the member's own flow
    assert m2["wastewater_to_central_m3"][0] == 18_000  # and metered at the central plant
    assert dict(result.park_members.select("facility_id", "employees").iter_rows()) == {
        "M1": 100, "M2": 200, "M3": 300}
    assert result.parks.row(0, named=True) | {"latitude": None} == {
        "park_id": "P1", "park_name": "Hand Park", "country_iso2": "ET",
        "operator": "Hand Park Operator", "latitude": None, "longitude": None}


def test_a_flow_given_on_both_sides_is_refused_where_it_is(tmp_path: Path) -> None:
    with pytest.raises(ParkInputError) as refused:
        assess_park_dataset(write_park(tmp_path, both=True), [FRAMEWORK])
    twice = [p for p in refused.value.problems if p.code == "counted_twice"]
    assert len(twice) == 1
    problem = twice[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "shared_wastewater.csv", 3, "member_facility_id", "M2")
    # M2's own row: row 4 of wastewater.csv (after the header and two other members' rows)
    assert "wastewater.csv row 4" in problem.message


def test_internal_deliveries_are_counted_once(tmp_path: Path) -> None:
    """A central boiler delivering steam: M2's 500,000 MJ of steam leave the park total, the
    boiler's own 600,000 MJ of natural gas enter it; M2's own figures keep the steam."""
    folder = write_park(tmp_path)
    with (folder / "shared_facilities.csv").open("a", encoding="utf-8") as handle:
        handle.write("P1,2024,BOILER,Central boiler,central_boiler,allocated_by_volume\n")
    text = (folder / "shared_facilities.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",delivers_energy_source"
    text = [text[0], *[line + ("," if "BOILER" not in line else ",purchased_steam")
                       for line in text[1:]]]
    (folder / "shared_facilities.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with (folder / "shared_energy.csv").open("a", encoding="utf-8") as handle:
        handle.write("BOILER,2024,natural_gas,600000,MJ\n")
    result = assess_park_dataset(folder, [FRAMEWORK]).result
    energy = result.park_indicators.filter(pl.col("indicator") == "energy_total_mj").row(
        0, named=True)
    assert energy["internal_value"] == pytest.approx(500_000, abs=TOL)
    assert energy["value"] == pytest.approx(ENERGY - 500_000 + 600_000, abs=TOL)
    m2 = result.park_members.filter(pl.col("facility_id") == "M2")
    assert m2["energy_total_mj"][0] == pytest.approx(720_000 + 500_000, abs=TOL)


@pytest.mark.parametrize(("question", "answer", "words"), [
    ("soc_grievance_mechanism", "3", "not yes, partly or no"),
    ("env_monitoring_points", "yes", "not a number"),
    ("soc_grievance_mechanism", "unknown", "answered 'unknown'"),
])
def test_an_answer_of_the_wrong_kind_decides_nothing(tmp_path: Path, question: str, answer: str,
                                                     words: str) -> None:
    folder = write_park(tmp_path)
    text = (folder / "park_questionnaire.csv").read_text(encoding="utf-8").splitlines()
    text = [line if not line.startswith(f"P1,2024,{question},") else
            f"P1,2024,{question},{answer}," for line in text]
    (folder / "park_questionnaire.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    results = assess_park_dataset(folder, [FRAMEWORK]).result.requirement_results
    row = results.filter(pl.col("subject") == question).row(0, named=True)
    assert row["result"] == "not_assessed"
    assert words in row["decided_by"]


def test_the_opportunity_counts_agree_with_the_members_areas(assessed) -> None:
    counts = {(r["area"], level): r[level] for r in assessed.park_opportunities.to_dicts()
              for level in ("high", "low", "not_assessed")}
    assert {r["members"] for r in assessed.park_opportunities.to_dicts()} == {3}
    for level in ("high", "low", "not_assessed"):
        listed = [a for areas in assessed.park_members[f"{level}_areas"].to_list()
                  for a in (areas or "").split(";") if a]
        for area in {a for a, _ in counts}:
            assert counts[(area, level)] == listed.count(area), (area, level)
    share = dict(assessed.park_indicators.select("indicator", "value").iter_rows())
    high, low = counts[("energy", "high")], counts[("energy", "low")]
    assert share["members_high_share_energy"] == pytest.approx(high / (high + low), abs=TOL)


def _with_boiler_and_water_plant(folder: Path, *, cetp_steam: bool, wtp_recycled: bool) -> Path:
    """The hand park plus a central boiler delivering steam (to M2 and, with `cetp_steam`, to
    the effluent plant) and a water plant that takes, with `wtp_recycled`, the effluent plant's
    recycled water."""
    write_park(folder)
    (folder / "shared_facilities.csv").write_text(
        "park_id,year,shared_facility_id,name,type,serves,delivers_energy_source,"
        "delivers_water_source\n"
        "P1,2024,CETP,Central effluent plant,central_effluent_treatment,metered,,"
        "recycled_third_party\n"
        "P1,2024,BOILER,Central boiler,central_boiler,metered,purchased_steam,\n"
        "P1,2024,WTP,Water plant,water_supply,allocated_by_volume,,third_party\n",
        encoding="utf-8")
    with (folder / "shared_energy.csv").open("a", encoding="utf-8") as handle:
        handle.write("BOILER,2024,natural_gas,600000,MJ\n")
        if cetp_steam:
            handle.write("CETP,2024,purchased_steam,40000,MJ\n")
    with (folder / "shared_water.csv").open("a", encoding="utf-8") as handle:
        handle.write("WTP,2024,groundwater,withdrawal,10000,m3\n")
        if wtp_recycled:
            handle.write("WTP,2024,recycled_third_party,withdrawal,3000,m3\n")
    return folder


def test_a_flow_between_shared_facilities_is_counted_once(tmp_path: Path) -> None:
    """By hand: the boiler's 600,000 MJ of gas enter the park total; the steam it delivers
    (M2's 500,000 MJ, the effluent plant's 40,000 MJ) leaves it. The effluent plant's
    3,000 m³ of recycled water taken in by the water plant leave the withdrawal; the water
    plant's 10,000 m³ of groundwater enter it."""
    result = assess_park_dataset(_with_boiler_and_water_plant(
        tmp_path / "both", cetp_steam=True, wtp_recycled=True), [FRAMEWORK]).result
    rows = {r["indicator"]: r for r in result.park_indicators.iter_rows(named=True)}
    energy, water = rows["energy_total_mj"], rows["water_withdrawal_m3"]
    assert energy["members_value"] == pytest.approx(ENERGY - 72_000, abs=TOL, rel=0)
    assert energy["shared_value"] == pytest.approx(72_000 + 40_000 + 600_000, abs=TOL, rel=0)
    assert energy["internal_value"] == pytest.approx(500_000 + 40_000, abs=TOL, rel=0)
    assert energy["value"] == pytest.approx(ENERGY - 500_000 + 600_000, abs=TOL, rel=0)
    assert water["shared_value"] == pytest.approx(100 + 10_000 + 3_000, abs=TOL, rel=0)
    assert water["internal_value"] == pytest.approx(3_000, abs=TOL, rel=0)
    assert water["value"] == pytest.approx(WATER + 10_000, abs=TOL, rel=0)
    # the effluent plant's own figures keep the steam it uses
    plants = {r["shared_facility_id"]: r for r in result.park_shared_facilities.iter_rows(
        named=True)}
    assert plants["CETP"]["energy_total_mj"] == pytest.approx(72_000 + 40_000, abs=TOL)
    # and giving the deliveries between shared facilities changes no park total
    without = assess_park_dataset(_with_boiler_and_water_plant(
        tmp_path / "none", cetp_steam=False, wtp_recycled=False), [FRAMEWORK]).result
    alone = dict(without.park_indicators.select("indicator", "value").iter_rows())
    for indicator, row in rows.items():
        if alone[indicator] is None:
            assert row["value"] is None, indicator
        else:
            assert row["value"] == pytest.approx(alone[indicator], abs=1e-6, rel=0), indicator


def test_a_flow_between_shared_facilities_metered_at_the_supplier_is_the_receivers(
    tmp_path: Path,
) -> None:
    """The boiler's meter for the effluent plant's steam (`member_facility_id` = CETP) is the
    effluent plant's flow: the same totals as the plant giving it in its own rows."""
    folder = _with_boiler_and_water_plant(tmp_path / "metered", cetp_steam=False,
                                          wtp_recycled=True)
    with (folder / "shared_energy.csv").open("a", encoding="utf-8") as handle:
        handle.write("BOILER,2024,purchased_steam,40000,MJ,CETP\n")
    _add_member_column(folder / "shared_energy.csv")
    metered = assess_park_dataset(folder, [FRAMEWORK]).result
    own = assess_park_dataset(_with_boiler_and_water_plant(
        tmp_path / "own", cetp_steam=True, wtp_recycled=True), [FRAMEWORK]).result
    assert metered.park_indicators.equals(own.park_indicators)
    plants = dict(metered.park_shared_facilities.select("shared_facility_id",
                                                        "energy_total_mj").iter_rows())
    assert plants["CETP"] == pytest.approx(72_000 + 40_000, abs=TOL)
    assert plants["BOILER"] == pytest.approx(600_000, abs=TOL)


def test_a_flow_between_shared_facilities_given_twice_is_refused_where_it_is(
    tmp_path: Path,
) -> None:
    folder = _with_boiler_and_water_plant(tmp_path, cetp_steam=True, wtp_recycled=True)
    with (folder / "shared_energy.csv").open("a", encoding="utf-8") as handle:
        handle.write("BOILER,2024,purchased_steam,40000,MJ,CETP\n")
    _add_member_column(folder / "shared_energy.csv")
    with pytest.raises(ParkInputError) as refused:
        assess_park_dataset(folder, [FRAMEWORK])
    twice = [p for p in refused.value.problems if p.code == "counted_twice"]
    assert len(twice) == 1
    problem = twice[0]
    # rows: header, CETP electricity, BOILER gas, CETP steam, BOILER's meter for CETP
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "shared_energy.csv", 5, "member_facility_id", "CETP")
    assert "shared_energy.csv row 4" in problem.message


def _add_member_column(path: Path) -> None:
    """Give shared_energy.csv the `member_facility_id` column (empty where not given)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",member_facility_id",
             *[line if line.count(",") == 5 else line + "," for line in lines[1:]]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
