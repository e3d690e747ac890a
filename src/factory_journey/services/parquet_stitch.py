"""Several Parquet files of one schema put together into one file, without decoding a value.

A Parquet file is `PAR1`, the row groups' column chunks (pages that hold no file position),
the page indexes (column index: per-page statistics; offset index: each page's file
position), the footer (the file's metadata, Thrift compact protocol, which names every
column chunk's and index's position) and `PAR1`. Putting files together is therefore copying
their column chunks one after the other and writing one footer whose positions are moved by
where each file's bytes landed; the offset indexes are rewritten the same way, the column
indexes copied. Nothing is decoded, decompressed or encoded again: the pages are the bytes the
writer (Polars, `PARQUET_OPTIONS`) wrote.

Why: a chunked `journey assess` writes the item-major frames (opportunities, indicators) in
an order that needs every chunk before the first block is complete
(docs/decisions/0039-assess-in-facility-chunks.md). Each chunk's block is written as its own
small Parquet file while the next chunk is computed, and the file the user gets is those
pieces put together, instead of spilling the frames and encoding 22 M rows at the end
(docs/decisions/0044-parquet-pieces-put-together.md). Polars and pyarrow read the result as
the pieces' frames stacked (tests/services/test_parquet_stitch.py).

Only what Polars writes is accepted: one schema and key-value metadata (the Arrow schema) for
every piece, no encryption, no bloom filter; anything else is refused with `StitchError` and
the caller falls back to encoding the frames again.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"PAR1"

# Thrift compact protocol types.
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY = 1, 2, 3, 4, 5, 6, 7, 8
_LIST, _SET, _STRUCT = 9, 10, 12  # 11, a map, never occurs in a footer: refused
_INTEGERS = (_I16, _I32, _I64)

# Field ids of the parquet.thrift structs read or changed here.
_FILE_SCHEMA, _FILE_NUM_ROWS, _FILE_ROW_GROUPS, _FILE_KEY_VALUE = 2, 3, 4, 5
_FILE_ENCRYPTION = 8
_GROUP_COLUMNS, _GROUP_ROWS, _GROUP_FILE_OFFSET, _GROUP_ORDINAL = 1, 3, 5, 7
_CHUNK_FILE_OFFSET, _CHUNK_META = 2, 3
_CHUNK_OFFSET_INDEX, _CHUNK_OFFSET_INDEX_LENGTH = 4, 5
_CHUNK_COLUMN_INDEX, _CHUNK_COLUMN_INDEX_LENGTH = 6, 7
_CHUNK_CRYPTO = 8
#: ColumnMetaData: data_page_offset, index_page_offset, dictionary_page_offset
_META_POSITIONS = (9, 10, 11)
_META_PATH = 3  # ColumnMetaData.path_in_schema
_META_BLOOM_FILTER = 14
_OFFSET_INDEX_PAGES, _PAGE_OFFSET = 1, 1


class StitchError(ValueError):
    """The pieces cannot be put together without decoding them (see the module docstring)."""


# A decoded Thrift value: structs are lists of [field id, type, value] (kept in order, so that
# encoding gives back the same bytes), lists are [element type, [values]].
Field = list[Any]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def value(self, kind: int) -> Any:
        if kind in (_TRUE, _FALSE):  # only inside lists: one byte
            return self.byte() == _TRUE
        if kind == _BYTE:
            return self.byte()
        if kind in _INTEGERS:
            return self.zigzag()
        if kind == _DOUBLE:
            value = self.data[self.at:self.at + 8]
            self.at += 8
            return value
        if kind == _BINARY:
            size = self.varint()
            value = self.data[self.at:self.at + size]
            self.at += size
            return value
        if kind in (_LIST, _SET):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [element, [self.value(element) for _ in range(size)]]
        if kind == _STRUCT:
            return self.struct()
        raise StitchError(f"Thrift type {kind} is not expected in a Parquet footer")

    def struct(self) -> list[Field]:
        fields: list[Field] = []
        last = 0
        while (header := self.byte()) != 0:
            delta, kind = header >> 4, header & 0x0F
            field = last + delta if delta else self.zigzag()
            if kind in (_TRUE, _FALSE):
                fields.append([field, kind, kind == _TRUE])
            else:
                fields.append([field, kind, self.value(kind)])
            last = field
        return fields


class _Writer:
    def __init__(self) -> None:
        self.out = bytearray()

    def varint(self, value: int) -> None:
        while value >= 0x80:
            self.out.append((value & 0x7F) | 0x80)
            value >>= 7
        self.out.append(value)

    def zigzag(self, value: int) -> None:
        self.varint((value << 1) ^ (value >> 63))

    def value(self, kind: int, value: Any) -> None:
        if kind in (_TRUE, _FALSE):  # inside a list
            self.out.append(_TRUE if value else _FALSE)
        elif kind == _BYTE:
            self.out.append(value)
        elif kind in _INTEGERS:
            self.zigzag(value)
        elif kind == _DOUBLE:
            self.out += value
        elif kind == _BINARY:
            self.varint(len(value))
            self.out += value
        elif kind in (_LIST, _SET):
            element, items = value
            if len(items) < 15:
                self.out.append(len(items) << 4 | element)
            else:
                self.out.append(0xF0 | element)
                self.varint(len(items))
            for item in items:
                self.value(element, item)
        elif kind == _STRUCT:
            self.struct(value)
        else:  # pragma: no cover - the reader refuses these first
            raise StitchError(f"Thrift type {kind}")

    def struct(self, fields: list[Field]) -> None:
        last = 0
        for field, kind, value in fields:
            wire = (_TRUE if value else _FALSE) if kind in (_TRUE, _FALSE) else kind
            if 0 < field - last <= 15:
                self.out.append((field - last) << 4 | wire)
            else:
                self.out.append(wire)
                self.zigzag(field)
            if kind not in (_TRUE, _FALSE):
                self.value(kind, value)
            last = field
        self.out.append(0)


def encode(fields: list[Field]) -> bytes:
    """A decoded struct (`decode`) as Thrift compact bytes."""
    writer = _Writer()
    writer.struct(fields)
    return bytes(writer.out)


def decode(data: bytes) -> list[Field]:
    """The Thrift compact struct at the start of `data`."""
    return _Reader(data).struct()


def _get(fields: list[Field], field: int) -> Any:
    for number, _, value in fields:
        if number == field:
            return value
    return None


def _set(fields: list[Field], field: int, kind: int, value: Any) -> None:
    for entry in fields:
        if entry[0] == field:
            entry[1], entry[2] = kind, value
            return
    fields.append([field, kind, value])
    fields.sort(key=lambda entry: int(entry[0]))


def _shift(fields: list[Field], numbers: Sequence[int], by: int) -> None:
    for entry in fields:
        if entry[0] in numbers:
            entry[2] += by


@dataclass
class _Piece:
    """One piece's footer, decoded, and where its column chunks and page indexes are; the
    piece is a file or its bytes (a frame written to memory)."""

    name: str
    source: Path | bytes
    footer: list[Field]
    data_end: int  # end of the column chunks: the first page index, else the footer
    indexes: bytes  # the page indexes: the piece's bytes from `data_end` to the footer

    def index(self, at: int, length: int) -> bytes:
        """The page index of `length` bytes at file position `at`."""
        start = at - self.data_end
        if start < 0 or start + length > len(self.indexes):
            raise StitchError(f"{self.name}: a page index lies outside its place")
        return self.indexes[start:start + length]

    def copy_data(self, target: BinaryIO) -> None:
        """Write the piece's column chunks (its bytes between `PAR1` and `data_end`)."""
        if isinstance(self.source, bytes):
            target.write(memoryview(self.source)[len(MAGIC):self.data_end])
            return
        with self.source.open("rb") as file:
            _copy(file, target, len(MAGIC), self.data_end - len(MAGIC))

    @classmethod
    def read(cls, piece: Path | bytes) -> _Piece:
        if isinstance(piece, bytes):
            return cls._parse("a piece", piece, len(piece), lambda at, size: piece[at:at + size])
        path = Path(piece)
        with path.open("rb") as file:

            def read_at(at: int, size: int) -> bytes:
                file.seek(at)
                return file.read(size)

            return cls._parse(path.name, path, file.seek(0, 2), read_at)

    @classmethod
    def _parse(cls, name: str, source: Path | bytes, size: int,
               read_at: Callable[[int, int], bytes]) -> _Piece:
        footer, footer_at = read_footer(name, size, read_at)
        if _get(footer, _FILE_ENCRYPTION) is not None:
            raise StitchError(f"{name} is encrypted")
        data_end = footer_at
        for chunk in _chunks(footer):
            if _get(chunk, _CHUNK_CRYPTO) is not None:
                raise StitchError(f"{name} has encrypted columns")
            if _get(_get(chunk, _CHUNK_META) or [], _META_BLOOM_FILTER) is not None:
                raise StitchError(f"{name} has bloom filters")
            for field in (_CHUNK_OFFSET_INDEX, _CHUNK_COLUMN_INDEX):
                if (at := _get(chunk, field)) is not None:
                    data_end = min(data_end, at)
        return cls(name, source, footer, data_end, read_at(data_end, footer_at - data_end))


