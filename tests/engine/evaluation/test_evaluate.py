"""The whole evaluation on a hand-made panel whose shares and effect are known exactly
(`panels.pilot_panel` lists them)."""

import polars as pl
import pytest

from factory_journey.engine.evaluation import (
    Cohort,
    EvaluationInputError,
    evaluate_programmes,
)

from .panels import pilot_panel as _pilot


def _energy(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("area") == "energy")


def test_headline_share_and_counts():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    energy = _energy(result.shares_overall).row(0, named=True)
    assert energy["n_facilities"] == 15
    assert energy["n_comparable"] == 13
    assert energy["n_improved"] == 4 + 3
    assert energy["n_not_comparable"] == 2
    assert energy["share_improved"] == pytest.approx(7 / 13)
    assert energy["area_label"] == "Energy efficiency"


def test_shares_by_group_and_country():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    by_group = {r["group"]: r for r in _energy(result.shares_by_group).iter_rows(named=True)}
    assert by_group["clp_only"]["n_facilities"] == 6
    assert by_group["clp_only"]["share_improved"] == pytest.approx(0.8)
    assert by_group["control"]["share_improved"] == 0.0
    assert by_group["control"]["n_held"] == 5
    assert by_group["stz_only"]["share_improved"] == 1.0
    assert by_group["stz_only"]["enough_data"] is False
    by_country = dict(_energy(result.shares_by_country).select(
        "country_iso2", "share_improved").rows())
    assert by_country == {"BD": pytest.approx(0.8), "CN": 0.0, "VN": 1.0}
    sizes = dict(result.group_sizes.select("group", "n_facilities").rows())
    assert sizes == {"clp_stz": 0, "stz_only": 3, "clp_only": 6, "other_programme": 0,
                     "control": 6}


def test_difference_in_differences_against_control():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    did = {r["group"]: r for r in _energy(result.did).iter_rows(named=True)}
    assert did["clp_only"]["did"] == pytest.approx(-10.0)
    assert did["clp_only"]["n_group"] == 5 and did["clp_only"]["n_control"] == 5
    assert did["stz_only"]["estimate"] == "group_too_small"
    assert "clp_stz" not in did  # nobody in it: listed in group sizes only
    change = {r["group"]: r for r in _energy(result.change_by_group).iter_rows(named=True)}
    assert change["clp_only"]["mean_change"] == pytest.approx(-10.0)
    assert change["clp_only"]["median_change"] == pytest.approx(-10.0)


def test_edge_cases_are_explained_in_the_output():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    changes = _energy(result.changes)
    only = changes.filter(pl.col("facility_id") == "ONLY").row(0, named=True)
    assert (only["reason"], only["detail"]) == (
        "not_in_both_years", "data for 2021 only, none for 2023")
    changed = changes.filter(pl.col("facility_id") == "TYPE").row(0, named=True)
    assert changed["reason"] == "factory_type_changed"
    codes = {c.code: c for c in result.caveats}
    assert codes["not_in_both_years"].examples == ("ONLY",)
    assert codes["factory_type_changed"].examples == ("TYPE",)
    assert "stz_only" in codes["no_estimate:stz_only"].code
    assert "energy (n=3, control n=5)" in codes["no_estimate:stz_only"].message
    reasons = result.not_comparable.filter(pl.col("area") == "energy")
    assert set(reasons.select("group", "reason", "n_facilities").rows()) == {
        ("clp_only", "not_in_both_years", 1), ("control", "factory_type_changed", 1)}
    facility = result.facilities.filter(pl.col("facility_id") == "ONLY").row(0, named=True)
    assert facility["group"] == "clp_only" and facility["years_present"] == "2021"


def test_regional_insights_rank_countries_with_enough_facilities():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    energy = result.regional_insights.filter(pl.col("area") == "energy")
    assert energy.select("rank", "country_iso2", "n_comparable").rows() == [
        (1, "BD", 5), (2, "CN", 5), (None, "VN", 3)]
    assert "too few comparable facilities to rank (n=3" in energy["note"][2]
    assert result.insights[0].startswith("Energy efficiency: highest share of facilities "
                                         "improving in BD (80%, n=5), CN (0%, n=5)")


def test_cohort_by_country_leaves_others_out_and_says_so():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table,
                                 cohort=Cohort(countries=("BD", "CN")))
    assert _energy(result.shares_overall)["n_facilities"][0] == 12
    codes = {c.code: c for c in result.caveats}
    assert codes["outside_cohort"].count == 3


def test_deterministic():
    matrix, table = _pilot()
    first = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    second = evaluate_programmes(matrix.sample(fraction=1.0, shuffle=True, seed=1), 2021, 2023,
                                 programmes=table)
    for name, frame in first.tables().items():
        assert frame.equals(second.tables()[name]), name


def test_cycle_too_long_for_the_window_and_bad_requests():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table, cycle_years=3)
    assert result.cycles.is_empty()
    assert any(c.code == "no_cycle" for c in result.caveats)
    with pytest.raises(EvaluationInputError, match="must come after"):
        evaluate_programmes(matrix, 2023, 2021)
    with pytest.raises(EvaluationInputError, match="not 4"):
        evaluate_programmes(matrix, 2021, 2023, cycle_years=4)


def test_group_tables_follow_the_rules_order():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    assert _energy(result.shares_by_group)["group"].to_list() == [
        "stz_only", "clp_only", "control"]
    assert _energy(result.change_by_group)["group"].to_list() == [
        "stz_only", "clp_only", "control"]


def test_an_empty_matrix_gives_empty_tables_not_an_error():
    matrix, table = _pilot()
    result = evaluate_programmes(matrix.clear(), 2021, 2023, programmes=table)
    assert result.shares_overall.is_empty() and result.did.is_empty()
    assert [c.code for c in result.caveats][:1] == ["no_control"]
