"""Energy and mass conversions checked against hand-computed values (issue 3, item 2)."""

import polars as pl
import pytest

from factory_journey.engine.matrix import build_matrix
from tests.engine import helpers as h


def _energy_mj(source: str, quantity: float, unit: str) -> float:
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023}),
        "energy": h.energy(
            [{"facility_id": "F1", "year": 2023, "source": source, "quantity": quantity,
              "unit": unit}]
        ),
    }
    value = build_matrix(tables, grid=h.GRID).matrix.item(0, "energy_total_mj")
    assert value is not None
    return float(value)


def test_kwh_to_mj():
    # 1 kWh = 3.6 MJ exactly: 1,000 kWh = 3,600 MJ.
    assert _energy_mj("purchased_electricity", 1000, "kWh") == pytest.approx(3600.0, rel=1e-12)


def test_mmbtu_to_mj():
    # 1 MMBtu = 10^6 Btu(IT) × 1,055.056 J = 1,055.056 MJ: 10 MMBtu = 10,550.56 MJ.
    assert _energy_mj("natural_gas", 10, "MMBtu") == pytest.approx(10_550.56, rel=1e-6)


def test_litres_of_diesel_to_mj():
    # 1,000 L = 1 m³ × 844 kg/m³ = 844 kg; × 43.0 MJ/kg (IPCC NCV) = 36,292 MJ.
    assert _energy_mj("diesel", 1000, "L") == pytest.approx(36_292.0, rel=1e-9)


def test_tonnes_of_coal_to_mj():
    # FEM "coal" of unknown rank is bituminous: 2 t = 2,000 kg × 25.8 MJ/kg = 51,600 MJ.
    assert _energy_mj("coal", 2, "t") == pytest.approx(51_600.0, rel=1e-9)


def test_normal_cubic_metres_of_natural_gas_to_mj():
    # ρ = 0.75 kg/Nm³ (ipcc_fuel_factors.csv): 1,000 Nm³ × 0.75 × 48.0 MJ/kg = 36,000 MJ.
    assert _energy_mj("natural_gas", 1000, "Nm3") == pytest.approx(36_000.0, rel=1e-9)


def test_fuel_without_a_calorific_value_gives_null_not_zero():
    # Coal-water slurry has no default NCV: a mass cannot become energy, so the year's energy
    # and GHG figures are not computable (null), rather than silently too small.
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023}),
        "energy": h.energy(
            [
                {"facility_id": "F1", "year": 2023, "source": "coal_water_slurry",
                 "quantity": 5.0, "unit": "t"},
                {"facility_id": "F1", "year": 2023, "source": "purchased_electricity",
                 "quantity": 10.0, "unit": "kWh"},
            ]
        ),
    }
    row = build_matrix(tables, grid=h.GRID).matrix.row(0, named=True)
    assert row["energy_total_mj"] is None
    assert row["energy_thermal_mj"] is None
    assert row["energy_electric_mj"] is None
    assert row["scope1_kgco2e"] is None
    assert row["energy_months_reported"] == 0  # the rows are still counted for quality


def test_short_tons_of_waste_to_kg():
    # 1 short ton = 2,000 lb × 0.45359237 kg = 907.18474 kg: 3 short tons = 2,721.55422 kg.
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023}),
        "waste": h.quantity_table(
            [{"facility_id": "F1", "year": 2023, "stream": "fabric_waste", "hazardous": False,
              "quantity": 3.0, "unit": "short tons", "disposal_method": "recycling"}]
        ),
    }
    row = build_matrix(tables, grid=h.GRID).matrix.row(0, named=True)
    assert row["waste_total_kg"] == pytest.approx(2721.55422, rel=1e-12)
    assert row["waste_nonhazardous_kg"] == pytest.approx(2721.55422, rel=1e-12)
    assert row["waste_hazardous_kg"] == 0.0
    assert row["waste_share_recycling"] == 1.0
    assert row["waste_diversion_share"] == 1.0


def test_energy_split_and_shares():
    # 1,000 kWh grid (3,600 MJ) + 1,000 kWh solar (3,600 MJ) + 2 t coal (51,600 MJ) +
    # 1,000 Nm³ gas (36,000 MJ): total 94,800; electric 7,200; thermal 87,600.
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023}),
        "energy": h.energy(
            [
                {"facility_id": "F1", "year": 2023, "source": s, "quantity": q, "unit": u}
                for s, q, u in (
                    ("purchased_electricity", 1000.0, "kWh"),
                    ("solar_pv", 1000.0, "kWh"),
                    ("coal", 2.0, "t"),
                    ("natural_gas", 1000.0, "Nm3"),
                )
            ]
        ),
    }
    row = build_matrix(tables, grid=h.GRID).matrix.row(0, named=True)
    assert row["energy_total_mj"] == pytest.approx(94_800.0)
    assert row["energy_electric_mj"] == pytest.approx(7_200.0)
    assert row["energy_thermal_mj"] == pytest.approx(87_600.0)
    assert row["renewable_share"] == pytest.approx(3_600.0 / 94_800.0)
    assert row["coal_share_thermal"] == pytest.approx(51_600.0 / 87_600.0)
    assert row["fossil_share_thermal"] == pytest.approx(1.0)


def test_quantity_canonical_is_what_the_engine_reads():
    # The engine uses the canonical columns of contracts §2, not the reported ones.
    frame = h.energy([{"facility_id": "F1", "year": 2023, "source": "purchased_electricity",
                       "quantity": 1.0, "unit": "MWh"}])
    assert frame.item(0, "quantity_canonical") == pytest.approx(3600.0)
    assert frame.item(0, "unit_canonical") == "MJ"
    assert isinstance(frame, pl.DataFrame)


def test_a_quantity_too_large_to_add_exactly_makes_its_totals_null():
    """A value beyond exprs.EXACT_SUM_LIMIT (no quantity comes near) is not computable: its
    area's totals for the facility-year are null, not a crash and not a smaller number."""
    rows = [{"facility_id": f, "year": 2023, "source": "purchased_electricity",
             "quantity": q, "unit": "kWh"} for f, q in (("F1", 1e30), ("F1", 10.0),
                                                         ("F2", 10.0))]
    waste = h.quantity_table(
        [{"facility_id": f, "year": 2023, "stream": "fabric_scraps", "hazardous": False,
          "disposal_method": "recycling", "quantity": q, "unit": "kg"}
         for f, q in (("F1", 5.0), ("F2", 1e25))])
    tables = {
        "profiles": h.profiles({"facility_id": "F1", "year": 2023},
                               {"facility_id": "F2", "year": 2023}),
        "energy": h.energy(rows),
        "waste": waste,
    }
    matrix = build_matrix(tables, grid=h.GRID).matrix
    got = matrix.select("facility_id", "energy_total_mj", "scope2_location_kgco2e",
                        "waste_total_kg").rows()
    assert got == [("F1", None, None, 5.0), ("F2", 36.0, pytest.approx(5.0), None)]
