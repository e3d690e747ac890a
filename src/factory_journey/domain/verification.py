"""A verifier's record: what it is about (its subject) and what it must rest on.

A subject names what was checked in a facility-year's submission:

- `<table>`: every row of that table (e.g. `energy`);
- `<table>:<row>`: one row, by the row number the factory's file gives it (`_row`: header = 1,
  first data row = 2; a JSON record's 1-based index), e.g. `energy:12`.

To be marked `verified` a record rests on an evidence document of the facility and year, or
on an on-site observation note long enough to say what was seen. A record that marks a value
`disputed` or back to `self-reported` says why. The lengths are reference data
(`reference/data/verification.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from factory_journey.domain.tables import TABLES_BY_NAME, VERIFICATION_STATUSES
from factory_journey.reference import load_yaml

#: Tables a subject may name: the profile and every table whose rows carry a verification
#: status (not `programmes`, which lists memberships rather than reported values).
SUBJECT_TABLES: tuple[str, ...] = (
    "profiles",
    *(
        name
        for name, table in TABLES_BY_NAME.items()
        if any(column.name == "verification_status" for column in table.columns)
    ),
)

_SUBJECT = re.compile(r"^\s*([a-z_]+)\s*(?::\s*(\d{1,9})\s*)?$")


@dataclass(frozen=True, slots=True)
class Subject:
    """A table of a submission, or one of its rows (`row`: the file's row number)."""

    table: str
    row: int | None = None

    def __str__(self) -> str:
        return self.table if self.row is None else f"{self.table}:{self.row}"


class SubjectError(ValueError):
    """The subject names nothing a verifier can check; the message says what is accepted."""


def parse_subject(text: str) -> Subject:
    """`energy` or `energy:12` → Subject; anything else → `SubjectError`."""
    match = _SUBJECT.match(text.lower())
    shown = text if len(text) <= 60 else text[:57] + "…"
    if match is None or match.group(1) not in SUBJECT_TABLES:
        raise SubjectError(
            f"subject {shown!r} is not a table or a table row of a submission: write the table "
            f"({', '.join(SUBJECT_TABLES)}) or the table and the row number of its file, "
            "e.g. 'energy:12'"
        )
    row = match.group(2)
    if row is not None and int(row) < 2:
        raise SubjectError(
            f"subject {shown!r}: row numbers start at 2 (row 1 of a file is its header)"
        )
    return Subject(match.group(1), int(row) if row is not None else None)


@dataclass(frozen=True, slots=True)
class SubstanceRules:
    """Shortest on-site observation note and shortest reason [characters, spaces trimmed];
    fewest different letters or digits a note must use [characters, case ignored]."""

    min_observation_chars: int
    min_reason_chars: int
    min_observation_distinct: int = 10


@cache
def substance_rules() -> SubstanceRules:
    document = load_yaml("verification.yaml")
    return SubstanceRules(
        int(document["min_observation_chars"]),
        int(document["min_reason_chars"]),
        int(document["min_observation_distinct"]),
    )


def distinct_alnum(text: str) -> int:
    """How many different letters or digits `text` uses (case ignored): "aaaa …" uses 1,
    "---- …" none, a plain sentence 15 or more."""
    return len({ch for ch in text.casefold() if ch.isalnum()})


def substance_problem(
    subject: Subject,
    year: int,
    status: str,
    *,
    has_evidence: bool,
    observation: str | None,
    reason: str | None,
    rules: SubstanceRules | None = None,
) -> str | None:
    """Why this record cannot be accepted, in the verifier's terms; None when it can."""
    rules = rules or substance_rules()
    if status not in VERIFICATION_STATUSES:
        return f"unknown status {status!r}; accepted: {', '.join(VERIFICATION_STATUSES)}"
    note = (observation or "").strip()
    why = (reason or "").strip()
    if note and len(note) < rules.min_observation_chars:
        return (
            f"the on-site observation note has {len(note)} characters; say what you saw, where "
            f"and against what, in at least {rules.min_observation_chars} characters"
        )
    if note and distinct_alnum(note) < rules.min_observation_distinct:
        return (
            f"the on-site observation note uses {distinct_alnum(note)} different letters or "
            "digits: a note of spaces, punctuation or one character repeated says nothing; "
            "say what you saw, where and against what, in words"
        )
    if status == "verified":
        if has_evidence or note:
            return None
        return (
            f"to mark {subject} of {year} verified, give the evidence it rests on "
            "(evidence_id of a document of this facility and year, uploaded first) or an "
            f"on-site observation note (observation, at least {rules.min_observation_chars} "
            "characters)"
        )
    if note or len(why) >= rules.min_reason_chars:
        return None
    return (
        f"to mark {subject} of {year} {status}, say why: a comment of at least "
        f"{rules.min_reason_chars} characters or an on-site observation note"
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """One verifier's record as the fold below needs it (`id` orders the records)."""

    id: int
    year: int
    subject: Subject
    status: str


def in_force(records: Iterable[Decision]) -> list[Decision]:
    """The records still in force, by year, table and row, oldest first.

    The latest record about a row decides it; a record about a whole table decides every row
    of it and so replaces the earlier records about its rows.
    """
    table_level: dict[tuple[int, str], Decision] = {}
    row_level: dict[tuple[int, str], dict[int, Decision]] = {}
    for record in sorted(records, key=lambda r: r.id):
        key = (record.year, record.subject.table)
        if record.subject.row is None:
            table_level[key] = record
            row_level.pop(key, None)
        else:
            row_level.setdefault(key, {})[record.subject.row] = record
    kept = list(table_level.values())
    for rows in row_level.values():
        kept.extend(rows.values())
    return sorted(kept, key=lambda r: r.id)


def row_status_counts(row_count: int, decisions: Iterable[Decision]) -> dict[str, int]:
    """How many of a table's `row_count` rows [rows] hold each status.

    `decisions` are the records in force (`in_force`) about that one table of one
    facility-year: a whole-table decision sets every row; a row decision in force is newer
    than its table's (`in_force` dropped the older ones), so it sets its row; the rest are
    `self-reported`. Counts every status of `VERIFICATION_STATUSES`, zeros included.
    """
    base = VERIFICATION_STATUSES[0]
    by_row: dict[int, str] = {}
    for decision in sorted(decisions, key=lambda d: d.id):
        if decision.subject.row is None:
            base = decision.status
            by_row.clear()
        else:
            by_row[decision.subject.row] = decision.status
    counts = dict.fromkeys(VERIFICATION_STATUSES, 0)
    counts[base] += max(row_count - len(by_row), 0)
    for status in by_row.values():
        counts[status] += 1
    return counts


def evidence_supports(evidence_subject: str, subject: Subject) -> bool:
    """True when a document uploaded for `evidence_subject` may support a record about
    `subject`: one uploaded for a table supports that table and its rows, one for a row that
    row only, one whose subject is free text (names no table) any record of its
    facility-year (decision 0013)."""
    try:
        named = parse_subject(evidence_subject)
    except SubjectError:
        return True
    if named.table != subject.table:
        return False
    return named.row is None or named.row == subject.row
