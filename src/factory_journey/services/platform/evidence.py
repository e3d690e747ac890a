"""Evidence documents of a facility-year: stored as uploaded, checked by content, append-only.

A document's type is what its content is (`ingest.sniff`), not what its name says: an
executable renamed `.pdf` is refused, and the content type stored (and sent back on download)
is the one sniffed. Verification records that rest on a document are in `verification.py`.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.ingest.sniff import KINDS, FileTypeError, evidence_kind
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import InvalidInput, NotFound, TooLarge
from factory_journey.services.platform.files import safe_filename
from factory_journey.store.models import Evidence

#: Largest evidence document accepted by default [bytes]; the web setting
#: JOURNEY_EVIDENCE_MAX_BYTES overrides it.
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
#: Content type a text document (CSV or plain text) is sent back with: a spreadsheet program
#: opens a `text/csv` download by itself and runs a cell such as `=HYPERLINK(…)`; as plain
#: text it is shown, or saved, as the bytes it is (decision 0013).
TEXT_DOWNLOAD_TYPE = "text/plain; charset=utf-8"
#: Content types an evidence document is sent back with.
CONTENT_TYPES: tuple[str, ...] = tuple(
    dict.fromkeys(
        TEXT_DOWNLOAD_TYPE if kind.content_type.startswith("text/") else kind.content_type
        for kind in KINDS
    )
)


def download_content_type(row: Evidence) -> str:
    """The content type a document is sent with: the sniffed one, text as plain UTF-8 text.

    The bytes are never altered (they are evidence, checked by their hash); every download is
    an attachment, so nothing is shown or run in the browser's page.
    """
    if row.content_type.startswith("text/"):
        return TEXT_DOWNLOAD_TYPE
    return row.content_type


#: Content types a browser may show in its own viewer: images and PDFs hold nothing that runs
#: (a PDF with JavaScript, a launch action or an embedded file is refused at upload:
#: `ingest.sniff`). Office files and text are always downloads (decision 0030).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


def opens_inline(row: Evidence) -> bool:
    """True when the document may be shown in the browser rather than only downloaded."""
    return row.content_type in INLINE_TYPES


def _size(count: int) -> str:
    """`count` bytes as a person reads it: "20.0 MB", or "100 bytes" below a tenth of one."""
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def too_large(name: str, max_bytes: int) -> TooLarge:
    """The refusal of an evidence document larger than `max_bytes`."""
    return TooLarge(
        f"{name} is larger than {_size(max_bytes)}, the limit for an evidence "
        "document: send a smaller scan or split it"
    )


def check_add_evidence(session: Session, actor: Actor, facility_id: str) -> None:
    """`NotFound`/`Forbidden` unless `actor` may add evidence to the facility: asked before
    the document is read."""
    authorise(session, actor, "evidence.create", facility_id)


def add_evidence(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int,
    subject: str,
    filename: str,
    content: bytes,
    *,
    max_bytes: int = MAX_EVIDENCE_BYTES,
) -> Evidence:
    """Store an evidence document for a profile question or data point (`subject`)."""
    check_add_evidence(session, actor, facility_id)
    name = safe_filename(filename, "evidence")
    if len(content) > max_bytes:
        raise too_large(name, max_bytes)
    try:
        kind = evidence_kind(name, content)
    except FileTypeError as error:
        raise InvalidInput(str(error)) from None
    row = Evidence(
        facility_id=facility_id,
        year=year,
        subject=subject,
        filename=name,
        content_type=kind.content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "evidence.create",
        "evidence",
        row.id,
        {"facility_id": facility_id, "subject": subject, "content_type": kind.content_type},
    )
    return row


def list_evidence(session: Session, actor: Actor, facility_id: str) -> list[Evidence]:
    authorise(session, actor, "evidence.read", facility_id)
    return list(
        session.scalars(
            select(Evidence).where(Evidence.facility_id == facility_id).order_by(Evidence.id)
        )
    )


def evidence_file(session: Session, actor: Actor, facility_id: str, evidence_id: int) -> Evidence:
    """One evidence document with its content, for those who may read the facility's evidence.

    A document of another facility answers "not found", as one that does not exist. A read by
    another organisation is audited by `authorise`, as every read of shared data.
    """
    authorise(session, actor, "evidence.read", facility_id)
    row = session.get(Evidence, evidence_id)
    if row is None or row.facility_id != facility_id:
        raise NotFound(f"no evidence {evidence_id} on facility {facility_id}")
    return row
