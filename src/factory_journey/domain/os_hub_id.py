"""Open Supply Hub IDs: normalise and check `CC YYYYDDD RRRRR K` (domain-facts §6).

An OS Hub ID has 15 characters: an ISO 3166-1 alpha-2 country code, the year and day of year
the ID was created, five random Crockford base-32 characters and one check character. The
check character is `ALPHABET[(ord(C1) + ord(C2) + Σ index of the 12 following characters)
mod 32]` (opensupplyhub/open-supply-hub, src/django/api/os_id.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Crockford base 32: digits and upper-case letters without I, L, O and U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 15
_SEPARATORS = re.compile(r"[\s\-]+")


class OsHubIdError(ValueError):
    """An OS Hub ID that does not pass; `message` says what is wrong in plain words."""

    def __init__(self, value: str, message: str) -> None:
        super().__init__(message)
        self.value = value
        self.message = message


@dataclass(frozen=True, slots=True)
class OsHubId:
    """The parts of a valid OS Hub ID (`year` and `day_of_year` of creation)."""

    value: str
    country: str
    year: int
    day_of_year: int
    random: str
    check: str

    def hyphenated(self) -> str:
        """The ID as people often write it: `CC-YYYYDDD-RRRRR-K`."""
        v = self.value
        return f"{v[:2]}-{v[2:9]}-{v[9:14]}-{v[14]}"


def normalise_os_hub_id(value: str) -> str:
    """Upper-case `value` and remove spaces and hyphens (no checking)."""
    return _SEPARATORS.sub("", str(value)).upper()


def check_character(first_fourteen: str) -> str:
    """The check character of the first 14 characters of a normalised ID."""
    total = ord(first_fourteen[0]) + ord(first_fourteen[1])
    total += sum(ALPHABET.index(char) for char in first_fourteen[2:14])
    return ALPHABET[total % 32]


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parse_os_hub_id(value: str) -> OsHubId:
    """Check and split an OS Hub ID; raise `OsHubIdError` saying what is wrong and where.

    Accepts any case, spaces and hyphens (`pk-2019083-xjj7d-7`). Positions in messages are
    1-based positions in the normalised 15-character ID.
    """
    text = normalise_os_hub_id(value)
    if len(text) != LENGTH:
        raise OsHubIdError(
            value,
            f"an Open Supply Hub ID has {LENGTH} characters (CC YYYYDDD RRRRR K) without "
            f"spaces or hyphens; this one has {len(text)}",
        )
    if not (text[:2].isascii() and text[:2].isalpha()):
        raise OsHubIdError(
            value,
            f"the first two characters must be a country code (letters A-Z), not {text[:2]!r}",
        )
    for position, char in enumerate(text[2:], start=3):
        if char not in ALPHABET:
            hint = " (I, L, O and U are never used)" if char in "ILOU" else ""
            raise OsHubIdError(
                value,
                f"character {char!r} at position {position} is not in the OS Hub alphabet "
                f"{ALPHABET}{hint}",
            )
    date_part = text[2:9]
    if not date_part.isdigit():
        raise OsHubIdError(
            value, f"positions 3-9 must be a year and day of year (YYYYDDD), not {date_part!r}"
        )
    year, day = int(date_part[:4]), int(date_part[4:])
    if not 2000 <= year <= 2100:
        raise OsHubIdError(value, f"year {year} in positions 3-6 is not a plausible creation year")
    if not 1 <= day <= (366 if _is_leap(year) else 365):
        raise OsHubIdError(
            value, f"day of year {day:03d} in positions 7-9 does not exist in {year}"
        )
    expected = check_character(text)
    if text[14] != expected:
        raise OsHubIdError(
            value,
            f"check character {text[14]!r} (position 15) is wrong: expected {expected!r}; "
            "a character was probably mistyped",
        )
    return OsHubId(text, text[:2], year, day, text[9:14], text[14])


def is_valid_os_hub_id(value: str) -> bool:
    """True when `value` is a valid OS Hub ID (any case, spaces and hyphens allowed)."""
    try:
        parse_os_hub_id(value)
    except OsHubIdError:
        return False
    return True
