"""Hand-built cases: absolute thresholds, peer thresholds, the peer-group fallback, levels and
not-assessed areas with the missing data named."""

from __future__ import annotations

import polars as pl
import pytest

from factory_journey.engine.assessment import assess

from .matrix_rows import make_matrix, mill


def _indicator(result, facility_id: str, indicator: str) -> dict:
    rows = result.indicators.filter(
        (pl.col("facility_id") == facility_id) & (pl.col("indicator") == indicator)
    ).to_dicts()
    assert len(rows) == 1
    return rows[0]


def _level(result, facility_id: str, area: str) -> dict:
    rows = result.opportunities.filter(
        (pl.col("facility_id") == facility_id) & (pl.col("area") == area)
    ).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_every_area_has_a_result_and_a_good_mill_is_low_everywhere():
    result = assess(make_matrix([mill()]))
    assert result.opportunities.height == 7
    assert set(result.opportunities["opportunity_level"]) == {"low"}
    assert result.pathways.filter(pl.col("pathway") == "recommended").height == 1


def test_absolute_threshold_by_factory_type_and_basis():
    # Cut & sew per piece: 1.5 MJ/pc (Çay 2018); a lone facility has no peers → fallback.
    result = assess(
        make_matrix(
            [
                mill(
                    journey_factory_type="cut_sew",
                    intensity_basis="pc",
                    energy_intensity_mj_per_unit=2.0,
                )
            ]
        )
    )
    row = _indicator(result, "F1", "energy_intensity")
    assert row["threshold"] == 1.5
    assert row["threshold_kind"] == "absolute_fallback"
    assert row["worse_than_threshold"] is True
    assert row["gap"] == pytest.approx(0.25)  # (2.0 - 1.5) / 2.0
    assert _level(result, "F1", "energy")["opportunity_level"] == "high"


def test_absolute_threshold_exactly_met_is_not_worse():
    result = assess(make_matrix([mill(renewable_share=0.2)]))
    row = _indicator(result, "F1", "renewable_share")
    assert row["threshold"] == 0.2 and row["worse_than_threshold"] is False and row["gap"] == 0


def test_absolute_threshold_higher_is_better_gap_is_the_shortfall():
    result = assess(make_matrix([mill(chem_gateway_share=0.3)]))
    row = _indicator(result, "F1", "chem_gateway_share")
    assert row["threshold"] == 0.5  # mills: 50 %
    assert row["gap"] == pytest.approx(0.4)  # (0.5 - 0.3) / 0.5
    assert _level(result, "F1", "chemicals")["indicators_worse"] == "chem_gateway_share"


def test_ordinal_and_boolean_indicators():
    result = assess(make_matrix([mill(zdhc_overall_level="fail", ems_has_policy=False)]))
    assert _indicator(result, "F1", "zdhc_level")["worse_than_threshold"] is True
    assert _level(result, "F1", "wastewater")["opportunity_level"] == "high"
    assert _indicator(result, "F1", "ems_policy")["gap"] == 1.0
    assert _level(result, "F1", "ems")["opportunity_level"] == "high"


def _peers(n: int, country: str = "BD", subregion: str = "Southern Asia", start: int = 0):
    # Intensities 10, 20, …: the 75th percentile (linear) of 10…100 is 77.5.
    return [
        mill(
            facility_id=f"{country}{i:02d}",
            country_iso2=country,
            un_subregion=subregion,
            energy_intensity_mj_per_unit=10.0 * (i + 1 - start),
        )
        for i in range(start, start + n)
    ]


def test_peer_threshold_in_the_country_group():
    result = assess(make_matrix(_peers(10)))
    row = _indicator(result, "BD09", "energy_intensity")  # value 100
    assert row["threshold_kind"] == "peer"
    assert row["peer_level"] == "country_iso2"
    assert row["peer_group_size"] == 10
    assert row["threshold"] == pytest.approx(77.5)
    assert row["peer_group"] == "mill per-kg facilities in BD 2024"
    assert row["worse_than_threshold"] is True
    # 80 > 77.5 is worse; 70 is not.
    assert _indicator(result, "BD07", "energy_intensity")["worse_than_threshold"] is True
    assert _indicator(result, "BD06", "energy_intensity")["worse_than_threshold"] is False


def test_peer_group_too_small_widens_to_the_subregion():
    # 6 in Bangladesh + 4 in India, both Southern Asia: no country reaches 10, the sub-region does.
    rows = _peers(6) + [
        mill(facility_id=f"IN{i}", country_iso2="IN", energy_intensity_mj_per_unit=10.0 * (i + 7))
        for i in range(4)
    ]
    result = assess(make_matrix(rows))
    row = _indicator(result, "BD00", "energy_intensity")
    assert row["peer_level"] == "un_subregion"
    assert row["peer_group_size"] == 10
    assert row["threshold"] == pytest.approx(77.5)
    assert row["peer_group"] == "mill per-kg facilities in Southern Asia 2024"


def test_peer_group_too_small_everywhere_falls_back_to_absolute():
    result = assess(make_matrix(_peers(9)))
    row = _indicator(result, "BD00", "energy_intensity")
    assert row["threshold_kind"] == "absolute_fallback"
    assert row["threshold"] == 60.0  # mills per kg
    assert row["peer_group_size"] is None


