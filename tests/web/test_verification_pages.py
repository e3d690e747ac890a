"""The verifier's pages over HTTP: what each person sees, a refused decision keeps what was
typed and stores nothing, an accepted one is committed before the answer, and evidence is
sent inline only when it is a PDF or an image."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factory_journey.services.platform import accounts, sharing
from factory_journey.store.database import transaction
from factory_journey.store.models import Evidence, Facility, VerificationRecord

from .conftest import make_platform

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
CSV = b"month,kWh\n1,1200\n"
NOTE = "Water meter M-2 read on site on 4 March 2024; matches the utility invoice."


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        sharing.grant(session, owner, "F1", platform.organisations["Verifier"], "full")
        sharing.grant(session, owner, "F1", platform.organisations["Brand"], "assessment")
    return platform


def _get(platform, actor, url, **kwargs):
    platform.client.cookies.set("journey_page", platform.tokens[actor])
    return platform.client.get(url, **kwargs)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _water_rows(platform) -> list[str]:
    page = _get(platform, "verifier_editor", "/verification/facilities/F1?year=2023&table=water")
    assert page.status_code == 200
    return re.findall(r'/2023/water/(\d+)"', page.text)


def _count(platform, model) -> int:
    with transaction(platform.factory) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_queue_lists_the_shared_facility_with_its_waiting_count(platform):
    page = _get(platform, "verifier_viewer", "/verification")
    assert page.status_code == 200
    assert "Facility One" in page.text
    assert "/verification/facilities/F1?year=2022&amp;waiting=1" in page.text


@pytest.mark.parametrize("actor", ["owner_admin", "brand_viewer", "programme_admin"])
def test_queue_is_refused_to_other_organisations(platform, actor):
    assert _get(platform, actor, "/verification").status_code == 403


def test_signed_out_reader_is_sent_to_sign_in(platform):
    platform.client.cookies.clear()
    page = platform.client.get("/verification", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/sign-in")


def test_owner_reads_without_the_form_and_others_see_nothing(platform):
    row = _water_rows(platform)[0]
    url = f"/verification/facilities/F1/2023/water/{row}"
    owner = _get(platform, "owner_viewer", url)
    assert owner.status_code == 200 and 'name="decision"' not in owner.text
    viewer = _get(platform, "verifier_viewer", url)
    assert viewer.status_code == 200 and 'name="decision"' not in viewer.text
    editor = _get(platform, "verifier_editor", url)
    assert 'name="decision"' in editor.text and 'enctype="multipart/form-data"' in editor.text
    assert _get(platform, "brand_viewer", url).status_code == 403  # assessment scope only
    assert _get(platform, "other_factory_admin", url).status_code == 404


def test_unknown_row_is_not_found(platform):
    page = _get(platform, "verifier_editor", "/verification/facilities/F1/2023/water/99999")
    assert page.status_code == 404


def test_refused_decision_keeps_the_text_and_stores_nothing(platform):
    row = _water_rows(platform)[1]
    url = f"/verification/facilities/F1/2023/water/{row}"
    form = _get(platform, "verifier_editor", url)
    before = (_count(platform, Evidence), _count(platform, VerificationRecord))
    answer = platform.client.post(
        url,
        data={"csrf_token": _csrf(form.text), "decision": "disputed", "comment": "too <hi>"},
        files={"document": ("invoice.pdf", PDF, "application/pdf")},
    )
    assert answer.status_code == 422
    assert "say why" in answer.text and "Choose the document again" in answer.text
    assert "too &lt;hi&gt;</textarea>" in answer.text  # kept, and escaped
    assert 'value="disputed" checked' in answer.text
    assert (_count(platform, Evidence), _count(platform, VerificationRecord)) == before


def test_form_without_csrf_token_is_refused(platform):
    row = _water_rows(platform)[1]
    platform.client.cookies.set("journey_page", platform.tokens["verifier_editor"])
    answer = platform.client.post(
        f"/verification/facilities/F1/2023/water/{row}",
        data={"decision": "verified", "observation": NOTE},
    )
    assert answer.status_code == 403
    assert _count(platform, VerificationRecord) == 0


def test_viewer_may_not_record(platform):
    row = _water_rows(platform)[1]
    url = f"/verification/facilities/F1/2023/water/{row}"
    form = _get(platform, "verifier_viewer", url)
    answer = platform.client.post(
        url, data={"csrf_token": _csrf(form.text), "decision": "verified", "observation": NOTE}
    )
    assert answer.status_code == 403
    assert _count(platform, VerificationRecord) == 0


def test_verify_with_a_document_is_committed_and_shown_to_the_owner(platform):
    row = _water_rows(platform)[2]
    url = f"/verification/facilities/F1/2023/water/{row}"
    form = _get(platform, "verifier_editor", url)
    answer = platform.client.post(
        url,
        data={"csrf_token": _csrf(form.text), "decision": "verified", "version": "1"},
        files={"document": ("meter reading.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"{url}?recorded=verified#history"
    with transaction(platform.factory) as session:
        record = session.scalar(select(VerificationRecord).order_by(VerificationRecord.id.desc()))
        assert record is not None and record.subject == f"water:{row}"
        assert record.status == "verified" and record.evidence_id is not None
        evidence_id = record.evidence_id
    owner = _get(platform, "owner_viewer", url)
    assert 'class="status-badge status-verified"' in owner.text
    assert "meter reading.pdf" in owner.text
    listing = _get(platform, "owner_viewer", "/verification/facilities/F1?year=2023&table=water")
    assert listing.text.count("status-verified") == 1
    shown = _get(platform, "owner_viewer", f"/verification/facilities/F1/evidence/{evidence_id}")
    assert shown.status_code == 200 and shown.content == PDF
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline;")
    saved = _get(
        platform, "owner_viewer", f"/verification/facilities/F1/evidence/{evidence_id}/download"
    )
    assert saved.headers["content-disposition"].startswith('attachment; filename="meter reading')
    assert saved.headers["cache-control"] == "private, no-store"


def test_a_csv_is_never_shown_inline(platform):
    row = _water_rows(platform)[3]
    url = f"/verification/facilities/F1/2023/water/{row}"
    form = _get(platform, "verifier_editor", url)
    answer = platform.client.post(
        url,
        data={"csrf_token": _csrf(form.text), "decision": "verified"},
        files={"document": ("readings.csv", CSV, "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = _get(platform, "verifier_editor", url)
    (evidence_id,) = re.findall(r"/evidence/(\d+)/download", page.text)[:1]
    assert f'/evidence/{evidence_id}"' not in page.text  # no "open" link
    shown = _get(platform, "verifier_editor", f"/verification/facilities/F1/evidence/{evidence_id}")
    assert shown.headers["content-disposition"].startswith("attachment;")
    assert shown.headers["content-type"].startswith("text/plain")


def test_a_document_larger_than_the_limit_is_refused_before_it_is_read(platform):
    """The declared size is enough: 413, a page (not JSON) saying the limit, nothing stored."""
    row = _water_rows(platform)[4]
    url = f"/verification/facilities/F1/2023/water/{row}"
    form = _get(platform, "verifier_editor", url)
    limit = platform.client.app.state.settings.evidence_max_bytes
    before = _count(platform, Evidence)
    answer = platform.client.post(
        url,
        data={"csrf_token": _csrf(form.text), "decision": "verified"},
        files={"document": ("scan.pdf", PDF + bytes(limit + 70 * 1024), "application/pdf")},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "limit for an evidence document" in answer.text
    assert _count(platform, Evidence) == before


@pytest.mark.parametrize(
    ("language", "queue", "self_reported"),
    [
        ("vi", "Hàng chờ xác minh", "Tự khai báo"),
        ("zh-Hans", "待核查队列", "自行申报"),
        ("bn", "যাচাইয়ের সারি", "স্ব-প্রতিবেদিত"),
        ("km", "ជួររង់ចាំការផ្ទៀងផ្ទាត់", "រាយការណ៍ដោយខ្លួនឯង"),
        ("tr", "Doğrulama kuyruğu", "Beyana dayalı"),
    ],
)
def test_pages_and_the_badge_read_in_every_language(platform, language, queue, self_reported):
    """The badge's word comes from this area's catalogue whichever page includes it."""
    row = _water_rows(platform)[5]
    platform.client.cookies.set("journey_lang", language)
    try:
        page = _get(platform, "verifier_viewer", f"/verification/facilities/F1/2023/water/{row}")
    finally:
        platform.client.cookies.delete("journey_lang")
    assert page.status_code == 200
    assert queue in page.text and self_reported in page.text


def test_the_factory_adds_a_document_for_a_value_and_its_viewer_may_not(platform):
    row = _water_rows(platform)[6]
    url = f"/verification/facilities/F1/2023/water/{row}"
    form = _get(platform, "owner_editor", url)
    assert 'action="' + url + '/evidence"' in form.text and 'name="decision"' not in form.text
    refused = platform.client.post(
        url + "/evidence",
        data={"csrf_token": _csrf(form.text)},
        files={"document": ("invoice.pdf", b"MZ\x90\x00" + bytes(100), "application/pdf")},
    )
    assert refused.status_code == 422 and "Windows program" in refused.text
    before = _count(platform, Evidence)
    added = platform.client.post(
        url + "/evidence",
        data={"csrf_token": _csrf(form.text)},
        files={"document": ("invoice March.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"].endswith(
        "?added=1#evidence-heading"
    )
    assert _count(platform, Evidence) == before + 1
    verifier = _get(platform, "verifier_editor", url)
    assert "invoice March.pdf" in verifier.text  # offered to rest a decision on
    viewer = _get(platform, "owner_viewer", url)
    assert url + "/evidence" not in viewer.text
    answer = platform.client.post(
        url + "/evidence",
        data={"csrf_token": _csrf(viewer.text)},
        files={"document": ("x.pdf", PDF, "application/pdf")},
    )
    assert answer.status_code == 403 and _count(platform, Evidence) == before + 1


def test_a_facility_without_data_comes_last_and_has_no_link(platform):
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        session.add(
            Facility(
                id="F0",
                name="Aardvark Mill",
                country_iso2="VN",
                owner_organisation_id=owner.organisation_id,
            )
        )
        session.flush()
        sharing.grant(session, owner, "F0", platform.organisations["Verifier"], "full")
    page = _get(platform, "verifier_viewer", "/verification")
    assert page.text.index("Facility One") < page.text.index("Aardvark Mill")  # not by name
    assert "/verification/facilities/F0" not in page.text
    assert "No data yet." in page.text


@pytest.mark.parametrize(
    ("lang", "status", "word"),
    [
        ("en", "verified", "Verified"),
        ("vi", "verified", "Đã xác minh"),
        ("tr", "disputed", "İtiraz"),
    ],
)
def test_the_badge_partial_reads_in_another_areas_page(platform, lang, status, word):
    """Another area's template includes the partial: the word is this area's translation."""
    from factory_journey.web.pages.shell import environment

    page = environment().from_string(
        '{% with status=s %}{% include "verification/_status_badge.html.j2" %}{% endwith %}'
    )
    html = page.render(lang=lang, s=status)
    assert f'class="status-badge status-{status}"' in html and word in html
