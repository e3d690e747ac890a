"""What a file is by its content (magic bytes), not by its name: for evidence documents.

Only the standard library: the first bytes decide the kind. A file is accepted when its
content is one of the accepted kinds and its name's suffix is one that kind is written with;
programs and scripts are refused whatever they are called. An accepted kind that can carry
active or linked content is looked into, with bounded work (decision 0013):

- an xlsx/docx: its archive's directory, `[Content_Types].xml` and its `.rels` parts (each
  read up to `_MAX_PART_BYTES`, so an archive bomb costs little): refused with embedded
  objects, ActiveX, external workbook links, macros, a part that is not XML, relationships or
  an image, or a relationship to an outside target other than a hyperlink;
- a PDF: refused with JavaScript, a launch action, an embedded file or an embedded program,
  found in the file and in its compressed streams (up to `_MAX_PDF_INFLATED` bytes inflated).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True, slots=True)
class Kind:
    """An accepted kind of file: what a person calls it, its content type and its suffixes."""

    key: str
    label: str
    content_type: str
    suffixes: tuple[str, ...]


#: Accepted kinds, in the order a message lists them.
KINDS: tuple[Kind, ...] = (
    Kind("pdf", "a PDF document", "application/pdf", (".pdf",)),
    Kind("png", "a PNG image", "image/png", (".png",)),
    Kind("jpeg", "a JPEG image", "image/jpeg", (".jpg", ".jpeg")),
    Kind("gif", "a GIF image", "image/gif", (".gif",)),
    Kind("webp", "a WebP image", "image/webp", (".webp",)),
    Kind(
        "xlsx",
        "an Excel workbook (.xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
    Kind(
        "docx",
        "a Word document (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    Kind("csv", "a CSV table (UTF-8 text)", "text/csv", (".csv",)),
    Kind("text", "plain UTF-8 text", "text/plain", (".txt",)),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
#: Suffix (lower case, with its dot) → accepted kind.
KIND_BY_SUFFIX = {suffix: kind for kind in KINDS for suffix in kind.suffixes}

#: Leading bytes of programs and other refused formats → what a person calls them.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"\xfe\xed\xfa\xce", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a macOS universal program or Java class"),
    (b"#!", "a script (it starts with '#!')"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls/.doc, may hold macros)"),
)
#: Leading bytes of accepted binary kinds.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_ZIP = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"
#: Control characters a text file may hold: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")


#: Largest part of an Office archive read to look into it (content types, relationships)
#: [bytes, inflated]; a larger one is refused. Real ones are a few kB.
_MAX_PART_BYTES = 1024 * 1024
#: Most bytes inflated from a PDF's compressed streams to look into them [bytes]; the rest
#: of a very large PDF is looked at as stored.
_MAX_PDF_INFLATED = 32 * 1024 * 1024
#: Bytes of a PDF scanned at a time, and how far consecutive chunks overlap [bytes].
_CHUNK = 1024 * 1024
_OVERLAP = 256


class FileTypeError(ValueError):
    """The file is refused; the message says why in its owner's words."""


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the content is: an accepted kind's key, or `refused` naming a refused format."""

    key: str | None = None
    refused: str | None = None
    #: What the accepted kind holds that is not accepted, e.g. "JavaScript (/JavaScript)".
    holds: str | None = None


def _windows_program(content: bytes, at: int = 0) -> bool:
    """`MZ` at `at` whose header offset (bytes 0x3C–0x3F) points at a `PE\\0\\0` signature."""
    if content[at : at + 2] != b"MZ" or len(content) < at + 0x40:
        return False
    offset = int.from_bytes(content[at + 0x3C : at + 0x40], "little")
    return content[at + offset : at + offset + 4] == b"PE\0\0"


def _linux_program(content: bytes, at: int = 0) -> bool:
    """ELF magic with a valid class (32/64-bit), byte order and version 1."""
    head = content[at : at + 7]
    return (
        len(head) == 7
        and head[:4] == b"\x7fELF"
        and head[4] in (1, 2)
        and head[5] in (1, 2)
        and head[6] == 1
    )


# --- Office (xlsx, docx) ---------------------------------------------------------------------

