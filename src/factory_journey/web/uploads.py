"""Reading an uploaded file with a bound, in a worker thread (never on the event loop)."""

from __future__ import annotations

from fastapi import UploadFile

#: Bytes read at a time from the spooled upload [bytes].
CHUNK_BYTES = 1024 * 1024


def read_at_most(file: UploadFile, limit: int) -> bytes:
    """At most `limit` bytes of `file`, read in chunks: a larger file gives `limit` bytes, so a
    caller that passes its maximum plus one knows it is too large without holding all of it.
    Blocking: call it from a plain `def` route (FastAPI runs those in a worker thread)."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = file.file.read(min(CHUNK_BYTES, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
