"""The generated unit-factor table agrees with pint, factor by factor and pair by pair."""

from __future__ import annotations

import importlib.util
from itertools import product
from pathlib import Path

import pytest

from factory_journey.domain.units import (
    conversion_factor,
    pint_conversion_factor,
    unit_alias_rows,
)

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    path = ROOT / "tools" / "make_unit_factors.py"
    spec = importlib.util.spec_from_file_location("make_unit_factors", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_what_pint_gives_today() -> None:
    generator = _generator()
    assert generator.OUT.read_text(encoding="utf-8") == generator.table_text(), (
        "unit_factors.csv is stale: run python tools/make_unit_factors.py"
    )


def test_every_spelling_to_its_canonical_unit() -> None:
    rows = unit_alias_rows()
    assert len(rows) > 50
    for spelling, _, _ in rows:
        assert conversion_factor(spelling) == pint_conversion_factor(spelling), spelling


def test_every_pair_of_one_dimension_is_pints_answer() -> None:
    rows = unit_alias_rows()
    pairs = [(a, b) for (a, _, da), (b, _, db) in product(rows, rows) if da == db]
    assert len(pairs) > len(rows)
    wrong = [
        (a, b, conversion_factor(a, b), pint_conversion_factor(a, b))
        for a, b in pairs
        if conversion_factor(a, b) != pint_conversion_factor(a, b)
    ]
    assert wrong == []


def test_a_pair_outside_the_table_still_goes_to_pint() -> None:
    import pint

    assert conversion_factor("kwh", "kilowatt_hour") == 1.0
    with pytest.raises(pint.DimensionalityError):
        conversion_factor("kwh", "kg")
