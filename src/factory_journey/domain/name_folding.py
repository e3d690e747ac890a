"""The comparison form of a name, an id or the words searched (decision 0053): case folded,
Latin accents dropped, spaces made one, so that "ha noi" finds "Hà Nội" and "istanbul"
"İstanbul" on SQLite and PostgreSQL alike (neither folds accents in `LIKE`).

Pure, so that every layer that needs the form takes it from here: the facilities list's search
(`services.platform.facility_search`), the stored `public_profile.name_folded` and
`subject_id_folded` columns (filled by `store.models.PublicProfile`, backfilled by migration
0016) and the open-data search that matches them (`services.open_data.public_read`). Changing
`fold` changes what is stored: it then needs a migration that folds those columns again.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["FOLDED_REMEMBERED", "fold"]

_SPACES = re.compile(r"\s+")
#: The accents a Latin letter takes (U+0300–U+036F once decomposed: é, ộ, ñ, ş …). Only these
#: are dropped: the vowel signs and viramas of Bengali or Khmer are letters of their words.
_ACCENTS = re.compile("[\u0300-\u036f]")
#: Latin letters that do not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "ß": "ss"})

#: Names and ids whose folded form is remembered [count]: the facilities list folds every
#: name and id of the organisation for each search (`facility_search.matches`); folding
#: 100,000 names took 0.77 s, looking them up again 0.09 s. An organisation's own facilities
#: are a few thousand at most; 16,384 folded names of ~30 characters take ~3 MB a process
#: (131,072 took 22 MB, tracemalloc). The open-data search no longer folds names when asked:
#: it matches the stored folded columns in SQL.
FOLDED_REMEMBERED = 16_384


@lru_cache(maxsize=FOLDED_REMEMBERED)
def fold(text: str) -> str:
    """The comparison form of a name, an id or the words searched: case folded, Latin accents
    dropped, spaces made one. It can be longer than `text` ("…" gives "...", "ß" "ss"), so a
    column that stores it has no length limit."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return unicodedata.normalize("NFC", _SPACES.sub(" ", _ACCENTS.sub("", decomposed))).strip()
