"""Judge a park framework's requirements and score its pillars (rules in framework_schema).

`judge` gives one row per park-year × requirement with the value, the thresholds and the words
that decided it; `pillar_scores` counts those rows. Both are plain, per-row rules: a few
thousand park-years × a few dozen requirements, so they are written for reading, not speed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from factory_journey.engine.parks.framework_schema import Framework, Requirement

RESULT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "park_id": pl.String, "year": pl.Int64, "framework_id": pl.String,
    "framework_version": pl.String, "source_framework": pl.String, "pillar": pl.String,
    "requirement_id": pl.String, "title": pl.String, "prerequisite": pl.Boolean,
    "test_kind": pl.String, "subject": pl.String, "comparison": pl.String,
    "met_threshold": pl.Float64, "partly_threshold": pl.Float64, "value": pl.Float64,
    "answer": pl.String, "unit": pl.String, "evidence": pl.String, "result": pl.String,
    "decided_by": pl.String,
}

SCORE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "park_id": pl.String, "year": pl.Int64, "framework_id": pl.String,
    "framework_version": pl.String, "pillar": pl.String, "requirements": pl.Int64,
    "met": pl.Int64, "partly_met": pl.Int64, "not_met": pl.Int64, "not_assessed": pl.Int64,
    "partly_met_credit": pl.Float64, "score": pl.Float64, "prerequisites": pl.Int64,
    "prerequisites_met": pl.Int64, "prerequisites_partly_met": pl.Int64,
    "prerequisites_not_met": pl.Int64, "prerequisites_not_assessed": pl.Int64,
}

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b, "==": lambda a, b: a == b,
}
_ONE_LOWER = {"met": "partly_met", "partly_met": "not_met"}


def _number(value: float) -> str:
    return f"{value:.6g}"


def compare(value: float, comparison: str, met: float, partly: float | None) -> str:
    """met / partly_met / not_met of a number against the requirement's thresholds."""
    if _COMPARE[comparison](value, met):
        return "met"
    if partly is not None and _COMPARE[comparison](value, partly):
        return "partly_met"
    return "not_met"


def _judge_one(requirement: Requirement, indicators: Mapping[str, float | None],
               answers: Mapping[str, tuple[str | None, float | None, str | None]]
               ) -> dict[str, Any]:
    test = requirement.test
    row: dict[str, Any] = {
        "test_kind": test.kind, "comparison": test.comparison, "met_threshold": test.met,
        "partly_threshold": test.partly, "unit": requirement.unit, "answer": None,
        "evidence": None, "value": None,
    }
    thresholds = "" if test.met is None else f" {test.comparison} {_number(test.met)}" + (
        "" if test.partly is None else f" (partly {test.comparison} {_number(test.partly)})")
    if test.kind == "indicator":
        assert test.indicator is not None and test.comparison and test.met is not None
        row["subject"] = test.indicator
        value = indicators.get(test.indicator)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return row | {"result": "not_assessed",
                          "decided_by": f"no value: {test.indicator} has no data "
                                        "(park_indicators)"}
        result = compare(value, test.comparison, test.met, test.partly)
        return row | {"value": value, "result": result,
                      "decided_by": f"{test.indicator} = {_number(value)}; needs{thresholds} "
                                    "(park_indicators)"}
    assert test.question is not None
    row["subject"] = test.question
    answer, value, evidence = answers.get(test.question, (None, None, None))
    row |= {"answer": answer, "evidence": evidence, "value": value}
    if answer is None or value is None:
        said = "not answered" if answer is None else f"answered {answer!r}"
        return row | {"result": "not_assessed",
                      "decided_by": f"questionnaire {test.question}: {said}"}
    if test.comparison is not None and test.met is not None:
        result = compare(value, test.comparison, test.met, test.partly)
        why = f"questionnaire {test.question} = {_number(value)}; needs{thresholds}"
    else:
        result = {1.0: "met", 0.5: "partly_met"}.get(value, "not_met")
        why = f"questionnaire {test.question} = {answer}"
    if evidence:
        why += f"; evidence: {evidence}"
    elif requirement.evidence_required and result in _ONE_LOWER:
        result = _ONE_LOWER[result]
        why += f"; no evidence named (needs: {requirement.evidence}), judged one step lower"
    return row | {"result": result, "decided_by": why}


