"""Scope 1 and 2 of a small facility, computed by hand."""

import polars as pl
import pytest

from factory_journey.engine.matrix import build_matrix
from tests.engine import helpers as h


def _small_facility(**profile: object) -> dict[str, pl.DataFrame]:
    rows = [
        ("purchased_electricity", 100_000.0, "kWh", None),
        ("purchased_renewables", 10_000.0, "kWh", "PPA"),
        ("diesel", 1_000.0, "L", None),
        ("natural_gas", 1_000.0, "Nm3", None),
    ]
    return {
        "profiles": h.profiles(
            {"facility_id": "F1", "year": 2023,
             "production_volume_finalProductAssembly": 1_000.0, **profile}
        ),
        "energy": h.energy(
            [
                {"facility_id": "F1", "year": 2023, "source": s, "quantity": q, "unit": u,
                 "instrument": i}
                for s, q, u, i in rows
            ]
        ),
        "air": pl.DataFrame(
            {
                "facility_id": ["F1", "F1"],
                "year": [2023, 2023],
                "source_name": ["Chiller 1", "Boiler 1"],
                "source_type": ["fugitive", "point"],
                "tracked": [True, False],
                "refrigerant": ["R-410A", None],
                "refrigerant_recharge_kg": [2.0, None],
            }
        ),
    }


def test_scope_1_and_2_by_hand():
    row = build_matrix(_small_facility(), grid=h.GRID).matrix.row(0, named=True)
    # Diesel: 1,000 L × 0.844 kg/L × 43.0 MJ/kg = 36,292 MJ = 0.036292 TJ;
    #   per TJ 74,100 CO2 + 3 CH4 × 28 + 0.6 N2O × 265 = 74,343 kgCO2e → 2,698.056156 kg.
    diesel = 0.036292 * (74_100 + 3 * 28 + 0.6 * 265)
    # Natural gas: 1,000 Nm³ × 0.75 kg/Nm³ × 48.0 MJ/kg = 36,000 MJ = 0.036 TJ;
    #   per TJ 56,100 + 1 × 28 + 0.1 × 265 = 56,154.5 → 2,021.562 kg.
    gas = 0.036 * (56_100 + 1 * 28 + 0.1 * 265)
    # Refrigerant: 2 kg of R-410A × GWP100 (AR5) 1,923.5 = 3,847 kgCO2e, inside Scope 1.
    refrigerant = 2 * 1_923.5
    assert diesel == pytest.approx(2_698.056156)
    assert gas == pytest.approx(2_021.562)
    assert row["refrigerant_kgco2e"] == pytest.approx(3_847.0)
    assert row["air_sources_count"] == 2
    assert row["air_sources_tracked_share"] == 0.5
    assert row["scope1_kgco2e"] == pytest.approx(diesel + gas + refrigerant)  # 8,566.618156
    assert row["scope1_kgco2e"] == pytest.approx(8_566.618156)
    assert row["biogenic_co2_kg"] == 0.0
    # Scope 2 location: (100,000 + 10,000) kWh × 500 g/kWh ÷ 1000 = 55,000 kgCO2e.
    assert row["grid_factor_kgco2e_per_kwh"] == 0.5
    assert row["scope2_location_kgco2e"] == pytest.approx(55_000.0)
    # Market: the PPA electricity counts at 0 (no factor given): 100,000 × 0.5 = 50,000.
    assert row["scope2_market_kgco2e"] == pytest.approx(50_000.0)
    # Total = Scope 1 + Scope 2 location; intensity per piece (cut & sew: pc basis).
    assert row["ghg_kgco2e"] == pytest.approx(8_566.618156 + 55_000.0)
    assert row["ghg_intensity_kgco2e_per_unit"] == pytest.approx((8_566.618156 + 55_000) / 1000)
    assert row["grid_factor_vintage"].endswith("(data year 2023)")


def test_grid_factor_is_latest_year_not_after_the_reporting_year():
    tables = _small_facility()
    tables["profiles"] = tables["profiles"].with_columns(pl.lit(2021).alias("year"))
    tables["energy"] = tables["energy"].with_columns(pl.lit(2021).alias("year"))
    tables["air"] = tables["air"].with_columns(pl.lit(2021).alias("year"))
    row = build_matrix(tables, grid=h.GRID).matrix.row(0, named=True)
    assert row["grid_factor_kgco2e_per_kwh"] == 0.6  # the 2020 factor, 600 g/kWh
    assert row["scope2_location_kgco2e"] == pytest.approx(110_000 * 0.6)


def test_market_factor_and_ar6():
    tables = _small_facility()
    tables["energy"] = tables["energy"].with_columns(
        pl.when(pl.col("source") == "purchased_renewables").then(0.02)
        .otherwise(None).alias("market_factor_kgco2e_per_kwh")
    )
    ar5 = build_matrix(tables, grid=h.GRID).matrix.row(0, named=True)
    assert ar5["scope2_market_kgco2e"] == pytest.approx(50_000 + 10_000 * 0.02)
    ar6 = build_matrix(tables, grid=h.GRID, gwp_vintage="AR6").matrix.row(0, named=True)
    # AR6: CH4 27.9, N2O 273, R-410A 2,255.5.
    diesel = 0.036292 * (74_100 + 3 * 27.9 + 0.6 * 273)
    gas = 0.036 * (56_100 + 1 * 27.9 + 0.1 * 273)
    assert ar6["scope1_kgco2e"] == pytest.approx(diesel + gas + 2 * 2_255.5)


def test_biogenic_co2_is_outside_scope_1():
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023}),
        "energy": h.energy([{"facility_id": "F1", "year": 2023, "source": "biomass_certified",
                             "quantity": 10.0, "unit": "t"}]),
    }
    row = build_matrix(tables, grid=h.GRID).matrix.row(0, named=True)
    # 10 t × 11.6 MJ/kg = 116,000 MJ = 0.116 TJ; CO2 100,000 kg/TJ → 11,600 kg biogenic;
    # Scope 1 keeps CH4 30 × 28 + N2O 4 × 265 = 1,900 kg/TJ → 220.4 kgCO2e.
    assert row["energy_total_mj"] == pytest.approx(116_000)
    assert row["biogenic_co2_kg"] == pytest.approx(11_600)
    assert row["scope1_kgco2e"] == pytest.approx(0.116 * 1_900)
    assert row["renewable_share"] == 1.0
    assert row["fossil_share_thermal"] == 0.0
    assert row["scope2_location_kgco2e"] == 0.0  # no grid electricity: 0, not null


def test_grid_factors_set_beside_the_keys_equal_the_whole_frame_joined():
    from polars.testing import assert_frame_equal

    from factory_journey.engine import ghg
    from factory_journey.engine import matrix as matrix_module
    from factory_journey.engine.refdata import default_reference

    reference = default_reference()
    keys = pl.DataFrame({
        "facility_id": ["F1", "F1", "F2", "F3", "F4", "F5"],
        "year": [2021, 2023, 2023, 2019, 2023, 2022],
        # a country without factors, none at all, and one before its first year
        "country_iso3": ["BGD", "BGD", "XXX", "CHN", None, "VNM"],
        "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    factors = ghg.grid_factors_for(keys.lazy(), reference.grid, reference.grid_vintage)
    whole = keys.join(factors.collect(), on=("country_iso3", "year"), how="left",
                      maintain_order="left")
    got = matrix_module._with_grid_factors(keys, reference)
    assert_frame_equal(got, whole)
    assert got["grid_factor_kgco2e_per_kwh"].null_count() == 2
