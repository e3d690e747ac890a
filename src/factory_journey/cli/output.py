"""What every long command shows: a progress bar per stage, and input problems in plain words."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rich.console import Console

from factory_journey.domain.problems import Problem
from factory_journey.services.output_formats import SMALL_RESULT_MAX_FACILITY_YEARS

if TYPE_CHECKING:
    from rich.progress import TaskID

#: How many problems a command prints before pointing at the full error report.
PROBLEMS_SHOWN = 30

#: `progress(stage, done, total)`, the callback every service takes.
OnProgress = Callable[[str, int, int], None]


@contextmanager
def staged_progress(
    labels: Mapping[str, str], *, console: Console | None = None, hidden: bool = False
) -> Iterator[OnProgress]:
    """A Rich bar per stage (in the order of `labels`); yields the services' callback.

    Stages a run never reaches are shown empty rather than spinning. `hidden` (for --json)
    shows nothing, so that standard output stays machine-readable.
    """
    # Imported when a bar is shown, not when `journey --help` builds the commands.
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=hidden,
        disable=hidden,
    ) as bar:
        tasks: dict[str, TaskID] = {
            stage: bar.add_task(label, total=None, start=False) for stage, label in labels.items()
        }

        def on_progress(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is not None:
                bar.start_task(task)
                bar.update(task, completed=done, total=max(total, 1))

        try:
            yield on_progress
        finally:
            for task in tasks.values():
                bar.stop_task(task)


def print_problems(
    console: Console, errors: Sequence[Problem], out_dir: Path, not_done: str
) -> None:
    """The input problems that stopped a run: the first few located, then where the rest are."""
    plural = "s" if len(errors) != 1 else ""
    console.print(
        f"[bold red]The dataset has {len(errors)} problem{plural} to fix; {not_done}.[/]"
    )
    for problem in errors[:PROBLEMS_SHOWN]:
        console.print(f"  • {problem.describe()}", markup=False, highlight=False)
    if len(errors) > PROBLEMS_SHOWN:
        console.print(f"  … and {len(errors) - PROBLEMS_SHOWN} more.")
    console.print(f"The full list is in {out_dir / 'errors.txt'} (and errors.csv, .json).")


#: Exit codes of the commands that write an output folder: done, input problems, anything
#: else the user must change (options, an existing --out …).
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def finish_run(
    run: Any, as_json: bool, console: Console, errors: Console, summary: Callable[[], None]
) -> NoReturn:
    """End a command that writes an output folder (`journey assess`, `journey park assess`):
    the run as JSON, or its summary, or its problems in the user's terms; then its exit code
    (`EXIT_OK`, `EXIT_INPUT`, `EXIT_USAGE`). `run` has `ok`,
    `status`, `message`, `problems` and `to_dict()`."""
    import json

    import typer

    if as_json:
        typer.echo(json.dumps(run.to_dict(), indent=2, ensure_ascii=False, default=str))
    elif run.ok:
        summary()
    elif run.status == "input_problems":
        errors.print(f"[bold red]{run.message}[/]", highlight=False)
        for problem in run.problems[:PROBLEMS_SHOWN]:
            errors.print(f"  • {problem.describe()}", markup=False, highlight=False)
    else:
        errors.print(f"[red]{run.message}[/]", highlight=False)
    if run.ok:
        raise typer.Exit(EXIT_OK)
    raise typer.Exit(EXIT_INPUT if run.status == "input_problems" else EXIT_USAGE)


#: Help of the `--methodology` option (no version named here: it would go stale).
METHODOLOGY_HELP = (
    "Methodology YAML replacing the packaged one (docs/methodology.md; results record which "
    "version made them)."
)


def print_methodology_problems(console: Console, messages: Sequence[str]) -> None:
    """Why a methodology file was refused: one located message per line."""
    console.print("[bold red]The methodology file is not valid:[/]")
    for message in messages:
        console.print(f"  • {message}", markup=False, highlight=False)


#: Help of the `--format` option of the commands that write tables.
FORMAT_HELP = (
    "Formats besides Parquet (always written), joined by commas: csv, json, xlsx, or auto: "
    f"all of them when the result has at most {SMALL_RESULT_MAX_FACILITY_YEARS:,} "
    "facility-years, else Parquet only. JSON beyond that size is written as JSON Lines "
    "(.jsonl)."
)


def print_files(console: Console, files: Sequence[str], formats: Mapping[str, object]) -> None:
    """The files a run wrote, then the formats it did not write (or wrote differently) and why;
    formats left out for the same reason share a line."""
    console.print("Files: " + ", ".join(files), highlight=False)
    not_written: dict[str, str] = formats.get("not_written") or {}  # type: ignore[assignment]
    notes: dict[str, str] = formats.get("notes") or {}  # type: ignore[assignment]
    by_reason: dict[str, list[str]] = {}
    for name, reason in not_written.items():
        by_reason.setdefault(reason, []).append(name)
    for reason, names in by_reason.items():
        joined = ",".join(names)
        console.print(f"Not written: {', '.join(names)} ({reason}; --format {joined} writes "
                      f"{'them' if len(names) > 1 else 'it'} anyway).",
                      markup=False, highlight=False)
    for name, note in notes.items():
        console.print(f"{name}: {note}.", markup=False, highlight=False)
