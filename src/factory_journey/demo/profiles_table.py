"""The demo `profiles` table: FEM Site Information of every facility-year."""

from __future__ import annotations

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import (
    allocate,
    categorical,
    round_by,
    take,
)
from factory_journey.demo.keys import pick
from factory_journey.demo.world import (
    _COMPONENT,
    _CUT_SEW,
    _MILL,
    _STATUS_TEXT,
    _VERTICAL,
    _frame,
    _status,
    _World,
)

# --- profiles ---------------------------------------------------------------------------------


def _os_hub_ids(rng: np.random.Generator, country: np.ndarray) -> pl.Series:
    """Valid Open Supply Hub IDs (domain-facts §6), vectorised."""
    alphabet = np.frombuffer(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", dtype=np.uint8)
    n = len(country)
    cc = np.frombuffer("".join(P.COUNTRIES).encode(), dtype=np.uint8).reshape(-1, 2)[country]
    year = rng.integers(2019, 2024, n)
    doy = rng.integers(1, 366, n)
    digits = np.stack(
        [
            year // 1000,
            year // 100 % 10,
            year // 10 % 10,
            year % 10,
            doy // 100,
            doy // 10 % 10,
            doy % 10,
        ],
        axis=1,
    )
    rand = rng.integers(0, 32, (n, 5))
    body = np.concatenate([digits, rand], axis=1)  # alphabet indices of the 12 characters
    check = (cc.astype(np.int64).sum(axis=1) + body.sum(axis=1)) % 32
    chars = np.concatenate([cc, alphabet[body], alphabet[check][:, None]], axis=1)
    return pl.Series("sip_osh_id", chars.astype(np.uint8).view("S15").ravel().astype(str))


def _profiles(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    f_r = np.repeat(np.arange(F), Y)
    y_r = np.tile(np.arange(Y), F)
    n = F * Y
    ftype, country = world.ftype, world.country
    # Country as written: alpha-2 mostly, else the English name or alpha-3 (consistent per
    # facility).
    spelling = categorical(rng, np.array(P.COUNTRY_SPELLING), F) * (world.messiness > 0)
    written = [*P.COUNTRIES, *P.COUNTRY_NAMES, *P.COUNTRY_ISO3]
    sitecountry = take(written, spelling * len(P.COUNTRIES) + country, "sitecountry")
    assembler = pick("fem_facility_types.csv", "finalProductAssembly")
    processing = pick("fem_facility_types.csv", "printingProductDyeingAndLaundering")
    material = pick("fem_facility_types.csv", "materialProduction")
    component = pick("fem_facility_types.csv", "hardComponentTrimProduction")
    type_text = [
        assembler,
        material,
        processing,
        component,
        f"{assembler};{material}",
        f"{assembler};{processing}",
    ]
    not_material = (~world.material).astype(np.int64)
    type_idx = np.select(
        [ftype == _CUT_SEW, ftype == _MILL, ftype == _VERTICAL],
        [np.zeros(F, dtype=np.int64), 1 + not_material, 4 + not_material],
        3,
    )
    categories = [
        pick("fem_product_categories.csv", c) for c in ("apparel", "footwear", "home_textiles")
    ]
    sectors = [
        pick("fem_industry_sectors.csv", c) for c in ("apparel", "footwear", "home_textiles")
    ]
    category = np.where(world.footwear, 1, np.where(rng.random(F) < 0.06, 2, 0))
    needs_category = (
        (ftype == _CUT_SEW) | (ftype == _VERTICAL) | ((ftype == _MILL) & ~world.material)
    )
    material_keys = [
        pick("fem_material_types.csv", m)
        for m in ("textiles", "metal", "rubber_plastics", "paper_cardboard")
    ]
    materials = np.where(ftype == _COMPONENT, rng.integers(0, 4, F), 0)
    needs_material = (ftype == _COMPONENT) | (
        ((ftype == _MILL) | (ftype == _VERTICAL)) & world.material
    )

    pcs = world.pcs[f_r, y_r]
    kg = world.kg[f_r, y_r]
    missing_volume = rng.random(n) < P.MISSING_PRODUCTION * world.messiness
    # Units of the production volume: pcs mostly; pairs for footwear; some tonnes for mills.
    pc_unit = np.where(world.footwear, 3, categorical(rng, np.array([0.85, 0.10, 0.05]), F))
    kg_unit = categorical(rng, np.array([0.85, 0.12, 0.03]), F)
    pc_div = np.array([1.0, 1.0, 12.0, 1.0])[pc_unit][f_r]
    kg_div = np.array([1.0, 1000.0, 0.45359237])[kg_unit][f_r]
    pc_qty = np.round(pcs / pc_div)
    kg_qty = round_by(kg / kg_div, np.array([0, 2, 0])[kg_unit][f_r])
    columns: dict[str, pl.Series | np.ndarray | None] = {}
    prodvol = "sipfacilityannualprodvol"
    has_pc = ((ftype == _CUT_SEW) | (ftype == _VERTICAL))[f_r] & ~missing_volume
    has_comp = (ftype == _COMPONENT)[f_r] & ~missing_volume
    has_kg = ((ftype == _MILL) | (ftype == _VERTICAL))[f_r] & ~missing_volume
    pc_units = ["pcs", "pieces", "dozen", "pairs", None]
    kg_units = ["kg", "t", "lb", None]
    for key, has in ((assembler, has_pc), (component, has_comp)):
        columns[f"{prodvol}_{key}"] = pl.Series(np.where(has, pc_qty, np.nan)).fill_nan(None)
        columns[f"{prodvol}_{key}_unit"] = take(pc_units, np.where(has, pc_unit[f_r], 4), "u")
    is_material = world.material[f_r]
    for key, sel in ((material, has_kg & is_material), (processing, has_kg & ~is_material)):
        columns[f"{prodvol}_{key}"] = pl.Series(np.where(sel, kg_qty, np.nan)).fill_nan(None)
        columns[f"{prodvol}_{key}_unit"] = take(kg_units, np.where(sel, kg_unit[f_r], 3), "u")

    zone_p = np.array([0.30, 0.60, 0.50, 0.30, 0.40])[country]
    in_zone = rng.random(F) < zone_p
    parks_per_country = np.maximum(3, allocate(F, P.COUNTRY_WEIGHTS) // 25)
    park_no = (rng.random(F) * parks_per_country[country]).astype(np.int64) + 1
    park_id = pl.select(
        pl.when(pl.Series(in_zone))
        .then(
            pl.Series(np.array(P.COUNTRIES)[country])
            + pl.lit("-PARK-")
            + pl.Series(park_no).cast(pl.String).str.zfill(2)
        )
        .otherwise(None)
        .alias("park_id")
    ).to_series()
    treats = rng.random(F) < np.where(world.wet, 0.92, 0.3)
    treat_text = [
        "primary;secondary;sludge",
        "primary;secondary;tertiary;sludge",
        "incoming_pretreatment",
        None,
    ]
    treat_types = np.where(world.wet, (rng.random(F) < 0.3).astype(np.int64), 2)
    treat_ops = np.where(world.wet, rng.integers(3, 15, F), rng.integers(1, 4, F))
    active = (world.clp | world.stz)[f_r] & (world.years[y_r] >= world.programme_year)
    audit = rng.random(n) < 0.5
    training = rng.random(n) < 0.3
    disclose = rng.random(F) < 0.15
    has_osh = rng.random(F) < 0.6
    group = rng.random(F) < 0.4
    stress_site = rng.random(F) < 0.1
    stress = np.round(
        np.clip(np.array([1.0, 2.5, 1.0, 3.4, 1.0])[country] + rng.normal(0, 0.6, F), 0, 5), 2
    )
    status = _status(rng, n)
    adjectives = [
        "Golden",
        "River",
        "Lotus",
        "Delta",
        "Silk",
        "Harbour",
        "Summit",
        "Green",
        "Orient",
        "Crescent",
        "Pearl",
        "Bridge",
        "Sunrise",
        "Jade",
    ]
    nouns = ["Apparel", "Textile Mills", "Knit Composite", "Trims"]
    facility_name = pl.select(
        (
            take(adjectives, rng.integers(0, len(adjectives), F), "a")
            + pl.lit(" ")
            + take(nouns, ftype, "b")
            + pl.lit(" (demo ")
            + world.facility_id.str.replace("FJ-", "")
            + pl.lit(")")
        ).alias("n")
    ).to_series()
    osh = _os_hub_ids(rng, country)

    def fy(values: np.ndarray | pl.Series) -> pl.Series:
        series = values if isinstance(values, pl.Series) else pl.Series(values)
        return series.gather(f_r)

    def when(mask: np.ndarray, values: pl.Series) -> pl.Series:
        return pl.select(pl.when(pl.Series(mask)).then(values).otherwise(None)).to_series()

    columns.update(
        {
            "facility_id": fy(world.facility_id),
            "facility_name": fy(facility_name),
            "year": world.years[y_r],
            "sitecountry": fy(sitecountry),
            "sipfacilitytype": take(type_text, type_idx[f_r], "t"),
            "sipproductcategories": take(
                [*categories, None], np.where(needs_category, category, 3)[f_r], "c"
            ),
            "sipmaterialtype": take(
                [*material_keys, None], np.where(needs_material, materials, 4)[f_r], "m"
            ),
            "sipindustrysector": take(sectors, category[f_r], "s"),
            "sipoperatingdays": world.operating_days[f_r, y_r],
            "siptotalnumemployees": world.employees[f_r, y_r].astype(np.int64),
            "sipfacilityindustrialzone": in_zone[f_r],
            "park_id": park_id.gather(f_r),
            "sipfreshwaterpretreatused": treats[f_r],
            "sipfreshwaterpretreatused_types": take(
                treat_text, np.where(treats, treat_types, 3)[f_r], "t"
            ),
            "sipfreshwaterpretreatused_operators": when(treats[f_r], fy(treat_ops)),
            "sipindustryprograms": active,
            "sipaudit": audit,
            "sipaudit_count": when(audit, pl.Series(rng.integers(1, 4, n))),
            "sipaudit_person_days": when(audit, pl.Series(rng.integers(2, 13, n) / 2.0)),
            "sipaudit_types": when(
                audit,
                take(
                    ("brand environmental audit", "ISO 14001 audit", "local authority inspection"),
                    rng.integers(0, 3, n),
                    "a",
                ),
            ),
            "sipapprovedtraining": training,
            "sipapprovedtraining_course": when(
                training, take(("Higg FEM training",), np.zeros(n, dtype=np.int64), "c")
            ),
            "sipapprovedtraining_year": when(
                training, pl.Series(world.years[y_r] - rng.integers(0, 2, n))
            ),
            "sipincludedindiscolsure": disclose[f_r],
            "sipincludedindiscolsure_platform": when(
                disclose[f_r],
                take(
                    ("corporate_website", "cdp"), (rng.random(F) < 0.3).astype(np.int64)[f_r], "p"
                ),
            ),
            "sip_has_osh_id": has_osh[f_r],
            "sip_osh_id": when(has_osh[f_r], fy(osh)),
            "sip_is_part_of_group": group[f_r],
            "water_stress_score": pl.Series(
                np.where(stress_site[f_r], stress[f_r], np.nan)
            ).fill_nan(None),
            "verification_status": take(_STATUS_TEXT, status, "s"),
        }
    )
    return _frame("profiles", columns, n)
