"""The schema of a park framework file (`reference/data/park_frameworks/<id>.yaml`), validated.

A park framework is data, like the assessment methodology: pillars, each with requirements; a
requirement has a definition, a unit, a test (against a park indicator of `journey park assess`
or an answer of the park questionnaire), a prerequisite flag, the evidence it needs and its
source. An *overlay* (e.g. a national eco-industrial-park regulation) is a framework file of
`kind: overlay` that `extends` a base framework and adds requirements (to the base's pillars or
to pillars of its own); it applies to parks of the countries it names.

How a requirement is judged (engine/parks/scoring.py), given the park-year's value:
- `kind: indicator` — the value is the park indicator `indicator` (docs/park-data-format.md,
  "park_indicators"); met when `value <op> met`; else partly met when `partly` is given and
  `value <op> partly`; else not met. No value (null, or the indicator is missing) → not assessed.
- `kind: questionnaire` — the value is the answer to question `question` of the park
  questionnaire. A yes/partly/no question: yes → met, partly → partly met, no → not met. A
  number question is compared like an indicator. No answer, or `unknown` → not assessed.
  A requirement with `evidence_required: true` whose answer is yes or partly but names no
  evidence is judged one step lower (met → partly met, partly met → not met).

Pillar score (what anyone can recompute from requirement_results and this file):
  score = (met + partly_met_credit × partly_met) / (met + partly_met + not_met)
over the pillar's requirements that are NOT prerequisites; null when none was judged.
Prerequisites are counted apart (prerequisites_met of prerequisites, none judged = null).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Comparison = Literal[">=", ">", "<=", "<", "=="]
Certainty = Literal["primary", "secondary", "unverified", "project"]
AnswerKind = Literal["yes_partly_no", "number"]

#: Judgement of a requirement, in this order everywhere (outputs, reports).
RESULTS: tuple[str, ...] = ("met", "partly_met", "not_met", "not_assessed")


class FrameworkError(ValueError):
    """A framework file that cannot be used; `messages` name every offending key."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FrameworkMeta(_Strict):
    """Provenance and identity: every result records `id` and `version`."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    version: str
    kind: Literal["framework", "overlay"] = "framework"
    #: overlay only: the `id` of the framework it adds to
    extends: str | None = None
    #: overlay only: ISO 3166-1 alpha-2 codes of the parks' countries it applies to
    countries: tuple[str, ...] = ()
    source: str
    licence: str
    vintage: str
    units: str
    certainty: Certainty
    attribution: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _overlay_names_its_base(self) -> FrameworkMeta:
        if self.kind == "overlay" and (not self.extends or not self.countries):
            raise ValueError("an overlay needs `extends` (the base framework id) and `countries`")
        if self.kind == "framework" and (self.extends or self.countries):
            raise ValueError("`extends` and `countries` are for overlays (kind: overlay)")
        return self


class Scoring(_Strict):
    """How a pillar score counts a partly met requirement."""

    partly_met_credit: float = Field(default=0.5, ge=0.0, le=1.0)


class Question(_Strict):
    """One question of the park questionnaire (park_questionnaire.question_id)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    text: str
    answer_kind: AnswerKind = "yes_partly_no"
    #: number questions: the unit the answer is given in
    unit: str | None = None


class Test(_Strict):
    """What decides a requirement: a park indicator or a questionnaire answer."""

    kind: Literal["indicator", "questionnaire"]
    #: kind indicator: a key of park_indicators (docs/park-data-format.md)
    indicator: str | None = None
    #: kind questionnaire: a question id of this file's (or the base framework's) questions
    question: str | None = None
    #: indicator, or number question: the comparison and the thresholds
    comparison: Comparison | None = None
    met: float | None = None
    partly: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> Test:
        if self.kind == "indicator":
            if not self.indicator or self.question:
                raise ValueError("an indicator test names `indicator` (and no `question`)")
            if self.comparison is None or self.met is None:
                raise ValueError("an indicator test needs `comparison` and `met`")
        if self.kind == "questionnaire" and (not self.question or self.indicator):
            raise ValueError("a questionnaire test names `question` (and no `indicator`)")
        if (self.comparison is None) != (self.met is None):
            raise ValueError("`comparison` and `met` go together")
        if self.partly is not None and self.met is None:
            raise ValueError("`partly` needs `met`")
        return self


