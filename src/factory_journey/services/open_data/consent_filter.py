"""What consent lets out: the one place that decides it (decision 0023).

Two halves, both here so that one reading shows the whole rule:
- when a snapshot is built, `consented_values` and `consented_discharge` keep only the
  indicator groups and years the publisher chose;
- when anything public is read, `visible_profiles` keeps only snapshots whose consent is in
  force now (not withdrawn, effective date reached). Every public read (API, pages,
  aggregates, releases) starts from it.
A withdrawal also deletes the subject's snapshot in its transaction, so a withdrawn subject
is absent twice over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Select, and_, select
from sqlalchemy.sql.elements import ColumnElement

from factory_journey.domain.timestamps import as_utc
from factory_journey.engine.open_data import DischargeYear
from factory_journey.store.models import PublicationConsent, PublicProfile, utcnow

#: What can be published: one facility's data, or a park operator's park-level data.
SUBJECT_KINDS: tuple[str, ...] = ("facility", "park")


def in_force(now: datetime | ColumnElement[Any] | None = None) -> ColumnElement[bool]:
    """The condition a consent row meets while it lets its subject's snapshot be read
    (`now` may be a bound parameter, for a statement built once)."""
    return and_(
        PublicationConsent.withdrawn_at.is_(None),
        PublicationConsent.effective_from <= (utcnow() if now is None else now),
    )


def is_in_force(consent: PublicationConsent, now: datetime | None = None) -> bool:
    """`in_force` for one consent row already read (the publisher's page says so)."""
    return consent.withdrawn_at is None and as_utc(consent.effective_from) <= (now or utcnow())


def visible_profiles(
    *columns: Any, now: datetime | ColumnElement[Any] | None = None
) -> Select[Any]:
    """SELECT of `columns` (default: the PublicProfile rows) of every published snapshot whose
    consent is in force; callers add their own filters, order and paging."""
    return (
        select(*(columns or (PublicProfile,)))
        .join(PublicationConsent, PublicationConsent.id == PublicProfile.consent_id)
        .where(in_force(now))
    )


def _year_allowed(consent: PublicationConsent, year: int) -> bool:
    return not consent.years or year in consent.years


def consented_values(values: pl.DataFrame, consent: PublicationConsent) -> pl.DataFrame:
    """The rows of a long value table (engine.open_data.long_values) that consent covers."""
    kept = values.filter(pl.col("indicator_group").is_in(list(consent.groups)))
    if consent.years:
        kept = kept.filter(pl.col("year").is_in([int(y) for y in consent.years]))
    return kept


def consented_discharge(
    years: Sequence[DischargeYear], consent: PublicationConsent
) -> list[DischargeYear]:
    """The discharge statuses consent covers: wastewater is among the groups, year chosen."""
    if "wastewater" not in consent.groups:
        return []
    return [item for item in years if _year_allowed(consent, item.year)]


def covers(new: PublicationConsent, old: PublicationConsent) -> bool:
    """True when `new` lets out everything `old` did, from now: the same or more groups and
    years, same licence, in force already. A release made under `old` stays valid then;
    otherwise it is retired."""
    return (
        set(old.groups) <= set(new.groups)
        and (not new.years or (bool(old.years) and set(old.years) <= set(new.years)))
        and new.licence_id == old.licence_id
        and new.effective_from <= utcnow()
    )
