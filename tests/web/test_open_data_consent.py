"""Open data (#17) acceptance: every consent state against every public route and download.

Facilities of one generated dataset are put in every state (never published, published,
some groups only, some years only, withdrawn, withdrawn then republished, published from a
future date, and a park member that does not publish while another member does). Then every
public answer (search pages and filters, profiles, aggregates, the release list and every
file of every release) is read and checked: no value that consent does not cover, no trace
of a subject that is not published, the published values complete, a withdrawal effective on
the very next request, and the downloads re-read with Polars equal to the API's values.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factory_journey.demo import generate_dataset
from factory_journey.engine.open_data import long_values
from factory_journey.ingest import read_dataset
from factory_journey.services.open_data.refresh import refresh
from factory_journey.services.platform import accounts, imports, results
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import AuditEvent, Facility, PublicationConsent
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url

PASSWORD = "correct horse battery"
FACILITIES = 9  # ids FJ-0001 … FJ-0009: none is a prefix of another
YEARS = [2022, 2023]
ALL = ["energy", "ghg", "water", "wastewater", "waste", "air", "chemicals", "ems"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    app = create_app(engine, Settings("development", None, secure_cookies=False,
                                      demo_accounts=False))
    factory = session_factory(engine)
    folder = tmp_path_factory.mktemp("open-data-dataset")
    for name, frame in generate_dataset(FACILITIES, YEARS, seed=7, messiness=0.0).items():
        frame.write_csv(folder / f"{name}.csv")
    dataset = read_dataset(folder)
    assert dataset.ok
    tokens = {}
    with transaction(factory) as session:
        group = accounts.create_organisation(session, "Group", "factory_group")
        other = accounts.create_organisation(session, "Other", "factory_group")
        for name, org, role in (("admin", group, "admin"), ("viewer", group, "viewer"),
                                ("outsider", other, "admin")):
            accounts.create_user(session, f"{name}@test.example", PASSWORD, name, org, role)
    with transaction(factory) as session:
        for name in ("admin", "viewer", "outsider"):
            tokens[name] = accounts.sign_in(session, f"{name}@test.example", PASSWORD)
        actor = accounts.actor_for_token(session, tokens["admin"])
        upload = imports.store_upload(session, actor, "all.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, actor, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems
    # The park state: FJ-0008 joins FJ-0002's park (as a park operator's record would say).
    with transaction(factory) as session:
        session.get(Facility, "FJ-0008").park_id = "BD-PARK-01"
    yield TestClient(app), tokens, factory, folder
    engine.dispose()


def _as(tokens, name):
    return {"Authorization": f"Bearer {tokens[name]}"}


def _publish(client, tokens, facility_id, **body):
    body.setdefault("groups", ALL)
    answer = client.put(f"/api/facilities/{facility_id}/publication", json=body,
                        headers=_as(tokens, "admin"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _withdraw(client, tokens, facility_id):
    answer = client.delete(f"/api/facilities/{facility_id}/publication",
                           headers=_as(tokens, "admin"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["consent"] is None
    return answer.json()


def _refresh(factory) -> None:
    """What `journey open-data refresh` does."""
    with transaction(factory) as session:
        refresh(session)


def _private_values(factory, token, facility_id) -> pl.DataFrame:
    """What the facility's own matrix holds, in the published long form (the oracle)."""
    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        body = json.loads(results.matrix_json(session, actor, facility_id))
    return long_values(pl.DataFrame(body["matrix"], infer_schema_length=None))


def _all_public(client, ids):
    """Every public answer: (label, status, bytes, the facility id the request named)."""
    out = []
    page = 1
    while True:
        answer = client.get("/api/public/facilities", params={"per_page": 2, "page": page})
        out.append((f"search page {page}", answer.status_code, answer.content, None))
        if not answer.json()["items"]:
            break
        page += 1
    for facility_id in ids:
        answer = client.get(f"/api/public/facilities/{facility_id}")
        out.append((f"profile {facility_id}", answer.status_code, answer.content, facility_id))
        answer = client.get("/api/public/facilities", params={"q": facility_id})
        out.append((f"search q={facility_id}", answer.status_code, answer.content, facility_id))
    for country in ("BD", "CN", "KH", "VN", "IN", "TR"):
        answer = client.get("/api/public/facilities", params={"country": country})
        out.append((f"search country={country}", answer.status_code, answer.content, None))
    answer = client.get("/api/public/aggregates")
    out.append(("aggregates", answer.status_code, answer.content, None))
    # The public pages, signed out (every language reads the same snapshot).
    for lang in ("en", "vi"):
        client.cookies.set("journey_lang", lang)
        page = 1
        while True:
            answer = client.get("/open-data", params={"page": page})
            out.append((f"search page {page} ({lang})", answer.status_code, answer.content,
                        None))
            if b"/open-data/facilities/" not in answer.content or page > len(ids):
                break
            page += 1
        for facility_id in ids:
            answer = client.get(f"/open-data/facilities/{facility_id}")
            out.append((f"page {facility_id} ({lang})", answer.status_code, answer.content,
                        facility_id))
            answer = client.get("/open-data", params={"q": facility_id})
            out.append((f"search page q={facility_id}", answer.status_code, answer.content,
                        facility_id))
        client.cookies.clear()
    listing = client.get("/api/public/releases")
    out.append(("releases", listing.status_code, listing.content, None))
    for release in ["latest", *[str(r["id"]) for r in listing.json()["releases"]]]:
        for name in ("values.csv", "values.parquet", "values.json", "facilities.json",
                     "dictionary.csv", "LICENCE.txt", "SHA256SUMS"):
            answer = client.get(f"/api/public/releases/{release}/{name}")
            out.append((f"release {release} {name}", answer.status_code, answer.content, None))
    return out


