"""Difference-in-differences of programme groups against the control group, with intervals.

Per area, a facility's change is its follow-up value against its baseline (see `cycles`). The
effect of a group is

    DiD = mean change in the group − mean change in the control group

with two intervals: a percentile bootstrap that resamples facilities within each group
(stratified, with numpy's seeded Generator; all areas of a facility move together) and
Welch's two-sample t interval from `scipy.stats.ttest_ind`, which also gives the p-value.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import stats

from factory_journey.engine.evaluation.rules import EvaluationRules

FloatArray = npt.NDArray[np.float64]

# Resampling is done in blocks of replicates so that a block's count matrix stays small
# (replicates × facilities ≤ this many cells, 8 bytes each).
_BLOCK_CELLS = 4_000_000

ESTIMATED = "estimated"
GROUP_TOO_SMALL = "group_too_small"
CONTROL_TOO_SMALL = "control_too_small"


def bootstrap_group_means(
    changes: FloatArray, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """Bootstrap replicates of the per-area mean change of one group.

    `changes` is facilities × areas with NaN where a facility is not comparable; each replicate
    draws as many facilities as the group has, with replacement, and averages the comparable
    ones per area. Returns replicates × areas [same unit as `changes`]; NaN where a replicate
    drew no comparable facility.
    """
    n, areas = changes.shape
    out = np.full((replicates, areas), np.nan)
    if n == 0:
        return out
    # Values (0 where not comparable) and validity side by side: one product gives both the
    # sums and the counts of comparable facilities per replicate.
    both = np.hstack([np.where(np.isnan(changes), 0.0, changes),
                      (~np.isnan(changes)).astype(np.float64)])
    block = max(1, min(replicates, _BLOCK_CELLS // n))
    for first in range(0, replicates, block):
        size = min(block, replicates - first)
        draws = rng.integers(0, n, size=(size, n), dtype=np.int32)  # half the memory traffic
        # Counts of each facility per replicate: the multinomial weights of the bootstrap.
        # Row by row, because a bincount over one replicate stays in cache.
        weights = np.empty((size, n))
        for row in range(size):
            weights[row] = np.bincount(draws[row], minlength=n)
        totals = weights @ both
        with np.errstate(invalid="ignore", divide="ignore"):
            out[first : first + size] = totals[:, :areas] / totals[:, areas:]
    return out


def _welch(group: FloatArray, control: FloatArray, confidence: float) -> tuple[float, ...]:
    """Welch's t interval [change unit] and two-sided p-value of mean(group) − mean(control)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.ttest_ind(group, control, equal_var=False)
        interval = result.confidence_interval(confidence_level=confidence)
    return float(interval.low), float(interval.high), float(result.pvalue)


def difference_in_differences(
    changes: pl.DataFrame, rules: EvaluationRules, *, areas: list[str] | None = None
) -> pl.DataFrame:
    """Effect of each programme group against the control group, per area.

    `changes` holds one row per facility × area with `facility_id`, `group`, `area` and
    `change` (null when not comparable). Returns per group (other than the control) and area:
    n_group, n_control (comparable facilities), mean_change_group, mean_change_control, did
    [change unit of the area], ci_low, ci_high (bootstrap percentile), welch_ci_low,
    welch_ci_high, p_value, estimate (estimated, group_too_small, control_too_small) and note.
    Deterministic for a given seed in the rules.
    """
    area_list = areas or list(rules.areas)
    control = rules.control_group
    minimum = rules.min_group_size
    settings = rules.bootstrap
    alpha = 1.0 - settings.confidence
    wide = (
        changes.select("facility_id", "group", "area", pl.col("change").cast(pl.Float64))
        .filter(pl.col("area").is_in(area_list) & pl.col("group").is_not_null())
        .pivot(on="area", index=["facility_id", "group"], values="change")
        .sort("facility_id")
    )
    for area in area_list:
        if area not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(area))

    def matrix_of(group: str) -> FloatArray:
        rows = wide.filter(pl.col("group") == group).select(area_list)
        return rows.to_numpy().astype(np.float64) if rows.height else np.empty((0, len(area_list)))

    data = {g.key: matrix_of(g.key) for g in rules.groups}
    replicates: dict[str, FloatArray] = {}
    for index, group in enumerate(rules.groups):
        # One generator per group, keyed by its place in the rules: a group's replicates do
        # not depend on the size of the other groups or on which groups a cohort keeps.
        rng = np.random.default_rng(np.random.SeedSequence([settings.seed, index]))
        replicates[group.key] = bootstrap_group_means(data[group.key], settings.replicates, rng)

    records = []
    control_data = data[control]
    for group in rules.groups:
        # A group nobody belongs to has no row; the group sizes table shows it with 0.
        if group.key == control or data[group.key].shape[0] == 0:
            continue
        for column, area in enumerate(area_list):
            treated = data[group.key][:, column]
            treated = treated[~np.isnan(treated)]
            untreated = control_data[:, column]
            untreated = untreated[~np.isnan(untreated)]
            record: dict[str, object] = {
                "group": group.key,
                "area": area,
                "n_group": int(treated.size),
                "n_control": int(untreated.size),
                "mean_change_group": float(treated.mean()) if treated.size else None,
                "mean_change_control": float(untreated.mean()) if untreated.size else None,
                "did": None,
                "ci_low": None,
                "ci_high": None,
                "welch_ci_low": None,
                "welch_ci_high": None,
                "p_value": None,
            }
            if treated.size < minimum:
                record["estimate"] = GROUP_TOO_SMALL
                record["note"] = (
                    f"too few facilities for an estimate: {treated.size} comparable in "
                    f"{group.key}, at least {minimum} needed"
                )
            elif untreated.size < minimum:
                record["estimate"] = CONTROL_TOO_SMALL
                record["note"] = (
                    f"too few control facilities for an estimate: {untreated.size} "
                    f"comparable, at least {minimum} needed"
                )
            else:
                effect = replicates[group.key][:, column] - replicates[control][:, column]
                low, high = np.nanquantile(effect, [alpha / 2, 1 - alpha / 2])
                w_low, w_high, p_value = _welch(treated, untreated, settings.confidence)
                record.update(
                    did=float(treated.mean() - untreated.mean()),
                    ci_low=float(low),
                    ci_high=float(high),
                    welch_ci_low=_finite(w_low),
                    welch_ci_high=_finite(w_high),
                    p_value=_finite(p_value),
                    estimate=ESTIMATED,
                    note=None,
                )
            records.append(record)
    schema = {
        "group": pl.String,
        "area": pl.String,
        "n_group": pl.Int64,
        "n_control": pl.Int64,
        "mean_change_group": pl.Float64,
        "mean_change_control": pl.Float64,
        "did": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "welch_ci_low": pl.Float64,
        "welch_ci_high": pl.Float64,
        "p_value": pl.Float64,
        "estimate": pl.String,
        "note": pl.String,
    }
    return pl.DataFrame(records, schema=schema) if records else pl.DataFrame(
        schema=schema
    )


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None
