"""Use case: evaluate improvement cycles and programmes of a dataset, and write the results.

read → (problems: error report only) → `engine.matrix.build_matrix` →
`engine.evaluation.evaluate_programmes` → tables (CSV), evaluation.json and the report
(evaluation.html and evaluation.pdf, rendered by `reports`), all or nothing. Shared by
`journey evaluate`, `journey run` and the web.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from factory_journey import __version__
from factory_journey.domain.problems import Problem, Severity
from factory_journey.domain.timestamps import now_iso_utc
from factory_journey.engine.evaluation import (
    INSIGHT_AREAS,
    Cohort,
    EvaluationInputError,
    EvaluationResult,
    check_request,
    evaluate_programmes,
    insight_sentences,
    load_evaluation_rules,
)
from factory_journey.engine.matrix import build_matrix
from factory_journey.ingest import read_dataset
from factory_journey.reference import meta
from factory_journey.reference import versions as reference_versions
from factory_journey.reference.countries import resolve_country
from factory_journey.reports.evaluation_context import build_evaluation_context
from factory_journey.reports.render import render_html, render_pdf
from factory_journey.services.matrix import resolve_dataset
from factory_journey.services.output_dir import OutputExistsError, atomic_output_dir, check_target
from factory_journey.services.run_outcome import RunOutcome, input_problems
from factory_journey.services.spreadsheet_safety import write_csv

#: `progress(stage, done, total)`; stages in order: read, validate, build, evaluate, write.
Progress = Callable[[str, int, int], None]
STAGES: tuple[str, ...] = ("read", "validate", "build", "evaluate", "write")

#: Tables also put in evaluation.json; the per-facility ones are in CSV only (they grow with
#: the number of facilities).
JSON_TABLES: tuple[str, ...] = (
    "shares_overall", "group_sizes", "country_distribution", "shares_by_group",
    "shares_by_country", "change_by_group", "did", "regional_insights", "shares_by_cycle",
    "not_comparable",
)



@dataclass(frozen=True, slots=True)
class Headline:
    """One headline figure: the share of facilities improving in an area [0–1] with its n."""

    area: str
    label: str
    improved: str
    share_improved: float | None
    n_improved: int
    n_comparable: int
    n_facilities: int

    def sentence(self) -> str:
        if self.share_improved is None:
            return f"{self.label}: no facility with comparable data (n={self.n_facilities})"
        return (
            f"{self.share_improved:.0%} of facilities {self.improved} "
            f"({self.n_improved} of {self.n_comparable} with comparable data; "
            f"{self.n_facilities} in the cohort)"
        )


@dataclass(slots=True)
class EvaluationRun(RunOutcome):
    """The outcome of `evaluate_dataset`.

    Status: one of ok, input_problems, output_exists, not_found, invalid_request.
    """

    result: EvaluationResult | None = None
    headlines: list[Headline] = field(default_factory=list)
    insights: list[str] = field(default_factory=list)

    def details(self) -> dict[str, Any]:
        return {
            "headlines": [h.sentence() for h in self.headlines],
            "regional_insights": self.insights,
        }


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def cohort_from_options(
    programmes: Sequence[str] = (),
    countries: Sequence[str] = (),
    factory_types: Sequence[str] = (),
) -> Cohort:
    """A cohort from user text: country names or codes become ISO alpha-2 codes.

    Raises `EvaluationInputError` for a country nobody knows.
    """
    codes = []
    for text in countries:
        country = resolve_country(text.strip())
        if country is None:
            raise EvaluationInputError(f"unknown country {text!r}: give an ISO code or name")
        codes.append(country.iso2)
    return Cohort(
        programmes=tuple(p.strip().lower() for p in programmes if p.strip()),
        countries=tuple(codes),
        factory_types=tuple(t.strip().lower() for t in factory_types if t.strip()),
    )


def headlines(result: EvaluationResult) -> list[Headline]:
    """The share improving per area over the whole cohort, as in the seed's Proof of Concept."""
    return [
        Headline(
            area=row["area"],
            label=row["area_label"],
            improved=result.rules.areas[row["area"]].improved
            or f"improved in {row['area_label'].lower()}",
            share_improved=row["share_improved"],
            n_improved=row["n_improved"],
            n_comparable=row["n_comparable"],
            n_facilities=row["n_facilities"],
        )
        for row in result.shares_overall.iter_rows(named=True)
    ]


def country_names(codes: Sequence[str | None]) -> dict[str, str]:
    """ISO alpha-2 code → common English name (the code itself when unknown)."""
    names: dict[str, str] = {}
    for code in codes:
        if code is None:
            continue
        country = resolve_country(code)
        names[code] = country.common_name if country else code
    return names


