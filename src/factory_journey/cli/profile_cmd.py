"""`journey profile …`: validate, show, checklist and template of facility profile files.

Thin over `factory_journey.services.profile`: reading and rules live there and below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from factory_journey.cli.output import EXIT_USAGE
from factory_journey.domain.problems import Problem, Severity
from factory_journey.services.options import REPORT_LANGUAGES

# The service (ingest, openpyxl) is imported inside each command, so that `journey --help` and
# every other command start without it (issue 14).

profile_app = typer.Typer(
    name="profile",
    help="Facility profiles (Higg FEM Site Information): validate, show, checklist, template.",
    no_args_is_help=True,
)

FileArg = typer.Argument(..., help="Profile file: .csv, .xlsx (sheet 'profiles') or .json.")
SheetOpt = typer.Option(None, "--sheet", help="Sheet of an .xlsx workbook (default: profiles).")


def _print_problems(problems: list[Problem], err: bool = False) -> None:
    for problem in problems:
        mark = "ERROR" if problem.severity is Severity.ERROR else "warning"
        typer.echo(f"{mark}: {problem.describe()}", err=err)


def _dump(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@profile_app.command("validate")
def validate(
    file: Path = FileArg,
    as_json: bool = typer.Option(False, "--json", help="Print a machine-readable report."),
    sheet: str | None = SheetOpt,
) -> None:
    """Check a profile file and print every problem; exit 0 when valid, 1 otherwise."""
    from factory_journey.services import profile as service

    validation = service.validate_profile_file(file, sheet=sheet)
    if as_json:
        _dump(service.validation_report(validation))
    else:
        _print_problems(list(validation.problems))
        counts = validation.counts()
        verdict = "valid" if validation.ok else "NOT valid"
        typer.echo(
            f"{validation.file}: {verdict} — {counts['profiles']} profile(s), "
            f"{counts['errors']} error(s), {counts['warnings']} warning(s)"
        )
    raise typer.Exit(0 if validation.ok else 1)


@profile_app.command("show")
def show(
    file: Path = FileArg,
    as_json: bool = typer.Option(True, "--json/--text", help="JSON (default) or a summary."),
    sheet: str | None = SheetOpt,
) -> None:
    """Print the normalised profiles (JSON: itself a valid profile file); problems on stderr."""
    from factory_journey.services import profile as service

    validation = service.validate_profile_file(file, sheet=sheet)
    _print_problems(list(validation.problems), err=True)
    if as_json:
        _dump(service.profiles_document(validation))
    else:
        for item in service.profiles_document(validation)["profiles"]:
            types = ", ".join(item["sipfacilitytype"])
            typer.echo(f"{item['facility_id']} {item['year']} {item['sitecountry']}: {types}")
    raise typer.Exit(0 if validation.ok else 1)


@profile_app.command("checklist")
def checklist(
    file: Path = FileArg,
    as_json: bool = typer.Option(False, "--json", help="Print the checklists as JSON."),
    sheet: str | None = SheetOpt,
) -> None:
    """Print the verification checklist of each facility (applicable questions only)."""
    from factory_journey.services import profile as service

    validation = service.validate_profile_file(file, sheet=sheet)
    _print_problems(list(validation.problems), err=True)
    lists = service.profile_checklists(validation)
    if as_json:
        _dump(lists)
    for facility in [] if as_json else lists:
        name = f" ({facility['facility_name']})" if facility["facility_name"] else ""
        typer.echo(f"== {facility['facility_id']}{name}, reporting year {facility['year']}")
        for item in facility["items"]:
            note = "" if item["verified_2024"] else "  [not verified in the 2024 cadence]"
            typer.echo(f"- {item['ref_id']}: {item['question']}{note}")
            typer.echo(f"    answer: {json.dumps(item['answer'], default=str)}")
            for sub in item["sub_questions"]:
                typer.echo(f"    · {sub['question']} → {json.dumps(sub['answer'], default=str)}")
            for label, key in (("documents", "documents"), ("interview", "interview"),
                               ("inspect", "inspect")):
                for text in item[key]:
                    typer.echo(f"    {label}: {text}")
    raise typer.Exit(0 if validation.ok else 1)


@profile_app.command("template")
def template(
    fmt: str = typer.Option("xlsx", "--format", help="xlsx (drop-downs, guidance) or csv."),
    out: Path = typer.Option(..., "--out", help="File to write (.xlsx or .csv)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    language: str = typer.Option(
        "en", "--language", "--lang", help="Language of the guidance and the cells' prompts: "
        f"{', '.join(REPORT_LANGUAGES)} (the pages' and reports'). English has the Higg FEM "
        "questions and verification documents; another language is the web's profile "
        "template. Sheets and columns are the same in every language."),
) -> None:
    """Write a blank profile template with Ref-ID headers."""
    from factory_journey.services import profile as service

    if out.exists() and not force:
        typer.echo(f"ERROR: {out} exists; use --force to overwrite it.", err=True)
        raise typer.Exit(1)
    path, problems = service.write_profile_template(out, fmt.lower(), language)
    if path is None:
        _print_problems(problems, err=True)
        usage = any(problem.message == service.NO_SUCH_LANGUAGE for problem in problems)
        raise typer.Exit(EXIT_USAGE if usage else 1)
    typer.echo(f"Template written to {path}")


def register(app: typer.Typer) -> None:
    """Add the `profile` command group to `app`."""
    app.add_typer(profile_app, name="profile")