#: Folders of an Office archive that hold active or linked content.
_OFFICE_FOLDERS: tuple[tuple[str, str], ...] = (
    ("embeddings/", "embedded objects"),
    ("activex/", "ActiveX controls"),
    ("externallinks/", "links to other workbooks"),
)
#: Suffixes of the parts an Office document may hold: XML, relationships, legacy VML drawings
#: (comments) and images.
_OFFICE_PART_SUFFIXES = (
    ".xml",
    ".rels",
    ".vml",
    ".png",
    ".jpeg",
    ".jpg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".svg",
)
#: Printer settings (a DEVMODE structure Excel and Word write; never run): the one binary part.
_PRINTER_SETTINGS = re.compile(r"^(xl|word)/printersettings/printersettings\d+\.bin$")
#: Content types that mean macros or embedded programs, lower case.
_ACTIVE_CONTENT_TYPES = (b"vbaproject", b"macroenabled", b"activex", b"oleobject", b"vbadata")
#: An element that is a relationship (text after its "<": a "<" is never inside an attribute).
_RELATIONSHIP = re.compile(r"^(?:[\w.-]+:)?Relationship\b", re.IGNORECASE)
_TARGET_MODE = re.compile(r"\bTargetMode\s*=\s*[\"']\s*External\s*[\"']", re.IGNORECASE)
_TYPE = re.compile(r"\bType\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_TARGET = re.compile(r"\bTarget\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
#: Most bytes of `.rels` parts read from one Office file, all parts together [bytes, inflated].
_MAX_RELATIONSHIP_BYTES = 16 * 1024 * 1024


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A part's bytes, at most `_MAX_PART_BYTES`; None when it is larger or unreadable."""
    try:
        with archive.open(name) as part:
            data = part.read(_MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, RuntimeError):
        return None
    return data if len(data) <= _MAX_PART_BYTES else None


def _office_holds(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    """What an xlsx/docx holds that is not accepted, None when nothing."""
    for name in names:
        lower = name.lower()
        if lower.endswith("/"):
            continue
        for folder, what in _OFFICE_FOLDERS:
            if folder in lower:
                return f"{what} ({_short(name)})"
        if "vbaproject" in lower or "vbadata" in lower:
            return f"macros ({_short(name)})"
        if not (lower.endswith(_OFFICE_PART_SUFFIXES) or _PRINTER_SETTINGS.match(lower)):
            return f"a part that is not XML or an image ({_short(name)})"
    types = _read_part(archive, "[Content_Types].xml")
    if types is None:
        return "an unreadable or oversized list of content types ([Content_Types].xml)"
    folded = html.unescape(types.decode("utf-8", "replace")).lower().encode()
    for marker in _ACTIVE_CONTENT_TYPES:
        if marker in folded:
            return f"macros or embedded objects ({marker.decode()} in [Content_Types].xml)"
    budget = _MAX_RELATIONSHIP_BYTES
    for name in names:
        if not name.lower().endswith(".rels"):
            continue
        data = _read_part(archive, name)
        if data is None or len(data) > budget:
            return f"an unreadable or oversized relationships part ({_short(name)})"
        budget -= len(data)
        raw = data.decode("utf-8", "replace")
        if "<!doctype" in raw.lower() or "<!entity" in raw.lower():
            return f"a document type declaration ({_short(name)})"
        for element in raw.split("<"):
            if not _RELATIONSHIP.match(element):
                continue
            attributes = html.unescape(element)  # "&#69;xternal" is "External" to Office
            if not _TARGET_MODE.search(attributes):
                continue
            kind = _TYPE.search(attributes)
            if kind is not None and kind.group(1).rstrip("/").endswith("/hyperlink"):
                continue  # a link a reader may click; Office fetches nothing on opening
            target = _TARGET.search(attributes)
            shown = _short(target.group(1)) if target else "an outside target"
            return f"a link Office follows on opening, to {shown} ({_short(name)})"
    return None


def _office_kind(content: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            listed = archive.namelist()
            names = set(listed)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return Sniffed(refused="an Office file with macros")
            key = None
            if "[Content_Types].xml" in names:
                if "xl/workbook.xml" in names:
                    key = "xlsx"
                elif "word/document.xml" in names:
                    key = "docx"
            if key is None:
                return Sniffed(refused="a ZIP archive that is not an .xlsx or .docx file")
            return Sniffed(key, holds=_office_holds(archive, listed))
    except (zipfile.BadZipFile, ValueError, OSError):
        return Sniffed(refused="a damaged ZIP archive")


# --- PDF -------------------------------------------------------------------------------------


def _pdf_name(name: str) -> bytes:
    """A regular expression for a PDF name without its `/`, letters also as `#xx` (hex)."""
    return b"".join(
        b"(?:%s|#%s|#%s)" % (re.escape(ch.encode()), b"%02x" % ord(ch), b"%02X" % ord(ch))
        for ch in name
    )


def _pdf_names(names: tuple[str, ...]) -> re.Pattern[bytes]:
    """Any of `names` as a whole PDF name (group i + 1 is names[i])."""
    alternatives = b"|".join(b"(" + _pdf_name(name) + b")" for name in names)
    return re.compile(b"/(?:" + alternatives + b")(?![A-Za-z0-9#])")


#: Names of PDF actions and objects that run or carry content → what a person calls them.
_PDF_ACTIVE: dict[str, str] = {
    "JavaScript": "JavaScript",
    "Launch": "an action that launches a program",
    "EmbeddedFiles": "embedded files",
    "EmbeddedFile": "an embedded file",
    "JS": "JavaScript",
}
#: The long names: searched everywhere, stream data included (a chance match in 20 MB of
#: random bytes is below one in a hundred million).
_PDF_LONG_NAMES = tuple(name for name in _PDF_ACTIVE if len(name) > 2)
_PDF_LONG = _pdf_names(_PDF_LONG_NAMES)
#: Every name, `/JS` too: searched where PDF objects are written (outside stream data, and in
#: object streams), since three bytes turn up by chance in images and fonts.
_PDF_ALL_NAMES = tuple(_PDF_ACTIVE)
_PDF_ALL = _pdf_names(_PDF_ALL_NAMES)
_PDF_OBJECT_STREAM = _pdf_names(("ObjStm",))
_PDF_STREAM = re.compile(rb"stream\r?\n")
#: How far before `stream` its dictionary is looked for [bytes].
_PDF_DICTIONARY = 4096


def _programs_in(data: bytes) -> str | None:
    """An embedded Windows or Linux program anywhere in `data`, by its full header."""
    at = data.find(b"MZ")
    while at != -1:
        if _windows_program(data, at):
            return "a Windows program (PE)"
        at = data.find(b"MZ", at + 1)
    at = data.find(b"\x7fELF")
    while at != -1:
        if _linux_program(data, at):
            return "a Linux program (ELF)"
        at = data.find(b"\x7fELF", at + 1)
    return None


def _names_in(
    data: bytes, pattern: re.Pattern[bytes], names: tuple[str, ...], start: int = 0, end: int = -1
) -> str | None:
    """The first of `names` in `data[start:end]`, scanned in overlapping chunks."""
    stop = len(data) if end < 0 else end
    for at in range(start, stop, _CHUNK - _OVERLAP):
        match = pattern.search(data[at : min(at + _CHUNK, stop)])
        if match is not None and match.lastindex:
            name = names[match.lastindex - 1]
            return f"{_PDF_ACTIVE[name]} (/{name})"
        if at + _CHUNK >= stop:
            break
    return None


def _stream_spans(content: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, is an object stream) of each stream's data, in order; a stream runs to the
    next `endstream` (or the end of the file)."""
    spans: list[tuple[int, int, bool]] = []
    pos = 0
    for match in _PDF_STREAM.finditer(content):
        begin = match.start()
        if begin < pos or content[begin - 3 : begin] == b"end":
            continue  # inside the data of the stream before, or "endstream"
        end = content.find(b"endstream", match.end())
        end = len(content) if end == -1 else end
        head = max(pos, begin - _PDF_DICTIONARY)
        found = _PDF_OBJECT_STREAM.search(content, head, begin)
        spans.append((match.end(), end, found is not None))
        pos = end
    return spans


def _pdf_holds(content: bytes) -> str | None:
    """What a PDF holds that is not accepted, in the file or its Flate streams."""
    spans = _stream_spans(content)
    outside = 5  # after "%PDF-"
    for begin, end, _ in [*spans, (len(content), len(content), False)]:
        found = _names_in(content, _PDF_ALL, _PDF_ALL_NAMES, outside, begin)
        if found is not None:
            return found
        outside = end
    found = _names_in(content, _PDF_LONG, _PDF_LONG_NAMES, 5) or _programs_in(content[5:])
    if found is not None:
        return found
    budget = _MAX_PDF_INFLATED
    view = memoryview(content)
    for begin, end, object_stream in spans:
        if budget <= 0:
            break
        try:
            inflated = zlib.decompressobj().decompress(view[begin:end], budget)
        except zlib.error:
            continue  # not a Flate stream (an image, another filter): looked at as stored
        budget -= len(inflated)
        if object_stream:
            found = _names_in(inflated, _PDF_ALL, _PDF_ALL_NAMES)
        else:
            found = _names_in(inflated, _PDF_LONG, _PDF_LONG_NAMES)
        found = found or _programs_in(inflated)
        if found is not None:
            return f"{found}, in a compressed stream"
    return None


def _is_text(content: bytes) -> bool:
    body = content[len(_UTF8_BOM) :] if content.startswith(_UTF8_BOM) else content
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(
        (ord(ch) < 0x20 and ord(ch) not in _TEXT_CONTROLS) or ord(ch) == 0x7F for ch in text
    )


def sniff(content: bytes) -> Sniffed:
    """What `content` is by its first bytes; `Sniffed()` when it is nothing recognised."""
    for magic, label in _REFUSED_MAGIC:
        if content.startswith(magic):
            return Sniffed(refused=label)
    # "MZ" is a Windows program with its PE header, or as binary content; as text it is text
    # ("MZ Textiles, invoice 12").
    if _windows_program(content):
        return Sniffed(refused="a Windows program (PE)")
    if content.startswith(b"MZ") and not _is_text(content):
        return Sniffed(refused="a Windows program (MZ)")
    for magic, key in _MAGIC:
        if content.startswith(magic):
            return Sniffed(key, holds=_pdf_holds(content) if key == "pdf" else None)
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return Sniffed("webp")
    if content.startswith(_ZIP):
        return _office_kind(content)
    if _is_text(content):
        return Sniffed("text")
    return Sniffed()


def accepted_suffixes() -> str:
    """The accepted suffixes, for messages: `.csv, .docx, …`."""
    return ", ".join(sorted(KIND_BY_SUFFIX))


def evidence_kind(filename: str, content: bytes) -> Kind:
    """The accepted kind of an evidence file, checked by content; else `FileTypeError`.

    The suffix must be an accepted one and the content must be what the suffix says. Text is
    text by content; whether it is a CSV table or plain text is the suffix's to say.
    """
    name = PurePath(filename).name or "the file"
    suffix = PurePath(name).suffix.lower()
    expected = KIND_BY_SUFFIX.get(suffix)
    if expected is None:
        raise FileTypeError(
            f"{name}: evidence must be a file of one of these types: {accepted_suffixes()}"
        )
    if not content:
        raise FileTypeError(f"{name} is empty")
    found = sniff(content)
    if found.refused is not None:
        raise FileTypeError(
            f"{name} is {found.refused} by its content, not {expected.label}; "
            f"it is not accepted as evidence"
        )
    if found.key is not None and found.holds is not None:
        kind = KINDS_BY_KEY[found.key]
        raise FileTypeError(
            f"{name} is {kind.label} that holds {found.holds}; active, embedded or linked "
            "content is not accepted as evidence: save or print a plain copy (for example "
            "to PDF, without attachments or macros) and upload that"
        )
    if found.key is None:
        raise FileTypeError(
            f"{name} does not look like {expected.label} by its content (nor like any "
            f"accepted type: {accepted_suffixes()}); save it again as {expected.label} "
            "and upload that"
        )
    if found.key == "text" and expected.key in {"csv", "text"}:
        return expected
    if found.key != expected.key:
        actual = KINDS_BY_KEY[found.key]
        raise FileTypeError(
            f"{name} is {actual.label} by its content, not {expected.label}: rename it to "
            f"{actual.suffixes[0]} or upload {expected.label}"
        )
    return expected
