"""Open Supply Hub IDs: real IDs pass, corrupted ones fail with a precise message."""

import pytest

from factory_journey.domain.os_hub_id import (
    OsHubIdError,
    check_character,
    is_valid_os_hub_id,
    normalise_os_hub_id,
    parse_os_hub_id,
)

REAL = ["PK2019083XJJ7D7", "MM2020217RHSTQV", "CN2019243789RPC"]


@pytest.mark.parametrize("value", REAL)
def test_real_ids_pass(value):
    parsed = parse_os_hub_id(value)
    assert parsed.value == value
    assert check_character(value) == value[-1]


@pytest.mark.parametrize(
    "value", ["pk2019083xjj7d7", "PK-2019083-XJJ7D-7", " mm 2020217 rhstq v ", "cn-2019243-789rp-c"]
)
def test_case_hyphens_and_spaces_are_normalised(value):
    assert is_valid_os_hub_id(value)
    assert len(normalise_os_hub_id(value)) == 15


def test_parts_and_hyphenated_form():
    parsed = parse_os_hub_id("PK2019083XJJ7D7")
    assert (parsed.country, parsed.year, parsed.day_of_year, parsed.random, parsed.check) == (
        "PK",
        2019,
        83,
        "XJJ7D",
        "7",
    )
    assert parsed.hyphenated() == "PK-2019083-XJJ7D-7"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("PK2019083XJJ7D8", "expected '7'"),
        ("MM2020217RHSTQW", "expected 'V'"),
        ("CN2019243789RPD", "expected 'C'"),
        ("PK2019083XJJ7D", "has 14"),
        ("PK2019083XJJ7D77", "has 16"),
        ("PK2019083XJI7D7", "'I' at position 12"),
        ("PK2019083XJU7D7", "'U' at position 12"),
        ("PK2019083XJ*7D7", "'*' at position 12"),
        ("P12019083XJJ7D7", "country code"),
        ("PK2019400XJJ7D7", "day of year 400"),
        ("PK2019000XJJ7D7", "day of year 000"),
        ("PK20A9083XJJ7D7", "YYYYDDD"),
    ],
)
def test_corrupted_ids_fail_clearly(value, fragment):
    with pytest.raises(OsHubIdError) as caught:
        parse_os_hub_id(value)
    assert fragment in caught.value.message
    assert not is_valid_os_hub_id(value)


def test_every_single_character_typo_in_the_random_part_is_caught():
    value = "PK2019083XJJ7D7"
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    for position in range(9, 14):
        for char in alphabet:
            if char == value[position]:
                continue
            typo = value[:position] + char + value[position + 1 :]
            assert not is_valid_os_hub_id(typo), typo
