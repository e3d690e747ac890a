"""Counting a table's rows by the verifier's records in force, and which documents may
support a record about a row."""

from __future__ import annotations

from factory_journey.domain.verification import (
    Decision,
    Subject,
    evidence_supports,
    in_force,
    row_status_counts,
)


def _d(id_: int, subject: str, status: str) -> Decision:
    table, _, row = subject.partition(":")
    return Decision(id_, 2023, Subject(table, int(row) if row else None), status)


def test_nothing_recorded_every_row_self_reported():
    assert row_status_counts(12, []) == {"self-reported": 12, "verified": 0, "disputed": 0}


def test_row_records_set_their_rows():
    records = [
        _d(1, "water:2", "verified"),
        _d(2, "water:3", "disputed"),
        _d(3, "water:2", "disputed"),
    ]
    assert row_status_counts(10, in_force(records)) == {
        "self-reported": 8,
        "verified": 0,
        "disputed": 2,
    }


def test_table_record_sets_every_row_and_a_newer_row_record_overrides_it():
    records = [
        _d(1, "water:2", "disputed"),
        _d(2, "water", "verified"),
        _d(3, "water:5", "disputed"),
    ]
    assert row_status_counts(6, in_force(records)) == {
        "self-reported": 0,
        "verified": 5,
        "disputed": 1,
    }


def test_counts_never_go_negative():
    records = [_d(i, f"water:{i + 1}", "verified") for i in range(1, 5)]
    assert row_status_counts(2, records)["self-reported"] == 0


def test_evidence_supports_its_table_its_row_or_anything_when_free_text():
    row = Subject("water", 14)
    assert evidence_supports("water", row)
    assert evidence_supports("water:14", row)
    assert not evidence_supports("water:15", row)
    assert not evidence_supports("energy", row)
    assert evidence_supports("utility bills 2023", row)
    assert not evidence_supports("water:14", Subject("water"))
