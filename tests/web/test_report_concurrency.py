"""Concurrent requests for facility reports all get their PDF, and concurrent requests for
one report compile it once (issue #13: with 2 clients, 12 of 20 report requests failed)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from factory_journey.services import reports as report_service
from tests.web.conftest import make_platform

LANGS = ("en", "vi", "zh", "tr")
PER_LANG = 3  # requests for each report, all at once


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return make_platform(tmp_path_factory)


def test_concurrent_report_requests_all_succeed_and_compile_once_each(platform, monkeypatch):
    compiles: list[str] = []
    render = report_service.render_facility

    def counting(data, facility_id, lang, fmt, **kwargs):  # type: ignore[no-untyped-def]
        compiles.append(lang)
        return render(data, facility_id, lang, fmt, **kwargs)

    monkeypatch.setattr(report_service, "render_facility", counting)
    headers = platform.headers("owner_viewer")
    # The facility's snapshot first (concurrent first reads would each store their own).
    assert platform.client.get("/api/facilities/F1/assessment", headers=headers).status_code == 200
    langs = [lang for lang in LANGS for _ in range(PER_LANG)]
    start = threading.Barrier(len(langs))

    def get(lang: str):  # type: ignore[no-untyped-def]
        start.wait(timeout=60)
        return platform.client.get(f"/api/facilities/F1/report.pdf?lang={lang}", headers=headers)

    with ThreadPoolExecutor(len(langs)) as pool:
        responses = list(pool.map(get, langs))

    assert [r.status_code for r in responses] == [200] * len(langs), responses[0].text
    assert all(r.content.startswith(b"%PDF-") for r in responses)
    bodies: dict[str, set[bytes]] = {}
    for lang, response in zip(langs, responses, strict=True):
        bodies.setdefault(lang, set()).add(response.content)
    assert all(len(same) == 1 for same in bodies.values())  # one document per report
    assert sorted(compiles) == sorted(LANGS)  # each report compiled once, not once per request
