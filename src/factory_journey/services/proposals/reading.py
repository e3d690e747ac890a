"""Use case: what an organisation may see of proposals.

- The proposing organisation sees its proposals, every version, attachments and history, and
  the reviews of a version once the committee has decided on it (not while reviews come in).
- A committee seat's members see every proposal submitted at least once, and its reviews.
- Nobody else sees a proposal: it answers "not found". So a proposer never sees the reviews
  of another organisation's proposal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.proposals import records
from factory_journey.services.proposals.committee import is_member
from factory_journey.services.proposals.drafting import draft_problems
from factory_journey.services.proposals.reviewing import reviews_of
from factory_journey.store.models import (
    Organisation,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalReview,
    ProposalVersion,
    User,
)

#: States after which the reviews of the version decided on are shown to the proposer.
DECIDED = ("changes_requested", "accepted", "rejected")


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    organisation: str
    versions: list[ProposalVersion]
    attachments: dict[int, list[ProposalAttachment]]
    history: list[dict[str, Any]]
    problems: list[tuple[str, str]]  # what a submission of the draft would be refused for
    own: bool
    reviewer: bool
    reviews_visible: bool
    reviewed_by_my_seat: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def list_proposals(session: Session, actor: Actor) -> list[tuple[Proposal, str]]:
    """(proposal, organisation name) the actor may see, newest first."""
    member = is_member(session, actor)
    submitted = select(ProposalVersion.proposal_id).where(ProposalVersion.submitted_at.is_not(None))
    condition = Proposal.organisation_id == actor.organisation_id
    if member:
        condition = or_(condition, Proposal.id.in_(submitted))
    rows = session.execute(
        select(Proposal, Organisation.name)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .where(condition)
        .order_by(Proposal.id.desc())
    ).all()
    return [(p, name) for p, name in rows]


def _reviews_visible(session: Session, actor: Actor, proposal: Proposal) -> bool:
    if proposal.organisation_id == actor.organisation_id:
        return False  # the proposer's view: decided versions only (see `reviews`)
    return is_member(session, actor)


def history(session: Session, proposal_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ProposalEvent, User.display_name, Organisation.name)
        .outerjoin(User, User.id == ProposalEvent.user_id)
        .outerjoin(Organisation, Organisation.id == ProposalEvent.organisation_id)
        .where(ProposalEvent.proposal_id == proposal_id)
        .order_by(ProposalEvent.id)
    ).all()
    return [
        {
            "at": event.at,
            "version": event.version_number,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "by": user or "",
            "organisation": organisation or "",
            "note": event.note,
        }
        for event, user, organisation in rows
    ]


def view(session: Session, actor: Actor, proposal_id: int) -> ProposalView:
    proposal = records.visible(session, actor, proposal_id)
    own = proposal.organisation_id == actor.organisation_id
    versions = records.versions(session, proposal.id)
    if not own:  # the committee sees submitted versions, never a draft in progress
        versions = [v for v in versions if v.submitted_at is not None]
    attachments = {
        v.id: list(
            session.scalars(
                select(ProposalAttachment)
                .where(ProposalAttachment.version_id == v.id)
                .order_by(ProposalAttachment.id)
            )
        )
        for v in versions
    }
    organisation = session.get(Organisation, proposal.organisation_id)
    latest = versions[-1] if versions else None
    problems = (
        draft_problems(latest.content)
        if own and latest is not None and latest.submitted_at is None
        else []
    )
    member = is_member(session, actor) and not own
    mine = False
    if member and latest is not None:
        mine = any(
            r.organisation_id == actor.organisation_id for r in reviews_of(session, latest.id)
        )
    return ProposalView(
        proposal=proposal,
        organisation=organisation.name if organisation else "",
        versions=versions,
        attachments=attachments,
        history=history(session, proposal.id),
        problems=problems,
        own=own,
        reviewer=member,
        reviews_visible=_reviews_visible(session, actor, proposal),
        reviewed_by_my_seat=mine,
    )


def reviews(session: Session, actor: Actor, proposal_id: int) -> list[ProposalReview]:
    """The reviews the actor may read: every one for the committee; for the proposer, those
    of versions the committee has decided on; nobody else sees the proposal at all."""
    proposal = records.visible(session, actor, proposal_id)
    versions = records.versions(session, proposal.id)
    if proposal.organisation_id == actor.organisation_id:
        latest = versions[-1]
        decided = [
            v for v in versions if v.submitted_at is not None and (
                v.number < latest.number or proposal.state in DECIDED
            )
        ]
        return [r for v in decided for r in reviews_of(session, v.id)]
    return [r for v in versions for r in reviews_of(session, v.id)]


def attachment(
    session: Session, actor: Actor, proposal_id: int, attachment_id: int
) -> ProposalAttachment:
    """An attachment of a version the actor may see (else "not found")."""
    shown = view(session, actor, proposal_id)
    for rows in shown.attachments.values():
        for row in rows:
            if row.id == attachment_id:
                return row
    raise NotFound(f"no attachment {attachment_id} on proposal {proposal_id}")
