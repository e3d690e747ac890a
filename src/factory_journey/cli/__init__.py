"""The `journey` command: Typer commands with Rich output, thin over `factory_journey.services`.

Each command group lives in its own module and registers itself here. No command shows a
Python traceback to a user: input problems are printed located and in plain words, and an
unexpected failure prints one line and where the details were written.
"""

from __future__ import annotations

import sys
import traceback

import typer

from factory_journey import __version__

# `allocator` first (imports run in this order): it sets Polars' allocator options, which
# are read when Polars is loaded (cli/allocator.py; tests/cli/test_allocator.py).
from factory_journey.cli import (
    allocator,  # noqa: F401
    assess_cmd,
    collector,
    committee_cmd,
    demo_cmd,
    evaluate_cmd,
    explain_cmd,
    matrix_cmd,
    open_data_cmd,
    park_cmd,
    peers_cmd,
    profile_cmd,
    report_cmd,
    run_cmd,
    serve_cmd,
)
from factory_journey.cli.crash_log import write_crash_log
from factory_journey.services.output_dir import OutputExistsError

app = typer.Typer(
    name="journey",
    help="Factory Journey: one Data Matrix, tailored thresholds and improvement pathways "
    "for apparel, footwear, textile and leather facilities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journey {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Factory Journey command line."""
    collector.resume()  # every command works with the collector on (cli/collector.py)


# In the order a newcomer meets them: the main job first, then each step on its own.
run_cmd.register(app)
profile_cmd.register(app)
demo_cmd.register(app)
matrix_cmd.register(app)
assess_cmd.register(app)
explain_cmd.register(app)
report_cmd.register(app)
evaluate_cmd.register(app)
serve_cmd.register(app)
peers_cmd.register(app)
park_cmd.register(app)
open_data_cmd.register(app)
committee_cmd.register(app)


def main() -> None:
    """Entry point of the `journey` script."""
    collector.start()  # no collections while the command and its services load
    try:
        _run()
    finally:
        collector.stop()


def _run() -> None:
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing was left half-written.", err=True)
        sys.exit(130)
    except OutputExistsError as error:  # e.g. another run took the --out folder meanwhile
        typer.echo(str(error), err=True)
        sys.exit(2)
    except Exception:  # the last guard: a user never sees a traceback
        log = write_crash_log(traceback.format_exc())
        typer.echo(
            f"journey stopped on an unexpected error; details are in {log}. "
            "Please report it with that file.",
            err=True,
        )
        sys.exit(70)
