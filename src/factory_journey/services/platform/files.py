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
