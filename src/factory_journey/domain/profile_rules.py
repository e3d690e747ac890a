"""Cross-field rules of the FEM Site Information, as polars expressions over many profiles.

`profile_rule_checks()` lists every rule as a `RuleCheck`: a boolean expression true on the
rows that break it, with its message, value and accepted text as expressions too, so a
million facility-years are checked in one pass (one implementation for one profile or many).
The rules read the typed profile frame of `ingest.profile_reader`: the columns of
`PROFILES` with list columns as `list[str]` of keys, `sitecountry` as ISO alpha-2 and each
`sipfacilityannualprodvol_<key>` as the quantity given. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from factory_journey.domain import fem_enums
from factory_journey.domain.os_hub_id import ALPHABET, LENGTH
from factory_journey.domain.problems import Severity
from factory_journey.domain.profile import (
    ADDITIONAL,
    MATERIAL_TYPE_TYPES,
    PRODUCT_CATEGORY_TYPES,
    PRODVOL,
    PROFILES,
    SUB_QUESTIONS,
)
from factory_journey.domain.tables import Column
from factory_journey.reference.plausibility import BOUNDS_FILE, quantity_bound

#: What a column accepts, in words (`accepted_text`): the kind of value, then its range and
#: its values set into a shape. The platform's words, which the pages translate on their own
#: (services/problem_templates reads every `*_PROBLEM_WORDS` constant).
ACCEPTED_KIND_PROBLEM_WORDS: dict[str, str] = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "yes or no (yes/no/true/false/1/0/y/n)",
    "date": "a date YYYY-MM-DD (or YYYY-MM)",
    "list": "one or more values separated by ;",
}
ACCEPTED_PROBLEM_WORDS: dict[str, str] = {
    "range": "{kind} from {low} to {high}",
    "minimum": "{kind} ≥ {low}",
    "values": "{kind}: {values}",
}


def accepted_text(column: Column) -> str:
    """What a column accepts, in words (type, range, enumeration)."""
    words = ACCEPTED_KIND_PROBLEM_WORDS[column.type]
    if column.minimum is not None and column.maximum is not None:
        words = ACCEPTED_PROBLEM_WORDS["range"].format(
            kind=words, low=f"{column.minimum:g}", high=f"{column.maximum:g}")
    elif column.minimum is not None:
        words = ACCEPTED_PROBLEM_WORDS["minimum"].format(kind=words, low=f"{column.minimum:g}")
    if isinstance(column.enum, tuple):
        words = ACCEPTED_PROBLEM_WORDS["values"].format(kind=words, values=", ".join(column.enum))
    elif isinstance(column.enum, str):
        words = ACCEPTED_PROBLEM_WORDS["values"].format(
            kind=words, values=fem_enums.enumeration(column.enum).accepted())
    return words


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """Rows where `bad` holds get a problem about `column`.

    `message`, `value` and `accepted` are expressions evaluated on those rows only (so a
    message may name the row's own facility types or year); `summary` words the count of
    rows beyond those listed one by one.
    """

    bad: pl.Expr
    column: str
    message: pl.Expr
    code: str
    summary: str
    value: pl.Expr | None = None
    accepted: pl.Expr | None = None
    severity: Severity = Severity.ERROR


def _text(value: str) -> pl.Expr:
    return pl.lit(value, pl.String)


def _labels(types: str = "sipfacilitytype") -> pl.Expr:
    """`A + B`: the labels of the row's facility types."""
    labels = fem_enums.enumeration(fem_enums.FACILITY_TYPES).labels
    return (
        pl.col(types)
        .list.eval(pl.element().replace_strict(labels, default=pl.element()))
        .list.join(" + ")
    )


def _has_type(key: str) -> pl.Expr:
    return pl.col("sipfacilitytype").list.contains(key).fill_null(False)


def _has_any_type(keys: tuple[str, ...]) -> pl.Expr:
    return pl.any_horizontal(_has_type(key) for key in keys)


def present(column: Column) -> pl.Expr:
    """True where a typed profile column holds an answer (non-empty text or list)."""
    expr = pl.col(column.name)
    if column.type == "list":
        return (expr.list.len() > 0).fill_null(False)
    if column.type == "str":
        return (expr.str.strip_chars() != "").fill_null(False)
    return expr.is_not_null()


def _applicability() -> list[RuleCheck]:
    labels = fem_enums.enumeration(fem_enums.FACILITY_TYPES).labels
    checks: list[RuleCheck] = []
    for column, allowed in (
        ("sipproductcategories", PRODUCT_CATEGORY_TYPES),
        ("sipmaterialtype", MATERIAL_TYPE_TYPES),
    ):
        applies_to = " / ".join(labels[t] for t in allowed)
        checks.append(RuleCheck(
            bad=present(PROFILES.column(column)) & ~_has_any_type(allowed),
            column=column,
            message=pl.format(
                f"{column} applies only to facility types {applies_to}, and this facility is "
                "{}", _labels()),
            code="not_applicable",
            summary=f"{column} applies only to facility types {applies_to}",
            value=pl.col(column).list.join("; "),
            accepted=_text(f"empty for this facility, or add one of {', '.join(allowed)} to "
                           "sipfacilitytype"),
        ))
    return checks


def _volumes() -> list[RuleCheck]:
    labels = fem_enums.enumeration(fem_enums.FACILITY_TYPES).labels
    checks: list[RuleCheck] = []
    for key in fem_enums.facility_types():
        volume = f"{PRODVOL}_{key}"
        checks.append(RuleCheck(
            bad=pl.col(volume).is_not_null() & ~_has_type(key),
            column=volume,
            message=_text(f"annual volume given for {labels[key]}, which is not among the "
                          "facility types"),
            code="not_applicable",
            summary=f"annual volume given for {labels[key]}, which is not among the "
            "facility types",
            value=pl.col(volume),
            accepted=_text(f"empty, or add {key} to sipfacilitytype"),
        ))
    for key in fem_enums.facility_types():
        volume = f"{PRODVOL}_{key}"
        text = (f"no annual volume for facility type {labels[key]}: intensities for it cannot "
                "be computed")
        checks.append(RuleCheck(
            bad=_has_type(key) & pl.col(volume).is_null(),
            column=volume,
            message=_text(text),
            code="missing_volume",
            summary=text,
            accepted=_text("the shipped/sold volume, rejects excluded"),
            severity=Severity.WARNING,
        ))
    return checks


def _sub_answers() -> list[RuleCheck]:
    checks: list[RuleCheck] = []
    for parent, subs in SUB_QUESTIONS.items():
        answer = pl.col(parent)
        for name in dict.fromkeys(subs.values()):
            if name not in PROFILES.column_names:
                continue  # nested programmes: JSON only, checked with the nested form
            column = PROFILES.column(name)
            def said(unanswered: bool, name: str = name, parent: str = parent) -> pl.Expr:
                # whole sentences, not "No" or "not answered" set in one: each is translated
                # on the pages (services/problem_templates)
                return _text(
                    f"{name} is a sub-answer of {parent}, which is not answered: sub-answers "
                    "are given only after Yes" if unanswered else
                    f"{name} is a sub-answer of {parent}, which is No: sub-answers are given "
                    "only after Yes")

            checks.append(RuleCheck(
                bad=present(column) & ~answer.fill_null(False),
                column=name,
                message=pl.when(answer.is_null()).then(said(True)).otherwise(said(False)),
                code="sub_answer_without_yes",
                summary=f"{name} is a sub-answer of {parent}: sub-answers are given only "
                "after Yes",
                value=None if column.type == "list" else pl.col(name),
                accepted=_text(f"empty, or answer Yes to {parent}"),
            ))
    return checks


#: A Yes and the sub-answer it asks for: parent → sub-answer column.
_WANTED_SUB_ANSWERS: dict[str, str] = {
    "sip_has_osh_id": "sip_osh_id",
    "sipfreshwaterpretreatused": "sipfreshwaterpretreatused_types",
    "sipincludedindiscolsure": "sipincludedindiscolsure_platform",
}
#: A Yes whose sub-answer is missing, by parent: whole sentences (each translated on the
#: pages: `*_MESSAGES` constants are found by services/problem_sources).
MISSING_SUB_ANSWER_MESSAGES: dict[str, str] = {
    "sip_has_osh_id": "sip_has_osh_id is Yes but the Open Supply Hub ID is missing",
    "sipfreshwaterpretreatused": "sipfreshwaterpretreatused is Yes but the treatment type is "
                                 "missing",
    "sipincludedindiscolsure": "sipincludedindiscolsure is Yes but the platform is missing",
}


def _wanted_sub_answers() -> list[RuleCheck]:
    checks: list[RuleCheck] = []
    for parent, name in _WANTED_SUB_ANSWERS.items():
        column = PROFILES.column(name)
        text = MISSING_SUB_ANSWER_MESSAGES[parent]
        checks.append(RuleCheck(
            bad=pl.col(parent).fill_null(False) & ~present(column),
            column=name,
            message=_text(text),
            code="missing_sub_answer",
            summary=text,
            accepted=_text(accepted_text(column)),
            severity=Severity.WARNING,
        ))
    other = "platform is Other but sipincludedindiscolsure_other does not describe it"
    checks.append(RuleCheck(
        bad=(pl.col("sipincludedindiscolsure_platform") == "other").fill_null(False)
        & ~present(PROFILES.column("sipincludedindiscolsure_other")),
        column="sipincludedindiscolsure_other",
        message=_text(other),
        code="missing_sub_answer",
        summary=other,
        accepted=_text("a short description"),
        severity=Severity.WARNING,
    ))
    return checks


def _os_hub_country() -> RuleCheck:
    prefix = pl.col("sip_osh_id").str.slice(0, 2)
    return RuleCheck(
        bad=(prefix != pl.col("sitecountry")).fill_null(False),
        column="sip_osh_id",
        message=pl.format("the Open Supply Hub ID starts with {} but the facility is in {}",
                          prefix, pl.col("sitecountry")),
        code="osh_country",
        summary="the Open Supply Hub ID starts with another country than the facility's",
        value=pl.col("sip_osh_id"),
        accepted=pl.format("an ID starting with {}", pl.col("sitecountry")),
        severity=Severity.WARNING,
    )


def _training_year() -> list[RuleCheck]:
    trained, year = pl.col("sipapprovedtraining_year"), pl.col("year")
    return [
        RuleCheck(
            bad=(trained > year + 1).fill_null(False),
            column="sipapprovedtraining_year",
            message=pl.format("training year {} is after the self-assessment of reporting "
                              "year {}", trained, year),
            code="training_year",
            summary="the training year is after the self-assessment of the reporting year",
            value=trained,
            accepted=pl.format("a year up to {}", year + 1),
        ),
        RuleCheck(
            bad=(trained < year - 1).fill_null(False),
            column="sipapprovedtraining_year",
            message=pl.format("training in {} is more than 24 months before the "
                              "self-assessment of reporting year {}", trained, year),
            code="training_year",
            summary="the training is more than 24 months before the self-assessment",
            value=trained,
            accepted=pl.format("{} or later, or answer No", year - 1),
            severity=Severity.WARNING,
        ),
    ]


#: The quantities and the people the rules name inside their messages ("{what} beyond the
#: hard limit of one facility", "more {who} than employees"): the platform's own words, not
#: the user's, so the pages translate each of them on its own (services/problem_templates
#: reads every `*_PROBLEM_WORDS` constant). `{label}` is a facility type's FEM name.
QUANTITY_PROBLEM_WORDS: dict[str, str] = {
    "volume": "annual volume of {label}",
    "sam": "total SAM of {label}",
    "employees": "number of employees",
}
COUNTED_PROBLEM_WORDS: dict[str, str] = {
    "sipfreshwaterpretreatused_operators": "water treatment operators",
    "sipapprovedtraining_attendees": "training attendees",
}


def _words(value: float) -> str:
    return f"{value:,.0f}" if abs(value) < 1e9 else f"{value:.3g}"


def _bounded(column: str, canonical: pl.Expr, key: str, what: str,
             value: pl.Expr | None = None, per: str = " a year") -> list[RuleCheck]:
    """A hard limit (error) and a soft range (warning) of plausibility_bounds.yaml on the
    canonical value `canonical` of `column` [the bound's unit]; `value` shows the cell."""
    bound = quantity_bound(key)
    unit = bound.unit
    hard = f"at most {_words(bound.hard_max)} {unit}{per}"
    soft = (f"usually {_words(bound.soft_min)} to {_words(bound.soft_max)} {unit}{per} "
            f"({BOUNDS_FILE})")
    value = pl.col(column) if value is None else value
    refused = (canonical > bound.hard_max) | ~canonical.is_finite()
    return [
        RuleCheck(
            bad=refused.fill_null(False),
            column=column,
            message=_text(f"{what} beyond the hard limit of one facility (physically "
                          "impossible, or too large to compute)"),
            code="implausible_quantity",
            summary=f"{what} beyond the hard limit of one facility",
            value=value,
            accepted=_text(hard),
        ),
        RuleCheck(
            bad=(~refused & ((canonical > bound.soft_max) | (canonical < bound.soft_min)))
            .fill_null(False),
            column=column,
            message=_text(f"unusual {what}, please check (outside the plausible range of "
                          "one facility; accepted)"),
            code="unusual_quantity",
            summary=f"unusual {what}, please check",
            value=value,
            accepted=_text(soft),
            severity=Severity.WARNING,
        ),
    ]


def _plausibility() -> list[RuleCheck]:
    """Production volumes and employees held to plausibility_bounds.yaml. Volumes are read
    in their FEM unit (`production_volume_<key>` [pcs or kg], after unit conversion)."""
    checks: list[RuleCheck] = []
    for key, info in fem_enums.facility_types().items():
        bound = "production_pcs" if info.production_unit == "pcs" else "production_kg"
        column = f"{PRODVOL}_{key}"
        given = pl.concat_str(pl.col(column).cast(pl.String), pl.lit(" "),
                              pl.col(f"{column}_unit").fill_null(info.production_unit))
        checks += _bounded(column, pl.col(f"production_volume_{key}"), bound,
                           QUANTITY_PROBLEM_WORDS["volume"].format(label=info.label), given)
    employees = pl.col("siptotalnumemployees").cast(pl.Float64)
    checks += _bounded("siptotalnumemployees", employees, "employees",
                       QUANTITY_PROBLEM_WORDS["employees"], per="")
    # "soft_min 1" is meant for a producing facility: no employees and a volume is unusual,
    # no employees and no volume (a closed year) is not.
    producing = pl.any_horizontal(
        (pl.col(f"production_volume_{k}") > 0).fill_null(False)
        for k in fem_enums.facility_types())
    last = checks[-1]
    checks[-1] = RuleCheck(**{**{n: getattr(last, n) for n in RuleCheck.__slots__},
                              "bad": last.bad & ((employees >= 1) | producing)})
    return checks


def _additional_option() -> list[RuleCheck]:
    """The FEM's additional option adds the year's volume in another unit beside the volume
    in the FEM unit; SAM is the year's TOTAL (Σ SAM per piece × pieces shipped), so it is
    at least one minute per piece, and it is held to the plausibility bounds."""
    checks: list[RuleCheck] = []
    for key, info in fem_enums.facility_types().items():
        if not info.additional_units:
            continue
        additional = f"{PRODVOL}_{key}{ADDITIONAL}"
        unit = pl.col(f"{additional}_unit")
        text = (f"an additional quantity for {info.label} without its volume in "
                f"{info.production_unit}, which the FEM requires")
        checks.append(RuleCheck(
            bad=(pl.col(additional).is_not_null() & pl.col(f"{PRODVOL}_{key}").is_null())
            .fill_null(False),
            column=f"{PRODVOL}_{key}",
            message=_text(text),
            code="missing_volume",
            summary=text,
            accepted=_text(f"the shipped/sold volume in {info.production_unit}, beside the "
                           "additional option"),
            severity=Severity.WARNING,
        ))
        sam = pl.when(unit == "SAM").then(pl.col(additional))
        if info.production_unit == "pcs":
            pieces = pl.col(f"production_volume_{key}")
            text = ("the total SAM is less than one minute per piece shipped: report the "
                    "year's TOTAL SAM (Σ SAM per piece × pieces), not one product's SAM")
            checks.append(RuleCheck(
                bad=(sam < pieces).fill_null(False),
                column=additional,
                message=_text(text),
                code="sam_not_total",
                summary=text,
                value=pl.col(additional),
                accepted=pl.format("at least {} (1 SAM per piece)", pieces),
                severity=Severity.WARNING,
            ))
        checks += _bounded(additional, sam, "production_sam",
                           QUANTITY_PROBLEM_WORDS["sam"].format(label=info.label))
    return checks


def _operating_days() -> list[RuleCheck]:
    """The seed counts each operating day as 1 or 0.5 (under 50 % of hours or workers): the
    total is whole and half days, at most the days of the reporting year."""
    days, year = pl.col("sipoperatingdays"), pl.col("year")
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    in_year = pl.when(leap).then(pl.lit(366)).otherwise(pl.lit(365))
    return [
        RuleCheck(
            bad=((days * 2) != (days * 2).round(0)).fill_null(False),
            column="sipoperatingdays",
            message=_text("operating days are counted in whole and half days (a day with "
                          "under 50 % of hours or workers counts 0.5)"),
            code="operating_days_halves",
            summary="operating days are counted in whole and half days",
            value=days,
            accepted=_text("a multiple of 0.5, e.g. 287 or 287.5"),
        ),
        RuleCheck(
            bad=(days > in_year).fill_null(False),
            column="sipoperatingdays",
            message=pl.format("more operating days than the {} days of reporting year {}",
                              in_year, year),
            code="operating_days_year",
            summary="more operating days than the reporting year has",
            value=days,
            accepted=pl.format("at most {}", in_year),
        ),
    ]


def _counts() -> list[RuleCheck]:
    """Counts the seed ties together: an audit answered Yes is one or more audits; water
    treatment operators and training attendees are employees of the facility."""
    employees = pl.col("siptotalnumemployees")
    checks = [RuleCheck(
        bad=(pl.col("sipaudit").fill_null(False) & (pl.col("sipaudit_count") < 1))
        .fill_null(False),
        column="sipaudit_count",
        message=_text("sipaudit is Yes (one or more assessments/audits in the year) but the "
                      "number of audits is 0"),
        code="audit_count",
        summary="sipaudit is Yes but the number of audits is 0",
        value=pl.col("sipaudit_count"),
        accepted=_text("1 or more, or answer No to sipaudit"),
    )]
    for name, who in COUNTED_PROBLEM_WORDS.items():
        checks.append(RuleCheck(
            bad=(pl.col(name) > employees).fill_null(False),
            column=name,
            message=pl.format(f"more {who} ({{}}) than employees ({{}})", pl.col(name),
                              employees),
            code="more_than_employees",
            summary=f"more {who} than employees",
            value=pl.col(name),
            accepted=pl.format("at most siptotalnumemployees ({})", employees),
            severity=Severity.WARNING,
        ))
    return checks


def profile_rule_checks() -> list[RuleCheck]:
    """Every cross-field rule of the Site Information, errors and warnings, in FEM order:
    applicability of categories and material types, operating days (whole and half days
    within the year), volumes per facility type, plausibility of volumes and employees,
    sub-answers only after Yes (and wanted after Yes), audit and people counts, the OS Hub
    ID's country, the training year."""
    return [
        *_applicability(),
        *_operating_days(),
        *_volumes(),
        *_plausibility(),
        *_additional_option(),
        *_sub_answers(),
        *_wanted_sub_answers(),
        *_counts(),
        _os_hub_country(),
        *_training_year(),
    ]


def os_hub_id_normalised_expr(text: pl.Expr) -> pl.Expr:
    """Vectorised `os_hub_id.normalise_os_hub_id`: upper case, spaces and hyphens removed."""
    return text.str.replace_all(r"[\s\-]+", "").str.to_uppercase()


def os_hub_id_valid_expr(normalised: pl.Expr) -> pl.Expr:
    """True where a normalised OS Hub ID passes every check of `os_hub_id.parse_os_hub_id`
    (shape, alphabet, creation date, check character), vectorised for millions of IDs.

    `parse_os_hub_id` stays the one place that words what is wrong: run it on the distinct
    IDs this marks False."""
    index = {char: position for position, char in enumerate(ALPHABET)}
    letters = {chr(code): code for code in range(ord("A"), ord("Z") + 1)}

    def char(position: int) -> pl.Expr:
        return normalised.str.slice(position, 1)

    shape = normalised.str.contains(f"^[A-Z]{{2}}[0-9]{{7}}[{ALPHABET}]{{6}}$")
    year = normalised.str.slice(2, 4).cast(pl.Int32, strict=False)
    day = normalised.str.slice(6, 3).cast(pl.Int32, strict=False)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = pl.when(leap).then(pl.lit(366)).otherwise(pl.lit(365))
    date = year.is_between(2000, 2100) & (day >= 1) & (day <= days)
    total = pl.sum_horizontal(
        *(char(i).replace_strict(letters, default=None, return_dtype=pl.Int32)
          for i in (0, 1)),
        *(char(i).replace_strict(index, default=None, return_dtype=pl.Int32)
          for i in range(2, LENGTH - 1)),
    )
    expected = (total % len(ALPHABET)).replace_strict(
        dict(enumerate(ALPHABET)), default=None, return_dtype=pl.String)
    return (shape & date & (char(LENGTH - 1) == expected)).fill_null(False)
