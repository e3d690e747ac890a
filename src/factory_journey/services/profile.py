"""Use cases on facility profile files, shared by the CLI and the web.

Validate a profile file, show it normalised, list each facility's verification checklist,
write a blank template. Nothing here prints; bad input comes back as problems, never as an
exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factory_journey.domain.problems import Problem, ProblemList, Severity
from factory_journey.domain.profile import FacilityProfile
from factory_journey.domain.site_checklist import ChecklistItem, facility_checklist
from factory_journey.ingest.profile_reader import ProfileReadResult, read_profiles
from factory_journey.ingest.profile_template import write_template
from factory_journey.services.dataset_template import template_for
from factory_journey.services.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    NO_SUCH_LANGUAGE,
    supported_language,
)

TEMPLATE_FORMATS: tuple[str, ...] = ("xlsx", "csv")


@dataclass(slots=True)
class ProfileValidation:
    """The outcome of validating one profile file."""

    file: str
    result: ProfileReadResult

    @property
    def ok(self) -> bool:
        """True when the file holds at least one profile and no error (warnings allowed)."""
        return self.result.ok

    @property
    def problems(self) -> ProblemList:
        return self.result.problems

    @property
    def profiles(self) -> list[FacilityProfile]:
        return self.result.profiles

    def counts(self) -> dict[str, int]:
        """Profiles read, errors and warnings."""
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        return {"profiles": len(self.profiles), "errors": errors,
                "warnings": len(self.problems) - errors}


def validate_profile_file(path: str | Path, sheet: str | None = None) -> ProfileValidation:
    """Read and validate the profiles in `path` (.csv, .xlsx or .json)."""
    return ProfileValidation(Path(path).name, read_profiles(path, sheet=sheet))


def validation_report(validation: ProfileValidation) -> dict[str, Any]:
    """A JSON-ready report: file, valid, counts and every problem."""
    return {
        "file": validation.file,
        "valid": validation.ok,
        **validation.counts(),
        "problems": [p.to_dict() for p in validation.problems],
    }


def profile_json(profile: FacilityProfile) -> dict[str, Any]:
    """One profile normalised (keys, ISO codes, checked IDs) as JSON-ready data."""
    return profile.model_dump(mode="json")


def profiles_document(validation: ProfileValidation) -> dict[str, Any]:
    """`{"profiles": [...]}` of the valid profiles: itself a valid profile JSON file."""
    return {"profiles": [profile_json(p) for p in validation.profiles]}


def profile_checklists(validation: ProfileValidation) -> list[dict[str, Any]]:
    """Per valid profile: facility, year and its verification checklist items."""
    out: list[dict[str, Any]] = []
    for profile in validation.profiles:
        items: list[ChecklistItem] = facility_checklist(profile)
        out.append({
            "facility_id": profile.facility_id,
            "facility_name": profile.facility_name,
            "year": profile.year,
            "items": [item.to_dict() for item in items],
        })
    return out


def write_profile_template(
    path: str | Path, fmt: str, language: str = DEFAULT_LANGUAGE
) -> tuple[Path | None, list[Problem]]:
    """Write a blank template; returns the path, or None and the problem that stopped it
    (nothing is written then).

    `language` is a platform language (`en`, `vi`, `zh` …, as the pages accept it). In English
    the .xlsx is the Higg FEM template (guidance with each column's FEM question, unit and
    verification documents, which are English only); in another language it is the facility
    pages' profile template (`dataset_template.template_for`): the same `profiles` sheet and
    columns, its guidance and cell prompts in that language. A CSV is its header row alone:
    column names, the same in every language."""
    lang = supported_language(language)
    if lang is None:
        return None, [Problem(NO_SUCH_LANGUAGE, value=language,
                              accepted=", ".join(LANGUAGES), code="invalid")]
    target = Path(path)
    if fmt not in TEMPLATE_FORMATS:
        return None, [Problem("unknown template format", value=fmt,
                              accepted=", ".join(TEMPLATE_FORMATS), code="invalid")]
    if target.suffix.lower() != f".{fmt}":
        return None, [Problem(f"the output file must end in .{fmt}", file=target.name,
                              value=target.suffix, accepted=f".{fmt}", code="invalid")]
    if not target.parent.exists():
        return None, [Problem("the output folder does not exist", file=str(target.parent),
                              code="not_found")]
    try:
        if fmt == "xlsx" and lang != DEFAULT_LANGUAGE:
            target.write_bytes(template_for("profile", lang))
            return target, []
        return write_template(target, fmt), []
    except OSError as error:
        return None, [Problem(f"the template could not be written: {error.strerror}",
                              file=str(target), code="write_failed")]
