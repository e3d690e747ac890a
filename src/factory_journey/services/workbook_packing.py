"""An xlsxwriter workbook packed in memory, byte for byte as xlsxwriter packs it from files.

By default xlsxwriter writes each part of a workbook (~30 XML files for seven sheets) to a
temporary file, stamps it 31 January 1980 and zips the files into the .xlsx: creating and
deleting those files is most of the time a small workbook takes on a busy disk (a median of
~55 of ~80 ms for one facility's assessment.xlsx here, issue 14). Its `in_memory` option packs
the same parts from memory, but stamps them 1 January 1980 with other permission bits, so the
file's bytes would change. `PackedWorkbook` packs in memory and then sets each part's date,
time and mode in the archive's headers to what the file packing writes: the same bytes, without
temporary files (tests/services/test_spreadsheet_safety.py compares the two). A large workbook
is packed from files as before: in memory, the XML of all its sheets would be held at once.
"""

from __future__ import annotations

import io
import stat
import struct
from pathlib import Path
from typing import Any

import xlsxwriter

#: DOS date and time of 31 January 1980 00:00, the stamp of xlsxwriter's temporary files.
PART_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 31
PART_DOS_TIME = 0
#: The mode of those files (a regular file, rw-------) as a zip entry's external attributes.
PART_EXTERNAL_ATTR = (stat.S_IFREG | 0o600) << 16

#: Above this many cells (all sheets) a workbook is packed from temporary files: in memory its
#: XML, ~50–100 bytes a cell, would be held whole (one facility's assessment: ~3,000 cells).
IN_MEMORY_MAX_CELLS = 1_000_000

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_END_SIZE = 22
_CENTRAL_SIZE = 46


class PackedWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """A workbook written to `path` on `close()` (or leaving a `with` block), packed in memory."""

    def __init__(self, path: Path, options: dict[str, Any]) -> None:
        self._path = Path(path)
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, {**options, "in_memory": True})

    def close(self) -> None:
        if self.fileclosed:
            super().close()  # xlsxwriter's warning
            return
        if self.cells() > IN_MEMORY_MAX_CELLS:  # xlsxwriter's own packing, from files
            self.in_memory = False
            self.filename = str(self._path)
            super().close()
            return
        super().close()
        self._path.write_bytes(as_packed_from_files(self._buffer.getvalue()))

    def cells(self) -> int:
        """Cells of the used range of every sheet."""
        return sum((sheet.dim_rowmax + 1) * (sheet.dim_colmax + 1)
                   for sheet in self.worksheets()
                   if sheet.dim_rowmax is not None and sheet.dim_colmax is not None)


def as_packed_from_files(archive: bytes) -> bytes:
    """`archive` (a zip as xlsxwriter packs it in memory) with every entry's date, time and
    mode set as its file packing sets them. An archive of another shape (a comment, ZIP64) is
    returned as it is: still a valid workbook, its entries only stamped differently."""
    data = bytearray(archive)
    end = len(data) - _END_SIZE
    if end < 0 or data[end:end + 4] != _END:
        return archive
    entries, size, offset = struct.unpack_from("<HLL", data, end + 10)
    if offset + size != end:
        return archive
    for _ in range(entries):
        if data[offset:offset + 4] != _CENTRAL:
            return archive
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, offset + 28)
        (local,) = struct.unpack_from("<L", data, offset + 42)
        if data[local:local + 4] != _LOCAL:
            return archive
        struct.pack_into("<2H", data, offset + 12, PART_DOS_TIME, PART_DOS_DATE)
        struct.pack_into("<L", data, offset + 38, PART_EXTERNAL_ATTR)
        struct.pack_into("<2H", data, local + 10, PART_DOS_TIME, PART_DOS_DATE)
        offset += _CENTRAL_SIZE + name_length + extra_length + comment_length
    return bytes(data) if offset == end else archive
