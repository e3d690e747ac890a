"""Problem messages made from the data, in the reader's language.

The ingest code writes some messages from the data: `f"Duplicate row: the same {_words(key)}
as an earlier row"`. A stored problem keeps the English text (the CLI's error report, the API
and the import job's record read it as written); a page shows it in its reader's language by
matching the text against the message's template, "Duplicate row: the same {key} as an
earlier row", found in the ingest source like the fixed texts (`problem_sources`), and filling
the translated template with the parts taken from the text. The parts themselves (a column
name, a value, a file) stay as written: they are the user's own words.

A text that matches no template (shortened, or written by code that is not in ingest/) is shown
as written. Only templates with enough fixed words to be told apart are kept (`_MIN_FIXED`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import product
from string import Formatter

from factory_journey.ingest.checks import LIST_PROBLEM_WORDS
from factory_journey.services.problem_sources import (
    message_arguments,
    problem_messages,
    problem_words,
)

#: Fixed characters a template needs (besides its placeholders) to be kept: a template of one
#: placeholder and a few words ("{what} is empty") would match too much.
_MIN_FIXED = 10

#: What a placeholder is called, for a call that only formats its first argument.
_FORMATTERS = frozenset({"shorten", "_bound_words", "_whole_text", "str", "repr",
                         "dimension_words"})

#: Placeholders that hold the platform's own words (`problem_sources.problem_words`: "number
#: of employees", "mass"), not the user's: translated on their own when they are one.
_WORD_PLACEHOLDERS = frozenset({"what", "who", "dimension"})
#: Placeholders that hold a list of column names joined by `ingest.checks.LIST_PROBLEM_WORDS`
#: ("facility_id, year and month"): the names kept, the joints translated. Only the lists
#: made by `_words` are named so (`_name_of`): a `{key}` of the user's ("energy and water",
#: a JSON key) is not split.
_LIST_PLACEHOLDERS = frozenset({"columns"})
#: Placeholders that hold a whole problem message ("12 more rows … have the same problem:
#: {problem}"): read as a problem text itself.
_MESSAGE_PLACEHOLDERS = frozenset({"problem"})


@dataclass(frozen=True, slots=True)
class ProblemTemplate:
    """One message made from the data: its catalogue text with `{name}` placeholders, the
    names, and its fixed texts: before the first placeholder, between each two and after the
    last (`""` where a placeholder starts or ends the message)."""

    message: str
    names: tuple[str, ...]
    fixed_texts: tuple[str, ...]
    fixed: int

    def parts(self, text: str) -> dict[str, str] | None:
        """The placeholders' values in `text`, or None when `text` is not of this template.

        One pass, no backtracking (a regular expression of lazy groups took ~0.2 s on a
        crafted 400-character text, and a file's names and values reach the messages): a
        placeholder ends at the first following fixed text, the last one at the message's
        end. A value that holds the fixed text after it is cut there; the templates are tried
        the most specific first, so that a longer message (a rule's per-row text) is read by
        its own template, not by a shorter one it begins with."""
        first, *between, last = self.fixed_texts
        if not text.startswith(first) or not text.endswith(last):
            return None
        end = len(text) - len(last)
        at = len(first)
        if at > end:
            return None
        values: list[str] = []
        for fixed in between:
            found = text.find(fixed, at, end)
            if found < 0:
                return None
            values.append(text[at:found])
            at = found + len(fixed)
        values.append(text[at:end])
        return dict(zip(self.names, values, strict=True))


def template_messages() -> dict[str, str]:
    """Each template's catalogue text → the ingest file that writes it."""
    return {template.message: where for template, where in _templates_found()}


def catalogue_messages() -> dict[str, str]:
    """Every text a page may show of a problem, fixed, a template or a word set into one →
    the ingest file that writes it: for the pages' shared catalogue
    (web/pages/catalogues.DATA_MESSAGES)."""
    return {**problem_messages(), **template_messages(), **problem_words()}


def problem_text(text: str | None, gettext: Callable[..., str]) -> str:
    """`text` (a stored problem's message or accepted text) in the language of `gettext`: a
    fixed text translated, a text made from a template translated with its parts kept, any
    other as written."""
    if not text:
        return ""
    if text in _fixed():
        return gettext(text)
    for template in _templates():
        parts = template.parts(text)
        if parts is not None:
            return gettext(template.message, **{name: _part(name, value, gettext)
                                                for name, value in parts.items()})
    return text


def accepted_text(text: str | None, gettext: Callable[..., str]) -> str:
    """What a column accepts (a stored problem's accepted text, or the guidance's) in the
    language of `gettext`: a problem text or template as `problem_text` reads it, else the
    shapes of the platform's words ("a whole number from 1990 to 2100", "0 or more", "usually
    0 to 3,000,000 m3 for a month, …"), their words translated and their numbers, codes and
    units kept; anything else as written."""
    if not text:
        return ""
    shown = problem_text(text, gettext)
    if shown != text or text in _fixed():
        return shown
    return _accepted_words(text, gettext)


#: Problems whose value ("Found") the platform words itself, not a cell of the user's
#: (`ingest.checks.DUPLICATE_PROBLEM_WORDS`: "same as row 3"): by their code, so that a
#: user's cell that reads like those words is kept as written.
_WORDED_VALUES = frozenset({"duplicate_row"})


def value_text(value: object, code: str | None, gettext: Callable[..., str]) -> str:
    """A stored problem's value (what was found) as a page shows it: the platform's words of
    a problem of `code` that words its value (a duplicate row's "same as row 3") in the
    language of `gettext`, the row kept; any other value (a cell of the file) as written."""
    if value is None:
        return ""
    text = str(value)
    return _word_text(text, gettext) if code in _WORDED_VALUES else text


#: Placeholders of the accepted shapes that hold a number ("from {low} to {high}"): a shape
#: is read only when they do, so that a list of values that holds " to " stays as written.
_NUMBER_PLACEHOLDERS = frozenset({"low", "high", "count", "month_min", "month_max", "year_min",
                                  "year_max"})
_NUMBER = re.compile(r"[-+]?[\d,.]+(e[-+]?\d+)?")


def _accepted_words(text: str, gettext: Callable[..., str]) -> str:
    """`text` when it is one of the platform's words or shapes, translated (its `{kind}`
    read again as words); else as written."""
    fixed, templates = _words()
    if text in fixed:
        return gettext(text)
    for template in templates:
        if template.message in LIST_PROBLEM_WORDS:
            continue  # the joints of a list, not a shape of what is accepted
        parts = template.parts(text)
        if parts is None or any(not _NUMBER.fullmatch(value) for name, value in parts.items()
                                if name in _NUMBER_PLACEHOLDERS):
            continue
        if "kind" in parts:
            parts["kind"] = _accepted_words(parts["kind"], gettext)
        return gettext(template.message, **parts)
    return text


def _part(name: str, value: str, gettext: Callable[..., str]) -> str:
    """A placeholder's value as the page shows it: the platform's own words translated (a
    word, or a word made from the data such as "annual volume of {label}"), the joints of
    a list of column names translated, anything else (the user's data) as written."""
    if name in _MESSAGE_PLACEHOLDERS:
        return problem_text(value, gettext)
    if name in _LIST_PLACEHOLDERS:
        head, joint, last = value.rpartition(LIST_PROBLEM_WORDS[1].format(first="", then=""))
        if not joint:
            return value
        text, *others = head.split(LIST_PROBLEM_WORDS[0].format(first="", then=""))
        for other in others:
            text = gettext(LIST_PROBLEM_WORDS[0], first=text, then=other)
        return gettext(LIST_PROBLEM_WORDS[1], first=text, then=last)
    if name not in _WORD_PLACEHOLDERS:
        return value
    return _word_text(value, gettext)


def _word_text(value: str, gettext: Callable[..., str]) -> str:
    """`value` translated when it is one of the platform's words, fixed or made from the data
    ("annual volume of {label}", "same as row {row}"); else as written."""
    if value in _words()[0]:
        return gettext(value)
    for template in _words()[1]:
        parts = template.parts(value)
        if parts is not None:
            return gettext(template.message, **parts)
    return value


@cache
def _words() -> tuple[frozenset[str], tuple[ProblemTemplate, ...]]:
    """The platform's words set into messages: the fixed ones, and those with a placeholder
    of the data as templates."""
    fixed, templates = set(), []
    for text in problem_words():
        if "{" not in text:
            fixed.add(text)
        elif (template := _word_template(text)) is not None:
            templates.append(template)
    # the most specific first, as the problem templates
    return frozenset(fixed), tuple(sorted(templates, key=lambda t: (-t.fixed, t.message)))


def _word_template(text: str) -> ProblemTemplate | None:
    """A word with placeholders as a template, however little fixed text it has ("{low} or
    more"): it is read only where a word is expected (`_part`, `accepted_text`)."""
    pieces = _format_pieces(text)
    names = [name for fixed, name in pieces if not fixed]
    fixed_texts = [""]
    for fixed, piece in pieces:
        if fixed:
            fixed_texts[-1] += piece
        else:
            fixed_texts.append("")
    if len(set(names)) != len(names):  # pragma: no cover - a test holds them unique
        return None
    return ProblemTemplate(text, tuple(names), tuple(fixed_texts),
                           sum(len(f) for f in fixed_texts))


def _format_pieces(text: str) -> list[_Piece]:
    """`"annual volume of {label}"` as pieces: fixed text and placeholders."""
    pieces: list[_Piece] = []
    for literal, field, _spec, _conversion in Formatter().parse(text):
        if literal:
            pieces.append((True, literal))
        if field is not None:
            pieces.append((False, field))
    return pieces


@cache
def _fixed() -> frozenset[str]:
    return frozenset(problem_messages())


@cache
def _templates() -> tuple[ProblemTemplate, ...]:
    """Every template, the most specific first (most fixed text): a text is read by the
    template that says the most about it."""
    found = {template.message: template for template, _ in _templates_found()}
    return tuple(sorted(found.values(), key=lambda t: (-t.fixed, t.message)))


@cache
def _templates_found() -> tuple[tuple[ProblemTemplate, str], ...]:
    found: list[tuple[ProblemTemplate, str]] = []
    shapes: set[tuple[str, ...]] = set()
    for node, where in message_arguments():
        for pieces in _alternatives(node):
            template = _template(pieces)
            # one template per shape: two writers of the same words with other names
            # ("usually {low} to {high}" and "usually {soft_min} to {soft_max}") are one text
            # to translate
            if template is not None and template.fixed_texts not in shapes:
                shapes.add(template.fixed_texts)
                found.append((template, where))
    return tuple(found)


#: A piece of a template: fixed text, or a placeholder (its name).
_Piece = tuple[bool, str]


def _alternatives(node: ast.expr) -> list[list[_Piece]]:
    """The shapes a message argument can take, as pieces: an f-string, either side of
    `a if c else b`, and `a + b` (each combination)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [[(True, node.value)]]
    if isinstance(node, ast.JoinedStr):
        pieces: list[_Piece] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                pieces.append((True, value.value))
            elif isinstance(value, ast.FormattedValue):
                pieces.append((False, _name_of(value.value)))
            else:  # pragma: no cover - Python's f-strings hold nothing else
                return []
        return [pieces]
    if isinstance(node, ast.IfExp):
        return _alternatives(node.body) + _alternatives(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [left + right for left, right in product(_alternatives(node.left),
                                                        _alternatives(node.right))]
    return []


def _name_of(node: ast.expr) -> str:
    """A placeholder's name from what the f-string formats: `{facility!r}` → facility,
    `{bound.unit}` → unit, `{shorten(name)}` → name, `{_words(key)}` → columns, `{LIMIT}` →
    limit; otherwise `value`."""
    if isinstance(node, ast.Name):
        return node.id.lower()
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_words":
        return "columns"  # a list of column names (`_LIST_PLACEHOLDERS`)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FORMATTERS and node.args):
        return _name_of(node.args[0])
    return "value"


def _template(pieces: list[_Piece]) -> ProblemTemplate | None:
    """The template of `pieces` (placeholders named, each name once), or None when it has no
    placeholder, too little fixed text, or braces of its own (they would read as
    placeholders)."""
    merged: list[_Piece] = []
    for fixed, text in pieces:
        if fixed and merged and merged[-1][0]:
            merged[-1] = (True, merged[-1][1] + text)
        elif text or not fixed:
            merged.append((fixed, text))
    fixed_text = "".join(text for fixed, text in merged if fixed)
    holes = [text for fixed, text in merged if not fixed]
    if not holes or len(fixed_text) < _MIN_FIXED or "{" in fixed_text or "}" in fixed_text:
        return None
    if any(not merged[i][0] and not merged[i + 1][0] for i in range(len(merged) - 1)):
        return None  # two placeholders side by side: where one ends cannot be told
    names: list[str] = []
    message: list[str] = []
    fixed_texts = [""]  # the fixed text before each placeholder, then after the last
    for fixed, text in merged:
        if fixed:
            message.append(text)
            fixed_texts[-1] = text
            continue
        name = text
        number = 2
        while name in names:
            name, number = f"{text}{number}", number + 1
        names.append(name)
        message.append("{" + name + "}")
        fixed_texts.append("")
    return ProblemTemplate("".join(message), tuple(names), tuple(fixed_texts), len(fixed_text))
