"""Open data (#17) acceptance for parks: every park consent state against every public route,
page and download (the park half of test_open_data_consent.py).

The park pilot's three parks are recorded by a park operator, and their members are a factory
group's facilities on the platform; a fourth park (the hand park) belongs to another operator.
States: never published (the hand park), published in full (Viet Nam), some years only then
withdrawn (Kenya, 4 members: no total over members may come out), withdrawn then republished
with some groups only (Ethiopia), and park published but member not (one Viet Nam member
publishes itself, the others do not). At two moments every public answer is read and checked
against the operator's private frames: no unconsented group or year, no member's own value,
no total over fewer than 5 members, no trace of a park or member not published, the consented
values complete, a withdrawal effective on the very next request, and the downloads re-read
with Polars equal to the API's values.
"""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factory_journey.demo.parks import park_pilot_dataset_path
from factory_journey.ingest import read_dataset
from factory_journey.services.open_data.refresh import refresh
from factory_journey.services.parks import assess_park_dataset
from factory_journey.services.platform import accounts, imports
from factory_journey.services.platform import parks as park_service
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import AuditEvent
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url
from tests.engine.parks.hand_park import FRAMEWORK, write_park

PASSWORD = "correct horse battery"
PARK_GROUPS = ["park_indicators", "shared_facilities", "requirement_results", "pillar_scores"]
YEARS = [2021, 2022, 2023]
MIN = 5
#: Park indicators that are the park's own facts (no member's value in them).
OWN = {"members", "members_assessed", "shared_facilities", "has_central_effluent_plant",
       "central_plant_zdhc_pass"}
USERS = (("op", "Operator", "park_operator", "admin"), ("ed", "Operator", "park_operator",
         "editor"), ("opviewer", "Operator", "park_operator", "viewer"),
         ("op2", "Other operator", "park_operator", "admin"),
         ("factory", "Group", "factory_group", "admin"))


