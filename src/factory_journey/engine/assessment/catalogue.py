"""The programme catalogue: modules (Aii, ZDHC, Cascale offerings) and improvement measures."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from factory_journey.engine.assessment.methodology import Condition, MethodologyError
from factory_journey.reference.loader import load_yaml

DEFAULT_CATALOGUE = "programme_modules.yaml"
Certainty = Literal["primary", "secondary", "unverified", "project"]
EFFECT_KEYS: tuple[str, ...] = (
    "thermal_energy",
    "electric_energy",
    "grid_electricity_substituted",
    "water",
    "scope1",
    "thermal_electrified",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Module(_Strict):
    key: str
    title: str
    owner: str
    offering: str
    areas: tuple[str, ...]
    certainty: Certainty
    source: str
    #: The accepted Join the Journey proposal this module came from (`JJ-<id> v<n>: title, by
    #: organisation`), for modules a platform-built methodology version added.
    proposal: str | None = None


class Investment(_Strict):
    """Investment range [USD] per unit of `basis` (see programme_modules.yaml)."""

    basis: Literal["facility", "energy_gj", "switched_gj", "electricity_kwh", "water_m3"]
    usd: tuple[float, float]


class Measure(_Strict):
    """One concrete measure with typical savings as fractions (low, high) of a baseline."""

    key: str
    title: str
    area: str
    factory_types: tuple[str, ...]
    effects: dict[str, tuple[float, float]]
    investment: Investment
    modules: tuple[str, ...]
    certainty: Certainty
    source: str
    when: tuple[Condition, ...] = ()
    addresses: tuple[str, ...] = ()
    scale_by: str | None = None
    electric_per_thermal: float = Field(default=0.8, gt=0)
    #: The accepted proposal this measure came from (see `Module.proposal`).
    proposal: str | None = None
    #: Maturity stages of its area the measure serves (empty: every stage).
    maturity_stages: tuple[int, ...] = ()

    @model_validator(mode="after")
    def _known_effects(self) -> Measure:
        unknown = [k for k in self.effects if k not in EFFECT_KEYS]
        if unknown:
            raise ValueError(f"measure {self.key!r} has unknown effects {unknown}")
        for key, (low, high) in self.effects.items():
            if not 0 <= low <= high <= 1:
                raise ValueError(f"measure {self.key!r} effect {key} must be 0 <= low <= high <= 1")
        return self

    def applies_to(self, factory_type: str) -> bool:
        return "*" in self.factory_types or factory_type in self.factory_types


class Catalogue(_Strict):
    meta: dict[str, Any]
    modules: tuple[Module, ...]
    area_modules: dict[str, Any]
    measures: tuple[Measure, ...]
    programme_results: dict[str, Any] = {}

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unversioned"))

    def module(self, key: str) -> Module:
        for module in self.modules:
            if module.key == key:
                return module
        raise KeyError(key)

    @model_validator(mode="after")
    def _modules_exist(self) -> Catalogue:
        keys = {m.key for m in self.modules}
        for measure in self.measures:
            unknown = [m for m in measure.modules if m not in keys]
            if unknown:
                raise ValueError(f"measure {measure.key!r} names unknown modules {unknown}")
        for area, value in self.area_modules.items():
            names = value if isinstance(value, list) else [value] if isinstance(value, str) else []
            unknown = [m for m in names if m not in keys]
            if unknown:
                raise ValueError(f"area_modules.{area} names unknown modules {unknown}")
        return self

    def proposal_of(self, key: str) -> str | None:
        """The proposal a module or measure `key` came from, or None (packaged entries)."""
        for module in self.modules:
            if module.key == key and module.proposal:
                return module.proposal
        for measure in self.measures:
            if measure.key == key and measure.proposal:
                return measure.proposal
        return None

    def modules_for(self, area: str) -> list[str]:
        value = self.area_modules.get(area, [])
        return [str(v) for v in value] if isinstance(value, list) else []


def parse_catalogue(document: dict[str, Any]) -> Catalogue:
    """Validate a parsed catalogue document, raising `MethodologyError` with located messages."""
    try:
        return Catalogue.model_validate(document)
    except ValidationError as error:
        raise MethodologyError(
            [
                f"{'.'.join(str(p) for p in item['loc']) or '(document)'}: {item['msg']}"
                for item in error.errors()
            ]
        ) from None


@cache
def default_catalogue() -> Catalogue:
    """The packaged programme catalogue; one shared, immutable object."""
    return parse_catalogue(load_yaml(DEFAULT_CATALOGUE))
