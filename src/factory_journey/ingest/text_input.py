"""Bytes of a text file (CSV, JSON) turned into text the readers can trust, or a refusal that
says in the user's words what the file is and what is accepted.

Read: UTF-8 (with or without a byte-order mark), UTF-16 (with a byte-order mark, or without
one when the NUL bytes of ASCII text give it away), and any line endings — LF, CRLF and the
CR alone of old Mac files (docs/decisions/0015-reading-bad-files.md). Refused by name: text in
a legacy encoding (Windows-1252, Latin-1, GB18030 …: a wrong guess would silently change names
and units, so the line and byte are named instead) and binary files (a workbook, a PDF)
given a text suffix. JSON is loaded with a nesting limit and every key given twice kept in
view (`load_json`), so that neither a deep document nor a repeated key passes unseen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

ENCODING_HELP = "a UTF-8 text file (Excel: Save As 'CSV UTF-8'); a byte-order mark is fine"

#: Bytes looked at to tell the encoding, line endings and binary files [bytes].
SNIFF_BYTES = 64 * 1024

#: Deepest nesting of arrays and objects a JSON dataset may have: the document, a table, a
#: record, a nested answer and its parts need 6; deeper is not a dataset (and Python's own
#: parser stops near 1,000 with an error of its own).
MAX_JSON_DEPTH = 20

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 with a byte-order mark"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)

#: What a binary file given as text most likely is, by its first bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook or a .zip renamed?)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook (save it as .xlsx or CSV UTF-8)"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "a Parquet file (name it .parquet)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a file cannot be read as text: a message, the line (1-based) when known, the
    offending bytes and what is accepted."""

    message: str
    code: str = "encoding"
    line: int | None = None
    value: str | None = None
    accepted: str = ENCODING_HELP


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the start of a file says: its encoding (None: plain UTF-8, the fast path) and
    whether its lines end with CR alone."""

    encoding: str | None
    cr_only: bool

    @property
    def plain(self) -> bool:
        """True when the bytes can go to a UTF-8 CSV parser as they are."""
        return self.encoding is None and not self.cr_only


def sniff(head: bytes) -> Sniffed | Refusal:
    """Tell from the first bytes of a file how to decode it, or why not to."""
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            if codec.startswith("utf-32"):
                return Refusal(f"The file is {name} text", value=name)
            return Sniffed(None if codec == "utf-8" else codec, _cr_only(head, codec))
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return Refusal(f"The file is not text: it looks like {what}", code="not_text",
                           accepted="a CSV text file")
    if b"\x00" in head:
        guess = _utf16_without_bom(head)
        if guess is None:
            line = head[: head.index(b"\x00")].count(b"\n") + 1
            return Refusal("The file is not text: it holds NUL bytes", code="not_text",
                           line=line, accepted="a CSV text file")
        return Sniffed(guess, _cr_only(head, guess))
    return Sniffed(None, _cr_only(head, "utf-8"))


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 of mostly ASCII text has a NUL in every other byte: LE on odd positions."""
    sample = head[: 4096 - 4096 % 2]
    if len(sample) < 4:
        return None
    odd = sample[1::2].count(0) / (len(sample) // 2)
    even = sample[0::2].count(0) / (len(sample) // 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _cr_only(head: bytes, codec: str) -> bool:
    text = head.decode(codec, errors="ignore")
    return "\r" in text and "\n" not in text


def decode(data: bytes) -> str | Refusal:
    """The whole file as text with `\\n` line endings, or why it cannot be read."""
    sniffed = sniff(data[:SNIFF_BYTES])
    if isinstance(sniffed, Refusal):
        return sniffed
    codec = sniffed.encoding or "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        return not_utf8(data, error.start) if codec == "utf-8-sig" else Refusal(
            f"The file is not valid {codec.upper()} text: byte {error.start:,} cannot be read")
    if codec != "utf-8-sig":
        text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def not_utf8(data: bytes, position: int) -> Refusal:
    """The refusal of a file that is not UTF-8, naming the line and the first bad bytes."""
    before = data[:position]
    ending = b"\n" if b"\n" in before or b"\r" not in before else b"\r"  # old-Mac CR lines
    line = before.count(ending) + 1
    bad = data[position : position + 2]
    guess = bad[:1].decode("cp1252", errors="replace")
    return Refusal(
        f"The file is not UTF-8 text: byte 0x{bad[0]:02x} on line {line} cannot be read (in "
        f"Windows-1252 it would be {guess!r}: the file was probably saved in a legacy "
        "encoding such as Windows-1252, Latin-1 or GB18030)",
        line=line,
        value=" ".join(f"0x{b:02x}" for b in bad),
    )


# -- JSON --------------------------------------------------------------------------------------


class KeyedObject(dict[str, Any]):
    """A JSON object that remembers the keys given more than once in it (the last value wins
    in the mapping, as in `json.loads`, but the reader reports them)."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.repeated: list[str] = []
        if len(self) != len(pairs):
            seen: set[str] = set()
            for key, _value in pairs:
                if key in seen and key not in self.repeated:
                    self.repeated.append(key)
                seen.add(key)


@dataclass(frozen=True, slots=True)
class JsonProblem:
    message: str
    line: int | None = None
    accepted: str | None = None
    code: str = "invalid_json"


@dataclass(slots=True)
class JsonDocument:
    value: Any = None
    problem: JsonProblem | None = None


_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (strings skipped), at C speed."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _line_of_depth(text: str, depth: int) -> int:
    """The line where nesting first goes deeper than `depth` (the error path only)."""
    level = 0
    for match in re.finditer(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', text):
        token = match.group()
        if token in _STEP:
            level += _STEP[token]
            if level > depth:
                return text.count("\n", 0, match.start()) + 1
    return 1


def load_json(text: str) -> JsonDocument:
    """Parse a JSON document; too deep, invalid or not JSON is a `JsonProblem`.

    Objects are `KeyedObject`s (they know their repeated keys); `NaN` and `Infinity`, which
    JSON does not have, are kept as the text written so that a number column reports them."""
    if json_depth(text) > MAX_JSON_DEPTH:
        return JsonDocument(problem=JsonProblem(
            f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep (line "
            f"{_line_of_depth(text, MAX_JSON_DEPTH)})",
            line=_line_of_depth(text, MAX_JSON_DEPTH),
            accepted='{"<table>": [{"<column>": <value>, ...}, ...]}; a value is text, a '
            "number, a list or one object of answers",
            code="too_deep"))
    try:
        value = json.loads(text, object_pairs_hook=KeyedObject, parse_constant=str)
    except RecursionError:  # guarded above; kept so that no parser limit becomes a crash
        return JsonDocument(problem=JsonProblem("The JSON is nested too deeply",
                                                code="too_deep"))
    except json.JSONDecodeError as error:
        return JsonDocument(problem=JsonProblem(
            f"The file is not valid JSON: {error.msg.lower()} at line {error.lineno}, "
            f"column {error.colno}", line=error.lineno))
    return JsonDocument(value)


def repeated_keys(value: Any, path: str = "") -> list[str]:
    """Every key given twice in one object, anywhere inside `value`, as a dotted path."""
    found: list[str] = []
    if isinstance(value, KeyedObject):
        found += [f"{path}.{key}" if path else key for key in value.repeated]
        for key, item in value.items():
            if isinstance(item, dict | list):
                found += repeated_keys(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            if isinstance(item, dict | list):
                found += repeated_keys(item, f"{path}[{index}]")
    return found
