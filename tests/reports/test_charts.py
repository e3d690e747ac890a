"""Charts: well-formed SVG, labels outlined (shaped) identically for HTML and PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import factory_journey.web
from factory_journey.reports import charts
from factory_journey.reports.glyphs import FONTS, outline_text, runs, shape

SVG = "{http://www.w3.org/2000/svg}"


def _overview() -> str:
    rows = [
        {"label": "শক্তি", "level": "high", "level_label": "বড় সুযোগ"},
        {"label": "ទឹកកខ្វក់", "level": "low", "level_label": "ឱកាសទាប"},
        {"label": "能源 & <Water>", "level": "not_assessed", "level_label": "Not assessed"},
    ]
    return charts.area_overview(rows, "Impact areas")


def test_charts_are_well_formed_svg() -> None:
    bars = [{"label": "This facility", "value": 12.0, "text": "12", "kind": "facility_worse"},
            {"label": "Threshold", "value": None, "text": "–", "kind": "threshold"}]
    made = [
        _overview(),
        charts.indicator_bars(bars, "Energy"),
        charts.trend_lines([2022, 2023, 2024], [{"label": "GHG", "values": [3.0, None, 2.5]}],
                           "t", ["0", "2", "4"], [0, 2, 4]),
        charts.heatmap(["Energy"], ["VN", "BD"], [[0.5, None]], [["1/2", "–"]], "Heat"),
    ]
    for svg in made:
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert float(root.attrib["width"]) > 0
        assert ET.fromstring(outline_text(svg)).tag == f"{SVG}svg"


def test_text_is_escaped_then_outlined() -> None:
    svg = _overview()
    assert "&lt;Water&gt;" in svg
    out = outline_text(svg)
    assert "<text" not in out
    assert 'aria-label="能源 &amp; &lt;Water&gt;"' in out
    assert out == outline_text(svg)  # deterministic


def test_bengali_vowel_sign_is_shaped_before_its_consonant() -> None:
    """ি (U+09BF) is written after ক but drawn before it: HarfBuzz reorders."""
    glyphs, _ = shape("কি", 12, bold=False)
    assert len(glyphs) == 2
    assert glyphs[0][2] <= glyphs[1][2]
    first_gid = glyphs[0][1]
    from factory_journey.reports.glyphs import shaping_font

    font = shaping_font("bengali", False).font
    assert font.get_nominal_glyph(ord("ি")) == first_gid


def test_runs_keep_spaces_and_digits_with_the_script() -> None:
    assert runs("বড় সুযোগ 38%", bold=False) == [("bengali", "বড় সুযোগ 38%")]
    assert [family for family, _ in runs("Energy 能源", bold=True)] == ["latin", "cjk"]


def test_nice_ticks() -> None:
    assert charts.nice_ticks(0, 37.2) == [0, 10, 20, 30, 40]
    assert charts.nice_ticks(0, 0.83) == [0.0, 0.25, 0.5, 0.75, 1.0]


def _column_labels(svg: str) -> list[str]:
    """The bold (column heading) texts of a heatmap, top to bottom, left to right."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")
            if t.get("font-weight") == "bold"]


def test_a_heading_without_spaces_is_parted_between_clusters() -> None:
    """Khmer writes words without spaces: a heading too wide for its column is put on two
    lines between clusters (never before a vowel sign, never after the coeng that joins the
    next consonant), as an English heading is parted at a space."""
    khmer = ["ការគ្រប់គ្រងបរិស្ថាន", "កាកសំណល់", "ការបំភាយចូលខ្យល់"]
    svg = charts.heatmap(["ផ្ទះ"], khmer, [[0.5, 0.2, None]], [["1/2", "1/5", "–"]], "Heat",
                         width=300)
    labels = _column_labels(svg)
    assert len(labels) > len(khmer)  # at least one heading on two lines
    assert "".join(labels) == "".join(khmer)  # nothing lost or repeated, in order
    for part in labels:
        assert not charts.unicodedata.category(part[0]).startswith("M"), part
        assert not part.endswith("\u17d2"), part
    chinese = charts.heatmap(["行"], ["环境管理体系认证", "废弃物"], [[0.5, None]],
                             [["1/2", "–"]], "Heat", width=220)
    assert len(_column_labels(chinese)) == 3
    english = charts.heatmap(["Row"], ["Environmental management"], [[0.5]], [["1/2"]],
                             "Heat", width=200)
    assert _column_labels(english) == ["Environmental", "management"]


def test_bar_labels_stay_inside_the_chart() -> None:
    """A long label ("Peer median" in Swahili is four words) widens the labels' column or
    gets smaller; a right-aligned label never starts left of the chart (it was cut there)."""
    bars = [
        {"label": "Kituo hiki", "value": 23.1, "text": "23.1 L/kg", "kind": "facility_ok"},
        {"label": "Kizingiti", "value": 112.0, "text": "112 L/kg", "kind": "threshold"},
        {"label": "Wastani wa kati wa vituo linganishi", "value": 94.0, "text": "94.0 L/kg",
         "kind": "peer"},
    ]
    root = ET.fromstring(charts.indicator_bars(bars, "Maji"))
    ends = [t for t in root.iter("{http://www.w3.org/2000/svg}text")
            if t.get("text-anchor") == "end"]
    assert len(ends) == 4  # the long label on two lines
    for label in ends:
        left = float(label.get("x", 0)) - charts._text_width(label.text or "",
                                                              float(label.get("font-size", 0)))
        assert left >= 0, f"{label.text!r} starts at {left:.1f}"
    short = ET.fromstring(charts.indicator_bars(bars[:2], "Maji"))
    assert {t.get("font-size") for t in short.iter("{http://www.w3.org/2000/svg}text")} == {"11"}


def test_a_script_font_names_the_font_the_web_pages_ship() -> None:
    """A chart set into a web page keeps its `<text>`: for each script, its family list names
    the font the pages declare for that language (a phone without the system font of the
    script draws boxes otherwise), and that font's files are the report fonts."""
    css = (Path(factory_journey.web.__file__).parent / "static/pages/pages.css").read_text()
    faces = dict(re.findall(r'font-family: "(Journey \w+)";\s*src: url\("/fonts/([^"]+)"\)', css))
    for lang, families in charts.SCRIPT_FONTS.items():
        declared = re.search(rf"html:lang\({lang}[^)]*\) \{{([^}}]+)\}}", css)
        assert declared is not None, lang
        shipped = re.findall(r'"(Journey \w+)"', declared.group(1))
        assert len(shipped) == 1 and shipped[0] in faces, (lang, shipped)
        assert f"'{shipped[0]}'" in families, (lang, families)
        assert (FONTS / faces[shipped[0]]).is_file()
        # the system's own font still comes first: the text is shaped by one font per script
        assert families.startswith("'Noto Sans "), families
