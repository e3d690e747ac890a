"""Every reference category resolves its keys, labels and aliases; no name is ambiguous."""

import re

import pytest

from factory_journey.reference.loader import list_reference_files, load_csv
from factory_journey.reference.names import (
    enum_keys,
    enum_values,
    normalise_name,
    resolve_name,
    split_aliases,
)

ENUM_TABLES = [
    name
    for name in list_reference_files()
    if name.endswith(".csv")
    and {"label", "aliases"} <= set(load_csv(name).columns)
    and ({"key", "parameter"} & set(load_csv(name).columns))
]


def test_the_enum_tables_are_found():
    for name in [
        "fem_energy_sources.csv",
        "gwp.csv",
        "zdhc_wastewater_limits.csv",
        "programmes.csv",
        "fem_waste_streams.csv",
        "waste_disposal_methods.csv",
        "fem_water_sources.csv",
        "zdhc_discharge_types.csv",
        "ipcc_fuel_factors.csv",
    ]:
        assert name in ENUM_TABLES


@pytest.mark.parametrize("name", ENUM_TABLES)
def test_no_name_points_at_two_keys(name):
    values = enum_values(name)  # raises AmbiguousNameError otherwise
    keys = enum_keys(name)
    assert len(set(keys)) == len(keys), f"{name} repeats a key"
    for key in keys:
        assert values[normalise_name(key)] == key


@pytest.mark.parametrize(
    ("table", "text", "key"),
    [
        ("fem_energy_sources", "Furnace Oil", "fuel_oil"),
        ("fem_energy_sources", "  HSD ", "diesel"),
        ("fem_energy_sources", "Solar PV (onsite)", "solar_pv"),
        ("fem_energy_sources", "Purchased renewable electricity", "purchased_renewables"),
        ("fem_energy_sources.csv", "grid electricity", "purchased_electricity"),
        ("gwp", "R-410A", "r410a"),
        ("gwp", "r410a", "r410a"),
        ("gwp", "HCFC-22", "r22"),
        ("gwp", "methane", "ch4"),
        ("zdhc_wastewater_limits", "BOD5", "bod5"),
        ("zdhc_wastewater_limits", "Cr(VI)", "chromium_vi"),
        ("zdhc_wastewater_limits", "Oil & Grease", "oil_grease"),
        ("zdhc_discharge_types", "ZLD", "zero_liquid_discharge"),
        ("fem_water_sources", "Bore well", "groundwater"),
        ("fem_waste_streams", "Jhoot", "fabric_scraps"),
        ("fem_waste_streams", "ETP sludge", "etp_sludge"),
        ("waste_disposal_methods", "Sold to recycler", "recycling"),
        ("programmes", "Clean by Design", "cbd"),
        ("programmes", "Supplier to Zero", "stz"),
    ],
)
def test_aliases_resolve(table, text, key):
    assert resolve_name(table, text) == key


def test_unknown_names_resolve_to_none():
    assert resolve_name("fem_energy_sources", "unobtainium") is None
    assert resolve_name("fem_energy_sources", None) is None


def test_enum_values_returns_a_copy():
    values = enum_values("gwp")
    values["mine"] = "x"
    assert "mine" not in enum_values("gwp")


def test_split_aliases_accepts_both_separators():
    assert split_aliases("a; b|c ;;") == ["a", "b", "c"]
    assert split_aliases(None) == []
    assert normalise_name("  Natural   GAS ") == "natural gas"


def _fold(text: str) -> str:
    # ingest matches spellings on letters and digits only (domain.fem_enums.fold)
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@pytest.mark.parametrize("name", ENUM_TABLES)
def test_no_name_points_at_two_keys_even_without_punctuation(name):
    frame = load_csv(name)
    key_col = "key" if "key" in frame.columns else "parameter"
    seen: dict[str, str] = {}
    for row in frame.iter_rows(named=True):
        for text in (row[key_col], row["label"], *split_aliases(row["aliases"])):
            if text:
                known = seen.setdefault(_fold(text), row[key_col])
                assert known == row[key_col], f"{name}: {text!r} folds onto {known!r}"


@pytest.mark.parametrize("name", [n for n in list_reference_files() if n.endswith(".csv")])
def test_row_level_certainty_is_a_known_mark(name):
    frame = load_csv(name)
    for column in [c for c in frame.columns if c.startswith("certainty")]:
        marks = set(frame[column].drop_nulls())
        assert marks <= {"primary", "secondary", "unverified", "project"}, (name, column)
