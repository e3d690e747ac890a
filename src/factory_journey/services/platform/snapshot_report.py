"""The report inputs of a stored assessment snapshot: what a facility's PDF and its assessment
page are both built from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from factory_journey.services.platform.peers import peer_table_named
from factory_journey.services.platform.results import SnapshotRef, snapshot_frames
from factory_journey.store.models import AssessmentSnapshot

if TYPE_CHECKING:
    from factory_journey.reports.report_data import ReportData


def snapshot_report_data(session: Session, ref: SnapshotRef) -> ReportData:
    """The frames, versions and peer table of the assessment snapshot `ref`, as a report reads
    them. Its matrix holds the one facility only, so each indicator's peer line comes from the
    peer snapshot the assessment was judged against (median and n of the group behind its
    threshold), as its thresholds did; never from the matrix."""
    from factory_journey.services.reports import report_data

    frames = snapshot_frames(session, ref)
    row = session.get(AssessmentSnapshot, ref.id)
    assert row is not None
    return report_data(
        frames["matrix"],
        frames,
        row.result.get("versions", {}),
        f"snapshot {ref.id}",
        peers=peer_table_named(session, row.result.get("peer_snapshot")),
    )
