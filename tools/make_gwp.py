"""Generate `reference/data/gwp.csv` once from the `globalwarmingpotentials` package (CC0).

The package holds the IPCC GWP100 values of every assessment report (AR5: IPCC AR5 WG1
Table 8.A.1 as tabulated by the GHG Protocol; AR6: AR6 WG1 Table 7.SM.7). It is NOT a runtime
dependency: run this script in a throw-away environment and commit its output.

    python -m venv /tmp/genvenv && /tmp/genvenv/bin/pip install globalwarmingpotentials
    /tmp/genvenv/bin/python tools/make_gwp.py

Blends (R-404A, R-407A, R-407C, R-410A, R-507A, R-448A, R-449A, R-513A) are computed as the
mass-fraction-weighted sum of their components' GWPs, the method of the EU F-gas Regulation
and the GHG Protocol. Gases the package lacks (hydrocarbons, ammonia, HFOs, the fossil/biogenic
split of methane) are entered by hand below; each row says how sure it is (HAND_CERTAINTY).
"""

from __future__ import annotations

import csv
from pathlib import Path

import globalwarmingpotentials as gwp_package  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "src/factory_journey/reference/data/gwp.csv"
AR5 = gwp_package.data["AR5GWP100"]
AR6 = gwp_package.data["AR6GWP100"]
PACKAGE = f"globalwarmingpotentials {gwp_package.__version__}"

# key, label, aliases, formula, ASHRAE name, package species name
PURE: list[tuple[str, str, str, str, str, str]] = [
    ("co2", "Carbon dioxide", "CO2;carbon dioxide;CO₂", "CO2", "", ""),
    ("ch4", "Methane", "CH4;methane;CH₄", "CH4", "R-50", "CH4"),
    ("n2o", "Nitrous oxide", "N2O;nitrous oxide;N₂O;dinitrogen monoxide", "N2O", "R-744A", "N2O"),
    ("sf6", "Sulfur hexafluoride", "SF6;sulphur hexafluoride", "SF6", "R-846", "SF6"),
    ("nf3", "Nitrogen trifluoride", "NF3", "NF3", "", "NF3"),
    ("r11", "CFC-11", "R-11;R11;CFC11;trichlorofluoromethane", "CCl3F", "R-11", "CFC11"),
    ("r12", "CFC-12", "R-12;R12;CFC12;dichlorodifluoromethane", "CCl2F2", "R-12", "CFC12"),
    (
        "r22",
        "HCFC-22",
        "R-22;R22;HCFC22;chlorodifluoromethane;Freon 22",
        "CHClF2",
        "R-22",
        "HCFC22",
    ),
    ("r123", "HCFC-123", "R-123;R123;HCFC123", "CHCl2CF3", "R-123", "HCFC123"),
    ("r141b", "HCFC-141b", "R-141b;R141b;HCFC141b", "CH3CCl2F", "R-141b", "HCFC141b"),
    ("r142b", "HCFC-142b", "R-142b;R142b;HCFC142b", "CH3CClF2", "R-142b", "HCFC142b"),
    ("r23", "HFC-23", "R-23;R23;HFC23;fluoroform", "CHF3", "R-23", "HFC23"),
    ("r32", "HFC-32", "R-32;R32;HFC32;difluoromethane", "CH2F2", "R-32", "HFC32"),
    ("r125", "HFC-125", "R-125;R125;HFC125;pentafluoroethane", "CHF2CF3", "R-125", "HFC125"),
    (
        "r134a",
        "HFC-134a",
        "R-134a;R134a;HFC134a;1,1,1,2-tetrafluoroethane",
        "CH2FCF3",
        "R-134a",
        "HFC134a",
    ),
    (
        "r143a",
        "HFC-143a",
        "R-143a;R143a;HFC143a;1,1,1-trifluoroethane",
        "CH3CF3",
        "R-143a",
        "HFC143a",
    ),
    (
        "r152a",
        "HFC-152a",
        "R-152a;R152a;HFC152a;1,1-difluoroethane",
        "CH3CHF2",
        "R-152a",
        "HFC152a",
    ),
    ("r227ea", "HFC-227ea", "R-227ea;R227ea;HFC227ea;FM-200", "CF3CHFCF3", "R-227ea", "HFC227ea"),
    ("r245fa", "HFC-245fa", "R-245fa;R245fa;HFC245fa", "CHF2CH2CF3", "R-245fa", "HFC245fa"),
]

