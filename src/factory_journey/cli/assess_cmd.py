"""`journey assess DATASET --out DIR`: opportunities and pathways of a dataset, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.cli.output import (
    EXIT_USAGE,
    FORMAT_HELP,
    METHODOLOGY_HELP,
    finish_run,
    print_files,
    print_methodology_problems,
    staged_progress,
)

# The service (polars, the engine, the writers) is imported inside the command, so that
# `journey --help` and every other command start without it (issue 14).
if TYPE_CHECKING:
    from factory_journey.services.assessment import AssessmentRun

STAGE_LABELS = {
    "read": "Reading the dataset",
    "matrix": "Building the matrix",
    "assess": "Assessing",
    "write": "Writing outputs",
}


def _print_summary(console: Console, run: AssessmentRun) -> None:
    from rich.table import Table

    summary = run.summary
    measures = next((f for f in run.files_written if f in ("measures.csv", "assessment.xlsx")),
                    "measures.parquet")
    table = Table(title=f"Assessment written to {run.out_dir}")
    table.add_column("Impact area", style="bold")
    table.add_column("High", justify="right")
    table.add_column("Low", justify="right")
    table.add_column("Not assessed", justify="right")
    table.add_column("Recommended", justify="right")
    recommended: dict[str, int] = {}
    for row in summary["recommended"]:
        recommended[row["area"]] = recommended.get(row["area"], 0) + int(row["facility_years"])
    for area, counts in summary["levels_by_area"].items():
        table.add_row(
            area,
            f"{counts.get('high', 0):,}",
            f"{counts.get('low', 0):,}",
            f"{counts.get('not_assessed', 0):,}",
            f"{recommended.get(area, 0):,}",
        )
    console.print(table)
    console.print(
        f"{summary['facility_years']:,} facility-years of {summary['facilities']:,} facilities; "
        f"methodology {summary['methodology']}. Recommended measures: {summary['measures']:,}, "
        f"saving about USD {summary['money_saved_usd']:,.0f} and "
        f"{summary['co2e_saved_kgco2e'] / 1000:,.0f} tCO2e a year for USD "
        f"{summary['investment_usd']:,.0f} (typical ranges; see {measures})."
    )
    for warning in summary["warnings"]:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    print_files(console, run.files_written, run.formats)


def register(app: typer.Typer) -> None:
    """Add `journey assess` to `app`."""

    @app.command("assess")
    def assess(
        dataset: str = typer.Argument(
            ..., help="Dataset (folder, .xlsx, .json, .zip) or 'pilot' for the bundled pilot."
        ),
        out: Path = typer.Option(..., "--out", "-o", help="Folder to write the outputs into."),
        methodology: Path | None = typer.Option(
            None, "--methodology", help=METHODOLOGY_HELP
        ),
        prices: Path | None = typer.Option(
            None,
            "--prices",
            help="CSV of prices (country_iso2, electricity_usd_per_kwh, "
            "thermal_fuel_usd_per_gj, water_usd_per_m3); other countries keep the defaults.",
        ),
        peer_snapshot: Path | None = typer.Option(
            None,
            "--peer-snapshot",
            help="Judge peer indicators against this peer snapshot (a Parquet file from "
            "`journey peers export`) instead of the dataset's own peer groups: the same data "
            "and snapshot give the platform's result.",
        ),
        formats: str = typer.Option("auto", "--format", help=FORMAT_HELP),
        force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
        as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
    ) -> None:
        """Assess every facility-year of DATASET and write the results to --out.

        Writes matrix, opportunities, pathways, measures, trajectory and
        indicators as .parquet, and metadata.json: versions, files written
        and why other formats were not. Up to 1,000 facility-years, or when
        asked with --format, also .csv, .json and assessment.xlsx.
        """
        with collector.quiet_imports():
            from factory_journey.services.assessment import (
                STAGES,
                AssessmentInputError,
                MethodologyError,
                PriceTableError,
                assess_files,
                load_methodology_file,
                load_peer_snapshot_file,
                load_prices_file,
                peer_snapshot_version,
            )

        console = Console()
        errors = Console(stderr=True)
        try:
            chosen = load_methodology_file(methodology) if methodology else None
            price_table = load_prices_file(prices) if prices else None
            peers = load_peer_snapshot_file(peer_snapshot) if peer_snapshot else None
            peers_version = peer_snapshot_version(peer_snapshot) if peer_snapshot else None
        except AssessmentInputError as error:
            errors.print(f"[bold red]{error}[/]", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        except MethodologyError as error:
            print_methodology_problems(errors, error.messages)
            raise typer.Exit(EXIT_USAGE) from None
        except PriceTableError as error:
            errors.print(f"[bold red]The price file is not valid:[/] {error}", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        labels = {stage: STAGE_LABELS[stage] for stage in STAGES}
        with staged_progress(labels, console=errors, hidden=as_json) as on_progress:
            run = assess_files(
                dataset, out, chosen, price_table, on_progress, force, formats, peers,
                peers_version,
            )
        finish_run(run, as_json, console, errors, lambda: _print_summary(console, run))
