"""The assessment methodology as a validated, typed object (pydantic).

A methodology is data (`reference/data/methodology/<version>.yaml`). This module checks a
parsed document so that a programme operator's replacement file fails with a message that
names the offending key, and never half-works.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from factory_journey.reference.loader import load_yaml

DEFAULT_METHODOLOGY = "methodology/fj-2026.2.yaml"
FACTORY_TYPES: tuple[str, ...] = ("cut_sew", "mill", "vertical", "component", "raw_material")
PEER_LEVELS: tuple[str, ...] = ("country_iso2", "un_subregion", "un_region", "global")

Op = Literal["is_true", "is_false", ">=", ">", "<=", "<", "==", "in"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A test on one matrix column; `{area}` in `column` is replaced by the area key."""

    column: str
    op: Op
    value: Any = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> Condition:
        if self.op in ("is_true", "is_false"):
            return self
        if self.op == "in" and not isinstance(self.value, list):
            raise ValueError(f"op 'in' needs a list value, got {self.value!r}")
        if self.op != "in" and not isinstance(self.value, int | float):
            raise ValueError(f"op {self.op!r} needs a number, got {self.value!r}")
        return self


class Threshold(_Strict):
    """How an indicator is judged: a fixed value, or a percentile of peers."""

    kind: Literal["absolute", "peer"]
    percentile: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _peer_has_percentile(self) -> Threshold:
        if self.kind == "peer" and self.percentile is None:
            raise ValueError("a peer threshold needs a percentile between 0 and 1")
        return self


class Indicator(_Strict):
    """One indicator of an impact area, read from one Data Matrix column."""

    key: str
    column: str
    unit: str
    direction: Literal["lower_is_better", "higher_is_better"]
    threshold: Threshold
    required: bool = False
    requires: tuple[str, ...] = ()
    gap: Literal["relative", "absolute"] = "relative"
    boolean: bool = False
    ordinal: dict[str, int] | None = None
    #: Share of the area's score this indicator carries (relative to the other judged ones).
    weight: float = Field(default=1.0, gt=0)
    #: Worse than its threshold makes the area a high opportunity on its own.
    decisive: bool = False
    reasoning: str = ""


class Area(_Strict):
    """One impact area: its indicators, the rule that makes it high, and why.

    The area's score is the weighted share of its judged indicators that are worse than their
    thresholds (0-1). With `high_at` set, the area is high when the score reaches it or a
    decisive indicator is worse; without it (methodology fj-2026.1), any worse indicator makes
    the area high.
    """

    key: str
    title: str
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    high_at: float | None = Field(default=None, gt=0, le=1)
    seed_topics: tuple[str, ...] = ()
    reasoning: str = ""


class PeerRules(_Strict):
    """Peer groups: minimum size and the widening order of the region levels."""

    min_group_size: int = Field(ge=1)
    levels: tuple[str, ...]
    interpolation: Literal["linear", "nearest", "lower", "higher", "midpoint"] = "linear"
    reasoning: str = ""

    @model_validator(mode="after")
    def _known_levels(self) -> PeerRules:
        unknown = [level for level in self.levels if level not in PEER_LEVELS]
        if unknown or not self.levels:
            raise ValueError(f"peer levels must be among {list(PEER_LEVELS)}, got {unknown}")
        return self


class AbsoluteThreshold(_Strict):
    """One absolute threshold row; `*` matches any factory type, basis or region."""

    indicator: str
    value: float
    factory_type: str = "*"
    basis: Literal["pc", "kg", "*"] = "*"
    region: str = "*"
    certainty: Literal["primary", "secondary", "unverified", "project"]
    source: str


class Stage(_Strict):
    stage: int = Field(ge=1)
    key: str
    title: str
    conditions: tuple[Condition, ...] = ()


class Maturity(_Strict):
    """Maturity stages (cumulative) and per-area replacements of a stage's conditions."""

    stages: tuple[Stage, ...] = Field(min_length=1)
    area_conditions: dict[str, dict[str, tuple[Condition, ...]]] = {}
    reasoning: str = ""


class Weights(_Strict):
    gap: float = Field(ge=0)
    relevance: float = Field(ge=0)
    region: float = Field(ge=0)
    maturity: float = Field(ge=0)


class Priority(_Strict):
    weights: Weights
    default_regional_factor: float = Field(ge=0, le=1)
    relevance: dict[str, dict[str, float]]
    reasoning: str = ""


