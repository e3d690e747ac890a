"""Problems found in a user's input, located so that a factory user can act on them.

A problem is data, never an exception that reaches the user: every reader and validator
returns a list of `Problem` and the adapters print or serialise them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


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
