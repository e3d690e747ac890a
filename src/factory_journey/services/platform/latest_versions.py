"""Which submission is current: the latest version of every year of a facility.

One subquery, joined by every reader that needs the current data of facility-years (the
engine's tables, a peer recompute, the factory's completeness, the verifier's queue), so that
"current" means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Subquery, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from factory_journey.store.models import Submission

#: Facility ids per statement when reading facilities in bulk (well under every database's
#: limit of bound parameters): the import's look-ups and the peer recompute's rebuilds.
ID_BATCH = 500


def latest_versions(facility_ids: Any = None) -> Subquery:
    """(facility_id, year, version) of the latest version of each year of `facility_ids` (a
    list, or an expanding `bindparam`; None: every facility)."""
    statement = select(
        Submission.facility_id.label("facility_id"),
        Submission.year.label("year"),
        func.max(Submission.version).label("version"),
    )
    if facility_ids is not None:
        statement = statement.where(Submission.facility_id.in_(facility_ids))
    return statement.group_by(Submission.facility_id, Submission.year).subquery()


def is_latest(latest: Subquery) -> ColumnElement[bool]:
    """The join condition of `Submission` with a `latest_versions` subquery."""
    return and_(
        Submission.facility_id == latest.c.facility_id,
        Submission.year == latest.c.year,
        Submission.version == latest.c.version,
    )
