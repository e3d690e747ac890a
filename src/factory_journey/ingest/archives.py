"""Check a zip archive (a dataset .zip, or an .xlsx workbook, itself a zip) before anything
is unpacked from it: paths that lead outside its folder, a password, too many files, too many
bytes unpacked, or a compression ratio only a "zip bomb" has are problems naming the archive.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from factory_journey.ingest.problem_log import ProblemLog, Source

#: Most files a dataset .zip (or an .xlsx, itself a zip) may hold.
MAX_ZIP_MEMBERS = 1_000
#: Most bytes a .zip may unpack to [bytes]: far above any real dataset (uploads are ≤ 50 MB).
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
#: Highest compression ratio of a member larger than `RATIO_FROM_BYTES`: tables compress
#: about 5 to 20 times; hundreds of times is a "zip bomb" made to fill a disk.
MAX_COMPRESSION_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024


def safe_zip(path: Path, source: Source, log: ProblemLog, what: str) -> bool:
    """True when the archive at `path` can be unpacked safely; else a problem naming why."""
    def refuse(message: str, value: str | None = None) -> bool:
        log.error(message, source, code="unsafe_zip" if value else "unreadable_file",
                  value=value, accepted=f"{what} of at most {MAX_ZIP_MEMBERS:,} files and "
                  f"{MAX_UNZIPPED_BYTES // 2**20:,} MB unpacked, with paths inside its folder")
        return False

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        with path.open("rb") as handle:
            head = handle.read(8)
        kind = next((w for m, w in _MAGIC_WORDS if head.startswith(m)), None)
        return refuse(f"The file is not {what}: it is not a zip archive"
                      + (f" but {kind}" if kind else " (it is damaged or of another kind)"))
    if len(members) > MAX_ZIP_MEMBERS:
        return refuse(f"The archive holds {len(members):,} files", f"{len(members):,} files")
    total = 0
    for member in members:
        name = member.filename
        target = PurePosixPath(name.replace("\\", "/"))
        if target.is_absolute() or ".." in target.parts or ":" in name:
            return refuse("The archive holds a path that leads outside its folder", name)
        if member.flag_bits & 0x1:
            return refuse("The archive is password-protected", name)
        total += member.file_size
        if member.file_size > RATIO_FROM_BYTES and (
                member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)):
            ratio = member.file_size // max(member.compress_size, 1)
            return refuse(
                f"A file in the archive is compressed {ratio:,} "
                f"times (more than {MAX_COMPRESSION_RATIO}): refused as a possible zip bomb",
                name)
    if total > MAX_UNZIPPED_BYTES:
        return refuse(f"The archive would unpack to {total / 2**20:,.0f} MB", f"{total:,} bytes")
    return True


_MAGIC_WORDS = (
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook (save it as .xlsx)"),
    (b"%PDF", "a PDF document"),
)
