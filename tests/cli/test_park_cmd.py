"""`journey park assess`: exit 0 / 1 (input problems, located) / 2 (usage), JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from factory_journey.cli import app
from tests.cli_outcome import HandledRunner
from tests.engine.parks.hand_park import FRAMEWORK, write_park

runner = HandledRunner()


def test_success_writes_the_park_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["park", "assess", str(write_park(tmp_path / "data")),
                                 "--out", str(out), "--framework", str(FRAMEWORK)])
    assert result.exit_code == 0, result.output
    assert "1 parks, 1 park-years, 3 member-years" in result.output
    for name in ("park_indicators", "park_members", "requirement_results", "pillar_scores"):
        assert (out / f"{name}.parquet").is_file()
        assert (out / f"{name}.csv").is_file()  # a small result: every format
    assert (out / "park_assessment.xlsx").is_file()


def test_the_collective_plan_is_an_output_with_its_measures_version(tmp_path: Path) -> None:
    import hashlib

    import openpyxl
    import polars as pl

    from factory_journey.reference.loader import data_dir

    out = tmp_path / "out"
    result = runner.invoke(app, ["park", "assess", str(write_park(tmp_path / "data")),
                                 "--out", str(out), "--framework", str(FRAMEWORK)])
    assert result.exit_code == 0, result.output
    measures = pl.read_parquet(out / "plan_measures.parquet")
    members = pl.read_parquet(out / "plan_members.parquet")
    assert set(measures["park_id"]) == {"P1"} and measures.height == measures["measure"].n_unique()
    # every measure's member shares add up to 1 and its investment to the measure's
    sums = members.group_by("measure").agg(pl.col("share").sum(), pl.col("investment_usd").sum())
    joined = sums.join(measures.select("measure", pl.col("investment_usd").alias("total")),
                       on="measure")
    assert joined.height == measures.filter(pl.col("participants") > 0).height > 0
    for row in joined.iter_rows(named=True):
        assert abs(row["share"] - 1) < 1e-9 and abs(row["investment_usd"] - row["total"]) < 1e-6
    csv = pl.read_csv(out / "plan_measures.csv")
    assert csv["covers_measures"].str.contains(";").any()  # lists joined for a spreadsheet
    assert (out / "plan_members.json").is_file()
    sheets = openpyxl.load_workbook(out / "park_assessment.xlsx", read_only=True).sheetnames
    assert {"plan_measures", "plan_members"} <= set(sheets)
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    packaged = (data_dir() / "park_measures.yaml").read_bytes()
    assert metadata["park_measures"]["sha256"] == hashlib.sha256(packaged).hexdigest()
    assert metadata["park_measures"]["version"] == measures["park_measures_version"][0]
    assert metadata["versions"]["park_measures"].startswith(metadata["park_measures"]["version"])


def test_a_flow_given_twice_exits_1_with_its_location(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["park", "assess", str(write_park(tmp_path / "d", both=True)),
                                 "--out", str(out), "--framework", str(FRAMEWORK), "--json"])
    assert result.exit_code == 1
    outcome = json.loads(result.stdout)
    assert outcome["status"] == "input_problems"
    problem = next(p for p in outcome["problems"] if p["code"] == "counted_twice")
    assert (problem["file"], problem["row"], problem["column"]) == (
        "shared_wastewater.csv", 3, "member_facility_id")
    assert sorted(p.name for p in out.iterdir()) == ["errors.csv", "errors.json", "errors.txt"]


def test_a_bad_framework_file_is_an_input_problem(tmp_path: Path) -> None:
    bad = tmp_path / "framework.yaml"
    bad.write_text("meta: {id: x}\npillars: []\n", encoding="utf-8")
    result = runner.invoke(app, ["park", "assess", str(write_park(tmp_path / "d")),
                                 "--out", str(tmp_path / "out"), "--framework", str(bad)])
    assert result.exit_code == 1
    assert "framework.yaml: meta.title" in result.output


def test_an_existing_output_folder_is_not_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["park", "assess", str(write_park(tmp_path / "d")),
                                 "--out", str(out), "--framework", str(FRAMEWORK)])
    assert result.exit_code == 2
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
