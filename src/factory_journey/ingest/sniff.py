"""What a file is by its content (magic bytes), not by its name: for evidence documents.

Only the standard library: the first bytes decide, and for ZIP-based Office files the
archive's directory (names only; nothing is decompressed, so an archive bomb costs nothing).
A file is accepted when its content is one of the accepted kinds and its name's suffix is one
that kind is written with; programs and scripts are refused whatever they are called.
"""

from __future__ import annotations

import io
import zipfile
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
    (b"MZ", "a Windows program (PE/MZ)"),
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


class FileTypeError(ValueError):
    """The file is refused; the message says why in its owner's words."""


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the content is: an accepted kind's key, or `refused` naming a refused format."""

    key: str | None = None
    refused: str | None = None


def _office_kind(content: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return Sniffed(refused="a damaged ZIP archive")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return Sniffed(refused="an Office file with macros")
    if "[Content_Types].xml" in names:
        if "xl/workbook.xml" in names:
            return Sniffed("xlsx")
        if "word/document.xml" in names:
            return Sniffed("docx")
    return Sniffed(refused="a ZIP archive that is not an .xlsx or .docx file")


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
    for magic, key in _MAGIC:
        if content.startswith(magic):
            return Sniffed(key)
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
