"""Give, change and withdraw consent to publish a facility's data openly (write use cases).

Nothing is public by default. A publication names the indicator groups, the years (none:
every year), the date it takes effect and the licence; publishing again replaces the
consent in force (the old row is withdrawn, never edited). Every publication and withdrawal
is in the audit log (who, when, what) in the same transaction as the change. A publication
is in the public API at once and in the bulk downloads from the next refresh (`refresh.py`);
a withdrawal, or a narrower consent, retires the releases holding the facility and makes a
new one in its transaction, so it is effective everywhere on the very next request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.domain.timestamps import as_utc, iso_utc
from factory_journey.engine.open_data import PUBLISHABLE_GROUPS
from factory_journey.services.open_data import licences, releases, snapshot
from factory_journey.services.open_data.consent_filter import covers, is_in_force
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.store.models import PublicationConsent, Submission, utcnow

ACTION = "publication.manage"


@dataclass(frozen=True, slots=True)
class ConsentView:
    """A consent as its publisher sees it (ids of people, never their names or e-mails)."""

    id: int
    groups: list[str]
    years: list[int]
    effective_from: str
    licence_id: str
    created_at: str
    withdrawn_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "groups": self.groups,
            "years": self.years,
            "effective_from": self.effective_from,
            "licence_id": self.licence_id,
            "created_at": self.created_at,
            "withdrawn_at": self.withdrawn_at,
        }


def _view(row: PublicationConsent) -> ConsentView:
    return ConsentView(
        row.id,
        list(row.groups),
        [int(y) for y in row.years],
        iso_utc(row.effective_from),
        row.licence_id,
        iso_utc(row.created_at),
        iso_utc(row.withdrawn_at) if row.withdrawn_at else None,
    )


def _active(session: Session, kind: str, subject_id: str) -> list[PublicationConsent]:
    return list(
        session.scalars(
            select(PublicationConsent).where(
                PublicationConsent.subject_kind == kind,
                PublicationConsent.subject_id == subject_id,
                PublicationConsent.withdrawn_at.is_(None),
            )
        )
    )


def _last_licence(session: Session, facility_id: str, kind: str = "facility") -> str:
    """The publisher's licence is its choice until it chooses another."""
    last = session.scalar(
        select(PublicationConsent.licence_id)
        .where(
            PublicationConsent.subject_kind == kind,
            PublicationConsent.subject_id == facility_id,
        )
        .order_by(PublicationConsent.id.desc())
        .limit(1)
    )
    return last or licences.default_licence()


def checked_groups(
    groups: Sequence[str], offered: Sequence[str] = PUBLISHABLE_GROUPS
) -> list[str]:
    """The chosen groups in `offered`'s order; InvalidInput naming the accepted ones."""
    unknown = sorted(set(groups) - set(offered))
    if unknown or not groups:
        raise InvalidInput(
            f"groups: {', '.join(unknown) or 'none given'} — choose one or more of "
            f"{', '.join(offered)}"
        )
    return [g for g in offered if g in set(groups)]


def history(session: Session, kind: str, subject_id: str) -> dict[str, Any]:
    """A subject's consent in force (or None), whether it is published, and every consent,
    newest first (the publisher's view, without its authorisation)."""
    rows = session.scalars(
        select(PublicationConsent)
        .where(
            PublicationConsent.subject_kind == kind,
            PublicationConsent.subject_id == subject_id,
        )
        .order_by(PublicationConsent.id.desc())
    ).all()
    current = next((r for r in rows if r.withdrawn_at is None), None)
    return {
        "published": current is not None and is_in_force(current),
        "consent": _view(current).as_dict() if current else None,
        "history": [_view(r).as_dict() for r in rows],
        "licences": [
            {"id": item.id, "name": item.name, "url": item.url} for item in licences.licences()
        ],
    }


