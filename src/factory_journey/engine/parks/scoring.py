"""Judge a park framework's requirements and score its pillars (rules in framework_schema).

`judge` gives one row per park-year × requirement with the value, the thresholds and the words
that decided it; `pillar_scores` counts those rows. Both are column expressions over all
park-years at once (3,000 park-years × 70 requirements are 210,000 rows).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from factory_journey.engine.parks.framework_schema import Framework

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

_OPS = (">=", ">", "<=", "<", "==")
#: The answers of a yes/partly/no question (`unknown` is one, and decides nothing).
_WORDS = ("yes", "partly", "no", "unknown")
#: A requirement that needs evidence and names none is judged one step lower.
_ONE_LOWER = {"met": "partly_met", "partly_met": "not_met"}
#: How `decided_by` says so; the park report reads it to say the same in its language.
LOWERED_WORDS = "judged one step lower"
_REQUIREMENT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "framework_id": pl.String, "framework_version": pl.String, "source_framework": pl.String,
    "pillar": pl.String, "requirement_id": pl.String, "title": pl.String,
    "prerequisite": pl.Boolean, "test_kind": pl.String, "subject": pl.String,
    "comparison": pl.String, "met_threshold": pl.Float64, "partly_threshold": pl.Float64,
    "unit": pl.String, "evidence_required": pl.Boolean, "evidence_needed": pl.String,
}


def _compare(value: pl.Expr, threshold: pl.Expr) -> pl.Expr:
    """`value <comparison> threshold`, the comparison read from the row's own column."""
    tests = {">=": value >= threshold, ">": value > threshold, "<=": value <= threshold,
             "<": value < threshold, "==": value == threshold}
    expr: pl.Expr = pl.lit(None, pl.Boolean)
    for op in reversed(_OPS):
        expr = pl.when(pl.col("comparison") == op).then(tests[op]).otherwise(expr)
    return expr


def _text(number: pl.Expr) -> pl.Expr:
    """A number in words: six significant figures."""
    return number.round_sig_figs(6).cast(pl.String)


def _requirements(framework: Framework, origin: Mapping[str, str]) -> pl.DataFrame:
    """One row per requirement of `framework`, in file order, with its test."""
    rows = [{
        "framework_id": framework.meta.id, "framework_version": framework.meta.version,
        "source_framework": origin.get(r.id, framework.meta.id), "pillar": pillar.key,
        "requirement_id": r.id, "title": r.title, "prerequisite": r.prerequisite,
        "test_kind": r.test.kind, "subject": r.test.indicator or r.test.question,
        "comparison": r.test.comparison, "met_threshold": r.test.met,
        "partly_threshold": r.test.partly, "unit": r.unit,
        "evidence_required": r.evidence_required, "evidence_needed": r.evidence,
    } for pillar in framework.pillars for r in pillar.requirements]
    return pl.DataFrame(rows, schema=_REQUIREMENT_SCHEMA)