def judge(
    frameworks: Mapping[tuple[str, int], tuple[Framework, dict[str, str]]],
    indicators: pl.DataFrame,
    questionnaire: pl.DataFrame | None,
) -> pl.DataFrame:
    """requirement_results of every park-year.

    frameworks: (park_id, year) → the framework that applies to the park (base with its
    overlays, `with_overlays`) and requirement id → the id of the file it came from.
    indicators: park_indicators (park_id, year, indicator, value). questionnaire: park_id,
    year, question_id, answer, answer_value, evidence (answers as read)."""
    values: dict[tuple[str, int], dict[str, float | None]] = {}
    for park, year, indicator, value in indicators.select(
            "park_id", "year", "indicator", "value").iter_rows():
        values.setdefault((park, year), {})[indicator] = value
    answers: dict[tuple[str, int], dict[str, tuple[str | None, float | None, str | None]]] = {}
    if questionnaire is not None:
        for park, year, question, answer, value, evidence in questionnaire.select(
                "park_id", "year", "question_id", "answer", "answer_value", "evidence"
        ).iter_rows():
            answers.setdefault((park, year), {})[question] = (answer, value, evidence)
    rows = []
    for (park, year), (framework, origin) in sorted(frameworks.items()):
        for pillar in framework.pillars:
            for requirement in pillar.requirements:
                row = _judge_one(requirement, values.get((park, year), {}),
                                 answers.get((park, year), {}))
                rows.append(row | {
                    "park_id": park, "year": year, "framework_id": framework.meta.id,
                    "framework_version": framework.meta.version,
                    "source_framework": origin.get(requirement.id, framework.meta.id),
                    "pillar": pillar.key, "requirement_id": requirement.id,
                    "title": requirement.title, "prerequisite": requirement.prerequisite,
                })
    return pl.DataFrame(rows, schema=RESULT_SCHEMA).select(list(RESULT_SCHEMA))


def pillar_scores(results: pl.DataFrame, credit: Mapping[str, float]) -> pl.DataFrame:
    """pillar_scores from requirement_results; credit: framework_id → partly_met_credit."""
    def count(result: str, prerequisite: bool) -> pl.Expr:
        return ((pl.col("result") == result) & (pl.col("prerequisite") == prerequisite)
                ).sum().cast(pl.Int64)

    counted = results.group_by("park_id", "year", "framework_id", "framework_version",
                               "pillar", maintain_order=True).agg(
        (~pl.col("prerequisite")).sum().cast(pl.Int64).alias("requirements"),
        *[count(r, False).alias(r) for r in ("met", "partly_met", "not_met", "not_assessed")],
        pl.col("prerequisite").sum().cast(pl.Int64).alias("prerequisites"),
        *[count(r, True).alias(f"prerequisites_{r}")
          for r in ("met", "partly_met", "not_met", "not_assessed")],
    )
    credits = pl.col("framework_id").replace_strict(dict(credit), return_dtype=pl.Float64)
    judged = pl.col("met") + pl.col("partly_met") + pl.col("not_met")
    return counted.with_columns(credits.alias("partly_met_credit")).with_columns(
        pl.when(judged > 0).then((pl.col("met") + pl.col("partly_met_credit")
                                  * pl.col("partly_met")) / judged).otherwise(None)
        .alias("score")
    ).select(list(SCORE_SCHEMA)).cast(SCORE_SCHEMA).sort(  # type: ignore[arg-type]
        "park_id", "year", maintain_order=True)