def _release_rows(content: bytes, name: str) -> pl.DataFrame:
    if name == "values.parquet":
        return pl.read_parquet(io.BytesIO(content))
    if name == "values.json":
        return pl.read_json(io.BytesIO(content), schema=_SCHEMA)
    frame = pl.read_csv(io.BytesIO(content), schema_overrides={"year": pl.Int32})
    # CSV text cells that a spreadsheet would run as formulas carry a leading ' (OWASP).
    return frame.with_columns(
        pl.col(c).str.replace(r"^'([=+\-@\t\r])", "$1")
        for c, t in frame.schema.items() if t == pl.String
    )


_SCHEMA = {
    "subject_kind": pl.String, "subject_id": pl.String, "name": pl.String,
    "country_iso2": pl.String, "park_id": pl.String, "os_hub_id": pl.String,
    "licence_id": pl.String, "methodology_version": pl.String, "year": pl.Int32,
    "indicator_group": pl.String, "indicator": pl.String, "value": pl.Float64,
    "value_text": pl.String, "unit": pl.String, "verification_status": pl.String,
}
_KEY = ["subject_id", "year", "indicator", "value", "value_text", "unit", "verification_status"]


def _api_rows(client, facility_ids) -> pl.DataFrame:
    rows = []
    for facility_id in facility_ids:
        body = client.get(f"/api/public/facilities/{facility_id}").json()
        for year in body["years"]:
            for item in year["values"]:
                rows.append({"subject_id": facility_id, "year": year["year"],
                             "indicator": item["indicator"], "value": item["value"],
                             "value_text": item["value_text"], "unit": item["unit"],
                             "verification_status": item["verification_status"]})
    return pl.DataFrame(rows, schema={k: _SCHEMA[k] for k in _KEY})


