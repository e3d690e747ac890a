"""`journey park report DATASET --park ID`: the park report (PDF or HTML) in a report language.

Registered on the `journey park` group of `park_cmd` (one line there). DATASET is a park
dataset, the bundled `pilot`, or the folder `journey park assess` wrote.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
PROBLEMS_SHOWN = 20
#: Named here (not imported from i18n) so that `journey --help` stays light; a test keeps it
#: equal to `reports.i18n.PARK_LANGUAGES`.
PARK_REPORT_LANGUAGES: tuple[str, ...] = ("en", "vi", "zh", "bn", "km", "tr", "am", "sw")


def register(park_app: typer.Typer) -> None:
    """Add `report` to the `journey park` group."""

    @park_app.command("report")
    def report(
        dataset: str = typer.Argument(
            ..., help="Park dataset (folder, .xlsx, .json, .zip), 'pilot', or the output "
            "folder of `journey park assess`."),
        park: str = typer.Option(..., "--park", help="The park_id to report on."),
        lang: str | None = typer.Option(
            None, "--lang", help=f"Report language: {', '.join(PARK_REPORT_LANGUAGES)} "
            "(default: the language of the park's country, else en)."),
        out: Path | None = typer.Option(
            None, "--out", "-o", help="Output file (.pdf or .html; default <park>.pdf)."),
        fmt: str | None = typer.Option(
            None, "--format", help="pdf or html (default: from the --out suffix, else pdf)."),
        year: int | None = typer.Option(None, "--year", help="Year (default: the latest)."),
    ) -> None:
        """Write the park report (PDF or HTML) of one park in any of the report languages.

        Framework score per pillar with what decided each requirement, park totals, the
        members' standing and ZDHC status, and the collective improvement plan with each
        member's share.
        """
        from factory_journey.services import park_report as service

        console = Console(stderr=True)
        chosen = fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else "pdf")
        if chosen not in service.FORMATS:
            console.print(f"[red]--format must be one of {', '.join(service.FORMATS)}, not "
                          f"{chosen!r}.[/]", highlight=False)
            raise typer.Exit(EXIT_USAGE)
        target = out or Path(f"{park}.{chosen}")
        try:
            with console.status(f"Assessing {dataset} and writing the park report…"):
                written, used = service.write_park_report(dataset, park, target, lang, chosen,
                                                          year)
        except service.UnknownLanguageError as error:
            console.print(f"[red]{error}[/]", highlight=False)
            raise typer.Exit(EXIT_USAGE) from error
        except service.ParkReportInputError as error:
            console.print(f"[bold red]{error}[/]", highlight=False)
            for problem in error.problems[:PROBLEMS_SHOWN]:
                console.print(f"  • {problem.describe()}", markup=False, highlight=False)
            if len(error.problems) > PROBLEMS_SHOWN:
                console.print(f"  … and {len(error.problems) - PROBLEMS_SHOWN} more.")
            raise typer.Exit(EXIT_INPUT) from error
        except service.ParkNotFoundError as error:
            console.print(f"[bold red]{error.args[0]}[/]", highlight=False)
            raise typer.Exit(EXIT_INPUT) from error
        console.print(f"Park report of {park} ({used}) written to [bold]{written}[/]",
                      highlight=False)
