"""Uploads ask permission before reading the file and read no more than the limit (#13
review): a viewer's upload is refused without its file being read, an editor's oversize file
answers 413 in our words."""

from __future__ import annotations

import inspect
from dataclasses import replace

import pytest

from factory_journey.services.platform import imports
from factory_journey.web import routes_data, routes_facilities, uploads

from .conftest import Platform, make_platform

LIMIT = 4_096  # [bytes] a small limit for the test, patched in


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    return make_platform(tmp_path_factory)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The limits every read of an uploaded file was made with."""
    made: list[int] = []

    def counted(file, limit):  # type: ignore[no-untyped-def]
        made.append(limit)
        return uploads.read_at_most(file, limit)

    monkeypatch.setattr(routes_data, "read_at_most", counted)
    monkeypatch.setattr(routes_facilities, "read_at_most", counted)
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", LIMIT)
    return made


def _dataset(platform: Platform, actor: str, size: int):  # type: ignore[no-untyped-def]
    files = {"file": ("big.csv", b"a" * size, "text/csv")}
    return platform.client.post("/api/uploads", files=files, headers=platform.headers(actor))


def _evidence(platform: Platform, actor: str, size: int):  # type: ignore[no-untyped-def]
    return platform.client.post(
        "/api/facilities/F1/evidence",
        files={"file": ("scan.txt", b"a" * size, "text/plain")},
        data={"year": "2023", "subject": "water"},
        headers=platform.headers(actor),
    )


def test_a_viewers_upload_is_refused_before_its_file_is_read(platform, reads) -> None:
    answer = _dataset(platform, "owner_viewer", LIMIT * 4)
    assert answer.status_code == 403, answer.text  # not 413: the file was not looked at
    assert reads == []


def test_an_editors_oversize_dataset_is_413_and_read_only_to_the_limit(platform, reads) -> None:
    answer = _dataset(platform, "owner_editor", LIMIT * 4)
    assert answer.status_code == 413, answer.text
    detail = answer.json()["detail"]
    assert detail.startswith("big.csv is larger than") and "the limit for a dataset" in detail
    assert reads == [LIMIT + 1]


def test_evidence_asks_permission_first_and_answers_413(platform, reads) -> None:
    app = platform.client.app
    app.state.settings = replace(app.state.settings, evidence_max_bytes=LIMIT)
    refused = _evidence(platform, "brand_viewer", LIMIT * 4)
    assert refused.status_code in {403, 404}, refused.text
    assert reads == []
    too_big = _evidence(platform, "owner_editor", LIMIT * 4)
    assert too_big.status_code == 413, too_big.text
    assert "the limit for an evidence document" in too_big.json()["detail"]
    assert reads == [LIMIT + 1]


def test_the_upload_routes_do_not_run_on_the_event_loop() -> None:
    for route in (routes_data.upload_dataset, routes_facilities.add_evidence):
        assert not inspect.iscoroutinefunction(route), route.__name__


def test_a_body_declared_too_large_is_refused_unread(platform, reads) -> None:
    from factory_journey.web.body_limit import OVERHEAD

    headers = {
        **platform.headers("owner_viewer"),
        "content-type": "multipart/form-data; boundary=x",
        "content-length": str(LIMIT + OVERHEAD + 1),
    }
    def body():  # type: ignore[no-untyped-def]
        yield b"--x\r\n"

    answer = platform.client.post("/api/uploads", content=body(), headers=headers)
    assert answer.status_code == 413, answer.text
    assert "the limit for a dataset upload" in answer.json()["detail"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert reads == []
