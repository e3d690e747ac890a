"""Reading single cells as people write them: blanks, text, `;`-separated answers, yes/no words.

Shared by the readers: `formats` and `spreadsheet` (blank cells, text of a workbook cell),
`parse` (the yes/no spellings) and `profile_reader` (multi-select answers). Typing whole
columns is vectorised in `parse`; nothing here validates a row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

YES = frozenset({"yes", "y", "true", "t", "1"})
NO = frozenset({"no", "n", "false", "f", "0"})
LIST_SEPARATOR = ";"


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, blank text, NaN or an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, list | tuple) and len(value) == 0


def parse_list(value: Any) -> list[str]:
    """A multi-select answer: `a; b; c` (or a JSON list); blanks dropped."""
    if isinstance(value, list | tuple):
        parts = [str(item).strip() for item in value if not is_blank(item)]
    else:
        parts = [part.strip() for part in re.split(r"[;\n]", str(value))]
    return [part for part in parts if part]


def parse_text(value: Any) -> str:
    """Text from a cell; whole numbers from spreadsheets lose their `.0` (IDs, codes)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()
