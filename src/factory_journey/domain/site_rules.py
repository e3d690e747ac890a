"""The arithmetic of the Higg FEM Site Information guidance, as small pure functions.

Each function follows the seed (`higg-fem-site-information.txt`) exactly and documents the
cases the seed leaves open. Units are in square brackets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

from factory_journey.domain.fem_enums import facility_types
from factory_journey.domain.units import UnknownUnitError, conversion_factor, unit_dimension

#: Share of normal hours or workers below which a day counts half [-].
HALF_DAY_THRESHOLD = 0.5
MAX_OPERATING_DAYS = 366.0


class SiteRuleError(ValueError):
    """An input that the seed's arithmetic cannot use (negative count, wrong unit, …)."""


class UnitDimensionError(SiteRuleError):
    """A unit of another dimension than the facility type's FEM unit (metres for a kg type)."""


def operating_day_weight(hours_share: float, workers_share: float) -> float:
    """How much one calendar day counts towards `sipoperatingdays` [day].

    `hours_share` is the hours in operation as a share of a normal day's hours [-] and
    `workers_share` the workers present as a share of the normal workforce [-] (1 = normal;
    above 1, e.g. overtime, counts as normal).

    - 0 when either share is 0: nothing operated that day (a closed day counts nothing).
    - 0.5 when the hours share OR the workers share is below 50 %.
    - 1 otherwise. A share of exactly 50 % is not "less than 50 %", so it counts a full day
      (the seed names only "< 50 %" as the half-day condition).
    """
    for name, share in (("hours share", hours_share), ("workers share", workers_share)):
        if not math.isfinite(share) or share < 0:
            raise SiteRuleError(f"{name} must be a number ≥ 0, not {share!r}")
    if hours_share == 0 or workers_share == 0:
        return 0.0
    if hours_share < HALF_DAY_THRESHOLD or workers_share < HALF_DAY_THRESHOLD:
        return 0.5
    return 1.0


def operating_days(daily_log: Iterable[tuple[float, float]]) -> float:
    """Operating days of a reporting year from a daily log [day].

    `daily_log` holds one `(hours_share, workers_share)` pair [-, -] per calendar day on which
    something happened; days left out count nothing. More than 366 logged days is an error
    (a year has at most 366 days).
    """
    days = list(daily_log)
    if len(days) > MAX_OPERATING_DAYS:
        raise SiteRuleError(f"a year has at most 366 days; the log has {len(days)}")
    return float(sum(operating_day_weight(hours, workers) for hours, workers in days))


def average_employees(pay_period_counts: Sequence[float]) -> int:
    """Average employees over the pay periods of a year, rounded UP [persons].

    `pay_period_counts` holds the employees paid in each pay period [persons]. The seed:
    add the counts, divide by the number of periods and round to the next highest whole
    number (520, 525, 545 → 530; 520, 525, 546 → 531). An exact whole average stays as it
    is. Exact fractions are used so that float noise never adds one. Applies to full-time
    and temporary employees alike.
    """
    if not pay_period_counts:
        raise SiteRuleError("no pay periods given: at least one pay period count is needed")
    total = Fraction(0)
    for count in pay_period_counts:
        if not math.isfinite(count) or count < 0:
            raise SiteRuleError(f"an employee count must be a number ≥ 0, not {count!r}")
        total += Fraction(count)
    return math.ceil(total / len(pay_period_counts))


def average_employees_total(
    full_time: Sequence[float], temporary: Sequence[float]
) -> int:
    """`siptotalnumemployees`: average of full-time + temporary over the pay periods [persons].

    Both sequences give one count per pay period [persons], in the same periods; each
    period's sum is averaged and rounded up, so the total is rounded once, not twice.
    """
    if len(full_time) != len(temporary):
        raise SiteRuleError(
            f"full-time and temporary counts must cover the same pay periods "
            f"({len(full_time)} and {len(temporary)} given)"
        )
    return average_employees([f + t for f, t in zip(full_time, temporary, strict=True)])


def annual_production_volume(
    facility_type: str, quantity: float, unit: str, rejects: float = 0.0
) -> float:
    """Shipped/sold volume of one facility type in that type's FEM unit [pcs or kg].

    `quantity` is the amount shipped or sold in the reporting year, in `unit` (any spelling
    of `unit_aliases.csv` in the type's dimension: kg, t, lb, … for kg types; pcs, pairs,
    dozen for piece types). `rejects` [same unit] are rejects INCLUDED in `quantity`; they are
    subtracted, because the FEM volume excludes rejects. When `quantity` already excludes
    rejects, leave `rejects` at 0. A pair counts as one piece.

    Raises `UnknownUnitError` for an unknown unit and `UnitDimensionError` for a unit of
    another dimension (metres for a kg type).
    """
    types = facility_types()
    if facility_type not in types:
        raise SiteRuleError(
            f"unknown facility type {facility_type!r}; accepted: {', '.join(types)}"
        )
    info = types[facility_type]
    for name, amount in (("quantity", quantity), ("rejects", rejects)):
        if not math.isfinite(amount) or amount < 0:
            raise SiteRuleError(f"{name} must be a number ≥ 0, not {amount!r}")
    if rejects > quantity:
        raise SiteRuleError(f"rejects ({rejects}) exceed the quantity shipped ({quantity})")
    target_dimension = unit_dimension(info.production_unit)
    dimension = unit_dimension(unit)  # raises UnknownUnitError
    if dimension != target_dimension:
        raise UnitDimensionError(
            f"unit {unit!r} measures {dimension}, but {info.label} volume is a "
            f"{target_dimension} in {info.production_unit}; accepted units: "
            f"{', '.join(info.allowed_units)}"
        )
    return (quantity - rejects) * conversion_factor(unit, info.production_unit)


def total_sam(products: Iterable[tuple[float, float]]) -> float:
    """Total standard allowed minutes of a year: Σ SAM per piece × pieces shipped [SAM].

    `products` holds one `(sam_per_piece [SAM/pc], pieces_shipped [pcs])` pair per product
    type. The seed's examples: polo 15 × 100,000 + V-neck 12 × 500,000 = 7,500,000.
    """
    total = 0.0
    for sam, pieces in products:
        if not (math.isfinite(sam) and math.isfinite(pieces)) or sam < 0 or pieces < 0:
            raise SiteRuleError(f"SAM and pieces must be numbers ≥ 0, not {(sam, pieces)!r}")
        total += sam * pieces
    return total


__all__ = [
    "HALF_DAY_THRESHOLD",
    "MAX_OPERATING_DAYS",
    "SiteRuleError",
    "UnitDimensionError",
    "UnknownUnitError",
    "annual_production_volume",
    "average_employees",
    "average_employees_total",
    "operating_day_weight",
    "operating_days",
    "total_sam",
]
