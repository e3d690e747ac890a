"""Who may see and review what, and the decision rule: a proposer never sees another
proposal's reviews; a reviewer never reviews their own organisation's proposal; a conflict of
interest recuses; one rejection rejects; changes requested make a new version."""

from __future__ import annotations

import threading

from factory_journey.services.platform import accounts
from factory_journey.services.proposals import reviewing
from factory_journey.store.database import transaction
from factory_journey.store.models import Proposal

from .conftest import Journey, content, review, submitted


def test_a_proposer_cannot_see_another_proposals_reviews(journey: Journey):
    mine = submitted(journey, "owner_admin", content("Factory A's coaching pathway"))
    assert journey.call(
        "POST", f"/api/proposals/{mine}/reviews", "aii_reviewer", json=review()
    ).status_code == 201
    # Another proposer: neither the proposal nor its reviews exist for them.
    for path in (f"/api/proposals/{mine}", f"/api/proposals/{mine}/reviews"):
        assert journey.call("GET", path, "other_factory_admin").status_code == 404
    listed = journey.call("GET", "/api/proposals", "other_factory_admin").json()
    assert mine not in [p["id"] for p in listed]
    # The proposer itself: no reviews while the committee is still reviewing.
    assert journey.call("GET", f"/api/proposals/{mine}/reviews", "owner_viewer").json() == []
    # A committee seat sees them.
    seen = journey.call("GET", f"/api/proposals/{mine}/reviews", "zdhc_reviewer").json()
    assert [r["seat"] for r in seen] == ["aii"]


def test_a_reviewer_cannot_review_their_own_organisations_proposal(journey: Journey):
    own = submitted(journey, "cascale_reviewer", content("Cascale seat's own pathway"))
    refused = journey.call("POST", f"/api/proposals/{own}/reviews", "cascale_reviewer",
                           json=review())
    assert refused.status_code == 403
    assert "own organisation" in refused.json()["detail"]
    # Its seat is conflicted: the other two seats decide.
    for name in ("aii_reviewer", "zdhc_reviewer"):
        assert journey.call(
            "POST", f"/api/proposals/{own}/reviews", name, json=review()
        ).status_code == 201
    assert journey.call("GET", f"/api/proposals/{own}", "aii_reviewer").json()["state"] == (
        "accepted"
    )
    # The proposer sees the reviews of the decided version.
    seen = journey.call("GET", f"/api/proposals/{own}/reviews", "cascale_reviewer").json()
    assert sorted(r["seat"] for r in seen) == ["aii", "zdhc"]


def test_non_members_and_viewers_do_not_review(journey: Journey):
    proposal = submitted(journey, "owner_admin", content("Pathway for the non-members test"))
    for actor in ("brand_viewer", "verifier_editor", "aii_viewer"):
        answer = journey.call("POST", f"/api/proposals/{proposal}/reviews", actor, json=review())
        assert answer.status_code == 403, actor


def test_a_conflict_of_interest_recuses_and_one_rejection_rejects(journey: Journey):
    proposal = submitted(journey, "other_factory_admin", content("Pathway to be rejected"))
    recusal = {"conflict_of_interest": True,
               "conflict_statement": "Our organisation co-funds the provider."}
    assert journey.call("POST", f"/api/proposals/{proposal}/reviews", "cascale_reviewer",
                        json=recusal).status_code == 201
    assert journey.call("POST", f"/api/proposals/{proposal}/reviews", "aii_reviewer",
                        json=review()).status_code == 201
    assert journey.call("GET", f"/api/proposals/{proposal}", "aii_reviewer").json()["state"] == (
        "under_review"
    )
    again = journey.call("POST", f"/api/proposals/{proposal}/reviews", "aii_reviewer",
                         json=review())
    assert again.status_code == 409  # a review is never changed
    assert journey.call("POST", f"/api/proposals/{proposal}/reviews", "zdhc_reviewer",
                        json=review("reject", 2)).status_code == 201
    shown = journey.call("GET", f"/api/proposals/{proposal}", "other_factory_admin").json()
    assert shown["state"] == "rejected"
    assert "Criterion means" in shown["history"][-1]["note"]
    assert shown["methodology_version_id"] is None


