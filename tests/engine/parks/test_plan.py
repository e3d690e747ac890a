"""The collective improvement plan: figures and member shares worked out by hand."""

from __future__ import annotations

import copy

import polars as pl
import pytest

from factory_journey.engine.assessment.methodology import MethodologyError
from factory_journey.engine.parks.framework_schema import parse_framework, with_overlays
from factory_journey.engine.parks.plan import SPLIT_FIGURES, collective_plan
from factory_journey.engine.parks.plan_inputs import members_for_plan
from factory_journey.engine.parks.plan_measures import (
    default_park_measures,
    parse_park_measures,
)
from factory_journey.reference.loader import list_reference_files, load_yaml

TOL = 1e-9
PRICES = pl.DataFrame({"country_iso2": ["*"], "electricity_usd_per_kwh": [0.10],
                       "thermal_fuel_usd_per_gj": [8.0], "water_usd_per_m3": [0.5],
                       "price_source": ["test prices"]})


def _measure(key: str, effect: dict, investment: dict, split: dict,
             when: str | None = None, covers: dict | None = None) -> dict:
    item = {"key": key, "title": key.replace("_", " "), "area": "energy", "description": "d",
            "effect": effect, "investment": investment, "co2e_basis": "b", "split": split,
            "covers": covers or {}, "certainty": "project", "source": "test"}
    if when:
        item["participants_when"] = when
    return item


DOCUMENT = {
    "meta": {"version": "test.1"},
    "split_bases": {b: {"label": b, "definition": b}
                    for b in ("metered", "volume", "production", "equal", "headcount")},
    "measures": [
        _measure("solar", {"kind": "electricity_substituted", "fraction": [0.1, 0.3]},
                 {"basis": "electricity_kwh", "usd": [0.4, 0.8]},
                 {"basis": "metered", "column": "energy_electric_mj"}, "energy_electric_mj",
                 {"measures": ["rooftop_solar"], "modules": ["aii_renewable_energy"]}),
        _measure("steam", {"kind": "thermal_energy", "fraction": [0.1, 0.2]},
                 {"basis": "energy_gj", "usd": [10, 20]},
                 {"basis": "metered", "column": "energy_thermal_mj"}, "energy_thermal_mj"),
        _measure("cetp", {"kind": "water_recycled", "fraction": [0.2, 0.4]},
                 {"basis": "water_m3", "usd": [2, 4]},
                 {"basis": "volume", "column": "wastewater_to_central_m3"},
                 "wastewater_to_central_m3"),
        _measure("hub", {"kind": "waste_diverted", "fraction": [0.1, 0.3]},
                 {"basis": "park", "usd": [40000, 80000]},
                 {"basis": "volume", "column": "waste_total_kg"}, "waste_total_kg"),
        _measure("chem", {"kind": "none"}, {"basis": "member", "usd": [1000, 3000]},
                 {"basis": "production", "column": "production_volume_kg"},
                 "production_volume_kg"),
        _measure("platform", {"kind": "none"}, {"basis": "park", "usd": [10000, 30000]},
                 {"basis": "equal"}),
        _measure("workers", {"kind": "none"}, {"basis": "worker", "usd": [5, 15]},
                 {"basis": "headcount", "column": "workers"}, "workers"),
        _measure("fallback", {"kind": "none"}, {"basis": "park", "usd": [100, 100]},
                 {"basis": "production", "column": "production_volume_kg"},
                 "energy_electric_mj"),
    ],
}
MEMBERS = pl.DataFrame({
    "park_id": ["P1", "P1", "P1", "P2"],
    "facility_id": ["A", "B", "C", "D"],
    "year": [2024, 2024, 2024, 2024],
    "country_iso2": ["VN", "VN", "VN", "KE"],
    "energy_electric_mj": [3.6e6, 7.2e6, 0.0, None],
    "energy_thermal_mj": [1e7, 0.0, 2e7, None],
    "scope1_kgco2e": [7e5, 0.0, 1.4e6, None],
    "grid_factor_kgco2e_per_kwh": [0.5, 0.5, 0.6, None],
    "wastewater_to_central_m3": [1000.0, 3000.0, None, None],
    "waste_total_kg": [100.0, 200.0, 300.0, None],
    "production_volume_kg": [10.0, None, 30.0, None],
    "workers": [100, 200, 300, 50],
})
STEPS = pl.DataFrame({
    "facility_id": ["A", "A", "B"], "year": [2024, 2024, 2024],
    "area": ["energy", "water", "energy"], "pathway": ["recommended", "optional", "none"],
    "measures": ["rooftop_solar;steam_traps", "water_recycling", "rooftop_solar"],
    "modules": ["aii_renewable_energy;aii_thermal_solutions", "aii_resource_efficiency",
                "aii_renewable_energy"],
})


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return collective_plan(MEMBERS, STEPS, parse_park_measures(DOCUMENT), PRICES)


