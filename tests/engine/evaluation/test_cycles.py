"""Improved / held / regressed / not comparable, with exactly known outcomes."""

import polars as pl
import pytest

from factory_journey.engine.evaluation import (
    compare_years,
    cycle_pairs,
    improvement_cycles,
    load_evaluation_rules,
)

from .panels import energy_pair, panel, row

RULES = load_evaluation_rules()


def _energy(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("area") == "energy").sort("facility_id")


def test_noise_band_of_five_percent_relative_with_held_at_the_boundary():
    ends = [80, 90, 94, 95, 96, 100, 104, 105, 106, 120]
    rows = [r for i, end in enumerate(ends) for r in energy_pair(f"F{i:02d}", 100.0, end)]
    judged = _energy(compare_years(panel(rows), 2021, 2023, RULES))
    assert judged["status"].to_list() == [
        "improved", "improved", "improved", "held", "held", "held", "held", "held",
        "regressed", "regressed",
    ]
    assert judged["change"].to_list() == pytest.approx([-20, -10, -6, -5, -4, 0, 4, 5, 6, 20])
    assert judged["change_unit"].unique().to_list() == ["% of baseline"]
    assert judged["reason"].null_count() == len(ends)


def test_higher_is_better_share_uses_percentage_points():
    rows = []
    for i, end in enumerate([0.33, 0.31, 0.27]):
        rows += [row(f"W{i}", 2021, wastewater_recycling_rate=0.30),
                 row(f"W{i}", 2023, wastewater_recycling_rate=end)]
    judged = compare_years(panel(rows), 2021, 2023, RULES).filter(
        pl.col("area") == "wastewater"
    ).sort("facility_id")
    assert judged["status"].to_list() == ["improved", "held", "regressed"]
    assert judged["change"].to_list() == pytest.approx([3.0, 1.0, -3.0])
    assert judged["change_unit"][0] == "percentage points"


def test_facility_present_in_one_year_only_is_reported_not_dropped():
    rows = [*energy_pair("A", 100, 80), row("ONLY21", 2021, energy_intensity_mj_per_unit=50.0)]
    judged = _energy(compare_years(panel(rows), 2021, 2023, RULES))
    only = judged.filter(pl.col("facility_id") == "ONLY21").row(0, named=True)
    assert only["status"] == "not_comparable"
    assert only["reason"] == "not_in_both_years"
    assert only["detail"] == "data for 2021 only, none for 2023"
    assert only["value_start"] == 50.0


def test_changed_factory_type_is_not_compared_and_says_so():
    rows = [row("T", 2021, energy_intensity_mj_per_unit=100.0, journey_factory_type="cut_sew"),
            row("T", 2023, energy_intensity_mj_per_unit=50.0, journey_factory_type="vertical")]
    judged = compare_years(panel(rows), 2021, 2023, RULES)
    energy = _energy(judged).row(0, named=True)
    assert energy["reason"] == "factory_type_changed"
    assert energy["detail"] == "factory type cut_sew in 2021, vertical in 2023"
    assert energy["change"] is None


def test_basis_change_zero_baseline_and_missing_indicator():
    rows = [
        row("B", 2021, energy_intensity_mj_per_unit=10.0, intensity_basis="pc"),
        row("B", 2023, energy_intensity_mj_per_unit=9.0, intensity_basis="kg"),
        *energy_pair("Z", 0.0, 5.0),
        *energy_pair("M", 10.0, None),
    ]
    reasons = dict(_energy(compare_years(panel(rows), 2021, 2023, RULES)).select(
        "facility_id", "reason").rows())
    assert reasons == {"B": "basis_changed", "M": "missing_indicator", "Z": "zero_baseline"}


def test_completeness_minimum_and_annualisation_of_partial_years():
    rows = [
        # 11 months of energy: 110 MJ/unit over 11 months is 120 over a year → +20 % vs 100.
        row("P", 2021, energy_intensity_mj_per_unit=100.0),
        row("P", 2023, energy_intensity_mj_per_unit=110.0, energy_complete=False,
            energy_months_reported=11),
        row("I", 2021, energy_intensity_mj_per_unit=100.0, energy_complete=False,
            energy_months_reported=9),
        row("I", 2023, energy_intensity_mj_per_unit=80.0),
    ]
    judged = _energy(compare_years(panel(rows), 2021, 2023, RULES))
    partial = judged.filter(pl.col("facility_id") == "P").row(0, named=True)
    assert partial["value_end"] == pytest.approx(120.0)
    assert partial["change"] == pytest.approx(20.0)
    assert partial["annualised"] is True
    assert partial["status"] == "regressed"
    incomplete = judged.filter(pl.col("facility_id") == "I").row(0, named=True)
    assert incomplete["reason"] == "incomplete"
    assert incomplete["detail"] == "incomplete year: 2021"