def test_peers_are_counted_per_year_and_factory_type():
    rows = [
        *_peers(10),
        mill(
            facility_id="CUT",
            journey_factory_type="cut_sew",
            intensity_basis="pc",
            energy_intensity_mj_per_unit=1.0,
        ),
    ]
    rows += [dict(r, year=2023) for r in _peers(5)]
    result = assess(make_matrix(rows))
    assert _indicator(result, "CUT", "energy_intensity")["threshold_kind"] == "absolute_fallback"
    old = result.indicators.filter(
        (pl.col("year") == 2023) & (pl.col("indicator") == "energy_intensity")
    )
    assert set(old["threshold_kind"]) == {"absolute_fallback"}


def test_not_assessed_names_the_missing_data():
    result = assess(make_matrix([mill(energy_intensity_mj_per_unit=None, energy_total_mj=None)]))
    energy = _level(result, "F1", "energy")
    assert energy["opportunity_level"] == "not_assessed"
    assert energy["missing_data"] == "energy_intensity_mj_per_unit (missing: energy_total_mj)"
    assert energy["gap"] is None


def test_area_without_required_indicator_needs_one_judged_value():
    result = assess(
        make_matrix(
            [
                mill(
                    zdhc_overall_level=None,
                    zdhc_parameters_tested=None,
                    wastewater_recycling_rate=None,
                    wastewater_m3=None,
                )
            ]
        )
    )
    wastewater = _level(result, "F1", "wastewater")
    assert wastewater["opportunity_level"] == "not_assessed"
    assert wastewater["missing_data"] == (
        "zdhc_overall_level (missing: zdhc_parameters_tested); "
        "wastewater_recycling_rate (missing: wastewater_m3)"
    )
    # One of the two is enough to assess.
    result = assess(make_matrix([mill(wastewater_recycling_rate=None)]))
    wastewater = _level(result, "F1", "wastewater")
    assert wastewater["opportunity_level"] == "low"
    assert wastewater["missing_data"] == "wastewater_recycling_rate"


def test_missing_column_in_the_matrix_is_a_warning_not_a_crash():
    matrix = make_matrix([mill()]).drop("air_sources_tracked_share")
    result = assess(matrix)
    assert _level(result, "F1", "air")["opportunity_level"] == "not_assessed"
    assert any("air_sources_tracked_share" in w for w in result.warnings)


def test_unknown_factory_type_uses_catch_all_rows():
    result = assess(make_matrix([mill(journey_factory_type=None)]))
    row = _indicator(result, "F1", "energy_intensity")
    assert row["threshold"] == 60.0
    assert result.pathways.filter(pl.col("pathway") == "recommended").height == 1


def test_most_specific_absolute_row_wins_country_over_subregion_over_any():
    import copy

    from factory_journey.engine.assessment import parse_methodology
    from factory_journey.reference.loader import load_yaml

    document = copy.deepcopy(load_yaml("methodology/fj-2026.1.yaml"))
    common = {
        "indicator": "renewable_share",
        "factory_type": "*",
        "basis": "*",
        "certainty": "project",
        "source": "test",
    }
    document["absolute_thresholds"] += [
        {**common, "region": "Southern Asia", "value": 0.3},
        {**common, "region": "BD", "value": 0.4},
        {**common, "region": "Asia", "value": 0.35, "factory_type": "mill"},
    ]
    methodology = parse_methodology(document)
    rows = [
        mill(facility_id="BD1"),  # exact type (mill, region Asia) beats any type in BD
        mill(facility_id="BD2", journey_factory_type="cut_sew", intensity_basis="pc"),
        mill(
            facility_id="IN1",
            journey_factory_type="cut_sew",
            intensity_basis="pc",
            country_iso2="IN",
        ),
        mill(
            facility_id="VN1",
            journey_factory_type="cut_sew",
            intensity_basis="pc",
            country_iso2="VN",
            un_subregion="South-eastern Asia",
        ),
    ]
    result = assess(make_matrix(rows), methodology)
    thresholds = {
        fid: _indicator(result, fid, "renewable_share")["threshold"]
        for fid in ("BD1", "BD2", "IN1", "VN1")
    }
    assert thresholds == {"BD1": 0.35, "BD2": 0.4, "IN1": 0.3, "VN1": 0.2}


def test_prices_fall_back_to_the_world_default_row():
    result = assess(make_matrix([mill(country_iso2="ZZ", energy_intensity_mj_per_unit=80.0)]))
    steam = result.measures.filter(pl.col("measure") == "steam_traps").to_dicts()[0]
    assert steam["money_saved_usd"] == pytest.approx(1050 * 8.0)  # world default 8 USD/GJ
    assert steam["price_source"].endswith("world default")


def test_fewer_rows_than_a_peer_group_give_the_same_result_as_the_full_peer_path():
    """Below `min_group_size` rows the peer windows are skipped (a speed path for one
    facility); adding a row of another year takes the full path, and must change nothing for
    the first nine."""
    nine = [
        mill(facility_id=f"F{i}", energy_intensity_mj_per_unit=30.0 + 5 * i) for i in range(9)
    ]
    small = assess(make_matrix(nine))
    full = assess(make_matrix([*nine, mill(facility_id="Z", year=2019)]))
    for name in ("indicators", "opportunities", "pathways", "measures"):
        expected = getattr(full, name).filter(pl.col("facility_id") != "Z")
        assert getattr(small, name).equals(expected), name
    assert set(small.indicators["threshold_kind"].drop_nulls()) == {
        "absolute",
        "absolute_fallback",
    }
