"""Open the file of a table safely: a path that exists but cannot be read (a broken link, a
folder, a named pipe, a device, no permission) is a problem naming it, never a silent skip,
and a named pipe never blocks the reader."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.text_input import SNIFF_BYTES, Refusal


def read_head(path: Path, source: Source, log: ProblemLog) -> bytes | None:
    """The first bytes of the regular file at `path`, or None with a problem naming it.

    Opened without blocking and checked on the open descriptor, so that a named pipe never
    stops the reader and nothing can swap the file between the check and the read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        what = ("is a link to a file that does not exist" if path.is_symlink()
                else "was not found")
        return _unreadable(source, log, what)
    except PermissionError:
        return _unreadable(source, log, "cannot be opened: permission denied")
    except OSError as error:
        return _unreadable(source, log, f"cannot be opened ({error.strerror or error})")
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            return _unreadable(source, log, _kind_of(mode))
        return os.read(descriptor, SNIFF_BYTES)
    except OSError as error:
        return _unreadable(source, log, f"cannot be read ({error.strerror or error})")
    finally:
        os.close(descriptor)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"


def _unreadable(source: Source, log: ProblemLog, what: str) -> bytes | None:
    """Report a file that cannot be read; None, for `_head` to return."""
    log.error(f"This path {what}; the table could not be read", source,
              code="unreadable_file", accepted="a regular file that can be opened for reading")
    return None


def refuse(refusal: Refusal, source: Source, log: ProblemLog) -> None:
    log.error(refusal.message, source, row=refusal.line, value=refusal.value,
              code=refusal.code, accepted=refusal.accepted)
