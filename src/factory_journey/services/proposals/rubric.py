"""The committee's rubric and decision rule (reference data: proposals/review_rubric.yaml).

`check_review` turns what a reviewer sent into scores and comments per sub-criterion, or names
every fault; `decide` applies the versioned decision rule to the reviews of one version.
Pure: no database here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from factory_journey.reference.loader import load_yaml

RUBRIC_FILE = "proposals/review_rubric.yaml"


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    title: str
    sub_criteria: tuple[tuple[str, str], ...]  # (key, title)


@dataclass(frozen=True, slots=True)
class Rubric:
    version: str
    seats: tuple[tuple[str, str], ...]  # (key, title)
    scale_min: int
    scale_max: int
    criteria: tuple[Criterion, ...]
    min_reviews: int
    min_criterion_mean: float
    min_sub_score: int
    single_rejection: str  # the state one "reject" leads to
    recommendations: tuple[str, ...]

    def sub_keys(self) -> list[str]:
        """`criterion.sub` keys of every score a review gives, in rubric order."""
        return [f"{c.key}.{s}" for c in self.criteria for s, _ in c.sub_criteria]

    def seat_title(self, key: str) -> str:
        return dict(self.seats).get(key, key)


@cache
def rubric() -> Rubric:
    """The packaged rubric (read once)."""
    document = load_yaml(RUBRIC_FILE)
    rule = document["decision_rule"]
    single = str(rule["single_rejection"])
    if single not in ("rejected", "changes_requested"):
        raise ValueError(f"{RUBRIC_FILE}: decision_rule.single_rejection {single!r}")
    return Rubric(
        version=str(document["meta"]["version"]),
        seats=tuple((str(s["key"]), str(s["title"])) for s in document["seats"]),
        scale_min=int(document["scale"]["min"]),
        scale_max=int(document["scale"]["max"]),
        criteria=tuple(
            Criterion(
                str(c["key"]),
                str(c["title"]),
                tuple((str(s["key"]), str(s["title"])) for s in c["sub_criteria"]),
            )
            for c in document["criteria"]
        ),
        min_reviews=int(rule["min_reviews"]),
        min_criterion_mean=float(rule["min_criterion_mean"]),
        min_sub_score=int(rule["min_sub_score"]),
        single_rejection=single,
        recommendations=tuple(str(r) for r in rule["recommendations"]),
    )


class ReviewError(ValueError):
    """A review that cannot be recorded; `problems` is `[(where, message)]`, every fault."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{where}: {message}" for where, message in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CheckedReview:
    conflict_of_interest: bool
    conflict_statement: str
    scores: dict[str, int]
    comments: dict[str, str]
    recommendation: str | None


def check_review(
    conflict_of_interest: bool,
    conflict_statement: str,
    scores: dict[str, Any],
    comments: dict[str, Any],
    recommendation: str | None,
    rules: Rubric | None = None,
) -> CheckedReview:
    """A declared conflict is a recusal (a statement, no scores); otherwise every
    sub-criterion needs a whole score on the scale, and a recommendation."""
    rules = rules or rubric()
    problems: list[tuple[str, str]] = []
    statement = (conflict_statement or "").strip()
    if conflict_of_interest:
        if len(statement) < 10:
            problems.append(("conflict_statement", "say in a sentence what the conflict is "
                             "(at least 10 characters)"))
        if scores or recommendation:
            problems.append(("scores", "a reviewer with a conflict of interest recuses: send "
                             "no scores and no recommendation"))
        if problems:
            raise ReviewError(problems)
        return CheckedReview(True, statement, {}, {}, None)
    keys = rules.sub_keys()
    checked: dict[str, int] = {}
    for key in keys:
        value = scores.get(key)
        if value is None:
            problems.append((f"scores.{key}", "is required"))
        elif isinstance(value, bool) or not isinstance(value, int) or not (
            rules.scale_min <= value <= rules.scale_max
        ):
            problems.append((f"scores.{key}", f"a whole number from {rules.scale_min} to "
                             f"{rules.scale_max}"))
        else:
            checked[key] = value
    for key in scores:
        if key not in keys:
            problems.append((f"scores.{key}", f"is not a sub-criterion; accepted: "
                             f"{', '.join(keys)}"))
    criteria = {c.key for c in rules.criteria}
    for key in comments:
        if key not in criteria and key not in keys and key != "general":
            problems.append((f"comments.{key}", "comment on a criterion, a sub-criterion "
                             "or 'general'"))
    if recommendation not in rules.recommendations:
        problems.append(("recommendation", f"accepted: {', '.join(rules.recommendations)}"))
    if problems:
        raise ReviewError(problems)
    return CheckedReview(
        False,
        statement,
        checked,
        {str(k): str(v).strip() for k, v in comments.items() if str(v or "").strip()},
        recommendation,
    )


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """What `decide` needs of one recorded review."""

    seat: str
    conflict_of_interest: bool
    scores: dict[str, int]
    recommendation: str | None


def criterion_means(reviews: list[ReviewFacts], rules: Rubric) -> dict[str, float | None]:
    """Mean score of each criterion over the scoring reviews' sub-criteria."""
    out: dict[str, float | None] = {}
    for criterion in rules.criteria:
        values = [
            r.scores[f"{criterion.key}.{s}"]
            for r in reviews
            if not r.conflict_of_interest
            for s, _ in criterion.sub_criteria
            if f"{criterion.key}.{s}" in r.scores
        ]
        out[criterion.key] = sum(values) / len(values) if values else None
    return out


def decide(
    reviews: list[ReviewFacts], seats: list[str], conflicted_seats: set[str], rules: Rubric
) -> str | None:
    """The state the proposal moves to, or None while reviews are outstanding.

    `seats`: the committee's seats held on the platform; `conflicted_seats`: those that may not
    review this proposal (the proposing organisation's own). Required: every seat neither
    conflicted nor recused has reviewed, and at least `min_reviews` reviews score.
    """
    recorded = {r.seat: r for r in reviews}
    recused = {r.seat for r in reviews if r.conflict_of_interest}
    required = [s for s in seats if s not in conflicted_seats and s not in recused]
    if any(seat not in recorded for seat in required):
        return None
    scoring = [r for r in reviews if not r.conflict_of_interest]
    if len(scoring) < rules.min_reviews:
        return None
    if any(r.recommendation == "reject" for r in scoring):
        return rules.single_rejection
    means = criterion_means(scoring, rules)
    low_mean = any(m is None or m < rules.min_criterion_mean for m in means.values())
    low_sub = any(v < rules.min_sub_score for r in scoring for v in r.scores.values())
    if all(r.recommendation == "accept" for r in scoring) and not (low_mean or low_sub):
        return "accepted"
    return "changes_requested"


def rubric_document() -> dict[str, Any]:
    """The rubric file as published (meta, seats, scale, criteria, decision rule)."""
    document = load_yaml(RUBRIC_FILE)
    return {k: document[k] for k in ("meta", "seats", "scale", "criteria", "decision_rule")}
