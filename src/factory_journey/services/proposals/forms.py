"""The web pages' forms of a proposal and of a review, turned into what the use cases take.

A form is `{field: [values]}` (every value as typed). Percentages are typed as people write
them (5 for 5 %) and stored as fractions; a number that cannot be read is a located problem,
never dropped, and the page shows the form again with what was typed. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from factory_journey.engine.assessment import default_methodology
from factory_journey.engine.assessment.catalogue import EFFECT_KEYS
from factory_journey.services.proposals.rubric import rubric

Form = Mapping[str, Sequence[str]]
#: Measures a proposal form shows (the API takes up to 10).
FORM_MEASURES = 3
#: Savings a proposal form asks for, as percentages of the annual baseline.
FORM_EFFECTS: tuple[str, ...] = ("thermal_energy", "electric_energy", "water", "scope1")
INVESTMENT_BASES: tuple[str, ...] = (
    "facility", "energy_gj", "switched_gj", "electricity_kwh", "water_m3"
)
assert set(FORM_EFFECTS) <= set(EFFECT_KEYS)


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return str(values[-1]).strip()


def _many(form: Form, name: str) -> list[str]:
    return [str(v).strip() for v in form.get(name) or [] if str(v).strip()]


@dataclass(frozen=True)
class Parsed:
    """What a form said (`content`), and the values that could not be read (`problems`)."""

    content: dict[str, Any]
    problems: list[tuple[str, str]]


def _number(text: str, where: str, problems: list[tuple[str, str]], what: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        problems.append((where, f"{text!r} is not a number; write {what}"))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append((where, f"{text!r} is not a number; write {what}"))
        return None
    return value


def proposal_from_form(form: Form) -> Parsed:
    """A proposal's content from the proposal form; empty fields are left out (a draft)."""
    problems: list[tuple[str, str]] = []
    content: dict[str, Any] = {}
    for name in ("title", "summary", "provider", "expected_impact"):
        if _one(form, name):
            content[name] = _one(form, name)
    for name in ("impact_areas", "factory_types"):
        if _many(form, name):
            content[name] = _many(form, name)
    regions = [r.strip().upper() for r in _one(form, "regions").replace(";", ",").split(",")]
    if any(regions):
        content["regions"] = [r for r in regions if r]
    stages = []
    for text in _many(form, "maturity_stages"):
        value = _number(text, "maturity_stages", problems, "a stage from 1 to 4")
        if value is not None:
            stages.append(int(value))
    if stages:
        content["maturity_stages"] = stages
    measures = []
    for n in range(1, FORM_MEASURES + 1):
        measure = _measure_from_form(form, n, problems)
        if measure:
            measures.append(measure)
    if measures:
        content["measures"] = measures
    return Parsed(content, problems)


def _measure_from_form(form: Form, n: int, problems: list[tuple[str, str]]) -> dict[str, Any]:
    prefix = f"measure_{n}_"
    where = f"measures.{n}"
    measure: dict[str, Any] = {}
    for name in ("title", "area", "evidence", "certainty"):
        if _one(form, prefix + name):
            measure[name] = _one(form, prefix + name)
    if _many(form, prefix + "addresses"):
        measure["addresses"] = _many(form, prefix + "addresses")
    effects: dict[str, list[float]] = {}
    for key in FORM_EFFECTS:
        low = _number(_one(form, f"{prefix}{key}_low"), f"{where}.effects.{key}", problems,
                      "a percentage such as 5 or 12.5")
        high = _number(_one(form, f"{prefix}{key}_high"), f"{where}.effects.{key}", problems,
                       "a percentage such as 5 or 12.5")
        if low is not None or high is not None:
            low = high if low is None else low
            high = low if high is None else high
            assert low is not None and high is not None
            effects[key] = [low / 100, high / 100]
    if effects:
        measure["effects"] = effects
    basis = _one(form, prefix + "basis")
    usd_low = _number(_one(form, prefix + "usd_low"), f"{where}.investment", problems,
                      "an amount in USD such as 5000")
    usd_high = _number(_one(form, prefix + "usd_high"), f"{where}.investment", problems,
                       "an amount in USD such as 5000")
    if basis or usd_low is not None or usd_high is not None:
        measure["investment"] = {"basis": basis or "facility"}
        if usd_low is not None:
            measure["investment"]["usd_low"] = usd_low
        if usd_high is not None:
            measure["investment"]["usd_high"] = usd_high
    # The selects of an empty slot still send their first option: a slot is a measure only
    # when something of its own was written.
    written = {"title", "area", "addresses", "evidence", "effects"} & set(measure)
    if not written and usd_low is None and usd_high is None:
        return {}
    if "effects" not in measure:
        measure["effects"] = {}
    return measure