def test_every_consent_state_shows_only_consented_values(world):
    client, tokens, factory, _ = world
    ids = [f"FJ-{n:04d}" for n in range(1, FACILITIES + 1)]
    profiles = pl.read_csv(world[3] / "profiles.csv").unique("facility_id")
    names = dict(zip(profiles["facility_id"], profiles["facility_name"], strict=True))
    os_hub = dict(zip(profiles["facility_id"], profiles["sip_osh_id"], strict=True))

    # Nothing is public by default.
    assert client.get("/api/public/facilities").json()["total"] == 0
    assert "No published facility matches." in client.get("/open-data").text
    assert client.get("/api/public/releases/latest/values.csv").status_code == 404

    expected = {  # facility → (groups, years) that must be visible in the end
        "FJ-0002": (ALL, YEARS),
        "FJ-0003": (["energy", "water"], YEARS),
        "FJ-0004": (ALL, [2023]),
        "FJ-0006": (["ghg", "wastewater"], [2022]),
    }
    _publish(client, tokens, "FJ-0002")
    _publish(client, tokens, "FJ-0003", groups=["water", "energy"])
    _publish(client, tokens, "FJ-0004", years=[2023])
    _publish(client, tokens, "FJ-0005")
    _publish(client, tokens, "FJ-0006", licence="CC0-1.0")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    _publish(client, tokens, "FJ-0007", effective_from=tomorrow)

    # A publication is in the API at once, in the downloads from the next refresh.
    assert client.get("/api/public/facilities/FJ-0002").status_code == 200
    assert client.get("/api/public/releases/latest/values.csv").status_code == 404
    _refresh(factory)

    # A withdrawal is effective on the very next request: profile, ETag, releases.
    before = client.get("/api/public/facilities/FJ-0005")
    assert before.status_code == 200
    etag = before.headers["ETag"]
    assert client.get("/api/public/facilities/FJ-0005",
                      headers={"If-None-Match": etag}).status_code == 304
    held = client.get("/api/public/releases/latest/values.csv")
    assert b"FJ-0005" in held.content
    held_release = held.headers["X-Release"]
    _withdraw(client, tokens, "FJ-0005")
    assert client.get("/api/public/facilities/FJ-0005",
                      headers={"If-None-Match": etag}).status_code == 404
    assert client.get(f"/api/public/releases/{held_release}/values.csv").status_code == 410
    assert b"FJ-0005" not in client.get("/api/public/releases/latest/values.csv").content

    # Withdrawn then republished, narrower.
    _withdraw(client, tokens, "FJ-0006")
    assert client.get("/api/public/facilities/FJ-0006").status_code == 404
    _publish(client, tokens, "FJ-0006", groups=["ghg", "wastewater"], years=[2022])

    # The park state: a member of a park publishes, another member does not.
    hidden = [fid for fid in ids if fid not in expected]
    assert "FJ-0001" in hidden and "FJ-0005" in hidden and "FJ-0007" in hidden

    _refresh(factory)
    answers = _all_public(client, ids)
    for label, status, content, asked in answers:
        assert status in (200, 404, 410), (label, status)
        assert b"@test.example" not in content, label  # no personal data: no e-mail
        for fid in hidden:  # no trace of an unpublished facility anywhere
            if fid != asked:  # (a page may repeat the id its own address names)
                assert fid.encode() not in content, (label, fid)
            assert names[fid].encode() not in content, (label, fid)
            if os_hub[fid]:
                assert os_hub[fid].encode() not in content, (label, fid)
    listed = client.get("/api/public/facilities", params={"park": "BD-PARK-01"}).json()
    assert [i["id"] for i in listed["items"]] == ["FJ-0002"]  # FJ-0008, same park: not
    for fid in ("FJ-0004", "FJ-0001"):  # published / never published, both with an OS Hub id
        found = client.get("/api/public/facilities", params={"os_hub_id": os_hub[fid]}).json()
        assert [i["id"] for i in found["items"]] == ([fid] if fid in expected else [])
    named = client.get("/api/public/facilities", params={"q": names["FJ-0003"][:8].lower()})
    assert "FJ-0003" in [i["id"] for i in named.json()["items"]]

    for fid in ids:
        answer = client.get(f"/api/public/facilities/{fid}")
        if fid not in expected:
            assert answer.status_code == 404
            continue
        groups, years = expected[fid]
        body = answer.json()
        assert answer.headers["Cache-Control"] == "public, no-cache"
        seen = {(y["year"], v["group"], v["indicator"]) for y in body["years"]
                for v in y["values"]}
        private = _private_values(factory, tokens["admin"], fid)
        wanted = {
            (r["year"], r["indicator_group"], r["indicator"])
            for r in private.iter_rows(named=True)
            if r["indicator_group"] in groups and r["year"] in years
        }
        assert wanted, fid  # the state is not vacuous
        assert seen == wanted, fid  # nothing unconsented, nothing consented missing
        for item in body["discharge"]:
            assert "wastewater" in groups and item["year"] in years
        assert body["licence"]["id"] == ("CC0-1.0" if fid == "FJ-0006" else "CC-BY-4.0")
        html = client.get(f"/open-data/facilities/{fid}").text
        for _year, group, indicator in {
            (r["year"], r["indicator_group"], r["indicator"])
            for r in private.iter_rows(named=True)
        } - wanted:
            if group not in groups:  # an indicator of a group not consented: nowhere
                assert f">{indicator}<" not in html, (fid, indicator)
        for _year, _group, indicator in wanted:
            assert f">{indicator}<" in html, (fid, indicator)
        assert body["methodology_version"] and body["reference_versions"]

    # Downloads: every value row consented, and equal to the API's values.
    api = _api_rows(client, sorted(expected)).sort(_KEY)
    for name in ("values.parquet", "values.json", "values.csv"):
        content = client.get(f"/api/public/releases/latest/{name}").content
        rows = _release_rows(content, name)
        for row in rows.iter_rows(named=True):
            groups, years = expected[row["subject_id"]]
            assert row["indicator_group"] in groups and row["year"] in years, (name, row)
        assert rows.select(_KEY).sort(_KEY).equals(api), name

    # Aggregates: only groups of at least 5 contributors (here: none has 5 publishers).
    aggregates = client.get("/api/public/aggregates").json()
    assert aggregates["min_contributors"] == 5
    assert all(group["contributors"] >= 5 for group in aggregates["groups"])

    # Every publication and withdrawal is in the audit log: who, when, what.
    with transaction(factory) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("publication.%"))
        ).all()
        kinds = [(e.action, e.entity_id) for e in events]
        assert kinds.count(("publication.publish", "FJ-0006")) == 2
        assert ("publication.withdraw", "FJ-0005") in kinds
        assert all(e.user_id and e.at for e in events)
        assert all("groups" in e.detail for e in events if e.action == "publication.publish")


