"""`journey matrix DATASET --out DIR`: build the Data Matrix of a dataset, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.cli.output import FORMAT_HELP, print_files, print_problems, staged_progress
from factory_journey.domain.problems import Severity

# The service (polars, ingest, the writers) is imported inside the command, so that
# `journey --help` and every other command start without it (issue 14).
if TYPE_CHECKING:
    from factory_journey.services.matrix import MatrixRun

#: Problems printed on the terminal before the reader is sent to errors.txt.
WARNINGS_SHOWN = 10

STAGE_LABELS = {
    "read": "Reading files",
    "validate": "Checking tables",
    "build": "Building the matrix",
    "write": "Writing outputs",
}

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _print_summary(console: Console, run: MatrixRun) -> None:
    from rich.table import Table

    summary = run.summary
    assert summary is not None
    table = Table(title=f"Data Matrix written to {run.out_dir}", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("Facility-years", f"{summary.facility_years:,}")
    table.add_row("Facilities", f"{summary.facilities:,}")
    years = summary.years
    table.add_row("Years", f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years or "–"))
    table.add_row("Complete data (12 months or annual)", _share(summary.complete_share))
    for area, share in summary.complete_share_by_area.items():
        table.add_row(f"  {area}", _share(share))
    table.add_row("Problems", f"0 errors, {summary.warnings} warnings")
    console.print(table)
    print_files(console, run.files_written, run.formats)
    warnings = [p for p in run.problems if p.severity is Severity.WARNING]
    if warnings:
        console.print(f"[yellow]{len(warnings)} warning{'s' if len(warnings) != 1 else ''} "
                      "(the matrix was built; worth a look):[/]")
        for problem in warnings[:WARNINGS_SHOWN]:
            console.print(f"  • {problem.describe()}", markup=False, highlight=False)
        if len(warnings) > WARNINGS_SHOWN:
            console.print(f"  … and {len(warnings) - WARNINGS_SHOWN} more in metadata.json.")


def register(app: typer.Typer) -> None:
    """Add `journey matrix` to `app`."""

    @app.command("matrix")
    def matrix(
        dataset: str = typer.Argument(
            ...,
            help="Dataset: a folder of CSV/Parquet files, an .xlsx workbook, a .json file, a "
            ".zip, or 'pilot' for the bundled pilot dataset.",
        ),
        out: Path = typer.Option(..., "--out", "-o", help="Folder to write the matrix into."),
        formats: str = typer.Option("auto", "--format", help=FORMAT_HELP),
        force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
        as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
    ) -> None:
        """Build the Data Matrix (facility × year) of DATASET and write it to --out.

        Writes matrix.parquet, zdhc_levels.parquet, provenance.parquet and
        metadata.json; up to 1,000 facility-years, or when asked with
        --format, also the matrix and ZDHC levels as .csv, .json and .xlsx.
        On bad input it writes only an error report (errors.txt, .csv,
        .json) and exits with 1; nothing partial is ever left behind.
        """
        with collector.quiet_imports():
            from factory_journey.services.matrix import STAGES, build_matrix_files

        console = Console()
        progress_console = Console(stderr=True)
        labels = {stage: STAGE_LABELS[stage] for stage in STAGES}
        with staged_progress(labels, console=progress_console, hidden=as_json) as on_progress:
            run = build_matrix_files(dataset, out, progress=on_progress, force=force,
                                     formats=formats)

        if as_json:
            typer.echo(json.dumps(run.to_dict(), indent=2, ensure_ascii=False, default=str))
        elif run.ok:
            _print_summary(console, run)
        elif run.status == "input_problems":
            print_problems(console, run.errors, run.out_dir, "no matrix was written")
        else:
            progress_console.print(f"[red]{run.message}[/]")
        if run.ok:
            raise typer.Exit(EXIT_OK)
        raise typer.Exit(EXIT_INPUT if run.status == "input_problems" else EXIT_USAGE)
