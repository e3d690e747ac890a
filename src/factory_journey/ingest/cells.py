"""Parsing of single cells typed by a table column (numbers, yes/no, lists, dates, choices).

Generic for every table of `domain.tables`: a cell is parsed by its `Column` (type, range,
enumeration) and a bad cell raises `CellError` with a plain message and what is accepted;
readers turn that into a located `Problem`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from factory_journey.domain import fem_enums
from factory_journey.domain.tables import Column
from factory_journey.reference import ReferenceFileError

YES = frozenset({"yes", "y", "true", "t", "1"})
NO = frozenset({"no", "n", "false", "f", "0"})
LIST_SEPARATOR = ";"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; `accepted` says what would be."""

    def __init__(self, message: str, accepted: str) -> None:
        super().__init__(message)
        self.message = message
        self.accepted = accepted


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, blank text, NaN or an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, list | tuple) and len(value) == 0


def parse_number(value: Any) -> float:
    """A number from a cell: 1234.5, "1,234.5" (thousands commas), " 12 ", "1e3"."""
    if isinstance(value, bool):
        raise CellError("yes/no where a number is expected", "a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if not _PLAIN_NUMBER.match(text):
            hint = " (use a point as the decimal separator)" if re.fullmatch(
                r"[+-]?\d+,\d+", text) else ""
            raise CellError(f"not a number{hint}", "a number such as 1250 or 1250.5")
        number = float(text)
    if not math.isfinite(number):
        raise CellError("not a finite number", "a number such as 1250 or 1250.5")
    return number


def parse_int(value: Any) -> int:
    """A whole number from a cell (12, "12", 12.0; not 12.5)."""
    number = parse_number(value)
    if not number.is_integer():
        raise CellError("not a whole number", "a whole number such as 12")
    return int(number)


def parse_bool(value: Any) -> bool:
    """Yes/no from a cell: yes/no/true/false/1/0/y/n in any case, or a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("not a yes/no answer", "yes or no (also true/false, 1/0, y/n)")


def parse_list(value: Any) -> list[str]:
    """A multi-select answer: `a; b; c` (or a JSON list); blanks dropped."""
    if isinstance(value, list | tuple):
        parts = [str(item).strip() for item in value if not is_blank(item)]
    else:
        parts = [part.strip() for part in re.split(r"[;\n]", str(value))]
    return [part for part in parts if part]


def parse_date(value: Any) -> dt.date:
    """A date: a spreadsheet date, `YYYY-MM-DD`, or `YYYY-MM` (first of the month)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = text.split("-")
            return dt.date(int(year), int(month), 1)
        return dt.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError:
        raise CellError("not a date", "a date YYYY-MM-DD or YYYY-MM") from None


def parse_text(value: Any) -> str:
    """Text from a cell; whole numbers from spreadsheets lose their `.0` (IDs, codes)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def resolve_choice(value: str, enum: str | tuple[str, ...]) -> str:
    """The accepted value `value` means, for a tuple of choices or a reference table name."""
    if isinstance(enum, tuple):
        folded = fem_enums.fold(value)
        for choice in enum:
            if fem_enums.fold(choice) == folded:
                return choice
        raise CellError("unknown value", ", ".join(enum))
    try:
        enumeration = fem_enums.enumeration(enum)
    except (ReferenceFileError, KeyError):
        return value  # the table is not shipped: leave the value to later checks
    key = enumeration.resolve(value)
    if key is None:
        raise CellError("unknown value", enumeration.accepted())
    return key


def parse_cell(value: Any, column: Column) -> Any:
    """The cell `value` read as `column` says, or None for a blank cell.

    Raises `CellError` for a value of the wrong type, out of range or not among the
    accepted choices (checked case- and punctuation-insensitively; keys are returned).
    """
    if is_blank(value):
        return None
    parsed: Any
    if column.type == "float":
        parsed = parse_number(value)
    elif column.type == "int":
        parsed = parse_int(value)
    elif column.type == "bool":
        parsed = parse_bool(value)
    elif column.type == "date":
        parsed = parse_date(value)
    elif column.type == "list":
        parsed = parse_list(value)
        if column.enum is not None:
            keys: list[str] = []
            for item in parsed:
                try:
                    keys.append(resolve_choice(item, column.enum))
                except CellError as error:
                    raise CellError(f"unknown value {item!r}", error.accepted) from None
            parsed = list(dict.fromkeys(keys))
        return parsed or None
    else:
        parsed = parse_text(value)
        if column.enum is not None:
            parsed = resolve_choice(parsed, column.enum)
        return parsed
    if isinstance(parsed, int | float) and not isinstance(parsed, bool):
        _check_range(parsed, column)
    return parsed


def _check_range(number: float, column: Column) -> None:
    low, high = column.minimum, column.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            accepted = f"a number from {low:g} to {high:g}"
        elif low is not None:
            accepted = f"a number ≥ {low:g}"
        else:
            accepted = f"a number ≤ {high:g}"
        what = "negative" if low == 0 and number < 0 else "out of range"
        raise CellError(f"{what}: {number:g}", accepted)
