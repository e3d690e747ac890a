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


def seat_in_database(database_url: str | None, seat: str, organisation_name: str) -> int:
    """Give `seat` to the organisation named `organisation_name` in the platform database at
    `database_url` (None: the default); the organisation's id. For `journey committee seat`."""
    from factory_journey.store.database import make_engine, migrate, session_factory, transaction

    engine = make_engine(database_url)
    try:
        migrate(engine)
        with transaction(session_factory(engine)) as session:
            organisation = session.scalar(
                select(Organisation).where(Organisation.name == organisation_name)
            )
            if organisation is None:
                raise NotFound(f"no organisation named {organisation_name!r}")
            assign_seat(session, seat, organisation.id)
            return organisation.id
    finally:
        engine.dispose()


def seats_in_database(database_url: str | None) -> list[tuple[str, str, str | None]]:
    """(seat, its title, the organisation holding it or None) for every seat of the rubric."""
    from factory_journey.store.database import make_engine, migrate, session_factory, transaction

    engine = make_engine(database_url)
    try:
        migrate(engine)
        with transaction(session_factory(engine)) as session:
            held = seats(session)
            names = {
                org.id: org.name
                for org in session.scalars(
                    select(Organisation).where(Organisation.id.in_(list(held.values())))
                )
            }
            return [(key, title, names.get(held.get(key, -1))) for key, title in rubric().seats]
    finally:
        engine.dispose()
