"""`journey evaluate DATASET --baseline Y --followup Y --out DIR`: improvement cycles and
programme evaluation (shares improving, difference-in-differences), all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.cli.output import print_problems, staged_progress

# The service (scipy, polars, the report renderer) is imported inside the command, so that
# `journey --help` and every other command start without it (issue 14).
if TYPE_CHECKING:
    from factory_journey.services.evaluation import EvaluationRun

#: Problems printed on the terminal before the reader is sent to errors.txt.

STAGE_LABELS = {
    "read": "Reading files",
    "validate": "Checking tables",
    "build": "Building the matrix",
    "evaluate": "Evaluating",
    "write": "Writing outputs",
}

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

# Paragraphs as single lines, because the help printer keeps line breaks.
HELP = "\n\n".join((
    "Evaluate improvement between --baseline and --followup and write the results.",
    "Per facility and impact area: improved, held, regressed or not comparable (with the "
    "reason). Per cohort: shares improving by participation group and country, change per "
    "group, and the effect against the control group (difference-in-differences with "
    "confidence intervals).",
    "Writes one CSV per table, evaluation.json and the report (evaluation.html and "
    "evaluation.pdf) into --out, all or nothing. "
    "Exit codes: 0 done, 1 problems in the dataset (error report written), 2 bad request.",
))


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _print_summary(console: Console, run: EvaluationRun) -> None:
    from rich.table import Table

    result = run.result
    assert result is not None
    console.print(
        f"[bold]Evaluation {result.baseline_year} → {result.followup_year}[/] "
        f"({result.cohort.describe()}; cycle {result.cycle_years} year(s))"
    )
    for headline in run.headlines:
        console.print(f"  • {headline.sentence()}", highlight=False)
    sizes = Table(title="Participation groups", show_header=True)
    sizes.add_column("Group")
    sizes.add_column("Facilities", justify="right")
    for row in result.group_sizes.iter_rows(named=True):
        if row["n_facilities"] or row["is_control"]:
            sizes.add_row(row["label"], str(row["n_facilities"]))
    console.print(sizes)
    for sentence in run.insights:
        console.print(f"  {sentence}", highlight=False)
    if result.caveats:
        console.print(f"[yellow]{len(result.caveats)} caveat(s)[/], e.g.:")
        for caveat in result.caveats[:5]:
            console.print(f"  • {caveat.message}", markup=False, highlight=False)
    console.print(f"Report: {run.out_dir / 'evaluation.pdf'} (and evaluation.html); "
                  f"{len(run.files_written)} files in {run.out_dir}")


def register(app: typer.Typer) -> None:
    """Add `journey evaluate` to `app`."""

    @app.command("evaluate", help=HELP)
    def evaluate(
        dataset: str = typer.Argument(
            ...,
            help="Dataset: a folder of CSV/Parquet files, an .xlsx workbook, a .json file, a "
            ".zip, or 'pilot' for the bundled pilot dataset.",
        ),
        baseline: int = typer.Option(..., "--baseline", help="Baseline year, e.g. 2021."),
        followup: int = typer.Option(..., "--followup", help="Follow-up year, e.g. 2023."),
        out: Path = typer.Option(..., "--out", "-o", help="Folder to write the results into."),
        cycle_years: int | None = typer.Option(
            None, "--cycle-years", help="Improvement cycle length in years: 1 (default), 2 or 3."
        ),
        programmes: str | None = typer.Option(
            None, "--programmes", help="Cohort: facilities in any of these programmes "
            "(comma-separated keys, e.g. clp,stz) plus the control group."
        ),
        countries: str | None = typer.Option(
            None, "--countries", help="Cohort: countries (ISO codes or names, comma-separated, "
            "e.g. BD,CN)."
        ),
        factory_types: str | None = typer.Option(
            None, "--factory-types", help="Cohort: journey factory types (comma-separated, "
            "e.g. mill,vertical)."
        ),
        force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
        as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
    ) -> None:
        """`journey evaluate` (help text in HELP)."""
        with collector.quiet_imports():
            from factory_journey.services.evaluation import (
                STAGES,
                EvaluationInputError,
                cohort_from_options,
                evaluate_dataset,
            )

        console = Console()
        try:
            cohort = cohort_from_options(_split(programmes), _split(countries),
                                         _split(factory_types))
        except EvaluationInputError as error:
            typer.echo(f"journey evaluate: {error}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        labels = {stage: STAGE_LABELS[stage] for stage in STAGES}
        with staged_progress(labels, hidden=as_json) as on_progress:
            run = evaluate_dataset(
                dataset, out, baseline_year=baseline, followup_year=followup,
                cycle_years=cycle_years, cohort=cohort, force=force, progress=on_progress,
            )

        if as_json:
            typer.echo(json.dumps(run.to_dict(), indent=2, ensure_ascii=False, default=str))
        elif run.ok:
            _print_summary(console, run)
        elif run.status == "input_problems":
            print_problems(console, run.errors, run.out_dir, "nothing was evaluated")
        else:
            typer.echo(f"journey evaluate: {run.message}", err=True)
        if run.ok:
            raise typer.Exit(EXIT_OK)
        raise typer.Exit(EXIT_INPUT if run.status == "input_problems" else EXIT_USAGE)
