"""docs/park-data-format.md names every park table, column, output column and park indicator,
and names nothing the code does not have (the doc parkplan's report is written against)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factory_journey.domain.park_tables import PARK_TABLES, SHARED_BASES
from factory_journey.engine.parks.indicators import RATIOS, TOTALS
from factory_journey.engine.parks.standing import AREAS, STANDING_UNITS
from tests.engine.parks.hand_park import FRAMEWORK, write_park

DOC = (Path(__file__).parents[2] / "docs" / "park-data-format.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = DOC.index(heading)
    following = DOC.find("\n**", start + len(heading))
    return DOC[start: following if following != -1 else None]


@pytest.mark.parametrize("table", [t for t in PARK_TABLES if t.name not in SHARED_BASES])
def test_every_park_table_and_column_is_documented(table) -> None:
    section = DOC[DOC.index(f"### `{table.name}`"):]
    section = section[: section.find("\n### ", 1)]
    for column in table.columns:
        assert f"| `{column.name}` |" in section, (table.name, column.name)


def test_the_shared_tables_are_documented() -> None:
    for name in SHARED_BASES:
        assert f"`{name}`" in DOC
    assert "| `member_facility_id` |" in DOC


def test_every_park_indicator_is_documented_and_no_other() -> None:
    table = DOC[DOC.index("| indicator | unit | definition |"):DOC.index("**park_members**")]
    documented = set(re.findall(r"^\| `([a-z0-9_<>]+)` \|", table, flags=re.M))
    produced = {*TOTALS, *RATIOS, *STANDING_UNITS, "members_assessed_share",
                "members_zdhc_tested_share", "members_zdhc_green_share"}
    produced |= {"members_high_share_<area>"}
    assert documented == produced


def test_the_outputs_have_the_documented_columns(tmp_path: Path) -> None:
    from factory_journey.services.parks import assess_park_dataset

    frames = assess_park_dataset(write_park(tmp_path), [FRAMEWORK]).result.frames()
    produced = set(frames["park_indicators"]["indicator"].to_list())
    expected = {i for i in produced if not i.startswith("members_high_share_")}
    assert {f"members_high_share_{a}" for a in AREAS} <= produced
    assert expected <= {*TOTALS, *RATIOS, *STANDING_UNITS, "members_assessed_share",
                        "members_zdhc_tested_share", "members_zdhc_green_share"}
    for name, frame in frames.items():
        section = _section(f"**{name}**")
        for column in frame.columns:
            assert f"`{column}`" in section, (name, column)
