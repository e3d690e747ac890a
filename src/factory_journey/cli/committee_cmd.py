"""`journey committee`: the seats of the Join the Journey review committee (an operator's task)."""

from __future__ import annotations

import typer
from rich.console import Console

EXIT_OK, EXIT_USAGE = 0, 2

DATABASE_HELP = "Database URL (default: JOURNEY_DATABASE_URL, else ./journey.db, SQLite)."


def register(app: typer.Typer) -> None:
    """Add `journey committee seats` and `journey committee seat` to `app`."""
    committee = typer.Typer(
        help="The Join the Journey review committee: one seat per founding organisation.",
        no_args_is_help=True,
    )
    app.add_typer(committee, name="committee")

    @committee.command("seats")
    def list_seats(
        database: str = typer.Option(None, "--database", help=DATABASE_HELP),
    ) -> None:
        """List the committee's seats and the organisation holding each."""
        from factory_journey.services.proposals.committee import seats_in_database

        for key, title, holder in seats_in_database(database):
            Console().print(f"{key} ({title}): {holder or 'vacant'}", highlight=False)
        raise typer.Exit(EXIT_OK)

    @committee.command("seat")
    def seat(
        seat_key: str = typer.Argument(..., metavar="SEAT", help="cascale, aii or zdhc."),
        organisation: str = typer.Argument(..., help="The organisation's name on the platform."),
        database: str = typer.Option(None, "--database", help=DATABASE_HELP),
    ) -> None:
        """Give a vacant seat to an organisation: its admins and editors then review
        proposals, its members read every submitted one."""
        from factory_journey.services.platform.errors import PlatformError
        from factory_journey.services.proposals.committee import seat_in_database

        try:
            seat_in_database(database, seat_key, organisation)
        except PlatformError as error:
            Console(stderr=True).print(f"[red]{error.message}.[/]", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        Console().print(f"{organisation} holds the {seat_key} seat.", highlight=False)
        raise typer.Exit(EXIT_OK)
