"""The synthetic park pilot (#16): three industrial parks — Ethiopia, Kenya, Viet Nam — with
their member factories, a central effluent plant and one other shared facility each, and the
park questionnaire, as one park dataset (docs/park-data-format.md).

**Every number is invented.** The Viet Nam park's members are the first five Vietnamese
factories of the pilot (their rows copied, their water now bought from the park's water
supply); the Ethiopian and Kenyan members are made by the same generator with their own seed
and placed in those countries. Each member's industrial wastewater is metered at its park's
central effluent plant (given in `shared_wastewater` with `member_facility_id`), so the demo
shows a flow with one owner. Pure: numpy and polars only; writing is `services.demo_data`.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl

from factory_journey.demo.generator import TABLE_ORDER, generate_dataset

PARK_SEED = 1616
#: A question of the framework files: id, answer kind, unit, the countries it is asked in
#: (empty: every park).
Question = tuple[str, str, str | None, tuple[str, ...]]
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

#: (park_id, name, country, operator, latitude, longitude, other shared facility)
PARKS: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("DEMO-ET-01", "Demo Rift Valley Textile Park", "ET", "Demo Industrial Park", 7.05, 38.47),
    ("DEMO-KE-01", "Demo Athi River Apparel Park", "KE", "Demo Industrial Park", -1.45, 36.98),
    ("DEMO-VN-01", "Demo Mekong Eco-Textile Park", "VN", "Demo Industrial Park", 10.95, 106.8),
)
#: park → (id, name, type, serves, delivers energy source, delivers water source)
OTHER_SHARED: dict[str, tuple[str, str, str, str, str | None, str | None]] = {
    "DEMO-ET-01": ("DEMO-ET-01-STEAM", "Central boiler house", "central_boiler",
                   "allocated_by_volume", "purchased_steam", None),
    "DEMO-KE-01": ("DEMO-KE-01-SOLAR", "Group rooftop solar", "solar_plant",
                   "metered", "purchased_renewables", None),
    "DEMO-VN-01": ("DEMO-VN-01-WATER", "Park water supply", "water_supply",
                   "metered", None, "third_party"),
}
NEW_MEMBERS = {"DEMO-ET-01": 5, "DEMO-KE-01": 4}
VN_MEMBERS = 5
MEMBER_TABLES = tuple(t for t in TABLE_ORDER if t != "profiles")
ZDHC_PARAMETERS = (("cod", "mg/L", 95.0), ("bod5", "mg/L", 18.0), ("tss", "mg/L", 30.0),
                   ("total_nitrogen", "mg/L", 12.0))


def os_hub_id(country: str, serial: int) -> str:
    """A valid, invented Open Supply Hub ID for `country` (domain-facts §6 check character)."""
    body = f"{country}2022{100 + serial:03d}" + "".join(
        CROCKFORD[(serial * 7 + i * 11) % 32] for i in range(5))
    check = (ord(body[0]) + ord(body[1]) + sum(CROCKFORD.index(c) for c in body[2:])) % 32
    return body + CROCKFORD[check]


def _rename(tables: dict[str, pl.DataFrame], ids: dict[str, str]) -> dict[str, pl.DataFrame]:
    chosen = list(ids)
    return {name: frame.filter(pl.col("facility_id").is_in(chosen)).with_columns(
        pl.col("facility_id").replace_strict(ids, return_dtype=pl.String))
        for name, frame in tables.items()}


def _new_members(years: Sequence[int]) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """Ethiopian and Kenyan members: generated, renamed, placed in their park's country."""
    total = sum(NEW_MEMBERS.values())
    made = generate_dataset(total, list(years), PARK_SEED, messiness=0.3)
    ids, park_of, country_of = {}, {}, {}
    serial = 0
    for park, count in NEW_MEMBERS.items():
        for _ in range(count):
            serial += 1
            new = f"{park}-M{serial:02d}"
            ids[f"FJ-{serial:04d}"] = new
            park_of[new] = park
            country_of[new] = park[5:7]
    tables = _rename(made, ids)
    tables["profiles"] = tables["profiles"].with_columns(
        pl.col("facility_id").replace_strict(country_of).alias("sitecountry"),
        pl.col("facility_id").map_elements(
            lambda f: os_hub_id(f[5:7], int(f[-2:])), return_dtype=pl.String).alias("sip_osh_id"),
        pl.lit(True).alias("sip_has_osh_id"),
        pl.col("facility_name").str.replace(r"\(demo ", "(demo park member "),
    )
    return tables, park_of


