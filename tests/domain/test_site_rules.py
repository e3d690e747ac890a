"""The seed's arithmetic with the seed's own numbers (higg-fem-site-information.txt)."""

import pytest

from factory_journey.domain.site_rules import (
    SiteRuleError,
    UnitDimensionError,
    UnknownUnitError,
    annual_production_volume,
    average_employees,
    average_employees_total,
    operating_day_weight,
    operating_days,
    total_sam,
)


@pytest.mark.parametrize(
    ("hours", "workers", "expected"),
    [
        (1.0, 1.0, 1.0),
        (0.8, 0.6, 1.0),
        (0.4, 1.0, 0.5),  # hours < 50 % → half a day
        (1.0, 0.3, 0.5),  # workers < 50 % → half a day
        (0.2, 0.2, 0.5),
        (0.5, 0.5, 1.0),  # exactly 50 % is not "less than 50 %": a full day
        (0.5, 0.49, 0.5),
        (1.2, 1.0, 1.0),  # overtime counts as a normal day
        (0.0, 0.0, 0.0),  # closed
        (0.0, 0.8, 0.0),  # no hours: nothing operated
    ],
)
def test_operating_day_weight(hours, workers, expected):
    assert operating_day_weight(hours, workers) == expected


def test_operating_days_sums_the_log():
    log = [(1.0, 1.0)] * 250 + [(0.4, 1.0)] * 20 + [(0.0, 0.0)] * 10
    assert operating_days(log) == 260.0


def test_operating_days_refuses_more_than_366_days():
    with pytest.raises(SiteRuleError, match="366"):
        operating_days([(1.0, 1.0)] * 367)


def test_negative_share_is_refused():
    with pytest.raises(SiteRuleError):
        operating_day_weight(-0.1, 1.0)


def test_average_employees_seed_example():
    assert average_employees([520, 525, 545]) == 530


def test_average_employees_rounds_up():
    assert average_employees([520, 525, 546]) == 531  # 530.33 → 531
    assert average_employees([100, 101]) == 101  # 100.5 → 101
    assert average_employees([0.1 + 0.2, 0.3 * 3 - 0.6]) == 1  # no float noise adds one


def test_average_employees_total_full_time_plus_temporary():
    assert average_employees_total([500, 505, 520], [20, 20, 25]) == 530


def test_average_employees_needs_periods():
    with pytest.raises(SiteRuleError, match="pay period"):
        average_employees([])
    with pytest.raises(SiteRuleError):
        average_employees([10, -1])


def test_production_volume_seed_example():
    # A cut and sew operation with printing: 100,000 pcs and 2,000 kg.
    assert annual_production_volume("finalProductAssembly", 100_000, "pcs") == 100_000
    assert annual_production_volume("printingProductDyeingAndLaundering", 2, "t") == 2000


@pytest.mark.parametrize(
    ("facility_type", "quantity", "unit", "expected"),
    [
        ("materialProduction", 1000, "kg", 1000),
        ("materialProduction", 3, "tonnes", 3000),
        ("materialProduction", 1000, "lb", 453.59237),
        ("finalProductAssembly", 100, "dozen", 1200),
        ("finalProductAssembly", 500, "pairs", 500),
        ("hardComponentTrimProduction", 10, "dz", 120),
    ],
)
def test_production_volume_converts_within_the_dimension(facility_type, quantity, unit, expected):
    assert annual_production_volume(facility_type, quantity, unit) == pytest.approx(expected)


def test_production_volume_excludes_rejects():
    # 102,000 shipped of which 2,000 rejects → 100,000.
    assert annual_production_volume("finalProductAssembly", 102_000, "pcs", rejects=2000) == 100_000
    with pytest.raises(SiteRuleError, match="exceed"):
        annual_production_volume("finalProductAssembly", 10, "pcs", rejects=11)


def test_production_volume_unit_of_another_dimension():
    with pytest.raises(UnitDimensionError, match="length"):
        annual_production_volume("materialProduction", 5000, "m")
    with pytest.raises(UnitDimensionError, match="mass"):
        annual_production_volume("finalProductAssembly", 5000, "kg")


def test_production_volume_unknown_unit_and_type():
    with pytest.raises(UnknownUnitError):
        annual_production_volume("materialProduction", 5000, "bales")
    with pytest.raises(SiteRuleError, match="unknown facility type"):
        annual_production_volume("spaceship", 1, "kg")


def test_total_sam_apparel_seed_example():
    assert total_sam([(15, 100_000), (12, 500_000)]) == 7_500_000


def test_total_sam_hardgoods_seed_example():
    assert total_sam([(45, 20_000), (60, 30_000), (150, 10_000)]) == 4_200_000
