"""`journey profile template --language`: in a language other than English the guidance and
cell prompts are those of the facility pages' download in that language (the same service,
byte for byte); English stays the Higg FEM template; an unknown language is refused with a
usage error and nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.cli.output import EXIT_USAGE
from factory_journey.services.dataset_template import TEMPLATE_AREAS, template_for
from factory_journey.web.pages.facility.common import AREA
from factory_journey.web.pages.shell import SHELL_AREA

runner = CliRunner()


def _template(tmp_path: Path, name: str, *options: str):
    return runner.invoke(app, ["profile", "template", "--out", str(tmp_path / name), *options])


def _guidance(path: Path | bytes) -> list[tuple[object, ...]]:
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    return list(openpyxl.load_workbook(source)["guidance"].iter_rows(values_only=True))


def _prompts(path: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)["profiles"]
    header = [cell.value for cell in sheet[1]]
    out = {}
    for validation in sheet.data_validations.dataValidation:
        column = openpyxl.utils.column_index_from_string(
            str(validation.sqref).split(":")[0].rstrip("0123456789"))
        out[header[column - 1]] = validation.prompt or ""
    return out


def test_a_vietnamese_template_has_vietnamese_guidance_and_prompts(tmp_path: Path) -> None:
    written = _template(tmp_path, "vi.xlsx", "--language", "vi")
    assert written.exit_code == 0, written.output
    path = tmp_path / "vi.xlsx"
    assert path.read_bytes() == template_for("profile", "vi")  # the web page's download
    guidance = _guidance(path)
    assert guidance[0] == ("Bảng", "Cột", "Bắt buộc", "Kiểu dữ liệu", "Nội dung",
                           "Được chấp nhận")
    assert any(row[2] == "Có" for row in guidance[1:])  # a required column: "Yes"
    english = {row[1]: row for row in _guidance(template_for("profile", "en"))[1:]}
    described = [row for row in guidance[1:] if row[4] and row[4] != english[row[1]][4]]
    assert len(described) > len(guidance) // 2  # the columns' descriptions are translated
    assert _prompts(path)["sitecountry"].startswith("Bắt buộc.")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["profiles", "lists", "guidance"]  # as in English
    header = workbook["profiles"][1]
    assert [cell.value for cell in header][:4] == [
        "facility_id", "facility_name", "year", "sitecountry"]


def test_the_alias_and_english_by_default(tmp_path: Path) -> None:
    chinese = _template(tmp_path, "zh.xlsx", "--lang", "zh")
    assert chinese.exit_code == 0, chinese.output
    assert _guidance(tmp_path / "zh.xlsx")[0][:2] == ("表", "列")
    english = _template(tmp_path, "en.xlsx")
    assert english.exit_code == 0, english.output
    assert _guidance(tmp_path / "en.xlsx")[0] == (
        "column", "question", "rule", "accepted values", "unit", "verification documents")


def test_an_unknown_language_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    for fmt in ("xlsx", "csv"):
        refused = _template(tmp_path, f"x.{fmt}", "--format", fmt, "--language", "xx")
        assert refused.exit_code == EXIT_USAGE, refused.output
        assert "no such template language" in refused.output
        assert "en, vi, zh, bn, km, tr, am, sw" in refused.output
        assert "Traceback" not in refused.output
        assert not (tmp_path / f"x.{fmt}").exists()


def test_the_template_reads_the_facility_pages_catalogues() -> None:
    assert TEMPLATE_AREAS == (AREA, SHELL_AREA)


def test_a_filled_vietnamese_template_validates(tmp_path: Path) -> None:
    from tests.cli.test_profile_cmd import fill_template

    assert _template(tmp_path, "vi.xlsx", "--language", "vi").exit_code == 0
    fill_template(tmp_path / "vi.xlsx")
    checked = runner.invoke(app, ["profile", "validate", str(tmp_path / "vi.xlsx")])
    assert checked.exit_code == 0, checked.output
    assert "valid — 1 profile(s), 0 error(s)" in checked.output
