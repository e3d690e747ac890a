"""Use case: draft a proposal, edit the draft, attach documents to it.

A draft keeps whatever the proposer has written so far (a complete proposal is checked when it
is submitted, `submission.py`); `draft_problems` says what a submission would still refuse.
Attachments are checked by content as evidence documents are (`ingest.sniff`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from factory_journey.engine.assessment import default_methodology
from factory_journey.engine.assessment.proposal_content import (
    ProposalContentError,
    check_proposal_content,
)
from factory_journey.ingest.sniff import FileTypeError, evidence_kind
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Conflict, InvalidInput
from factory_journey.services.platform.evidence import MAX_EVIDENCE_BYTES, too_large
from factory_journey.services.platform.files import safe_filename
from factory_journey.services.proposals import records
from factory_journey.store.models import Proposal, ProposalAttachment, ProposalVersion, utcnow

#: Largest proposal content kept [bytes of JSON]: many pages of text, far from a file.
MAX_CONTENT_BYTES = 200_000
MAX_ATTACHMENTS = 20


def _title(content: dict[str, Any]) -> str:
    title = content.get("title")
    if not isinstance(title, str) or not 3 <= len(title.strip()) <= 200:
        raise InvalidInput("title: a proposal needs a title of 3 to 200 characters, even as a "
                           "draft")
    return title.strip()


def _checked_size(content: dict[str, Any]) -> None:
    size = len(json.dumps(content, ensure_ascii=False).encode("utf-8"))
    if size > MAX_CONTENT_BYTES:
        raise InvalidInput(f"the proposal is {size:,} bytes of text; at most "
                           f"{MAX_CONTENT_BYTES:,} are kept: move long material to attachments")


def draft_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """`[(where, message)]` a submission of `content` would be refused for (empty: ready)."""
    try:
        check_proposal_content(content, default_methodology())
    except ProposalContentError as error:
        return error.problems
    return []


def create_draft(session: Session, actor: Actor, content: dict[str, Any]) -> Proposal:
    """A new proposal of the actor's organisation, version 1 as a draft."""
    records.require(actor, "proposal.create")
    title = _title(content)
    _checked_size(content)
    proposal = Proposal(
        organisation_id=actor.organisation_id, created_by=actor.user_id, title=title
    )
    session.add(proposal)
    session.flush()
    session.add(
        ProposalVersion(proposal_id=proposal.id, number=1, content=content,
                        created_by=actor.user_id)
    )
    records.created(session, actor, proposal)
    session.flush()
    return proposal


def editable_version(session: Session, actor: Actor, proposal_id: int) -> ProposalVersion:
    """The draft version the actor may change; `Conflict` once it is submitted."""
    proposal = records.own(session, actor, proposal_id, "proposal.create")
    version = records.latest(session, proposal.id)
    if proposal.state != "draft" or version.submitted_at is not None:
        raise Conflict(f"proposal JJ-{proposal.id} is {proposal.state.replace('_', ' ')}: a "
                       "submitted version is frozen; revise it to make a new draft version")
    return version


def update_draft(
    session: Session, actor: Actor, proposal_id: int, content: dict[str, Any]
) -> Proposal:
    """Replace the draft's content (what the proposer typed is kept as typed)."""
    version = editable_version(session, actor, proposal_id)
    title = _title(content)
    _checked_size(content)
    version.content = content
    proposal = session.get(Proposal, proposal_id)
    assert proposal is not None
    proposal.title = title
    proposal.updated_at = utcnow()
    record(session, actor, "proposal.edit", "proposal", proposal_id, {"version": version.number})
    session.flush()
    return proposal


def check_attach(session: Session, actor: Actor, proposal_id: int) -> None:
    """Asked before an attachment is read: the actor may change this draft."""
    editable_version(session, actor, proposal_id)


def attach(
    session: Session,
    actor: Actor,
    proposal_id: int,
    filename: str,
    content: bytes,
    *,
    max_bytes: int = MAX_EVIDENCE_BYTES,
) -> ProposalAttachment:
    """Attach a document (PDF, image, spreadsheet, text: the evidence types) to the draft."""
    version = editable_version(session, actor, proposal_id)
    name = safe_filename(filename, "attachment")
    if len(content) > max_bytes:
        raise too_large(name, max_bytes)
    count = session.query(ProposalAttachment).filter_by(version_id=version.id).count()
    if count >= MAX_ATTACHMENTS:
        raise Conflict(f"a proposal version takes at most {MAX_ATTACHMENTS} attachments")
    try:
        kind = evidence_kind(name, content)
    except FileTypeError as error:
        raise InvalidInput(str(error)) from None
    row = ProposalAttachment(
        version_id=version.id,
        filename=name,
        content_type=kind.content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    record(session, actor, "proposal.attach", "proposal", proposal_id,
           {"attachment": row.id, "content_type": kind.content_type})
    return row
