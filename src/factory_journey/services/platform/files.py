"""Names of uploaded files as they are stored: the last path part, without control characters."""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_filename(filename: str, default: str = "upload") -> str:
    """The base name of `filename` (either path style), control characters dropped, ≤ 300 chars."""
    name = PureWindowsPath(PurePosixPath(filename).name).name
    name = _CONTROL.sub("", name).strip()
    return (name or default)[-300:]


#: Characters kept as they are in the plain `filename=` of a download (RFC 6266 fallback).
_PLAIN = re.compile(r"[^A-Za-z0-9._ -]")


def attachment_disposition(filename: str, disposition: str = "attachment") -> str:
    """`Content-Disposition: attachment` for a stored file name, safe for any header reader.

    An ASCII fallback (other characters as `_`, no quotes or backslashes) and the exact name
    percent-encoded in `filename*` (RFC 6266, RFC 5987) for readers that understand it.
    """
    import unicodedata
    from urllib.parse import quote

    def ascii_only(text: str) -> str:
        # Accents dropped (ó → o) rather than the letter, so that the fallback stays readable.
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return _PLAIN.sub("_", folded)

    name = safe_filename(filename, "evidence")
    path = PurePosixPath(name)
    plain = (ascii_only(path.stem).strip(" .") or "evidence") + ascii_only(path.suffix)
    return f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def inline_disposition(filename: str) -> str:
    """`Content-Disposition: inline` (shown in the browser's viewer), same name rules."""
    return attachment_disposition(filename, "inline")
