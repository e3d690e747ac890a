"""Difference-in-differences on panels with exactly known effects."""

import numpy as np
import polars as pl
import pytest
from scipy import stats

from factory_journey.engine.evaluation import difference_in_differences, load_evaluation_rules
from factory_journey.engine.evaluation.did import bootstrap_group_means

RULES = load_evaluation_rules()


def _changes(groups: dict[str, list[float | None]], area: str = "energy") -> pl.DataFrame:
    rows = [
        (f"{group}-{i}", group, area, change)
        for group, values in groups.items()
        for i, change in enumerate(values)
    ]
    return pl.DataFrame(rows, schema={"facility_id": pl.String, "group": pl.String,
                                      "area": pl.String, "change": pl.Float64}, orient="row")


TREATED = [-20.0, -10.0, -10.0, -10.0, 0.0]  # mean −10 %
CONTROL = [0.0, 0.0, 5.0, -5.0, 0.0]  # mean 0 %


def test_did_is_the_difference_of_mean_changes_exactly():
    did = difference_in_differences(
        _changes({"clp_only": TREATED, "control": CONTROL}), RULES, areas=["energy"]
    ).row(0, named=True)
    assert did["group"] == "clp_only"
    assert did["n_group"] == 5 and did["n_control"] == 5
    assert did["mean_change_group"] == pytest.approx(-10.0)
    assert did["mean_change_control"] == pytest.approx(0.0)
    assert did["did"] == pytest.approx(-10.0)
    assert did["estimate"] == "estimated"
    assert did["ci_low"] < -10.0 < did["ci_high"]
    welch = stats.ttest_ind(TREATED, CONTROL, equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert did["welch_ci_low"] == pytest.approx(interval.low)
    assert did["welch_ci_high"] == pytest.approx(interval.high)
    assert did["p_value"] == pytest.approx(welch.pvalue)


def test_not_comparable_facilities_do_not_enter_the_means():
    did = difference_in_differences(
        _changes({"clp_only": [*TREATED, None, None], "control": [*CONTROL, None]}),
        RULES, areas=["energy"],
    ).row(0, named=True)
    assert (did["n_group"], did["n_control"]) == (5, 5)
    assert did["did"] == pytest.approx(-10.0)


def test_bootstrap_interval_agrees_with_scipy_bootstrap():
    rng = np.random.default_rng(3)
    treated = rng.normal(-8.0, 6.0, 60)
    control = rng.normal(-2.0, 6.0, 50)
    did = difference_in_differences(
        _changes({"clp_stz": list(treated), "control": list(control)}), RULES, areas=["energy"]
    ).row(0, named=True)
    reference = stats.bootstrap(
        (treated, control), lambda x, y, axis: x.mean(axis=axis) - y.mean(axis=axis),
        n_resamples=5000, method="percentile", rng=np.random.default_rng(1),
    ).confidence_interval
    assert did["ci_low"] == pytest.approx(reference.low, abs=0.6)
    assert did["ci_high"] == pytest.approx(reference.high, abs=0.6)


def test_group_too_small_is_explained():
    did = difference_in_differences(
        _changes({"stz_only": [-5.0, -6.0, -7.0], "control": CONTROL}), RULES, areas=["energy"]
    ).row(0, named=True)
    assert did["estimate"] == "group_too_small"
    assert did["did"] is None and did["ci_low"] is None
    assert did["note"] == (
        "too few facilities for an estimate: 3 comparable in stz_only, at least 5 needed"
    )


def test_control_too_small_is_explained():
    did = difference_in_differences(
        _changes({"clp_only": TREATED, "control": [1.0, 2.0]}), RULES, areas=["energy"]
    ).row(0, named=True)
    assert did["estimate"] == "control_too_small"
    assert "2 comparable" in did["note"]


def test_deterministic_for_a_seed_and_different_for_another():
    changes = _changes({"clp_only": TREATED, "control": CONTROL})
    first = difference_in_differences(changes, RULES, areas=["energy"])
    again = difference_in_differences(changes.sample(fraction=1.0, shuffle=True, seed=5),
                                      RULES, areas=["energy"])
    assert first.equals(again)
    other = RULES.model_copy(
        update={"bootstrap": RULES.bootstrap.model_copy(update={"seed": 99})}
    )
    moved = difference_in_differences(changes, other, areas=["energy"])
    assert moved["did"][0] == first["did"][0]
    assert (moved["ci_low"][0], moved["ci_high"][0]) != (first["ci_low"][0], first["ci_high"][0])


def test_bootstrap_group_means_shape_and_empty_group():
    rng = np.random.default_rng(0)
    values = np.array([[1.0, np.nan], [3.0, 2.0]])
    reps = bootstrap_group_means(values, 200, rng)
    assert reps.shape == (200, 2)
    assert np.nanmin(reps[:, 0]) >= 1.0 and np.nanmax(reps[:, 0]) <= 3.0
    assert np.all(reps[~np.isnan(reps[:, 1]), 1] == 2.0)
    assert np.isnan(bootstrap_group_means(np.empty((0, 2)), 10, rng)).all()