def _row(frame: pl.DataFrame, **keys: object) -> dict:
    rows = frame.filter(*[pl.col(k) == v for k, v in keys.items()]).to_dicts()
    assert len(rows) == 1, keys
    return rows[0]


def _close(actual: float | None, expected: float) -> None:
    assert actual is not None
    assert abs(actual - expected) <= TOL * max(1.0, abs(expected)), (actual, expected)


def test_solar_by_hand(plan) -> None:  # type: ignore[no-untyped-def]
    # A 1e6 kWh, B 2e6 kWh take part (C has no electricity); central fraction 0.2.
    row = _row(plan.measures, park_id="P1", measure="solar")
    assert row["participants"] == 2
    _close(row["electricity_saved_kwh"], 600_000)
    _close(row["money_saved_usd"], 60_000)          # × 0.10 USD/kWh
    _close(row["money_saved_usd_low"], 30_000)      # fraction 0.1
    _close(row["money_saved_usd_high"], 90_000)     # fraction 0.3
    _close(row["co2e_saved_kgco2e"], 300_000)       # × 0.5 kgCO2e/kWh
    _close(row["investment_usd"], 360_000)          # 0.6 USD per kWh/yr
    _close(row["investment_usd_low"], 240_000)
    _close(row["investment_usd_high"], 480_000)
    _close(row["simple_payback_years"], 6.0)
    a = _row(plan.members, park_id="P1", measure="solar", facility_id="A")
    b = _row(plan.members, park_id="P1", measure="solar", facility_id="B")
    _close(a["share"], 1 / 3)
    _close(a["investment_usd"], 120_000)
    _close(b["money_saved_usd"], 40_000)
    _close(b["co2e_saved_kgco2e"], 200_000)


def test_steam_uses_each_members_own_thermal_factor(plan) -> None:  # type: ignore[no-untyped-def]
    row = _row(plan.measures, park_id="P1", measure="steam")
    _close(row["energy_saved_mj"], 4.5e6)           # 0.15 × (1e7 + 2e7)
    _close(row["money_saved_usd"], 36_000)          # 4,500 GJ × 8 USD/GJ
    _close(row["co2e_saved_kgco2e"], 315_000)       # 1.5e6 × 0.07 + 3e6 × 0.07
    _close(row["investment_usd"], 67_500)           # 15 USD per GJ/yr
    _close(_row(plan.members, park_id="P1", measure="steam", facility_id="C")["share"], 2 / 3)


def test_effluent_recycling_split_by_volume(plan) -> None:  # type: ignore[no-untyped-def]
    row = _row(plan.measures, park_id="P1", measure="cetp")
    _close(row["water_saved_m3"], 1200)             # 0.3 × (1000 + 3000)
    _close(row["money_saved_usd"], 600)
    _close(row["investment_usd"], 3600)
    _close(row["co2e_saved_kgco2e"], 0.0)
    _close(_row(plan.members, park_id="P1", measure="cetp", facility_id="B")["share"], 0.75)


