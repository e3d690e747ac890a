"""Unit conversions against hand-computed values."""

import pytest

from factory_journey.domain.units import UnknownUnitError, conversion_factor, unit_dimension


@pytest.mark.parametrize(
    ("spelling", "target", "expected"),
    [
        ("kWh", None, 3.6),  # 1 kWh = 3.6 MJ exactly
        ("MWh", None, 3600.0),
        ("MMBtu", None, 1055.056),  # 10^6 Btu(IT) × 1055.05585262 J
        ("GJ", None, 1000.0),
        ("tce", None, 29307.6),
        ("short ton", None, 907.18474),  # 2000 lb × 0.45359237 kg
        ("t", None, 1000.0),
        ("lb", None, 0.45359237),
        ("L", None, 0.001),
        ("gal", None, 0.003785411784),
        ("Nm³", None, 1.0),
        ("pairs", None, 1.0),
        ("dozen", None, 12.0),
        ("kWh", "GJ", 0.0036),
    ],
)
def test_conversion_factor(spelling, target, expected):
    assert conversion_factor(spelling, target) == pytest.approx(expected, rel=1e-9)


def test_unit_spelling_is_case_and_space_insensitive():
    assert conversion_factor("  KWH ") == conversion_factor("kWh")
    assert unit_dimension("Short  Tons") == "mass"


def test_unknown_unit_lists_what_is_accepted():
    with pytest.raises(UnknownUnitError) as caught:
        conversion_factor("barrels of sunshine")
    assert "kwh" in caught.value.accepted


def test_every_accepted_spelling_converts_to_its_canonical_unit():
    """Each alias the reader accepts must convert (an alias pint refuses, such as the former
    `mcf = 1000*foot**3`, passed validation and then stopped `read_dataset` with a traceback)."""
    from factory_journey.domain.units import _aliases, conversion_factor

    failures = {}
    for spelling in _aliases():
        try:
            factor = conversion_factor(spelling)
        except Exception as error:  # collect all, report together
            failures[spelling] = repr(error)
            continue
        assert factor > 0, spelling
    assert failures == {}


def test_mcf_is_a_thousand_cubic_feet():
    from factory_journey.domain.units import conversion_factor

    assert conversion_factor("Mcf", "m3") == pytest.approx(1000 * 0.3048**3)
