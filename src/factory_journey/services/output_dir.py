"""Write a set of output files all or nothing, one run at a time per output folder.

Files are written into a hidden staging folder beside the target
(`.NAME.partial-<8 hex digits>/NAME`) and the folder is renamed into place at the end: a reader
never sees half the files, a failure leaves nothing behind, and an existing folder is replaced
only when asked to (`force`). A single file (a report) is written the same way and moved over
its target (`atomic_output_file`).

A run holds an operating-system lock on `.NAME.lock` beside the target while it writes, so a
second run into the same folder is told at once that it is in use, and by which process. The
kernel releases the lock when the process ends however it ends, so a killed run never blocks
the next one; the next run into the same parent removes the staging folders of runs whose
lock is free (their process is gone). Where the platform has no `fcntl` (Windows) there is no
lock and no clean-up: the writing itself stays all or nothing.

Every hidden folder a run makes holds a marker file (`.journey-staging`: the process id and the
lock's name), written before anything else goes in, and what is written lives in a sub-folder:
the clean-up touches only folders with that exact name pattern AND our marker AND a free lock,
so a user's own `.data.old-2024` or `.photos.partial-backup` beside `--out` is never removed
or renamed (#13 review: it was, before).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
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
#: is being replaced. The suffix is exactly what `_hidden_dir` makes: 8 lower-case hex digits.
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old)-[0-9a-f]{8}$")

#: The marker file in every hidden folder a run makes; nothing else has it.
MARKER = ".journey-staging"
_MARKER_KIND = "factory-journey staging"


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


def _hidden_dir(target: Path, kind: str) -> Path:
    """A new, marked, private folder `.NAME.KIND-<8 hex digits>` beside `target` (0700, like
    `tempfile.mkdtemp`); the caller holds the lock of `target`."""
    lock_name = lock_file(target).name
    while True:
        folder = target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        break
    try:
        (folder / MARKER).write_text(
            json.dumps({"kind": _MARKER_KIND, "pid": os.getpid(), "lock": lock_name}) + "\n",
            encoding="utf-8",
        )
    except BaseException:
        folder.rmdir()
        raise
    return folder


def _is_ours(entry: Path, target: Path) -> bool:
    """True when `entry` holds our marker, naming the lock of `target`."""
    marker = entry / MARKER
    if marker.is_symlink() or not marker.is_file():
        return False
    try:
        content = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return (
        isinstance(content, dict)
        and content.get("kind") == _MARKER_KIND
        and content.get("lock") == lock_file(target).name
    )


def _clean_one(entry: Path, kind: str, target: Path) -> bool:
    """Remove (or, for a previous output caught mid-swap, restore) one leftover of ours; the
    caller holds the lock of `target`. False when `entry` is not provably ours."""
    if not _is_ours(entry, target):
        # Not provably ours, even empty (a run killed in the instant between making the
        # folder and marking it leaves an empty one): a user's folder is never touched.
        return False
    kept = entry / target.name
    if kind == "old" and not target.exists() and not target.is_symlink() and kept.is_dir():
        kept.rename(target)  # killed between the two renames of a swap: put it back
    shutil.rmtree(entry, ignore_errors=True)
    return True


def clean_leftovers(parent: Path) -> list[Path]:
    """Remove what killed runs left in `parent`; return what was removed or restored.

    Only folders named exactly as a run names them, holding our marker, and whose target's
    lock is free (their run is gone) are touched: a staging folder is removed, and a previous
    output caught in the middle of being replaced is put back when nothing took its place
    (removed when something did). Anything else, a user's look-alike included, is left alone.
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
        if entry.is_symlink() or not entry.is_dir():
            continue
        target = parent / match["name"]
        if not _is_ours(entry, target):
            continue  # not even a lock file is made for someone else's folder
        try:
            with output_lock(target):
                if _clean_one(entry, match["kind"], target):
                    cleaned.append(entry)
        except OutputInUseError:
            continue  # a live run is writing it
        except OSError:
            continue  # unreadable or not ours to remove: leave it
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
        wrapper = _hidden_dir(out_dir, "partial")
        try:
            staging = wrapper / out_dir.name
            staging.mkdir()  # an ordinary folder (the umask applies), unlike its 0700 wrapper
            yield staging
            _swap_in(staging, out_dir, force)
        finally:
            shutil.rmtree(wrapper, ignore_errors=True)


@contextmanager
def atomic_output_file(path: Path) -> Iterator[Path]:
    """Yield a staging path to write one file into; on success it replaces `path`.

    Like `atomic_output_dir`: the lock of `path` is held throughout, the staging file lives
    in a marked hidden folder beside `path` (`.NAME.partial-<8 hex digits>/NAME`) that a killed
    run's successor removes, and on any exception `path` is left as it was.
    """
    path = Path(path)
    with output_lock(path):
        clean_leftovers(path.parent)
        wrapper = _hidden_dir(path, "partial")
        try:
            yield wrapper / path.name
            os.replace(wrapper / path.name, path)
        finally:
            shutil.rmtree(wrapper, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path, force: bool) -> None:
    check_target(out_dir, force)  # the folder may have appeared while we were writing
    previous: Path | None = None
    if out_dir.exists():
        # The previous output goes into a marked folder of ours, so that a run killed before
        # the next rename leaves something the next run can recognise and put back.
        previous = _hidden_dir(out_dir, "old")
        out_dir.rename(previous / out_dir.name)
    try:
        staging.rename(out_dir)
    except BaseException:
        if previous is not None:
            (previous / out_dir.name).rename(out_dir)
            shutil.rmtree(previous, ignore_errors=True)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
