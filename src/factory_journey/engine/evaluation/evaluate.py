"""Programme evaluation: one call from a Data Matrix to every table of an evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from factory_journey.engine.evaluation.cycles import (
    NOT_COMPARABLE,
    REASONS,
    compare_years,
    cycle_pairs,
    disputed_areas,
    facility_cycle_years,
    improvement_cycles,
)
from factory_journey.engine.evaluation.did import ESTIMATED, difference_in_differences
from factory_journey.engine.evaluation.groups import (
    Cohort,
    active_programmes,
    apply_cohort,
    facility_attributes,
    participation_groups,
)
from factory_journey.engine.evaluation.rules import EvaluationRules, load_evaluation_rules
from factory_journey.engine.evaluation.summary import (
    change_by_group,
    improvement_shares,
    insight_sentences,
    not_comparable_reasons,
    regional_insights,
)

#: Areas whose regional insights are put in words (the seed names energy and water).
INSIGHT_AREAS: tuple[str, ...] = ("energy", "water")

# Above this share of not-comparable facilities an area gets a data-quality caveat.
_CAVEAT_NOT_COMPARABLE_SHARE = 0.2


class EvaluationInputError(ValueError):
    """The request cannot be evaluated (years, cycle length); the message says why."""


@dataclass(frozen=True, slots=True)
class Caveat:
    """A limit of the evaluation, in words, with the facilities it concerns."""

    code: str
    message: str
    count: int = 0
    examples: tuple[str, ...] = ()


@dataclass(slots=True)
class EvaluationResult:
    """Every table of an evaluation, with what it was made from.

    Changes are in each area's change unit (% of baseline, percentage points, count); shares
    are 0–1. `caveats` explain facilities without comparable data, changed factory types and
    groups too small for an estimate.
    """

    baseline_year: int
    followup_year: int
    cycle_years: int
    rules: EvaluationRules
    cohort: Cohort
    facilities: pl.DataFrame
    changes: pl.DataFrame
    cycles: pl.DataFrame
    shares_overall: pl.DataFrame
    shares_by_group: pl.DataFrame
    shares_by_country: pl.DataFrame
    change_by_group: pl.DataFrame
    did: pl.DataFrame
    regional_insights: pl.DataFrame
    not_comparable: pl.DataFrame
    group_sizes: pl.DataFrame
    country_distribution: pl.DataFrame
    shares_by_cycle: pl.DataFrame
    insights: list[str] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)

    def tables(self) -> dict[str, pl.DataFrame]:
        """The result tables by file stem, in the order a reader meets them."""
        return {
            "shares_overall": self.shares_overall,
            "group_sizes": self.group_sizes,
            "country_distribution": self.country_distribution,
            "shares_by_group": self.shares_by_group,
            "shares_by_country": self.shares_by_country,
            "change_by_group": self.change_by_group,
            "did": self.did,
            "regional_insights": self.regional_insights,
            "shares_by_cycle": self.shares_by_cycle,
            "not_comparable": self.not_comparable,
            "facilities": self.facilities,
            "facility_changes": self.changes,
            "cycles": self.cycles,
        }


def check_request(
    baseline_year: int, followup_year: int, cycle_years: int | None, rules: EvaluationRules
) -> int:
    """The cycle length [years] of a valid request; `EvaluationInputError` says what is wrong."""
    length = cycle_years or rules.default_cycle_years
    if followup_year <= baseline_year:
        raise EvaluationInputError(
            f"the follow-up year ({followup_year}) must come after the baseline "
            f"year ({baseline_year})"
        )
    if length not in rules.allowed_cycle_years:
        allowed = ", ".join(str(y) for y in rules.allowed_cycle_years)
        raise EvaluationInputError(f"a cycle is {allowed} years long, not {length}")
    return length


def evaluate_programmes(
    matrix: pl.DataFrame,
    baseline_year: int,
    followup_year: int,
    *,
    programmes: pl.DataFrame | None = None,
    provenance: pl.DataFrame | None = None,
    cohort: Cohort | None = None,
    cycle_years: int | None = None,
    rules: EvaluationRules | None = None,
) -> EvaluationResult:
    """Evaluate improvement between `baseline_year` and `followup_year` [years].

    `matrix` is the Data Matrix (contracts §3); `programmes` the programmes table (else the
    matrix's `programmes_active` is used); `provenance` the matrix provenance, used to leave
    out disputed data. Raises `EvaluationInputError` for impossible requests.
    """
    rules = rules or load_evaluation_rules()
    cohort = cohort or Cohort()
    length = check_request(baseline_year, followup_year, cycle_years, rules)
    matrix = matrix.with_columns(
        pl.col("facility_id").cast(pl.String), pl.col("year").cast(pl.Int64)
    )
    area_order = list(rules.areas)

    attributes = facility_attributes(matrix, baseline_year, followup_year)
    active = active_programmes(
        baseline_year, followup_year, programmes=programmes, matrix=matrix
    )
    groups = participation_groups(attributes.get_column("facility_id"), active, rules)
    facilities = apply_cohort(
        attributes.join(groups, on="facility_id", how="left", maintain_order="left"),
        cohort,
        rules.control_group,
    )
    facilities = facilities.join(
        facility_cycle_years(matrix, facilities.get_column("facility_id"), length,
                             rules.allowed_cycle_years),
        on="facility_id", how="left", maintain_order="left",
    )
    members = facilities.filter(pl.col("in_cohort"))
    ids = members.get_column("facility_id")
    disputed = disputed_areas(provenance, rules)

    judged = compare_years(
        matrix, baseline_year, followup_year, rules, facility_ids=ids, disputed=disputed
    ).join(
        members.select("facility_id", "group", "country_iso2"),
        on="facility_id",
        how="left",
        maintain_order="left",
    )
    cycles = improvement_cycles(
        matrix, baseline_year, followup_year, rules, cycle_years=length,
        facility_ids=ids, disputed=disputed,
    )
    minimum = rules.min_group_size
    shares_overall = improvement_shares(judged, [], min_n=minimum, area_order=area_order)
    by_country = improvement_shares(
        judged, ["country_iso2"], min_n=minimum, area_order=area_order
    )
    insights_table = regional_insights(
        by_country, min_n=minimum, areas=[a for a in INSIGHT_AREAS if a in rules.areas]
    )
    labels = {a: rules.areas[a].label for a in INSIGHT_AREAS if a in rules.areas}
    group_sizes = _group_sizes(members, rules)
    did = difference_in_differences(judged, rules, areas=area_order)
    return EvaluationResult(
        baseline_year=baseline_year,
        followup_year=followup_year,
        cycle_years=length,
        rules=rules,
        cohort=cohort,
        facilities=facilities,
        changes=judged,
        cycles=cycles,
        shares_overall=_labelled(shares_overall, rules),
        shares_by_group=_labelled(
            improvement_shares(judged, ["group"], min_n=minimum, area_order=area_order,
                               group_order=list(rules.group_keys)),
            rules,
        ),
        shares_by_country=_labelled(by_country, rules),
        change_by_group=change_by_group(judged, area_order=area_order,
                                        group_order=list(rules.group_keys)),
        did=did,
        regional_insights=insights_table,
        not_comparable=not_comparable_reasons(judged, by=["group"]),
        group_sizes=group_sizes,
        country_distribution=_country_distribution(members, rules),
        shares_by_cycle=_labelled(
            improvement_shares(cycles, ["cycle_years", "cycle", "start_year", "end_year"],
                               min_n=minimum, area_order=area_order),
            rules,
        ),
        insights=insight_sentences(insights_table, labels),
        caveats=_caveats(matrix, facilities, judged, did, group_sizes, rules, disputed,
                         provenance) + _cycle_caveats(baseline_year, followup_year, length),
    )


def _cycle_caveats(baseline_year: int, followup_year: int, length: int) -> list[Caveat]:
    pairs = cycle_pairs(baseline_year, followup_year, length)
    if not pairs:
        return [Caveat("no_cycle", f"No improvement cycle of {length} years fits between "
                       f"{baseline_year} and {followup_year}; the cycles table is empty.")]
    covered = pairs[-1][1]
    if covered != followup_year:
        return [Caveat("cycle_short", f"Cycles of {length} years cover {baseline_year}–"
                       f"{covered}; the years after {covered} are in no cycle.")]
    return []


def _labelled(frame: pl.DataFrame, rules: EvaluationRules) -> pl.DataFrame:
    labels = pl.DataFrame(
        {"area": list(rules.areas), "area_label": [r.label for r in rules.areas.values()]}
    )
    return frame.join(labels, on="area", how="left", maintain_order="left")


def _group_sizes(members: pl.DataFrame, rules: EvaluationRules) -> pl.DataFrame:
    """Facilities per participation group, all groups listed (0 when empty)."""
    keys = list(rules.group_keys)
    counts = members.group_by("group").agg(pl.len().cast(pl.Int64).alias("n_facilities"))
    return (
        pl.DataFrame(
            {
                "group": keys,
                "label": [rules.group_label(k) for k in keys],
                "_order": list(range(len(keys))),
            }
        )
        .join(counts, on="group", how="left")
        .with_columns(
            pl.col("n_facilities").fill_null(0),
            (pl.col("group") == rules.control_group).alias("is_control"),
        )
        .sort("_order")
        .drop("_order")
    )


def _country_distribution(members: pl.DataFrame, rules: EvaluationRules) -> pl.DataFrame:
    """Facilities per country, in total and per participation group (a column each)."""
    return (
        members.group_by("country_iso2")
        .agg(
            pl.len().cast(pl.Int64).alias("n_facilities"),
            *((pl.col("group") == key).sum().cast(pl.Int64).alias(key)
              for key in rules.group_keys),
        )
        .sort(["n_facilities", "country_iso2"], descending=[True, False], nulls_last=True)
    )


def _ids_of(frame: pl.DataFrame, condition: pl.Expr) -> list[str]:
    return frame.filter(condition).get_column("facility_id").unique().sort().to_list()


def _caveats(
    matrix: pl.DataFrame,
    facilities: pl.DataFrame,
    judged: pl.DataFrame,
    did: pl.DataFrame,
    group_sizes: pl.DataFrame,
    rules: EvaluationRules,
    disputed: pl.DataFrame | None,
    provenance: pl.DataFrame | None,
) -> list[Caveat]:
    caveats: list[Caveat] = []
    members = facilities.filter(pl.col("in_cohort"))

    def add(code: str, message: str, ids: list[str]) -> None:
        caveats.append(Caveat(code, message, len(ids), tuple(ids[:10])))

    one_year = _ids_of(members, ~(pl.col("in_baseline") & pl.col("in_followup")))
    if one_year:
        add("not_in_both_years", f"{len(one_year)} facilities lack data for the baseline or "
            "the follow-up year; they are counted in their group but are not comparable in "
            "any area.", one_year)
    changed = _ids_of(judged, pl.col("reason") == "factory_type_changed")
    if changed:
        add("factory_type_changed", f"{len(changed)} facilities changed factory type between "
            "the years; their indicators are not compared where the methodology requires the "
            "same type (intensities are not like for like).", changed)
    excluded = _ids_of(facilities, ~pl.col("in_cohort"))
    if excluded:
        add("outside_cohort", f"{len(excluded)} facilities of the dataset fall outside the "
            "cohort definition and are left out of every figure.", excluded)
    no_group = _ids_of(members, pl.col("group").is_null())
    if no_group:
        add("no_group", f"{len(no_group)} facilities match no participation group rule.",
            no_group)
    unestimated = did.filter(pl.col("estimate") != ESTIMATED)
    for (group,), rows in unestimated.group_by(["group"], maintain_order=True):
        label = rules.group_label(str(group))
        listed = ", ".join(
            f"{r['area']} (n={r['n_group']}, control n={r['n_control']})"
            for r in rows.iter_rows(named=True)
        )
        caveats.append(Caveat(
            f"no_estimate:{group}",
            f"{label}: no effect estimated for {listed} — at least "
            f"{rules.min_group_size} comparable facilities are needed in the group and in the "
            "control group.",
            max(int(v) for v in rows.get_column("n_group").to_list()),
        ))
    control_size = group_sizes.filter(pl.col("is_control")).get_column("n_facilities").sum()
    if control_size == 0:
        caveats.append(Caveat("no_control", "The cohort has no control group facilities, so "
                              "no difference-in-differences can be estimated."))
    for area, rule in rules.areas.items():
        rows = judged.filter(pl.col("area") == area)
        if rows.is_empty():
            continue
        bad = rows.filter(pl.col("status") == NOT_COMPARABLE)
        share = bad.height / rows.height
        if share > _CAVEAT_NOT_COMPARABLE_SHARE:
            top = bad.group_by("reason").agg(pl.len()).sort(["len", "reason"],
                                                             descending=[True, False])
            reasons = ", ".join(f"{REASONS[r].split(',')[0]} ({n})" for r, n in top.rows())
            caveats.append(Caveat(f"data_quality:{area}",
                                  f"{rule.label}: {share:.0%} of facilities not comparable "
                                  f"(n={bad.height} of {rows.height}) — {reasons}.",
                                  bad.height))
    missing = [r.indicator for r in rules.areas.values()
               if not r.derived_count_of_areas and r.indicator not in matrix.columns]
    if missing:
        caveats.append(Caveat("missing_columns", "The Data Matrix has no column "
                              + ", ".join(missing) + "; those areas are not comparable."))
    if rules.exclude_disputed and disputed is None and provenance is None and not any(
        c.endswith("_disputed_share") for c in matrix.columns
    ):
        caveats.append(Caveat("disputed_unchecked", "No provenance was given, so disputed "
                              "data could not be left out."))
    return caveats
