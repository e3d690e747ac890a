"""Shares, completeness, nulls and determinism of the Data Matrix."""

import polars as pl
import pytest

from factory_journey.engine.catalogue import indicators, matrix_columns
from factory_journey.engine.matrix import build_matrix
from tests.engine import helpers as h


def _water(rows: list[tuple[str, int | None, str, float]]) -> pl.DataFrame:
    return h.quantity_table(
        [
            {"facility_id": f, "year": 2023, "month": m, "source": "municipal", "flow": flow,
             "quantity": q, "unit": "m3"}
            for f, m, flow, q in rows
        ]
    )


def _tables() -> dict[str, pl.DataFrame]:
    monthly = [("F1", m, "withdrawal", 100.0) for m in range(1, 13)]
    return {
        "profiles": h.profiles(
            {"facility_id": "F2", "year": 2023, "journey_factory_type": "vertical",
             "facility_types": ["finalProductAssembly", "materialProduction"],
             "production_volume_finalProductAssembly": 50_000.0,
             "production_volume_materialProduction": 20_000.0,
             "country_iso2": "IN", "country_iso3": "IND"},
            {"facility_id": "F1", "year": 2023, "production_volume_finalProductAssembly": 600.0,
             "water_stress_score": 2.5},
            {"facility_id": "F3", "year": 2023, "production_volume_finalProductAssembly": 0.0},
        ),
        "water": _water(
            [*monthly, ("F1", 3, "recycled", 300.0), ("F1", 4, "reused", 100.0),
             ("F2", None, "withdrawal", 8_000.0), ("F3", 1, "withdrawal", 10.0)]
        ),
        "wastewater": h.quantity_table(
            [
                {"facility_id": "F1", "year": 2023, "wastewater_type": "industrial",
                 "quantity": 900.0, "unit": "m3", "recycled_share": 0.2},
                {"facility_id": "F1", "year": 2023, "wastewater_type": "domestic",
                 "quantity": 100.0, "unit": "m3", "recycled_share": None},
            ]
        ),
        "chemicals": pl.DataFrame(
            {
                "facility_id": ["F1", "F1"],
                "year": [2023, 2023],
                "month": [1, 2],
                "products_in_inventory": [100, 300],
                "products_on_gateway": [50, 150],
                "mrsl_level_1": [10, 30],
                "mrsl_level_2": [20, None],
                "mrsl_level_3": [5, 15],
                "incheck_verified": [True, False],
                "supplier_to_zero_level": [1, 2],
                "verification_status": ["verified", "self-reported"],
            }
        ),
        "ems": pl.DataFrame(
            {
                "facility_id": ["F1", "F1"],
                "year": [2023, 2023],
                "area": ["ems", "energy"],
                "has_policy": [True, None],
                "has_management_system": [False, None],
                "has_baseline": [None, True],
                "has_target": [None, False],
                "tracks_progress": [None, True],
            }
        ),
        "programmes": pl.DataFrame(
            {
                "facility_id": ["F1", "F1", "F1"],
                "programme": ["stz", "clp", "cbd"],
                "start_date": ["2022-01-01", "2023-06-01", "2019-01-01"],
                "end_date": [None, None, "2020-12-31"],
            }
        ),
    }


@pytest.fixture(scope="module")
def result():
    return build_matrix(_tables(), grid=h.GRID)


def _row(result, facility: str) -> dict:
    return result.matrix.filter(pl.col("facility_id") == facility).row(0, named=True)


def test_columns_are_the_catalogue(result):
    assert result.matrix.columns == matrix_columns()
    assert len(set(matrix_columns())) == len(matrix_columns())
    assert {i.direction for i in indicators()} <= {"lower_is_better", "higher_is_better",
                                                     "none"}
    assert all(i.description and i.unit and i.inputs for i in indicators())


def test_rows_sorted_and_identical_on_rerun(result):
    assert result.matrix["facility_id"].to_list() == ["F1", "F2", "F3"]
    again = build_matrix(_tables(), grid=h.GRID)
    assert again.matrix.equals(result.matrix)
    assert again.provenance.equals(result.provenance)
    # Input row order does not matter either.
    shuffled = {k: v.reverse() for k, v in _tables().items()}
    assert build_matrix(shuffled, grid=h.GRID).matrix.equals(result.matrix)


def test_water(result):
    row = _row(result, "F1")
    assert row["water_withdrawal_m3"] == 1_200.0
    assert row["water_recycled_reused_share"] == pytest.approx(400 / 1_600)
    # 1,200 m³ × 1,000 L/m³ ÷ 600 pcs = 2,000 L/pc; cut & sew → per unit = per pc.
    assert row["water_intensity_l_per_pc"] == pytest.approx(2_000.0)
    assert row["water_intensity_l_per_kg"] is None
    assert row["water_intensity_l_per_unit"] == pytest.approx(2_000.0)
    assert row["water_stress_score"] == 2.5  # the site's score
    assert row["water_risk_category"] == "medium_high"
    assert row["water_months_reported"] == 12 and row["water_complete"] is True