def test_fixed_costs_split_by_volume_production_equal_and_headcount(plan) -> None:  # type: ignore[no-untyped-def]
    hub = _row(plan.measures, park_id="P1", measure="hub")
    _close(hub["waste_diverted_kg"], 120)
    _close(hub["investment_usd"], 60_000)
    assert hub["simple_payback_years"] is None     # no money saved: no payback
    _close(_row(plan.members, park_id="P1", measure="hub", facility_id="A")["investment_usd"],
           10_000)                                   # 100 of 600 kg
    chem = _row(plan.measures, park_id="P1", measure="chem")
    assert chem["participants"] == 2                 # B has no production in kg
    _close(chem["investment_usd"], 4000)             # 2 members × 2,000
    _close(_row(plan.members, park_id="P1", measure="chem", facility_id="C")["share"], 0.75)
    _close(_row(plan.members, park_id="P1", measure="platform", facility_id="B")["share"], 1 / 3)
    workers = _row(plan.measures, park_id="P1", measure="workers")
    _close(workers["investment_usd"], 6000)          # 600 workers × 10 USD
    _close(_row(plan.members, park_id="P1", measure="workers", facility_id="C")
           ["investment_usd"], 3000)


def test_missing_split_value_falls_back_to_equal_and_says_so(plan) -> None:  # type: ignore[no-untyped-def]
    row = _row(plan.measures, park_id="P1", measure="fallback")
    assert row["split_note"] == "equal split: 1 of 2 participants have no production_volume_kg"
    for fid in ("A", "B"):
        _close(_row(plan.members, park_id="P1", measure="fallback", facility_id=fid)["share"],
               0.5)


def test_a_park_without_participants_keeps_the_measure_with_a_reason(plan) -> None:  # type: ignore[no-untyped-def]
    row = _row(plan.measures, park_id="P2", measure="solar")
    assert row["participants"] == 0
    assert row["investment_usd"] == 0.0
    assert row["split_note"] == "no member has energy_electric_mj above 0"
    assert plan.members.filter(pl.col("park_id") == "P2", pl.col("measure") == "solar").height == 0


def test_member_shares_add_up_to_the_measure(plan) -> None:  # type: ignore[no-untyped-def]
    sums = plan.members.group_by("park_id", "year", "measure").agg(
        pl.col("share").sum(), *[pl.col(c).sum() for c in SPLIT_FIGURES])
    joined = sums.join(plan.measures, on=["park_id", "year", "measure"], suffix="_plan")
    for row in joined.to_dicts():
        _close(row["share"], 1.0)
        for column in SPLIT_FIGURES:
            _close(row[column], row[f"{column}_plan"])


def test_unknown_grid_factor_leaves_co2e_unknown_not_understated() -> None:
    members = MEMBERS.with_columns(
        pl.when(pl.col("facility_id") == "B").then(None)
        .otherwise(pl.col("grid_factor_kgco2e_per_kwh")).alias("grid_factor_kgco2e_per_kwh"))
    plan = collective_plan(members, None, parse_park_measures(DOCUMENT), PRICES)
    assert _row(plan.measures, park_id="P1", measure="solar")["co2e_saved_kgco2e"] is None
    _close(_row(plan.measures, park_id="P1", measure="steam")["co2e_saved_kgco2e"], 315_000)


def test_covered_member_steps(plan) -> None:  # type: ignore[no-untyped-def]
    a = _row(plan.members, park_id="P1", measure="solar", facility_id="A")
    assert a["covered_steps"] == "energy:rooftop_solar"
    assert a["covered_modules"] == "aii_renewable_energy"
    # B's step is `none` (maintain), so the park measure covers no step of B's pathway.
    assert _row(plan.members, park_id="P1", measure="solar", facility_id="B")["covered_steps"] == ""


