"""The platform against its peers (#14): a peer snapshot over every facility, versioned and
named in each result, and the same result through `journey assess --peer-snapshot`."""

from __future__ import annotations

import dataclasses
import json
import time

import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.engine.assessment import default_methodology
from factory_journey.engine.assessment.peers import empty_peer_table
from factory_journey.ingest import read_dataset
from factory_journey.services.assessment import assess_dataset, load_peer_snapshot_file
from factory_journey.services.platform import accounts, imports, peers, results
from factory_journey.services.platform.verification import UNVERIFIED
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import AssessmentSnapshot, PeerSnapshot
from tests.database import test_database_url
from tests.web.generated_platform import generated_platform

FACILITIES = 60


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """A platform holding FACILITIES generated facilities (2023), and the dataset's folder."""
    made = generated_platform(tmp_path_factory, "peers-dataset", FACILITIES, [2023], seed=5)
    engine, factory, token, folder, url = (made.engine, made.factory, made.token,
                                           made.folder, made.url)
    yield factory, token, folder, url
    engine.dispose()


def _assessment(factory, token: str, facility_id: str) -> dict:
    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        body = json.loads(results.assessment_json(session, actor, facility_id))
        stored = session.get(AssessmentSnapshot, body["snapshot_id"])
        body["indicators"] = stored.result["parts"]["indicators"]
    return body


def _facility_ids(folder) -> list[str]:
    return sorted(pl.read_csv(folder / "profiles.csv")["facility_id"].cast(pl.String).to_list())


def test_before_any_snapshot_peer_thresholds_fall_back(platform):
    factory, token, folder, _url = platform
    body = _assessment(factory, token, _facility_ids(folder)[0])
    assert body["peer_snapshot"] is None
    kinds = {row["threshold_kind"] for row in body["indicators"]}
    assert "peer" not in kinds and "absolute_fallback" in kinds


def test_recompute_stores_a_snapshot_only_when_it_changes(platform):
    factory, _token, _folder, _url = platform
    with transaction(factory) as session:
        first, new = peers.recompute_peer_snapshot(session)
    assert new and first.facility_count == FACILITIES and first.group_count > 0
    with transaction(factory) as session:
        again, new_again = peers.recompute_peer_snapshot(session)
        count = peers.count_snapshots(session)
        table = peers.peer_table(session, again)
    assert not new_again and again.id == first.id and count == 1
    # n is published with every threshold, and no group below the minimum size is kept.
    minimum = default_methodology().peer_rules.min_group_size
    assert table.height == first.group_count
    assert table["n"].min() >= minimum
    assert table["n"].max() <= FACILITIES


def test_platform_and_cli_agree_for_the_same_data_and_snapshot(platform, tmp_path):
    factory, token, folder, url = platform
    with transaction(factory) as session:
        current, _ = peers.recompute_peer_snapshot(session)
    chosen = None
    for facility_id in _facility_ids(folder):
        body = _assessment(factory, token, facility_id)
        if any(row["threshold_kind"] == "peer" for row in body["indicators"]):
            chosen = facility_id
            break
    assert chosen is not None, "no facility was judged against a peer group"
    assert body["peer_snapshot"]["id"] == current.id
    assert body["peer_snapshot"]["sha256"] == current.content_sha256
    peer_rows = [row for row in body["indicators"] if row["threshold_kind"] == "peer"]
    assert all(row["peer_group_size"] >= 10 for row in peer_rows)

    # The command line, on this facility's data alone and the exported snapshot.
    exported = tmp_path / "peers.parquet"
    with transaction(factory) as session:
        peers.export_peer_snapshot(session, current.id, exported)
    alone = tmp_path / "alone"
    alone.mkdir()
    for csv in folder.glob("*.csv"):
        frame = pl.read_csv(csv, infer_schema_length=None)
        if "facility_id" in frame.columns:
            frame = frame.filter(pl.col("facility_id").cast(pl.String) == chosen)
        if "verification_status" in frame.columns:  # what the platform reads (decision 0013)
            frame = frame.with_columns(verification_status=pl.lit(UNVERIFIED))
        frame.write_csv(alone / csv.name)
    cli = assess_dataset(alone, peers=load_peer_snapshot_file(exported)).result
    for part in ("opportunities", "pathways", "measures", "trajectory", "indicators"):
        a, b = results._records(getattr(cli, part)), body[part]
        diffs = [
            (k, x[k], y.get(k)) for x, y in zip(a, b, strict=False) for k in x if x[k] != y.get(k)
        ]
        assert a == b, (part, diffs[:6], len(a), len(b))
    # The same through the commands a user runs: export the snapshot, assess against it.
    runner = CliRunner()
    by_command = tmp_path / "by-command.parquet"
    result = runner.invoke(
        app,
        ["peers", "export", "--database", url, "--id", str(current.id), "--out", str(by_command)],
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["assess", str(alone), "--out", str(out), "--peer-snapshot", str(by_command)],
    )
    assert result.exit_code == 0, result.output
    written = pl.read_parquet(out / "indicators.parquet")
    assert results._records(written) == body["indicators"]
    # Both record the snapshot they used, in the same words.
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["versions"]["peer_snapshot"] == f"sha256:{current.content_sha256}"
    assert body["versions"]["peer_snapshot"] == metadata["versions"]["peer_snapshot"]
    # Without the snapshot the command line judges the facility on its own: a different result.
    own = assess_dataset(alone).result
    assert results._records(own.indicators) != body["indicators"]


