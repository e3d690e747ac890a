"""The peer group and the missing data of the facility report in the reader's words.

The engine writes both in English and in column ids (`vertical per-kg facilities in
South-eastern Asia 2024`, `energy_intensity_mj_per_unit (missing: production_volume_pcs)`); the
report says them with translated names. The frames here come from the real engine: the report
fixtures' matrix assessed against a small peer table, and with inputs left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from factory_journey.engine.assessment import assess, parse_methodology
from factory_journey.engine.assessment.methodology import default_methodology
from factory_journey.engine.assessment.peers import PEER_TABLE_SCHEMA
from factory_journey.reference.countries import countries
from factory_journey.reference.loader import load_yaml
from factory_journey.reports.assessment_words import M49, peer_group_words
from factory_journey.reports.context import ReportData, build_facility_context
from factory_journey.reports.i18n import LANGUAGES, Translator, translator
from factory_journey.reports.labels import FACTORY_TYPES, INPUTS
from tests.reports.conftest import TODAY

#: A matrix column id as the engine writes it (`energy_total_mj`, `production_volume_pcs`).
COLUMN_ID = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
#: (indicator, level, factory type, basis, region, n): groups of 2024 that judge the fixture
#: facilities: VN-VERT-003 (vertical, kg, VN, South-eastern Asia) and CN-MILL-002 (mill, kg).
GROUPS = [
    ("energy_intensity", "un_subregion", "vertical", "kg", "South-eastern Asia", 12),
    ("waste_diversion_share", "country_iso2", "vertical", None, "VN", 11),
    ("water_intensity", "global", "mill", "kg", None, 25),
]
#: Every input the methodology reads, and the indicator values made from them (left out).
LEFT_OUT = [
    "energy_total_mj", "energy_thermal_mj", "water_withdrawal_m3", "wastewater_m3",
    "zdhc_parameters_tested", "chem_products", "waste_total_kg", "air_sources_count",
    "production_volume_pcs", "production_volume_kg",
]


def _data(report_data: ReportData, matrix: pl.DataFrame,
          peers: pl.DataFrame | None = None) -> ReportData:
    result = assess(matrix, peers=peers)  # the packaged methodology
    return ReportData(
        matrix=matrix, opportunities=result.opportunities, pathways=result.pathways,
        measures=result.measures, trajectory=result.trajectory, indicators=result.indicators,
        versions=result.versions, module_titles=report_data.module_titles,
        measure_titles=report_data.measure_titles,
        peer_percentiles=default_methodology().peer_percentiles(),
    )


@pytest.fixture(scope="module")
def peer_data(report_data: ReportData) -> ReportData:
    table = pl.DataFrame(
        [{"indicator": i, "level": lv, "year": 2024, "factory_type": ft, "basis": b,
          "region": r, "threshold": 50.0, "n": n} for i, lv, ft, b, r, n in GROUPS],
        schema=PEER_TABLE_SCHEMA,
    )
    return _data(report_data, report_data.matrix, table)


@pytest.fixture(scope="module")
def missing_data(report_data: ReportData) -> ReportData:
    """The fixture matrix with every input of BD-CS-001 and CN-MILL-002 in 2024 left out (and
    the indicator values that come from them), and no intensity basis for VN-VERT-003 2024."""
    matrix = report_data.matrix
    values = {c for c in matrix.columns
              if c.endswith("_per_unit") or c.endswith("_share") or c.endswith("_rate")
              or c in ("zdhc_overall_level", "chem_months_reported", "coal_share_thermal",
                       "ems_has_policy", "ems_has_management_system")}
    gone = (pl.col("facility_id").is_in(["BD-CS-001", "CN-MILL-002"])) & (pl.col("year") == 2024)
    vn = (pl.col("facility_id") == "VN-VERT-003") & (pl.col("year") == 2024)
    matrix = matrix.with_columns(
        *(pl.when(gone).then(None).otherwise(pl.col(c)).alias(c)
          for c in sorted(values | set(LEFT_OUT)) if c in matrix.columns),
    ).with_columns(
        *(pl.when(vn).then(None).otherwise(pl.col(c)).alias(c)
          for c in ("intensity_basis", "energy_intensity_mj_per_unit",
                    "water_intensity_l_per_unit")),
    )
    return _data(report_data, matrix)


def _indicator(context: dict, key: str) -> dict:  # type: ignore[type-arg]
    return next(i for a in context["areas"] for i in a["indicators"] if i["key"] == key)


def _notes(data: ReportData, facility: str, lang: str) -> dict[str, str]:
    context = build_facility_context(data, facility, translator(lang, strict=True), today=TODAY)
    return {key: _indicator(context, key)["threshold_note"]
            for key in ("energy_intensity", "waste_diversion_share", "water_intensity")}


def test_the_engine_judged_these_indicators_by_its_peer_groups(peer_data: ReportData) -> None:
    rows = peer_data.indicators.filter(pl.col("threshold_kind") == "peer")
    assert sorted(rows["peer_group"].to_list()) == [
        "mill per-kg facilities in the world 2024",
        "vertical facilities in VN 2024",
        "vertical per-kg facilities in South-eastern Asia 2024",
    ]


def test_english_names_the_group_in_words(peer_data: ReportData) -> None:
    notes = _notes(peer_data, "VN-VERT-003", "en")
    assert notes["energy_intensity"] == (
        "75th percentile of 12 peers (Vertical, per kg, South-eastern Asia, 2024)")
    assert notes["waste_diversion_share"] == "25th percentile of 11 peers (Vertical, Vietnam, 2024)"
    assert _notes(peer_data, "CN-MILL-002", "en")["water_intensity"] == (
        "75th percentile of 25 peers (Mill, per kg, worldwide, 2024)")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_peer_group_is_in_the_report_language(peer_data: ReportData, lang: str) -> None:
    tr = translator(lang, strict=True)
    notes = _notes(peer_data, "VN-VERT-003", lang)
    subregion, country = tr.locale.territories["035"], tr.locale.territories["VN"]
    assert subregion in notes["energy_intensity"]
    assert country in notes["waste_diversion_share"]
    peer = [notes["energy_intensity"], notes["waste_diversion_share"]]
    assert all(tr(FACTORY_TYPES["vertical"]) in note for note in peer)
    world = _notes(peer_data, "CN-MILL-002", lang)["water_intensity"]
    assert tr("worldwide") in world and tr(FACTORY_TYPES["mill"]) in world
    for note in [*peer, world]:
        assert not re.search(r"facilities in|per-kg|vertical|mill|South-eastern|the world", note)


def test_an_unknown_field_shows_the_engine_s_group() -> None:
    tr = translator("vi", strict=True)
    row = {"peer_level": "un_subregion", "peer_group": "vertical per-kg facilities in X 2024",
           "column": "energy_intensity_mj_per_unit", "year": 2024}
    profile = {"journey_factory_type": "vertical", "intensity_basis": "kg",
               "un_subregion": "Southern Asia"}
    # not the group the engine used: its own text rather than words for another group
    assert peer_group_words(tr, row, profile) == row["peer_group"]
    assert peer_group_words(tr, row, {**profile, "un_subregion": "X"}) == row["peer_group"]
    same = {**row, "peer_group": "vertical per-kg facilities in Southern Asia 2024"}
    assert peer_group_words(tr, same, profile) == (
        "Nhà máy tích hợp, tính trên mỗi kg, Nam Á, năm 2024")
    assert peer_group_words(tr, row, {**profile, "journey_factory_type": "tannery"}) == (
        row["peer_group"])


def _texts(data: ReportData, lang: str) -> list[str]:
    texts = []
    for facility in ("BD-CS-001", "CN-MILL-002", "VN-VERT-003"):
        context = build_facility_context(data, facility, translator(lang, strict=True),
                                         year=2024, today=TODAY)
        texts += [a["missing"] for a in context["areas"] if a["missing"]]
        texts += [i["missing"] for a in context["areas"] for i in a["indicators"] if i["missing"]]
    return texts


def _engine_inputs(data: ReportData) -> set[str]:
    texts = data.indicators["missing_data"].drop_nulls().to_list()
    return {name for text in texts for part in re.findall(r"\(missing: ([^)]*)\)", text)
            for name in part.split(", ")}


def test_the_engine_named_every_kind_of_missing_input(missing_data: ReportData) -> None:
    assert _engine_inputs(missing_data) == {*LEFT_OUT, "intensity_basis"}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_data_needed_names_no_column_id(missing_data: ReportData, lang: str) -> None:
    texts = _texts(missing_data, lang)
    assert texts
    for text in texts:
        assert not COLUMN_ID.search(text), text
        assert "missing:" not in text


@pytest.mark.parametrize("lang", ["en", "vi", "am"])
def test_data_needed_names_each_input_and_its_indicator(missing_data: ReportData,
                                                        lang: str) -> None:
    tr = translator(lang, strict=True)
    context = build_facility_context(missing_data, "BD-CS-001", tr, year=2024, today=TODAY)
    energy = next(a for a in context["areas"] if a["key"] == "energy")
    intensity = _indicator(context, "energy_intensity")
    assert tr(INPUTS["energy_total_mj"]) in intensity["missing"]
    assert tr(INPUTS["production_volume_pcs"]) in intensity["missing"]
    assert tr("Energy intensity") in energy["missing"]
    assert tr(INPUTS["production_volume_pcs"]) in energy["missing"]
    every = " ".join(_texts(missing_data, lang))
    for name in _engine_inputs(missing_data):
        assert tr(INPUTS[name]) in every, name


def test_english_data_needed_reads_as_a_sentence(missing_data: ReportData) -> None:
    context = build_facility_context(missing_data, "CN-MILL-002", translator("en"), year=2024,
                                     today=TODAY)
    water = next(a for a in context["areas"] if a["key"] == "water")
    assert water["missing"].startswith(
        "fresh water withdrawn and annual production in kg (for Water intensity)")


def test_every_methodology_input_has_a_name() -> None:
    folder = Path(__file__).parents[2] / "src/factory_journey/reference/data/methodology"
    for path in sorted(folder.glob("*.yaml")):
        methodology = parse_methodology(load_yaml(f"methodology/{path.name}"))
        for _, indicator in methodology.indicators():
            # `production_volume` is named as the volume in pieces or kg, or the basis
            assert set(indicator.requires) - {"production_volume"} <= set(INPUTS), path.name


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_un_region_has_a_name_in_every_language(lang: str) -> None:
    frame = countries()
    names = set(frame["un_region"].to_list()) | set(frame["un_subregion"].to_list())
    names.discard("")
    assert names <= set(M49)
    territories = Translator(lang=lang, messages={}).locale.territories
    assert all(code in territories for code in M49.values())


def test_the_note_names_the_percentile_the_methodology_set(peer_data: ReportData) -> None:
    """The packaged methodology judges waste diversion (higher is better) by the 25th
    percentile of its peers and energy intensity by the 75th: the note says which, from the
    methodology the assessment used; without it, no number (never an assumed one)."""
    from factory_journey.services.reports import report_data

    frames = {"opportunities": peer_data.opportunities, "pathways": peer_data.pathways,
              "measures": peer_data.measures, "trajectory": peer_data.trajectory,
              "indicators": peer_data.indicators}
    packaged = report_data(peer_data.matrix, frames, peer_data.versions, "fixture")
    percentiles = {i.key: i.threshold.percentile for _a, i in default_methodology().indicators()}
    assert percentiles["waste_diversion_share"] == 0.25
    assert percentiles["energy_intensity"] == 0.75
    assert packaged.peer_percentiles["waste_diversion_share"] == 0.25
    notes = _notes(packaged, "VN-VERT-003", "en")
    assert notes["waste_diversion_share"].startswith("25th percentile of 11 peers (")
    assert notes["energy_intensity"].startswith("75th percentile of 12 peers (")
    vietnamese = _notes(packaged, "VN-VERT-003", "vi")
    assert "thứ 25" in vietnamese["waste_diversion_share"]
    # An assessment made with another methodology: its percentiles are not known here.
    other = report_data(peer_data.matrix, frames,
                        {**peer_data.versions, "methodology": "own (1)"}, "fixture")
    assert other.peer_percentiles == {}
    unknown = _notes(other, "VN-VERT-003", "en")
    assert unknown["waste_diversion_share"].startswith("A percentile of 11 peers (")
    assert "75th" not in unknown["energy_intensity"]
