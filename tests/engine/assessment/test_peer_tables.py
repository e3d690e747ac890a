"""Peer thresholds in two steps: the groups of one matrix as a table (with n), applied to
another — the platform's peer snapshot over every facility, applied to one facility."""

from __future__ import annotations

import polars as pl
import pytest

from factory_journey.engine.assessment import (
    assess,
    default_methodology,
    peer_table_of,
    validate_peer_table,
)

from .matrix_rows import make_matrix, mill


def _peers(n: int, country: str = "BD", subregion: str = "Southern Asia"):
    # Intensities 10, 20, …: the 75th percentile (linear) of 10…100 is 77.5.
    return [
        mill(
            facility_id=f"{country}{i:02d}",
            country_iso2=country,
            un_subregion=subregion,
            energy_intensity_mj_per_unit=10.0 * (i + 1),
        )
        for i in range(n)
    ]


def test_a_matrix_judged_against_its_own_table_is_judged_as_before():
    rows = _peers(10) + [
        mill(facility_id=f"IN{i}", country_iso2="IN", energy_intensity_mj_per_unit=5.0 * i)
        for i in range(4)
    ]
    matrix = make_matrix(rows)
    own = assess(matrix)
    given = assess(matrix, peers=peer_table_of(matrix))
    for part in ("opportunities", "pathways", "measures", "trajectory", "indicators"):
        assert getattr(own, part).equals(getattr(given, part)), part
    assert "peer" in own.indicators["threshold_kind"].cast(pl.String).to_list()


def test_the_table_publishes_n_and_leaves_out_small_groups():
    minimum = default_methodology().peer_rules.min_group_size
    matrix = make_matrix(_peers(10) + _peers(3, country="IN"))
    table = peer_table_of(matrix)
    assert table["n"].min() >= minimum
    energy = table.filter(pl.col("indicator") == "energy_intensity")
    countries = energy.filter(pl.col("level") == "country_iso2")
    assert countries["region"].to_list() == ["BD"]  # India's 3 are too few
    assert countries["n"].to_list() == [10]
    assert countries["threshold"].to_list() == [pytest.approx(77.5)]
    # The median of the same ten values (10…100): what a report compares a facility with.
    assert countries["median"].to_list() == [pytest.approx(55.0)]
    assert validate_peer_table(table).equals(table)


def test_a_table_of_version_1_without_medians_still_judges_the_same():
    platform = make_matrix(_peers(10))
    table = peer_table_of(platform)
    old = validate_peer_table(table.drop("median"), "peers.parquet")
    assert old["median"].null_count() == old.height
    one = make_matrix([mill(facility_id="ONE", country_iso2="BD")])
    new_result = assess(one, peers=table).indicators
    old_result = assess(one, peers=old).indicators
    assert new_result.equals(old_result)
    assert "peer" in new_result["threshold_kind"].cast(pl.String).to_list()


def test_one_facility_is_judged_against_the_peers_of_the_whole_platform():
    platform = make_matrix(_peers(10))
    table = peer_table_of(platform)
    alone = make_matrix([mill(facility_id="NEW", energy_intensity_mj_per_unit=90.0)])
    row = (
        assess(alone, peers=table)
        .indicators.filter(pl.col("indicator") == "energy_intensity")
        .row(0, named=True)
    )
    assert row["threshold_kind"] == "peer"
    assert row["threshold"] == pytest.approx(77.5)
    assert row["peer_group_size"] == 10
    assert row["worse_than_threshold"] is True
    # On its own (no table) a lone facility has no peers: the absolute threshold applies.
    own = assess(alone).indicators.filter(pl.col("indicator") == "energy_intensity")
    assert own["threshold_kind"].cast(pl.String).to_list() == ["absolute_fallback"]
    # A facility in a group the table does not hold (another country and type) falls back.
    other = make_matrix(
        [mill(facility_id="CUT", journey_factory_type="cut_sew", intensity_basis="pc")]
    )
    kinds = assess(other, peers=table).indicators.filter(pl.col("indicator") == "energy_intensity")
    assert kinds["threshold_kind"].cast(pl.String).to_list() == ["absolute_fallback"]


def test_a_table_with_a_missing_column_is_refused_by_name():
    with pytest.raises(ValueError, match="threshold"):
        validate_peer_table(pl.DataFrame({"indicator": ["energy_intensity"]}), "peers.parquet")


def test_peer_groups_are_one_enum_of_the_table_whatever_part_is_assessed():
    """`peer_group` is an Enum of every group of the table judged against (decision 0056):
    two parts of a matrix assessed apart against one table get the same type, so their
    pieces make one file; a group no part uses is still a category."""
    matrix = make_matrix(_peers(10) + _peers(10, country="IN", subregion="Southern Asia"))
    table = peer_table_of(matrix)
    bangladesh = assess(matrix.filter(pl.col("country_iso2") == "BD"), peers=table)
    india = assess(matrix.filter(pl.col("country_iso2") == "IN"), peers=table)
    types = {bangladesh.indicators.schema["peer_group"], india.indicators.schema["peer_group"]}
    assert len(types) == 1
    (dtype,) = types
    assert isinstance(dtype, pl.Enum)
    used = set(bangladesh.indicators["peer_group"].drop_nulls().cast(pl.String))
    assert used and all(" facilities in BD " in group for group in used)
    categories = set(dtype.categories.to_list())
    assert used < categories  # India's groups too
    assert any(" facilities in IN " in group for group in categories)
    assert list(dtype.categories) == sorted(categories)
    # a facility on its own (no table): null groups, of an Enum without categories
    alone = assess(matrix.head(1))
    assert alone.indicators["peer_group"].null_count() == alone.indicators.height