def _vn_members(pilot: dict[str, pl.DataFrame]) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """The first Vietnamese factories of the pilot, as they are, water from the park."""
    profiles = pilot["profiles"]
    vn = (profiles.filter(pl.col("sitecountry").str.to_uppercase().is_in(["VN", "VNM",
                                                                          "VIETNAM"]))
          .get_column("facility_id").unique(maintain_order=True).head(VN_MEMBERS).to_list())
    tables = {name: frame.filter(pl.col("facility_id").is_in(vn))
              for name, frame in pilot.items()}
    tables["water"] = tables["water"].filter(pl.col("source") != "third_party").with_columns(
        pl.when(pl.col("source") == "municipal").then(pl.lit("third_party"))
        .otherwise(pl.col("source")).alias("source"))
    return tables, dict.fromkeys(vn, "DEMO-VN-01")


def _deliveries(tables: dict[str, pl.DataFrame], park_of: dict[str, str],
                years: Sequence[int], rng: np.random.Generator) -> dict[str, float]:
    """Members' purchases from the Ethiopian boiler and the Kenyan solar plant (annual rows);
    returns what each shared facility delivered [MJ] by `<park>|<year>`."""
    delivered: dict[str, float] = {}
    rows = []
    for member, park in sorted(park_of.items()):
        source = OTHER_SHARED[park][4]
        if source is None:
            continue
        for year in years:
            mj = float(round(rng.uniform(2e6, 9e6) if source == "purchased_steam"
                             else rng.uniform(3e5, 1.5e6), -3))
            rows.append({"facility_id": member, "year": year, "month": None, "source": source,
                         "quantity": mj, "unit": "MJ", "tracking_method": "meter"})
            delivered[f"{park}|{year}"] = delivered.get(f"{park}|{year}", 0.0) + mj
    energy = tables["energy"]
    clash = energy.join(pl.DataFrame(rows).select("facility_id", "year", "source"),
                        on=["facility_id", "year", "source"], how="anti")
    tables["energy"] = pl.concat([clash, pl.DataFrame(rows)], how="diagonal_relaxed")
    return delivered


