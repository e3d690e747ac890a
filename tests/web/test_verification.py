"""Verification with substance over HTTP: refused without evidence or an on-site note, recorded
with who, when and why, and followed by the facility's Data Matrix (verified shares)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from urllib.parse import unquote

import polars as pl
import pytest

from factory_journey.services.platform import accounts, imports, sharing
from factory_journey.store.database import transaction

from .conftest import f1_dataset, make_platform

NOTE = "Water meter M-2 read on site on 4 March 2024; matches the utility invoice."
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """F1 shared in full with the verifier and for its assessment only with the brand."""
    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        sharing.grant(session, owner, "F1", platform.organisations["Verifier"], "full")
        sharing.grant(session, owner, "F1", platform.organisations["Brand"], "assessment")
    return platform


def _post(platform, body, actor="verifier_editor"):
    return platform.client.post(
        "/api/facilities/F1/verification", json=body, headers=platform.headers(actor)
    )


def _upload(platform, name, content, year=2023, actor="verifier_editor", subject="water"):
    return platform.client.post(
        "/api/facilities/F1/evidence",
        files={"file": (name, content, "application/pdf")},
        data={"year": str(year), "subject": subject},
        headers=platform.headers(actor),
    )


def _matrix(platform, actor="owner_viewer"):
    response = platform.client.get("/api/facilities/F1/matrix", headers=platform.headers(actor))
    assert response.status_code == 200, response.text
    return response.json()


def _row(matrix, year):
    return next(row for row in matrix["matrix"] if row["year"] == year)


def _rows(platform, table, year=2023, version=1):
    response = platform.client.get(
        f"/api/facilities/F1/submissions/{year}/{version}",
        headers=platform.headers("verifier_viewer"),
    )
    assert response.status_code == 200
    return response.json()[table]


def _share(rows, changed=None):
    """Verified share of `rows` with the statuses in `changed` ({_row: status}) applied."""
    changed = changed or {}
    statuses = [changed.get(r["_row"], r["verification_status"]) for r in rows]
    return sum(s == "verified" for s in statuses) / len(statuses)


# --- refusals in the verifier's terms --------------------------------------------------------


def test_verified_without_evidence_or_note_is_refused(platform):
    response = _post(platform, {"year": 2023, "subject": "water", "status": "verified"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "to mark water of 2023 verified" in detail
    assert "evidence_id" in detail and "observation" in detail


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"observation": "checked"}, 422, "has 7 characters"),
        ({"subject": "sipoperatingdays", "observation": NOTE}, 422, "is not a table"),
        ({"subject": "water:999", "observation": NOTE}, 422, "has no row 999"),
        ({"subject": "air:1", "observation": NOTE}, 422, "row 1 of a file is its header"),
        ({"year": 2019, "observation": NOTE}, 404, "has no data for 2019"),
        ({"version": 7, "observation": NOTE}, 404, "has no version 7 of 2023"),
        ({"evidence_id": 999999, "comment": "x"}, 404, "no evidence 999999 on facility F1"),
        ({"status": "disputed"}, 422, "say why"),
        ({"status": "disputed", "comment": "wrong"}, 422, "say why"),
    ],
)
def test_refusals(platform, body, status, words):
    response = _post(platform, {"year": 2023, "subject": "water", "status": "verified", **body})
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


def test_evidence_of_another_year_is_refused(platform):
    uploaded = _upload(platform, "invoice-2022.pdf", PDF, year=2022)
    assert uploaded.status_code == 201
    evidence_id = uploaded.json()["id"]
    body = {"year": 2023, "subject": "water", "status": "verified", "evidence_id": evidence_id}
    response = _post(platform, body)
    assert response.status_code == 422
    assert "is a document of 2022, not of 2023" in response.json()["detail"]


def test_a_refusal_records_nothing(platform):
    before = platform.client.get(
        "/api/facilities/F1/verification", headers=platform.headers("owner_viewer")
    ).json()
    _post(platform, {"year": 2023, "subject": "water", "status": "verified"})
    after = platform.client.get(
        "/api/facilities/F1/verification", headers=platform.headers("owner_viewer")
    ).json()
    assert after == before


# --- verifying feeds the matrix --------------------------------------------------------------


def test_verifying_a_row_then_its_table_changes_the_verified_share(platform):
    water = _rows(platform, "water")
    target = next(r["_row"] for r in water if r["verification_status"] != "verified")
    before = _matrix(platform)
    assert _row(before, 2023)["water_verified_share"] == pytest.approx(_share(water))

    evidence = _upload(platform, "water-invoice.pdf", PDF)
    assert evidence.status_code == 201
    made = _post(
        platform,
        {
            "year": 2023,
            "subject": f"water:{target}",
            "status": "verified",
            "evidence_id": evidence.json()["id"],
            "comment": "March invoice",
            "version": 1,
        },
    )
    assert made.status_code == 201, made.text

    after = _matrix(platform)
    assert after["inputs_key"] != before["inputs_key"]  # the stored snapshot is not reused
    assert after["snapshot_id"] != before["snapshot_id"]
    expected = _share(water, {target: "verified"})
    assert expected > _share(water)
    assert _row(after, 2023)["water_verified_share"] == pytest.approx(expected, abs=1e-12)
    # Nothing else moved: the other year, the other areas.
    for column in ("water_verified_share", "energy_verified_share"):
        assert _row(after, 2022)[column] == _row(before, 2022)[column]
    assert _row(after, 2023)["energy_verified_share"] == _row(before, 2023)["energy_verified_share"]
    # The record is listed with the matrix.
    [listed] = [v for v in after["verification"] if v["subject"] == f"water:{target}"]
    assert listed["status"] == "verified" and listed["evidence_id"] == evidence.json()["id"]
    assert (listed["table"], listed["row"], listed["year"]) == ("water", target, 2023)
    assert listed["set_at"].endswith("Z")

    # The assessment is computed from the same, new inputs (one snapshot serves both).
    assessment = platform.client.get(
        "/api/facilities/F1/assessment", headers=platform.headers("brand_viewer")
    ).json()
    assert assessment["inputs_key"] == after["inputs_key"]

    # A whole table on an on-site observation: every row verified.
    table = _post(
        platform, {"year": 2023, "subject": "water", "status": "verified", "observation": NOTE}
    )
    assert table.status_code == 201, table.text
    assert _row(_matrix(platform), 2023)["water_verified_share"] == 1.0

    # A dispute of one row, saying why: that row only is no longer verified.
    disputed = _post(
        platform,
        {
            "year": 2023,
            "subject": f"water:{target}",
            "status": "disputed",
            "comment": "The invoice of March shows 2,140 m3, not 1,240 m3.",
        },
    )
    assert disputed.status_code == 201, disputed.text
    final = _matrix(platform)
    assert _row(final, 2023)["water_verified_share"] == pytest.approx(
        (len(water) - 1) / len(water), abs=1e-12
    )
    in_force = {v["subject"]: v["status"] for v in final["verification"]}
    assert in_force == {"water": "verified", f"water:{target}": "disputed"}


def test_the_record_says_who_when_and_why(platform):
    history = platform.client.get(
        "/api/facilities/F1/verification", headers=platform.headers("owner_viewer")
    )
    assert history.status_code == 200
    records = history.json()
    assert records, "the previous test recorded verifications"
    with transaction(platform.factory) as session:
        verifier = accounts.actor_for_token(session, platform.tokens["verifier_editor"])
    by_subject = {r["subject"]: r for r in records if r["observation"]}
    note = by_subject["water"]
    assert note["observation"] == NOTE and note["evidence_id"] is None
    assert note["set_by"] == verifier.user_id
    assert note["organisation_id"] == platform.organisations["Verifier"]
    assert note["submission_id"] is not None
    created = note["created_at"]
    assert created.endswith(("+00:00", "Z")), created
    with_evidence = next(r for r in records if r["evidence_id"] is not None)
    assert with_evidence["comment"] == "March invoice"
    assert timedelta(0) <= (
        _parse(records[-1]["created_at"]) - _parse(records[0]["created_at"])
    ) < timedelta(minutes=10)


def _parse(text):
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_factory_cannot_verify_its_own_data(platform):
    response = _post(
        platform,
        {"year": 2023, "subject": "water", "status": "verified", "observation": NOTE},
        actor="owner_admin",
    )
    assert response.status_code == 403


# --- evidence: checked by content, downloadable by those allowed -----------------------------


def test_an_executable_renamed_pdf_is_refused(platform):
    response = _upload(platform, "invoice.pdf", b"MZ\x90\x00" + bytes(60))
    assert response.status_code == 422
    assert "invoice.pdf is a Windows program" in response.json()["detail"]
    elf = _upload(platform, "meter.png", b"\x7fELF\x02\x01\x01" + bytes(60))
    assert elf.status_code == 422 and "Linux program" in elf.json()["detail"]


def test_the_stored_type_is_the_sniffed_one(platform):
    mismatch = _upload(platform, "photo.pdf", PNG)
    assert mismatch.status_code == 422
    assert "is a PNG image by its content, not a PDF document" in mismatch.json()["detail"]
    image = _upload(platform, "photo.png", PNG)
    assert image.status_code == 201
    assert image.json()["content_type"] == "image/png"  # not the client's application/pdf


def test_the_size_limit_is_a_setting(platform):
    app = platform.client.app
    settings = app.state.settings
    app.state.settings = dataclasses.replace(settings, evidence_max_bytes=100)
    try:
        response = _upload(platform, "big.pdf", PDF + b"%" + b"x" * 200)
        small = _upload(platform, "small.pdf", PDF)
    finally:
        app.state.settings = settings
    assert response.status_code == 413
    assert "big.pdf is larger than 100 bytes" in response.json()["detail"]
    assert small.status_code == 201


def test_download_for_those_allowed(platform):
    uploaded = _upload(platform, "../../Hóa đơn; tháng 3.pdf", PDF)
    assert uploaded.status_code == 201, uploaded.text
    evidence_id, stored = uploaded.json()["id"], uploaded.json()["filename"]
    assert stored == "Hóa đơn; tháng 3.pdf"  # the path is dropped
    url = f"/api/facilities/F1/evidence/{evidence_id}/file"
    for actor in ("owner_viewer", "verifier_viewer"):
        response = platform.client.get(url, headers=platform.headers(actor))
        assert response.status_code == 200, (actor, response.text)
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["x-content-type-options"] == "nosniff"
        disposition = response.headers["content-disposition"]
        plain, encoded = disposition.split("; filename*=UTF-8''")
        assert plain == 'attachment; filename="Hoa on_ thang 3.pdf"'
        assert unquote(encoded) == stored
    # A brand that sees the assessment only, an organisation it is not shared with.
    assert platform.client.get(url, headers=platform.headers("brand_viewer")).status_code == 403
    assert (
        platform.client.get(url, headers=platform.headers("other_factory_admin")).status_code
        == 404
    )
    missing = platform.client.get(
        "/api/facilities/F1/evidence/999999/file", headers=platform.headers("owner_viewer")
    )
    assert missing.status_code == 404


# --- a correction is not verified by a check of its predecessor ------------------------------


def test_a_new_version_needs_its_own_verification(platform):
    water = _rows(platform, "water")
    verified = _row(_matrix(platform), 2023)["water_verified_share"]
    assert verified != pytest.approx(_share(water))  # the records above are in force
    data = f1_dataset()
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        upload = imports.store_upload(session, owner, "fix.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(platform.factory, job.id, owner, read_dataset=lambda _p: data)
    assert done.status == "succeeded"
    after = _matrix(platform)
    assert _row(after, 2023)["water_verified_share"] == pytest.approx(_share(water))
    assert after["verification"] == []
    stale = _post(
        platform,
        {"year": 2023, "subject": "water", "status": "verified", "observation": NOTE, "version": 1},
    )
    assert stale.status_code == 409
    assert "replaced by version 2" in stale.json()["detail"]


# --- review of issue #13: substance that cannot be faked -------------------------------------


def test_evidence_must_be_about_the_records_table_or_row(platform):
    water = _rows(platform, "water")
    row = water[0]["_row"]
    energy = _upload(platform, "energy-invoice.pdf", PDF, subject="energy")
    one_row = _upload(platform, "water-row.pdf", PDF, subject=f"water:{row}")
    free_text = _upload(platform, "utility-bills.pdf", PDF, subject="Utility bills 2023")
    for made in (energy, one_row, free_text):
        assert made.status_code == 201, made.text

    def verify(subject, evidence):
        body = {"year": 2023, "subject": subject, "status": "verified"}
        return _post(platform, {**body, "evidence_id": evidence.json()["id"]})

    other_table = verify("water", energy)
    assert other_table.status_code == 422
    assert "was uploaded for energy, not for water" in other_table.json()["detail"]
    whole_table = verify("water", one_row)  # one row's document does not verify the table
    assert whole_table.status_code == 422
    assert f"was uploaded for water:{row}, not for water" in whole_table.json()["detail"]
    assert verify(f"water:{row}", one_row).status_code == 201
    assert verify(f"water:{row}", free_text).status_code == 201  # names no table


@pytest.mark.parametrize(
    "note",
    [
        "." * 45,
        " - " * 20,
        "a" * 45,
        "ok " * 15,
        "abc" * 15,
        "!?" * 25 + "x",
    ],
)
def test_a_note_of_punctuation_or_repeats_is_refused(platform, note):
    assert len(note.strip()) >= 40  # long enough: only its substance is lacking
    body = {"year": 2023, "subject": "water", "status": "verified", "observation": note}
    response = _post(platform, body)
    assert response.status_code == 422, response.text
    assert "different letters or digits" in response.json()["detail"]


def test_a_plain_sentence_in_any_script_is_a_note():
    from factory_journey.domain.verification import Subject, substance_problem

    for note in (NOTE, "Đã đọc đồng hồ nước M-2 tại chỗ ngày 4/3/2024, khớp với hóa đơn tháng 3."):
        assert substance_problem(
            Subject("water"), 2023, "verified", has_evidence=False, observation=note, reason=None
        ) is None


def test_csv_evidence_is_served_as_plain_text_attachment(platform):
    content = b'month,kwh,note\n1,1200,"=HYPERLINK(""http://evil.example/x"",""click"")"\n'
    uploaded = _upload(platform, "readings.csv", content)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["content_type"] == "text/csv"  # stored as sniffed
    response = platform.client.get(
        f"/api/facilities/F1/evidence/{uploaded.json()['id']}/file",
        headers=platform.headers("verifier_viewer"),
    )
    assert response.status_code == 200
    assert response.content == content  # evidence: the bytes as uploaded
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_text_file_starting_with_mz_is_evidence(platform):
    response = _upload(platform, "supplier.txt", b"MZ Textiles Ltd, invoice 12, March 2024\n")
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "text/plain"


def _claiming_dataset():
    """F1 whose file marks every row of every table verified (energy: disputed)."""
    data = f1_dataset()
    tables = {}
    for name, frame in data.tables.items():
        if "verification_status" in frame.columns:
            claim = "disputed" if name == "energy" else "verified"
            frame = frame.with_columns(verification_status=pl.lit(claim))
        tables[name] = frame
    return dataclasses.replace(data, tables=tables)


@pytest.fixture(scope="module")
def claimed(tmp_path_factory):
    """A platform of its own where F1's latest upload claims every row verified."""
    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        sharing.grant(session, owner, "F1", platform.organisations["Verifier"], "full")
        upload = imports.store_upload(session, owner, "claim.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    data = _claiming_dataset()
    done = imports.run_import(platform.factory, job.id, owner, read_dataset=lambda _p: data)
    assert done.status == "succeeded", done.problems
    return platform


def test_a_factorys_own_verified_is_a_claim_until_a_verifier_records(claimed):
    from factory_journey.engine.matrix import build_matrix

    # The claim is kept as uploaded and shown with the submission …
    water = _rows(claimed, "water", version=2)
    assert {r["verification_status"] for r in water} == {"verified"}
    assert {r["verification_status"] for r in _rows(claimed, "energy", version=2)} == {
        "disputed"
    }
    # … and it is what the command line reads from the user's own file (every share 1.0) …
    own = build_matrix(_claiming_dataset().tables, with_provenance=False).matrix
    shares = [c for c in own.columns if c.endswith("_verified_share")]
    assert shares and own["water_verified_share"].drop_nulls().to_list()
    assert all(v == 1.0 for v in own["water_verified_share"].drop_nulls().to_list())
    # … but on the platform no row is verified until a verifier records.
    before = _matrix(claimed)
    for row in before["matrix"]:
        for column in shares:
            assert row[column] in (0.0, None), (row["year"], column, row[column])
    assert before["verification"] == []

    made = _post(
        claimed, {"year": 2023, "subject": "water", "status": "verified", "observation": NOTE}
    )
    assert made.status_code == 201, made.text
    after = _matrix(claimed)
    assert _row(after, 2023)["water_verified_share"] == 1.0
    assert _row(after, 2022)["water_verified_share"] == 0.0  # the record is about 2023 only
    assert _row(after, 2023)["energy_verified_share"] in (0.0, None)
