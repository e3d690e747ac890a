"""Evaluation rules as data: the typed form of `reference/data/evaluation/<version>.yaml`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from factory_journey.reference import load_yaml

DEFAULT_RULES = "fj-eval-2026.1"

Direction = Literal["lower_is_better", "higher_is_better"]
ChangeKind = Literal["relative", "absolute"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaRule(_Strict):
    """How improvement is judged in one impact area.

    `improved` completes "N % of facilities …" in a headline. `noise_band` is a fraction of
    the baseline [1] for `change="relative"` and a difference in the indicator's unit for
    `change="absolute"`; a change inside the band is "held".
    """

    label: str
    improved: str = ""
    indicator: str
    unit: str
    direction: Direction
    change: ChangeKind
    noise_band: float = Field(ge=0)
    completeness_column: str | None = None
    months_column: str | None = None
    min_months_reported: int | None = Field(default=None, ge=1, le=12)
    annualise_partial_years: bool = False
    verified_share_column: str | None = None
    disputed_tables: tuple[str, ...] = ()
    same_factory_type_required: bool = True
    same_basis_required: bool = False
    derived_count_of_areas: tuple[str, ...] = ()
    derived_flags: tuple[str, ...] = ()

    @property
    def change_unit(self) -> str:
        """Unit of a change: % of baseline, percentage points (shares) or the count's unit."""
        if self.change == "relative":
            return "% of baseline"
        return "count" if self.derived_count_of_areas else "percentage points"


class GroupRule(_Strict):
    """A participation group: first matching rule wins.

    `all_of` programmes all active and none of `none_of`; `any` = at least one programme;
    `none` = no programme at all (the control group).
    """

    key: str
    label: str
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    any: bool = False
    none: bool = False


class BootstrapRule(_Strict):
    """Resampling of facilities within groups: replicates, generator seed, confidence [1]."""

    replicates: int = Field(ge=100, le=100_000)
    seed: int
    confidence: float = Field(gt=0.5, lt=1.0)


class EvaluationRules(_Strict):
    """The whole evaluation rule set of one version."""

    name: str
    version: str
    default_cycle_years: int
    allowed_cycle_years: tuple[int, ...]
    areas: dict[str, AreaRule]
    exclude_disputed: bool
    min_verified_share: float = Field(ge=0, le=1)
    groups: tuple[GroupRule, ...]
    control_group: str
    min_group_size: int = Field(ge=2)
    bootstrap: BootstrapRule

    @model_validator(mode="after")
    def _control_is_a_group(self) -> EvaluationRules:
        keys = [g.key for g in self.groups]
        if self.control_group not in keys:
            raise ValueError(f"control_group {self.control_group!r} is not one of {keys}")
        if len(set(keys)) != len(keys):
            raise ValueError("participation group keys must be unique")
        if self.default_cycle_years not in self.allowed_cycle_years:
            raise ValueError("default_cycle_years must be one of allowed_cycle_years")
        return self

    @property
    def group_keys(self) -> tuple[str, ...]:
        return tuple(g.key for g in self.groups)

    def group_label(self, key: str) -> str:
        for group in self.groups:
            if group.key == key:
                return group.label
        return key


def rules_from_document(document: dict[str, Any]) -> EvaluationRules:
    """Build rules from a parsed YAML document (the reference file's layout)."""
    meta = document.get("meta", {})
    cycles = document.get("cycles", {})
    quality = document.get("data_quality", {})
    participation = document.get("participation", {})
    estimation = document.get("estimation", {})
    return EvaluationRules(
        name=str(meta.get("name", "")),
        version=str(meta.get("version", "")),
        default_cycle_years=cycles.get("default_cycle_years", 1),
        allowed_cycle_years=tuple(cycles.get("allowed_cycle_years", (1, 2, 3))),
        areas={k: AreaRule(**v) for k, v in document.get("areas", {}).items()},
        exclude_disputed=quality.get("exclude_disputed", True),
        min_verified_share=quality.get("min_verified_share", 0.0),
        groups=tuple(GroupRule(**g) for g in participation.get("groups", ())),
        control_group=participation.get("control_group", "control"),
        min_group_size=estimation.get("min_group_size", 5),
        bootstrap=BootstrapRule(**estimation.get("bootstrap", {})),
    )


def load_evaluation_rules(name: str = DEFAULT_RULES) -> EvaluationRules:
    """The packaged evaluation rules `name` (file `evaluation/<name>.yaml`)."""
    return rules_from_document(load_yaml(f"evaluation/{name}.yaml"))
