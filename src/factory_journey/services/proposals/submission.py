"""Use case: submit a proposal version (checked whole, then frozen) and revise a proposal the
committee sent back (a new draft version, copied from the last one with its attachments)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Conflict, InvalidInput
from factory_journey.services.proposals import records
from factory_journey.services.proposals.drafting import draft_problems, editable_version
from factory_journey.store.models import Proposal, ProposalAttachment, ProposalVersion, utcnow


class ProposalInvalid(InvalidInput):
    """A submission refused; `problems` is `[(where, message)]`, every fault, located."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(
            "the proposal cannot be submitted yet: "
            + "; ".join(f"{where}: {message}" for where, message in problems)
        )
        self.problems = problems


def submit(session: Session, actor: Actor, proposal_id: int) -> Proposal:
    """Check the draft whole and freeze it as submitted; the committee is notified."""
    version = editable_version(session, actor, proposal_id)
    problems = draft_problems(version.content)
    if problems:
        raise ProposalInvalid(problems)
    version.submitted_at = utcnow()
    proposal = session.get(Proposal, proposal_id)
    assert proposal is not None
    records.move(session, actor, proposal, "submitted", version.number)
    session.flush()
    return proposal


def revise(session: Session, actor: Actor, proposal_id: int) -> ProposalVersion:
    """A new draft version after the committee asked for changes (the old one stays frozen)."""
    proposal = records.own(session, actor, proposal_id, "proposal.create")
    if proposal.state != "changes_requested":
        raise Conflict(f"proposal JJ-{proposal.id} is {proposal.state.replace('_', ' ')}: only "
                       "a proposal the committee sent back for changes is revised")
    previous = records.latest(session, proposal.id)
    version = ProposalVersion(
        proposal_id=proposal.id,
        number=previous.number + 1,
        content=dict(previous.content),
        created_by=actor.user_id,
    )
    session.add(version)
    session.flush()
    for old in session.scalars(
        select(ProposalAttachment).where(ProposalAttachment.version_id == previous.id)
    ):
        session.add(
            ProposalAttachment(
                version_id=version.id,
                filename=old.filename,
                content_type=old.content_type,
                size_bytes=old.size_bytes,
                sha256=old.sha256,
                content=old.content,
                uploaded_by=old.uploaded_by,
            )
        )
    records.move(session, actor, proposal, "draft", version.number)
    session.flush()
    return version