def read_footer(name: str, size: int,
                read_at: Callable[[int, int], bytes]) -> tuple[list[Field], int]:
    """The decoded footer of the Parquet file `name` of `size` bytes, read through
    `read_at(position, length)`, and the position where the footer starts."""
    if size < 12:
        raise StitchError(f"{name} is not a Parquet file")
    length_bytes = read_at(size - 8, 8)
    (length,) = struct.unpack("<i", length_bytes[:4])
    if length_bytes[4:] != MAGIC or not 0 < length <= size - 12:
        raise StitchError(f"{name} is not a Parquet file (or is encrypted)")
    footer_at = size - 8 - length
    return decode(read_at(footer_at, length)), footer_at


def move_chunk(chunk: list[Field], shift: int) -> None:
    """A column chunk's file positions (its own, its pages') moved by `shift` bytes."""
    _shift(chunk, (_CHUNK_FILE_OFFSET,), shift)
    _shift(_get(chunk, _CHUNK_META) or [], _META_POSITIONS, shift)


def moved_offset_index(block: bytes, shift: int) -> bytes:
    """An encoded offset index with its pages' positions moved by `shift` bytes."""
    index = decode(block)
    for page in _get(index, _OFFSET_INDEX_PAGES)[1]:
        _shift(page, (_PAGE_OFFSET,), shift)
    return encode(index)