def form_values(content: dict[str, Any]) -> dict[str, str | list[str]]:
    """The proposal form's fields filled from stored content (percentages as people write)."""
    values: dict[str, str | list[str]] = {}
    for name in ("title", "summary", "provider", "expected_impact"):
        values[name] = str(content.get(name, "") or "")
    for name in ("impact_areas", "factory_types"):
        values[name] = [str(v) for v in content.get(name) or []]
    values["regions"] = ", ".join(str(v) for v in content.get("regions") or [])
    values["maturity_stages"] = [str(v) for v in content.get("maturity_stages") or []]
    for n, measure in enumerate(content.get("measures") or [], start=1):
        if not isinstance(measure, dict) or n > FORM_MEASURES:
            continue
        prefix = f"measure_{n}_"
        for name in ("title", "area", "evidence", "certainty"):
            values[prefix + name] = str(measure.get(name, "") or "")
        values[prefix + "addresses"] = [str(v) for v in measure.get("addresses") or []]
        for key, pair in (measure.get("effects") or {}).items():
            if isinstance(pair, list | tuple) and len(pair) == 2:
                values[f"{prefix}{key}_low"] = f"{float(pair[0]) * 100:g}"
                values[f"{prefix}{key}_high"] = f"{float(pair[1]) * 100:g}"
        investment = measure.get("investment") or {}
        values[prefix + "basis"] = str(investment.get("basis", "") or "")
        for name in ("usd_low", "usd_high"):
            if investment.get(name) is not None:
                values[prefix + name] = f"{float(investment[name]):g}"
    return values


def form_choices() -> dict[str, Any]:
    """The choices a proposal form offers: areas with their indicators, factory types, stages,
    investment bases, effects; each key with its English name (`choice_names`), which a page
    shows in its reader's language."""
    from factory_journey.engine.assessment.methodology import FACTORY_TYPES

    methodology = default_methodology()
    names = choice_names()
    return {
        "areas": [(a.key, names["areas"][a.key]) for a in methodology.areas],
        "indicators": [(names["areas"][a.key], i.key, names["indicators"][i.key])
                       for a in methodology.areas for i in a.indicators],
        "factory_types": [(k, names["factory_types"][k]) for k in FACTORY_TYPES],
        "stages": [(s.stage, s.title) for s in methodology.maturity.stages],
        "bases": list(INVESTMENT_BASES),
        "effects": list(FORM_EFFECTS),
        "measures": list(range(1, FORM_MEASURES + 1)),
    }


def choice_names() -> dict[str, dict[str, str]]:
    """English names of the keys a proposal holds (areas, factory types, maturity stages by
    number, indicators), in the words of the facility report (`reports.labels`), so that a
    proposer reads "Cut and sew" and "Water recycled or reused", not `cut_sew` and
    `water_recycled_reused_share`. A key without a name keeps its key."""
    from factory_journey.engine.assessment.methodology import FACTORY_TYPES
    from factory_journey.reports.labels import AREAS, INDICATORS
    from factory_journey.reports.labels import FACTORY_TYPES as TYPE_NAMES

    methodology = default_methodology()
    return {
        "areas": {a.key: AREAS.get(a.key, a.title) for a in methodology.areas},
        "factory_types": {k: TYPE_NAMES.get(k, k) for k in FACTORY_TYPES},
        "stages": {str(s.stage): s.title for s in methodology.maturity.stages},
        "indicators": {i.key: INDICATORS.get(i.key, i.key)
                       for a in methodology.areas for i in a.indicators},
    }


def name_messages() -> dict[str, str]:
    """Every name of `choice_names` → the file that defines it (relative to the package), for
    the proposal pages' catalogue (web/pages/catalogues.DATA_MESSAGES)."""
    return {name: "reports/labels.py" for names in choice_names().values()
            for name in names.values()}


def review_from_form(form: Form) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The keyword arguments of `reviewing.add_review` from the review form, and the scores
    that could not be read."""
    problems: list[tuple[str, str]] = []
    conflict = _one(form, "conflict_of_interest") == "yes"
    scores: dict[str, Any] = {}
    if not conflict:
        for key in rubric().sub_keys():
            text = _one(form, f"score:{key}")
            if text:
                value = _number(text, f"scores.{key}", problems, "a whole number from 1 to 5")
                if value is not None:
                    scores[key] = int(value) if value == int(value) else value
    comments = {
        c.key: _one(form, f"comment:{c.key}") for c in rubric().criteria
        if _one(form, f"comment:{c.key}")
    }
    if _one(form, "comment:general"):
        comments["general"] = _one(form, "comment:general")
    return {
        "conflict_of_interest": conflict,
        "conflict_statement": _one(form, "conflict_statement"),
        "scores": scores,
        "comments": comments,
        "recommendation": (_one(form, "recommendation") or None) if not conflict else None,
    }, problems
