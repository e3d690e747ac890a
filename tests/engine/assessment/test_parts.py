"""`assess(..., parts=...)` computes only the frames asked for, each equal to a full run's."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import generate_dataset
from factory_journey.engine.assessment import PARTS, assess
from factory_journey.engine.matrix import build_matrix
from factory_journey.ingest import read_dataset


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    folder = tmp_path_factory.mktemp("dataset")
    for name, frame in generate_dataset(60, [2022, 2023], 13, messiness=0.0).items():
        frame.write_parquet(folder / f"{name}.parquet")
    imported = read_dataset(folder)
    assert imported.ok
    return build_matrix(imported.tables, with_provenance=False).matrix


@pytest.fixture(scope="module")
def full(matrix: pl.DataFrame):
    return assess(matrix)


@pytest.mark.parametrize(
    "parts",
    [("opportunities",), ("opportunities", "pathways"), ("measures",),
     ("trajectory", "indicators"), ()],
)
def test_asked_frames_equal_the_full_run_and_the_rest_are_empty(matrix, full, parts):
    result = assess(matrix, parts=parts)
    for name in PARTS:
        frame = getattr(result, name)
        if name in parts:
            assert frame.height > 0
            assert_frame_equal(frame, getattr(full, name))
        else:
            assert frame.width == 0, name
    assert result.versions == full.versions


def test_an_unknown_part_is_refused(matrix):
    with pytest.raises(ValueError, match="unknown assessment part"):
        assess(matrix, parts=("opportunities", "scores"))
