"""Hard errors planted in a generated dataset, to test that validation finds and locates them.

Each kind of error is one a person really makes (a typo in a unit, a month 13, a negative
meter reading, …) and is invalid under `domain/tables.py` or docs/contracts.md §1. The list of
what was planted comes back beside the tables so a test can check every one is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass(frozen=True, slots=True)
class InjectedError:
    """One planted error: table, 0-based row in the returned frame, column, value, kind."""

    table: str
    row: int
    column: str
    value: str
    kind: str


# (kind, table, column, bad value); the column is cast to text where the value is not of its
# type (a CSV cell holds text anyway).
_KINDS: tuple[tuple[str, str, str, object], ...] = (
    ("negative quantity", "energy", "quantity", -1250.0),
    ("unknown unit", "energy", "unit", "kwhh"),
    ("unknown energy source", "energy", "source", "cole"),
    ("not a number", "energy", "quantity", "12,5O"),
    ("month out of range", "water", "month", 13),
    ("unknown water flow", "water", "flow", "withdrawl"),
    ("share above 1", "wastewater", "recycled_share", 1.7),
    ("unknown disposal method", "waste", "disposal_method", "thrown away"),
    ("mass unit expected", "waste", "unit", "kWh"),
    ("level above 3", "chemicals", "supplier_to_zero_level", 5),
    ("unknown refrigerant", "air", "refrigerant", "R-999X"),
    ("impossible date", "zdhc_wastewater", "sample_date", "2022-02-30"),
    ("unknown parameter", "zdhc_wastewater", "parameter", "codd"),
    ("unknown country", "profiles", "sitecountry", "Atlantis"),
    ("missing required value", "profiles", "sipfacilitytype", None),
    ("unknown facility", "energy", "facility_id", "FJ-UNKNOWN"),
    ("unknown programme", "programmes", "programme", "clean-by-desing"),
)


def inject_errors(
    tables: dict[str, pl.DataFrame], seed: int, per_kind: int = 2
) -> tuple[dict[str, pl.DataFrame], list[InjectedError]]:
    """A copy of `tables` with `per_kind` rows of each error kind, and the list planted.

    Rows are picked at random (seeded); a row gets at most one error. Also appends one exact
    duplicate of an energy row (a key violation).
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7_711]))
    out = dict(tables)
    planted: list[InjectedError] = []
    used: dict[str, set[int]] = {}
    for kind, table, column, value in _KINDS:
        frame = out.get(table)
        if frame is None or frame.height == 0 or column not in frame.columns:
            continue
        taken = used.setdefault(table, set())
        free = np.array([i for i in range(min(frame.height, 10_000)) if i not in taken])
        if len(free) == 0:
            continue
        rows = rng.choice(free, size=min(per_kind, len(free)), replace=False)
        taken.update(int(r) for r in rows)
        series = frame[column]
        if value is not None and not _fits(series.dtype, value):
            series = series.cast(pl.String)
        new_value = str(value) if series.dtype == pl.String and value is not None else value
        values = series.to_list()
        for r in rows:
            values[int(r)] = new_value
            planted.append(InjectedError(table, int(r), column, str(value), kind))
        out[table] = frame.with_columns(pl.Series(column, values, dtype=series.dtype))
    energy = out.get("energy")
    if energy is not None and energy.height:
        row = int(rng.integers(0, energy.height))
        out["energy"] = pl.concat([energy, energy.slice(row, 1)])
        planted.append(InjectedError("energy", energy.height, "facility_id",
                                     str(energy["facility_id"][row]), "duplicate row"))
    return out, planted


def _fits(dtype: pl.DataType, value: object) -> bool:
    if dtype == pl.String:
        return True
    if dtype.is_numeric():
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False