def test_vertical_uses_kg_and_country_water_risk(result):
    row = _row(result, "F2")
    assert row["intensity_basis"] == "kg"
    assert row["production_volume_pcs"] == 50_000.0
    assert row["production_volume_kg"] == 20_000.0
    assert row["water_intensity_l_per_unit"] == pytest.approx(8_000_000 / 20_000)
    assert row["water_stress_score"] == 4.11  # India, country default
    assert row["water_risk_category"] == "extremely_high"
    # An annual value makes the year complete with 0 monthly values.
    assert row["water_months_reported"] == 0 and row["water_complete"] is True


def test_zero_production_gives_null_intensity(result):
    row = _row(result, "F3")
    assert row["water_withdrawal_m3"] == 10.0
    assert row["water_intensity_l_per_unit"] is None
    assert row["water_months_reported"] == 1 and row["water_complete"] is False


def test_area_without_data_is_null_not_zero(result):
    row = _row(result, "F2")
    for column in ("energy_total_mj", "scope1_kgco2e", "ghg_kgco2e", "wastewater_m3",
                   "waste_total_kg", "chem_gateway_share", "refrigerant_kgco2e",
                   "ems_has_policy", "energy_verified_share"):
        assert row[column] is None, column
    assert row["energy_months_reported"] == 0
    assert row["energy_complete"] is False


def test_wastewater(result):
    row = _row(result, "F1")
    assert row["wastewater_m3"] == 1_000.0
    assert row["wastewater_industrial_m3"] == 900.0
    # Only the row stating a share counts: 900 × 0.2 ÷ 900.
    assert row["wastewater_recycling_rate"] == pytest.approx(0.2)


def test_chemicals(result):
    row = _row(result, "F1")
    assert row["chem_months_reported"] == 2
    assert row["chem_products"] == 300  # latest month
    assert row["chem_gateway_share"] == pytest.approx(200 / 400)
    assert row["chem_mrsl_level_1_share"] == pytest.approx(40 / 400)
    assert row["chem_mrsl_level_2_share"] == pytest.approx(20 / 100)  # month 2 did not say
    assert row["chem_mrsl_level_3_share"] == pytest.approx(20 / 400)
    assert row["chem_incheck_verified_months"] == 1
    assert row["supplier_to_zero_level"] == 2
    assert row["chemicals_verified_share"] == 0.5
    assert row["chemicals_complete"] is False


def test_ems_and_programmes(result):
    row = _row(result, "F1")
    assert row["ems_has_policy"] is True
    assert row["ems_has_management_system"] is False
    assert row["energy_has_baseline"] is True
    assert row["energy_has_target"] is False
    assert row["energy_tracks_progress"] is True
    assert row["water_has_baseline"] is None
    assert row["programmes_active"] == "clp;stz"
    assert row["facility_types"] == "finalProductAssembly"
    assert _row(result, "F2")["facility_types"] == "finalProductAssembly;materialProduction"


def test_provenance_one_row_per_input_row(result):
    tables = _tables()
    expected = sum(t.height for n, t in tables.items() if n != "programmes")
    assert result.provenance.height == expected
    energy_rows = result.provenance.filter(pl.col("table") == "water")
    assert energy_rows["_file"].unique().to_list() == ["input.csv"]
    assert set(energy_rows["unit_reported"].unique()) == {"m3"}
    assert result.versions["gwp_vintage"] == "AR5"
    assert "indicators.yaml" in result.versions
    off = build_matrix(tables, grid=h.GRID, with_provenance=False)
    assert off.provenance.height == 0 and off.provenance_included is False
    assert off.matrix.equals(result.matrix)


def test_single_facility_without_profiles():
    tables = {"water": _water([("F9", 1, "withdrawal", 5.0)])}
    matrix = build_matrix(tables, grid=h.GRID).matrix
    assert matrix.height == 1
    assert matrix.item(0, "water_withdrawal_m3") == 5.0
    assert matrix.item(0, "water_intensity_l_per_unit") is None


def test_lazy_inputs_give_the_same_matrix(result):
    lazy = {name: frame.lazy() for name, frame in _tables().items()}
    assert build_matrix(lazy, grid=h.GRID).matrix.equals(result.matrix)


def test_duplicated_profile_rows_give_one_matrix_row(result):
    tables = _tables()
    tables["profiles"] = pl.concat([tables["profiles"], tables["profiles"].head(1)])
    matrix = build_matrix(tables, grid=h.GRID).matrix
    assert matrix.height == 3
    assert matrix.equals(result.matrix)
