"""The generator: reproducible, shaped like the dataset contract, realistic distributions."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.demo import TABLE_ORDER, cohorts, generate_dataset, normalise_years
from factory_journey.demo.summary import headline, improvements
from factory_journey.domain.fem_enums import resolve_country
from factory_journey.domain.profile import PROFILES
from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.domain.units import unit_dimension
from factory_journey.ingest.enums import enum_index, folded

TYPES = {"str": pl.String, "float": pl.Float64, "int": pl.Int64, "bool": pl.Boolean,
         "date": pl.Date, "list": pl.String}


def _spec(name: str):
    return PROFILES if name == "profiles" else TABLES_BY_NAME[name]


def test_same_seed_gives_identical_frames():
    a = generate_dataset(60, [2021, 2022], 5)
    b = generate_dataset(60, [2021, 2022], 5)
    assert list(a) == list(TABLE_ORDER)
    for name in TABLE_ORDER:
        assert_frame_equal(a[name], b[name])


def test_different_seed_gives_different_frames():
    a = generate_dataset(60, [2021, 2022], 5)
    b = generate_dataset(60, [2021, 2022], 6)
    assert not a["energy"].equals(b["energy"])
    assert not a["profiles"].equals(b["profiles"])


@pytest.mark.parametrize("name", TABLE_ORDER)
def test_columns_and_types_follow_the_contract(pilot_tables, name):
    spec = _spec(name)
    frame = pilot_tables[name]
    assert frame.columns == list(spec.column_names)
    assert frame.height > 0
    for column in spec.columns:
        assert frame.schema[column.name] == TYPES[column.type], column.name
        if column.required:
            assert frame[column.name].null_count() == 0, f"{name}.{column.name} has blanks"
        values = frame[column.name].drop_nulls()
        if values.is_empty():
            continue
        if column.minimum is not None and values.dtype.is_numeric():
            assert values.min() >= column.minimum, column.name
        if column.maximum is not None and values.dtype.is_numeric():
            assert values.max() <= column.maximum, column.name


@pytest.mark.parametrize("name", TABLE_ORDER)
def test_enumerated_values_are_accepted(pilot_tables, name):
    spec = _spec(name)
    frame = pilot_tables[name]
    for column in spec.columns:
        if column.enum is None:
            continue
        values = frame[column.name].drop_nulls().unique()
        if column.type == "list":
            values = values.str.split(";").explode().unique()
        index = enum_index(column.enum).index
        keys = pl.select(folded(pl.lit(values))).to_series()
        unknown = [v for v, k in zip(values, keys, strict=True) if k not in index]
        assert not unknown, f"{name}.{column.name}: {unknown}"


def test_units_have_the_right_dimension(pilot_tables):
    for name, allowed in (("energy", {"energy", "volume", "mass"}), ("water", {"volume"}),
                          ("wastewater", {"volume"}), ("waste", {"mass"})):
        for unit in pilot_tables[name]["unit"].unique():
            assert unit_dimension(unit) in allowed, (name, unit)


def test_unit_variety(pilot_tables):
    assert {"kWh", "MWh"} <= set(pilot_tables["energy"]["unit"])
    assert len(set(pilot_tables["energy"]["unit"])) >= 6
    assert {"kg", "t"} <= set(pilot_tables["waste"]["unit"])


def test_pilot_cohorts_match_the_seed():
    design = cohorts(115, 2021)
    counts = dict(design.group_by("cohort").len().iter_rows())
    # The seed's 18 / 33 / 33 / 30 of 114, plus one facility for the 115th.
    assert counts == {"clp_stz": 18, "stz": 34, "clp": 33, "control": 30}
    assert dict(cohorts(114, 3).group_by("cohort").len().iter_rows()) == {
        "clp_stz": 18, "stz": 33, "clp": 33, "control": 30}


def test_programmes_table_matches_the_cohorts(pilot_tables):
    design = cohorts(115, 2021)
    prog = pilot_tables["programmes"]
    clp = set(prog.filter(pl.col("programme") == "clp")["facility_id"])
    stz = set(prog.filter(pl.col("programme") == "stz")["facility_id"])
    assert clp == set(design.filter("clp")["facility_id"])
    assert stz == set(design.filter("stz")["facility_id"])
    assert len(clp & stz) == 18
    assert prog["start_date"].dt.year().unique().to_list() == [2022]


def test_country_distribution(pilot_tables):
    profiles = pilot_tables["profiles"].filter(pl.col("year") == 2021)
    iso2 = [resolve_country(v).iso2 for v in profiles["sitecountry"]]
    counts = {c: iso2.count(c) for c in set(iso2)}
    assert counts == {"BD": 37, "CN": 40, "VN": 14, "TR": 9, "KH": 15}


def test_every_facility_every_year_in_profiles(pilot_tables):
    profiles = pilot_tables["profiles"]
    assert profiles.height == 115 * 3
    assert profiles.select(pl.struct("facility_id", "year").n_unique()).item() == 345


def test_keys_are_unique(pilot_tables):
    for name in TABLE_ORDER:
        key = list(_spec(name).key)
        frame = pilot_tables[name]
        assert frame.select(key).is_duplicated().sum() == 0, name


def test_monthly_for_small_and_annual_for_large():
    small = generate_dataset(30, [2022], 1)
    assert small["energy"]["month"].null_count() == 0
    annual = generate_dataset(30, [2022], 1, monthly=False)
    assert annual["energy"]["month"].null_count() == annual["energy"].height
    # InCheck reports stay monthly.
    assert annual["chemicals"]["month"].null_count() == 0


def test_tidy_dataset_has_no_gaps():
    tidy = generate_dataset(50, [2021, 2022], 4, messiness=0)
    energy = tidy["energy"].group_by("facility_id", "year").agg(pl.col("month").n_unique())
    assert energy["month"].min() == 12
    assert tidy["profiles"]["sitecountry"].str.len_chars().max() == 2


def test_realistic_intensities(pilot_tables):
    data = improvements(pilot_tables)
    assert data.height > 100
    from factory_journey.demo.summary import intensities

    values = intensities(pilot_tables).join(
        cohorts(115, 2021).select("facility_id", "factory_type"), on="facility_id")
    cut_sew = values.filter(pl.col("factory_type") == "cut_sew")
    median_pc = cut_sew["energy_intensity"].median()
    assert 0.6 < median_pc < 2.0  # MJ/piece, Çay 2018: 0.78-1.44
    mill = values.filter(pl.col("factory_type") == "mill")
    assert 10 < mill["energy_intensity"].median() < 80  # MJ/kg
    assert 50 < mill["water_intensity_l"].median() < 300  # L/kg, IFC PaCT 70-250+
    assert cut_sew["water_intensity_l"].median() < 20  # L/piece


def test_participants_improve_more_than_control(large_tables):
    h = headline(large_tables)
    assert h["clp_energy_change_median"] < h["control_energy_change_median"] - 0.05
    assert h["clp_water_change_median"] < h["control_water_change_median"] - 0.05
    assert h["stz_gateway_change_median"] > h["control_gateway_change_median"] + 0.03
    # Roughly the seed's headline shares (61 % energy, 77 % water, 20 % chemicals).
    assert 0.5 < h["energy_improved_share"] < 0.72
    assert 0.65 < h["water_improved_share"] < 0.87
    assert 0.10 < h["chemicals_improved_share"] < 0.30


def test_normalise_years():
    assert normalise_years("2021-2023").tolist() == [2021, 2022, 2023]
    assert normalise_years(range(2021, 2023)).tolist() == [2021, 2022]
    with pytest.raises(ValueError):
        normalise_years([])


def test_ten_thousand_facilities_generate():
    # A smoke test of the vectorised path (no timing assertion).
    tables = generate_dataset(10_000, [2021, 2022, 2023], 3)
    assert tables["profiles"].height == 30_000
    assert tables["energy"].height > 100_000


def test_iter_dataset_gives_the_same_tables():
    from factory_journey.demo import iter_dataset

    streamed = dict(iter_dataset(25, [2021, 2022], 8))
    whole = generate_dataset(25, [2021, 2022], 8)
    assert set(streamed) == set(whole)
    for name, frame in whole.items():
        assert_frame_equal(streamed[name], frame)


def test_generator_imports_no_adapter():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from factory_journey.demo import generate_dataset\n"
        "generate_dataset(5, [2021], 1)\n"
        "bad = [m for m in ('typer', 'rich', 'openpyxl', 'xlsxwriter') if m in sys.modules]\n"
        "bad += [m for m in sys.modules if m.startswith(('factory_journey.cli', "
        "'factory_journey.services', 'factory_journey.ingest'))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
