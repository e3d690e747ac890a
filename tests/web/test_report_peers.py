"""A platform facility's report compares it with the peer group that judged it (decision 0051):
the median and n of that group come from the assessment's peer snapshot, since the facility's
own matrix holds only itself; a group too small is still said to be too small."""

from __future__ import annotations

import subprocess

import polars as pl
import pytest

from factory_journey.engine.assessment.peers import PEER_TABLE_VERSION
from factory_journey.reports.facility_context import build_facility_context
from factory_journey.reports.i18n import translator
from factory_journey.services.assessment import assess_dataset
from factory_journey.services.platform import accounts, peers, results
from factory_journey.services.platform.portfolio import report_pdf
from factory_journey.services.platform.snapshot_report import snapshot_report_data
from factory_journey.store.database import transaction
from factory_journey.store.models import PeerSnapshot
from tests.web.generated_platform import generated_platform

FACILITIES = 60
REGION_OF_LEVEL = {"country_iso2": "country_iso2", "un_subregion": "un_subregion",
                   "un_region": "un_region"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """FACILITIES generated facilities (2023) on a platform with a current peer snapshot; the
    same dataset assessed by the command line, for the groups' values."""
    made = generated_platform(tmp_path_factory, "report-peers", FACILITIES, [2023], seed=5)
    engine, factory, token, folder = made.engine, made.factory, made.token, made.folder
    with transaction(factory) as session:
        snapshot, _ = peers.recompute_peer_snapshot(session)
    yield factory, token, assess_dataset(folder), snapshot
    engine.dispose()


def _context(factory, token: str, facility_id: str) -> tuple[dict, dict]:
    """(the report context of the facility as its PDF is built, the assessment JSON)."""
    import json

    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        body = json.loads(results.assessment_json(session, actor, facility_id))
        ref = results.current_snapshot(session, facility_id)
        data = snapshot_report_data(session, ref)
    body["indicators"] = data.indicators.to_dicts()
    return build_facility_context(data, facility_id, translator("en")), body


def _facility_with(cli, indicator: str, kind: str) -> str:
    rows = cli.result.indicators.filter(
        (pl.col("indicator").cast(pl.String) == indicator)
        & (pl.col("threshold_kind").cast(pl.String) == kind)
    )
    assert rows.height, f"no facility's {indicator} is judged on {kind}"
    return str(rows["facility_id"][0])


def _group_values(cli, row: dict, profile: dict) -> pl.Series:
    """The values of the facilities in the peer group behind `row`'s threshold, from the whole
    dataset (the command line's matrix): the group the engine recorded, rebuilt by hand."""
    values = cli.result.indicators.filter(
        pl.col("indicator").cast(pl.String) == row["indicator"]
    ).join(cli.matrix.select("facility_id", "year", "journey_factory_type", "intensity_basis",
                             *REGION_OF_LEVEL.values()), on=["facility_id", "year"])
    same = (pl.col("year") == row["year"]) & (
        pl.col("journey_factory_type") == profile["journey_factory_type"])
    if str(row["column"]).endswith("_per_unit"):
        same &= pl.col("intensity_basis") == profile["intensity_basis"]
    if row["peer_level"] != "global":
        column = REGION_OF_LEVEL[row["peer_level"]]
        same &= pl.col(column) == profile[column]
    return values.filter(same)["value"].drop_nulls()


def test_a_platform_report_gives_the_median_and_n_of_the_group_behind_the_threshold(platform):
    factory, token, cli, snapshot = platform
    facility_id = _facility_with(cli, "energy_intensity", "peer")
    context, body = _context(factory, token, facility_id)
    assert body["peer_snapshot"]["id"] == snapshot.id
    profile = cli.matrix.filter(pl.col("facility_id") == facility_id).row(0, named=True)
    judged = {r["indicator"]: r for r in body["indicators"] if r["threshold_kind"] == "peer"}
    assert "energy_intensity" in judged
    shown = {r["key"]: r for area in context["areas"] for r in area["indicators"]}
    for key, row in judged.items():
        n = row["peer_group_size"]
        assert n >= 10
        values = _group_values(cli, row, profile)
        assert values.len() == n  # the group rebuilt by hand is the one that judged it
        median = values.median()
        line = shown[key]["peers"]
        assert line.startswith(f"Median of {n} similar facilities: "), line
        assert "Too few" not in line
        # The same group as the threshold note's ("75th percentile of 31 peers (…)").
        assert f" of {n} peers (" in shown[key]["threshold_note"]
        digits = line.removeprefix(f"Median of {n} similar facilities: ").split()[0]
        assert float(digits.replace(",", "").rstrip("%")) == pytest.approx(
            median * (100 if row["unit"] == "share" else 1), rel=0.05, abs=0.06)
    # An indicator judged on a fixed threshold has no group in the snapshot: said as such.
    fixed = [r for r in body["indicators"] if r["threshold_kind"] == "absolute"
             and r["indicator"] in shown]
    assert fixed
    for row in fixed:
        assert shown[row["indicator"]]["peers"] == (
            "Not compared with similar facilities for this indicator")


def test_the_platform_pdf_says_the_same_as_its_threshold(platform, tmp_path):
    factory, token, cli, _snapshot = platform
    facility_id = _facility_with(cli, "energy_intensity", "peer")
    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        pdf = report_pdf(session, actor, facility_id, "en")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    energy = cli.result.indicators.filter(
        (pl.col("facility_id") == facility_id)
        & (pl.col("indicator").cast(pl.String) == "energy_intensity"))
    n = int(energy["peer_group_size"][0])
    assert f"Median of {n} similar facilities" in text
    assert f"75th percentile of {n} peers" in text
    assert "Too few similar facilities" not in text


def test_a_group_too_small_is_still_said_to_be_too_small(platform):
    factory, token, cli, _snapshot = platform
    facility_id = _facility_with(cli, "energy_intensity", "absolute_fallback")
    context, body = _context(factory, token, facility_id)
    row = next(r for r in body["indicators"] if r["indicator"] == "energy_intensity")
    assert row["threshold_kind"] == "absolute_fallback" and row["peer_group_size"] is None
    shown = {r["key"]: r for area in context["areas"] for r in area["indicators"]}
    assert shown["energy_intensity"]["peers"] == "Too few similar facilities to compare"
    assert shown["energy_intensity"]["threshold_note"] == (
        "Fixed threshold (too few peers to compare)")


def test_a_snapshot_without_medians_is_recomputed_though_nothing_new_was_submitted(platform):
    factory, _token, _cli, current = platform
    with transaction(factory) as session:
        assert peers.table_version(session, current) == PEER_TABLE_VERSION
        # One stored before the medians: its table and versions as they were then.
        table = peers.peer_table(session, current).drop("median")
        content = peers.table_bytes(table)
        old = PeerSnapshot(
            methodology_version=results.current_methodology(),
            reference_versions=results.current_reference(),
            facility_count=current.facility_count,
            group_count=table.height,
            content=content,
            content_sha256="1" * 64,
            submission_watermark=current.submission_watermark,
        )
        session.add(old)
    with transaction(factory) as session:
        stale = peers.current_peer_snapshot(session)
        assert stale is not None and stale.id == old.id
        assert peers.table_version(session, stale) == "1"
        assert peers.peer_table(session, stale)["median"].null_count() == table.height
        fresh, new = peers.recompute_peer_snapshot(session)
        assert new and fresh.id != old.id
        assert peers.table_version(session, fresh) == PEER_TABLE_VERSION
        assert peers.peer_table(session, fresh)["median"].null_count() == 0
