"""What a Join the Journey proposal says: the pathway it serves and its measures (pure, typed).

A proposal describes a capacity-building pathway: the impact areas, journey factory types,
countries and maturity stages it serves; the provider or programme that delivers it; its
measures with typical savings (fractions of a facility's annual baseline, the same effects as
the programme catalogue), investment [USD per unit of `basis`] and the evidence for them; and
its expected impact. `check_proposal_content` answers every fault at once, each located
(`measures.1.effects.water`) and in words a proposer can act on. The content is what an
accepted proposal adds to a methodology version (`extension.py`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factory_journey.engine.assessment.catalogue import EFFECT_KEYS
from factory_journey.engine.assessment.methodology import FACTORY_TYPES, Methodology
from factory_journey.reference.countries import resolve_country

Basis = Literal["facility", "energy_gj", "switched_gj", "electricity_kwh", "water_m3"]
#: Maturity stages of the methodology (1 awareness … 4 leading, verified).
STAGES: tuple[int, ...] = (1, 2, 3, 4)
MAX_MEASURES = 10


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ProposedInvestment(_Strict):
    """Typical investment [USD per unit of `basis`]: per facility, per GJ/yr saved, …"""

    basis: Basis
    usd_low: float = Field(ge=0, le=1e9)
    usd_high: float = Field(ge=0, le=1e9)


class ProposedMeasure(_Strict):
    """One measure: typical savings as fractions (low, high) of a facility's annual baseline.

    `effects` keys: thermal_energy, electric_energy, grid_electricity_substituted, water,
    scope1 (the CO2e of on-site combustion), thermal_electrified; each [low, high] in 0-1.
    `addresses`: the methodology's indicator keys the measure improves (its area's).
    """

    title: str = Field(min_length=3, max_length=200)
    area: str
    addresses: tuple[str, ...] = Field(min_length=1, max_length=10)
    effects: dict[str, tuple[float, float]] = Field(default_factory=dict)
    investment: ProposedInvestment
    evidence: str = Field(min_length=10, max_length=4000)
    certainty: Literal["primary", "secondary", "unverified"] = "unverified"


class ProposalContent(_Strict):
    """One version of a proposal as the proposer wrote it."""

    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=10, max_length=8000)
    provider: str = Field(min_length=2, max_length=200)
    impact_areas: tuple[str, ...] = Field(min_length=1, max_length=7)
    factory_types: tuple[str, ...] = Field(min_length=1, max_length=6)
    regions: tuple[str, ...] = Field(min_length=1, max_length=250)
    maturity_stages: tuple[int, ...] = Field(min_length=1, max_length=4)
    measures: tuple[ProposedMeasure, ...] = Field(min_length=1, max_length=MAX_MEASURES)
    expected_impact: str = Field(min_length=10, max_length=8000)

    @field_validator("regions")
    @classmethod
    def _upper(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().upper() if v.strip() != "*" else "*" for v in value)


class ProposalContentError(ValueError):
    """The content is not acceptable; `problems` is `[(where, message)]`, every fault."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{where}: {message}" for where, message in problems))
        self.problems = problems


def _pydantic_problems(error: ValidationError) -> list[tuple[str, str]]:
    out = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(proposal)"
        out.append((where, _words(item)))
    return out


def _words(item: Any) -> str:
    """A pydantic error in a proposer's words (never the value sent)."""
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of a proposal"
    if kind in ("string_too_short", "too_short"):
        return f"needs at least {ctx.get('min_length')} {_unit(kind)}"
    if kind in ("string_too_long", "too_long"):
        return f"takes at most {ctx.get('max_length')} {_unit(kind)}"
    if kind == "literal_error":
        return f"accepted: {ctx.get('expected')}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return str(item["msg"]).replace("Input", "the value").lower()
    return str(item["msg"])


def _unit(kind: str) -> str:
    return "characters" if kind.startswith("string") else "entries"


def check_proposal_content(document: Any, methodology: Methodology) -> ProposalContent:
    """`document` as a `ProposalContent` checked against `methodology`'s areas and indicators,
    or `ProposalContentError` naming every fault."""
    try:
        content = ProposalContent.model_validate(document)
    except ValidationError as error:
        raise ProposalContentError(_pydantic_problems(error)) from None
    problems: list[tuple[str, str]] = []
    areas = {a.key: {i.key for i in a.indicators} for a in methodology.areas}
    for area in content.impact_areas:
        if area not in areas:
            problems.append(("impact_areas", f"{area!r} is not an impact area; accepted: "
                             f"{', '.join(areas)}"))
    allowed_types = {*FACTORY_TYPES, "*"}
    for ftype in content.factory_types:
        if ftype not in allowed_types:
            problems.append(("factory_types", f"{ftype!r} is not a journey factory type; "
                             f"accepted: {', '.join(FACTORY_TYPES)} or * for every type"))
    for region in content.regions:
        found = resolve_country(region) if len(region) == 2 else None
        if region != "*" and (found is None or found.iso2 != region):
            problems.append(("regions", f"{region!r} is not an ISO 3166-1 two-letter country "
                             "code (e.g. VN, BD) or * for every country"))
    for stage in content.maturity_stages:
        if stage not in STAGES:
            problems.append(("maturity_stages", f"{stage} is not a maturity stage; accepted: "
                             "1 (awareness), 2 (baseline), 3 (targets and tracking), 4 (leading)"))
    for n, measure in enumerate(content.measures, start=1):
        where = f"measures.{n}"
        if measure.area not in content.impact_areas:
            problems.append((f"{where}.area", f"{measure.area!r} is not among the proposal's "
                             "impact areas"))
        for key in measure.addresses:
            if key not in areas.get(measure.area, set()):
                problems.append((f"{where}.addresses", f"{key!r} is not an indicator of area "
                                 f"{measure.area!r}; accepted: "
                                 f"{', '.join(sorted(areas.get(measure.area, set())))}"))
        for key, (low, high) in measure.effects.items():
            if key not in EFFECT_KEYS:
                problems.append((f"{where}.effects.{key}", "is not a saving the engine "
                                 f"computes; accepted: {', '.join(EFFECT_KEYS)}"))
            elif not 0 <= low <= high <= 1:
                problems.append((f"{where}.effects.{key}", "needs [low, high] as fractions of "
                                 "the annual baseline with 0 <= low <= high <= 1 (5 % = 0.05)"))
        if measure.investment.usd_low > measure.investment.usd_high:
            problems.append((f"{where}.investment", "usd_low is larger than usd_high"))
    if problems:
        raise ProposalContentError(problems)
    return content
