"""evaluate_dataset: a dataset folder → tables, evaluation.json and the report, all or nothing.

The dataset is generated, then edited so that one facility has no follow-up year and another
changes factory type: both must be explained in the written output.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import generate_dataset
from factory_journey.engine.evaluation import Cohort
from factory_journey.services.evaluation import evaluate_dataset

ONE_YEAR = "FJ-0003"
#: Set by the `dataset` fixture: the first materialProduction mill, an assembler in 2023.
TYPE_CHANGED: list[str] = []


def _write(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_csv(folder / f"{name}.csv")
    return folder


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tables = generate_dataset(48, [2021, 2022, 2023], 11, messiness=0.0)
    edited: dict[str, pl.DataFrame] = {}
    for name, frame in tables.items():
        if "year" in frame.columns:
            frame = frame.filter(~((pl.col("facility_id") == ONE_YEAR) & (pl.col("year") == 2023)))
        elif name == "zdhc_wastewater":
            frame = frame.filter(~((pl.col("facility_id") == ONE_YEAR)
                                   & pl.col("sample_date").cast(pl.String).str.starts_with("2023")))
        edited[name] = frame
    profiles = edited["profiles"]
    mill = profiles.filter((pl.col("sipfacilitytype") == "materialProduction")
                           & (pl.col("facility_id") != ONE_YEAR))["facility_id"][0]
    TYPE_CHANGED.append(mill)
    changed = (pl.col("facility_id") == mill) & (pl.col("year") == 2023)
    edited["profiles"] = profiles.with_columns(
        pl.when(changed).then(pl.lit("finalProductAssembly")).otherwise(
            pl.col("sipfacilitytype")).alias("sipfacilitytype"),
        pl.when(changed).then(pl.lit(250_000.0)).otherwise(
            pl.col("sipfacilityannualprodvol_finalProductAssembly")
        ).alias("sipfacilityannualprodvol_finalProductAssembly"),
        # An assembler reports no material type and no material-production volume.
        pl.when(changed).then(None).otherwise(pl.col("sipmaterialtype")).alias("sipmaterialtype"),
        pl.when(changed).then(None).otherwise(
            pl.col("sipfacilityannualprodvol_materialProduction")
        ).alias("sipfacilityannualprodvol_materialProduction"),
    )
    return _write(edited, tmp_path_factory.mktemp("evaluation-dataset"))


@pytest.fixture(scope="module")
def evaluated(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evaluation-out") / "result"
    run = evaluate_dataset(dataset, out, baseline_year=2021, followup_year=2023)
    assert run.ok, (run.status, run.message, [p.describe() for p in run.errors][:5])
    assert run.headlines and run.result is not None
    return out


def test_writes_tables_json_and_report(evaluated: Path):
    names = {p.name for p in evaluated.iterdir()}
    for expected in ("shares_overall.csv", "shares_by_group.csv", "shares_by_country.csv",
                     "change_by_group.csv", "did.csv", "group_sizes.csv",
                     "country_distribution.csv", "regional_insights.csv", "facilities.csv",
                     "facility_changes.csv", "cycles.csv", "shares_by_cycle.csv",
                     "not_comparable.csv", "evaluation.json", "evaluation.html",
                     "evaluation.pdf"):
        assert expected in names
    assert (evaluated / "evaluation.pdf").read_bytes().startswith(b"%PDF")


def test_json_headlines_agree_with_the_csv(evaluated: Path):
    document = json.loads((evaluated / "evaluation.json").read_text(encoding="utf-8"))
    shares = pl.read_csv(evaluated / "shares_overall.csv")
    energy = shares.filter(pl.col("area") == "energy").row(0, named=True)
    headline = document["headlines"][0]
    assert headline.startswith(f"{energy['share_improved']:.0%} of facilities improved energy")
    assert f"{energy['n_improved']} of {energy['n_comparable']}" in headline
    assert document["rules"]["name"] == "fj-eval-2026.1"
    assert document["rules"]["meta"]["certainty"] == "project"
    assert document["request"] == {
        "baseline_year": 2021, "followup_year": 2023, "cycle_years": 1,
        "cohort": {"programmes": [], "countries": [], "factory_types": [],
                   "described": "all facilities"},
    }
    assert set(document["tables"]) >= {"did", "shares_by_group", "group_sizes"}


def test_one_year_facility_and_changed_type_are_explained(evaluated: Path):
    changes = pl.read_csv(evaluated / "facility_changes.csv")
    only = changes.filter((pl.col("facility_id") == ONE_YEAR) & (pl.col("area") == "energy"))
    assert only.row(0, named=True)["detail"] == "data for 2021 only, none for 2023"
    typed = changes.filter((pl.col("facility_id") == TYPE_CHANGED[0])
                           & (pl.col("area") == "energy"))
    assert typed.row(0, named=True)["reason"] == "factory_type_changed"
    assert typed.row(0, named=True)["detail"] == "factory type mill in 2021, cut_sew in 2023"
    document = json.loads((evaluated / "evaluation.json").read_text(encoding="utf-8"))
    caveats = {c["code"]: c for c in document["caveats"]}
    assert ONE_YEAR in caveats["not_in_both_years"]["examples"]
    assert TYPE_CHANGED[0] in caveats["factory_type_changed"]["examples"]
    html = (evaluated / "evaluation.html").read_text(encoding="utf-8")
    assert "lack data for the baseline or the follow-up year" in html
    assert "changed factory type between the years" in html


def test_report_is_laid_out_like_the_proof_of_concept(evaluated: Path):
    html = (evaluated / "evaluation.html").read_text(encoding="utf-8")
    order = ["Headline results", "Participation record", "Country distribution",
             "Regional insights", "by participation group", "Effect against the control group",
             "Improvement cycles", "Caveats on data quality", "Method"]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert html.count("<svg") >= 5
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in html


def test_too_small_groups_are_explained(dataset: Path, tmp_path: Path):
    run = evaluate_dataset(dataset, tmp_path / "bd", baseline_year=2021, followup_year=2023,
                           cohort=Cohort(countries=("KH",)))
    assert run.ok
    assert run.result is not None
    codes = [c.code for c in run.result.caveats]
    assert any(code.startswith("no_estimate:") for code in codes)
    did = pl.read_csv(tmp_path / "bd" / "did.csv")
    assert set(did["estimate"]) <= {"group_too_small", "control_too_small", "estimated"}
    assert did.filter(pl.col("estimate") != "estimated")["note"].null_count() == 0


def test_deterministic(dataset: Path, tmp_path: Path):
    for name in ("a", "b"):
        assert evaluate_dataset(dataset, tmp_path / name, baseline_year=2021,
                                followup_year=2023).ok
    # The matrix sums floats in parallel, so its last bits may differ between runs; the
    # evaluation must then agree to rounding, and exactly in every count and status.
    for table in ("did.csv", "shares_by_group.csv", "facility_changes.csv", "cycles.csv"):
        first = pl.read_csv(tmp_path / "a" / table, infer_schema_length=None)
        second = pl.read_csv(tmp_path / "b" / table, infer_schema_length=None)
        assert_frame_equal(first, second, check_exact=False, rel_tol=1e-9, abs_tol=1e-9)


def test_existing_output_needs_force_and_bad_requests_write_nothing(dataset: Path,
                                                                   tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    run = evaluate_dataset(dataset, out, baseline_year=2021, followup_year=2023)
    assert run.status == "output_exists"
    assert (out / "keep.txt").exists()
    run = evaluate_dataset(dataset, out, baseline_year=2023, followup_year=2021, force=True)
    assert run.status == "invalid_request"
    assert "must come after" in run.message
    assert (out / "keep.txt").exists()
    run = evaluate_dataset(dataset, out, baseline_year=2021, followup_year=2023, force=True)
    assert run.ok and not (out / "keep.txt").exists()
    assert evaluate_dataset(tmp_path / "nope", tmp_path / "x", baseline_year=2021,
                            followup_year=2023).status == "not_found"


def test_input_problems_give_only_an_error_report(dataset: Path, tmp_path: Path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in dataset.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    energy = pl.read_csv(broken / "energy.csv", infer_schema_length=None)
    energy.with_columns(pl.lit("lightyears").alias("unit")).write_csv(broken / "energy.csv")
    run = evaluate_dataset(broken, tmp_path / "out", baseline_year=2021, followup_year=2023)
    assert run.status == "input_problems"
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "errors.csv", "errors.json", "errors.txt"}


def test_disputed_rows_come_from_the_ingested_tables():
    from factory_journey.services.evaluation import disputed_rows

    tables = {
        "energy": pl.DataFrame({"facility_id": ["A", "B"], "year": [2021, 2023],
                                "verification_status": ["disputed", "verified"]}),
        "programmes": pl.DataFrame({"facility_id": ["A"], "programme": ["clp"]}),
    }
    assert disputed_rows(tables).rows() == [("A", 2021, "energy", "disputed")]
    assert disputed_rows({}).is_empty()
