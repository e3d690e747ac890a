"""`journey park …`: industrial parks (#16). `journey park assess DATASET --out DIR` writes the
park indicators, member standing, requirement results and pillar scores, all or nothing.

Other park commands (`journey park report`) add themselves to `park_app`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from factory_journey.cli import park_report_cmd
from factory_journey.cli.output import (
    EXIT_USAGE,
    FORMAT_HELP,
    finish_run,
    print_files,
    staged_progress,
)

if TYPE_CHECKING:
    from factory_journey.services.parks import ParkRun

park_app = typer.Typer(
    name="park",
    help="Industrial parks: park totals over the members and shared facilities, member "
    "standing, and a transparent framework score (docs/park-data-format.md).",
    no_args_is_help=True,
)

STAGE_LABELS = {
    "read": "Reading the dataset",
    "parks": "Checking the park tables",
    "assess": "Assessing parks",
    "write": "Writing outputs",
}


def _print_summary(console: Console, run: ParkRun) -> None:
    summary = run.summary
    results = summary["requirement_results"]
    overlays = ", ".join(summary["overlays"]) or "none"
    console.print(
        f"{summary['parks']:,} parks, {summary['park_years']:,} park-years, "
        f"{summary['member_years']:,} member-years; framework {summary['framework']} "
        f"(overlays: {overlays}). Requirements: "
        + ", ".join(f"{results.get(k, 0):,} {k.replace('_', ' ')}"
                    for k in ("met", "partly_met", "not_met", "not_assessed")),
        highlight=False,
    )
    print_files(console, run.files_written, run.formats)


@park_app.command("assess")
def assess(
    dataset: str = typer.Argument(
        ..., help="Park dataset (folder, .xlsx, .json, .zip) or 'pilot' for the bundled pilot."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the outputs into."),
    framework: list[Path] | None = typer.Option(
        None, "--framework",
        help="A park framework file (YAML, engine/parks/framework_schema.py); repeat it to add "
        "overlays. Default: the packaged framework and its national overlays.",
    ),
    formats: str = typer.Option("auto", "--format", help=FORMAT_HELP),
    force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Assess every park of DATASET and write the park outputs to --out.

    Writes park_indicators, park_members, park_opportunities,
    park_shared_facilities, requirement_results and pillar_scores as
    .parquet (and .csv, .json when small or asked for) and metadata.json
    with the framework and methodology versions.
    """
    from factory_journey.services.parks import STAGES, park_assess_files

    console = Console()
    errors = Console(stderr=True)
    labels = {stage: STAGE_LABELS[stage] for stage in STAGES}
    with staged_progress(labels, console=errors, hidden=as_json) as on_progress:
        run = park_assess_files(dataset, out, framework or None, on_progress, force, formats)
    finish_run(run, as_json, console, errors, lambda: _print_summary(console, run))


@park_app.command("template")
def template(
    out: Path = typer.Option(..., "--out", "-o", help="The workbook to write (.xlsx)."),
    framework: list[Path] | None = typer.Option(
        None, "--framework", help="Framework file(s) whose questions the guidance lists "
        "(default: the packaged framework and its overlays)."),
    language: str = typer.Option(
        "en", "--language", "--lang", help="Language of the guidance and the cells' "
        f"messages: {', '.join(park_report_cmd.PARK_REPORT_LANGUAGES)} (the park report's). "
        "Sheets, columns and accepted values are the same in every language."),
) -> None:
    """Write a blank park workbook: a sheet per park table with drop-downs, and guidance."""
    from factory_journey.services.parks import write_park_template

    path, problems = write_park_template(out, framework or None, language)
    if path is None:
        errors = Console(stderr=True)
        for problem in problems:
            errors.print(f"[red]{problem.describe()}[/]", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    Console().print(f"Park template written to {path}", highlight=False)


park_report_cmd.register(park_app)  # `journey park report`


def register(app: typer.Typer) -> None:
    """Add `journey park …` to `app`."""
    app.add_typer(park_app, name="park")
