"""Plausibility bounds of reported quantities and derived indicators
(`plausibility_bounds.yaml`): a hard limit that refuses a value, and a soft range that flags it.

Pure: reads only through the reference loader. Bounds are in canonical units (MJ, m³, kg,
pcs, SAM, persons; intensities in their indicator's unit); table quantities per month.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from factory_journey.reference.loader import ReferenceFileError, load_yaml, meta

BOUNDS_FILE = "plausibility_bounds.yaml"

#: An annual row (month empty) of a monthly table is held to this many times the monthly bounds.
MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True)
class QuantityBound:
    """Bounds of one quantity: rows of `table` whose canonical unit is `unit` [unit/period]."""

    key: str
    table: str
    dimension: str
    unit: str
    period: str
    hard_max: float
    soft_min: float
    soft_max: float
    basis: str

    def scaled(self, annual: bool) -> tuple[float, float, float]:
        """(hard_max, soft_min, soft_max) for a monthly row, or an annual one (× 12)."""
        factor = MONTHS_PER_YEAR if annual and self.period == "month" else 1
        return self.hard_max * factor, self.soft_min * factor, self.soft_max * factor


@dataclass(frozen=True, slots=True)
class IntensityBound:
    """Soft range of one matrix intensity `indicator` [unit]."""

    indicator: str
    unit: str
    soft_min: float
    soft_max: float
    basis: str


def _number(entry: dict[str, Any], name: str) -> float:
    value = entry.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        raise ReferenceFileError(f"{BOUNDS_FILE}: {entry.get('key') or entry.get('indicator')}"
                                 f" needs a number for {name}, not {value!r}")
    return float(value)


@cache
def quantity_bounds() -> dict[tuple[str, str], QuantityBound]:
    """(table, canonical unit) → its bounds, e.g. `("energy", "MJ")`."""
    out: dict[tuple[str, str], QuantityBound] = {}
    for entry in load_yaml(BOUNDS_FILE).get("quantities", []):
        bound = QuantityBound(
            key=str(entry["key"]), table=str(entry["table"]),
            dimension=str(entry["dimension"]), unit=str(entry["unit"]),
            period=str(entry["period"]), hard_max=_number(entry, "hard_max"),
            soft_min=_number(entry, "soft_min"), soft_max=_number(entry, "soft_max"),
            basis=" ".join(str(entry.get("basis", "")).split()),
        )
        if not 0 <= bound.soft_min <= bound.soft_max <= bound.hard_max:
            raise ReferenceFileError(f"{BOUNDS_FILE}: {bound.key} needs "
                                     "0 ≤ soft_min ≤ soft_max ≤ hard_max")
        out[(bound.table, bound.unit)] = bound
    return out


def quantity_bound(key: str) -> QuantityBound:
    """The bounds named `key` (e.g. `employees`, `production_kg`)."""
    for bound in quantity_bounds().values():
        if bound.key == key:
            return bound
    raise ReferenceFileError(f"{BOUNDS_FILE} has no bounds {key!r}")


@cache
def intensity_bounds() -> dict[str, IntensityBound]:
    """Matrix indicator → its soft range."""
    out: dict[str, IntensityBound] = {}
    for entry in load_yaml(BOUNDS_FILE).get("intensities", []):
        bound = IntensityBound(
            indicator=str(entry["indicator"]), unit=str(entry["unit"]),
            soft_min=_number(entry, "soft_min"), soft_max=_number(entry, "soft_max"),
            basis=" ".join(str(entry.get("basis", "")).split()),
        )
        if not 0 <= bound.soft_min <= bound.soft_max:
            raise ReferenceFileError(f"{BOUNDS_FILE}: {bound.indicator} needs "
                                     "0 ≤ soft_min ≤ soft_max")
        out[bound.indicator] = bound
    return out


@dataclass(frozen=True, slots=True)
class ColumnBound:
    """Bounds of one numeric input column `table.column` [unit]: a hard range that refuses a
    value, and a soft range (None: none) that flags it."""

    table: str
    column: str
    unit: str
    hard_min: float
    hard_max: float
    soft_min: float | None
    soft_max: float | None
    certainty: str
    basis: str


def _optional(entry: dict[str, Any], name: str) -> float | None:
    return None if entry.get(name) is None else _number(entry, name)


@cache
def column_bounds() -> dict[tuple[str, str], ColumnBound]:
    """(table, column) → its bounds, e.g. `("energy", "market_factor_kgco2e_per_kwh")`."""
    out: dict[tuple[str, str], ColumnBound] = {}
    for entry in load_yaml(BOUNDS_FILE).get("columns", []):
        named = {**entry, "key": f"{entry.get('table')}.{entry.get('column')}"}
        bound = ColumnBound(
            table=str(entry["table"]), column=str(entry["column"]), unit=str(entry["unit"]),
            hard_min=_number(named, "hard_min"), hard_max=_number(named, "hard_max"),
            soft_min=_optional(named, "soft_min"), soft_max=_optional(named, "soft_max"),
            certainty=str(entry.get("certainty", "")),
            basis=" ".join(str(entry.get("basis", "")).split()),
        )
        low = bound.hard_min if bound.soft_min is None else bound.soft_min
        high = bound.hard_max if bound.soft_max is None else bound.soft_max
        if not bound.hard_min <= low <= high <= bound.hard_max:
            raise ReferenceFileError(f"{BOUNDS_FILE}: {named['key']} needs "
                                     "hard_min ≤ soft_min ≤ soft_max ≤ hard_max")
        out[(bound.table, bound.column)] = bound
    return out


def bounds_version() -> str:
    """`version (vintage)` of the bounds, to record beside every result."""
    block = meta(BOUNDS_FILE)
    return f"{block.get('version', '?')} ({block.get('vintage', '?')})"
