"""Measure finance and payback arithmetic, the Scope 1+2 trajectory, determinism and the
validation of an operator's methodology."""

from __future__ import annotations

import copy

import polars as pl
import pytest

from factory_journey.engine.assessment import (
    MethodologyError,
    assess,
    parse_methodology,
    validate_prices,
)
from factory_journey.engine.assessment.prices import PriceTableError
from factory_journey.reference.loader import load_yaml

from .matrix_rows import make_matrix, mill


def _measure(result, key: str) -> dict:
    rows = result.measures.filter(pl.col("measure") == key).to_dicts()
    assert len(rows) == 1, result.measures["measure"].to_list()
    return rows[0]


# GOOD_MILL: thermal 30,000,000 MJ, electric 10,000,000 MJ, scope 1 1,700,000 kgCO2e, water
# 100,000 m3, grid 0.5 kgCO2e/kWh, Bangladesh prices 0.10 USD/kWh, 5 USD/GJ, 0.3 USD/m3.
THERMAL_FACTOR = 1_700_000 / 30_000_000  # kgCO2e per MJ of fuel


def test_efficiency_measure_figures_by_hand():
    result = assess(make_matrix([mill(energy_intensity_mj_per_unit=80.0)]))
    steam = _measure(result, "steam_traps")  # 2-5 % of thermal, USD 1-4 per GJ/yr
    assert steam["energy_saved_mj"] == pytest.approx(0.035 * 30_000_000)
    assert steam["co2e_saved_kgco2e"] == pytest.approx(1_050_000 * THERMAL_FACTOR)
    assert steam["money_saved_usd"] == pytest.approx(1050 * 5.0)
    assert steam["money_saved_usd_low"] == pytest.approx(600 * 5.0)
    assert steam["money_saved_usd_high"] == pytest.approx(1500 * 5.0)
    assert steam["investment_usd"] == pytest.approx(2.5 * 1050)
    assert steam["investment_usd_low"] == pytest.approx(1.0 * 1050)
    assert steam["simple_payback_years"] == pytest.approx(0.5)
    metering = _measure(result, "metering")  # 1-3 % thermal and electric, USD 5,000-30,000
    kwh = 0.02 * 10_000_000 / 3.6
    assert metering["electricity_saved_kwh"] == pytest.approx(kwh)
    assert metering["co2e_saved_kgco2e"] == pytest.approx(600_000 * THERMAL_FACTOR + kwh * 0.5)
    assert metering["money_saved_usd"] == pytest.approx(600 * 5.0 + kwh * 0.10)
    assert metering["simple_payback_years"] == pytest.approx(17_500 / (3000 + kwh * 0.10))
    assert metering["price_source"].startswith("regional_prices.csv")


def test_rooftop_solar_substitutes_grid_electricity():
    result = assess(make_matrix([mill(renewable_share=0.1)]))
    solar = _measure(result, "rooftop_solar")
    kwh = 0.125 * 10_000_000 / 3.6
    assert solar["measure_rank"] == 1  # addresses the failed renewable share
    assert solar["energy_saved_mj"] == 0
    assert solar["electricity_saved_kwh"] == pytest.approx(kwh)
    assert solar["co2e_saved_kgco2e"] == pytest.approx(kwh * 0.5)
    assert solar["investment_usd"] == pytest.approx(0.7 * kwh)
    assert solar["simple_payback_years"] == pytest.approx(0.7 / 0.10)


def test_fuel_switch_cuts_scope1_but_saves_no_money():
    # Coal and no renewable energy: energy is high (1 + 1 of 4 weighted) and recommended.
    result = assess(make_matrix([mill(coal_share_thermal=0.5, renewable_share=0.0)]))
    switch = _measure(result, "coal_to_biomass")
    assert switch["co2e_saved_kgco2e"] == pytest.approx(0.8 * 0.5 * 1_700_000)
    assert switch["money_saved_usd"] == 0
    assert switch["simple_payback_years"] is None
    assert switch["investment_usd"] == pytest.approx(4.0 * 30_000 * 0.5)


def test_electric_boiler_adds_electricity_and_can_cost_money():
    result = assess(
        make_matrix(
            [mill(coal_share_thermal=0.5, renewable_share=0.0, grid_factor_kgco2e_per_kwh=0.2)]
        )
    )
    boiler = _measure(result, "electric_boiler")
    added_kwh = 0.2 * 30_000_000 * 0.8 / 3.6
    assert boiler["energy_saved_mj"] == pytest.approx(0.2 * 30_000_000 * (1 - 0.8))
    assert boiler["electricity_saved_kwh"] == pytest.approx(-added_kwh)
    assert boiler["co2e_saved_kgco2e"] == pytest.approx(
        6_000_000 * THERMAL_FACTOR - added_kwh * 0.2
    )
    assert boiler["money_saved_usd"] == pytest.approx(6000 * 5.0 - added_kwh * 0.10)
    assert boiler["simple_payback_years"] is None  # money is lost, not saved


