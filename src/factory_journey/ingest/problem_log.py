"""Collect located problems without drowning the user: a bounded number per kind.

A million bad rows must not make a million messages. The first `limit` rows of each
(file, column, kind) are listed one by one; the rest are counted in one summary line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from factory_journey.domain.problems import Problem, ProblemList, Severity

#: Rows listed one by one per (file, sheet, column, kind) before the rest are summarised.
ROWS_LISTED_PER_KIND = 20


@dataclass(frozen=True, slots=True)
class Source:
    """Where the rows of one table came from: the file and, for a workbook, the sheet."""

    file: str
    sheet: str | None = None
    json_table: str | None = None

    @property
    def where(self) -> str:
        """The file as named in a problem: a JSON table is named beside its file."""
        return f"{self.file} [{self.json_table}]" if self.json_table else self.file


class ProblemLog:
    """A `ProblemList` that lists the first rows of each kind of problem and counts the rest."""

    def __init__(self, limit: int = ROWS_LISTED_PER_KIND) -> None:
        self.limit = limit
        self.problems = ProblemList()

    def add(self, problem: Problem) -> None:
        self.problems.add(problem)

    def sorted(self) -> ProblemList:
        """The problems in reading order: files as first met, then by row (file-wide last)."""
        files: dict[str | None, int] = {}
        for problem in self.problems:
            files.setdefault(problem.file, len(files))
        ordered = sorted(
            self.problems,
            key=lambda p: (files[p.file], p.row is None, p.row or 0),
        )
        return ProblemList(ordered)

    def error(self, message: str, source: Source | None = None, **fields: Any) -> None:
        self._one(message, source, Severity.ERROR, fields)

    def warning(self, message: str, source: Source | None = None, **fields: Any) -> None:
        self._one(message, source, Severity.WARNING, fields)

    def _one(
        self, message: str, source: Source | None, severity: Severity, fields: dict[str, Any]
    ) -> None:
        self.add(
            Problem(
                message,
                file=source.where if source else None,
                sheet=source.sheet if source else None,
                severity=severity,
                **fields,
            )
        )

    def rows(
        self,
        bad: pl.DataFrame | pl.LazyFrame,
        source: Source,
        *,
        message: str,
        code: str,
        column: str | None = None,
        value_column: str | None = None,
        accepted: str | None = None,
        severity: Severity = Severity.ERROR,
        message_column: str | None = None,
        accepted_column: str | None = None,
        value_text: Callable[[Any], Any] | None = None,
    ) -> int:
        """Report the rows of `bad` (a frame with `_row`, and `value_column` when given).

        Per-row Python runs only over the first `limit` rows; the others make one summary
        problem with their count and row range. `message_column` and `accepted_column`, when
        given, hold a row's own wording (the summary keeps `message` and `accepted`).
        `value_text`, when given, words a listed row's value (`value_column`'s cell): only the
        listed rows are worded, however many `bad` holds.
        Returns the number of rows reported. A lazy `bad` is collected here.
        """
        if isinstance(bad, pl.LazyFrame):  # the rows of a table checked lazily: a few
            # read in batches, never whole; filtered from rows numbered in order
            bad = bad.collect(engine="streaming").sort("_row")
        count = bad.height
        if count == 0:
            return 0
        listed = bad.head(self.limit)
        rows = listed["_row"].to_list()

        def cells(name: str | None, default: Any) -> list[Any]:
            return listed[name].to_list() if name else [default] * len(rows)

        values = cells(value_column, None)
        if value_text is not None:
            values = [None if value is None else value_text(value) for value in values]

        for row, value, text, accepts in zip(
            rows, values, cells(message_column, message),
            cells(accepted_column, accepted), strict=True,
        ):
            self.add(
                Problem(
                    text,
                    file=source.where,
                    sheet=source.sheet,
                    row=row,
                    column=column,
                    value=value,
                    accepted=accepts,
                    code=code,
                    severity=severity,
                )
            )
        if count > self.limit:
            rest = bad.slice(self.limit)
            rows_left = rest.get_column("_row").cast(pl.Int64)
            first, last = int(rows_left.min() or 0), int(rows_left.max() or 0)  # type: ignore[arg-type]
            self.add(
                Problem(
                    more_rows_problem(count - self.limit, first, last, message),
                    file=source.where,
                    sheet=source.sheet,
                    column=column,
                    accepted=accepted,
                    code=code,
                    severity=severity,
                )
            )
        return count


def more_rows_problem(rows: int, first: int, last: int, problem: str) -> str:
    """The message of the rows beyond those listed one by one: how many, where, and the
    listed rows' own message (a page translates that one too)."""
    return f"{rows} more rows (rows {first}–{last}) have the same problem: {problem}"
