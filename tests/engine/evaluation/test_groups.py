"""Participation groups from programme records, and cohort definitions."""

import polars as pl

from factory_journey.engine.evaluation import load_evaluation_rules, participation_groups
from factory_journey.engine.evaluation.groups import Cohort, active_programmes, apply_cohort

from .panels import programmes

RULES = load_evaluation_rules()


def test_groups_follow_programmes_active_in_the_window():
    table = programmes([
        ("BOTH", "CLP", "2022-03-01", None),
        ("BOTH", "stz", "2022-05", None),
        ("STZ", "stz", "2021-01-15", "2022-12-31"),
        ("CLP", "clp", "2022", None),
        ("ENDED", "clp", "2018-01-01", "2020-06-30"),  # over before the baseline → control
        ("LATE", "stz", "2024-02-01", None),  # after the follow-up → control
        ("CBD", "cbd", "2022-01-01", None),
    ])
    ids = pl.Series(["BOTH", "STZ", "CLP", "ENDED", "LATE", "CBD", "NONE"])
    active = active_programmes(2021, 2023, programmes=table)
    groups = dict(participation_groups(ids, active, RULES).select("facility_id", "group").rows())
    assert groups == {
        "BOTH": "clp_stz", "STZ": "stz_only", "CLP": "clp_only", "ENDED": "control",
        "LATE": "control", "CBD": "other_programme", "NONE": "control",
    }


def test_groups_fall_back_to_the_matrix_programmes_active_column():
    matrix = pl.DataFrame({
        "facility_id": ["A", "A", "B"], "year": [2021, 2022, 2022],
        "programmes_active": [None, "clp;stz", "stz"],
    })
    active = active_programmes(2021, 2023, matrix=matrix)
    groups = participation_groups(pl.Series(["A", "B"]), active, RULES)
    assert groups.select("facility_id", "programmes", "group").rows() == [
        ("A", "clp;stz", "clp_stz"), ("B", "stz", "stz_only")]


def test_cohort_filters_keep_the_control_group_and_explain_exclusions():
    facilities = pl.DataFrame({
        "facility_id": ["A", "B", "C", "D"],
        "programmes": ["clp", "stz", "", "clp"],
        "group": ["clp_only", "stz_only", "control", "clp_only"],
        "country_iso2": ["BD", "BD", "CN", "VN"],
        "country_iso3": ["BGD", "BGD", "CHN", "VNM"],
        "factory_type": ["mill", "mill", "mill", "cut_sew"],
    })
    cohort = Cohort(programmes=("clp",), countries=("BD", "CHN", "VN"), factory_types=("mill",))
    out = apply_cohort(facilities, cohort, "control")
    assert out.select("facility_id", "in_cohort", "excluded_because").rows() == [
        ("A", True, None),
        ("B", False, "not in programmes clp nor in the control group"),
        ("C", True, None),
        ("D", False, "factory type not in mill"),
    ]
    assert cohort.describe() == "programmes: clp; countries: BD, CHN, VN; factory types: mill"
