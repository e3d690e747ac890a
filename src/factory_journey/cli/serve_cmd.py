"""`journey serve`: the platform on the embedded database, with demo accounts to sign in with."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console

# The platform (SQLAlchemy, the web application) and Rich's progress and table are imported
# inside the command, so that `journey --help` and every other command start without them
# (issue 14).
if TYPE_CHECKING:
    from rich.progress import TaskID

    from factory_journey.services.platform.bootstrap import Prepared

#: Exit status of a start refused for its settings or its database (as for a usage error).
SETTINGS_EXIT = 2

STAGE_LABELS = {
    "migrate": "Bringing the database schema up to date",
    "import": "Importing the bundled pilot dataset",
    "assess": "Assessing the demo facilities",
}


def _print_demo(
    console: Console, prepared: Prepared, host: str, port: int, serving: bool = True
) -> None:
    from rich.table import Table

    passwords = sorted({line.password for line in prepared.demo})
    table = Table(title=f"Demo accounts (development only); password: {', '.join(passwords)}")
    table.add_column("E-mail", no_wrap=True)
    table.add_column("Organisation")
    table.add_column("Role")
    table.add_column("Can see")
    for line in prepared.demo:
        table.add_row(line.email, f"{line.organisation} ({line.kind})", line.role, line.sees)
    console.print(table)
    base = f"http://{_browser_host(host)}:{port}"
    console.print(
        f"API: POST {base}/api/auth/sign-in with a JSON body "
        '{"email": "...", "password": "..."}; the token goes in "Authorization: Bearer ...". '
        f"Description: {base}/docs and {base}/openapi.json",
        soft_wrap=True,
    )
    if serving:
        console.print(
            f"[bold]Open {base}/ in a browser[/bold] and sign in with one of the accounts above "
            f"(password {', '.join(passwords)}). Stop the server with Ctrl+C.",
            soft_wrap=True,
        )
    else:
        console.print(
            f"[bold]Start the web app with `journey serve` (in the project: "
            f".venv/bin/journey serve), then open {base}/ in a browser[/bold] and sign in with "
            f"one of the accounts above (password {', '.join(passwords)}).",
            soft_wrap=True,
        )


def _browser_host(host: str) -> str:
    """The address a browser on this machine opens for a server listening on `host`."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        database: str = typer.Option(
            None,
            "--database",
            help="Database URL (default: JOURNEY_DATABASE_URL, else ./journey.db, SQLite).",
        ),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        workers: int = typer.Option(1, "--workers", min=1, max=32, help="Worker processes."),
        forwarded_allow_ips: str = typer.Option(
            None,
            "--forwarded-allow-ips",
            help="Proxies whose X-Forwarded-For/-Proto are believed: comma-separated addresses "
            "or networks, or * (default: JOURNEY_TRUSTED_PROXIES, else none).",
        ),
        prepare_only: bool = typer.Option(
            False,
            "--prepare-only",
            help="Prepare the database (and the demo), print the address and the demo "
            "accounts, and exit without serving (what ./dev demo ends with).",
        ),
    ) -> None:
        """Start the platform: migrate the database, load the pilot dataset and demo accounts
        (development), print them, and serve the web pages (at /) and the JSON API (/api)."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from factory_journey.services.platform.bootstrap import (
            BootstrapError,
            DatabaseUnusable,
            prepare,
            serve,
        )
        from factory_journey.store.database import make_engine, session_factory
        from factory_journey.web.app import refuse_demo_accounts
        from factory_journey.web.settings import Settings, UnsafeSettings

        console = Console()
        if database:
            os.environ["JOURNEY_DATABASE_URL"] = database  # as `serve` passes it on
        if forwarded_allow_ips is not None:
            os.environ["JOURNEY_TRUSTED_PROXIES"] = forwarded_allow_ips  # read by every worker
        try:
            settings = Settings.from_env()  # every JOURNEY_* variable, read and checked
        except UnsafeSettings as error:
            console.print(f"[red]Could not start:[/red] {error}", soft_wrap=True)
            raise typer.Exit(SETTINGS_EXIT) from None
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            try:
                prepared = prepare(database, progress=progress)
            except BootstrapError as error:
                console.print(f"[red]Could not start:[/red] {error}", soft_wrap=True)
                code = SETTINGS_EXIT if isinstance(error, DatabaseUnusable) else 1
                raise typer.Exit(code) from None
        if settings.production:
            try:
                refuse_demo_accounts(session_factory(make_engine(prepared.database_url)))
            except UnsafeSettings as error:
                console.print(f"[red]Could not start:[/red] {error}", soft_wrap=True)
                raise typer.Exit(SETTINGS_EXIT) from None
        console.print(f"Database: {prepared.database_url}")
        if prepared.imported_facilities:
            console.print(f"Imported the pilot dataset: {prepared.imported_facilities} facilities")
        for message in prepared.messages:
            console.print(message)
        if prepared.demo:
            _print_demo(console, prepared, host, port, serving=not prepare_only)
        if prepare_only:
            return
        serve(prepared.database_url, host=host, port=port, workers=workers)