def park_tables(years: Sequence[int], members: dict[str, str],
                profiles: pl.DataFrame, member_tables: dict[str, pl.DataFrame],
                delivered: dict[str, float], questions: Sequence[Question],
                rng: np.random.Generator) -> dict[str, pl.DataFrame]:
    """parks, park_members, shared_facilities, shared_* and park_questionnaire."""
    parks = pl.DataFrame([dict(zip(("park_id", "park_name", "country", "operator", "latitude",
                                    "longitude"), p, strict=True)) for p in PARKS])
    osh = dict(profiles.select("facility_id", "sip_osh_id").unique("facility_id").iter_rows())
    member_rows = [{"park_id": park, "year": y, "facility_id": f, "os_id": osh.get(f),
                    "zdhc_cap_filed": bool(rng.random() < 0.5)}
                   for f, park in sorted(members.items()) for y in years]
    shared_rows, energy, water, wastewater, waste, zdhc = [], [], [], [], [], []
    for park, *_ in PARKS:
        other = OTHER_SHARED[park]
        for y in years:
            shared_rows += [
                {"park_id": park, "year": y, "shared_facility_id": f"{park}-CETP",
                 "name": "Central effluent treatment plant", "type": "central_effluent_treatment",
                 "serves": "metered", "zdhc_cap_filed": y > years[0]},
                {"park_id": park, "year": y, "shared_facility_id": other[0], "name": other[1],
                 "type": other[2], "serves": other[3], "delivers_energy_source": other[4],
                 "delivers_water_source": other[5]},
            ]
            cetp = f"{park}-CETP"
            energy.append({"facility_id": cetp, "year": y, "source": "purchased_electricity",
                           "quantity": float(round(rng.uniform(4e5, 9e5), -2)), "unit": "kWh"})
            wastewater.append({"facility_id": cetp, "year": y, "wastewater_type": "domestic",
                               "quantity": float(round(rng.uniform(200, 600))), "unit": "m3"})
            waste.append({"facility_id": cetp, "year": y, "stream": "etp_sludge",
                          "hazardous": True, "quantity": float(round(rng.uniform(80, 250), 1)),
                          "unit": "t", "disposal_method": "secure_landfill"})
            for sample, month in enumerate((3, 9)):
                # the plant improves: early samples may fail the foundational COD of 150 mg/L
                worse = 1.9 - 0.35 * (y - years[0]) - 0.1 * sample
                for parameter, unit, typical in ZDHC_PARAMETERS:
                    zdhc.append({"facility_id": cetp, "sample_date": f"{y}-{month:02d}-15",
                                 "parameter": parameter, "unit": unit,
                                 "value": round(typical * max(0.6, worse)
                                                * rng.uniform(0.85, 1.1), 2),
                                 "discharge_type": "direct", "sampling_point": "discharged"})
            if other[2] == "central_boiler":
                mj = delivered.get(f"{park}|{y}", 0.0) / 0.82  # boiler efficiency
                energy.append({"facility_id": other[0], "year": y, "source": "coal",
                               "quantity": round(mj / 25_800, 1), "unit": "t"})
            elif other[2] == "solar_plant":
                energy.append({"facility_id": other[0], "year": y, "source": "solar_pv",
                               "quantity": round(delivered.get(f"{park}|{y}", 0.0) / 0.97, -3),
                               "unit": "MJ"})
            elif other[2] == "water_supply":
                supplied = member_tables["water"].filter(
                    (pl.col("source") == "third_party") & (pl.col("year") == y)
                    & pl.col("facility_id").is_in([m for m, p in members.items() if p == park])
                ).get_column("quantity").sum()
                if not supplied:
                    continue
                water.append({"facility_id": other[0], "year": y, "source": "surface_water",
                              "flow": "withdrawal", "quantity": round(float(supplied) * 1.06),
                              "unit": "m3"})
                energy.append({"facility_id": other[0], "year": y,
                               "source": "purchased_electricity",
                               "quantity": round(float(supplied) * 0.45), "unit": "kWh"})
    answers = []
    for park, *_ in PARKS:
        for step, y in enumerate(years):
            for question, kind, unit, countries in questions:
                if countries and park[5:7] not in countries:
                    continue
                draw = rng.random() + 0.15 * step
                if kind == "number":
                    value = (f"{min(0.95, 0.15 + 0.6 * draw):.2f}" if (unit or "").startswith(
                        "share") else str(int(draw * 5)))
                else:
                    value = ("unknown" if draw < 0.1 else "no" if draw < 0.4
                             else "partly" if draw < 0.7 else "yes")
                evidence = (f"{park.lower()}-{question}-{y}.pdf"
                            if value not in ("no", "unknown") and rng.random() < 0.8 else None)
                answers.append({"park_id": park, "year": y, "question_id": question,
                                "answer": value, "evidence": evidence})
    metered = member_tables["wastewater"].filter(pl.col("wastewater_type") == "industrial")
    metered = metered.with_columns(
        pl.col("facility_id").alias("member_facility_id"),
        (pl.col("facility_id").replace_strict(members) + "-CETP").alias("facility_id"))
    return {
        "parks": parks,
        "park_members": pl.DataFrame(member_rows),
        "shared_facilities": pl.DataFrame(shared_rows),
        "shared_energy": pl.DataFrame(energy),
        "shared_water": pl.DataFrame(water),
        "shared_wastewater": pl.concat([pl.DataFrame(wastewater), metered],
                                       how="diagonal_relaxed"),
        "shared_waste": pl.DataFrame(waste),
        "shared_zdhc_wastewater": pl.DataFrame(zdhc),
        "park_questionnaire": pl.DataFrame(answers),
    }


def generate_park_pilot(
    pilot: dict[str, pl.DataFrame], years: Sequence[int],
    questions: Sequence[Question],
) -> dict[str, pl.DataFrame]:
    """The park pilot dataset: the members' ordinary tables and the park tables.

    pilot: the pilot's tables (`generate_dataset` of the pilot's arguments); questions: every
    question of the packaged framework files (`Question`)."""
    rng = np.random.default_rng(PARK_SEED)
    new, new_parks = _new_members(years)
    vn, vn_parks = _vn_members(pilot)
    members = {**new_parks, **vn_parks}
    tables = {name: pl.concat([new[name], vn[name]], how="diagonal_relaxed")
              for name in TABLE_ORDER}
    tables["profiles"] = tables["profiles"].with_columns(
        pl.col("facility_id").replace_strict(members, default=None).alias("park_id"),
        pl.lit(True).alias("sipfacilityindustrialzone"))
    delivered = _deliveries(tables, new_parks, years, rng)
    parks = park_tables(years, members, tables["profiles"], tables, delivered, questions, rng)
    # each member's industrial wastewater is metered at the plant: one owner, the plant's row
    tables["wastewater"] = tables["wastewater"].filter(
        pl.col("wastewater_type") != "industrial")
    return {**{n: tables[n] for n in TABLE_ORDER}, **parks}


def park_pilot_dataset_path() -> Path:
    """Folder of the bundled park pilot: one CSV file per table and a README."""
    return Path(str(resources.files("factory_journey.demo") / "park_pilot"))
