"""Problems found in a user's input, located so that a factory user can act on them.

A problem is data, never an exception that reaches the user: every reader and validator
returns a list of `Problem` and the adapters print or serialise them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

#: Most characters of a value shown in a message; a longer one keeps its start.
VALUE_CHARS = 80
#: Most characters of a message, a column name or a file name as shown.
TEXT_CHARS = 400

_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}


def shorten(text: str, limit: int = VALUE_CHARS) -> str:
    """`text` as shown to a user: at most `limit` characters (a longer text keeps its start
    and says how long it was) with control characters escaped, so that a 1 MB cell or a
    terminal escape sequence in a file never reaches a console or a report whole."""
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text):,} characters)"
    return text.translate(_CONTROL)


def _shown(value: Any) -> Any:
    """A problem's value as kept: text shortened (see `shorten`); other values as given,
    unless their text is long (a nested JSON value), then that text shortened."""
    if isinstance(value, str):
        return shorten(value) if len(value) > VALUE_CHARS else value
    if isinstance(value, float | bool | type(None)):
        return value
    if isinstance(value, int) and abs(value) < 10**VALUE_CHARS:
        return value
    text = str(value)
    return shorten(text) if len(text) > VALUE_CHARS else value


class Severity(StrEnum):
    """How bad a problem is: an error blocks the import, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as the format allows.

    `row` is the row number a person sees in a spreadsheet: 1 is the header row, so the first
    data row is 2. For JSON input `row` is the 1-based index of the record.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    accepted: str | None = None
    code: str = "invalid"
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # Shortened once here, so that every place a problem is shown (console, error report,
        # an import job's record) gets the short form.
        object.__setattr__(self, "value", _shown(self.value))
        for name in ("message", "file", "sheet", "column"):  # `accepted` is ours, whole
            text = getattr(self, name)
            if isinstance(text, str) and (len(text) > TEXT_CHARS or not text.isprintable()):
                object.__setattr__(self, name, shorten(text, TEXT_CHARS))

    def location(self) -> str:
        """The place of the problem in words: `profiles.xlsx, sheet Profiles, row 4, column X`."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        """One plain line: location, what is wrong, the value, and what would be accepted."""
        text = self.message
        if self.value is not None and self.value != "":
            text += f" (found: {self.value!r})"
        if self.accepted:
            text += f". Accepted: {self.accepted}"
        where = self.location()
        return f"{where}: {text}" if where else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the value is turned to text when it is not a plain scalar)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        if not isinstance(self.value, str | int | float | bool | type(None)):
            data["value"] = str(self.value)
        return data


@dataclass(slots=True)
class ProblemList:
    """Problems collected while reading or validating, in the order they were found."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: list[Problem] | ProblemList) -> None:
        self.items.extend(problems.items if isinstance(problems, ProblemList) else problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)


class InputError(Exception):
    """Raised inside an adapter to stop an import; carries the problems for the error report."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.describe() for p in problems[:3]))
        self.problems = problems
