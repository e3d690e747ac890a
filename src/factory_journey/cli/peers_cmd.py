"""`journey peers`: the platform's peer snapshot, recomputed now or exported for assess."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

EXIT_OK, EXIT_USAGE = 0, 2

DATABASE_HELP = "Database URL (default: JOURNEY_DATABASE_URL, else ./journey.db, SQLite)."


def register(app: typer.Typer) -> None:
    """Add `journey peers recompute` and `journey peers export` to `app`."""
    peers = typer.Typer(
        help="The platform's peer snapshot: peer thresholds over every facility it holds.",
        no_args_is_help=True,
    )
    app.add_typer(peers, name="peers")

    @peers.command("recompute")
    def recompute(
        database: str = typer.Option(None, "--database", help=DATABASE_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
    ) -> None:
        """Recompute the peer thresholds over the latest data of every facility now; a new
        snapshot is stored only when they changed."""
        from factory_journey.services.platform.peers import recompute_in_database

        ref, new, seconds = recompute_in_database(database)
        if as_json:
            outcome = {**ref.as_dict(), "new": new, "seconds": round(seconds, 3)}
            typer.echo(json.dumps(outcome, indent=2))
        else:
            Console().print(
                f"Peer snapshot {ref.id} ({'new' if new else 'unchanged'}): "
                f"{ref.group_count:,} peer groups over {ref.facility_count:,} facilities, "
                f"methodology {ref.methodology_version}, in {seconds:.1f} s; "
                f"sha256 {ref.content_sha256}.",
                highlight=False,
            )
        raise typer.Exit(EXIT_OK)

    @peers.command("export")
    def export(
        out: Path = typer.Option(..., "--out", "-o", help="Parquet file to write."),
        snapshot: int = typer.Option(None, "--id", help="Snapshot id (default: the current one)."),
        database: str = typer.Option(None, "--database", help=DATABASE_HELP),
    ) -> None:
        """Write a peer snapshot to a Parquet file, for `journey assess --peer-snapshot`."""
        from factory_journey.services.platform.peers import export_from_database

        try:
            ref = export_from_database(database, snapshot, out)
        except LookupError as error:
            Console(stderr=True).print(f"[red]{str(error).capitalize()}.[/]", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        Console().print(
            f"Wrote peer snapshot {ref.id} (sha256 {ref.content_sha256}) to {out}.",
            highlight=False,
        )
        raise typer.Exit(EXIT_OK)
