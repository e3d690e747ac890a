"""Countries: complete ISO 3166-1 list, M49 regions, and every grid-table country resolves."""

import pytest

from factory_journey.reference.countries import countries, country_lookup, resolve_country
from factory_journey.reference.loader import load_csv


def test_every_iso_country_is_there_once():
    frame = countries()
    assert frame.height == 249
    for column in ("iso2", "iso3", "numeric"):
        assert frame[column].n_unique() == frame.height, column
    assert set(frame["numeric"].str.len_chars()) == {3}


def test_every_country_but_antarctica_has_an_m49_region():
    frame = countries()
    missing = frame.filter(frame["un_region"] == "")["iso3"].to_list()
    assert missing == ["ATA"]
    assert set(frame["un_region"]) - {""} == {"Africa", "Americas", "Asia", "Europe", "Oceania"}


@pytest.mark.parametrize(
    ("text", "iso2", "subregion"),
    [
        ("Viet Nam", "VN", "South-eastern Asia"),
        ("vietnam", "VN", "South-eastern Asia"),
        ("Türkiye", "TR", "Western Asia"),
        ("Turkey", "TR", "Western Asia"),
        ("People's Republic of China", "CN", "Eastern Asia"),
        ("CHN", "CN", "Eastern Asia"),
        ("bd", "BD", "Southern Asia"),
        ("050", "BD", "Southern Asia"),
        (50, "BD", "Southern Asia"),
        ("Ethiopia", "ET", "Sub-Saharan Africa"),
        ("NA", "NA", "Sub-Saharan Africa"),
        ("United States", "US", "Northern America"),
        ("UK", "GB", "Northern Europe"),
        ("Cote d'Ivoire", "CI", "Sub-Saharan Africa"),
        ("DR Congo", "CD", "Sub-Saharan Africa"),
        ("Taiwan", "TW", "Eastern Asia"),
    ],
)
def test_resolve_country(text, iso2, subregion):
    country = resolve_country(text)
    assert country is not None, text
    assert country.iso2 == iso2
    assert country.un_subregion == subregion


def test_unknown_country_is_none():
    assert resolve_country("Atlantis") is None
    assert resolve_country(None) is None


def test_every_country_of_the_grid_table_resolves_by_code_and_name():
    grid = load_csv("grid_carbon_intensity.csv")
    lookup = country_lookup()
    for iso3, name in grid.select("iso3", "country").iter_rows():
        by_code = resolve_country(iso3)
        assert by_code is not None, iso3
        by_name = resolve_country(name)
        assert by_name is not None and by_name.iso3 == iso3, name
    assert len(lookup) > 3 * 249