# Sources of the values checked by hand (see the report in the gwp.meta.yaml notes).
_AR6SM = (
    "AR6 WG1 Table 7.SM.7 as published in chrisroadmap/ar6 "
    "data_output/7sm/metrics_supplement_cleaned.csv"
)
_EU = "the Regulation (EU) 517/2014 Annex IV value (based on IPCC AR4)"
_HFO_AR5 = (
    "AR5 <1 per the 2021 ASHRAE Handbook Fundamentals Table 3B (IPCC 2013) as transcribed, "
    "not read in IPCC AR5"
)

# Gases not in the package: (key, label, aliases, formula, ASHRAE, AR5, AR6, note)
BY_HAND: list[tuple[str, str, str, str, str, float, float, str]] = [
    (
        "ch4_fossil",
        "Methane, fossil",
        "fossil methane;CH4 fossil;CH4-fossil",
        "CH4",
        "",
        30.0,
        29.8,
        "AR5 Table 8.A.1 footnote (fossil CH4 incl. oxidation to CO2) 30; AR6 Table 7.15 29.8",
    ),
    (
        "ch4_biogenic",
        "Methane, biogenic (non-fossil)",
        "biogenic methane;non-fossil methane;CH4 biogenic;CH4-non fossil",
        "CH4",
        "",
        28.0,
        27.0,
        "AR5 28 (same as CH4); AR6 Table 7.15 non-fossil CH4 27.0",
    ),
    (
        "r290",
        "Propane (R-290)",
        "R-290;R290;propane;HC-290",
        "C3H8",
        "R-290",
        3.0,
        0.02,
        "AR6 0.02 from " + _AR6SM + "; AR5 3 not found in IPCC AR5: 3 is " + _EU,
    ),
    (
        "r600a",
        "Isobutane (R-600a)",
        "R-600a;R600a;isobutane;HC-600a",
        "C4H10",
        "R-600a",
        3.0,
        3.0,
        "AR5/AR6 values not found in IPCC tables (AR6 Table 7.SM.7 lists n-butane 0.006 "
        "but not isobutane); 3 is " + _EU,
    ),
    (
        "r717",
        "Ammonia (R-717)",
        "R-717;R717;ammonia;NH3",
        "NH3",
        "R-717",
        0.0,
        0.0,
        "not tabulated by IPCC AR5/AR6; 0 is the Regulation (EU) 517/2014 Annex IV value "
        "for R-717 (text reproduced at gesetze.legal)",
    ),
    (
        "r744",
        "Carbon dioxide refrigerant (R-744)",
        "R-744;R744",
        "CO2",
        "R-744",
        1.0,
        1.0,
        "carbon dioxide: GWP 1 by definition (reference gas); " + _AR6SM + " gives CO2 1.0",
    ),
    (
        "r1234yf",
        "HFO-1234yf",
        "R-1234yf;R1234yf;HFO1234yf;HFO-1234yf",
        "CF3CF=CH2",
        "R-1234yf",
        1.0,
        0.501,
        "AR5 gives <1 (1 used, an upper bound; " + _HFO_AR5 + "); AR6 0.501 confirmed in " + _AR6SM,
    ),
    (
        "r1234ze",
        "HFO-1234ze(E)",
        "R-1234ze;R1234ze;R-1234ze(E);HFO1234ze;HFO-1234ze",
        "CF3CH=CHF",
        "R-1234ze(E)",
        1.0,
        1.37,
        "AR5 gives <1 (1 used, an upper bound; " + _HFO_AR5 + "); AR6 1.37 confirmed in " + _AR6SM,
    ),
]

# ASHRAE 34 blend compositions by mass fraction.
BLENDS: list[tuple[str, str, str, dict[str, float]]] = [
    ("r404a", "R-404A", "R404A;HFC-404A", {"r125": 0.44, "r143a": 0.52, "r134a": 0.04}),
    ("r407a", "R-407A", "R407A", {"r32": 0.20, "r125": 0.40, "r134a": 0.40}),
    ("r407c", "R-407C", "R407C;HFC-407C", {"r32": 0.23, "r125": 0.25, "r134a": 0.52}),
    ("r410a", "R-410A", "R410A;HFC-410A;Puron", {"r32": 0.50, "r125": 0.50}),
    ("r507a", "R-507A", "R507A;R-507;R507", {"r125": 0.50, "r143a": 0.50}),
    (
        "r448a",
        "R-448A",
        "R448A;Solstice N40",
        {"r32": 0.26, "r125": 0.26, "r1234yf": 0.20, "r134a": 0.21, "r1234ze": 0.07},
    ),
    (
        "r449a",
        "R-449A",
        "R449A;Opteon XP40",
        {"r32": 0.243, "r125": 0.247, "r1234yf": 0.253, "r134a": 0.257},
    ),
    ("r513a", "R-513A", "R513A;Opteon XP10", {"r1234yf": 0.56, "r134a": 0.44}),
]

