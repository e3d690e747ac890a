"""The public answer cache (web/public_cache.py, decision 0034) against two app instances.

Two apps on one database file, each with its own engine, stand for two worker processes:
one publishes and withdraws, the other reads (and keeps what it read). A withdrawal through
one must be effective on the very next read through the other, a kept answer must carry the
headers of a fresh one, and a signed-out browser's form token must stay its own.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from factory_journey.demo import generate_dataset
from factory_journey.ingest import read_dataset
from factory_journey.services.platform import accounts, imports
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.web.app import create_app
from factory_journey.web.pages.shell import CSRF_COOKIE, form_token
from factory_journey.web.public_cache import MARK, PublicCache
from factory_journey.web.settings import Settings
from tests.database import test_database_url

PASSWORD = "correct horse battery"
ALL = ["energy", "ghg", "water", "wastewater", "waste", "air", "chemicals", "ems"]
PROFILE, PAGE = "/api/public/facilities/FJ-0001", "/open-data/facilities/FJ-0001"
SEARCH = "/api/public/facilities?q=FJ-0001"


def _app(url):
    engine = make_engine(url)
    settings = Settings("development", None, secure_cookies=False, demo_accounts=False)
    return create_app(engine, settings), engine


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    url = test_database_url(tmp_path_factory)
    writer_app, writer_engine = _app(url)
    reader_app, reader_engine = _app(url)
    factory = session_factory(writer_engine)
    folder = tmp_path_factory.mktemp("public-cache-dataset")
    for name, frame in generate_dataset(2, [2023], seed=3, messiness=0.0).items():
        frame.write_csv(folder / f"{name}.csv")
    dataset = read_dataset(folder)
    assert dataset.ok
    with transaction(factory) as session:
        group = accounts.create_organisation(session, "Group", "factory_group")
        accounts.create_user(session, "admin@test.example", PASSWORD, "admin", group, "admin")
    with transaction(factory) as session:
        token = accounts.sign_in(session, "admin@test.example", PASSWORD)
        actor = accounts.actor_for_token(session, token)
        upload = imports.store_upload(session, actor, "all.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, actor, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems
    writer, reader = TestClient(writer_app), TestClient(reader_app)
    yield writer, reader, {"Authorization": f"Bearer {token}"}
    writer_engine.dispose()
    reader_engine.dispose()


def _cache(client) -> PublicCache:
    layer = client.app.middleware_stack
    while not isinstance(layer, PublicCache):
        layer = layer.app
    return layer


def _publish(writer, auth):
    answer = writer.put("/api/facilities/FJ-0001/publication", json={"groups": ALL},
                        headers=auth)
    assert answer.status_code == 200, answer.text


def _withdraw(writer, auth):
    answer = writer.delete("/api/facilities/FJ-0001/publication", headers=auth)
    assert answer.status_code == 200, answer.text


def _read_twice(reader):
    """Every shared route read twice by a new browser: the second answer is a kept one."""
    answers = {}
    for path in (PROFILE, PAGE, SEARCH):
        reader.cookies.clear()
        first = reader.get(path)
        reader.cookies.clear()
        answers[path] = (first, reader.get(path))
    return answers


def test_a_withdrawal_through_one_process_is_effective_on_the_next_read_of_another(pair):
    writer, reader, auth = pair
    _publish(writer, auth)
    answers = _read_twice(reader)
    kept = _cache(reader).entries
    assert len(kept) == 3, "the reader did not keep the three answers"
    for path, (first, second) in answers.items():
        assert first.status_code == second.status_code == 200, path
        assert b"FJ-0001" in second.content
    _withdraw(writer, auth)
    reader.cookies.clear()
    assert reader.get(PROFILE).status_code == 404
    assert reader.get(PAGE).status_code == 404
    assert b"FJ-0001" not in reader.get(SEARCH).content
    kept = _cache(reader).entries.values()
    assert not any(b"FJ-0001" in b"".join(entry.parts) for entry in kept), "old answers kept"
    # Republished: the reader shows it again at once (a new state, new answers).
    _publish(writer, auth)
    assert reader.get(PROFILE).status_code == 200
    assert b"FJ-0001" in reader.get(SEARCH).content


def test_a_kept_answer_is_the_fresh_one_with_this_browsers_form_token(pair):
    writer, reader, auth = pair
    _publish(writer, auth)
    answers = _read_twice(reader)
    for path, (first, second) in answers.items():
        fresh = {k: v for k, v in first.headers.items() if k not in ("set-cookie", "date")}
        kept = {k: v for k, v in second.headers.items() if k not in ("set-cookie", "date")}
        assert kept == fresh, path
        assert MARK.decode() not in second.headers
        assert "content-security-policy" in kept and "x-frame-options" in kept
    # JSON: the same bytes. The page: a new browser gets its own cookie, and the form
    # token of that cookie (not the token of the browser whose answer was kept).
    assert answers[PROFILE][1].content == answers[PROFILE][0].content
    first, second = answers[PAGE]
    bases = [r.cookies.get(CSRF_COOKIE) for r in (first, second)]
    assert all(bases) and bases[0] != bases[1]
    for response, basis in zip((first, second), bases, strict=True):
        tokens = re.findall(rb'name="csrf_token" value="([0-9a-f]+)"', response.content)
        assert tokens == [form_token(basis).encode()]
    assert re.sub(rb"[0-9a-f]{64}", b"", first.content) == re.sub(
        rb"[0-9a-f]{64}", b"", second.content
    )
    # A browser that has its cookie: its token, no new cookie.
    reader.cookies.clear()
    reader.cookies.set(CSRF_COOKIE, "my-own-basis")
    third = reader.get(PAGE)
    assert "set-cookie" not in third.headers
    assert form_token("my-own-basis").encode() in third.content


def test_a_kept_answer_says_not_modified_and_signed_in_readers_are_not_served_from_it(pair):
    writer, reader, auth = pair
    _publish(writer, auth)
    reader.cookies.clear()
    etag = reader.get(PROFILE).headers["etag"]
    again = reader.get(PROFILE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, no-cache"
    # Signed in (a bearer token): the whole app answers, and nothing is kept for it.
    before = dict(_cache(reader).entries)
    signed_in = reader.get(PAGE, headers=auth)
    assert signed_in.status_code == 200 and MARK.decode() not in signed_in.headers
    assert dict(_cache(reader).entries) == before
    # Other methods go through the whole app (HEAD: 405); the mark never leaves the server.
    head = reader.head(PROFILE)
    assert MARK.decode() not in head.headers
