"""The members' levels per area: the same frame from the assessment's block layout (slices)
and from any other row order (pivot)."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from factory_journey.engine.parks.standing import member_levels

AREAS = pl.Enum(["energy", "water", "waste"])
LEVELS = pl.Enum(["high", "low", "not_assessed"])


def _opportunities() -> pl.DataFrame:
    """Area-major, as `assess` lays it out: 3 areas × 4 facility-years."""
    keys = [("F1", 2022), ("F1", 2023), ("F2", 2023), ("F3", 2023)]
    levels = ["high", "low", "not_assessed", "low", "low", "high", None, "high", "high", "low",
              "low", "not_assessed"]
    return pl.DataFrame({
        "facility_id": [f for _ in range(3) for f, _ in keys],
        "year": [y for _ in range(3) for _, y in keys],
        "area": [a for a in ("energy", "water", "waste") for _ in keys],
        "opportunity_level": levels,
    }, schema_overrides={"area": AREAS, "opportunity_level": LEVELS})


def test_block_layout_and_any_other_order_give_the_same_levels():
    members = pl.DataFrame({"park_id": ["P"] * 3, "facility_id": ["F3", "F1", "F1"],
                            "year": [2023, 2022, 2023]})
    in_blocks = member_levels(members, _opportunities())
    # facility-major (as the pathways are): not in blocks, so made wide by the pivot
    shuffled = member_levels(members, _opportunities().sort("facility_id", "year", "area"))
    assert in_blocks.columns == ["facility_id", "year", "energy", "water", "waste"]
    assert in_blocks.rows() == [("F1", 2022, "high", "low", "high"),
                                ("F1", 2023, "low", "high", "low"),
                                ("F3", 2023, "low", "high", "not_assessed")]
    assert_frame_equal(shuffled.sort("facility_id", "year"),
                       in_blocks.select(shuffled.columns))
