"""Write a set of output files all or nothing, one run at a time per output folder.

Files are written into a hidden staging folder beside the target (`.NAME.partial-XXXX`) and
the folder is renamed into place at the end: a reader never sees half the files, a failure
leaves nothing behind, and an existing folder is replaced only when asked to (`force`).

A run holds an operating-system lock on `.NAME.lock` beside the target while it writes, so a
second run into the same folder is told at once that it is in use, and by which process. The
kernel releases the lock when the process ends however it ends, so a killed run never blocks
the next one; the next run into the same parent removes the staging folders of runs whose
lock is free (their process is gone). Where the platform has no `fcntl` (Windows) there is no
lock and no clean-up: the writing itself stays all or nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class OutputExistsError(FileExistsError):
    """The output folder exists and holds files; replacing it needs `force`."""


class OutputInUseError(OutputExistsError):
    """Another run is writing the same output folder right now."""


#: Hidden folders a run leaves beside its target: staging, and the previous output while it
#: is being replaced (`tempfile.mkdtemp` suffixes are lower-case letters, digits and "_").
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old)-[a-z0-9_]+$")


def lock_file(out_dir: Path) -> Path:
    """The lock file of `out_dir`: hidden, beside it (the folder itself is replaced)."""
    return out_dir.parent / f".{out_dir.name}.lock"


@dataclass(slots=True)
class _Held:
    fd: int
    thread: int
    depth: int


_held: dict[Path, _Held] = {}
_held_guard = threading.Lock()


def _try_lock(path: Path) -> int | None:
    """An open, exclusively locked descriptor of `path` (created if need be), or None when
    another process or thread holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # EWOULDBLOCK: held elsewhere
            os.close(fd)
            return None
        # The previous holder unlinks the file as it lets go: make sure the file locked is
        # still the one at `path`, else lock the new one.
        try:
            on_disk = os.stat(path)
            mine = os.fstat(fd)
            same = (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _unlock(path: Path, fd: int) -> None:
    # Unlinked while still locked, so that nobody locks this file anew once it is closed.
    path.unlink(missing_ok=True)
    os.close(fd)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _in_use(out_dir: Path) -> OutputInUseError:
    return OutputInUseError(
        f"{out_dir} is in use by another run{_holder(lock_file(out_dir))}; wait for it to "
        "finish or choose another --out"
    )


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of `out_dir` for the block; raise `OutputInUseError` when another run
    holds it. Re-entrant within a thread (a run may lock a folder it is already writing)."""
    out_dir = Path(out_dir)
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    path = lock_file(out_dir).resolve()
    me = threading.get_ident()
    with _held_guard:
        held = _held.get(path)
        if held is not None:
            if held.thread != me:
                raise _in_use(out_dir)
            held.depth += 1
        else:
            fd = _try_lock(path)
            if fd is None:
                raise _in_use(out_dir)
            held = _held[path] = _Held(fd, me, 1)
    try:
        yield
    finally:
        with _held_guard:
            held.depth -= 1
            if held.depth == 0:
                del _held[path]
                _unlock(path, held.fd)


def check_in_use(out_dir: Path) -> None:
    """Raise `OutputInUseError` when another run holds the lock of `out_dir` right now."""
    out_dir = Path(out_dir)
    if fcntl is None or not out_dir.parent.is_dir():
        return
    with output_lock(out_dir):
        pass


def check_target(out_dir: Path, force: bool) -> None:
    """Raise `OutputExistsError` when `out_dir` exists, is not empty and `force` is off, and
    `OutputInUseError` when another run is writing it."""
    check_in_use(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise OutputExistsError(
            f"{out_dir} already exists and is not empty; use --force to replace it"
        )


def clean_leftovers(parent: Path) -> list[Path]:
    """Remove what killed runs left in `parent`; return what was removed or restored.

    A staging folder is removed, and a previous output caught in the middle of being replaced
    is put back when nothing took its place (removed when something did), but only for
    targets whose lock is free: a live run's folders are left alone.
    """
    if fcntl is None or not parent.is_dir():  # pragma: no cover - Windows
        return []
    cleaned: list[Path] = []
    leftovers = sorted(
        (entry for entry in parent.iterdir() if _LEFTOVER.match(entry.name)),
        key=lambda entry: entry.name,
    )
    for entry in leftovers:
        match = _LEFTOVER.match(entry.name)
        assert match is not None
        if not entry.is_dir() or entry.is_symlink():
            continue
        target = parent / match["name"]
        try:
            with output_lock(target):
                if match["kind"] == "old" and not target.exists():
                    entry.rename(target)  # killed between the two renames of a swap
                else:
                    shutil.rmtree(entry, ignore_errors=True)
                cleaned.append(entry)
        except OutputInUseError:
            continue  # a live run is writing it
    return cleaned


@contextmanager
def atomic_output_dir(out_dir: Path, force: bool = False) -> Iterator[Path]:
    """Yield a staging folder to write into; on success it becomes `out_dir`.

    The lock of `out_dir` is held throughout (`OutputInUseError` if another run holds it),
    and staging folders of killed runs beside it are removed first. On any exception the
    staging folder is removed and `out_dir` is left as it was.
    """
    out_dir = Path(out_dir)
    with output_lock(out_dir):
        clean_leftovers(out_dir.parent)
        check_target(out_dir, force)
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