def test_changes_requested_then_a_revised_version(journey: Journey):
    proposal = submitted(journey, "other_factory_admin", content("Pathway needing changes"))
    for name, verdict in (("cascale_reviewer", "accept"), ("aii_reviewer", "changes"),
                          ("zdhc_reviewer", "accept")):
        journey.call("POST", f"/api/proposals/{proposal}/reviews", name, json=review(verdict))
    path = f"/api/proposals/{proposal}"
    assert journey.call("GET", path, "other_factory_admin").json()["state"] == (
        "changes_requested"
    )
    assert journey.call("POST", f"{path}/submit", "other_factory_admin").status_code == 409
    revised = journey.call("POST", f"{path}/revise", "other_factory_admin")
    assert revised.status_code == 201, revised.text
    body = revised.json()
    assert body["state"] == "draft" and [v["number"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["submitted_at"] is not None  # version 1 stays frozen
    changed = content("Pathway needing changes, revised")
    assert journey.call("PUT", path, "other_factory_admin", json=changed).status_code == 200
    # The committee sees only submitted versions; the new draft is not theirs yet.
    committee_view = journey.call("GET", path, "aii_reviewer").json()
    assert [v["number"] for v in committee_view["versions"]] == [1]
    assert journey.call("POST", f"{path}/submit", "other_factory_admin").status_code == 200
    # A new round: version 2 needs every seat again.
    review_2 = journey.call("POST", f"{path}/reviews", "aii_reviewer", json=review())
    assert review_2.status_code == 201 and review_2.json()["version"] == 2
    first_round = journey.call("GET", f"{path}/reviews", "other_factory_admin").json()
    assert {r["version"] for r in first_round} == {1}  # version 2 is still under review


def test_review_errors_are_located_in_the_rubrics_words(journey: Journey):
    proposal = submitted(journey, "owner_admin", content("Pathway for the review errors test"))
    bad = review()
    del bad["scores"]["alignment.frameworks"]
    bad["scores"]["rigour.evidence"] = 9
    answer = journey.call("POST", f"/api/proposals/{proposal}/reviews", "zdhc_reviewer",
                          json=bad)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "scores.alignment.frameworks: is required" in detail
    assert "scores.rigour.evidence: a whole number from 1 to 5" in detail


def test_submission_errors_name_the_field_and_what_is_accepted(journey: Journey):
    body = content("Pathway with mistakes")
    body["impact_areas"] = ["energy", "noise"]
    body["measures"][0]["area"] = "energy"
    body["measures"][0]["addresses"] = ["water_intensity"]
    body["regions"] = ["XX"]
    created = journey.call("POST", "/api/proposals", "owner_editor", json=body)
    assert created.status_code == 201
    problems = {(p["where"], p["message"].split(";")[0]) for p in created.json()["problems"]}
    wheres = {where for where, _ in problems}
    assert {"impact_areas", "regions", "measures.1.addresses"} <= wheres
    refused = journey.call("POST", f"/api/proposals/{created.json()['id']}/submit",
                           "owner_editor")
    assert refused.status_code == 422
    assert "'noise' is not an impact area" in refused.json()["detail"]
    # Nothing was lost: the draft keeps what was typed.
    kept = journey.call("GET", f"/api/proposals/{created.json()['id']}", "owner_editor").json()
    assert kept["versions"][0]["content"]["regions"] == ["XX"]


def test_an_attachment_is_checked_by_its_content(journey: Journey):
    created = journey.call("POST", "/api/proposals", "owner_admin", json={"title": "Attach"})
    path = f"/api/proposals/{created.json()['id']}/attachments"
    fake = {"file": ("study.pdf", b"MZ\x90\x00 an executable", "application/pdf")}
    refused = journey.call("POST", path, "owner_admin", files=fake)
    assert refused.status_code == 422
    real = {"file": ("study.pdf", b"%PDF-1.4 a study", "application/pdf")}
    added = journey.call("POST", path, "owner_admin", files=real)
    assert added.status_code == 201
    download = journey.call("GET", f"{path}/{added.json()['id']}", "owner_viewer")
    assert download.content == b"%PDF-1.4 a study"
    assert download.headers["content-disposition"].startswith("attachment;")
    # A committee seat does not see a proposal never submitted, nor its attachments.
    assert journey.call("GET", f"{path}/{added.json()['id']}", "aii_reviewer").status_code == 404

def test_simultaneous_last_reviews_decide(journey: Journey):
    """The last reviews arriving at once still decide: reviews of one proposal are
    serialised, so the one completing the committee sees the others."""
    proposal_id = submitted(journey, "owner_admin", content("Pathway reviewed at once"))
    assert journey.call("POST", f"/api/proposals/{proposal_id}/reviews", "cascale_reviewer",
                        json=review()).status_code == 201
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def add(email: str) -> None:
        try:
            with transaction(journey.platform.factory) as session:
                actor = accounts.actor_for_email(session, email)
                barrier.wait(timeout=30)
                body = review()
                reviewing.add_review(
                    session, actor, proposal_id,
                    conflict_of_interest=False, scores=body["scores"],
                    comments=body["comments"], recommendation="accept",
                )
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=add, args=(f"{name}@test.example",))
               for name in ("aii_reviewer", "zdhc_reviewer")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    with transaction(journey.platform.factory) as session:
        proposal = session.get(Proposal, proposal_id)
        assert proposal is not None and proposal.state == "accepted"
        assert proposal.methodology_build_id is not None


def test_an_attachment_larger_than_the_limit_is_refused_unread(journey: Journey):
    created = journey.call("POST", "/api/proposals", "owner_admin", json={"title": "Big file"})
    limit = journey.platform.client.app.state.settings.evidence_max_bytes
    headers = {
        **journey.headers("owner_admin"),
        "content-type": "multipart/form-data; boundary=x",
        "content-length": str(limit + 200_000),
    }

    def body():  # type: ignore[no-untyped-def]
        yield b"--x\r\n"

    for path in (f"/api/proposals/{created.json()['id']}/attachments",
                 f"/proposals/{created.json()['id']}/attachments"):
        answer = journey.platform.client.post(path, content=body(), headers=headers)
        assert answer.status_code == 413, path
