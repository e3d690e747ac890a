"""The outcome every file-writing use case returns: status, what was written, what was wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factory_journey.domain.problems import Problem, Severity


@dataclass(slots=True)
class RunOutcome:
    """`status` is "ok" or why not (e.g. "input_problems", "not_found", "output_exists").

    Subclasses add their own results and say how they appear in JSON through `details()`.
    """

    status: str
    dataset: Path | None
    out_dir: Path
    problems: list[Problem] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def details(self) -> dict[str, Any]:
        """The use case's own results, JSON-ready (placed before the problems)."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "dataset": str(self.dataset) if self.dataset else None,
            "out_dir": str(self.out_dir),
            "message": self.message,
            "files_written": self.files_written,
            **self.details(),
            "problems": [p.to_dict() for p in self.problems],
        }
