"""`journey demo-data`: write a reproducible synthetic dataset (a pilot-like cohort)."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.services.options import DEMO_FORMATS as FORMATS
from factory_journey.services.output_dir import OutputExistsError

# The generator (numpy, polars, the writers) and Rich's progress and table are imported inside
# the command, so that `journey --help` and every other command start without them (issue 14).

_TABLES = 10  # tables generated and written (progress steps = 2 × tables)


def _parse_years(text: str) -> list[int]:
    try:
        if "-" in text.strip()[1:]:
            first, last = (int(part) for part in text.split("-", 1))
            years = list(range(first, last + 1))
        else:
            years = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a year range: write e.g. 2021-2023 or 2021,2023"
        ) from None
    if not years or years[0] < 1990 or years[-1] > 2100 or years != sorted(years):
        raise typer.BadParameter(f"{text!r}: years must ascend between 1990 and 2100")
    return years


def register(app: typer.Typer) -> None:
    """Add `journey demo-data` to `app`."""

    @app.command("demo-data")
    def demo_data(
        out: Path = typer.Option(..., "--out", "-o", help="Folder to write the dataset into."),
        facilities: int = typer.Option(115, "--facilities", "-n", min=1,
                                       help="Number of facilities (the pilot has 115)."),
        years: str = typer.Option("2021-2023", "--years", help="Years, e.g. 2021-2023."),
        seed: int = typer.Option(2021, "--seed", help="Random seed: same seed, same data."),
        fmt: str = typer.Option("csv", "--format", "-f",
                                help=f"Output format: {', '.join(FORMATS)}."),
        inject: bool = typer.Option(False, "--inject-errors",
                                    help="Plant hard errors (for testing validation)."),
        messiness: float = typer.Option(1.0, "--messiness", min=0.0,
                                        help="0 = tidy, 1 = realistic gaps and variety."),
        monthly: bool | None = typer.Option(
            None, "--monthly/--annual",
            help="Monthly or annual rows (default: monthly up to 20,000 facilities).",
        ),
        force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
    ) -> None:
        """Generate a synthetic, reproducible dataset like the Factory Journey pilot.

        Facilities in Bangladesh, China, Vietnam, Turkey and Cambodia in four cohorts (Carbon
        Leadership Program with Supplier to Zero, Supplier to Zero only, CLP only, control),
        baseline in the first year, programmes from the second. All data are invented.
        """
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.table import Table

        with collector.quiet_imports():
            from factory_journey.services.demo_data import make_demo_data

        console = Console()
        if fmt not in FORMATS:
            raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
        year_list = _parse_years(years)
        started = time.perf_counter()
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<28}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        ) as bar:
            task = bar.add_task("Generating", total=2 * _TABLES)

            def on_step(step: str) -> None:
                stage, table = step.split(":", 1)
                label = "Generated" if stage == "gen" else "Wrote"
                bar.update(task, advance=1, description=f"{label} {table}")

            try:
                result = make_demo_data(
                    facilities, year_list, seed, out, fmt, errors=inject, monthly=monthly,
                    messiness=messiness, force=force, on_step=on_step,
                )
            except OutputExistsError as error:
                console.print(f"[red]{error}[/]")
                raise typer.Exit(2) from None
            except ValueError as error:
                console.print(f"[red]{error}[/]")
                raise typer.Exit(2) from None
        elapsed = time.perf_counter() - started
        table = Table(title=f"Synthetic dataset written to {result.out_dir}", show_header=False)
        table.add_column("", style="bold")
        table.add_column("", justify="right")
        table.add_row("Facilities × years", f"{facilities:,} × {len(year_list)}")
        for name, rows in result.rows.items():
            table.add_row(f"  {name}", f"{rows:,} rows")
        table.add_row("Files", ", ".join(p.name for p in result.files))
        table.add_row("Seconds", f"{elapsed:.1f}")
        console.print(table)
        if result.injected:
            console.print(
                f"[yellow]{len(result.injected)} hard errors were planted on purpose "
                f"({len({e.kind for e in result.injected})} kinds); validation must reject "
                "this dataset.[/]"
            )
