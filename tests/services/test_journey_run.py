"""The main job on the bundled pilot: every step writes its output, in each factory's language."""

from __future__ import annotations

import sqlite3

import polars as pl
import pytest

from factory_journey.reports.i18n import language_for_country
from factory_journey.services.journey_run import run_journey
from factory_journey.services.output_dir import OutputExistsError


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("journey") / "out"
    return out, run_journey("pilot", out)


def test_every_step_writes_its_output(run):
    out, result = run
    assert result.status == "ok"
    steps = {"database", "assessment", "portfolio report", "evaluation", "evaluation report",
             "parks"}
    # "park reports" too where the park report service (issue 16's other half) is installed
    assert steps <= set(result.outputs) <= steps | {"park reports"}
    assert (out / "parks" / "pillar_scores.parquet").is_file()
    plan = pl.read_parquet(out / "parks" / "plan_measures.parquet")
    parks = pl.read_parquet(out / "parks" / "parks.parquet")["park_id"]
    assert set(plan.filter(pl.col("participants") > 0)["park_id"]) == set(parks)
    shares = pl.read_parquet(out / "parks" / "plan_members.parquet")
    assert set(shares["park_id"]) == set(parks)
    assert (out / "assessment" / "pathways.parquet").is_file()
    assert (out / "reports" / "portfolio.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "evaluation" / "evaluation.html").is_file()
    assert result.outputs["evaluation report"].read_bytes().startswith(b"%PDF")
    assert len(result.headlines) == 7  # one headline per impact area


def test_the_embedded_database_holds_the_pilot(run):
    out, _ = run
    with sqlite3.connect(out / "journey.db") as db:
        facilities = db.execute("select count(*) from facility").fetchone()[0]
    pilot = pl.read_parquet(out / "assessment" / "matrix.parquet")["facility_id"].n_unique()
    assert facilities == pilot == 115


def test_one_facility_report_per_country_in_its_language(run):
    out, result = run
    matrix = pl.read_parquet(out / "assessment" / "matrix.parquet")
    countries = set(matrix["country_iso2"].unique().to_list())
    languages = {path.stem.rsplit("-", 1)[1] for path in result.facility_reports}
    assert languages == {language_for_country(c) for c in countries}
    assert {"bn", "zh", "vi", "km", "tr"} <= languages  # the pilot's five countries
    for path in result.facility_reports:
        assert path.read_bytes().startswith(b"%PDF")


def test_an_existing_output_is_kept_without_force(run):
    out, _ = run
    with pytest.raises(OutputExistsError):
        run_journey("pilot", out)
