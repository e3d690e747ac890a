"""Issue #18's acceptance: a proposal from draft to accepted with three reviews builds a new
methodology version; a facility that fits it is recommended the new pathway, its source named
in the explanation and the report; under the old version the facility's results are unchanged,
byte for byte."""

from __future__ import annotations

import json

from sqlalchemy import select

from factory_journey.services.platform import accounts
from factory_journey.services.proposals import builds
from factory_journey.store.database import transaction
from factory_journey.store.models import OutboxMessage

from .conftest import COMMITTEE, Journey, content, review


def _packaged_assessment(journey: Journey) -> bytes:
    """F1 under the packaged version, computed afresh (not a stored snapshot), as JSON bytes."""
    with transaction(journey.platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        assessed = builds.assess_facility(session, owner, "F1", None)
        frames = assessed.result
        return b"\n".join(
            getattr(frames, name).write_json().encode()
            for name in ("opportunities", "pathways", "measures", "trajectory", "indicators")
        ) + json.dumps(frames.versions, sort_keys=True).encode()


def test_a_proposal_from_draft_to_a_recommended_pathway(journey: Journey):
    client_call = journey.call
    facility = client_call("GET", "/api/facilities/F1", "owner_admin").json()
    stored_before = client_call("GET", "/api/facilities/F1/assessment", "owner_admin").content
    computed_before = _packaged_assessment(journey)

    # A draft needs only its title; what a submission still lacks is said, located.
    created = client_call("POST", "/api/proposals", "other_factory_admin",
                          json={"title": "ISO 14001 readiness coaching for small sites"})
    assert created.status_code == 201, created.text
    proposal_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    wheres = {p["where"] for p in created.json()["problems"]}
    assert {"summary", "measures", "impact_areas"} <= wheres
    early = client_call("POST", f"/api/proposals/{proposal_id}/submit", "other_factory_admin")
    assert early.status_code == 422 and "summary" in early.json()["detail"]

    # The pathway fits F1: its factory type, its country, maturity stage 1 of EMS.
    body = content(
        factory_types=(facility["journey_factory_type"],),
        regions=(facility["country_iso2"],),
        stages=(1,),
    )
    updated = client_call("PUT", f"/api/proposals/{proposal_id}", "other_factory_admin", json=body)
    assert updated.status_code == 200 and updated.json()["problems"] == []
    pdf = {"file": ("records.pdf", b"%PDF-1.4 coaching records", "application/pdf")}
    attached = client_call(
        "POST", f"/api/proposals/{proposal_id}/attachments", "other_factory_admin", files=pdf
    )
    assert attached.status_code == 201, attached.text
    sent = client_call("POST", f"/api/proposals/{proposal_id}/submit", "other_factory_admin")
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    frozen = client_call("PUT", f"/api/proposals/{proposal_id}", "other_factory_admin", json=body)
    assert frozen.status_code == 409

    # Three seats review; the third acceptance decides.
    states = []
    for name, _organisation, _seat in COMMITTEE:
        answer = client_call("POST", f"/api/proposals/{proposal_id}/reviews", name, json=review())
        assert answer.status_code == 201, answer.text
        states.append(client_call("GET", f"/api/proposals/{proposal_id}", name).json()["state"])
    assert states == ["under_review", "under_review", "accepted"]
    accepted = client_call("GET", f"/api/proposals/{proposal_id}", "other_factory_admin").json()
    assert [(e["from_state"], e["to_state"]) for e in accepted["history"]] == [
        (None, "draft"), ("draft", "submitted"), ("submitted", "under_review"),
        ("under_review", "accepted"),
    ]
    assert accepted["history"][1]["by"] == "other_factory_admin"
    assert accepted["history"][-1]["organisation"] == "Committee ZDHC"
    version_id = accepted["methodology_version_id"]
    assert version_id is not None

    versions = client_call("GET", "/api/methodology-versions", "brand_viewer").json()
    assert [v["proposals"] for v in versions] == [[f"JJ-{proposal_id} v1"]]
    assert versions[0]["base_label"] == "fj-2026.2 (2026.2)"
    label = f"fj-2026.2-jj{proposal_id} (2026.2-jj{proposal_id})"
    assert versions[0]["label"] == label

    # The new version recommends the proposal's measure and module, and names the proposal.
    assessed = client_call(
        "GET", f"/api/methodology-versions/{version_id}/facilities/F1/assessment", "owner_admin"
    )
    assert assessed.status_code == 200, assessed.text
    result = assessed.json()
    latest = max(step["year"] for step in result["pathways"])
    first = next(s for s in result["pathways"] if s["year"] == latest and s["rank"] == 1)
    assert first["area"] == "ems" and first["pathway"] == "recommended"
    assert f"jj_{proposal_id}_1" in first["measures"].split(";")
    assert f"jj_{proposal_id}" in first["modules"].split(";")
    assert first["methodology_version"] == label
    measure = next(m for m in result["measures"]
                   if m["year"] == latest and m["measure"] == f"jj_{proposal_id}_1")
    assert f"JJ-{proposal_id} v1" in measure["savings_source"]
    named = [line for line in result["explanation"] if f"JJ-{proposal_id} v1" in line]
    assert named and "Other Factory" not in named[0]  # the organisation's name, from the DB
    assert "Factory B" in named[0]

    # The report names it too.
    from factory_journey.services.reports import render_facility, report_data

    with transaction(journey.platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        done = builds.assess_facility(session, owner, "F1", version_id)
    frames = {name: getattr(done.result, name) for name in
              ("opportunities", "pathways", "measures", "trajectory", "indicators")}
    data = report_data(done.matrix, frames, done.result.versions, "F1", done.catalogue)
    html = render_facility(data, "F1", "en", "html").decode()
    assert f"JJ-{proposal_id} v1" in html

    pdf = client_call(
        "GET", f"/api/methodology-versions/{version_id}/facilities/F1/report.pdf", "owner_admin"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from tests.reports.pdftext import extract, squash

    pdf_text = squash(" ".join(page.text for page in extract(pdf.content)))
    assert squash(f"JJ-{proposal_id} v1") in pdf_text

    # The old version: unchanged, byte for byte (stored snapshot and a fresh computation).
    stored_after = client_call("GET", "/api/facilities/F1/assessment", "owner_admin").content
    assert stored_after == stored_before
    assert _packaged_assessment(journey) == computed_before
    assert f"jj_{proposal_id}".encode() not in computed_before

    # Notifications went to the outbox: the committee on submission, the proposer after.
    with transaction(journey.platform.factory) as session:
        messages = session.execute(select(OutboxMessage.recipient, OutboxMessage.subject)).all()
    to_committee = {r for r, s in messages if "submitted" in s}
    assert to_committee >= {f"{name}@test.example" for name, *_ in COMMITTEE}
    assert any(r == "other_factory_admin@test.example" and "accepted" in s for r, s in messages)
    assert any(r == "other_factory_admin@test.example" and label in s for r, s in messages)


def test_a_facility_that_does_not_fit_is_not_recommended_it(journey: Journey):
    """The same kind of proposal for another country adds nothing to F1's pathway."""
    facility = journey.call("GET", "/api/facilities/F1", "owner_admin").json()
    other = "TR" if facility["country_iso2"] != "TR" else "VN"
    body = content("EMS coaching elsewhere", regions=(other,), stages=(1,))
    created = journey.call("POST", "/api/proposals", "brand_viewer", json=body)
    assert created.status_code == 403  # a viewer may not propose
    created = journey.call("POST", "/api/proposals", "programme_admin", json=body)
    proposal_id = created.json()["id"]
    assert journey.call(
        "POST", f"/api/proposals/{proposal_id}/submit", "programme_admin"
    ).status_code == 200
    for name, *_ in COMMITTEE:
        journey.call("POST", f"/api/proposals/{proposal_id}/reviews", name, json=review())
    version_id = journey.call(
        "GET", f"/api/proposals/{proposal_id}", "programme_admin"
    ).json()["methodology_version_id"]
    versions = journey.call("GET", "/api/methodology-versions", "owner_admin").json()
    assert versions[-1]["id"] == version_id and len(versions[-1]["proposals"]) == 2
    result = journey.call(
        "GET", f"/api/methodology-versions/{version_id}/facilities/F1/assessment", "owner_admin"
    ).json()
    keys = {k for s in result["pathways"] for k in (s["measures"] or "").split(";")}
    assert f"jj_{proposal_id}_1" not in keys
    assert any(k.startswith("jj_") for k in keys)  # the earlier, fitting proposal stays in