def disputed_rows(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """facility_id, year, table, verification_status of every disputed input row.

    Read from the ingested tables rather than the matrix provenance, which large datasets
    skip; the evaluation leaves the disputed areas out.
    """
    parts = [
        frame.filter(pl.col("verification_status") == "disputed").select(
            pl.col("facility_id").cast(pl.String),
            pl.col("year").cast(pl.Int64),
            pl.lit(name).alias("table"),
            pl.col("verification_status").cast(pl.String),
        )
        for name, frame in tables.items()
        if {"facility_id", "year", "verification_status"} <= set(frame.columns)
    ]
    if not parts:
        return pl.DataFrame(schema={"facility_id": pl.String, "year": pl.Int64,
                                    "table": pl.String, "verification_status": pl.String})
    return pl.concat(parts, how="vertical")


def named_insights(result: EvaluationResult, names: dict[str, str]) -> list[str]:
    """The regional insights in words, with country names instead of codes."""
    labels = {a: result.rules.areas[a].label for a in INSIGHT_AREAS if a in result.rules.areas}
    return insight_sentences(result.regional_insights, labels, names=names)


def evaluate_dataset(
    dataset_path: str | Path,
    out_dir: str | Path,
    *,
    baseline_year: int,
    followup_year: int,
    cycle_years: int | None = None,
    cohort: Cohort | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> EvaluationRun:
    """Evaluate a dataset between `baseline_year` and `followup_year` and write the results.

    On success `out_dir` holds one CSV per table of `EvaluationResult.tables()`,
    evaluation.json (summary tables, headlines, caveats, rules and versions) and the report as
    evaluation.html and evaluation.pdf.
    On input problems it holds only the error report (errors.csv, .json, .txt). An existing,
    non-empty `out_dir` is replaced only with `force`; a failure leaves nothing partial.
    """
    report = progress or _no_progress
    out = Path(out_dir)
    dataset = resolve_dataset(dataset_path)
    if not dataset.exists():
        return EvaluationRun("not_found", None, out,
                             message=f"The dataset {dataset} was not found")
    try:
        check_request(baseline_year, followup_year, cycle_years, load_evaluation_rules())
    except EvaluationInputError as error:
        return EvaluationRun("invalid_request", dataset, out, message=str(error))
    try:
        check_target(out, force)
    except OutputExistsError as error:
        return EvaluationRun("output_exists", dataset, out, message=str(error))

    imported = read_dataset(dataset, progress=report)
    problems = list(imported.problems)
    if not imported.ok:
        return input_problems(EvaluationRun, dataset, out, problems, force)

    report("build", 0, 1)
    built = build_matrix(imported.tables)
    report("build", 1, 1)
    report("evaluate", 0, 1)
    try:
        result = evaluate_programmes(
            built.matrix,
            baseline_year,
            followup_year,
            programmes=imported.tables.get("programmes"),
            provenance=disputed_rows(imported.tables),
            cohort=cohort,
            cycle_years=cycle_years,
        )
    except EvaluationInputError as error:
        return EvaluationRun("invalid_request", dataset, out, problems, message=str(error))
    report("evaluate", 1, 1)

    tables = result.tables()
    steps = len(tables) + 3
    report("write", 0, steps)
    with atomic_output_dir(out, force) as staging:
        written: list[str] = []
        for done, (name, frame) in enumerate(tables.items(), start=1):
            write_csv(frame, staging / f"{name}.csv")
            written.append(f"{name}.csv")
            report("write", done, steps)
        document = evaluation_document(result, dataset, built.versions, problems)
        (staging / "evaluation.json").write_text(
            json.dumps(document, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        written.append("evaluation.json")
        report("write", steps - 2, steps)
        names = country_names(result.country_distribution.get_column("country_iso2").to_list())
        context = build_evaluation_context(
            result, headlines(result), insights=named_insights(result, names),
            dataset_name=dataset.name, country_names=names, created=document["created_utc"],
        )
        (staging / "evaluation.html").write_text(render_html(context), encoding="utf-8")
        written.append("evaluation.html")
        report("write", steps - 1, steps)
        (staging / "evaluation.pdf").write_bytes(render_pdf(context))
        written.append("evaluation.pdf")
        report("write", steps, steps)
    return EvaluationRun(
        "ok", dataset, out, problems, written,
        result=result, headlines=headlines(result), insights=named_insights(result, names),
        message=f"Evaluation {baseline_year}→{followup_year} written to {out}",
    )


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def evaluation_document(
    result: EvaluationResult,
    dataset: Path,
    engine_versions: dict[str, str],
    problems: Sequence[Problem],
) -> dict[str, Any]:
    """Everything but the per-facility tables, as one JSON-ready mapping."""
    rules = result.rules
    rules_file = f"evaluation/{rules.name}.yaml"
    tables = result.tables()
    return {
        "created_utc": now_iso_utc(),
        "package": {"name": "factory-journey", "version": __version__},
        "dataset": {"name": dataset.name, "path": str(dataset.resolve())},
        "request": {
            "baseline_year": result.baseline_year,
            "followup_year": result.followup_year,
            "cycle_years": result.cycle_years,
            "cohort": {
                "programmes": list(result.cohort.programmes),
                "countries": list(result.cohort.countries),
                "factory_types": list(result.cohort.factory_types),
                "described": result.cohort.describe(),
            },
        },
        "rules": {"name": rules.name, "version": rules.version, "file": rules_file,
                  "meta": meta(rules_file), "definition": rules.model_dump(mode="json")},
        "headlines": [h.sentence() for h in headlines(result)],
        "regional_insights": named_insights(
            result, country_names(result.country_distribution["country_iso2"].to_list())
        ),
        "caveats": [
            {"code": c.code, "message": c.message, "count": c.count,
             "examples": list(c.examples)}
            for c in result.caveats
        ],
        "tables": {name: _records(tables[name]) for name in JSON_TABLES},
        "csv_only": [f"{name}.csv" for name in tables if name not in JSON_TABLES],
        "engine_versions": dict(engine_versions),
        "reference_versions": reference_versions(),
        "input_warnings": [p.describe() for p in problems
                           if p.severity is Severity.WARNING][:100],
    }


__all__ = [
    "JSON_TABLES",
    "STAGES",
    "Cohort",
    "EvaluationInputError",
    "EvaluationRun",
    "Headline",
    "cohort_from_options",
    "country_names",
    "disputed_rows",
    "evaluate_dataset",
    "evaluation_document",
    "headlines",
    "named_insights",
]
