"""A verifier's record: its subject, the substance it rests on, and which records are in force."""

from __future__ import annotations

import pytest

from factory_journey.domain.verification import (
    Decision,
    Subject,
    SubjectError,
    SubstanceRules,
    in_force,
    parse_subject,
    substance_problem,
    substance_rules,
)

RULES = SubstanceRules(min_observation_chars=40, min_reason_chars=10)
NOTE = "Meter 3 read on site on 4 March; matches the utility invoice."
#: A note in Chinese: full-width punctuation, 40 characters or more.
CHINESE_NOTE = "电表读数已在现场核对，与三月份发票一致。抄表员：王明，二零二四年三月四日上午十点。"


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("energy", Subject("energy")),
        ("Energy", Subject("energy")),
        (" water : 12 ", Subject("water", 12)),
        ("zdhc_wastewater:2", Subject("zdhc_wastewater", 2)),
        ("profiles", Subject("profiles")),
    ],
)
def test_subjects(text, subject):
    parsed = parse_subject(text)
    assert parsed == subject
    assert parse_subject(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sipoperatingdays", "is not a table or a table row"),
        ("programmes", "is not a table or a table row"),
        ("energy:row 5", "e.g. 'energy:12'"),
        ("energy:-1", "e.g. 'energy:12'"),
        ("energy:1", "row 1 of a file is its header"),
        ("x" * 200, "…"),
    ],
)
def test_bad_subjects_say_what_is_accepted(text, words):
    with pytest.raises(SubjectError) as refused:
        parse_subject(text)
    assert words in str(refused.value)
    assert len(str(refused.value)) < 400  # a long subject is shortened, not echoed whole


def _problem(status, *, evidence=False, observation=None, reason=None):
    return substance_problem(
        Subject("energy", 5),
        2023,
        status,
        has_evidence=evidence,
        observation=observation,
        reason=reason,
        rules=RULES,
    )


def test_verified_needs_evidence_or_an_on_site_note():
    refused = _problem("verified")
    assert refused is not None
    assert "energy:5 of 2023" in refused and "evidence_id" in refused and "observation" in refused
    assert _problem("verified", reason="looked fine to me, really") is not None  # a comment is not
    assert _problem("verified", evidence=True) is None
    assert _problem("verified", observation=NOTE) is None


def test_a_short_or_blank_note_is_not_an_observation():
    short = _problem("verified", observation="  checked  ")
    assert short is not None and "7 characters" in short and "40" in short
    assert _problem("verified", observation=" " * 80) is not None
    assert _problem("verified", evidence=True, observation="ok") is not None


@pytest.mark.parametrize("status", ["disputed", "self-reported"])
def test_disputing_or_withdrawing_says_why(status):
    refused = _problem(status, evidence=True)
    assert refused is not None and "say why" in refused
    assert _problem(status, reason="too short") is not None  # 9 characters
    assert _problem(status, reason="Invoice shows 12,400 kWh") is None
    assert _problem(status, observation=NOTE) is None


def test_unknown_status():
    assert "unknown status" in (_problem("approved", evidence=True) or "")


def test_packaged_rules_are_the_reference_file():
    rules = substance_rules()
    assert rules.min_observation_chars >= 20 and rules.min_reason_chars >= 1


def test_latest_record_about_a_row_or_its_table_is_in_force():
    e5, e6, w = Subject("energy", 5), Subject("energy", 6), Subject("water")
    records = [
        Decision(1, 2023, e5, "verified"),
        Decision(2, 2023, e6, "verified"),
        Decision(3, 2023, Subject("energy"), "disputed"),  # replaces 1 and 2
        Decision(4, 2023, e5, "verified"),  # newer than the table's record
        Decision(5, 2022, e5, "verified"),  # another year
        Decision(6, 2023, w, "verified"),
        Decision(7, 2023, w, "self-reported"),  # replaces 6
    ]
    kept = in_force(reversed(records))  # the order given does not matter: ids decide
    assert [r.id for r in kept] == [3, 4, 5, 7]


@pytest.mark.parametrize(
    ("note", "refused"),
    [
        (NOTE, False),
        (CHINESE_NOTE, False),
        ("." * 45, True),
        ("a" * 45, True),
        ("ok " * 15, True),
        ("12345678 " * 5, True),  # 8 different digits
        ("1234567890" * 4, False),  # 10: the rule is a floor, not a reader
    ],
)
def test_a_note_must_use_enough_different_letters_or_digits(note, refused):
    rules = SubstanceRules(40, 10, min_observation_distinct=10)
    problem = substance_problem(
        Subject("water"), 2023, "verified", has_evidence=False, observation=note, reason=None,
        rules=rules,
    )
    assert (problem is not None) == refused, problem
    if refused:
        assert "different letters or digits" in problem


def test_the_distinct_floor_is_reference_data():
    assert substance_rules().min_observation_distinct == 10
