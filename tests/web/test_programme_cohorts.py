"""A programme's cohorts, participation records (read by the dataset ingest, problems
located, refused whole) and the cohort's evaluation (the `journey evaluate` report content)."""

from __future__ import annotations

import pytest

from factory_journey.services.platform import accounts, cohorts, sharing
from factory_journey.services.platform.errors import Forbidden, InvalidInput, NotFound
from factory_journey.services.platform.programme_evaluation import evaluate_cohort
from factory_journey.store.database import transaction

from .many_facilities import many_facilities


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return many_facilities(tmp_path_factory, share_with="Programme", scope="matrix")


def _actor(session, name="programme_admin"):  # type: ignore[no-untyped-def]
    return accounts.actor_for_email(session, f"{name}@test.example")


def test_a_cohort_holds_only_facilities_shared_with_their_data(platform):
    with transaction(platform.factory) as session:
        officer = _actor(session)
        shared = {c.facility_id for c in cohorts.candidates(session, officer)}
        assert shared == {*platform.ids, "F1"}
        made = cohorts.create_cohort(session, officer, "  Wave   one ", platform.ids[:4])
        assert made.name == "Wave one" and made.facility_ids == sorted(platform.ids[:4])
        with pytest.raises(InvalidInput, match="NOT-SHARED") as refused:
            cohorts.create_cohort(session, officer, "Other", ["NOT-SHARED"])
        # the API's message names the field by its key, as before; a page by its label
        assert refused.value.field == "facilities"
        assert refused.value.message == f"facilities: {refused.value.reason}"
        assert refused.value.reason.startswith("not shared with your organisation")
        assert [c.name for c in cohorts.cohorts(session, officer)] == ["Wave one"]
        changed = cohorts.set_members(session, officer, made.id, platform.ids[4:6])
        assert changed.facility_ids == sorted(platform.ids[4:6])
        assert cohorts.cohort(session, officer, made.id).facility_ids == changed.facility_ids
    with transaction(platform.factory) as session, pytest.raises(Forbidden):
        cohorts.create_cohort(session, _actor(session, "brand_viewer"), "x", platform.ids[:1])


def test_records_with_mistakes_are_refused_whole_with_each_located(platform):
    bad = (
        "facility_id,programme,start_date,end_date\n"
        f"{platform.ids[0]},clp,2022-03-01,\n"
        "NOBODY,clp,2022-03-01,\n"
        f"{platform.ids[1]},clp,2022-13-40,\n"
    ).encode()
    with transaction(platform.factory) as session:
        officer = _actor(session)
        outcome = cohorts.upload_records(session, officer, "wave.csv", bad)
        assert outcome.records is None
        located = {(p.file, p.row, p.column) for p in outcome.problems
                   if p.severity.value == "error"}
        assert ("wave.csv", 3, "facility_id") in located
        unknown = next(p for p in outcome.problems if p.value == "NOBODY")
        assert "not shared with your programme" in unknown.message
        assert ("wave.csv", 4, "start_date") in located
        assert cohorts.records_in_force(session, officer) is None


def test_records_accepted_are_in_force(platform):
    rows = [f"{platform.ids[i]},{'clp' if i % 2 else 'stz'},2022-0{i + 1}-15," for i in range(6)]
    good = ("facility_id,programme,start_date,end_date\n" + "\n".join(rows) + "\n").encode()
    with transaction(platform.factory) as session:
        officer = _actor(session)
        outcome = cohorts.upload_records(session, officer, "wave.csv", good)
        assert outcome.records is not None, [p.describe() for p in outcome.problems]
        in_force = cohorts.records_in_force(session, officer)
        assert in_force is not None and in_force.row_count == 6
        assert in_force.filename == "wave.csv"


def test_the_evaluation_has_the_report_content_and_charts(platform):
    with transaction(platform.factory) as session:
        officer = _actor(session)
        made = cohorts.create_cohort(session, officer, "All", [*platform.ids, "F1"])
        outcome = evaluate_cohort(session, officer, made.id, 2022, 2023)
    context = outcome.context
    assert outcome.facilities == len(platform.ids) + 1
    assert context["kind"] == "evaluation"
    for section in ("headline", "participation", "countries", "regional", "groups", "effect",
                    "caveats", "method"):
        assert section in context
    assert context["headline"]["chart"].startswith("<svg")
    assert context["countries"]["chart"].startswith("<svg")
    participants = sum(int(c["n"]) for c in context["participation"]["cards"])
    assert participants == outcome.facilities


def test_a_revoked_facility_leaves_the_evaluation(platform):
    target = platform.ids[0]
    with transaction(platform.factory) as session:
        officer = _actor(session)
        made = cohorts.create_cohort(session, officer, "Revoked one", platform.ids[:3])
        owner = _actor(session, "owner_admin")
        grant = next(g for g in sharing.grants_of(session, owner, target)
                     if g.grantee_organisation_id == platform.organisations["Programme"]
                     and g.revoked_at is None)
        sharing.revoke(session, owner, target, grant.id)
    with transaction(platform.factory) as session:
        outcome = evaluate_cohort(session, _actor(session), made.id, 2022, 2023)
        assert outcome.left_out == [target] and outcome.facilities == 2
        with pytest.raises(Forbidden):  # a brand has no cohorts
            evaluate_cohort(session, _actor(session, "brand_viewer"), made.id, 2022, 2023)
        with pytest.raises(NotFound):  # another organisation's cohort id is not disclosed
            cohorts.cohort(session, _actor(session, "programme_admin"), made.id + 100)
