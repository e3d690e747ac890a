"""`journey run`: the main job — the whole journey on one dataset, start to finish."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.services.output_dir import OutputExistsError

# The service (the database, the engine, the report renderer, scipy) and Rich's progress and
# table are imported inside the command, so that `journey --help` and every other command
# start without them (issue 14).

STEP_LABELS = {
    "database": "Loading the dataset into the embedded database",
    "assess": "Building the Data Matrix and assessing",
    "reports": "Writing reports",
    "evaluate": "Evaluating the programmes",
    "parks": "Assessing the industrial parks",
}


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_command(
        dataset: str = typer.Argument(
            "pilot", help="Dataset folder, .xlsx, .json or .zip; 'pilot' = the bundled pilot."
        ),
        out: Path = typer.Option(Path("journey-output"), "--out", help="Output folder."),
        database: str = typer.Option(
            None, "--database", help="Database URL (default: OUT/journey.db, SQLite)."
        ),
        force: bool = typer.Option(False, "--force", help="Replace an existing output folder."),
    ) -> None:
        """Run the whole journey: load the data into the database, build the Data Matrix,
        assess, write reports in each factory's language, and evaluate the programmes."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Table

        with collector.quiet_imports():
            from factory_journey.services.journey_run import STEPS, run_journey

        console = Console()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as bar:
            tasks = {step: bar.add_task(STEP_LABELS[step], total=None) for step in STEPS}

            def progress(step: str, done: int, total: int) -> None:
                bar.update(tasks[step], completed=done, total=total)

            try:
                run = run_journey(dataset, out, database_url=database, force=force,
                                  progress=progress)
            except OutputExistsError as error:
                console.print(f"[red]{error}[/red]")
                raise typer.Exit(2) from None
        if run.status != "ok":
            console.print(f"[red]{run.message}[/red]")
            raise typer.Exit(1 if run.status == "input_problems" else 2)
        table = Table(title=f"The journey on {dataset} is written to {out}", show_header=False)
        for name, path in run.outputs.items():
            table.add_row(name, str(path))
        table.add_row("facility reports", ", ".join(p.name for p in run.facility_reports))
        console.print(table)
        if run.message:
            console.print(run.message)
        for line in run.headlines:
            console.print(f"• {line}")
        console.print(
            f"Next: journey serve --database {run.database_url}  (sign in with a demo account)"
        )
