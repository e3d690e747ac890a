"""Where an unexpected failure's details go: one log file per crash, never overwritten.

The name carries the moment (ISO 8601 basic format, UTC) and the process id, e.g.
`journey-error-20261206T233000Z-4242.log` in the system's temporary folder, so that two
crashes, even of two runs at the same second, keep their own details.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path


def write_crash_log(details: str, folder: Path | None = None) -> Path:
    """Write `details` to a new crash log in `folder` (default: the temporary folder)."""
    folder = Path(folder or tempfile.gettempdir())
    stem = f"journey-error-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}"
    for attempt in range(1000):
        path = folder / (f"{stem}.log" if attempt == 0 else f"{stem}-{attempt}.log")
        try:
            with path.open("x", encoding="utf-8") as log:  # "x": never another crash's file
                log.write(details)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder / stem}.log and 999 more exist")
