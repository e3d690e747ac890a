"""A cohort's evaluation as a file to download: CSV (one row per facility and area) or XLSX
(that table, then every table of the evaluation, after a "Read me" sheet).

The same evaluation as the page (`programme_evaluation.evaluate_cohort`, so the same permission:
members of a programme, their own cohorts only) and the same tables as `journey evaluate`
writes (`EvaluationResult.tables()`), with each facility's current name beside its id, so that
a programme officer can chase those without comparable data. Text cells are neutralised
against spreadsheet formulas (`spreadsheet_safety`, through `report_files.write_workbook` for
XLSX); column names are the tables' own (English, as in the CLI's files).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy.orm import Session

from factory_journey.engine.evaluation import REASONS, EvaluationResult
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.services.platform.evaluation_gaps import facility_names
from factory_journey.services.platform.programme_evaluation import (
    CohortEvaluation,
    chosen_years,
    evaluate_cohort,
    years_available,
)
from factory_journey.services.report_files import flat_for_text, write_workbook
from factory_journey.services.spreadsheet_safety import write_csv

__all__ = ["KINDS", "MEDIA_TYPES", "EvaluationFile", "evaluation_file", "facility_results"]

MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KINDS: tuple[str, ...] = tuple(MEDIA_TYPES)

#: Columns of the per facility × area table, in this order (those the result has).
RESULT_COLUMNS: tuple[str, ...] = (
    "facility_id", "facility_name", "country_iso2", "group", "area", "area_label", "indicator",
    "start_year", "end_year", "value_start", "value_end", "change", "change_unit", "status",
    "reason", "reason_text", "detail", "journey_factory_type_start", "journey_factory_type_end",
    "verified_share_start", "verified_share_end", "annualised",
)


@dataclass(frozen=True, slots=True)
class EvaluationFile:
    """A download: its bytes, media type and file name."""

    content: bytes
    media_type: str
    filename: str


def _names_frame(names: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"facility_id": list(names), "facility_name": list(names.values())},
                        schema={"facility_id": pl.String, "facility_name": pl.String})


def _with_names(frame: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the facility's current name as `facility_name` right after `facility_id`;
    else the name the frame had (the dataset's), else empty."""
    joined = frame.join(names.rename({"facility_name": "_current"}), on="facility_id",
                        how="left", maintain_order="left")
    own = (pl.col("facility_name").cast(pl.String) if "facility_name" in frame.columns
           else pl.lit(None, dtype=pl.String))
    order = [c for c in frame.columns if c not in ("facility_id", "facility_name")]
    return joined.select("facility_id", pl.coalesce("_current", own, pl.lit(""))
                         .alias("facility_name"), *order)


def facility_results(result: EvaluationResult, names: dict[str, str]) -> pl.DataFrame:
    """One row per facility and area: the values of both years, the change [the area's change
    unit], the status, and for a facility without comparable data the reason (code, words and
    the years or values involved); `names`: facility id → name."""
    labels = {key: rule.label for key, rule in result.rules.areas.items()}
    frame = _with_names(result.changes, _names_frame(names)).with_columns(
        pl.col("area").replace_strict(labels, default=pl.col("area"), return_dtype=pl.String)
        .alias("area_label"),
        pl.col("reason").replace_strict(REASONS, default=None, return_dtype=pl.String)
        .alias("reason_text"),
    )
    return frame.select(c for c in RESULT_COLUMNS if c in frame.columns)


def _about(outcome: CohortEvaluation, result: EvaluationResult) -> list[tuple[str, str]]:
    rules = result.rules
    rows = [
        ("Evaluation", str(outcome.context.get("title", ""))),
        ("Cohort", outcome.name),
        ("Baseline year", str(result.baseline_year)),
        ("Follow-up year", str(result.followup_year)),
        ("Improvement cycle [years]", str(result.cycle_years)),
        ("Rules", f"{rules.name} (version {rules.version})"),
        ("Facilities evaluated", str(outcome.facilities)),
        ("Left out: no longer shared with their data", ", ".join(outcome.left_out) or "none"),
        ("Created", str(outcome.context.get("generated", "")).removeprefix("Created ")),
        ("facility results", "One row per facility and area: values of both years, change, "
                             "status; the reason when not comparable."),
        ("Other sheets", "The tables of the evaluation, as `journey evaluate` writes them."),
    ]
    rows += [("Caveat", c.message) for c in result.caveats]
    return rows


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "cohort"


def evaluation_file(
    session: Session,
    actor: Actor,
    cohort_id: int | None,
    baseline: int | None,
    followup: int | None,
    kind: str,
) -> EvaluationFile:
    """The evaluation of cohort `cohort_id` (None: every facility shared with the programme
    with its data) between `baseline` and `followup` [years; None: the first or last year with
    data] as `kind` (csv or xlsx). Raises Forbidden outside a programme, NotFound for another
    organisation's cohort or when nothing is shared, InvalidInput for impossible years."""
    if kind not in MEDIA_TYPES:
        raise InvalidInput(f"export: csv or xlsx, not {kind!r}")
    base, follow = chosen_years(years_available(session, actor), baseline, followup)
    if base is None or follow is None:
        raise NotFound("no evaluation: no facility shares its data with your programme")
    outcome = evaluate_cohort(session, actor, cohort_id, base, follow)
    result = outcome.result
    if result is None:  # every outcome evaluate_cohort makes keeps its result
        raise NotFound("no evaluation result kept")
    names = facility_names(session, actor)
    results = facility_results(result, names)
    filename = f"evaluation-{_slug(outcome.name)}-{base}-{follow}.{kind}"
    with tempfile.TemporaryDirectory(prefix="journey-evaluation-") as folder:
        path = Path(folder) / filename
        if kind == "csv":
            write_csv(flat_for_text(results), path)
        else:
            tables = result.tables()
            sheets = {"facility results": results,
                      **{n: t for n, t in tables.items() if n != "facility_changes"}}
            sheets["facilities"] = _with_names(tables["facilities"], _names_frame(names))
            write_workbook(path, sheets, _about(outcome, result))
        return EvaluationFile(path.read_bytes(), MEDIA_TYPES[kind], filename)
