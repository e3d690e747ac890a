"""Validation of a facility profile: field checks, then the FEM's cross-field rules.

`validate_profile(record)` never raises for bad input: it returns the profile (or None) and
every problem found, each with the column it concerns, the value and what is accepted. The
caller (a reader) adds file, sheet and row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from factory_journey.domain import fem_enums
from factory_journey.domain.problems import Problem, Severity
from factory_journey.domain.profile import (
    MATERIAL_TYPE_TYPES,
    PRODUCT_CATEGORY_TYPES,
    PRODVOL,
    PROFILES,
    SUB_QUESTIONS,
    FacilityProfile,
)
from factory_journey.domain.tables import Column


def accepted_text(column: Column) -> str:
    """What a column accepts, in words (type, range, enumeration)."""
    words = {
        "str": "text",
        "int": "a whole number",
        "float": "a number",
        "bool": "yes or no (yes/no/true/false/1/0/y/n)",
        "date": "a date YYYY-MM-DD (or YYYY-MM)",
        "list": "one or more values separated by ;",
    }[column.type]
    if column.minimum is not None and column.maximum is not None:
        words += f" from {column.minimum:g} to {column.maximum:g}"
    elif column.minimum is not None:
        words += f" ≥ {column.minimum:g}"
    if isinstance(column.enum, tuple):
        words += ": " + ", ".join(column.enum)
    elif isinstance(column.enum, str):
        words += ": " + fem_enums.enumeration(column.enum).accepted()
    return words


def _column_of(loc: tuple[int | str, ...], ctx: Mapping[str, Any]) -> str | None:
    if "column" in ctx:
        return str(ctx["column"])
    if not loc:
        return None
    head = str(loc[0])
    if head == PRODVOL and len(loc) >= 3:
        suffix = "_unit" if loc[2] == "unit" else ""
        return f"{PRODVOL}_{loc[1]}{suffix}"
    if head == "sipindustryprograms_programmes" and len(loc) >= 3:
        return f"{head}[{int(loc[1]) + 1}].{loc[2]}"
    return head


def _accepted_for(column: str | None, ctx: Mapping[str, Any]) -> str | None:
    if "accepted" in ctx:
        return str(ctx["accepted"])
    if column is None:
        return None
    try:
        return accepted_text(PROFILES.column(column))
    except KeyError:
        return None


def _message(error: Mapping[str, Any], column: str | None) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required value is missing"
    if kind == "extra_forbidden":
        return f"unknown field {column!r}"
    if kind == "too_short" and column == "sipfacilitytype":
        return "at least one facility type is required"
    text = str(error["msg"])
    # pydantic's wording ("Value error, …", "Input should be …") made plain for a user.
    return text.removeprefix("Value error, ").replace("Input should be", "must be")


def problems_from_validation_error(error: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into located problems (column, value, accepted)."""
    problems: list[Problem] = []
    for item in error.errors():
        ctx = item.get("ctx") or {}
        column = _column_of(tuple(item["loc"]), ctx)
        value = item.get("input")
        if isinstance(value, dict | list) or item["type"] == "missing":
            value = None
        problems.append(
            Problem(
                message=_message(item, column),
                column=column,
                value=value,
                accepted=_accepted_for(column, ctx),
                code=str(item["type"]),
            )
        )
    return problems


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def profile_rule_problems(profile: FacilityProfile) -> list[Problem]:
    """Cross-field rules of the FEM Site Information, as problems (errors and warnings)."""
    problems: list[Problem] = []
    types = set(profile.sipfacilitytype)
    labels = fem_enums.enumeration(fem_enums.FACILITY_TYPES).labels

    def only_for(column: str, allowed: tuple[str, ...]) -> None:
        if getattr(profile, column) and not types & set(allowed):
            problems.append(Problem(
                f"{column} applies only to facility types "
                f"{' / '.join(labels[t] for t in allowed)}, and this facility is "
                f"{' + '.join(labels[t] for t in profile.sipfacilitytype)}",
                column=column, value="; ".join(getattr(profile, column)),
                accepted=f"empty for this facility, or add one of {', '.join(allowed)} to "
                "sipfacilitytype", code="not_applicable"))

    only_for("sipproductcategories", PRODUCT_CATEGORY_TYPES)
    only_for("sipmaterialtype", MATERIAL_TYPE_TYPES)

    for key, volume in profile.sipfacilityannualprodvol.items():
        if key not in types:
            problems.append(Problem(
                f"annual volume given for {labels[key]}, which is not among the facility types",
                column=f"{PRODVOL}_{key}", value=volume.quantity,
                accepted=f"empty, or add {key} to sipfacilitytype", code="not_applicable"))
    for key in profile.sipfacilitytype:
        if key not in profile.sipfacilityannualprodvol:
            problems.append(Problem(
                f"no annual volume for facility type {labels[key]}: intensities for it cannot "
                "be computed", column=f"{PRODVOL}_{key}",
                accepted="the shipped/sold volume, rejects excluded",
                code="missing_volume", severity=Severity.WARNING))

    for parent, subs in SUB_QUESTIONS.items():
        answer = getattr(profile, parent)
        for column in dict.fromkeys(subs.values()):
            value = getattr(profile, column)
            if _present(value) and answer is not True:
                said = "not answered" if answer is None else "No"
                problems.append(Problem(
                    f"{column} is a sub-answer of {parent}, which is {said}: sub-answers are "
                    "given only after Yes",
                    column=column, value=value if not isinstance(value, list) else None,
                    accepted=f"empty, or answer Yes to {parent}", code="sub_answer_without_yes"))

    def want(parent: str, column: str, what: str) -> None:
        if getattr(profile, parent) is True and not _present(getattr(profile, column)):
            problems.append(Problem(
                f"{parent} is Yes but {what} is missing", column=column,
                accepted=accepted_text(PROFILES.column(column)), code="missing_sub_answer",
                severity=Severity.WARNING))

    want("sip_has_osh_id", "sip_osh_id", "the Open Supply Hub ID")
    want("sipfreshwaterpretreatused", "sipfreshwaterpretreatused_types", "the treatment type")
    want("sipincludedindiscolsure", "sipincludedindiscolsure_platform", "the platform")
    if (profile.sipincludedindiscolsure_platform == "other"
            and not profile.sipincludedindiscolsure_other):
        problems.append(Problem(
            "platform is Other but sipincludedindiscolsure_other does not describe it",
            column="sipincludedindiscolsure_other", accepted="a short description",
            code="missing_sub_answer", severity=Severity.WARNING))

    if profile.sip_osh_id and profile.sip_osh_id[:2] != profile.sitecountry:
        problems.append(Problem(
            f"the Open Supply Hub ID starts with {profile.sip_osh_id[:2]} but the facility is "
            f"in {profile.sitecountry}", column="sip_osh_id", value=profile.sip_osh_id,
            accepted=f"an ID starting with {profile.sitecountry}", code="osh_country",
            severity=Severity.WARNING))

    training_year = profile.sipapprovedtraining_year
    if training_year is not None:
        if training_year > profile.year + 1:
            problems.append(Problem(
                f"training year {training_year} is after the self-assessment of reporting "
                f"year {profile.year}", column="sipapprovedtraining_year", value=training_year,
                accepted=f"a year up to {profile.year + 1}", code="training_year"))
        elif training_year < profile.year - 1:
            problems.append(Problem(
                f"training in {training_year} is more than 24 months before the "
                f"self-assessment of reporting year {profile.year}",
                column="sipapprovedtraining_year", value=training_year,
                accepted=f"{profile.year - 1} or later, or answer No", code="training_year",
                severity=Severity.WARNING))
    for number, programme in enumerate(profile.sipindustryprograms_programmes, start=1):
        start, end = programme.start_date, programme.end_date
        if start and end and end < start:
            problems.append(Problem(
                "programme end date is before its start date",
                column=f"sipindustryprograms_programmes[{number}].end_date",
                value=end.isoformat(), accepted="a date after the start date",
                code="date_order"))
    return problems


def _rules_without(
    record: Mapping[str, Any], error: ValidationError, reported: list[Problem]
) -> list[Problem]:
    """Rule problems of the record with its bad fields left out, so that one pass reports
    both kinds; nothing when a required field was among the bad ones."""
    bad = {str(item["loc"][0]) for item in error.errors() if item["loc"]}
    rest = {k: v for k, v in record.items() if k not in bad}
    try:
        partial = FacilityProfile.model_validate(rest)
    except ValidationError:
        return []
    seen = {p.column for p in reported}
    return [p for p in profile_rule_problems(partial) if p.column not in seen]


def validate_profile(
    record: Mapping[str, Any],
) -> tuple[FacilityProfile | None, list[Problem]]:
    """Validate one profile record (field names = Ref IDs); the profile is None on any error.

    Returns the profile with warnings only, or None with every error found: field errors
    first; the cross-field rules run once the fields are valid.
    """
    try:
        profile = FacilityProfile.model_validate(dict(record))
    except ValidationError as error:
        problems = problems_from_validation_error(error)
        return None, problems + _rules_without(record, error, problems)
    problems = profile_rule_problems(profile)
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return profile, problems
