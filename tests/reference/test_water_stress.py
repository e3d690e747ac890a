"""Aqueduct 4.0 water stress bands and the built-in country defaults."""

import math

import polars as pl
import pytest

from factory_journey.reference.countries import resolve_country
from factory_journey.reference.water_stress import (
    water_stress_bands,
    water_stress_category,
    water_stress_category_expr,
    water_stress_category_for_ratio,
    water_stress_countries,
)

KEYS = ["low", "low_medium", "medium_high", "high", "extremely_high"]


def test_bands_are_the_five_aqueduct_categories():
    assert [b.key for b in water_stress_bands()] == KEYS
    assert [b.ratio_pct_min for b in water_stress_bands()] == [0, 10, 20, 40, 80]


@pytest.mark.parametrize(
    ("score", "key"),
    [
        (0, "low"),
        (0.99, "low"),
        (1.0, "low_medium"),
        (2.5, "medium_high"),
        (3.39, "high"),
        (3.79, "high"),
        (4.0, "extremely_high"),
        (4.11, "extremely_high"),
        (5, "extremely_high"),
    ],
)
def test_category_of_score(score, key):
    assert water_stress_category(score) == key


def test_unknown_and_invalid_scores():
    assert water_stress_category(None) is None
    assert water_stress_category(math.nan) is None
    with pytest.raises(ValueError, match="outside"):
        water_stress_category(5.5)
    with pytest.raises(ValueError, match="outside"):
        water_stress_category(-0.1)


@pytest.mark.parametrize(
    ("pct", "key"),
    [
        (5, "low"),
        (10, "low_medium"),
        (39.9, "medium_high"),
        (80, "extremely_high"),
        (250, "extremely_high"),
    ],
)
def test_category_of_ratio(pct, key):
    assert water_stress_category_for_ratio(pct) == key


def test_vectorised_category_agrees_with_scalar():
    scores = [0.0, 0.5, 1.0, 1.99, 2.0, 3.0, 3.79, 4.0, 5.0, None, 6.0, -1.0]
    out = (
        pl.DataFrame({"s": scores}, schema={"s": pl.Float64})
        .select(water_stress_category_expr(pl.col("s")).alias("c"))["c"]
        .to_list()
    )
    expected = [None if s is None or not 0 <= s <= 5 else water_stress_category(s) for s in scores]
    assert out == expected


def test_country_defaults_match_the_sourced_facts():
    frame = water_stress_countries()
    rows = {r["iso3"]: r for r in frame.iter_rows(named=True)}
    assert rows["IND"]["score"] == pytest.approx(4.11)
    assert rows["PAK"]["score"] == pytest.approx(3.79)
    assert rows["TUR"]["score"] == pytest.approx(3.39)
    for iso3 in ("BGD", "VNM", "KHM"):
        assert rows[iso3]["category"] == "low" and rows[iso3]["score"] is None
    assert "CHN" not in rows  # no sourced value: the engine reports the risk as unknown
    for row in rows.values():
        assert resolve_country(row["iso3"]) is not None
        assert row["category"] in KEYS
        if row["score"] is not None:
            assert water_stress_category(row["score"]) == row["category"]
