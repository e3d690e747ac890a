"""Checks that a command line run ended on our own answer, not on the last guard's.

`journey`'s last guard (`factory_journey.cli.main`) turns any exception nobody expected into
exit 70 and a line "journey stopped on an unexpected error; details are in <log>", and never
prints a traceback: so `"Traceback" not in result.output` can never fail. Under `CliRunner`,
`app` runs without that guard, and an unexpected exception is kept in `result.exception`
(exit code 1), not printed. These checks look at what does change when something breaks.
"""

from __future__ import annotations

import re
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

#: The exit code of the last guard (EX_SOFTWARE).
UNEXPECTED_EXIT = 70

#: Words that are a library's, Python's or the last guard's, never ours.
FOREIGN = re.compile(
    r"Traceback|infer_schema|polars|openpyxl|zipfile|ComputeError|NoDataError|\b[A-Z]\w*Error\b"
    r"|\bSchema\b|row_offset|unexpected error|utf-8 sequence|Expecting ",
)


def assert_handled(result: Any) -> None:
    """`result` (a `CliRunner` result or a `subprocess.CompletedProcess`) is an answer of
    ours: not exit 70, no "unexpected error", and no exception other than an exit escaped."""
    code = getattr(result, "exit_code", getattr(result, "returncode", None))
    output = getattr(result, "output", None)
    if output is None:  # a finished process: both streams
        output = f"{result.stdout or ''}{result.stderr or ''}"
    assert code != UNEXPECTED_EXIT, output[-3000:]
    assert "unexpected error" not in output.lower(), output[-3000:]
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), (
        f"{type(exception).__name__}: {exception}"
    )


class HandledRunner(CliRunner):
    """A `CliRunner` that checks every result with `assert_handled`."""

    def invoke(self, *args: Any, **kwargs: Any) -> Result:  # type: ignore[override]
        result = super().invoke(*args, **kwargs)
        assert_handled(result)
        return result
