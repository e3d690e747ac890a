"""Reference keys the generator writes, read from the package's reference files.

The generator never invents a spelling: every enumerated value it writes is the `key` of a row
of the reference file named in `domain/tables.py` (or one of that table's literal values). Each
wanted value is given as a few candidate spellings; `pick` returns the key of the first one the
file accepts (as key, label or alias, compared like `domain.fem_enums.fold`).
"""

from __future__ import annotations

from functools import cache

from factory_journey.domain.fem_enums import fold, split_aliases
from factory_journey.reference import ReferenceFileError, load_csv


class MissingReferenceKey(LookupError):
    """None of the candidate spellings is accepted by the reference file."""


@cache
def _index(name: str) -> dict[str, str] | None:
    try:
        table = load_csv(name)
    except ReferenceFileError:
        return None
    key_column = "key" if "key" in table.columns else table.columns[0]
    index: dict[str, str] = {}
    for row in table.iter_rows(named=True):
        key = str(row[key_column])
        spellings = [key, str(row.get("label") or ""), *split_aliases(row.get("aliases"))]
        for spelling in spellings:
            if spelling:
                index.setdefault(fold(spelling), key)
        index[fold(key)] = key
    return index


def reference_available(name: str) -> bool:
    """True when reference file `name` is shipped (some are written in parallel)."""
    return _index(name) is not None


def keys_of(name: str) -> frozenset[str]:
    """The keys of reference file `name` (empty when the file is not there)."""
    index = _index(name)
    return frozenset(index.values()) if index else frozenset()


def pick(name: str, *candidates: str) -> str:
    """The key of the first candidate spelling that reference file `name` accepts.

    Without the file (not yet written) the first candidate is returned unchanged.
    """
    index = _index(name)
    if index is None:
        return candidates[0]
    for candidate in candidates:
        key = index.get(fold(candidate))
        if key is not None:
            return key
    raise MissingReferenceKey(f"none of {candidates!r} is a key or alias in {name}")


def pick_optional(name: str, *candidates: str) -> str | None:
    """Like `pick`, but None when the file accepts none of the candidates."""
    try:
        return pick(name, *candidates)
    except MissingReferenceKey:
        return None
