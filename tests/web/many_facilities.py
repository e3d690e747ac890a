"""A platform with many facilities of Factory A (a generated dataset: the first SAME share a
country and factory type, so that a peer group reaches the benchmark minimum), for the
portfolio and programme tests."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import polars as pl

from factory_journey.demo import generate_dataset
from factory_journey.ingest import read_dataset
from factory_journey.services.platform import accounts, imports, sharing
from factory_journey.store.database import transaction

from .conftest import Platform, make_platform

#: Facilities of the extra dataset; the first SAME of them share a country and factory type.
FACILITIES, SAME = 9, 6


@lru_cache(maxsize=1)
def dataset():  # type: ignore[no-untyped-def]
    tables = generate_dataset(FACILITIES, [2022, 2023], seed=5, messiness=0.0)
    profiles = tables["profiles"]
    ids = profiles["facility_id"].unique(maintain_order=True).to_list()
    # The SAME first facilities take the first one's whole profile (country, type, products
    # …) but keep their id, name and OS Hub ID, so that their profiles stay consistent.
    own = ["facility_id", "facility_name", "year", "sip_osh_id"]
    first = profiles.filter(pl.col("facility_id") == ids[0]).drop(own[:2] + own[3:])
    copied = (profiles.filter(pl.col("facility_id").is_in(ids[1:SAME])).select(own)
              .join(first, on="year").select(profiles.columns))
    tables["profiles"] = pl.concat(
        [profiles.filter(~pl.col("facility_id").is_in(ids[1:SAME])), copied]
    ).sort("facility_id", "year")
    folder = Path(tempfile.mkdtemp(prefix="journey-portfolio-"))
    for name, frame in tables.items():
        frame.write_csv(folder / f"{name}.csv")
    result = read_dataset(folder)
    assert result.ok, [p.to_dict() for p in result.problems][:5]
    return result, ids


def many_facilities(tmp_path_factory, share_with: str = "Brand",
                    scope: str = "assessment") -> Platform:
    """The test platform plus the dataset's facilities, all (and F1) shared with
    `share_with` at `scope`; `platform.ids` lists the dataset's facility ids."""
    platform = make_platform(tmp_path_factory)
    result, ids = dataset()
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        upload = imports.store_upload(session, owner, "many.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(platform.factory, job.id, owner, read_dataset=lambda _p: result)
    assert done.status == "succeeded", done.problems
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        for facility_id in [*ids, "F1"]:
            sharing.grant(session, owner, facility_id, platform.organisations[share_with],
                          scope)
    platform.ids = ids  # type: ignore[attr-defined]
    return platform
