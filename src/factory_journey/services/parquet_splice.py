"""One Parquet file made of the columns of others, without decoding a value.

The item blocks of an assessment (an area's opportunities, an indicator's rows) repeat the
columns of the assessed rows themselves (facility_id, year, …) block after block, the same
values in the same order: at a million facility-years the indicators' 15 blocks encoded
`facility_id` 15 times. Those columns are encoded once per chunk and each block's file is
put together from that part and the part of its own columns (`splice`): a column chunk's
bytes do not depend on the other columns of its row group, so the pages are copied and only
the footer is written anew (`parquet_stitch`'s Thrift codec; decision 0047).
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence

from factory_journey.services.parquet_stitch import (
    _CHUNK_META,
    _CHUNK_OFFSET_INDEX,
    _CHUNK_OFFSET_INDEX_LENGTH,
    _FILE_NUM_ROWS,
    _FILE_ROW_GROUPS,
    _FILE_SCHEMA,
    _GROUP_COLUMNS,
    _GROUP_FILE_OFFSET,
    _GROUP_ORDINAL,
    _GROUP_ROWS,
    _I16,
    _I32,
    _I64,
    _LIST,
    _STRUCT,
    MAGIC,
    Field,
    StitchError,
    _get,
    _groups,
    _Piece,
    _set,
    encode,
    move_chunk,
    moved_offset_index,
)

_GROUP_TOTAL_BYTES, _GROUP_COMPRESSED = 2, 6
_META_UNCOMPRESSED, _META_COMPRESSED = 6, 7
_META_DATA_PAGE, _META_DICTIONARY_PAGE = 9, 11
_SCHEMA_NAME = 4


def _columns(footer: list[Field]) -> list[str]:
    """The top-level column names of a flat schema, in order."""
    elements = _get(footer, _FILE_SCHEMA)[1]
    return [_get(element, _SCHEMA_NAME).decode() for element in elements[1:]]


def _start(chunk: list[Field]) -> int:
    meta = _get(chunk, _CHUNK_META)
    starts = [_get(meta, _META_DATA_PAGE)]
    if (dictionary := _get(meta, _META_DICTIONARY_PAGE)) is not None:
        starts.append(dictionary)
    return int(min(starts))


def splice(parts: Sequence[bytes], template: bytes) -> bytes:
    """A Parquet file of the columns of `template` (a file Polars wrote of the whole frame,
    e.g. of none of its rows: its schema and Arrow schema are taken), each column taken from
    the one of `parts` that holds it. The parts are files Polars wrote of the same rows cut
    by columns, with the same row groups."""
    pieces = [_Piece.read(part) for part in parts]
    frame = _Piece.read(template).footer
    names = _columns(frame)
    where: dict[str, tuple[int, int]] = {}
    for p, piece in enumerate(pieces):
        for c, name in enumerate(_columns(piece.footer)):
            if name not in names or name in where:
                raise StitchError(f"column {name!r} is not one of the frame's, or twice")
            where[name] = (p, c)
    if sorted(where) != sorted(names):
        raise StitchError("the parts do not hold every column of the frame")
    groups = [_groups(piece.footer) for piece in pieces]
    if len({len(g) for g in groups}) != 1 or any(
        len({_get(g[i], _GROUP_ROWS) for g in groups}) != 1 for i in range(len(groups[0]))
    ):
        raise StitchError("the parts' row groups differ")
    # Where each column chunk of a part ends: the next one's start (Polars writes a copy of
    # the chunk's metadata after its pages: kept with them), else the part's page indexes.
    ends: list[dict[int, int]] = []
    for piece, part_groups in zip(pieces, groups, strict=True):
        starts = sorted({_start(chunk) for group in part_groups
                         for chunk in _get(group, _GROUP_COLUMNS)[1]} | {piece.data_end})
        ends.append(dict(itertools.pairwise(starts)))
    out = bytearray(MAGIC)
    rows = 0
    made: list[list[Field]] = []
    indexes: list[tuple[list[Field], bytes, int]] = []
    for g in range(len(groups[0])):
        chunks: list[list[Field]] = []
        for name in names:
            p, c = where[name]
            chunk = _get(groups[p][g], _GROUP_COLUMNS)[1][c]
            start = _start(chunk)
            shift = len(out) - start
            out += parts[p][start:ends[p][start]]
            move_chunk(chunk, shift)
            if (at := _get(chunk, _CHUNK_OFFSET_INDEX)) is not None:
                block = pieces[p].index(at, _get(chunk, _CHUNK_OFFSET_INDEX_LENGTH))
                indexes.append((chunk, block, shift))
            chunks.append(chunk)
        group = [list(entry) for entry in groups[0][g]]
        metas = [_get(chunk, _CHUNK_META) for chunk in chunks]
        _set(group, _GROUP_COLUMNS, _LIST, [_STRUCT, chunks])
        _set(group, _GROUP_TOTAL_BYTES, _I64, sum(_get(m, _META_UNCOMPRESSED) for m in metas))
        _set(group, _GROUP_FILE_OFFSET, _I64, _start(chunks[0]))
        _set(group, _GROUP_COMPRESSED, _I64, sum(_get(m, _META_COMPRESSED) for m in metas))
        _set(group, _GROUP_ORDINAL, _I16, g)
        rows += _get(group, _GROUP_ROWS)
        made.append(group)
    for chunk, block, shift in indexes:  # offset indexes after the pages, positions moved
        block = moved_offset_index(block, shift)
        _set(chunk, _CHUNK_OFFSET_INDEX, _I64, len(out))
        _set(chunk, _CHUNK_OFFSET_INDEX_LENGTH, _I32, len(block))
        out += block
    footer = [list(entry) for entry in frame]
    _set(footer, _FILE_NUM_ROWS, _I64, rows)
    _set(footer, _FILE_ROW_GROUPS, _LIST, [_STRUCT, made])
    block = encode(footer)
    out += block + struct.pack("<i", len(block)) + MAGIC
    return bytes(out)
