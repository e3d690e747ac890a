"""`journey evaluate`: headline summary, exit codes, the report as HTML (escaped) and PDF."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.demo import generate_dataset


def _dataset(folder: Path) -> Path:
    folder.mkdir()
    for name, frame in generate_dataset(30, [2021, 2022, 2023], 5, messiness=0.0).items():
        frame.write_csv(folder / f"{name}.csv")
    return folder


def test_evaluate_prints_headlines_and_writes_report(tmp_path: Path):
    data = _dataset(tmp_path / "data")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["evaluate", str(data), "--baseline", "2021",
                                      "--followup", "2023", "--out", str(out),
                                      "--cycle-years", "2", "--programmes", "clp,<b>x</b>",
                                      "--factory-types", "mill,vertical,cut_sew"])
    assert result.exit_code == 0, result.output
    assert "of facilities improved energy efficiency" in result.output
    assert "Participation groups" in result.output
    assert "evaluation.pdf" in "".join(result.output.split())  # the console wraps lines
    assert (out / "evaluation.pdf").read_bytes().startswith(b"%PDF")
    html = (out / "evaluation.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "improvement cycle 2 year(s)" in html


def test_unknown_country_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["evaluate", "pilot", "--baseline", "2021", "--followup",
                                      "2023", "--out", str(tmp_path / "o"), "--countries",
                                      "Atlantis"])
    assert result.exit_code == 2
    assert "unknown country 'Atlantis'" in result.output


def test_bad_years_are_a_usage_error(tmp_path: Path):
    data = _dataset(tmp_path / "data")
    result = CliRunner().invoke(app, ["evaluate", str(data), "--baseline", "2023",
                                      "--followup", "2021", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "must come after" in result.output
    assert not (tmp_path / "o").exists()
