"""The texts the engine looks up by code (measure lists, worse indicators, missing data,
regional adaptations) equal the texts joined row by row, which it falls back to when a
lookup table would be too large."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import generate_dataset
from factory_journey.engine.assessment import (
    PARTS,
    assess,
    indicators,
    opportunities,
    pathways,
    plan,
    priority,
)
from factory_journey.engine.matrix import build_matrix
from factory_journey.ingest import read_dataset


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    folder = tmp_path_factory.mktemp("dataset")
    for name, frame in generate_dataset(80, [2022, 2023], 7, messiness=0.0).items():
        frame.write_parquet(folder / f"{name}.parquet")
    imported = read_dataset(folder)
    assert imported.ok
    built = build_matrix(imported.tables, with_provenance=False).matrix
    # Some rows lose inputs (and what is made from them), so that the missing-data texts vary.
    row = pl.int_range(pl.len())

    def lose(rows: pl.Expr, *names: str) -> list[pl.Expr]:
        return [pl.when(rows).then(None).otherwise(pl.col(n)).alias(n) for n in names]

    intensities = ("energy_intensity_mj_per_unit", "water_intensity_l_per_unit")
    return (
        built.with_columns(lose(row % 3 == 0, "energy_total_mj", "energy_intensity_mj_per_unit"))
        .with_columns(lose(row % 5 == 1, "intensity_basis", *intensities))
        .with_columns(lose(row % 11 == 4, "intensity_basis"))  # values without a threshold
        .with_columns(
            lose(row % 7 == 2, "production_volume_pcs", "production_volume_kg", *intensities)
        )
        .with_columns(
            lose(row % 4 == 3, "waste_total_kg", "waste_diversion_share", "waste_share_landfill")
        )
    )


def test_looked_up_texts_equal_the_joined_ones(matrix, monkeypatch):
    looked_up = assess(matrix)
    steps = looked_up.pathways
    # The texts are not trivial: lists of several, combined missing inputs, adaptations.
    assert steps["measures"].str.contains(";").any()
    worse = looked_up.opportunities["indicators_worse"]
    assert isinstance(worse.dtype, pl.Enum)
    assert worse.cast(pl.String).str.contains(";").any()
    assert steps["regional_adaptations"].is_not_null().any()
    missing = looked_up.indicators["missing_data"]
    # looked up from one Enum of every text (Parquet writes it from its codes)
    assert isinstance(missing.dtype, pl.Enum)
    assert missing.cast(pl.String).str.contains(r"\(missing: .*, ").any()
    assert missing.cast(pl.String).str.contains("no threshold").any()

    monkeypatch.setattr(plan, "_CACHE", {})  # built again, without the tables
    monkeypatch.setattr(pathways, "_CHOICE_TABLE_MAX", 0)
    monkeypatch.setattr(opportunities, "_FLAG_TABLE_MAX", 0)
    monkeypatch.setattr(indicators, "_MISSING_TABLE_MAX", 0)
    monkeypatch.setattr(priority, "_ADAPT_TABLE_MAX", 0)
    joined = assess(matrix)
    for name in PARTS:
        # the texts joined are String where the looked-up ones are an Enum: equal as text
        assert_frame_equal(_as_text(getattr(joined, name)), _as_text(getattr(looked_up, name)),
                           check_exact=True)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(name).cast(pl.String) for name in ("missing_data", "peer_group", "modules",
                                                  "regional_adaptations", "indicators_worse")
        if name in frame.columns)


def test_one_type_for_the_texts_of_every_part():
    from factory_journey.engine.assessment.text_tables import combination_texts, texts_dtype

    assert combination_texts(["a", "b"], 2) == [None, "a", "b", "a;b"]
    assert combination_texts(["a", "b", "c"], 2) is None  # too many: joined per row instead
    dtype = texts_dtype([["b;c", None], ["a"], combination_texts(["b", "c"], 4)])
    assert isinstance(dtype, pl.Enum)
    assert dtype.categories.to_list() == ["a", "b", "b;c", "c"]  # alphabetical, once each
    assert texts_dtype([["a"], None]) == pl.String()  # a part not listed: all text
