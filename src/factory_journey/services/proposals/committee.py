"""The review committee: organisations holding the seats of the rubric (one per founding
organisation of the journey by default)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Conflict, InvalidInput, NotFound
from factory_journey.services.proposals.rubric import rubric
from factory_journey.store.models import CommitteeSeat, Organisation


def seat_of(session: Session, organisation_id: int) -> str | None:
    """The seat an organisation holds, or None."""
    return session.scalar(
        select(CommitteeSeat.seat).where(CommitteeSeat.organisation_id == organisation_id)
    )


def seats(session: Session) -> dict[str, int]:
    """`{seat: organisation id}` of every seat held, in the rubric's seat order."""
    held = dict(session.execute(select(CommitteeSeat.seat, CommitteeSeat.organisation_id)).all())
    return {key: held[key] for key, _ in rubric().seats if key in held}


def is_member(session: Session, actor: Actor) -> bool:
    return seat_of(session, actor.organisation_id) is not None


def assign_seat(session: Session, seat: str, organisation_id: int) -> CommitteeSeat:
    """Give `seat` to an organisation (an operator's task: from the CLI or set-up, not the API)."""
    known = [key for key, _ in rubric().seats]
    if seat not in known:
        raise InvalidInput(f"seat {seat!r} is not one of the committee's seats: {known}")
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"no organisation {organisation_id}")
    if session.scalar(select(CommitteeSeat).where(CommitteeSeat.seat == seat)) is not None:
        raise Conflict(f"the {seat} seat is held already")
    if seat_of(session, organisation_id) is not None:
        raise Conflict("that organisation holds a seat already")
    row = CommitteeSeat(seat=seat, organisation_id=organisation_id)
    session.add(row)
    session.flush()
    return row
