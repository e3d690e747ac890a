"""The assessment use case on the bundled pilot dataset: complete, located, reproducible."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.engine.assessment import assess
from factory_journey.services.assessment import (
    OUTPUTS,
    Assessed,
    MethodologyError,
    PriceTableError,
    assess_dataset,
    assess_files,
    load_methodology_file,
    load_prices_file,
    write_outputs,
)
from factory_journey.services.explain import FacilityNotAssessedError, explain_assessed


@pytest.fixture(scope="module")
def pilot():
    return assess_dataset("pilot")


def test_every_pilot_facility_year_gets_every_area_and_a_recommended_pathway(pilot):
    keys = pilot.matrix.select("facility_id", "year").unique()
    areas = pilot.result.opportunities.group_by("facility_id", "year").agg(
        pl.col("area").n_unique().alias("areas")
    )
    assert areas.height == keys.height
    assert set(areas["areas"]) == {7}
    levels = set(pilot.result.opportunities["opportunity_level"])
    assert levels <= {"high", "low", "not_assessed"}
    unexplained = pilot.result.opportunities.filter(
        (pl.col("opportunity_level") == "not_assessed") & pl.col("missing_data").is_null()
    )
    assert unexplained.height == 0
    recommended = pilot.result.pathways.filter(pl.col("pathway") == "recommended")
    assert recommended.select("facility_id", "year").n_unique() == keys.height
    assert recommended.height == keys.height


def test_explain_names_levels_and_pathway_order(pilot):
    facility = pilot.matrix["facility_id"].sort()[0]
    text = explain_assessed(pilot, facility).text()
    assert text.startswith(f"Facility {facility}, ")
    assert "Why the pathway is in this order" in text
    assert "priority = 100 × (0.4 × gap" in text
    assert "1. " in text and "— recommended" in text
    with pytest.raises(FacilityNotAssessedError, match="not in the dataset"):
        explain_assessed(pilot, "NO-SUCH-FACILITY")
    with pytest.raises(FacilityNotAssessedError, match="has no data for 1999"):
        explain_assessed(pilot, facility, 1999)


def test_pilot_levels_tell_areas_apart(pilot):
    """fj-2026.1 marked almost every pilot facility high in most areas (energy 110 of 115 in
    2023); a programme needs levels that differ between facilities and areas."""
    latest = pilot.result.opportunities.filter(pl.col("year") == 2023)
    assessed = latest.filter(pl.col("opportunity_level") != "not_assessed")
    shares = assessed.group_by("area").agg((pl.col("opportunity_level") == "high").mean())
    for area, share in shares.iter_rows():
        assert 0.1 <= share <= 0.75, (area, share)
    highs = latest.group_by("facility_id").agg((pl.col("opportunity_level") == "high").sum())
    assert highs["opportunity_level"].max() < 7 and highs["opportunity_level"].min() < 2


def test_explain_states_the_area_rule_and_weights(pilot):
    opportunities = pilot.result.opportunities
    low_with_gap = opportunities.filter(
        (pl.col("opportunity_level") == "low") & pl.col("indicators_worse").is_not_null()
    ).row(0, named=True)
    text = explain_assessed(pilot, low_with_gap["facility_id"], low_with_gap["year"]).text()
    assert "— worse than the threshold: " in text and "(weight " in text
    assert "the area is high from a score of 50%" in text
    decisive = opportunities.filter(
        (pl.col("area") == "ems")
        & (pl.col("opportunity_level") == "high")
        & (pl.col("area_score") < 1)
    ).row(0, named=True)
    text = explain_assessed(pilot, decisive["facility_id"], decisive["year"]).text()
    assert "Environmental policy is worse than its threshold, which is decisive" in text
    # The title says the factory type and country in words, not codes.
    assert " facility in " in text.splitlines()[0]


def test_low_areas_with_a_worse_indicator_are_optional_steps(pilot):
    steps = pilot.result.pathways.join(
        pilot.result.opportunities.select("facility_id", "year", "area", "indicators_worse"),
        on=["facility_id", "year", "area"],
    ).filter(pl.col("pathway") != "recommended")
    low = steps.filter(pl.col("opportunity_level") == "low")
    assert set(low.filter(pl.col("indicators_worse").is_not_null())["pathway"]) == {"optional"}
    assert set(low.filter(pl.col("indicators_worse").is_null())["pathway"]) == {"none"}
    assert set(steps.filter(pl.col("opportunity_level") == "high")["pathway"]) == {"optional"}


def test_small_results_are_also_one_workbook_for_spreadsheet_users(pilot, tmp_path: Path):
    import openpyxl

    run = write_outputs(pilot, tmp_path / "out")
    assert "assessment.xlsx" in run.files_written
    workbook = openpyxl.load_workbook(tmp_path / "out" / "assessment.xlsx", read_only=True)
    assert workbook.sheetnames == [
        "Read me", "Opportunities", "Pathways", "Measures", "Reasons", "Trajectory", "Data Matrix"
    ]
    about = dict(list(workbook["Read me"].iter_rows(values_only=True))[1:])
    assert about["Version: methodology"] == pilot.result.versions["methodology"]
    rows = list(workbook["Opportunities"].iter_rows(values_only=True))
    opportunities = pilot.result.opportunities
    assert len(rows) - 1 == opportunities.height
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    expected = opportunities.row(0, named=True)
    assert first["area"] == str(expected["area"])
    assert first["opportunity_level"] == str(expected["opportunity_level"])
    assert first["indicators_worse"] == expected["indicators_worse"]


def test_large_results_skip_the_workbook(pilot, tmp_path: Path, monkeypatch):
    from factory_journey.services import assessment as service

    monkeypatch.setattr(service, "WORKBOOK_MAX_FACILITY_YEARS", pilot.matrix.height - 1)
    run = write_outputs(pilot, tmp_path / "out")
    assert "assessment.xlsx" not in run.files_written
    assert not (tmp_path / "out" / "assessment.xlsx").exists()


def _same_files(first: Path, second: Path, names: list[str]) -> None:
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_same_matrix_and_methodology_give_byte_identical_outputs(pilot, tmp_path: Path):
    matrix_versions = {
        k.removeprefix("matrix:"): v
        for k, v in pilot.result.versions.items()
        if k.startswith("matrix:")
    }
    result = assess(pilot.matrix, matrix_versions=matrix_versions)
    again = Assessed(pilot.dataset, pilot.matrix, result, pilot.problems)
    first = write_outputs(pilot, tmp_path / "a")
    write_outputs(again, tmp_path / "b")
    expected = {f"{name}.{ext}" for name in OUTPUTS for ext in ("parquet", "csv", "json")}
    assert set(first.files_written) == expected | {"metadata.json", "assessment.xlsx"}
    _same_files(tmp_path / "a", tmp_path / "b", first.files_written)


def test_same_dataset_gives_byte_identical_outputs_end_to_end(tmp_path: Path):
    first = assess_files("pilot", tmp_path / "a")
    second = assess_files("pilot", tmp_path / "b")
    assert first.ok and second.ok, (first.message, second.message)
    _same_files(tmp_path / "a", tmp_path / "b", first.files_written)
    assert assess_files("pilot", tmp_path / "a").status == "output_exists"


def test_operator_methodology_file_errors_name_the_file(tmp_path: Path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("meta: {name: mine}\nareas: []\n", encoding="utf-8")
    with pytest.raises(MethodologyError) as caught:
        load_methodology_file(bad)
    assert all(m.startswith(str(bad)) for m in caught.value.messages)
    assert any("meta.version is required" in m or "peer_rules" in m for m in caught.value.messages)


def test_cli_assess_and_explain(tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["assess", "pilot", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Impact area" in result.output and (out / "pathways.parquet").exists()
    facility = pl.read_parquet(out / "matrix.parquet")["facility_id"].sort()[0]
    result = runner.invoke(app, ["explain", "pilot", facility])
    assert result.exit_code == 0, result.output
    assert "Recommended pathway" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a mapping\n", encoding="utf-8")
    result = runner.invoke(
        app, ["assess", "pilot", "--out", str(tmp_path / "x"), "--methodology", str(bad)]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()
    prices = tmp_path / "prices.csv"
    prices.write_text("country_iso2,electricity_usd_per_kwh\nBD,0.1\n", encoding="utf-8")
    result = runner.invoke(
        app, ["assess", "pilot", "--out", str(tmp_path / "y"), "--prices", str(prices)]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "y").exists()


@pytest.mark.parametrize(
    "content", [b'country_iso2,electricity_usd_per_kwh\nBD,"0.1\n', b"a,b\n1,2,3\n"])
def test_a_malformed_price_file_is_named_in_our_words(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes(content)
    with pytest.raises(PriceTableError) as raised:
        load_prices_file(path)
    message = str(raised.value)
    assert "prices.csv: cannot be read as CSV" in message
    assert "infer_schema" not in message and "Schema" not in message


def test_option_files_that_are_not_files_or_not_utf8_are_refused(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    with pytest.raises(PriceTableError, match="not a regular file"):
        load_prices_file(pipe)
    with pytest.raises(MethodologyError):
        load_methodology_file(pipe)
    latin = tmp_path / "m.yaml"
    latin.write_bytes("meta: {name: Méthode}\n".encode("latin-1"))
    with pytest.raises(MethodologyError) as raised:
        load_methodology_file(latin)
    assert raised.value.messages == [f"{latin}: not UTF-8 text"]