# Rows entered by hand whose values were checked against a named source (the rest stay unverified).
HAND_CERTAINTY: dict[str, str] = {"r717": "secondary", "r744": "secondary"}

# Where each blend composition was checked. R-410A is given in the project's sourced facts.
_CP = (
    "CoolProp/CoolProp dev/mixtures/ASHRAE_predefined_2026.tsv "
    "(from ashrae.org refrigerant designations)"
)
BLEND_CHECK: dict[str, tuple[str, str]] = {
    "r404a": (
        "secondary",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition as in " + _CP,
    ),
    "r407a": (
        "secondary",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition as in " + _CP,
    ),
    "r407c": (
        "secondary",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition as in " + _CP,
    ),
    "r410a": ("secondary", "mass-weighted sum of component GWPs (ASHRAE 34 composition)"),
    "r507a": (
        "secondary",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition 50/50 as implied by the mole "
        "fractions in CoolProp/CoolProp dev/mixtures/predefined_mixtures.json",
    ),
    "r448a": (
        "unverified",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition as in "
        + _CP
        + "; AR5 value uses 1 for the HFO components ("
        + _HFO_AR5
        + ")",
    ),
    "r449a": (
        "unverified",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition as in "
        + _CP
        + "; AR5 value uses 1 for the HFO components ("
        + _HFO_AR5
        + ")",
    ),
    "r513a": (
        "unverified",
        "mass-weighted sum of component GWPs; ASHRAE 34 composition R-1234yf/134a 56/44 "
        "(secondary transcriptions); AR5 value uses 1 for R-1234yf (" + _HFO_AR5 + ")",
    ),
}

COLUMNS = [
    "key",
    "label",
    "aliases",
    "formula",
    "ashrae",
    "gwp100_ar5",
    "gwp100_ar6",
    "blend_components",
    "certainty",
    "source",
]


def _fmt(value: float) -> str:
    return f"{round(value, 3):g}"


def main() -> None:
    rows: list[dict[str, str]] = []
    values: dict[str, tuple[float, float]] = {}
    for key, label, aliases, formula, ashrae, species in PURE:
        ar5, ar6 = (1.0, 1.0) if key == "co2" else (AR5[species], AR6[species])
        values[key] = (ar5, ar6)
        rows.append(
            {
                "key": key,
                "label": label,
                "aliases": aliases,
                "formula": formula,
                "ashrae": ashrae,
                "gwp100_ar5": _fmt(ar5),
                "gwp100_ar6": _fmt(ar6),
                "blend_components": "",
                "certainty": "secondary",
                "source": "IPCC AR5 WG1 Table 8.A.1 / AR6 WG1 Table 7.SM.7 via " + PACKAGE,
            }
        )
    for key, label, aliases, formula, ashrae, ar5, ar6, note in BY_HAND:
        values[key] = (ar5, ar6)
        rows.append(
            {
                "key": key,
                "label": label,
                "aliases": aliases,
                "formula": formula,
                "ashrae": ashrae,
                "gwp100_ar5": _fmt(ar5),
                "gwp100_ar6": _fmt(ar6),
                "blend_components": "",
                "certainty": HAND_CERTAINTY.get(key, "unverified"),
                "source": note,
            }
        )
    for key, label, aliases, parts in BLENDS:
        if abs(sum(parts.values()) - 1.0) > 1e-9:
            raise SystemExit(f"{label} fractions do not sum to 1")
        ar5 = sum(values[c][0] * f for c, f in parts.items())
        ar6 = sum(values[c][1] * f for c, f in parts.items())
        certainty, source = BLEND_CHECK[key]
        rows.append(
            {
                "key": key,
                "label": label,
                "aliases": aliases,
                "formula": "blend",
                "ashrae": label,
                "gwp100_ar5": _fmt(ar5),
                "gwp100_ar6": _fmt(ar6),
                "blend_components": ";".join(f"{c}:{f:g}" for c, f in parts.items()),
                "certainty": certainty,
                "source": source,
            }
        )
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} gases to {OUT}")


if __name__ == "__main__":
    main()
