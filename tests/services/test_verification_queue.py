"""The verifier's queue, a facility-year's data points, one data point's view and a decision
from a page: on a real database with F1 (two years of generated data) shared with the
verifier."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from factory_journey.domain.verification import SUBJECT_TABLES, Subject
from factory_journey.services.platform import accounts, sharing
from factory_journey.services.platform.errors import Forbidden, InvalidInput, NotFound
from factory_journey.services.platform.verification_data_point import data_point
from factory_journey.services.platform.verification_decision import Document, decide
from factory_journey.services.platform.verification_queue import (
    QueueEntry,
    StatusCounts,
    verification_queue,
)
from factory_journey.services.platform.verification_view import (
    facility_counts,
    facility_year,
    status_lookup,
)
from factory_journey.store.database import transaction
from factory_journey.store.models import Evidence, SubmissionTable, VerificationRecord
from tests.web.conftest import make_platform

NOTE = "Water meter M-2 read on site on 4 March 2024; matches the utility invoice."
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        sharing.grant(session, owner, "F1", platform.organisations["Verifier"], "full")
    return platform


def _as(platform, name):
    session = platform.factory()
    return session, accounts.actor_for_token(session, platform.tokens[name])


def _rows_held(platform) -> int:
    """Rows of the tables a verifier checks, in the latest version of each year (all v1)."""
    with transaction(platform.factory) as session:
        return session.scalar(
            select(func.sum(SubmissionTable.row_count)).where(
                SubmissionTable.table_name.in_(SUBJECT_TABLES)
            )
        )


def test_queue_counts_every_unchecked_data_point_as_waiting(platform):
    session, verifier = _as(platform, "verifier_viewer")
    with session:
        queue = verification_queue(session, verifier)
    assert [e.facility_id for e in queue] == ["F1"]
    entry = queue[0]
    held = _rows_held(platform)
    assert held > 100
    assert entry.counts == StatusCounts(0, 0, held)
    assert entry.years_waiting == (2022, 2023)
    assert entry.waiting_since is not None and entry.last_record_at is None


def test_queue_is_for_verifier_organisations_only(platform):
    session, brand = _as(platform, "brand_viewer")
    with session, pytest.raises(Forbidden, match="verifier organisations"):
        verification_queue(session, brand)


def test_queue_leaves_out_narrow_and_revoked_grants(platform):
    """A grant that lets the verifier read the assessment only does not let it record; a
    revoked one gives nothing."""
    with transaction(platform.factory) as session:
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_editor"])
        assert [e.facility_id for e in verification_queue(session, verifier)] == ["F1"]
        admin = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        narrow = sharing.grant(session, admin, "F1", platform.organisations["Verifier"], "matrix")
    with transaction(platform.factory) as session:
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_editor"])
        assert len(verification_queue(session, verifier)) == 1  # one entry, not two
        admin = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        sharing.revoke(session, admin, "F1", narrow.id)


def test_queue_order_waiting_oldest_first_then_done_then_empty():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    base = QueueEntry("X", "x", "VN", (), StatusCounts(), None, None)
    done = replace(base, facility_id="D", name="Done", counts=StatusCounts(3, 1, 0))
    empty = replace(base, facility_id="E", name="Empty")
    old = replace(
        base,
        facility_id="O",
        name="Zed",
        counts=StatusCounts(0, 0, 2),
        waiting_since=now - timedelta(days=3),
    )
    new = replace(
        base, facility_id="N", name="Abe", counts=StatusCounts(5, 0, 9), waiting_since=now
    )
    from factory_journey.services.platform.verification_queue import _sort_key

    ordered = sorted([empty, done, new, old], key=_sort_key)
    assert [e.facility_id for e in ordered] == ["O", "N", "D", "E"]


def test_facility_year_lists_tables_and_one_tables_rows(platform):
    session, verifier = _as(platform, "verifier_viewer")
    with session:
        view = facility_year(session, verifier, "F1")
        energy = facility_year(session, verifier, "F1", 2023, "energy").table
        with pytest.raises(NotFound, match="no table 'programmes'"):
            facility_year(session, verifier, "F1", 2023, "programmes")
    assert view.year == 2023 and view.years == (2022, 2023)
    assert not view.may_verify  # a viewer reads; only editors and admins record
    names = [name for name, _ in view.tables]
    assert names[0] == "profiles" and "energy" in names and "programmes" not in names
    assert view.table.table == "profiles"  # the first table with data points waiting
    assert sum((c for _, c in view.tables), StatusCounts()) == view.counts
    assert len(energy.rows) == energy.counts.waiting == dict(view.tables)["energy"].waiting > 0
    first = energy.rows[0]
    assert first.row >= 2 and first.unit and isinstance(first.value, float)
    assert dict(first.label)["month"] in range(1, 13)
    assert {r.status for r in energy.rows} == {"self-reported"}


def test_owner_reads_its_data_points_but_may_not_verify(platform):
    session, owner = _as(platform, "owner_viewer")
    with session:
        view = facility_year(session, owner, "F1", 2022, "water")
        assert view.relation == "owner" and not view.may_verify
        point = data_point(session, owner, "F1", 2022, "water", view.table.rows[0].row)
        assert not point.may_verify and not point.may_upload


def test_a_facility_not_shared_in_full_is_not_found(platform):
    session, other = _as(platform, "other_factory_admin")
    with session, pytest.raises(NotFound):
        facility_year(session, other, "F1")


def test_data_point_has_value_unit_provenance(platform):
    session, verifier = _as(platform, "verifier_editor")
    with session:
        water = facility_year(session, verifier, "F1", 2023, "water").table
        point = data_point(session, verifier, "F1", 2023, "water", water.rows[0].row)
    assert point.may_verify and point.may_upload
    assert point.value == water.rows[0].value and point.unit == water.rows[0].unit
    assert point.canonical_unit == "m3" and point.canonical_value is not None
    assert point.file == "water.csv" and point.version == 1
    assert point.uploaded_by == "owner_admin" and point.upload_filename == "f1.zip"
    assert point.status == "self-reported" and point.history == ()
    with session, pytest.raises(NotFound, match="no row 9999 in water"):
        data_point(session, verifier, "F1", 2023, "water", 9999)


def _water_rows(platform, year=2023):
    session, verifier = _as(platform, "verifier_editor")
    with session:
        view = facility_year(session, verifier, "F1", year, "water")
    return [r.row for r in view.table.rows]


def test_refused_decision_stores_no_document(platform):
    row = _water_rows(platform)[0]
    with transaction(platform.factory) as session:
        before = session.scalar(select(func.count()).select_from(Evidence))
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_editor"])
        with pytest.raises(InvalidInput, match="say why"):  # a dispute needs a reason
            decide(
                session,
                verifier,
                "F1",
                2023,
                Subject("water", row),
                "disputed",
                document=Document("scan.pdf", PDF),
            )
        with pytest.raises(InvalidInput, match="Windows program"):
            decide(
                session,
                verifier,
                "F1",
                2023,
                Subject("water", row),
                "verified",
                document=Document("scan.pdf", b"MZ\x90\x00" + bytes(100)),
            )
        with pytest.raises(InvalidInput, match="no row 9999"):
            decide(
                session,
                verifier,
                "F1",
                2023,
                Subject("water", 9999),
                "verified",
                document=Document("scan.pdf", PDF),
            )
        assert session.scalar(select(func.count()).select_from(Evidence)) == before
    with transaction(platform.factory) as session:
        viewer = accounts.actor_for_token(session, platform.tokens["verifier_viewer"])
        with pytest.raises(Forbidden):
            decide(session, viewer, "F1", 2023, Subject("water", row), "verified", observation=NOTE)


def test_verify_with_a_document_then_dispute_moves_the_counts(platform):
    rows = _water_rows(platform)
    held = _rows_held(platform)
    with transaction(platform.factory) as session:
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_editor"])
        record = decide(
            session,
            verifier,
            "F1",
            2023,
            Subject("water", rows[0]),
            "verified",
            document=Document("meter.pdf", PDF),
            comment="meter photo and invoice",
        )
        decide(
            session,
            verifier,
            "F1",
            2023,
            Subject("water", rows[1]),
            "disputed",
            comment="the invoice says 40 m3 less than this",
        )
        assert record.evidence_id is not None
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_viewer"])
        lookup = status_lookup(session, owner, "F1", 2023)
        assert lookup.of("water", rows[0]) == "verified"
        assert lookup.of("water", rows[1]) == "disputed"
        assert lookup.of("water", rows[2]) == "self-reported"
        assert dict(facility_counts(session, owner, "F1"))[2023].verified == 1
        point = data_point(session, owner, "F1", 2023, "water", rows[0])
        assert point.status == "verified"
        assert point.next_waiting == rows[2]  # rows[1] is disputed: no longer waiting
        last = data_point(session, owner, "F1", 2023, "water", rows[-1])
        assert last.next_waiting == rows[2]  # from the top again
        assert [e.filename for e in point.evidence] == ["meter.pdf"]
        assert point.evidence[0].inline and point.evidence[0].uploaded_by == "verifier_editor"
        (item,) = point.history
        assert item.in_force and item.by == "verifier_editor" and item.organisation == "Verifier"
        assert item.evidence_filename == "meter.pdf" and item.version == 1
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_viewer"])
        (entry,) = verification_queue(session, verifier)
        assert entry.counts == StatusCounts(1, 1, held - 2)
        assert entry.last_record_at is not None
    # A whole-table dispute decides every water row of 2023, and the row history shows it.
    with transaction(platform.factory) as session:
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_editor"])
        from factory_journey.services.platform.verification import set_verification

        set_verification(
            session,
            verifier,
            "F1",
            2023,
            "water",
            "disputed",
            comment="the meter was not calibrated in 2023",
        )
    with transaction(platform.factory) as session:
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_viewer"])
        (entry,) = verification_queue(session, verifier)
        assert entry.counts == StatusCounts(0, len(rows), held - len(rows))
        point = data_point(session, verifier, "F1", 2023, "water", rows[0])
        assert point.status == "disputed"
        assert [(h.whole_table, h.in_force) for h in point.history] == [
            (True, True),
            (False, False),
        ]
        assert session.scalar(select(func.count()).select_from(VerificationRecord)) == 3