def test_disputed_data_from_provenance_is_left_out():
    from factory_journey.engine.evaluation.cycles import disputed_areas

    rows = [*energy_pair("D", 100, 50), *energy_pair("OK", 100, 50)]
    provenance = pl.DataFrame({
        "facility_id": ["D", "OK"], "year": [2023, 2023], "indicator": ["energy", "energy"],
        "table": ["energy", "energy"], "verification_status": ["disputed", "verified"],
    })
    judged = _energy(compare_years(panel(rows), 2021, 2023, RULES,
                                   disputed=disputed_areas(provenance, RULES)))
    assert judged["reason"].to_list() == ["disputed_data", None]
    assert judged["detail"][0] == "disputed input for 2023"


def test_minimum_verified_share_when_a_programme_requires_verified_data():
    rules = RULES.model_copy(update={"min_verified_share": 1.0})
    rows = [*energy_pair("U", 100, 50),
            *energy_pair("V", 100, 50, energy_verified_share=1.0)]
    judged = _energy(compare_years(panel(rows), 2021, 2023, rules))
    assert judged["reason"].to_list() == ["unverified", None]


def test_ems_counts_areas_with_baseline_and_target():
    rows = [
        row("E", 2021, energy_has_baseline=True, energy_has_target=False),
        row("E", 2023, energy_has_baseline=True, energy_has_target=True,
            water_has_baseline=True, water_has_target=True),
        row("N", 2021),
        row("N", 2023),
    ]
    ems = compare_years(panel(rows), 2021, 2023, RULES).filter(pl.col("area") == "ems")
    ems = ems.sort("facility_id")
    assert ems["value_start"].to_list() == [0.0, None]
    assert ems["value_end"].to_list() == [2.0, None]
    assert ems["status"].to_list() == ["improved", "not_comparable"]
    assert ems["change_unit"][0] == "count"


def test_cycle_pairs():
    assert cycle_pairs(2021, 2023, 1) == [(2021, 2022), (2022, 2023)]
    assert cycle_pairs(2021, 2023, 2) == [(2021, 2023)]
    assert cycle_pairs(2021, 2023, 3) == []
    assert cycle_pairs(2020, 2026, 3) == [(2020, 2023), (2023, 2026)]


def test_one_year_cycles_and_a_facility_with_its_own_cycle_length():
    rows = [
        row("Y1", 2021, energy_intensity_mj_per_unit=100.0),
        row("Y1", 2022, energy_intensity_mj_per_unit=90.0),
        row("Y1", 2023, energy_intensity_mj_per_unit=95.0),
        row("Y2", 2021, energy_intensity_mj_per_unit=100.0, cycle_years=2),
        row("Y2", 2023, energy_intensity_mj_per_unit=80.0, cycle_years=2),
    ]
    cycles = improvement_cycles(panel(rows), 2021, 2023, RULES).filter(
        pl.col("area") == "energy"
    ).sort("facility_id", "cycle")
    assert cycles.select("facility_id", "cycle_years", "cycle", "start_year", "end_year",
                         "status").rows() == [
        ("Y1", 1, 1, 2021, 2022, "improved"),
        ("Y1", 1, 2, 2022, 2023, "regressed"),
        ("Y2", 2, 1, 2021, 2023, "improved"),
    ]


def test_a_facility_cycle_length_outside_the_allowed_ones_falls_back_to_the_default():
    from factory_journey.engine.evaluation.cycles import facility_cycle_years

    matrix = panel([row("A", 2021, cycle_years=5), row("B", 2021, cycle_years=3), row("C", 2021)])
    lengths = facility_cycle_years(matrix, pl.Series(["A", "B", "C"]), 1, (1, 2, 3))
    assert lengths.rows() == [("A", 1), ("B", 3), ("C", 1)]
