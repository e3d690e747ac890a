"""Generate `reference/data/countries.csv` once from pycountry plus a hand-written UN M49 map.

pycountry (LGPL-2.1, data from Debian iso-codes) gives the ISO 3166-1 codes and names; it has
no UN M49 regions, so the region map below was written for this project from the UN
Statistics Division "Standard country or area codes for statistical use (M49)". pycountry is
NOT a runtime dependency: run this script in a throw-away environment and commit its output.

    python -m venv /tmp/genvenv && /tmp/genvenv/bin/pip install pycountry
    /tmp/genvenv/bin/python tools/make_countries.py

The script also checks that every ISO country has an M49 region (Antarctica excepted) and
that no alias names two countries.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "src/factory_journey/reference/data/countries.csv"

# M49 sub-region (intermediate region) → ISO alpha-3 members.
_AFRICA_SSA = "Sub-Saharan Africa"
_LATAM = "Latin America and the Caribbean"
M49: dict[tuple[str, str, str], str] = {
    ("Africa", "Northern Africa", ""): "DZA EGY LBY MAR SDN TUN ESH",
    ("Africa", _AFRICA_SSA, "Eastern Africa"): (
        "IOT BDI COM DJI ERI ETH ATF KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD UGA TZA ZMB ZWE"
    ),
    ("Africa", _AFRICA_SSA, "Middle Africa"): "AGO CMR CAF TCD COG COD GNQ GAB STP",
    ("Africa", _AFRICA_SSA, "Southern Africa"): "BWA SWZ LSO NAM ZAF",
    ("Africa", _AFRICA_SSA, "Western Africa"): (
        "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO"
    ),
    ("Americas", _LATAM, "Caribbean"): (
        "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA "
        "LCA MAF VCT SXM TTO TCA VIR"
    ),
    ("Americas", _LATAM, "Central America"): "BLZ CRI SLV GTM HND MEX NIC PAN",
    ("Americas", _LATAM, "South America"): (
        "ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER SGS SUR URY VEN"
    ),
    ("Americas", "Northern America", ""): "BMU CAN GRL SPM USA",
    ("Asia", "Central Asia", ""): "KAZ KGZ TJK TKM UZB",
    # Taiwan is not listed in M49; the project places it in Eastern Asia (see meta notes).
    ("Asia", "Eastern Asia", ""): "CHN HKG MAC PRK JPN MNG KOR TWN",
    ("Asia", "South-eastern Asia", ""): "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    ("Asia", "Southern Asia", ""): "AFG BGD BTN IND IRN MDV NPL PAK LKA",
    ("Asia", "Western Asia", ""): (
        "ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM"
    ),
    ("Europe", "Eastern Europe", ""): "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR",
    # Guernsey and Jersey: no intermediate region in the UNSD download mirrored at
    # datasets/country-codes tmp/UNSD-en.csv (commit 25c1991e); older downloads had
    # "Channel Islands".
    ("Europe", "Northern Europe", ""): (
        "ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU NOR SJM SWE GBR"
    ),
    ("Europe", "Southern Europe", ""): (
        "ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP"
    ),
    ("Europe", "Western Europe", ""): "AUT BEL FRA DEU LIE LUX MCO NLD CHE",
    ("Oceania", "Australia and New Zealand", ""): "AUS CXR CCK HMD NZL NFK",
    ("Oceania", "Melanesia", ""): "FJI NCL PNG SLB VUT",
    ("Oceania", "Micronesia", ""): "GUM KIR MHL FSM NRU MNP PLW UMI",
    ("Oceania", "Polynesia", ""): "ASM COK PYF NIU PCN WSM TKL TON TUV WLF",
}

# Common alternative names (English usage, former names, names used by Our World in Data,
# the World Bank and Higg FEM country lists). Written for this project.
ALIASES: dict[str, list[str]] = {
    "BOL": ["Bolivia"],
    "BRN": ["Brunei"],
    "BHS": ["The Bahamas"],
    "CHN": ["China", "People's Republic of China", "PRC", "Mainland China"],
    "CIV": ["Cote d'Ivoire", "Côte d’Ivoire", "Ivory Coast"],
    "COD": [
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "DR Congo",
        "DRC",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
    ],
    "COG": ["Republic of the Congo", "Congo-Brazzaville", "Congo (Brazzaville)"],
    "CPV": ["Cape Verde"],
    "CUW": ["Curacao"],
    "CZE": ["Czech Republic"],
    "FLK": ["Falkland Islands"],
    "FSM": ["Micronesia", "Federated States of Micronesia"],
    "GBR": ["United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "England"],
    "GMB": ["The Gambia"],
    "HKG": ["Hong Kong", "Hong Kong SAR", "Hong Kong, China"],
    "IRN": ["Iran"],
    "KOR": ["South Korea", "Korea, South", "Republic of Korea", "Korea (South)"],
    "LAO": ["Laos", "Lao PDR"],
    "MAC": ["Macao", "Macau", "Macao SAR"],
    "MDA": ["Moldova"],
    "MKD": ["North Macedonia", "Macedonia"],
    "MMR": ["Myanmar", "Burma"],
    "NLD": ["Netherlands", "The Netherlands", "Holland"],
    "PRK": ["North Korea", "Korea, North", "DPRK", "Korea (North)"],
    "PSE": ["Palestine", "State of Palestine", "Palestinian Territories"],
    "REU": ["Reunion"],
    "RUS": ["Russia"],
    "SHN": ["Saint Helena"],
    "SWZ": ["Eswatini", "Swaziland"],
    "SYR": ["Syria"],
    "TLS": ["East Timor", "Timor Leste"],
    "TUR": ["Türkiye", "Turkiye", "Turkey"],
    "TWN": ["Taiwan", "Chinese Taipei", "Taiwan, China"],
    "TZA": ["Tanzania"],
    "USA": ["United States", "United States of America", "USA", "US", "U.S.", "U.S.A."],
    "VAT": ["Vatican", "Vatican City", "Holy See"],
    "VEN": ["Venezuela"],
    "VGB": ["British Virgin Islands"],
    "VIR": ["United States Virgin Islands", "US Virgin Islands", "U.S. Virgin Islands"],
    "VNM": ["Viet Nam", "Vietnam"],
}


# Short display names where the ISO name is long or inverted ("Virgin Islands, U.S.").
COMMON_NAME: dict[str, str] = {
    "BRN": "Brunei",
    "COD": "DR Congo",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "RUS": "Russia",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
}


def _region_of() -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for region, members in M49.items():
        for iso3 in members.split():
            if iso3 in out:
                sys.exit(f"{iso3} is in two M49 regions")
            out[iso3] = region
    return out


def main() -> None:
    region_of = _region_of()
    rows = []
    seen: dict[str, str] = {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iso3 = country.alpha_3
        region, subregion, intermediate = region_of.pop(iso3, ("", "", ""))
        if not region and iso3 != "ATA":
            sys.exit(f"{iso3} {country.name} has no M49 region")
        common = getattr(country, "common_name", None) or country.name
        names = [country.name, common, getattr(country, "official_name", None)]
        names += ALIASES.get(iso3, [])
        aliases: list[str] = []
        for name in names:
            if name and name not in aliases:
                aliases.append(name)
        for name in [*aliases, country.alpha_2, iso3]:
            norm = " ".join(name.casefold().split())
            if seen.setdefault(norm, iso3) != iso3:
                sys.exit(f"alias {name!r} names both {seen[norm]} and {iso3}")
        rows.append(
            {
                "iso2": country.alpha_2,
                "iso3": iso3,
                "numeric": country.numeric,
                "name": country.name,
                "common_name": COMMON_NAME.get(iso3, common),
                "aliases": ";".join(a for a in aliases if a != country.name),
                "un_region": region,
                "un_subregion": subregion,
                "un_intermediate_region": intermediate,
            }
        )
    if region_of:
        sys.exit(f"M49 map names codes that are not ISO 3166-1: {sorted(region_of)}")
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
