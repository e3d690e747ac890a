"""The shared measures of a park's collective improvement plan (`park_measures.yaml`), validated.

Each measure says what it saves (a fraction of the participating members' baseline), what it
costs (USD per unit of a basis), how its costs and benefits split across members (metered
share, volume, production, equal or headcount) and which member pathway measures, programme
modules and park framework requirements it covers.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from factory_journey.engine.assessment.catalogue import Catalogue, default_catalogue
from factory_journey.engine.assessment.methodology import MethodologyError
from factory_journey.reference.loader import load_yaml

DEFAULT_PARK_MEASURES = "park_measures.yaml"
Certainty = Literal["primary", "secondary", "unverified", "project"]
EffectKind = Literal[
    "electricity_substituted", "thermal_energy", "water_recycled", "waste_diverted", "none"
]
InvestmentBasis = Literal["electricity_kwh", "energy_gj", "water_m3", "park", "member", "worker"]
SplitBasis = Literal["metered", "volume", "production", "equal", "headcount"]

#: The member column each effect is a fraction of (none: no quantity).
EFFECT_BASELINE: dict[str, str | None] = {
    "electricity_substituted": "energy_electric_mj",
    "thermal_energy": "energy_thermal_mj",
    "water_recycled": "wastewater_to_central_m3",
    "waste_diverted": "waste_total_kg",
    "none": None,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Effect(_Strict):
    """What a measure saves: `fraction` (low, high) of the participants' baseline."""

    kind: EffectKind
    fraction: tuple[float, float] = (0.0, 0.0)

    @model_validator(mode="after")
    def _range(self) -> Effect:
        low, high = self.fraction
        if not 0 <= low <= high <= 1:
            raise ValueError("effect fraction must be 0 <= low <= high <= 1")
        if self.kind != "none" and high == 0:
            raise ValueError(f"effect {self.kind!r} needs a fraction above 0")
        return self


class Investment(_Strict):
    """Investment range [USD] per unit of `basis`."""

    basis: InvestmentBasis
    usd: tuple[float, float]

    @model_validator(mode="after")
    def _range(self) -> Investment:
        if not 0 <= self.usd[0] <= self.usd[1]:
            raise ValueError("investment usd must be 0 <= low <= high")
        return self


class Split(_Strict):
    """How costs and benefits divide: shares of `column` among participants (equal: none)."""

    basis: SplitBasis
    column: str | None = None

    @model_validator(mode="after")
    def _column(self) -> Split:
        if (self.basis == "equal") != (self.column is None):
            raise ValueError("split: 'equal' takes no column, every other basis needs one")
        return self


class Covers(_Strict):
    measures: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()


class ParkMeasure(_Strict):
    key: str
    title: str
    area: str
    description: str
    effect: Effect
    investment: Investment
    co2e_basis: str
    split: Split
    covers: Covers
    certainty: Certainty
    source: str
    participants_when: str | None = None


class ParkMeasures(_Strict):
    meta: dict[str, Any]
    split_bases: dict[str, dict[str, str]]
    measures: tuple[ParkMeasure, ...]

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unversioned"))

    @model_validator(mode="after")
    def _consistent(self) -> ParkMeasures:
        keys = [m.key for m in self.measures]
        if len(keys) != len(set(keys)):
            raise ValueError("measure keys must be unique")
        unknown = {m.split.basis for m in self.measures} - set(self.split_bases)
        if unknown:
            raise ValueError(f"split bases {sorted(unknown)} are not described in split_bases")
        return self

    def check_against(self, catalogue: Catalogue) -> list[str]:
        """Problems: covered measures or modules that the programme catalogue does not have."""
        modules = {m.key for m in catalogue.modules}
        measures = {m.key for m in catalogue.measures}
        problems = []
        for m in self.measures:
            problems += [f"measures.{m.key}.covers.measures: unknown measure {k!r}"
                         for k in m.covers.measures if k not in measures]
            problems += [f"measures.{m.key}.covers.modules: unknown module {k!r}"
                         for k in m.covers.modules if k not in modules]
        return problems


def parse_park_measures(document: dict[str, Any], catalogue: Catalogue | None = None
                        ) -> ParkMeasures:
    """Validate a park measures document (and its links to the programme catalogue), raising
    `MethodologyError` with one located message per problem."""
    try:
        parsed = ParkMeasures.model_validate(document)
    except ValidationError as error:
        raise MethodologyError(
            [
                f"{'.'.join(str(p) for p in item['loc']) or '(document)'}: {item['msg']}"
                for item in error.errors()
            ]
        ) from None
    problems = parsed.check_against(catalogue or default_catalogue())
    if problems:
        raise MethodologyError(problems)
    return parsed


@cache
def default_park_measures() -> ParkMeasures:
    """The packaged park measures; one shared, immutable object."""
    return parse_park_measures(load_yaml(DEFAULT_PARK_MEASURES))
