"""Finding one facility among an organisation's own (the search box of /facilities): the words
typed match a facility's name or id anywhere in it, in any case and with accents ignored
("ha noi" finds "Hà Nội Dệt"), optionally within one country.

The words never reach SQL: the organisation's facilities (id, name, country) are read by one
statement bound to the organisation's id (the home page read them all already to page them),
and the words are compared here. That keeps the match the same on SQLite and PostgreSQL —
neither folds accents with LIKE, and SQLite's lower() folds ASCII only — and leaves nothing
typed to escape or inject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factory_journey.domain.name_folding import fold

#: Longest search text kept [characters]: a part of a name or an id is typed, not a paragraph
#: (a facility name has at most 300 characters, an id 64); longer text is cut, and said so.
MAX_QUERY = 100

_SPACES = re.compile(r"\s+")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True, slots=True)
class FacilityQuery:
    """A search of the facilities list as it is applied.

    `text`: the words, trimmed, inner spaces made one, at most `MAX_QUERY` characters ("" for
    none); `country`: an ISO 3166-1 alpha-2 code in upper case ("" for any); `cut`: the words
    typed were longer than `MAX_QUERY` and only their beginning is searched.
    """

    text: str = ""
    country: str = ""
    cut: bool = False

    @property
    def active(self) -> bool:
        """Whether the list is narrowed at all."""
        return bool(self.text or self.country)

    @property
    def params(self) -> dict[str, str]:
        """The request parameters that ask for this search again (a page link keeps them)."""
        return {key: value for key, value in (("q", self.text), ("country", self.country))
                if value}


def facility_query(text: str | None, country: str | None = None) -> FacilityQuery:
    """The search a request's `q` and `country` ask for. Characters that cannot be printed
    count as spaces; a country that is not two letters is ignored (any country)."""
    words = _SPACES.sub(" ", "".join(c if c.isprintable() else " " for c in text or "")).strip()
    cut = len(words) > MAX_QUERY
    if cut:
        words = words[:MAX_QUERY].rstrip()
    code = (country or "").strip()
    return FacilityQuery(words, code.upper() if _COUNTRY.fullmatch(code) else "", cut)


def matches(query: FacilityQuery, facility_id: str, name: str, country_iso2: str) -> bool:
    """Whether a facility is one the search finds: in the country asked (if any), and the
    words within its name or its id (if any)."""
    if query.country and (country_iso2 or "").upper() != query.country:
        return False
    if not query.text:
        return True
    words = fold(query.text)
    return words in fold(name or "") or words in fold(facility_id)
