"""Accepted names of reference categories: every key, label and alias → the canonical key.

A reference CSV with `key` (or `parameter`), `label` and `aliases` columns defines a closed list
of values (energy sources, waste streams, gases, …). `enum_values` turns it into one lookup
so that ingest can accept "Furnace oil", "HFO" or "fuel_oil" for the same source.
"""

from __future__ import annotations

import re
from functools import cache

from factory_journey.reference.loader import ReferenceFileError, load_csv

#: Aliases are `;`-separated in this project's files; some files use `|`. Both are accepted.
_ALIAS_SEPARATOR = re.compile(r"[;|]")

#: Columns that may hold the canonical key, in order of preference.
_KEY_COLUMNS: tuple[str, ...] = ("key", "parameter")


class AmbiguousNameError(ReferenceFileError):
    """A reference table gives one name to two different keys."""


def normalise_name(text: str) -> str:
    """A name as matched: case-folded, trimmed, inner runs of white space made one space."""
    return " ".join(str(text).casefold().split())


def split_aliases(cell: str | None) -> list[str]:
    """The aliases of a `;`- (or `|`-) separated cell, trimmed, empties dropped."""
    if not cell:
        return []
    return [part.strip() for part in _ALIAS_SEPARATOR.split(cell) if part.strip()]


def csv_name(name: str) -> str:
    """`gwp` or `gwp.csv` → `gwp.csv`."""
    return name if name.endswith(".csv") else f"{name}.csv"


def key_column(columns: list[str], name: str) -> str:
    """The column of table `name` that holds its canonical key."""
    for column in _KEY_COLUMNS:
        if column in columns:
            return column
    raise ReferenceFileError(f"reference table {name!r} has no key column {_KEY_COLUMNS}")


@cache
def _enum_values(name: str) -> dict[str, str]:
    frame = load_csv(name)
    key_col = key_column(frame.columns, name)
    has_label = "label" in frame.columns
    has_aliases = "aliases" in frame.columns
    out: dict[str, str] = {}
    for row in frame.iter_rows(named=True):
        key = str(row[key_col]).strip()
        names = [key]
        if has_label and row["label"]:
            names.append(str(row["label"]))
        if has_aliases:
            names.extend(split_aliases(row["aliases"]))
        for text in names:
            norm = normalise_name(text)
            if not norm:
                continue
            known = out.setdefault(norm, key)
            if known != key:
                raise AmbiguousNameError(
                    f"{name}: the name {text!r} is given to both {known!r} and {key!r}"
                )
    return out


def enum_values(name: str) -> dict[str, str]:
    """Every accepted name of reference table `name` → its canonical key.

    `name` is a reference CSV with a `key` (or `parameter`) column and optional `label` and
    `aliases` columns, with or without `.csv`. Names are normalised with `normalise_name`;
    look a user's value up with `resolve_name` (or normalise it first). Raises
    `AmbiguousNameError` if the table gives one name to two keys.
    """
    return dict(_enum_values(csv_name(name)))


def resolve_name(name: str, text: str | None) -> str | None:
    """The canonical key of reference table `name` that `text` names, or None if none does."""
    if text is None:
        return None
    return _enum_values(csv_name(name)).get(normalise_name(text))


def enum_keys(name: str) -> tuple[str, ...]:
    """The canonical keys of reference table `name`, in file order."""
    file = csv_name(name)
    frame = load_csv(file)
    return tuple(str(v) for v in frame.get_column(key_column(frame.columns, file)).to_list())
