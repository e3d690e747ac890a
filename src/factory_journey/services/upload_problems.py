"""An import job's problems as a factory user reads them: each located (file, sheet, row,
column, value), with what is accepted and the guidance of its table and column, errors before
warnings, grouped by file and sheet in the order of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factory_journey.services.dataset_guidance import anchor_for, column_guide, table_of


@dataclass(frozen=True, slots=True)
class ProblemView:
    """One problem, every field ready to show (None where the format has no such place)."""

    message: str
    severity: str
    code: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    accepted: str | None
    table: str | None
    #: Fragment id on the guidance page: the column's when known, else the table's ("" when
    #: the problems are not of a factory dataset: a park dataset's guidance is its template's)
    guidance: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """The problems of one file (and sheet), errors first, then by row."""

    file: str | None
    sheet: str | None
    problems: tuple[ProblemView, ...]


@dataclass(frozen=True, slots=True)
class ProblemReport:
    errors: int
    warnings: int
    groups: tuple[ProblemGroup, ...]


def _value_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def problem_view(problem: dict[str, Any], guided: bool = True) -> ProblemView:
    """One stored problem (`Problem.to_dict()`) with its guidance; `guided=False` for a
    dataset other than a factory's (a park's): its sheets are not the factory tables, so no
    table, guidance or accepted text is looked up for it."""
    file, sheet, column = problem.get("file"), problem.get("sheet"), problem.get("column")
    table = table_of(file, sheet) if guided else None
    guide = column_guide(table, column) if guided else None
    accepted = problem.get("accepted") or (guide.accepted if guide is not None else None)
    return ProblemView(
        message=str(problem.get("message") or ""),
        severity=str(problem.get("severity") or "error"),
        code=str(problem.get("code") or "invalid"),
        file=file,
        sheet=sheet,
        row=problem.get("row"),
        column=column,
        value=_value_text(problem.get("value")),
        accepted=accepted,
        table=table,
        guidance=(guide.anchor if guide is not None else anchor_for(table)) if guided else "",
    )


def problem_report(problems: list[dict[str, Any]], guided: bool = True) -> ProblemReport:
    """Every problem of a job, grouped by file and sheet (in the order first met);
    `guided` as for `problem_view`."""
    views = [problem_view(p, guided) for p in problems]
    order: dict[tuple[str | None, str | None], list[ProblemView]] = {}
    for view in views:
        order.setdefault((view.file, view.sheet), []).append(view)
    groups = tuple(
        # Within errors and warnings by row; a problem of no row (the summary "28 more rows
        # … have the same problem", a file-wide one) after the rows, as the ingest orders them.
        ProblemGroup(file, sheet, tuple(sorted(
            items, key=lambda v: (not v.is_error, v.row is None, v.row or 0)
        )))
        for (file, sheet), items in order.items()
    )
    errors = sum(1 for v in views if v.is_error)
    return ProblemReport(errors, len(views) - errors, groups)
