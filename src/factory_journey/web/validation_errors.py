"""A request that does not match its schema, answered in our words (422).

FastAPI's own answer repeats the library's text ("String should match pattern
'^[^\\x00-\\x1f\\x7f]*$'", "JSON decode error") and echoes every value in full under `input`
— a 100,000-character e-mail comes back whole, a wrong password comes back at all. Here each
error becomes `{"loc", "msg", "type"}`: where (in plain terms: "email", "query lang",
"path facility_id"), and what is accepted. `input` and `ctx` are never sent; a value we do
show (an accepted choice, a JSON parser's note) is shortened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from factory_journey.domain.problems import shorten

#: Patterns of our schemas, said in words (`schemas.LINE`, `schemas.NO_NUL`, `deps.PRINTABLE`).
_PATTERNS = {
    r"^[^\x00-\x1f\x7f]*$": "must not contain control characters (a line of text)",
    r"^[^\x00]*$": "must not contain a NUL character",
    r"^[A-Za-z0-9_-]+$": "must be the token as given in the link (letters, digits, - and _)",
}


def _ctx(error: Mapping[str, Any], key: str) -> str:
    return shorten(str((error.get("ctx") or {}).get(key, "")))


def _chars(count: str) -> str:
    return "1 character" if count == "1" else f"{count} characters"


def _json(error: Mapping[str, Any]) -> str:
    """Where the JSON parser stopped: FastAPI gives the character's offset in `loc`."""
    note = str((error.get("ctx") or {}).get("error", ""))
    found = re.search(r"line (\d+) column (\d+)", note)
    offsets = [part for part in error.get("loc", ())[1:] if isinstance(part, int)]
    if found:
        return f"the body is not valid JSON (line {found.group(1)}, column {found.group(2)})"
    if offsets:
        return f"the body is not valid JSON (at character {offsets[0] + 1:,})"
    return "the body is not valid JSON"


_MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda e: "is required",
    "extra_forbidden": lambda e: "is not a field of this request",
    "json_invalid": _json,
    "model_attributes_type": lambda e: "must be a JSON object",
    "dict_type": lambda e: "must be a JSON object",
    "list_type": lambda e: "must be a list",
    "string_type": lambda e: "must be text",
    "string_too_short": lambda e: f"at least {_chars(_ctx(e, 'min_length'))}",
    "string_too_long": lambda e: f"at most {_chars(_ctx(e, 'max_length'))}",
    "string_pattern_mismatch": lambda e: _PATTERNS.get(
        _ctx(e, "pattern"), "does not have the accepted form"
    ),
    "string_unicode": lambda e: "must be text in UTF-8",
    "too_short": lambda e: f"at least {_ctx(e, 'min_length')} entries",
    "too_long": lambda e: f"at most {_ctx(e, 'max_length')} entries",
    "int_type": lambda e: "must be a whole number",
    "int_parsing": lambda e: "must be a whole number",
    "int_from_float": lambda e: "must be a whole number",
    "int_parsing_size": lambda e: "is too large a number",
    "float_type": lambda e: "must be a number",
    "float_parsing": lambda e: "must be a number",
    "finite_number": lambda e: "must be a finite number",
    "bool_type": lambda e: "must be true or false",
    "bool_parsing": lambda e: "must be true or false",
    "greater_than": lambda e: f"must be greater than {_ctx(e, 'gt')}",
    "greater_than_equal": lambda e: f"must be at least {_ctx(e, 'ge')}",
    "less_than": lambda e: f"must be less than {_ctx(e, 'lt')}",
    "less_than_equal": lambda e: f"must be at most {_ctx(e, 'le')}",
    "literal_error": lambda e: f"must be one of {_ctx(e, 'expected')}",
    "enum": lambda e: f"must be one of {_ctx(e, 'expected')}",
    "date_parsing": lambda e: "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": lambda e: "must be a date (YYYY-MM-DD)",
    "datetime_parsing": lambda e: "must be a moment in ISO 8601 (2026-12-06T23:30:00Z)",
    "datetime_from_date_parsing": lambda e: "must be a moment in ISO 8601 (2026-12-06T23:30:00Z)",
    "url_parsing": lambda e: "must be a web address",
    "value_error": lambda e: shorten(
        str(e.get("msg", "")).removeprefix("Value error, "), limit=400
    ),
}


def where(loc: Sequence[Any]) -> str:
    """A location in plain terms: a body field by its path ("email", "rows 3 value"), other
    input by where it goes ("query lang", "path facility_id", "header authorization")."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return shorten(" ".join(parts), limit=120) if parts else "the body"


def in_our_words(error: Mapping[str, Any]) -> dict[str, Any]:
    """One field error as sent: `loc` (names shortened), `msg` and `type`; never `input`
    nor `ctx` (a password is input too)."""
    kind = str(error.get("type", "value_error"))
    say = _MESSAGES.get(kind)
    what = say(error) if say else "is not valid here"
    loc = [part if isinstance(part, int) else shorten(str(part), 60) for part in error["loc"]]
    if kind == "json_invalid":
        return {"loc": ["body"], "msg": what, "type": kind}
    return {"loc": loc, "msg": f"{where(loc)}: {what}", "type": kind}


async def validation_error(_request: Request, error: Exception) -> JSONResponse:
    """422 with one entry per field error, in our words (see the module's docstring)."""
    assert isinstance(error, RequestValidationError)
    return JSONResponse(
        status_code=422, content={"detail": [in_our_words(e) for e in error.errors()]}
    )
