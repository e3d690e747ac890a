"""The services behind the factory pages, on a real platform database: completeness of each
facility-year, the diff between two versions, the assessment view, sharing look-ups and the
members list, each checked for who may see it."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from factory_journey.services.platform import accounts, imports
from factory_journey.services.platform.assessment_view import assessment_view
from factory_journey.services.platform.completeness import (
    COMPLETE,
    MISSING,
    PARTIAL,
    organisation_status,
)
from factory_journey.services.platform.directory import (
    find_organisations,
    grant_lines,
    members,
)
from factory_journey.services.platform.errors import Forbidden, InvalidInput, NotFound
from factory_journey.services.platform.sharing import grant, revoke
from factory_journey.services.platform.submission_diff import compare_versions
from factory_journey.store.database import transaction

from .conftest import f1_dataset, make_platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return make_platform(tmp_path_factory)


def _actor(platform, name):  # type: ignore[no-untyped-def]
    with transaction(platform.factory) as session:
        return accounts.actor_for_token(session, platform.tokens[name])


def _import(platform, tables, filename="fix.zip"):  # type: ignore[no-untyped-def]
    owner = _actor(platform, "owner_editor")
    corrected = dataclasses.replace(f1_dataset(), tables=tables)
    with transaction(platform.factory) as session:
        upload = imports.store_upload(session, owner, filename, "application/zip", b"PK")
        job = imports.create_job(session, upload)
    return imports.run_import(platform.factory, job.id, owner, read_dataset=lambda _p: corrected)


def test_status_names_complete_partial_and_missing_areas_and_failed_uploads(platform):
    tables = dict(f1_dataset().tables)
    # 2023 loses its air rows and three months of water: a new version of 2023 (and of 2022,
    # unchanged); the home page must read the newest version.
    tables["air"] = tables["air"].filter(pl.col("year") != 2023)
    tables["water"] = tables["water"].filter(
        ~((pl.col("year") == 2023) & pl.col("month").is_in([4, 5, 6]))
    )
    assert _import(platform, tables).status == "succeeded"
    # Then a file that fails: it is listed until a later import succeeds.
    owner = _actor(platform, "owner_editor")
    with transaction(platform.factory) as session:
        upload = imports.store_upload(session, owner, "bad.csv", "text/csv", b"x")
        job = imports.create_job(session, upload)
    imports.run_import(platform.factory, job.id, owner)
    with transaction(platform.factory) as session:
        status = organisation_status(session, _actor(platform, "owner_viewer"))
    (facility,) = status.facilities
    assert facility.facility_id == "F1"
    years = {y.year: y for y in facility.years}
    assert set(years) == {2022, 2023}
    y2023 = years[2023]
    assert y2023.version == 2
    areas = {a.area: a for a in y2023.areas}
    assert areas["air"].status == MISSING
    assert areas["water"].status == PARTIAL
    assert areas["water"].missing_months == (4, 5, 6)
    assert areas["water"].months_reported == 9
    assert areas["energy"].status == COMPLETE
    assert "air" in y2023.missing and "water" in y2023.partial
    assert y2023.status == PARTIAL
    assert {a.area: a.status for a in years[2022].areas}["air"] == COMPLETE
    assert [f.filename for f in status.failed_uploads] == ["bad.csv"]
    assert status.failed_uploads[0].problems >= 1
    # A brand sees no facility on a factory home page; the other factory sees none of ours.
    with transaction(platform.factory) as session:
        assert organisation_status(session, _actor(platform, "brand_viewer")).facilities == []
        other = organisation_status(session, _actor(platform, "other_factory_admin"))
        assert other.facilities == [] and other.failed_uploads == []


def test_diff_lists_changed_added_and_removed_rows_by_key(platform):
    tables = dict(f1_dataset().tables)
    energy = tables["energy"]
    first = energy.filter(pl.col("year") == 2022).row(0, named=True)
    energy = energy.with_columns(
        quantity=pl.when((pl.col("year") == 2022) & (pl.col("month") == first["month"])
                         & (pl.col("source") == first["source"]))
        .then(pl.col("quantity") + 1).otherwise(pl.col("quantity"))
    )
    waste = tables["waste"]
    gone = waste.filter(pl.col("year") == 2022).row(0, named=True)
    waste = waste.filter(~((pl.col("year") == 2022) & (pl.col("_row") == gone["_row"])))
    before = {"energy": tables["energy"], "waste": tables["waste"]}
    assert _import(platform, {**tables, "energy": energy, "waste": waste}).status == "succeeded"
    viewer = _actor(platform, "owner_viewer")
    with transaction(platform.factory) as session:
        from factory_journey.services.platform.facilities import submissions

        latest = max(s.version for s in submissions(session, viewer, "F1") if s.year == 2022)
        diff = compare_versions(session, viewer, "F1", 2022, latest - 1, latest)
    by_table = {t.table: t for t in diff.tables}
    (changed,) = by_table["energy"].changed
    assert changed.key["month"] == first["month"] and changed.key["source"] == first["source"]
    cells = {c.column: c for c in changed.changes}
    assert cells["quantity"].new == pytest.approx(first["quantity"] + 1)
    assert cells["quantity"].old == pytest.approx(first["quantity"])
    assert not by_table["energy"].added and not by_table["energy"].removed
    assert len(by_table["waste"].removed) == 1 and not by_table["waste"].changed
    assert by_table["water"].empty and by_table["profiles"].empty
    assert before["energy"].height == energy.height
    with transaction(platform.factory) as session:
        with pytest.raises(InvalidInput):
            compare_versions(session, viewer, "F1", 2022, latest, latest)
        with pytest.raises(NotFound):
            compare_versions(session, viewer, "F1", 2022, latest, latest + 5)
        with pytest.raises(NotFound):  # the brand has no grant at all
            compare_versions(session, _actor(platform, "brand_viewer"), "F1", 2022, 1, 2)


def test_assessment_view_is_the_report_context_with_the_trajectory(platform):
    viewer = _actor(platform, "owner_viewer")
    with transaction(platform.factory) as session:
        view = assessment_view(session, viewer, "F1", "vi")
        english = assessment_view(session, viewer, "F1", "en", year=2022)
    assert view.year == 2023 and view.years == (2022, 2023)
    assert len(view.report["areas"]) == 7
    assert {a["level"] for a in view.report["areas"]} <= {"high", "low", "not_assessed"}
    assert view.report["overview"]["svg"].startswith("<svg")
    assert view.report["headings"]["recommended"] != "Recommended pathway"  # Vietnamese
    assert english.year == 2022 and english.report["headings"]["recommended"] == (
        "Recommended pathway")
    assert [t.year for t in view.trajectory] == [2022, 2023]
    assert all(t.emissions_t is None or t.emissions_t > 0 for t in view.trajectory)
    with transaction(platform.factory) as session:
        with pytest.raises(NotFound):
            assessment_view(session, _actor(platform, "brand_viewer"), "F1")
        with pytest.raises(InvalidInput):
            assessment_view(session, viewer, "F1", "xx")
        with pytest.raises(NotFound):
            assessment_view(session, viewer, "F1", "en", year=1999)


def test_sharing_lookup_grant_lines_and_members(platform):
    admin, editor = _actor(platform, "owner_admin"), _actor(platform, "owner_editor")
    with transaction(platform.factory) as session:
        hits = find_organisations(session, admin, "bra")
        assert [h.name for h in hits] == ["Brand"]
        assert find_organisations(session, admin, "factory") == []  # not a grantee kind
        assert find_organisations(session, admin, "b") == []  # too short to search
        assert find_organisations(session, admin, "%") == []  # LIKE wildcards are literal
        row = grant(session, admin, "F1", hits[0].id, "assessment")
    with transaction(platform.factory) as session:
        lines = grant_lines(session, admin, "F1")
        assert [(line.grantee_name, line.scope, line.active) for line in lines] == [
            ("Brand", "assessment", True)]
        with pytest.raises(Forbidden):
            grant_lines(session, editor, "F1")
        # The brand now reads the assessment; after the revoke it is told "not found".
        assert assessment_view(session, _actor(platform, "brand_viewer"), "F1").year == 2023
        revoke(session, admin, "F1", row.id)
    with transaction(platform.factory) as session:
        assert not grant_lines(session, admin, "F1")[0].active
        with pytest.raises(NotFound):
            assessment_view(session, _actor(platform, "brand_viewer"), "F1")
        listed = members(session, admin)
        assert {(m.email, m.role) for m in listed} == {
            ("owner_admin@test.example", "admin"),
            ("owner_editor@test.example", "editor"),
            ("owner_viewer@test.example", "viewer"),
        }
        with pytest.raises(Forbidden):
            members(session, editor)


def test_job_view_follows_an_import_to_its_versions_or_its_problems(platform):
    from factory_journey.services.platform.upload_jobs import job_view

    done = _import(platform, dict(f1_dataset().tables), filename="again.zip")
    owner = _actor(platform, "owner_editor")
    with transaction(platform.factory) as session:
        view = job_view(session, owner, done.id)
        assert view.succeeded and not view.running and view.percent == 100
        assert {(m.facility_id, m.year) for m in view.made} == {("F1", 2022), ("F1", 2023)}
        upload = imports.store_upload(session, owner, "broken.xlsx", "", b"not a workbook")
        job = imports.create_job(session, upload)
    imports.run_import(platform.factory, job.id, owner)
    with transaction(platform.factory) as session:
        failed = job_view(session, owner, job.id)
        assert failed.status == "failed" and failed.made == ()
        assert failed.problems.errors >= 1
        assert failed.problems.groups[0].file == "broken.xlsx"
        with pytest.raises(NotFound):  # another organisation's job
            job_view(session, _actor(platform, "other_factory_admin"), job.id)