def test_only_the_facility_admin_publishes(world):
    client, tokens, *_ = world
    body = {"groups": ["energy"]}
    viewer = client.put("/api/facilities/FJ-0008/publication", json=body,
                        headers=_as(tokens, "viewer"))
    assert viewer.status_code == 403
    outsider = client.put("/api/facilities/FJ-0008/publication", json=body,
                          headers=_as(tokens, "outsider"))
    assert outsider.status_code == 404
    anonymous = client.put("/api/facilities/FJ-0008/publication", json=body)
    assert anonymous.status_code == 401
    assert client.get("/api/public/facilities/FJ-0008").status_code == 404
    bad = client.put("/api/facilities/FJ-0008/publication",
                     json={"groups": ["energy"], "licence": "MIT"}, headers=_as(tokens, "admin"))
    assert bad.status_code == 422
    assert client.get("/api/public/facilities/FJ-0008").status_code == 404


def _search_ids(client) -> set[str]:
    body = client.get("/api/public/facilities", params={"per_page": 100}).json()
    return {item["id"] for item in body["items"]}


def test_an_effective_date_reached_and_a_withdrawal_change_cached_answers(world):
    """Activation of a dated consent and a withdrawal, with the same number of subjects
    visible before and after, never serve the page cached before."""
    client, tokens, factory, _ = world
    _publish(client, tokens, "FJ-0009")
    _publish(client, tokens, "FJ-0008", effective_from="2099-01-01T00:00:00Z")
    before = _search_ids(client)
    assert "FJ-0009" in before and "FJ-0008" not in before
    _withdraw(client, tokens, "FJ-0009")
    with transaction(factory) as session:  # the date of FJ-0008's consent comes
        consent = session.scalars(
            select(PublicationConsent).where(
                PublicationConsent.subject_id == "FJ-0008",
                PublicationConsent.withdrawn_at.is_(None),
            )
        ).one()
        consent.effective_from = datetime.now(UTC) - timedelta(seconds=1)
    after = _search_ids(client)
    assert len(after) == len(before)
    assert "FJ-0009" not in after and "FJ-0008" in after
    assert client.get("/api/public/facilities/FJ-0008").status_code == 200


def test_a_narrower_consent_retires_the_releases_made_under_the_wider_one(world):
    client, tokens, factory, _ = world
    _publish(client, tokens, "FJ-0001")
    _refresh(factory)
    held = client.get("/api/public/releases/latest/values.parquet")
    rows = pl.read_parquet(io.BytesIO(held.content)).filter(pl.col("subject_id") == "FJ-0001")
    assert rows["indicator_group"].n_unique() > 1
    _publish(client, tokens, "FJ-0001", groups=["energy"])  # narrower: on the next request
    assert client.get(f"/api/public/releases/{held.headers['X-Release']}/values.parquet"
                      ).status_code == 410
    latest = client.get("/api/public/releases/latest/values.parquet")
    rows = pl.read_parquet(io.BytesIO(latest.content)).filter(pl.col("subject_id") == "FJ-0001")
    assert set(rows["indicator_group"]) == {"energy"}
    _publish(client, tokens, "FJ-0001", groups=["energy", "water"])  # wider: release stays
    assert client.get("/api/public/releases/latest/values.parquet").headers["X-Release"] == \
        latest.headers["X-Release"]


def test_the_consent_page_keeps_a_refused_form_and_publishes_a_good_one(world):
    client, tokens, *_ = world
    from factory_journey.web.pages.shell import PAGE_COOKIE, form_token

    token = tokens["admin"]
    client.cookies.set(PAGE_COOKIE, token)
    try:
        page = client.get("/facilities/FJ-0003/publishing")
        assert page.status_code == 200 and "Groups of indicators to publish" in page.text
        refused = client.post(
            "/facilities/FJ-0003/publishing",
            data={"csrf_token": form_token(token), "years": "2023",
                  "effective_from": "31/01/2027"},
            follow_redirects=False,
        )
        assert refused.status_code == 422
        assert "Choose at least one group" in refused.text
        assert "Give the date as YYYY-MM-DD" in refused.text
        assert 'value="31/01/2027"' in refused.text  # what was typed is kept
        assert 'id="year-2023" name="years" value="2023" checked' in refused.text
        done = client.post(
            "/facilities/FJ-0003/publishing",
            data={"csrf_token": form_token(token), "groups": ["energy"], "years": "2023"},
            follow_redirects=False,
        )
        assert done.status_code == 303
    finally:
        client.cookies.clear()
    body = client.get("/api/public/facilities/FJ-0003").json()
    assert [y["year"] for y in body["years"]] == [2023]
    assert {v["group"] for v in body["years"][0]["values"]} == {"energy"}