class Requirement(_Strict):
    """One requirement of a pillar."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str
    definition: str
    unit: str | None = None
    prerequisite: bool = False
    test: Test
    evidence: str
    evidence_required: bool = False
    source: str
    certainty: Certainty


class Pillar(_Strict):
    """A group of requirements with its own score (park management, environment, …)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    requirements: tuple[Requirement, ...]


class Framework(_Strict):
    """A whole framework (or overlay) file."""

    meta: FrameworkMeta
    scoring: Scoring = Scoring()
    questions: tuple[Question, ...] = ()
    pillars: tuple[Pillar, ...]

    @model_validator(mode="after")
    def _ids_unique(self) -> Framework:
        seen: set[str] = set()
        for pillar in self.pillars:
            for requirement in pillar.requirements:
                if requirement.id in seen:
                    raise ValueError(f"requirement id {requirement.id!r} is given twice")
                seen.add(requirement.id)
        keys = [p.key for p in self.pillars]
        if len(keys) != len(set(keys)):
            raise ValueError("a pillar key is given twice")
        questions = [q.id for q in self.questions]
        if len(questions) != len(set(questions)):
            raise ValueError("a question id is given twice")
        return self

    @property
    def version_label(self) -> str:
        """`<id> <version>`, as every result records it."""
        return f"{self.meta.id} {self.meta.version}"


def parse_framework(document: Any, label: str = "framework") -> Framework:
    """A parsed YAML document checked against the schema; `FrameworkError` names each fault."""
    if not isinstance(document, dict):
        raise FrameworkError([f"{label}: the file must be a YAML mapping with meta:, pillars:"])
    try:
        return Framework.model_validate(document)
    except ValidationError as error:
        raise FrameworkError([
            f"{label}: {'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
            for e in error.errors()
        ]) from None


def with_overlays(base: Framework, overlays: list[Framework]) -> Framework:
    """The base framework with each overlay's requirements added (same pillar key: appended
    to the base pillar; a new key: a pillar of its own) and questions joined.

    Raises `FrameworkError` when an overlay extends another framework or reuses an id."""
    pillars = {p.key: list(p.requirements) for p in base.pillars}
    titles = {p.key: p.title for p in base.pillars}
    questions = {q.id: q for q in base.questions}
    ids = {r.id for p in base.pillars for r in p.requirements}
    problems: list[str] = []
    for overlay in overlays:
        if overlay.meta.extends != base.meta.id:
            problems.append(f"overlay {overlay.meta.id!r} extends {overlay.meta.extends!r}, "
                            f"not {base.meta.id!r}")
            continue
        for question in overlay.questions:
            if question.id in questions and questions[question.id] != question:
                problems.append(f"overlay {overlay.meta.id!r}: question {question.id!r} differs "
                                "from the base framework's")
            questions[question.id] = question
        for pillar in overlay.pillars:
            titles.setdefault(pillar.key, pillar.title)
            for requirement in pillar.requirements:
                if requirement.id in ids:
                    problems.append(f"overlay {overlay.meta.id!r}: requirement id "
                                    f"{requirement.id!r} is already used")
                ids.add(requirement.id)
                pillars.setdefault(pillar.key, []).append(requirement)
    if problems:
        raise FrameworkError(problems)
    return base.model_copy(update={
        "questions": tuple(questions.values()),
        "pillars": tuple(Pillar(key=k, title=titles[k], requirements=tuple(r))
                         for k, r in pillars.items()),
    })


def unknown_questions(framework: Framework) -> list[str]:
    """Requirement ids whose questionnaire test names a question the framework lacks."""
    known = {q.id for q in framework.questions}
    return [r.id for p in framework.pillars for r in p.requirements
            if r.test.kind == "questionnaire" and r.test.question not in known]
