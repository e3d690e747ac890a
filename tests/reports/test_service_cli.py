"""`journey report` end to end on examples/small-dataset: one, all (2 processes), portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from factory_journey.cli import report_cmd
from tests.cli_outcome import assert_handled

ROOT = Path(__file__).resolve().parents[2]
DATASET = str(ROOT / "examples" / "small-dataset")


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    report_cmd.register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps `report` a named sub-command
        """Nothing."""

    return app


def test_one_facility_pdf(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "vn.pdf"
    result = CliRunner().invoke(app, ["report", DATASET, "--facility", "VN-VERT-003",
                                      "--lang", "vi", "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert out.stat().st_mode & 0o044  # readable by others, like any file the user writes


def test_one_facility_html(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "bd.html"
    result = CliRunner().invoke(app, ["report", DATASET, "--facility", "BD-CS-001",
                                      "--lang", "bn", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert '<html lang="bn">' in out.read_text(encoding="utf-8")


def test_all_facilities_in_two_processes(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = CliRunner().invoke(app, ["report", DATASET, "--all", "--lang", "km",
                                      "--workers", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o055
    assert sorted(p.name for p in out.iterdir()) == [
        "BD-CS-001.pdf", "CN-MILL-002.pdf", "VN-VERT-003.pdf"]
    again = CliRunner().invoke(app, ["report", DATASET, "--all", "--out", str(out)])
    assert again.exit_code == 1  # not replaced without --force


def test_portfolio(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    result = CliRunner().invoke(app, ["report", DATASET, "--portfolio", "--lang", "tr",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_portfolio_of_listed_facilities(app: typer.Typer, tmp_path: Path) -> None:
    listing = tmp_path / "suppliers.txt"
    listing.write_text("# brand A suppliers\nBD-CS-001\nVN-VERT-003\n", encoding="utf-8")
    out = tmp_path / "brand.html"
    result = CliRunner().invoke(app, ["report", DATASET, "--portfolio", "--ids", f"@{listing}",
                                      "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "BD-CS-001" in page and "CN-MILL-002" not in page
    bad = CliRunner().invoke(app, ["report", DATASET, "--portfolio", "--ids", "NOPE",
                                   "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--facility", "NOPE"], 1),
        (["--facility", "VN-VERT-003", "--lang", "xx"], 2),
        (["--facility", "VN-VERT-003", "--format", "docx"], 2),
        (["--all", "--portfolio"], 2),
        ([], 2),
    ],
)
def test_usage_and_input_errors(app: typer.Typer, tmp_path: Path, args: list[str],
                                code: int) -> None:
    result = CliRunner().invoke(app, ["report", DATASET, *args, "--out", str(tmp_path / "x")])
    assert result.exit_code == code, result.output
    assert_handled(result)


def test_missing_dataset(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(tmp_path / "none"), "--facility", "X",
                                      "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "was not found" in " ".join(result.output.split())