def test_user_prices_override_country_defaults():
    prices = validate_prices(
        pl.DataFrame(
            {
                "country_iso2": ["bd"],
                "electricity_usd_per_kwh": [0.2],
                "thermal_fuel_usd_per_gj": [5.0],
                "water_usd_per_m3": [0.3],
            }
        )
    )
    result = assess(make_matrix([mill(energy_intensity_mj_per_unit=80.0)]), prices=prices)
    metering = _measure(result, "metering")
    assert metering["money_saved_usd"] == pytest.approx(3000 + 0.02 * 10_000_000 / 3.6 * 0.2)
    assert metering["price_source"] == "user prices"


def test_bad_user_prices_are_refused_with_the_reason():
    with pytest.raises(PriceTableError, match="missing columns"):
        validate_prices(pl.DataFrame({"country_iso2": ["BD"]}))
    with pytest.raises(PriceTableError, match="water_usd_per_m3 must be a number >= 0"):
        validate_prices(
            pl.DataFrame(
                {
                    "country_iso2": ["BD"],
                    "electricity_usd_per_kwh": [0.1],
                    "thermal_fuel_usd_per_gj": [5.0],
                    "water_usd_per_m3": [-1.0],
                }
            )
        )


def test_trajectory_linear_reduction_from_the_first_year():
    rows = [
        mill(year=y, ghg_kgco2e=g)
        for y, g in ((2020, None), (2021, 1000.0), (2022, 1000.0), (2023, 900.0))
    ]
    result = assess(make_matrix(rows))
    t = {r["year"]: r for r in result.trajectory.to_dicts()}
    assert t[2020]["baseline_year"] == 2021 and t[2020]["target_kgco2e"] is None
    assert t[2021]["target_kgco2e"] == pytest.approx(1000.0)
    assert t[2022]["target_kgco2e"] == pytest.approx(958.0)
    assert t[2022]["gap_to_target_kgco2e"] == pytest.approx(42.0)
    assert t[2022]["on_track"] is False
    assert t[2023]["target_kgco2e"] == pytest.approx(916.0)
    assert t[2023]["on_track"] is True
    assert t[2023]["target_year_kgco2e"] == pytest.approx(1000.0 * (1 - 0.042 * 9))


def test_trajectory_rate_and_baseline_year_are_configurable():
    document = copy.deepcopy(load_yaml("methodology/fj-2026.1.yaml"))
    document["trajectory"].update(annual_reduction=0.1, baseline_year=2022)
    methodology = parse_methodology(document)
    rows = [mill(year=2022, ghg_kgco2e=500.0), mill(year=2024, ghg_kgco2e=450.0)]
    t = assess(make_matrix(rows), methodology).trajectory.to_dicts()
    assert t[1]["target_kgco2e"] == pytest.approx(400.0)
    assert t[1]["gap_to_target_kgco2e"] == pytest.approx(50.0)


def test_same_input_in_any_row_order_gives_identical_frames():
    rows = [
        mill(
            facility_id=f"F{i}",
            energy_intensity_mj_per_unit=10.0 * i,
            country_iso2="BD" if i % 2 else "VN",
        )
        for i in range(1, 25)
    ]
    first = assess(make_matrix(rows))
    second = assess(make_matrix(list(reversed(rows))))
    for name in ("opportunities", "pathways", "measures", "trajectory", "indicators"):
        assert getattr(first, name).equals(getattr(second, name)), name
    assert first.versions == second.versions


def test_operator_methodology_errors_are_located():
    document = copy.deepcopy(load_yaml("methodology/fj-2026.1.yaml"))
    document["priority"]["weights"]["gap"] = 0.9
    with pytest.raises(MethodologyError, match="must add up to 1"):
        parse_methodology(document)
    document = copy.deepcopy(load_yaml("methodology/fj-2026.1.yaml"))
    document["absolute_thresholds"] = [
        r for r in document["absolute_thresholds"] if r["indicator"] != "renewable_share"
    ]
    with pytest.raises(MethodologyError, match="'renewable_share' needs an absolute threshold"):
        parse_methodology(document)
    document = copy.deepcopy(load_yaml("methodology/fj-2026.1.yaml"))
    document["areas"][0]["indicators"][0]["threshold"] = {"kind": "peer"}
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(document)
    assert caught.value.messages[0].startswith("areas.0.indicators.0.threshold")
    assert "percentile" in caught.value.messages[0]
