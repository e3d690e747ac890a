"""`journey report DATASET`: facility reports (one or all) and portfolio reports, PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.services.options import REPORT_LANGUAGES
from factory_journey.services.output_dir import OutputExistsError

# The service (polars, the engine, typst) and Rich's progress are imported inside the
# functions that use them, so that `journey --help` and every other command start without
# them (issue 14).
if TYPE_CHECKING:
    from factory_journey.services.reports import ReportInputError

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
PROBLEMS_SHOWN = 20


def _fail_input(console: Console, error: ReportInputError) -> None:
    console.print(f"[bold red]{error}[/]", highlight=False)
    for problem in error.problems[:PROBLEMS_SHOWN]:
        console.print(f"  • {problem.describe()}", markup=False, highlight=False)
    if len(error.problems) > PROBLEMS_SHOWN:
        console.print(f"  … and {len(error.problems) - PROBLEMS_SHOWN} more.")
    raise typer.Exit(EXIT_INPUT)


def register(app: typer.Typer) -> None:
    """Add `journey report` to `app`."""

    @app.command("report")
    def report(
        dataset: str = typer.Argument(
            ..., help="Dataset (folder, .xlsx, .json, .zip) or 'pilot' for the bundled data."
        ),
        facility: str | None = typer.Option(None, "--facility", help="Report on this facility id."),
        all_facilities: bool = typer.Option(
            False, "--all", help="One report per facility, written into the --out folder."
        ),
        portfolio: bool = typer.Option(
            False, "--portfolio", help="One portfolio report over the facilities selected."
        ),
        lang: str = typer.Option(
            "en", "--lang", help=f"Report language: {', '.join(REPORT_LANGUAGES)}."
        ),
        fmt: str = typer.Option("pdf", "--format", help="pdf or html."),
        out: Path | None = typer.Option(
            None, "--out", help="Output file (--facility, --portfolio) or folder (--all)."
        ),
        year: int | None = typer.Option(None, "--year", help="Year (default: the latest)."),
        country: str | None = typer.Option(
            None, "--country", help="Portfolio of one country (ISO alpha-2, e.g. VN)."
        ),
        factory_type: str | None = typer.Option(
            None, "--factory-type", help="Portfolio of one type: cut_sew, mill, vertical, …"
        ),
        ids: str | None = typer.Option(
            None, "--ids", help="Portfolio of these facility ids: 'ID1,ID2' or @FILE (one a line)."
        ),
        title: str = typer.Option("", "--title", help="Portfolio report title."),
        workers: int = typer.Option(2, "--workers", min=1, help="Processes for --all."),
        force: bool = typer.Option(False, "--force", help="Replace an existing --out folder."),
    ) -> None:
        """Write facility or portfolio reports as PDF or HTML, in any report language."""
        with collector.quiet_imports():
            from factory_journey.services import reports as service

        console = Console(stderr=True)
        chosen = sum([facility is not None, all_facilities, portfolio])
        if chosen != 1:
            console.print("[red]Choose exactly one of --facility ID, --all or --portfolio.[/]")
            raise typer.Exit(EXIT_USAGE)
        if fmt not in service.FORMATS:
            console.print(f"[red]--format must be one of {', '.join(service.FORMATS)}.[/]")
            raise typer.Exit(EXIT_USAGE)
        try:
            service.translator_for(lang)
        except service.UnknownLanguageError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(EXIT_USAGE) from error

        try:
            if facility is not None:
                target = out or Path(f"{service.safe_file_name(facility)}.{fmt}")
                with console.status(f"Assessing {dataset} and writing the report…"):
                    service.write_facility_report(dataset, facility, target, lang, fmt, year)
                console.print(f"Report of {facility} written to [bold]{target}[/]")
            elif portfolio:
                target = out or Path(f"portfolio.{fmt}")
                with console.status(f"Assessing {dataset} and writing the portfolio report…"):
                    service.write_portfolio_report(
                        dataset, target, lang, fmt, country, factory_type, title,
                        _id_list(ids) if ids else None,
                    )
                console.print(f"Portfolio report written to [bold]{target}[/]")
            else:
                target = out or Path("reports")
                _write_all(console, dataset, target, lang, fmt, workers, force)
        except service.ReportInputError as error:
            _fail_input(console, error)
        except service.FacilityNotFoundError as error:
            console.print(f"[bold red]{error.args[0]}[/]", highlight=False)
            raise typer.Exit(EXIT_INPUT) from error
        except OutputExistsError as error:
            console.print(f"[bold red]{error}[/]", highlight=False)
            raise typer.Exit(EXIT_INPUT) from error


def _id_list(value: str) -> list[str]:
    """Facility ids from 'ID1,ID2' or from '@FILE' (one id a line, # comments allowed)."""
    if value.startswith("@"):
        lines = Path(value[1:]).read_text(encoding="utf-8").splitlines()
        return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    return [part.strip() for part in value.split(",") if part.strip()]


def _write_all(console: Console, dataset: str, out: Path, lang: str, fmt: str, workers: int,
               force: bool) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from factory_journey.services import reports as service

    # The dataset is read and assessed inside `write_all_reports`, while its worker processes
    # start (their imports overlap the assessment); the bar has no total until then.
    columns = (
        TextColumn("[bold]Assessing and writing reports"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("reports", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        run = service.write_all_reports(dataset, out, lang, fmt, workers, force, progress)
    console.print(f"{len(run.files)} reports written to [bold]{out}[/]")