@pytest.fixture(scope="module")
def parks_world(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    app = create_app(engine, Settings("development", None, secure_cookies=False,
                                      demo_accounts=False))
    factory = session_factory(engine)
    pilot = park_pilot_dataset_path()
    dataset = read_dataset(pilot)
    assert dataset.ok
    with transaction(factory) as session:
        organisations = {}
        for name, org, kind, role in USERS:
            if org not in organisations:
                organisations[org] = accounts.create_organisation(session, org, kind)
            accounts.create_user(session, f"{name}@test.example", PASSWORD, name,
                                 organisations[org], role)
    tokens = {}
    with transaction(factory) as session:
        for name, *_ in USERS:
            tokens[name] = accounts.sign_in(session, f"{name}@test.example", PASSWORD)
        actor = accounts.actor_for_token(session, tokens["factory"])
        upload = imports.store_upload(session, actor, "pilot.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, actor, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems
    with transaction(factory) as session:
        park_service.store_park_dataset(
            session, accounts.actor_for_email(session, "op@test.example"), "pilot.zip",
            park_service.zip_folder(pilot))
        park_service.store_park_dataset(
            session, accounts.actor_for_email(session, "op2@test.example"), "hand.zip",
            park_service.zip_folder(write_park(tmp_path_factory.mktemp("hand"))), [FRAMEWORK])
    frames = assess_park_dataset(pilot, None).result.frames()
    yield TestClient(app), tokens, factory, frames
    engine.dispose()


def _as(tokens, name):
    return {"Authorization": f"Bearer {tokens[name]}"}


def _park(client, tokens, park_id, who="op", **body):
    body.setdefault("groups", PARK_GROUPS)
    answer = client.put(f"/api/parks/{park_id}/publication", json=body, headers=_as(tokens, who))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _withdraw_park(client, tokens, park_id):
    answer = client.delete(f"/api/parks/{park_id}/publication", headers=_as(tokens, "op"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["consent"] is None and not answer.json()["published"]


def _refresh(factory) -> None:
    with transaction(factory) as session:
        refresh(session)


def _all_public(client, park_ids, member_ids):
    """Every public answer: (label, status, bytes)."""
    out = []
    for params in ({}, {"q": "demo"}, {"country": "VN"}, {"country": "KE"}, {"per_page": 1}):
        answer = client.get("/api/public/parks", params=params)
        out.append((f"parks {params}", answer.status_code, answer.content))
    for page in (1, 2, 3):
        answer = client.get("/api/public/facilities", params={"per_page": 5, "page": page})
        out.append((f"facilities page {page}", answer.status_code, answer.content))
    for park_id in park_ids:
        for path in (f"/api/public/parks/{park_id}", f"/api/public/parks?q={park_id}",
                     f"/api/public/facilities?park={park_id}"):
            answer = client.get(path)
            out.append((path, answer.status_code, answer.content))
    for member in member_ids:
        answer = client.get(f"/api/public/facilities/{member}")
        out.append((f"member {member}", answer.status_code, answer.content))
    out.append(("aggregates", *_get(client, "/api/public/aggregates")))
    for lang in ("en", "vi"):
        client.cookies.set("journey_lang", lang)
        for park_id in park_ids:
            for path in (f"/open-data/parks/{park_id}", f"/open-data?q={park_id}",
                         f"/open-data?park={park_id}"):
                out.append((f"{path} ({lang})", *_get(client, path)))
        out.append((f"/open-data ({lang})", *_get(client, "/open-data")))
        client.cookies.clear()
    listing = client.get("/api/public/releases")
    out.append(("releases", listing.status_code, listing.content))
    for release in ["latest", *[str(r["id"]) for r in listing.json()["releases"]]]:
        for name in ("values.csv", "values.parquet", "values.json", "facilities.json",
                     "dictionary.csv", "LICENCE.txt", "SHA256SUMS"):
            out.append((f"release {release} {name}",
                        *_get(client, f"/api/public/releases/{release}/{name}")))
    return out


def _get(client, path):
    answer = client.get(path)
    return answer.status_code, answer.content


def _park_rows(client, park_id) -> list[dict]:
    body = client.get(f"/api/public/parks/{park_id}").json()
    return [{"subject_id": park_id, "year": y["year"], "indicator_group": v["group"],
             "indicator": v["indicator"], "value": v["value"], "value_text": v["value_text"],
             "unit": v["unit"], "verification_status": v["verification_status"]}
            for y in body["years"] for v in y["values"]]


def _member_values(frames, park_id) -> set[float]:
    """Every own value of the park's members (the numbers that must not come out)."""
    members = frames["park_members"].filter(pl.col("park_id") == park_id)
    out = set()
    for column in ("energy_total_mj", "water_withdrawal_m3", "wastewater_m3", "ghg_kgco2e",
                   "employees", "wastewater_to_central_m3"):
        out |= {round(float(v), 6) for v in members[column].drop_nulls().to_list() if v}
    return out


def _check(client, frames, expected, hidden_parks, published_members, hidden_members):
    """The whole oracle at one moment; `expected`: park → (groups, years) in force."""
    indicators = frames["park_indicators"]
    answers = _all_public(client, sorted({*expected, *hidden_parks}),
                          [*published_members, *hidden_members])
    names = dict(zip(frames["parks"]["park_id"], frames["parks"]["park_name"], strict=True))
    names["P1"] = "Hand Park"
    for label, status, content in answers:
        assert status in (200, 404, 410), (label, status)
        assert b"@test.example" not in content, label
        for park_id in hidden_parks:
            if park_id in names:
                assert names[park_id].encode() not in content, (label, park_id)
            if park_id not in label:  # a page may repeat the id its own address names
                for shown in (park_id, f'"{park_id}"', f">{park_id}<", f"/{park_id}"):
                    if len(shown) >= 6:  # "P1" alone is in many a checksum
                        assert shown.encode() not in content, (label, park_id)
        for member in hidden_members:
            if member not in label:
                assert member.encode() not in content, (label, member)

    for park_id in hidden_parks:
        assert client.get(f"/api/public/parks/{park_id}").status_code == 404
        assert client.get(f"/open-data/parks/{park_id}").status_code == 404
    api_rows = []
    for park_id, (groups, years) in expected.items():
        answer = client.get(f"/api/public/parks/{park_id}")
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == \
            "public, no-cache" and answer.headers["ETag"]
        body = answer.json()
        rows = _park_rows(client, park_id)
        api_rows += rows
        assert rows, park_id  # not vacuous
        members = _member_values(frames, park_id)
        ours = indicators.filter(pl.col("park_id") == park_id)
        for row in rows:
            assert row["indicator_group"] in groups and row["year"] in years, row
            if row["value"] is not None and row["indicator"] not in OWN:
                assert round(row["value"], 6) not in members, row  # no member's own value
            if row["indicator_group"] == "park_indicators" and row["indicator"] not in OWN:
                year = ours.filter(pl.col("year") == row["year"])
                count = year.filter(pl.col("indicator") == "members")["value"][0]
                assert count >= MIN, row  # no total over fewer than 5 members
                raw = year.filter(pl.col("indicator") == row["indicator"]).row(0, named=True)
                if raw["members_value"] is not None:
                    shared = year.filter(pl.col("indicator") == "shared_facilities")["value"][0]
                    behind = raw["reporting"] - (shared if raw["shared_value"] is not None
                                                 else 0)
                    assert behind >= MIN, row
        seen = {(r["indicator_group"], r["year"]) for r in rows}
        for group in groups:  # what consent covers is there
            for year in years:
                assert (group, year) in seen, (park_id, group, year)
        pillars = frames["pillar_scores"].filter(pl.col("park_id") == park_id,
                                                 pl.col("year").is_in(years))
        if "pillar_scores" in groups:
            got = {(r["year"], r["indicator"]): r["value"] for r in rows
                   if r["indicator_group"] == "pillar_scores"}
            assert got == {(r["year"], r["pillar"]): r["score"]
                           for r in pillars.iter_rows(named=True)}
        plants = frames["park_shared_facilities"].filter(
            pl.col("park_id") == park_id, pl.col("type") == "central_effluent_treatment",
            pl.col("year").is_in(years))
        if "shared_facilities" in groups:
            assert {(d["year"], d["status"]) for d in body["discharge"]} == {
                (r["year"], r["zdhc_status"]) for r in plants.iter_rows(named=True)}
        else:
            assert body["discharge"] == []
        assert body["methodology_version"].startswith("ifeip2")
        ours_members = set(frames["park_members"].filter(pl.col("park_id") == park_id)
                           ["facility_id"].to_list())
        listed = [m for m in published_members if m in ours_members]
        assert [m["id"] for m in body["members"]] == listed
        page = client.get(f"/open-data/parks/{park_id}").text
        for member in listed:
            assert f'href="/open-data/facilities/{member}"' in page
        for row in rows:
            if row["indicator_group"] == "pillar_scores":
                assert f">{row['indicator']}<" in page

    # Downloads: the park rows of every values file, re-read with Polars, equal the API's.
    key = ["subject_id", "year", "indicator_group", "indicator", "value", "value_text", "unit",
           "verification_status"]
    api = pl.DataFrame(api_rows, schema={**_SCHEMA}).select(key).sort(key)
    for name in ("values.parquet", "values.json", "values.csv"):
        content = client.get(f"/api/public/releases/latest/{name}").content
        rows = _release_rows(content, name).filter(pl.col("subject_kind") == "park")
        assert rows.select(key).sort(key).equals(api), name
    dictionary = client.get("/api/public/releases/latest/dictionary.csv").text
    assert "not yet" not in dictionary and "park indicator=energy_total_mj" in dictionary


_SCHEMA = {"subject_id": pl.String, "year": pl.Int32, "indicator_group": pl.String,
           "indicator": pl.String, "value": pl.Float64, "value_text": pl.String,
           "unit": pl.String, "verification_status": pl.String}


def _release_rows(content: bytes, name: str) -> pl.DataFrame:
    if name == "values.parquet":
        return pl.read_parquet(io.BytesIO(content))
    if name == "values.json":
        return pl.DataFrame(json.loads(content), schema_overrides={"year": pl.Int32},
                            infer_schema_length=None)
    frame = pl.read_csv(io.BytesIO(content), schema_overrides={"year": pl.Int32},
                        infer_schema_length=None)
    return frame.with_columns(
        pl.col(c).str.replace(r"^'([=+\-@\t\r])", "$1")
        for c, t in frame.schema.items() if t == pl.String
    )


def test_every_park_consent_state_shows_only_consented_values(parks_world):
    client, tokens, factory, frames = parks_world
    members = sorted(frames["park_members"]["facility_id"].unique().to_list())
    vn_member = sorted(frames["park_members"].filter(pl.col("park_id") == "DEMO-VN-01")
                       ["facility_id"].unique().to_list())[0]

    # Nothing is public by default.
    assert client.get("/api/public/parks").json()["total"] == 0
    for park_id in ("DEMO-ET-01", "DEMO-KE-01", "DEMO-VN-01", "P1"):
        assert client.get(f"/api/public/parks/{park_id}").status_code == 404

    _park(client, tokens, "DEMO-VN-01")  # published in full
    _park(client, tokens, "DEMO-KE-01", who="ed", years=[2023])  # some years; 4 members
    _park(client, tokens, "DEMO-ET-01")
    _withdraw_park(client, tokens, "DEMO-ET-01")  # withdrawn
    answer = client.put(f"/api/facilities/{vn_member}/publication",
                        json={"groups": ["energy", "wastewater"]},
                        headers=_as(tokens, "factory"))  # a member publishes itself
    assert answer.status_code == 200, answer.text
    _refresh(factory)
    hidden_members = [m for m in members if m != vn_member]
    _check(client, frames, {"DEMO-VN-01": (PARK_GROUPS, YEARS),
                            "DEMO-KE-01": (PARK_GROUPS, [2023])},
           ["DEMO-ET-01", "P1"], [vn_member], hidden_members)
    ke = client.get("/api/public/parks/DEMO-KE-01").json()
    assert {v["indicator"] for y in ke["years"] for v in y["values"]
            if v["group"] == "park_indicators"} <= OWN  # 4 members: no total of theirs
    found = client.get("/api/public/parks", params={"q": "demo mekong"}).json()
    assert [i["id"] for i in found["items"]] == ["DEMO-VN-01"]
    listed = client.get("/api/public/facilities", params={"park": "DEMO-VN-01"}).json()
    assert [i["id"] for i in listed["items"]] == [vn_member]
    for params in ({"q": "DEMO-VN-01"}, {"park": "DEMO-VN-01"}):  # the park; its members
        search_page = client.get("/open-data", params=params).text
        assert 'href="/open-data/parks/DEMO-VN-01"' in search_page
    assert f'href="/open-data/facilities/{vn_member}"' in search_page

    # A withdrawal is effective on the very next request: profile, ETag, releases, pages.
    before = client.get("/api/public/parks/DEMO-KE-01")
    etag = before.headers["ETag"]
    assert client.get("/api/public/parks/DEMO-KE-01",
                      headers={"If-None-Match": etag}).status_code == 304
    held = client.get("/api/public/releases/latest/values.csv")
    assert b"DEMO-KE-01" in held.content
    _withdraw_park(client, tokens, "DEMO-KE-01")
    assert client.get("/api/public/parks/DEMO-KE-01",
                      headers={"If-None-Match": etag}).status_code == 404
    assert client.get("/open-data/parks/DEMO-KE-01").status_code == 404
    assert client.get(f"/api/public/releases/{held.headers['X-Release']}/values.csv"
                      ).status_code == 410
    assert b"DEMO-KE-01" not in client.get("/api/public/releases/latest/values.csv").content

    # Withdrawn then republished, some groups and years only.
    _park(client, tokens, "DEMO-ET-01", groups=["shared_facilities", "pillar_scores"],
          years=[2022, 2023], licence="CC0-1.0")
    _refresh(factory)
    _check(client, frames, {"DEMO-VN-01": (PARK_GROUPS, YEARS),
                            "DEMO-ET-01": (["shared_facilities", "pillar_scores"], [2022, 2023])},
           ["DEMO-KE-01", "P1"], [vn_member], hidden_members)
    assert client.get("/api/public/parks/DEMO-ET-01").json()["licence"]["id"] == "CC0-1.0"

    # Every publication and withdrawal of a park is in the audit log: who, when, what.
    with transaction(factory) as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.action.like("publication.%"), AuditEvent.entity == "park")).all()
        kinds = [(e.action, e.entity_id) for e in events]
        assert kinds.count(("publication.publish", "DEMO-ET-01")) == 2
        assert ("publication.withdraw", "DEMO-KE-01") in kinds
        assert all(e.user_id and e.at for e in events)
        assert all("groups" in e.detail for e in events if e.action == "publication.publish")


def test_only_the_park_operators_writers_publish_its_park(parks_world):
    client, tokens, *_ = parks_world
    body = {"groups": ["pillar_scores"]}
    path = "/api/parks/P1/publication"
    assert client.put(path, json=body, headers=_as(tokens, "op")).status_code == 404
    assert client.put(path, json=body, headers=_as(tokens, "factory")).status_code == 404
    assert client.put(path, json=body).status_code == 401
    viewer = client.put("/api/parks/DEMO-VN-01/publication", json=body,
                        headers=_as(tokens, "opviewer"))
    assert viewer.status_code == 403
    bad = client.put("/api/parks/P1/publication", json={"groups": ["energy"]},
                     headers=_as(tokens, "op2"))
    assert bad.status_code == 422
    assert client.get("/api/public/parks/P1").status_code == 404
    state = client.get(path, headers=_as(tokens, "op2")).json()
    assert state["published"] is False and state["groups_available"] == PARK_GROUPS
    assert state["years_available"] == [2024]


def test_the_park_consent_page_keeps_a_refused_form_and_publishes_a_good_one(parks_world):
    client, tokens, *_ = parks_world
    from factory_journey.web.pages.shell import PAGE_COOKIE, form_token

    path = "/parks/DEMO-KE-01/publishing"
    try:
        client.cookies.set(PAGE_COOKIE, tokens["opviewer"])
        assert client.get(path).status_code == 403
        client.cookies.set(PAGE_COOKIE, tokens["op2"])
        assert client.get(path).status_code == 404
        token = tokens["op"]
        client.cookies.set(PAGE_COOKIE, token)
        park_page = client.get("/parks/DEMO-KE-01")
        assert f'href="{path}"' in park_page.text
        page = client.get(path)
        assert page.status_code == 200 and "Nothing of this park is public" in page.text
        assert 'value="pillar_scores"' in page.text and 'value="energy"' not in page.text
        refused = client.post(path, data={"csrf_token": form_token(token), "years": "2023"},
                              follow_redirects=False)
        assert refused.status_code == 422
        assert "Choose at least one group" in refused.text
        assert 'id="year-2023" name="years" value="2023" checked' in refused.text
        done = client.post(path, data={"csrf_token": form_token(token),
                                       "groups": ["pillar_scores"], "years": "2022"},
                           follow_redirects=False)
        assert done.status_code == 303
        body = client.get("/api/public/parks/DEMO-KE-01").json()
        assert [y["year"] for y in body["years"]] == [2022]
        assert {v["group"] for v in body["years"][0]["values"]} == {"pillar_scores"}
        withdrawn = client.post(f"{path}/withdraw", data={"csrf_token": form_token(token)},
                                follow_redirects=False)
        assert withdrawn.status_code == 303
        assert client.get("/api/public/parks/DEMO-KE-01").status_code == 404
    finally:
        client.cookies.clear()


def test_a_published_park_is_no_peer_in_the_facilities_aggregates(parks_world):
    client, tokens, _factory, frames = parks_world
    vn = sorted(frames["park_members"].filter(pl.col("park_id") == "DEMO-VN-01")
                ["facility_id"].unique().to_list())
    assert len(vn) == 5
    _park(client, tokens, "DEMO-VN-01", groups=["park_indicators"])  # energy_total_mj
    for member in vn[:4]:  # four Vietnamese facilities publish energy, with the park: 5 rows
        answer = client.put(f"/api/facilities/{member}/publication",
                            json={"groups": ["energy"]}, headers=_as(tokens, "factory"))
        assert answer.status_code == 200, answer.text
    groups = client.get("/api/public/aggregates").json()["groups"]
    assert not [g for g in groups if g["country_iso2"] == "VN"]  # 4 facilities: no group
    for member in vn[:4]:
        client.delete(f"/api/facilities/{member}/publication", headers=_as(tokens, "factory"))
