"""Published emission factors, GWPs and grid factors, checked with tolerances."""

import pytest

from factory_journey.reference.emission_factors import (
    DEFAULT_GWP_VINTAGE,
    energy_sources,
    fuel_factors,
    fuel_factors_frame,
    grid_factors,
    gwp_table,
)
from factory_journey.reference.loader import load_csv

# IPCC 2006 Vol. 2 Ch. 1: CO2 [kg/TJ] and NCV [TJ/Gg] (project domain-facts §5).
IPCC_CO2_NCV = {
    "natural_gas": (56_100, 48.0),
    "diesel": (74_100, 43.0),
    "residual_fuel_oil": (77_400, 40.4),
    "lpg": (63_100, 47.3),
    "motor_gasoline": (69_300, 44.3),
    "kerosene": (71_900, 43.8),
    "bituminous_coal": (94_600, 25.8),
    "sub_bituminous_coal": (96_100, 18.9),
    "lignite": (101_000, 11.9),
    "anthracite": (98_300, 26.7),
    "petroleum_coke": (97_500, 32.5),
    "wood": (112_000, 15.6),
    "other_solid_biomass": (100_000, 11.6),
}


@pytest.mark.parametrize(("fuel", "expected"), IPCC_CO2_NCV.items())
def test_ipcc_co2_factor_and_ncv(fuel, expected):
    factors = fuel_factors()[fuel]
    assert factors.co2_kg_per_tj == pytest.approx(expected[0], rel=1e-9)
    assert factors.ncv_tj_per_gg == pytest.approx(expected[1], rel=1e-9)


def test_diesel_stationary_ch4_n2o_and_densities():
    fuels = fuel_factors()
    assert fuels["diesel"].ch4_kg_per_tj == pytest.approx(3)
    assert fuels["diesel"].n2o_kg_per_tj == pytest.approx(0.6)
    densities = {"diesel": 844, "residual_fuel_oil": 944, "motor_gasoline": 741, "kerosene": 810}
    for fuel, density in densities.items():
        assert fuels[fuel].density_kg_per_m3 == pytest.approx(density)


def test_diesel_per_litre_is_about_2_68_kg_co2():
    diesel = fuel_factors()["diesel"]
    assert diesel.ncv_tj_per_gg is not None and diesel.density_kg_per_m3 is not None
    mj_per_litre = diesel.ncv_tj_per_gg * diesel.density_kg_per_m3 / 1000
    assert mj_per_litre == pytest.approx(36.3, abs=0.05)
    assert mj_per_litre * diesel.co2_kg_per_tj / 1e6 == pytest.approx(2.69, abs=0.01)


def test_natural_gas_per_normal_cubic_metre_is_plausible():
    gas = fuel_factors()["natural_gas"]
    assert gas.ncv_tj_per_gg is not None and gas.density_kg_per_m3 is not None
    assert 33 <= gas.ncv_tj_per_gg * gas.density_kg_per_m3 <= 39  # MJ/Nm³


def test_biogenic_fuels_leave_co2_out_of_scope_1():
    gwp = gwp_table()
    wood = fuel_factors()["wood"]
    assert wood.biogenic
    assert wood.co2e_kg_per_tj(gwp) == pytest.approx(30 * 28 + 4 * 265)
    gas = fuel_factors()["natural_gas"]
    assert gas.co2e_kg_per_tj(gwp) == pytest.approx(56_100 + 28 + 0.1 * 265)


def test_fuel_frame_is_typed():
    frame = fuel_factors_frame()
    assert frame.schema["co2_kg_per_tj"].is_float()
    assert frame.height == len(fuel_factors())


def test_every_energy_source_is_consistent():
    fuels = fuel_factors()
    for source in energy_sources().values():
        assert source.category in {"electricity", "thermal"}
        assert source.scope in {"1", "2", "none"}
        if source.factor_basis == "fuel":
            assert source.fuel in fuels, source.key
        if source.scope == "none":
            assert source.onsite and source.renewable and source.factor_basis == "zero"
        if source.scope == "1":
            assert source.fuel is not None and not source.onsite
        assert source.delivery_efficiency > 0


def test_fem_energy_sources_are_all_there():
    keys = set(energy_sources())
    fem = {
        "purchased_electricity",
        "purchased_steam",
        "purchased_chilled_water",
        "biodiesel",
        "biogas",
        "hydro",
        "purchased_renewables",
        "solar_pv",
        "solar_thermal",
        "wind",
        "cng",
        "coal",
        "coal_water_slurry",
        "diesel",
        "fabric_waste",
        "fuel_oil",
        "lng",
        "lpg",
        "natural_gas",
        "petrol",
        "propane",
        "biomass_certified",
        "biomass_uncertified",
    }
    assert fem <= keys


def test_purchased_renewables_are_scope_2_electricity():
    source = energy_sources()["purchased_renewables"]
    assert (source.category, source.renewable, source.scope) == ("electricity", True, "2")


@pytest.mark.parametrize(
    ("vintage", "gas", "expected"),
    [
        ("AR5", "ch4", 28),
        ("AR5", "n2o", 265),
        ("AR6", "ch4", 27.9),
        ("AR6", "n2o", 273),
        ("AR5", "co2", 1),
        ("AR5", "r32", 677),
        ("AR5", "r125", 3170),
        ("AR5", "r134a", 1300),
        ("AR5", "r22", 1760),
        ("AR5", "r410a", 1924),
        ("AR5", "r404a", 3943),
        ("AR5", "r407c", 1624),
        ("AR5", "r507a", 3985),
        ("AR6", "r410a", 2256),
    ],
)
def test_gwp100(vintage, gas, expected):
    assert gwp_table(vintage)[gas] == pytest.approx(expected, abs=0.6)


def test_gwp_default_is_ar5_and_vintage_is_checked():
    assert DEFAULT_GWP_VINTAGE == "AR5"
    assert gwp_table() == gwp_table("ar5")
    with pytest.raises(ValueError, match="AR4"):
        gwp_table("AR4")


def test_blends_are_the_mass_weighted_sum_of_their_components():
    frame = load_csv("gwp.csv")
    for vintage in ("AR5", "AR6"):
        gwp = gwp_table(vintage)
        for row in frame.filter(frame["blend_components"].is_not_null()).iter_rows(named=True):
            parts = dict(p.split(":") for p in row["blend_components"].split(";"))
            assert sum(float(f) for f in parts.values()) == pytest.approx(1.0)
            expected = sum(gwp[c] * float(f) for c, f in parts.items())
            assert gwp[row["key"]] == pytest.approx(expected, abs=0.01), row["key"]


def test_grid_factor_bangladesh_2023():
    grid = grid_factors()
    bgd = grid.get("bgd")
    assert bgd is not None
    assert bgd.year == 2023
    assert bgd.kgco2e_per_kwh == pytest.approx(0.691411, rel=1e-9)
    assert "Our World in Data" in grid.vintage and "2024" in grid.vintage
    assert grid.get("XXX") is None


def test_grid_frame_has_every_country():
    frame = grid_factors().frame()
    assert frame.height == 213
    assert frame.columns == ["iso3", "grid_year", "grid_factor_kgco2e_per_kwh"]


def test_grid_file_is_the_shared_file_verbatim():
    from pathlib import Path

    from factory_journey.reference.loader import data_path

    shared = Path("/work/shared/data/grid_carbon_intensity.csv")
    if not shared.is_file():
        pytest.skip("shared data folder not present")
    assert data_path("grid_carbon_intensity.csv").read_bytes() == shared.read_bytes()
