"""Improvement cycles and programme evaluation over the Data Matrix (pure: polars, numpy, scipy).

- `cycles`: per facility × area improved / held / regressed / not comparable, with the reason.
- `groups`: participation groups from programme records; cohort definitions.
- `did`: difference-in-differences against the control group with bootstrap and Welch intervals.
- `summary`: shares improving per group and country with their counts; regional insights.
- `evaluate`: `evaluate_programmes`, all of the above in one call.
"""

from factory_journey.engine.evaluation.cycles import (
    REASONS,
    STATUSES,
    compare_years,
    cycle_pairs,
    improvement_cycles,
)
from factory_journey.engine.evaluation.did import difference_in_differences
from factory_journey.engine.evaluation.evaluate import (
    INSIGHT_AREAS,
    Caveat,
    EvaluationInputError,
    EvaluationResult,
    check_request,
    evaluate_programmes,
)
from factory_journey.engine.evaluation.groups import Cohort, participation_groups
from factory_journey.engine.evaluation.rules import (
    DEFAULT_RULES,
    EvaluationRules,
    load_evaluation_rules,
)
from factory_journey.engine.evaluation.summary import insight_sentences

__all__ = [
    "DEFAULT_RULES",
    "INSIGHT_AREAS",
    "REASONS",
    "STATUSES",
    "Caveat",
    "Cohort",
    "EvaluationInputError",
    "EvaluationResult",
    "EvaluationRules",
    "check_request",
    "compare_years",
    "cycle_pairs",
    "difference_in_differences",
    "evaluate_programmes",
    "improvement_cycles",
    "insight_sentences",
    "load_evaluation_rules",
    "participation_groups",
]
