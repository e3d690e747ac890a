"""`journey park template --language`: the guidance in a park report language, English by
default; an unknown language is refused without a traceback."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.cli.output import EXIT_USAGE

runner = CliRunner()


def _guidance_header(path: Path) -> tuple[object, ...]:
    return next(openpyxl.load_workbook(path)["guidance"].iter_rows(values_only=True))


def test_the_template_in_english_by_default_and_in_a_chosen_language(tmp_path: Path) -> None:
    english = runner.invoke(app, ["park", "template", "--out", str(tmp_path / "en.xlsx")])
    assert english.exit_code == 0, english.output
    assert _guidance_header(tmp_path / "en.xlsx")[:2] == ("sheet", "column or question")
    chinese = runner.invoke(app, ["park", "template", "--out", str(tmp_path / "zh.xlsx"),
                                  "--language", "zh"])
    assert chinese.exit_code == 0, chinese.output
    assert _guidance_header(tmp_path / "zh.xlsx")[:2] == ("工作表", "列或问题")
    refused = runner.invoke(app, ["park", "template", "--out", str(tmp_path / "x.xlsx"),
                                  "--language", "xx"])
    assert refused.exit_code == EXIT_USAGE, refused.output
    assert "no such template language" in refused.output and not (tmp_path / "x.xlsx").exists()
