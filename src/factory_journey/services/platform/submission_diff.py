"""What changed between two submission versions of one facility-year: per table, the rows
added and removed and the values changed, matched on each table's row key
(`domain.tables`; the profile on facility and year).

Where a row sits in the uploaded file (`_file`, `_sheet`, `_row`) is provenance, not data: a
value that moved to another row of the file is not a change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.services.platform.facilities import submission_data

#: Columns that say where a value came from in the file, not what it is.
PROVENANCE = frozenset({"_file", "_sheet", "_row"})
#: Row key of the profiles table (one profile per facility-year).
PROFILE_KEY = ("facility_id", "year")


@dataclass(frozen=True, slots=True)
class CellChange:
    column: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row of a table, by its key: added, removed, or changed with its cell changes."""

    key: dict[str, Any]
    kind: str
    changes: tuple[CellChange, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TableDiff:
    table: str
    added: tuple[RowChange, ...]
    removed: tuple[RowChange, ...]
    changed: tuple[RowChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True, slots=True)
class SubmissionDiff:
    facility_id: str
    year: int
    old_version: int
    new_version: int
    tables: tuple[TableDiff, ...]

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)


def _key_columns(table: str, columns: set[str]) -> tuple[str, ...]:
    spec = TABLES_BY_NAME.get(table)
    key = spec.key if spec is not None else PROFILE_KEY
    return tuple(c for c in key if c in columns)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return bool(a == b)


def _keyed(
    rows: list[dict[str, Any]], key: tuple[str, ...]
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    # A key can repeat (the reader warns but keeps both rows): compared in file order.
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(tuple(row.get(c) for c in key), []).append(row)
    return out


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if v is None else (1, f"{v:>20}" if isinstance(v, int) else str(v))
                 for v in key)


def diff_tables(
    table: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> TableDiff:
    """Rows added, removed and changed between the `old` and `new` records of one table."""
    columns = {c for row in (*old, *new) for c in row} - PROVENANCE
    key = _key_columns(table, columns)
    before, after = _keyed(old, key), _keyed(new, key)
    added: list[RowChange] = []
    removed: list[RowChange] = []
    changed: list[RowChange] = []
    for k in sorted(set(before) | set(after), key=_sort_key):
        olds, news = before.get(k, []), after.get(k, [])
        named = dict(zip(key, k, strict=True))
        for i in range(max(len(olds), len(news))):
            if i >= len(olds):
                values = {c: v for c, v in news[i].items() if c not in PROVENANCE}
                added.append(RowChange(named, "added", values=values))
            elif i >= len(news):
                values = {c: v for c, v in olds[i].items() if c not in PROVENANCE}
                removed.append(RowChange(named, "removed", values=values))
            else:
                cells = tuple(
                    CellChange(c, olds[i].get(c), news[i].get(c))
                    for c in sorted(columns - set(key))
                    if not _same(olds[i].get(c), news[i].get(c))
                )
                if cells:
                    changed.append(RowChange(named, "changed", cells))
    return TableDiff(table, tuple(added), tuple(removed), tuple(changed))


def compare_versions(
    session: Session, actor: Actor, facility_id: str, year: int, old: int, new: int
) -> SubmissionDiff:
    """The differences from version `old` to version `new` of a facility-year.

    Needs `submission.read` on the facility (checked by `submission_data`); an unknown version
    answers NotFound.
    """
    if old == new:
        raise InvalidInput("choose two different versions to compare")
    before = submission_data(session, actor, facility_id, year, old)
    after = submission_data(session, actor, facility_id, year, new)
    names = sorted(set(before) | set(after), key=lambda n: (n != "profiles", n))
    tables = tuple(diff_tables(n, before.get(n, []), after.get(n, [])) for n in names)
    return SubmissionDiff(facility_id, year, old, new, tables)
