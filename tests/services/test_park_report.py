"""`journey park report`: from the folder `journey park assess` wrote to a PDF or HTML file."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.cli.park_report_cmd import PARK_REPORT_LANGUAGES
from factory_journey.reports.i18n import PARK_LANGUAGES
from factory_journey.services.park_report import (
    OUTPUT_TABLES,
    ParkReportInputError,
    load_park_report_data,
    write_all_park_reports,
)
from tests.reports.park_fixture import park_report_data
from tests.reports.pdftext import extract, squash


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A park assess output folder, the collective plan's tables included."""
    folder = tmp_path_factory.mktemp("park-out")
    data = park_report_data()
    for name in OUTPUT_TABLES:
        getattr(data, name).write_parquet(folder / f"{name}.parquet")
    assert data.parks is not None
    data.parks.write_parquet(folder / "parks.parquet")
    (folder / "metadata.json").write_text(json.dumps(
        {"dataset": "fixture", "versions": {"park_framework:ifeip2": "2026.1",
                                            "park_measures": "2026.1 (park_measures.yaml)"}}),
        encoding="utf-8")
    return folder


def test_cli_languages_are_the_park_languages() -> None:
    assert tuple(PARK_LANGUAGES) == PARK_REPORT_LANGUAGES


def test_the_plan_is_read_from_the_outputs_not_recomputed(outputs: Path) -> None:
    data = load_park_report_data(outputs)
    assert data.plan_measures is not None and data.plan_members is not None
    expected = park_report_data()
    assert expected.plan_measures is not None and expected.plan_members is not None
    assert data.plan_measures.equals(expected.plan_measures)
    assert data.plan_members.equals(expected.plan_members)
    assert data.versions["park_framework:ifeip2"] == "2026.1"
    assert "park_measures" in data.versions
    assert data.pillar_titles["vn_decree_35"].startswith("Vietnam")


def test_report_in_the_park_countrys_language_by_default(outputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "hawassa.pdf"
    result = CliRunner().invoke(app, ["park", "report", str(outputs), "--park", "ET-HAWASSA",
                                      "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "(am)" in result.output
    text = "".join(page.text for page in extract(target.read_bytes()))
    assert squash("የጋራ የማሻሻያ ዕቅድ") in squash(text)  # "Collective improvement plan"


def test_html_from_the_out_suffix_in_swahili(outputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["park", "report", str(outputs), "--park", "ET-HAWASSA",
                                      "--lang", "sw", "--out", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert 'lang="sw"' in page and "Mpango wa pamoja wa maboresho" in page


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--park", "NOPE"], 1, "NOPE"),
    (["--park", "ET-HAWASSA", "--lang", "fr"], 2, "am, sw"),
    (["--park", "ET-HAWASSA", "--format", "docx"], 2, "--format"),
    (["--park", "ET-HAWASSA", "--year", "1999"], 1, "1999"),
])
def test_refusals_are_named_and_write_nothing(outputs: Path, tmp_path: Path, args: list[str],
                                              code: int, words: str) -> None:
    target = tmp_path / "never.pdf"
    result = CliRunner().invoke(app, ["park", "report", str(outputs), *args, "--out",
                                      str(target)])
    assert result.exit_code == code, result.output
    assert words in result.output
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("missing", ["pillar_scores", "plan_measures", "plan_members"])
def test_a_folder_missing_a_table_is_named(outputs: Path, tmp_path: Path, missing: str) -> None:
    folder = tmp_path / "partial"
    folder.mkdir()
    for name in OUTPUT_TABLES:
        if name != missing:
            pl.read_parquet(outputs / f"{name}.parquet").write_parquet(folder / f"{name}.parquet")
    with pytest.raises(ParkReportInputError, match=rf"{missing}\.parquet"):
        load_park_report_data(folder)


def test_every_park_in_its_countrys_language(outputs: Path, tmp_path: Path) -> None:
    written = write_all_park_reports(outputs, tmp_path / "parks", fmt="html")
    assert [p.name for p in written] == ["ET-HAWASSA.html", "VN-DEMO.html"]
    assert 'lang="am"' in written[0].read_text(encoding="utf-8")
    assert 'lang="vi"' in written[1].read_text(encoding="utf-8")