def test_invalid_measures_are_refused_with_their_location() -> None:
    bad = copy.deepcopy(DOCUMENT)
    bad["measures"][0]["covers"]["modules"] = ["no_such_module"]
    bad["measures"][5]["split"] = {"basis": "equal", "column": "workers"}
    with pytest.raises(MethodologyError) as error:
        parse_park_measures(bad)
    assert any("measures.5.split" in m for m in error.value.messages)
    bad["measures"][5]["split"] = {"basis": "equal"}
    with pytest.raises(MethodologyError, match="unknown module 'no_such_module'"):
        parse_park_measures(bad)


def test_members_for_plan_takes_member_figures_from_the_matrix() -> None:
    park_members = pl.DataFrame({"park_id": ["P1", "P1", "P2"], "year": [2024] * 3,
                                 "facility_id": ["A", "B", "D"], "employees": [120, None, 40]})
    matrix = pl.DataFrame({
        "facility_id": ["A", "B", "D", "A"], "year": [2024, 2024, 2024, 2023],
        "country_iso2": ["VN", "VN", "KE", "VN"],
        "energy_electric_mj": [1.0, 2.0, 3.0, 9.0],
        "wastewater_industrial_m3": [500.0, None, 70.0, 9.0],
        "wastewater_m3": [600.0, 800.0, 80.0, 9.0],
        "siptotalnumemployees": [100, 200, 30, 9],
    })
    indicators = pl.DataFrame({"park_id": ["P1", "P2"], "year": [2024, 2024],
                               "indicator": ["has_central_effluent_plant"] * 2,
                               "value": [1.0, 0.0]})
    out = members_for_plan(park_members, matrix, indicators)
    assert out["wastewater_to_central_m3"].to_list() == [500.0, 800.0, 0.0]
    assert out["workers"].to_list() == [120.0, 200.0, 40.0]
    assert out["energy_electric_mj"].to_list() == [1.0, 2.0, 3.0]
    assert out["energy_thermal_mj"].null_count() == 3


def test_packaged_measures_link_to_real_catalogue_keys_and_framework_requirements() -> None:
    measures = default_park_measures()   # parse_park_measures checks modules and measures
    assert {m.split.basis for m in measures.measures} == {
        "metered", "volume", "production", "equal", "headcount"}
    frameworks = [parse_framework(load_yaml(name)) for name in list_reference_files()
                  if name.startswith("park_frameworks/")]
    base = next(f for f in frameworks if f.meta.kind == "framework")
    full = with_overlays(base, [f for f in frameworks if f.meta.kind == "overlay"])
    ids = {r.id for p in full.pillars for r in p.requirements}
    for measure in measures.measures:
        assert set(measure.covers.requirements) <= ids, measure.key


#: The park indicators `journey park assess` documents (docs/park-data-format.md).
DOCUMENTED_INDICATORS = {
    "members", "members_assessed", "members_assessed_share", "shared_facilities", "employees",
    "production_volume_pcs", "production_volume_kg", "energy_total_mj", "energy_renewable_mj",
    "renewable_share", "scope1_kgco2e", "scope2_location_kgco2e", "ghg_kgco2e",
    "water_withdrawal_m3", "water_recycled_reused_m3", "water_recycled_reused_share",
    "wastewater_m3", "waste_total_kg", "waste_hazardous_kg", "waste_diverted_kg",
    "waste_diversion_share", "energy_mj_per_employee", "water_m3_per_employee",
    "ghg_kgco2e_per_employee", "waste_kg_per_employee", "members_zdhc_tested_share",
    "members_zdhc_green_share", "central_plant_zdhc_pass", "has_central_effluent_plant",
    *(f"members_high_share_{a}" for a in ("energy", "water", "wastewater", "chemicals", "ems",
                                          "waste", "air")),
}


def test_packaged_frameworks_test_only_documented_park_indicators() -> None:
    for name in list_reference_files():
        if name.startswith("park_frameworks/"):
            framework = parse_framework(load_yaml(name))
            used = {r.test.indicator for p in framework.pillars for r in p.requirements
                    if r.test.kind == "indicator"}
            assert used <= DOCUMENTED_INDICATORS, (name, used - DOCUMENTED_INDICATORS)