def _groups(footer: list[Field]) -> list[list[Field]]:
    groups = _get(footer, _FILE_ROW_GROUPS)
    return groups[1] if groups else []


def _chunks(footer: list[Field]) -> list[list[Field]]:
    return [chunk for group in _groups(footer) for chunk in _get(group, _GROUP_COLUMNS)[1]]


def _copy(source: BinaryIO, target: BinaryIO, start: int, length: int) -> None:
    source.seek(start)
    left = length
    while left:
        block = source.read(min(left, 1 << 24))
        if not block:
            raise StitchError("a piece is shorter than its footer says")
        target.write(block)
        left -= len(block)


class Stitcher:
    """One Parquet file put together from pieces as they come (`append`, in order), finished
    by `close`. Every piece must have the first one's schema and key-value metadata; a piece
    refused (`StitchError`) leaves the file as it was, so that the pieces appended so far
    still make a whole file. Pieces may be files or the bytes of a frame written to memory
    (`io.BytesIO`): then nothing is written twice."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        self._out: BinaryIO | None = None
        self._first: list[Field] | None = None
        self._groups: list[list[Field]] = []
        self.rows = 0
        self._column_indexes: list[tuple[list[Field], bytes]] = []
        self._offset_indexes: list[tuple[list[Field], bytes, int]] = []

    def append(self, piece: Path | bytes) -> None:
        """Copy the row groups of `piece` after those appended so far."""
        read = _Piece.read(piece)
        if self._first is None:
            self._first = read.footer
        else:
            for field in (_FILE_SCHEMA, _FILE_KEY_VALUE):
                if _get(read.footer, field) != _get(self._first, field):
                    raise StitchError(
                        f"{read.name}: its columns differ from the first piece's")
        # every position is checked before a byte is written: a refused piece changes nothing
        found: list[tuple[list[Field], bytes | None, bytes | None]] = []
        for group in _groups(read.footer):
            for chunk in _get(group, _GROUP_COLUMNS)[1]:
                column = offset = None
                if (at := _get(chunk, _CHUNK_COLUMN_INDEX)) is not None:
                    column = read.index(at, _get(chunk, _CHUNK_COLUMN_INDEX_LENGTH))
                if (at := _get(chunk, _CHUNK_OFFSET_INDEX)) is not None:
                    offset = read.index(at, _get(chunk, _CHUNK_OFFSET_INDEX_LENGTH))
                found.append((chunk, column, offset))
        if self._out is None:
            self._out = self.target.open("wb")
            self._out.write(MAGIC)
        shift = self._out.tell() - len(MAGIC)
        read.copy_data(self._out)
        for group in _groups(read.footer):
            _shift(group, (_GROUP_FILE_OFFSET,), shift)
            _set(group, _GROUP_ORDINAL, _I16, len(self._groups))
            self._groups.append(group)
        for chunk, column, offset in found:
            move_chunk(chunk, shift)
            if column is not None:
                self._column_indexes.append((chunk, column))
            if offset is not None:
                self._offset_indexes.append((chunk, offset, shift))
        self.rows += _get(read.footer, _FILE_NUM_ROWS)

    def close(self) -> int:
        """Write the page indexes and the footer; returns the file's rows."""
        if self._out is None or self._first is None:
            raise StitchError("no piece to put together")
        out = self._out
        # The page indexes after every column chunk, as Parquet writers place them: the
        # column indexes as they are, the offset indexes with their pages' new positions.
        for chunk, block in self._column_indexes:
            _set(chunk, _CHUNK_COLUMN_INDEX, _I64, out.tell())
            out.write(block)
        for chunk, block, shift in self._offset_indexes:
            block = moved_offset_index(block, shift)
            _set(chunk, _CHUNK_OFFSET_INDEX, _I64, out.tell())
            _set(chunk, _CHUNK_OFFSET_INDEX_LENGTH, _I32, len(block))
            out.write(block)
        footer = [list(entry) for entry in self._first]
        _set(footer, _FILE_NUM_ROWS, _I64, self.rows)
        _set(footer, _FILE_ROW_GROUPS, _LIST, [_STRUCT, self._groups])
        block = encode(footer)
        out.write(block)
        out.write(struct.pack("<i", len(block)))
        out.write(MAGIC)
        out.close()
        self._out = None
        return self.rows

    def abandon(self) -> None:
        """Close the file unfinished (the caller removes or replaces it)."""
        if self._out is not None:
            self._out.close()
            self._out = None


def stitch(pieces: Sequence[Path | bytes], target: Path) -> int:
    """Write `target`: the row groups of `pieces`, in order, as one Parquet file; returns its
    rows. Every piece must have the first one's schema and key-value metadata."""
    if not pieces:
        raise StitchError("no piece to put together")
    stitcher = Stitcher(target)
    try:
        for piece in pieces:
            stitcher.append(piece)
        return stitcher.close()
    finally:
        stitcher.abandon()
