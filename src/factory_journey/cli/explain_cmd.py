"""`journey explain DATASET FACILITY_ID`: why each area got its level, why the pathway order."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from factory_journey.cli import collector
from factory_journey.cli.output import METHODOLOGY_HELP, print_methodology_problems

# The services (polars, the engine) are imported inside the command, so that `journey --help`
# and every other command start without them (issue 14).

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def register(app: typer.Typer) -> None:
    """Add `journey explain` to `app`."""

    @app.command("explain")
    def explain_command(
        dataset: str = typer.Argument(..., help="Dataset, or 'pilot' for the bundled pilot."),
        facility_id: str = typer.Argument(..., help="The facility to explain."),
        year: int | None = typer.Option(None, "--year", help="Reporting year (default: latest)."),
        methodology: Path | None = typer.Option(
            None, "--methodology", help=METHODOLOGY_HELP
        ),
    ) -> None:
        """Explain in plain words the levels, the pathway order and the recommended measures."""
        with collector.quiet_imports():
            from factory_journey.services.assessment import (
                AssessmentInputError,
                MethodologyError,
                load_methodology_file,
            )
            from factory_journey.services.explain import FacilityNotAssessedError, explain

        errors = Console(stderr=True)
        try:
            chosen = load_methodology_file(methodology) if methodology else None
            explanation = explain(dataset, facility_id, year, chosen)
        except MethodologyError as error:
            print_methodology_problems(errors, error.messages)
            raise typer.Exit(EXIT_USAGE) from None
        except AssessmentInputError as error:
            errors.print(f"[bold red]{error}[/]", highlight=False)
            for problem in error.problems[:30]:
                errors.print(f"  • {problem.describe()}", markup=False, highlight=False)
            raise typer.Exit(EXIT_INPUT) from None
        except FacilityNotAssessedError as error:
            errors.print(f"[red]{error}[/]", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        typer.echo(explanation.text(), nl=False)
