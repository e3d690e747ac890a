"""Use case: a committee seat reviews a submitted proposal version; the rubric's decision rule
decides once the reviews it requires are in, and an accepted proposal builds a new
methodology version in the same transaction.

A reviewer acts for the seat their organisation holds (a seat per organisation), never on a
proposal of their own organisation, and reviews each submitted version once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Conflict, Forbidden, InvalidInput
from factory_journey.services.proposals import records
from factory_journey.services.proposals.builds import build_with
from factory_journey.services.proposals.committee import seat_of, seats
from factory_journey.services.proposals.rubric import (
    ReviewError,
    ReviewFacts,
    check_review,
    criterion_means,
    decide,
    rubric,
)
from factory_journey.store.models import Proposal, ProposalReview, ProposalVersion, utcnow


class ReviewInvalid(InvalidInput):
    """A review refused; `problems` is `[(where, message)]`, every fault, located."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(
            "the review cannot be recorded: "
            + "; ".join(f"{where}: {message}" for where, message in problems)
        )
        self.problems = problems


def reviews_of(session: Session, version_id: int) -> list[ProposalReview]:
    return list(
        session.scalars(
            select(ProposalReview)
            .where(ProposalReview.version_id == version_id)
            .order_by(ProposalReview.id)
        )
    )


def check_may_review(session: Session, actor: Actor, proposal_id: int) -> tuple[Proposal, str]:
    """(proposal, the actor's seat) when the actor may review it now; else the refusal."""
    records.require(actor, "proposal.review")
    seat = seat_of(session, actor.organisation_id)
    if seat is None:
        raise Forbidden("only members of the review committee's seats review proposals")
    proposal = records.visible(session, actor, proposal_id)
    if proposal.organisation_id == actor.organisation_id:
        raise Forbidden("a reviewer cannot review a proposal of their own organisation")
    if proposal.state not in ("submitted", "under_review"):
        raise Conflict(f"proposal JJ-{proposal.id} is {proposal.state.replace('_', ' ')}: "
                       "only a submitted proposal is reviewed")
    return proposal, seat


def add_review(
    session: Session,
    actor: Actor,
    proposal_id: int,
    *,
    conflict_of_interest: bool,
    conflict_statement: str = "",
    scores: dict[str, Any] | None = None,
    comments: dict[str, Any] | None = None,
    recommendation: str | None = None,
) -> ProposalReview:
    """Record the seat's review of the submitted version, then apply the decision rule."""
    proposal, seat = check_may_review(session, actor, proposal_id)
    # One reviewer at a time per proposal, so that the review completing the committee always
    # sees the others and the rule decides: the row lock (PostgreSQL) and a write before the
    # reviews are read (SQLite takes its write lock here) serialise concurrent reviews.
    locked = session.get(Proposal, proposal.id, with_for_update=True, populate_existing=True)
    assert locked is not None
    proposal = locked
    proposal.updated_at = utcnow()
    session.flush()
    if proposal.state not in ("submitted", "under_review"):
        raise Conflict(f"proposal JJ-{proposal.id} was decided meanwhile")
    version = records.latest(session, proposal.id)
    if any(r.seat == seat for r in reviews_of(session, version.id)):
        raise Conflict(f"the {rubric().seat_title(seat)} seat has reviewed version "
                       f"{version.number} already; a review is never changed")
    try:
        checked = check_review(conflict_of_interest, conflict_statement, scores or {},
                               comments or {}, recommendation)
    except ReviewError as error:
        raise ReviewInvalid(error.problems) from None
    review = ProposalReview(
        version_id=version.id,
        seat=seat,
        organisation_id=actor.organisation_id,
        reviewer_id=actor.user_id,
        conflict_of_interest=checked.conflict_of_interest,
        conflict_statement=checked.conflict_statement,
        scores=checked.scores,
        comments=checked.comments,
        recommendation=checked.recommendation,
        rubric_version=rubric().version,
    )
    session.add(review)
    session.flush()
    record(session, actor, "proposal.review", "proposal", proposal.id,
           {"version": version.number, "seat": seat, "review": review.id,
            "conflict_of_interest": checked.conflict_of_interest})
    if proposal.state == "submitted":
        records.move(session, actor, proposal, "under_review", version.number)
    _apply_rule(session, actor, proposal, version)
    return review


def _apply_rule(
    session: Session, actor: Actor, proposal: Proposal, version: ProposalVersion
) -> None:
    rules = rubric()
    held = seats(session)
    conflicted = {seat for seat, org in held.items() if org == proposal.organisation_id}
    facts = [
        ReviewFacts(r.seat, r.conflict_of_interest, dict(r.scores), r.recommendation)
        for r in reviews_of(session, version.id)
    ]
    outcome = decide(facts, list(held), conflicted, rules)
    if outcome is None:
        return
    means = criterion_means(facts, rules)
    note = "Criterion means: " + "; ".join(
        f"{c.title} {means[c.key]:.1f}" if means[c.key] is not None else f"{c.title} –"
        for c in rules.criteria
    ) + f" (rubric {rules.version})."
    records.move(session, actor, proposal, outcome, version.number, note)
    if outcome == "accepted":
        build = build_with(session, actor, proposal, version)
        records.note_build(session, proposal, version.number, build.label)