def give(
    session: Session,
    actor: Actor,
    kind: str,
    subject_id: str,
    chosen: list[str],
    years: Sequence[int],
    effective_from: datetime | None,
    licence_id: str | None,
    build: Callable[[Session, PublicationConsent], object],
) -> None:
    """The rules of a publication, for any subject kind (the caller has authorised `actor`
    and checked `chosen`): replace the consent in force, build the snapshot with `build`,
    retire releases that say more than the new consent and make a new one, audit."""
    licence = licences.licence(licence_id or _last_licence(session, subject_id, kind))
    now = utcnow()
    start = as_utc(effective_from) if effective_from is not None else now
    replaced = _active(session, kind, subject_id)
    for old in replaced:
        old.withdrawn_at, old.withdrawn_by = now, actor.user_id
    consent = PublicationConsent(
        subject_kind=kind,
        subject_id=subject_id,
        organisation_id=actor.organisation_id,
        groups=chosen,
        years=sorted({int(y) for y in years}),
        effective_from=start,
        licence_id=licence.id,
        licences_version=licences.licences_version(),
        granted_by=actor.user_id,
        created_at=now,
    )
    session.add(consent)
    session.flush()
    build(session, consent)
    if not all(covers(consent, old) for old in replaced) and releases.retire_subject(
        session, kind, subject_id
    ):
        # A narrower (or later) consent: releases made under the old one say too much; a new
        # one replaces them at once. A wider one waits for the next refresh, like a new one.
        releases.refresh(session)
    record(
        session,
        actor,
        "publication.publish",
        kind,
        subject_id,
        {
            "consent_id": consent.id,
            "groups": chosen,
            "years": consent.years,
            "effective_from": iso_utc(start),
            "licence": licence.id,
        },
    )


def take_back(session: Session, actor: Actor, kind: str, subject_id: str) -> None:
    """The rules of a withdrawal, for any subject kind (the caller has authorised `actor`):
    snapshot deleted, releases holding the subject retired, a new release made, audited;
    nothing to withdraw is no change (and no audit entry)."""
    active = _active(session, kind, subject_id)
    if active:
        now = utcnow()
        for row in active:
            row.withdrawn_at, row.withdrawn_by = now, actor.user_id
        snapshot.remove(session, kind, subject_id)
        releases.retire_subject(session, kind, subject_id)
        releases.refresh(session)
        record(
            session,
            actor,
            "publication.withdraw",
            kind,
            subject_id,
            {"consent_ids": [row.id for row in active]},
        )


def state(session: Session, actor: Actor, facility_id: str) -> dict[str, Any]:
    """The consent in force (or None) and the history, newest first."""
    authorise(session, actor, ACTION, facility_id)
    years = session.scalars(
        select(Submission.year).where(Submission.facility_id == facility_id).distinct()
    ).all()
    found = history(session, "facility", facility_id)
    return {
        "facility_id": facility_id,
        "published": found["published"],
        "consent": found["consent"],
        "history": found["history"],
        "groups_available": list(PUBLISHABLE_GROUPS),
        "years_available": sorted(int(y) for y in years),
        "licences": found["licences"],
    }


def publish(
    session: Session,
    actor: Actor,
    facility_id: str,
    groups: Sequence[str],
    years: Sequence[int] = (),
    effective_from: datetime | None = None,
    licence_id: str | None = None,
) -> dict[str, Any]:
    """Publish the facility's `groups` of `years` (none: all) from `effective_from` (default
    now) under `licence_id` (default: the licence the facility chose last, else CC BY 4.0),
    replacing any consent in force."""
    authorise(session, actor, ACTION, facility_id)
    give(session, actor, "facility", facility_id, checked_groups(groups), years,
         effective_from, licence_id, snapshot.build_facility)
    return state(session, actor, facility_id)


def withdraw(session: Session, actor: Actor, facility_id: str) -> dict[str, Any]:
    """Withdraw the consent in force: the snapshot is deleted, releases holding the facility
    are retired and a new release is made, all before the answer. Nothing to withdraw is no
    change (and no audit entry)."""
    authorise(session, actor, ACTION, facility_id)
    take_back(session, actor, "facility", facility_id)
    return state(session, actor, facility_id)
