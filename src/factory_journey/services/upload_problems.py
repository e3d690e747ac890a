"""An import job's problems as a factory user reads them: each located (file, sheet, row,
column, value), with what is accepted and the guidance of its table and column, errors before
warnings, grouped by file and sheet in the order of the file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
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
    #: Fragment id on the guidance page: the column's when known, else the table's.
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


def problem_view(problem: dict[str, Any]) -> ProblemView:
    """One stored problem (`Problem.to_dict()`) with its guidance."""
    file, sheet, column = problem.get("file"), problem.get("sheet"), problem.get("column")
    table = table_of(file, sheet)
    guide = column_guide(table, column)
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
        guidance=guide.anchor if guide is not None else anchor_for(table),
    )


def problem_report(problems: list[dict[str, Any]]) -> ProblemReport:
    """Every problem of a job, grouped by file and sheet (in the order first met)."""
    views = [problem_view(p) for p in problems]
    order: dict[tuple[str | None, str | None], list[ProblemView]] = {}
    for view in views:
        order.setdefault((view.file, view.sheet), []).append(view)
    groups = tuple(
        ProblemGroup(file, sheet, tuple(sorted(
            items, key=lambda v: (not v.is_error, v.row if v.row is not None else 0)
        )))
        for (file, sheet), items in order.items()
    )
    errors = sum(1 for v in views if v.is_error)
    return ProblemReport(errors, len(views) - errors, groups)


#: The ingest calls whose text argument is a problem's message: `log.error(message, …)`,
#: `log.warning(message, …)`, `log.rows(…, message=…)`, `Check(bad, column, message, code,
#: accepted)`; and every `accepted=` text.
_MESSAGE_CALLS = frozenset({"error", "warning", "rows", "Check"})


def problem_messages() -> dict[str, str]:
    """The problem messages and "accepted" texts the ingest code writes as fixed text (made
    from no value of the data) → the ingest file that writes it (relative to the package).

    For the pages' shared catalogue (web/pages/catalogues.DATA_MESSAGES): a page shows a
    problem's message and accepted text in its reader's language when they are one of these,
    and as written otherwise (a message made from the data, e.g. a column name, stays in
    English). Read from the source files, so that a new fixed message cannot be missed by the
    catalogue's test."""
    from factory_journey import ingest
    from factory_journey.ingest import parse

    found: dict[str, str] = {}
    folder = Path(ingest.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            texts: list[ast.expr] = []
            if name in ("error", "warning") and node.args:
                texts.append(node.args[0])
            if name == "Check":
                texts += node.args[2:3] + node.args[4:5]
            texts += [k.value for k in node.keywords if k.arg == "accepted"
                      or (k.arg == "message" and name in _MESSAGE_CALLS)]
            for text in texts:
                for value in _fixed_texts(text):
                    found.setdefault(value, f"ingest/{path.name}")
    # The type check's message and accepted text are made from a short table (validate.py:
    # f"Not {TYPE_WORDS[type]}"): each of its few texts is fixed too.
    for kind, word in parse.TYPE_WORDS.items():
        if kind in ("str", "list"):
            continue  # a text column has no type to miss
        found.setdefault(f"Not {word}", "ingest/validate.py")
        found.setdefault(parse.ACCEPTED_FORMS[kind], "ingest/parse.py")
    return found


def _fixed_texts(node: ast.expr) -> list[str]:
    """The fixed texts an argument can be: a string, or either string of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _fixed_texts(node.body) + _fixed_texts(node.orelse)
    return []
