"""The outcome every file-writing use case returns: status, what was written, what was wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from factory_journey.domain.problems import Problem, Severity
from factory_journey.services.output_dir import (
    OutputExistsError,
    OutputInUseError,
    atomic_output_dir,
    check_target,
)
from factory_journey.services.report_files import write_error_report


@dataclass(slots=True)
class RunOutcome:
    """`status` is "ok" or why not (e.g. "input_problems", "not_found", "output_exists",
    "output_in_use").

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


R = TypeVar("R", bound=RunOutcome)


def refused(run_type: type[R], dataset: Path, out_dir: Path, force: bool) -> R | None:
    """The outcome of a run that cannot start (no such dataset; output folder in the way),
    or None when it can."""
    if not dataset.exists():
        return run_type("not_found", None, out_dir, message=f"The dataset {dataset} was not found")
    try:
        check_target(out_dir, force)
    except OutputInUseError as error:
        return run_type("output_in_use", dataset, out_dir, message=str(error))
    except OutputExistsError as error:
        return run_type("output_exists", dataset, out_dir, message=str(error))
    return None


def input_problems(
    run_type: type[R],
    dataset: Path,
    out_dir: Path,
    problems: Sequence[Problem],
    force: bool,
    message: str | None = None,
) -> R:
    """Write only the error report into `out_dir` (all or nothing) and say what stopped the run."""
    with atomic_output_dir(out_dir, force) as staging:
        files = write_error_report(problems, staging, dataset.name)
    if message is None:
        errors = sum(p.severity is Severity.ERROR for p in problems)
        message = (
            f"{errors} problem{'s' if errors != 1 else ''} in the dataset; nothing "
            f"but the error report was written to {out_dir}"
        )
    return run_type("input_problems", dataset, out_dir, list(problems), files, message=message)
