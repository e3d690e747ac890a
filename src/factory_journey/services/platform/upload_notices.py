"""What the platform tells a factory of its upload besides the ingest's problems.

Whole sentences, found in this file by `services/problem_sources` like the ingest's messages
(`*_MESSAGE` constants, `*_problem` functions), so that a page shows them in its reader's
language.
"""

from __future__ import annotations

import polars as pl

from factory_journey.domain.problems import Problem, Severity

#: A file's `verification_status` of verified or disputed is the facility's own claim on the
#: platform: only a verifier's record makes a row verified (services/platform/verification).
CLAIMED_STATUS_MESSAGE = (
    "Rows marked verified or disputed in the file: on the platform that is the facility's own "
    "claim, so they count as self-reported until a verifier records a verification")
CLAIMED_STATUS_ACCEPTED_MESSAGE = "self-reported; a verifier sets verified or disputed"

#: The statuses a verifier's record sets, which an upload only claims.
CLAIMED = ("verified", "disputed")


def other_owner_problem(facility_id: str) -> str:
    """The message of a facility_id that another organisation's uploads hold."""
    return (f"facility {facility_id} belongs to another organisation; ask its owner to upload "
            "its data or use another facility_id")


def claimed_statuses(tables: dict[str, pl.DataFrame]) -> list[Problem]:
    """A warning per table whose rows claim a verification status: the upload is saved, and
    the user is told that the claim does not count (not left to find 0 % verified later).
    `value` names the statuses and how many rows claim them."""
    notices = []
    for name, frame in tables.items():
        if "verification_status" not in frame.columns:
            continue
        status = pl.col("verification_status").cast(pl.String).str.to_lowercase()
        counts = frame.filter(status.is_in(CLAIMED)).group_by(status).len().sort(
            "verification_status")
        if counts.is_empty():
            continue
        file = (frame.get_column("_file").drop_nulls().first()
                if "_file" in frame.columns else None)
        notices.append(Problem(
            CLAIMED_STATUS_MESSAGE,
            file=str(file) if file is not None else name,
            column="verification_status",
            value=", ".join(f"{s}: {n}" for s, n in counts.iter_rows()),
            accepted=CLAIMED_STATUS_ACCEPTED_MESSAGE,
            code="claimed_verification",
            severity=Severity.WARNING,
        ))
    return notices
