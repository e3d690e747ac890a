"""Write a set of output files all or nothing.

Files are written into a hidden temporary folder beside the target and the folder is renamed
into place at the end: a reader never sees half the files, a failure leaves nothing behind,
and an existing folder is replaced only when asked to (`force`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputExistsError(FileExistsError):
    """The output folder exists and holds files; replacing it needs `force`."""


def check_target(out_dir: Path, force: bool) -> None:
    """Raise `OutputExistsError` when `out_dir` exists, is not empty and `force` is off."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise OutputExistsError(
            f"{out_dir} already exists and is not empty; use --force to replace it"
        )


@contextmanager
def atomic_output_dir(out_dir: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to write into; on success it becomes `out_dir`.

    On any exception the temporary folder is removed and `out_dir` is left as it was.
    """
    out_dir = Path(out_dir)
    check_target(out_dir, force)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    # mkdtemp makes the folder 0700; the output is an ordinary folder, so apply the umask.
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        yield staging
        _swap_in(staging, out_dir, force)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def current_umask() -> int:
    """The process's file-creation mask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap_in(staging: Path, out_dir: Path, force: bool) -> None:
    check_target(out_dir, force)  # the folder may have appeared while we were writing
    previous: Path | None = None
    if out_dir.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        previous.rmdir()
        out_dir.rename(previous)
    try:
        staging.rename(out_dir)
    except BaseException:
        if previous is not None:
            previous.rename(out_dir)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