def judge(
    frameworks: Mapping[tuple[str, int], tuple[Framework, dict[str, str]]],
    indicators: pl.DataFrame,
    questionnaire: pl.DataFrame | None,
) -> pl.DataFrame:
    """requirement_results of every park-year (one vectorised pass per framework combination).

    frameworks: (park_id, year) → the framework that applies to the park (base with its
    overlays, `with_overlays`) and requirement id → the id of the file it came from.
    indicators: park_indicators (park_id, year, indicator, value). questionnaire: park_id,
    year, question_id, answer, answer_value, evidence (answers as read)."""
    groups: dict[int, tuple[Framework, dict[str, str], list[tuple[str, int]]]] = {}
    for key, (framework, origin) in frameworks.items():
        groups.setdefault(id(framework), (framework, origin, []))[2].append(key)
    if not groups:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    parts = []
    for framework, origin, keys in groups.values():
        who = pl.DataFrame(keys, schema={"park_id": pl.String, "year": pl.Int64}, orient="row")
        parts.append(who.join(_requirements(framework, origin).with_row_index("_order"),
                              how="cross"))
    rows = pl.concat(parts, how="vertical_relaxed")
    values = indicators.select("park_id", "year", pl.col("indicator").alias("subject"),
                               pl.col("value").fill_nan(None).alias("_indicator_value"))
    rows = rows.join(values, on=["park_id", "year", "subject"], how="left")
    if questionnaire is not None and questionnaire.height:
        answers = questionnaire.select(
            "park_id", "year", pl.col("question_id").alias("subject"), "answer",
            pl.col("answer_value").alias("_answer_value"), "evidence")
        rows = rows.join(answers, on=["park_id", "year", "subject"], how="left")
    else:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("answer"),
                                 pl.lit(None, pl.Float64).alias("_answer_value"),
                                 pl.lit(None, pl.String).alias("evidence"))
    is_indicator = pl.col("test_kind") == "indicator"
    # An answer of the wrong kind (a number to a yes/partly/no question, or yes to a number
    # question) decides nothing: the requirement is not assessed and the reason says why.
    word = pl.col("answer").str.strip_chars().str.to_lowercase().is_in(list(_WORDS))
    wrong_kind = (~is_indicator & pl.col("answer").is_not_null()
                  & pl.when(pl.col("comparison").is_null()).then(~word).otherwise(word))
    rows = rows.with_columns(wrong_kind.fill_null(False).alias("_wrong_kind"))
    rows = rows.with_columns(
        pl.when(is_indicator).then(pl.col("_indicator_value"))
        .when(pl.col("_wrong_kind")).then(None).otherwise(pl.col("_answer_value"))
        .alias("value"),
        pl.when(is_indicator).then(None).otherwise(pl.col("answer")).alias("answer"),
        pl.when(is_indicator).then(None).otherwise(pl.col("evidence")).alias("evidence"),
    )
    value = pl.col("value")
    numeric = (pl.when(_compare(value, pl.col("met_threshold"))).then(pl.lit("met"))
               .when(pl.col("partly_threshold").is_not_null()
                     & _compare(value, pl.col("partly_threshold"))).then(pl.lit("partly_met"))
               .otherwise(pl.lit("not_met")))
    answered = (pl.when(value == 1.0).then(pl.lit("met"))
                .when(value == 0.5).then(pl.lit("partly_met")).otherwise(pl.lit("not_met")))
    judged = (pl.when(value.is_null()).then(pl.lit("not_assessed"))
              .when(pl.col("comparison").is_not_null()).then(numeric).otherwise(answered))
    no_evidence = (~is_indicator & pl.col("evidence_required")
                   & pl.col("evidence").fill_null("").str.strip_chars().eq(""))
    lowered = no_evidence & pl.col("_judged").is_in(list(_ONE_LOWER))
    rows = rows.with_columns(judged.alias("_judged")).with_columns(
        pl.when(lowered).then(pl.col("_judged").replace(_ONE_LOWER)).otherwise(pl.col("_judged"))
        .alias("result"))
    thresholds = pl.concat_str(
        pl.lit("; needs "), pl.col("comparison"), pl.lit(" "), _text(pl.col("met_threshold")),
        pl.when(pl.col("partly_threshold").is_not_null()).then(pl.concat_str(
            pl.lit(" (partly "), pl.col("comparison"), pl.lit(" "),
            _text(pl.col("partly_threshold")), pl.lit(")"))).otherwise(pl.lit("")))
    shown = pl.when(pl.col("comparison").is_null() & ~is_indicator).then(pl.col("answer")) \
        .otherwise(_text(value))
    why = pl.concat_str(
        pl.when(is_indicator).then(pl.lit("")).otherwise(pl.lit("questionnaire ")),
        pl.col("subject"), pl.lit(" = "), shown,
        pl.when(pl.col("comparison").is_not_null()).then(thresholds).otherwise(pl.lit("")),
        pl.when(is_indicator).then(pl.lit(" (park_indicators)")).otherwise(pl.lit("")),
        pl.when(pl.col("evidence").is_not_null())
        .then(pl.concat_str(pl.lit("; evidence: "), pl.col("evidence"))).otherwise(pl.lit("")),
        pl.when(lowered).then(pl.concat_str(
            pl.lit("; no evidence named (needs: "), pl.col("evidence_needed"),
            pl.lit(f"), {LOWERED_WORDS}"))).otherwise(pl.lit("")),
    )
    missing = (pl.when(is_indicator)
               .then(pl.concat_str(pl.lit("no value: "), pl.col("subject"),
                                   pl.lit(" has no data (park_indicators)")))
               .when(pl.col("_wrong_kind") & pl.col("comparison").is_null())
               .then(pl.concat_str(pl.lit("questionnaire "), pl.col("subject"),
                                   pl.lit(": answered '"), pl.col("answer"),
                                   pl.lit("', not yes, partly or no")))
               .when(pl.col("_wrong_kind"))
               .then(pl.concat_str(pl.lit("questionnaire "), pl.col("subject"),
                                   pl.lit(": answered '"), pl.col("answer"),
                                   pl.lit("', not a number")))
               .when(pl.col("answer").is_null())
               .then(pl.concat_str(pl.lit("questionnaire "), pl.col("subject"),
                                   pl.lit(": not answered")))
               .otherwise(pl.concat_str(pl.lit("questionnaire "), pl.col("subject"),
                                        pl.lit(": answered '"), pl.col("answer"), pl.lit("'"))))
    rows = rows.with_columns(
        pl.when(value.is_null()).then(missing).otherwise(why).alias("decided_by"))
    return (rows.sort("park_id", "year", "_order").select(list(RESULT_SCHEMA))
            .cast(RESULT_SCHEMA))  # type: ignore[arg-type]


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