def test_a_facility_upload_updates_its_result_at_once_against_the_same_snapshot(platform):
    factory, token, folder, _url = platform
    with transaction(factory) as session:
        current, _ = peers.recompute_peer_snapshot(session)
    facility_id = _facility_ids(folder)[1]
    before = _assessment(factory, token, facility_id)
    dataset = read_dataset(folder)
    tables = {
        name: frame.filter(pl.col("facility_id").cast(pl.String) == facility_id)
        if "facility_id" in frame.columns
        else frame
        for name, frame in dataset.tables.items()
    }
    # A correction: three times the energy (every quantity column, reported and converted).
    tables["energy"] = tables["energy"].with_columns(pl.col(pl.Float64) * 3)
    corrected = dataclasses.replace(dataset, tables=tables)
    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        upload = imports.store_upload(session, actor, "fix.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, actor, read_dataset=lambda _path: corrected)
    assert done.status == "succeeded", done.problems
    after = _assessment(factory, token, facility_id)
    assert after["snapshot_id"] != before["snapshot_id"]  # its own result, at once
    assert after["peer_snapshot"]["id"] == current.id  # the peers wait for the next run
    energy = [r["value"] for r in after["indicators"] if r["indicator"] == "energy_intensity"]
    energy_before = [
        r["value"] for r in before["indicators"] if r["indicator"] == "energy_intensity"
    ]
    assert energy == pytest.approx([3 * v for v in energy_before])
    with transaction(factory) as session:
        latest = session.scalar(
            select(AssessmentSnapshot.id).order_by(AssessmentSnapshot.id.desc())
        )
    assert latest == after["snapshot_id"]


def test_the_app_recomputes_in_the_background_after_start(tmp_path_factory):
    from fastapi.testclient import TestClient

    from factory_journey.web.app import create_app
    from factory_journey.web.settings import Settings

    engine = make_engine(test_database_url(tmp_path_factory))
    settings = Settings("development", None, False, False, peer_interval=3600)
    app = create_app(engine, settings)
    factory = session_factory(engine)
    with TestClient(app):
        for _ in range(100):  # the first run starts at once, in its own thread
            with transaction(factory) as session:
                if peers.count_snapshots(session):
                    break
            time.sleep(0.05)
    with transaction(factory) as session:
        current = peers.current_peer_snapshot(session)
    assert current is not None and current.facility_count == 0 and current.group_count == 0
    engine.dispose()


def test_peer_interval_is_read_from_the_environment(monkeypatch):
    from factory_journey.web.settings import Settings, UnsafeSettings

    monkeypatch.setenv("JOURNEY_PEER_INTERVAL", "0")
    assert Settings.from_env().peer_interval == 0
    monkeypatch.delenv("JOURNEY_PEER_INTERVAL")
    assert Settings.from_env().peer_interval == 3600
    monkeypatch.setenv("JOURNEY_PEER_INTERVAL", "hourly")
    with pytest.raises(UnsafeSettings, match="JOURNEY_PEER_INTERVAL"):
        Settings.from_env()


def test_a_file_that_is_not_a_peer_snapshot_is_refused_by_name(tmp_path):
    from factory_journey.services.assessment import AssessmentInputError

    wrong = tmp_path / "thresholds.parquet"
    pl.DataFrame({"indicator": ["energy_intensity"]}).write_parquet(wrong)
    with pytest.raises(AssessmentInputError, match=r"thresholds\.parquet.*threshold"):
        load_peer_snapshot_file(wrong)
    text = tmp_path / "notes.parquet"
    text.write_text("not parquet")
    with pytest.raises(AssessmentInputError, match=r"notes\.parquet"):
        load_peer_snapshot_file(text)


def test_one_reading_session_never_mixes_two_snapshots(platform):
    factory, token, folder, _url = platform
    first_id, second_id = _facility_ids(folder)[2:4]
    with transaction(factory) as session:
        current, _ = peers.recompute_peer_snapshot(session)
    for facility_id in (first_id, second_id):  # stored now, so the reader below only reads
        _assessment(factory, token, facility_id)
    with transaction(factory) as reader:
        actor = accounts.actor_for_token(reader, token)
        first = json.loads(results.assessment_json(reader, actor, first_id))
        # Meanwhile the background job commits a different snapshot.
        with transaction(factory) as writer:
            newer = PeerSnapshot(
                methodology_version=results.current_methodology(),
                reference_versions=results.current_reference(),
                facility_count=0,
                group_count=0,
                content=peers.table_bytes(empty_peer_table()),
                content_sha256="0" * 64,
                submission_watermark=0,
            )
            writer.add(newer)
        second = json.loads(results.assessment_json(reader, actor, second_id))
    assert first["peer_snapshot"]["id"] == second["peer_snapshot"]["id"] == current.id
    # The next reader sees the new one.
    after = _assessment(factory, token, second_id)
    assert after["peer_snapshot"]["id"] == newer.id != current.id
