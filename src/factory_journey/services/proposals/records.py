"""Shared steps of the proposal use cases: who may, finding a proposal one may see, moving it
to a new state with its history, audit and notifications."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform import outbox
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Forbidden, NotFound
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.services.proposals.committee import is_member, seats
from factory_journey.store.models import (
    Membership,
    Proposal,
    ProposalEvent,
    ProposalVersion,
    User,
    utcnow,
)

#: State changes a proposal may make (anything else is a conflict with its state).
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted"}),
    "submitted": frozenset({"under_review"}),
    "under_review": frozenset({"changes_requested", "accepted", "rejected"}),
    "changes_requested": frozenset({"draft"}),
    "accepted": frozenset(),
    "rejected": frozenset(),
}


def require(actor: Actor, action: str) -> None:
    """`Forbidden` unless the actor's organisation kind and role allow `action` (policy.py)."""
    if not allowed_in_organisation(action, actor.organisation_kind, actor.role):
        raise Forbidden(f"your role does not allow {action}")


def visible(session: Session, actor: Actor, proposal_id: int) -> Proposal:
    """A proposal the actor may read: its organisation's own, or, for a committee member, one
    submitted at least once.

    Any other answers "not found", so that other organisations' proposals are not disclosed.
    """
    row = session.get(Proposal, proposal_id)
    if row is None or not (
        row.organisation_id == actor.organisation_id
        or (was_submitted(session, row.id) and is_member(session, actor))
    ):
        raise NotFound(f"no proposal {proposal_id} that you can see")
    return row


def was_submitted(session: Session, proposal_id: int) -> bool:
    """True once any version was submitted (the committee never sees a first draft)."""
    return (
        session.scalar(
            select(ProposalVersion.id)
            .where(
                ProposalVersion.proposal_id == proposal_id,
                ProposalVersion.submitted_at.is_not(None),
            )
            .limit(1)
        )
        is not None
    )


def own(session: Session, actor: Actor, proposal_id: int, action: str) -> Proposal:
    """A proposal of the actor's organisation that its role allows `action` on.

    Another organisation's proposal answers "not found", even to the committee that sees it:
    nobody but the proposer changes a proposal.
    """
    row = session.get(Proposal, proposal_id)
    if row is None or row.organisation_id != actor.organisation_id:
        raise NotFound(f"no proposal {proposal_id} of your organisation")
    require(actor, action)
    return row


def versions(session: Session, proposal_id: int) -> list[ProposalVersion]:
    return list(
        session.scalars(
            select(ProposalVersion)
            .where(ProposalVersion.proposal_id == proposal_id)
            .order_by(ProposalVersion.number)
        )
    )


def latest(session: Session, proposal_id: int) -> ProposalVersion:
    rows = versions(session, proposal_id)
    assert rows, f"proposal {proposal_id} has no version"
    return rows[-1]


def move(
    session: Session,
    actor: Actor | None,
    proposal: Proposal,
    to_state: str,
    version_number: int,
    note: str = "",
) -> None:
    """Change the state (the caller checked it is allowed), keep the history, audit, notify."""
    from_state = proposal.state
    assert to_state in TRANSITIONS[from_state], (from_state, to_state)
    proposal.state = to_state
    proposal.updated_at = utcnow()
    session.add(
        ProposalEvent(
            proposal_id=proposal.id,
            version_number=version_number,
            from_state=from_state,
            to_state=to_state,
            user_id=actor.user_id if actor else None,
            organisation_id=actor.organisation_id if actor else None,
            note=note,
        )
    )
    record(session, actor, f"proposal.{to_state}", "proposal", proposal.id,
           {"from": from_state, "version": version_number})
    _notify(session, proposal, to_state, version_number, note)


def created(session: Session, actor: Actor, proposal: Proposal) -> None:
    """The first event of a proposal's history."""
    session.add(
        ProposalEvent(
            proposal_id=proposal.id,
            version_number=1,
            from_state=None,
            to_state="draft",
            user_id=actor.user_id,
            organisation_id=actor.organisation_id,
            note="",
        )
    )
    record(session, actor, "proposal.draft", "proposal", proposal.id, {"version": 1})


def _emails(session: Session, organisation_ids: list[int]) -> list[str]:
    if not organisation_ids:
        return []
    rows = session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id.in_(organisation_ids), User.active.is_(True))
        .order_by(User.email)
    )
    return list(dict.fromkeys(rows))


_WORDS = {
    "submitted": "was submitted for review",
    "under_review": "is under review by the committee",
    "changes_requested": "needs changes: the committee asks for a revised version",
    "accepted": "was accepted: it joins the methodology in a new version",
    "rejected": "was not accepted by the committee",
    "draft": "was reopened as a new draft version",
}


def _notify(
    session: Session, proposal: Proposal, state: str, version_number: int, note: str
) -> None:
    """Messages to the outbox: the committee hears of submissions, the proposer of the rest."""
    reference = f"JJ-{proposal.id} v{version_number}"
    subject = f"Join the Journey proposal {reference} {_WORDS[state]}"
    body = f"Proposal {reference} \u201c{proposal.title}\u201d {_WORDS[state]}."
    if note:
        body += f"\n\n{note}"
    committee = [org for org in seats(session).values() if org != proposal.organisation_id]
    recipients = _emails(session, committee) if state == "submitted" else []
    recipients += _emails(session, [proposal.organisation_id])
    for email in dict.fromkeys(recipients):
        outbox.send(session, email, subject[:200], body)


def note_build(session: Session, proposal: Proposal, version_number: int, label: str) -> None:
    """Tell the proposer which methodology version now holds their pathway."""
    reference = f"JJ-{proposal.id} v{version_number}"
    for email in _emails(session, [proposal.organisation_id]):
        outbox.send(
            session,
            email,
            f"Join the Journey proposal {reference} is in methodology {label}"[:200],
            f"Proposal {reference} \u201c{proposal.title}\u201d is part of methodology version "
            f"{label}: assessments run with that version can recommend it.",
        )