class Adaptation(_Strict):
    key: str
    areas: tuple[str, ...]
    when: Condition
    regional_factor: float = Field(ge=0, le=1)
    reasoning: str = ""


class Trajectory(_Strict):
    annual_reduction: float = Field(ge=0, le=1)
    baseline_year: int | None = None
    target_year: int
    reasoning: str = ""


class PathwayRules(_Strict):
    max_measures_per_step: int = Field(ge=1)
    reasoning: str = ""


class Methodology(_Strict):
    """A complete, cross-checked methodology document (the YAML without surprises)."""

    meta: dict[str, Any]
    reasoning: str = ""
    peer_rules: PeerRules
    areas: tuple[Area, ...] = Field(min_length=1)
    absolute_thresholds: tuple[AbsoluteThreshold, ...]
    maturity: Maturity
    priority: Priority
    regional_adaptations: tuple[Adaptation, ...] = ()
    trajectory: Trajectory
    pathways: PathwayRules

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "unnamed"))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unversioned"))

    @property
    def label(self) -> str:
        """`name (version)`, recorded in every result row."""
        return f"{self.name} ({self.version})"

    def indicators(self) -> list[tuple[Area, Indicator]]:
        return [(area, ind) for area in self.areas for ind in area.indicators]

    def peer_percentiles(self) -> dict[str, float]:
        """Indicator key → the percentile [0–1] of its peer threshold (peer indicators only)."""
        return {ind.key: ind.threshold.percentile for _area, ind in self.indicators()
                if ind.threshold.kind == "peer" and ind.threshold.percentile is not None}

    @model_validator(mode="after")
    def _cross_check(self) -> Methodology:
        for key in ("name", "version", "source", "certainty"):
            if not str(self.meta.get(key, "") or "").strip():
                raise ValueError(f"meta.{key} is required")
        area_keys = [a.key for a in self.areas]
        if len(set(area_keys)) != len(area_keys):
            raise ValueError(f"area keys repeat: {area_keys}")
        indicator_keys = [i.key for _, i in self.indicators()]
        if len(set(indicator_keys)) != len(indicator_keys):
            raise ValueError(f"indicator keys repeat: {indicator_keys}")
        for row in self.absolute_thresholds:
            if row.indicator not in indicator_keys:
                raise ValueError(f"absolute_thresholds names unknown indicator {row.indicator!r}")
        # Every indicator must be judgeable when peers are too few: demand a catch-all row.
        for key in indicator_keys:
            if not any(
                r.indicator == key and r.factory_type == "*" and r.region == "*"
                for r in self.absolute_thresholds
            ):
                raise ValueError(
                    f"indicator {key!r} needs an absolute threshold with factory_type '*' and "
                    "region '*' (the fallback when no narrower row or peer group applies)"
                )
        weights = self.priority.weights
        total = weights.gap + weights.relevance + weights.region + weights.maturity
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"priority.weights must add up to 1, they add up to {total}")
        if "*" not in self.priority.relevance:
            raise ValueError("priority.relevance needs a '*' row for unknown factory types")
        for ftype, weights_row in self.priority.relevance.items():
            missing = [k for k in area_keys if k not in weights_row]
            if missing:
                raise ValueError(f"priority.relevance.{ftype} lacks areas {missing}")
        for adaptation in self.regional_adaptations:
            unknown = [a for a in adaptation.areas if a not in area_keys]
            if unknown:
                raise ValueError(f"regional adaptation {adaptation.key!r} names areas {unknown}")
        stages = [s.stage for s in self.maturity.stages]
        if stages != list(range(1, len(stages) + 1)):
            raise ValueError(f"maturity stages must be numbered 1, 2, … in order, got {stages}")
        return self


class MethodologyError(ValueError):
    """A methodology document is invalid; `messages` says where and why, one line each."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_methodology(document: dict[str, Any]) -> Methodology:
    """Validate a parsed methodology document, raising `MethodologyError` with located messages."""
    try:
        return Methodology.model_validate(document)
    except ValidationError as error:
        messages = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or "(document)"
            messages.append(f"{where}: {item['msg']}")
        raise MethodologyError(messages) from None


@cache
def default_methodology() -> Methodology:
    """The packaged methodology (fj-2026.2); one shared, immutable object (so that built
    expressions are cached across calls)."""
    return parse_methodology(load_yaml(DEFAULT_METHODOLOGY))
