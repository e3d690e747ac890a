"""Peer statistics over published values, only for groups of at least 5 contributors.

Only what consent lets out enters (`public_read.published_values`), and a group with fewer
than `MIN_CONTRIBUTORS` facilities is not shown at all, so no single facility's value can be
read back from an aggregate. No personal data is involved: the values table holds none.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from factory_journey.engine.open_data import peer_statistics
from factory_journey.services.open_data.public_read import (
    Body,
    json_body,
    per_visibility_state,
    published_values,
)

#: Fewest distinct contributors (facilities) a published aggregate may rest on.
MIN_CONTRIBUTORS = 5


def peer_aggregates(session: Session, year: int | None = None) -> Body:
    """Count, median and mean per (country, year, indicator) of groups of ≥ 5 facilities
    (computed once per state of what is published)."""
    return per_visibility_state(
        session, ["aggregates", year], lambda: _peer_aggregates(session, year)
    )


def _peer_aggregates(session: Session, year: int | None) -> Body:
    values = published_values(session)
    # Peers are facilities: a park's published totals are not one more contributor.
    values = values.filter(values["subject_kind"] == "facility")
    if year is not None:
        values = values.filter(values["year"] == year)
    stats = peer_statistics(values, MIN_CONTRIBUTORS)
    return json_body({"min_contributors": MIN_CONTRIBUTORS, "groups": stats.to_dicts()})
