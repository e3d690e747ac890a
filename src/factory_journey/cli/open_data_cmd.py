"""`journey open-data refresh`: rebuild the published snapshots and make a new release."""

from __future__ import annotations

import typer
from rich.console import Console

DATABASE_HELP = "Database URL (default: JOURNEY_DATABASE_URL, else ./journey.db, SQLite)."


def register(app: typer.Typer) -> None:
    """Add `journey open-data refresh` to `app`."""
    group = typer.Typer(
        help="Open data: what facilities publish, as public snapshots and bulk releases.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="open-data")

    @group.command("refresh")
    def refresh(database: str = typer.Option(None, "--database", help=DATABASE_HELP)) -> None:
        """Rebuild every published snapshot from the latest data (only what consent covers)
        and make a new bulk release when the published data changed."""
        from factory_journey.services.open_data.refresh import refresh_in_database

        done = refresh_in_database(database)
        release = (
            f"new release {done.release_id}" if done.release_id is not None
            else "no new release (nothing changed, or nothing is published)"
        )
        Console().print(
            f"Rebuilt {done.subjects:,} published snapshots in {done.seconds:.1f} s; {release}.",
            highlight=False,
        )
