"""Write the small example dataset `examples/small-dataset/` (a folder of CSV files).

Three facilities — a cut & sew in Bangladesh, a fabric mill in China and a vertical in Viet
Nam — over two years, with monthly energy and water and a few rows of every other table.
The numbers are invented but plausible; the generator is deterministic, so re-running it
gives the same files. `tools/make_example_formats.py` turns the folder into .xlsx and .json.

    python tools/make_example_csv.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "examples" / "small-dataset"
YEARS = (2023, 2024)
MONTHS = range(1, 13)

FACILITIES = [
    {
        "facility_id": "BD-CS-001",
        "facility_name": "Dhaka Stitch Garments Ltd",
        "sitecountry": "BD",
        "sipfacilitytype": "finalProductAssembly",
        "sipproductcategories": "apparel",
        "sipmaterialtype": "",
        "sipindustrysector": "apparel",
        "sipoperatingdays": "300",
        "siptotalnumemployees": "1850",
        "sipfacilityannualprodvol_finalProductAssembly": "1200000",
        "sipfacilityannualprodvol_finalProductAssembly_unit": "pcs",
        "sipfacilityannualprodvol_materialProduction": "",
        "sipfacilityannualprodvol_materialProduction_unit": "",
        "sipfacilityindustrialzone": "yes",
        "park_id": "BD-DEPZ",
        "sipfreshwaterpretreatused": "no",
        "sipfreshwaterpretreatused_types": "",
        "sipindustryprograms": "yes",
        "sipaudit": "no",
    },
    {
        "facility_id": "CN-MILL-002",
        "facility_name": "Shaoxing Riverside Dyeing Mill",
        "sitecountry": "China",
        "sipfacilitytype": "materialProduction",
        "sipproductcategories": "",
        "sipmaterialtype": "textiles",
        "sipindustrysector": "apparel;home_textiles",
        "sipoperatingdays": "330",
        "siptotalnumemployees": "640",
        "sipfacilityannualprodvol_finalProductAssembly": "",
        "sipfacilityannualprodvol_finalProductAssembly_unit": "",
        "sipfacilityannualprodvol_materialProduction": "3500",
        "sipfacilityannualprodvol_materialProduction_unit": "t",
        "sipfacilityindustrialzone": "no",
        "park_id": "",
        "sipfreshwaterpretreatused": "yes",
        "sipfreshwaterpretreatused_types": "incoming_pretreatment;secondary",
        "sipindustryprograms": "yes",
        "sipaudit": "yes",
    },
    {
        "facility_id": "VN-VERT-003",
        "facility_name": "Dong Nai Vertical Knits",
        "sitecountry": "VNM",
        "sipfacilitytype": "finalProductAssembly;materialProduction",
        "sipproductcategories": "apparel",
        "sipmaterialtype": "textiles",
        "sipindustrysector": "apparel",
        "sipoperatingdays": "310",
        "siptotalnumemployees": "2400",
        "sipfacilityannualprodvol_finalProductAssembly": "2000000",
        "sipfacilityannualprodvol_finalProductAssembly_unit": "pcs",
        "sipfacilityannualprodvol_materialProduction": "900000",
        "sipfacilityannualprodvol_materialProduction_unit": "kg",
        "sipfacilityindustrialzone": "yes",
        "park_id": "VN-NHONTRACH",
        "sipfreshwaterpretreatused": "yes",
        "sipfreshwaterpretreatused_types": "secondary;tertiary",
        "sipindustryprograms": "yes",
        "sipaudit": "yes",
    },
]

#: Monthly energy per facility: (source, unit, mean monthly quantity, tracking method).
ENERGY = {
    "BD-CS-001": [
        ("purchased_electricity", "kWh", 310_000, "meter"),
        ("diesel", "L", 9_000, "invoice"),
        ("solar_pv", "kWh", 25_000, "meter"),
    ],
    "CN-MILL-002": [
        ("purchased_electricity", "kWh", 1_450_000, "meter"),
        ("coal", "t", 1_050, "invoice"),
        ("natural_gas", "Nm3", 95_000, "meter"),
    ],
    "VN-VERT-003": [
        ("purchased_electricity", "MWh", 980, "meter"),
        ("biomass_uncertified", "t", 620, "invoice"),
        ("lpg", "kg", 14_000, "invoice"),
        ("solar_pv", "kWh", 60_000, "meter"),
    ],
}

#: Monthly water per facility: (source, flow, mean monthly m³).
WATER = {
    "BD-CS-001": [("groundwater", "withdrawal", 6_500)],
    "CN-MILL-002": [("municipal", "withdrawal", 310_000), ("other", "recycled", 42_000)],
    "VN-VERT-003": [
        ("municipal", "withdrawal", 150_000),
        ("groundwater", "withdrawal", 35_000),
        ("other", "reused", 9_000),
    ],
}


def _season(month: int) -> float:
    """A mild seasonal swing: more cooling load in the hot months."""
    return 1.0 + 0.08 * (1 if month in (4, 5, 6, 7, 8, 9) else -1)


def _write(name: str, rows: list[dict[str, object]]) -> None:
    with (OUT / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def profiles() -> list[dict[str, object]]:
    rows = []
    for year in YEARS:
        growth = 1.0 if year == YEARS[0] else 1.04
        for facility in FACILITIES:
            row: dict[str, object] = {"facility_id": facility["facility_id"], "year": year}
            row |= {k: v for k, v in facility.items() if k != "facility_id"}
            for key in ("finalProductAssembly", "materialProduction"):
                column = f"sipfacilityannualprodvol_{key}"
                if row[column]:
                    row[column] = str(round(float(str(row[column])) * growth))
            row["verification_status"] = "verified" if year == YEARS[0] else "self-reported"
            rows.append(row)
    return rows


def energy(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for year in YEARS:
        for facility, sources in ENERGY.items():
            for source, unit, mean, method in sources:
                for month in MONTHS:
                    quantity = mean * _season(month) * rng.uniform(0.93, 1.07)
                    rows.append(
                        {
                            "facility_id": facility,
                            "year": year,
                            "month": month,
                            "source": source,
                            "quantity": round(quantity, 1),
                            "unit": unit,
                            "tracking_method": method,
                            "production_share": "",
                            "instrument": "",
                            "market_factor_kgco2e_per_kwh": "",
                            "verification_status": "verified" if year == YEARS[0] else "",
                        }
                    )
    return rows


def water(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for year in YEARS:
        for facility, flows in WATER.items():
            for source, flow, mean in flows:
                for month in MONTHS:
                    rows.append(
                        {
                            "facility_id": facility,
                            "year": year,
                            "month": month,
                            "source": source,
                            "flow": flow,
                            "quantity": round(mean * rng.uniform(0.9, 1.1)),
                            "unit": "m3",
                            "tracking_method": "meter",
                            "verification_status": "",
                        }
                    )
    return rows


def wastewater() -> list[dict[str, object]]:
    annual = {
        "BD-CS-001": [("domestic", 52_000, "", "indirect_without_pretreatment")],
        "CN-MILL-002": [
            ("industrial", 3_150_000, "0.12", "direct"),
            ("domestic", 41_000, "", "indirect_without_pretreatment"),
        ],
        "VN-VERT-003": [
            ("industrial", 1_600_000, "0.06", "indirect_pretreatment_with_sludge"),
            ("domestic", 95_000, "", "indirect_pretreatment_with_sludge"),
        ],
    }
    return [
        {
            "facility_id": facility,
            "year": year,
            "month": "",
            "wastewater_type": kind,
            "quantity": volume,
            "unit": "m3",
            "recycled_share": share,
            "discharge_type": discharge,
            "verification_status": "",
        }
        for year in YEARS
        for facility, kinds in annual.items()
        for kind, volume, share, discharge in kinds
    ]


def waste() -> list[dict[str, object]]:
    annual = {
        "BD-CS-001": [
            ("fabric_scraps", "false", 180_000, "kg", "recycling"),
            ("domestic_waste", "false", 45, "t", "landfill"),
            ("chemical_containers", "true", 900, "kg", "treatment"),
        ],
        "CN-MILL-002": [
            ("etp_sludge", "true", 1_900, "t", "secure_landfill"),
            ("boiler_ash", "false", 2_600, "short ton", "reuse"),
            ("yarn_fibre_waste", "false", 95_000, "kg", "recycling"),
        ],
        "VN-VERT-003": [
            ("fabric_scraps", "false", 310_000, "kg", "recycling"),
            ("etp_sludge", "true", 640, "t", "incineration"),
            ("domestic_waste", "false", 120_000, "lb", "landfill"),
        ],
    }
    return [
        {
            "facility_id": facility,
            "year": year,
            "month": "",
            "stream": stream,
            "hazardous": hazardous,
            "quantity": quantity,
            "unit": unit,
            "disposal_method": method,
            "verification_status": "",
        }
        for year in YEARS
        for facility, streams in annual.items()
        for stream, hazardous, quantity, unit, method in streams
    ]


def air() -> list[dict[str, object]]:
    sources = {
        "BD-CS-001": [
            ("Generator 1", "point", "no", "", ""),
            ("Chiller 1", "fugitive", "yes", "R-410A", "6.5"),
        ],
        "CN-MILL-002": [
            ("Coal boiler 1", "point", "yes", "", ""),
            ("Stenter 1", "point", "no", "", ""),
            ("Chiller 1", "fugitive", "yes", "R-134a", "12"),
        ],
        "VN-VERT-003": [
            ("Biomass boiler 1", "point", "yes", "", ""),
            ("Forklifts", "mobile", "no", "", ""),
            ("Chiller 1", "fugitive", "yes", "R-22", "4"),
        ],
    }
    return [
        {
            "facility_id": facility,
            "year": year,
            "source_name": name,
            "source_type": kind,
            "tracked": tracked,
            "refrigerant": refrigerant,
            "refrigerant_recharge_kg": recharge,
            "verification_status": "",
        }
        for year in YEARS
        for facility, rows in sources.items()
        for name, kind, tracked, refrigerant, recharge in rows
    ]


def chemicals(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    # the mill reports every month of both years; the vertical starts in July 2024
    plan = {"CN-MILL-002": [(y, m) for y in YEARS for m in MONTHS],
            "VN-VERT-003": [(2024, m) for m in range(7, 13)]}
    for facility, months in plan.items():
        for year, month in months:
            products = rng.randint(140, 170)
            gateway = round(products * rng.uniform(0.6, 0.8))
            level_3 = round(gateway * 0.3)
            level_2 = round(gateway * 0.3)
            rows.append(
                {
                    "facility_id": facility,
                    "year": year,
                    "month": month,
                    "products_in_inventory": products,
                    "products_on_gateway": gateway,
                    "mrsl_level_1": gateway - level_2 - level_3,
                    "mrsl_level_2": level_2,
                    "mrsl_level_3": level_3,
                    "incheck_verified": "yes" if month % 3 == 0 else "no",
                    "supplier_to_zero_level": 1 if facility == "CN-MILL-002" else 0,
                    "verification_status": "",
                }
            )
    return rows


def ems() -> list[dict[str, object]]:
    rows = []
    practice = {
        "BD-CS-001": {
            "ems": (True, False, False, False, False),
            "energy": (False, True, False, False, False),
        },
        "CN-MILL-002": {
            "ems": (True, True, True, True, True),
            "energy": (False, False, True, True, True),
            "water": (False, False, True, True, True),
            "wastewater": (False, False, True, False, False),
        },
        "VN-VERT-003": {
            "ems": (True, True, True, False, False),
            "energy": (False, False, True, True, False),
            "chemicals": (False, False, True, False, False),
        },
    }
    for year in YEARS:
        for facility, areas in practice.items():
            for area, (policy, system, baseline, target, tracks) in areas.items():
                rows.append(
                    {
                        "facility_id": facility,
                        "year": year,
                        "area": area,
                        "has_policy": "yes" if policy else "no",
                        "has_management_system": "yes" if system else "no",
                        "has_baseline": "yes" if baseline else "no",
                        "has_target": "yes" if target else "no",
                        "target_reduction_pct": 15 if target else "",
                        "target_year": 2030 if target else "",
                        "tracks_progress": "yes" if tracks else "no",
                        "verification_status": "",
                    }
                )
    return rows


def zdhc(rng: random.Random) -> list[dict[str, object]]:
    results = {
        "cod": ("mg/L", 95.0),
        "bod5": ("mg/L", 22.0),
        "tss": ("mg/L", 28.0),
        "ph": ("pH", 7.6),
        "temperature_difference": ("°C", 8.0),
        "total_nitrogen": ("mg/L", 12.0),
        "chromium_total": ("mg/L", 0.04),
    }
    plan = {"CN-MILL-002": "direct", "VN-VERT-003": "indirect_pretreatment_with_sludge"}
    rows = []
    for year in YEARS:
        for facility, discharge in plan.items():
            for month in (3, 9):
                for parameter, (unit, typical) in results.items():
                    value = typical if parameter == "ph" else typical * rng.uniform(0.6, 1.3)
                    rows.append(
                        {
                            "facility_id": facility,
                            "sample_date": f"{year}-{month:02d}-15",
                            "parameter": parameter,
                            "value": round(value, 3),
                            "unit": unit,
                            "discharge_type": discharge,
                            "sampling_point": "discharged",
                            "report_id": f"CS-{facility[:2]}-{year}{month:02d}",
                            "verification_status": "verified",
                        }
                    )
    return rows


def programmes() -> list[dict[str, object]]:
    rows = [
        ("BD-CS-001", "higg_fem", "2021-01", "", "self-assessment", ""),
        ("CN-MILL-002", "cbd", "2023-03-01", "2024-02-29", "completed", ""),
        ("CN-MILL-002", "zdhc_clearstream", "2022-06", "", "", ""),
        ("VN-VERT-003", "clp", "2024-01-15", "", "enrolled", "https://example.org/clp"),
        ("VN-VERT-003", "zdhc_incheck", "2024-07", "", "", ""),
    ]
    return [
        {
            "facility_id": f,
            "programme": p,
            "start_date": s,
            "end_date": e,
            "rating": r,
            "link": link,
        }
        for f, p, s, e, r, link in rows
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2024)
    _write("profiles", profiles())
    _write("energy", energy(rng))
    _write("water", water(rng))
    _write("wastewater", wastewater())
    _write("waste", waste())
    _write("air", air())
    _write("chemicals", chemicals(rng))
    _write("ems", ems())
    _write("zdhc_wastewater", zdhc(rng))
    _write("programmes", programmes())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
