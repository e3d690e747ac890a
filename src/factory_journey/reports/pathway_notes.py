"""The short notes that explain a facility's pathway to its reader (page and PDF report).

Two things of the methodology surprise a reader who has not read it, and both are by design:

- the steps are ordered by opportunity level first (high, then low, then not assessed) and
  only then by priority (engine.assessment.pathways `add_ranks`), so a step can show a smaller
  priority number than a step listed after it;
- savings, investment and payback are estimated for the measures of the recommended step only
  (engine.assessment `_recommended`, finance `measure_finance`), so an optional step lists its
  measures without figures.

Each note is given only when the reader sees the case it explains, so a page read on a phone
stays short.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import N_

ORDER_NOTE = N_(
    "Steps are ordered by opportunity first (high before low), then by priority: a high "
    "opportunity comes first even when its priority number is smaller.")
UNCOSTED_NOTE = N_(
    "Savings and investment are estimated for the recommended pathway only; the measures of "
    "an optional step are listed without figures.")


def _shown(priority: Any) -> int | None:
    """The priority [points, 0–100] as the report shows it: rounded to a whole number (as
    `Translator.number` rounds, half to even), None where it shows '–'."""
    return round(float(priority)) if priority else None


def order_looks_inverted(steps: Sequence[dict[str, Any]]) -> bool:
    """Whether a step shows a smaller priority number than a step listed after it.

    `steps`: the pathway rows the reader sees (recommended, then optional), in rank order,
    with their `priority` [points]; a step without a priority (shown '–') takes no part.
    """
    largest_after: int | None = None
    for step in reversed(steps):
        shown = _shown(step.get("priority"))
        if shown is None:
            continue
        if largest_after is not None and shown < largest_after:
            return True
        largest_after = shown if largest_after is None else max(largest_after, shown)
    return False


def pathway_notes(tr: Translator, steps: Sequence[dict[str, Any]],
                  optional: Sequence[dict[str, Any]]) -> list[str]:
    """The notes to show next to the pathway, translated (none when nothing needs saying).

    `steps`: as `order_looks_inverted` takes them; `optional`: the optional steps of the
    report context (`measures` listed, `costed` the measures with figures).
    """
    notes = []
    if order_looks_inverted(steps):
        notes.append(tr(ORDER_NOTE))
    if any(step["measures"] and not step["costed"] for step in optional):
        notes.append(tr(UNCOSTED_NOTE))
    return notes
