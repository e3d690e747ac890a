"""The bundled park pilot (#16): reproducible, valid, three parks with their shared
facilities, and `journey park assess pilot` assesses it."""

from __future__ import annotations

import polars as pl

from factory_journey.demo.parks import park_pilot_dataset_path
from factory_journey.ingest import read_dataset
from factory_journey.ingest.park_reader import read_park_tables
from factory_journey.services.park_demo import build_park_pilot


def test_regenerating_the_park_pilot_gives_identical_files(tmp_path):
    shipped = park_pilot_dataset_path()
    files = build_park_pilot(tmp_path / "park_pilot")
    assert sorted(p.name for p in files) == sorted(p.name for p in shipped.iterdir())
    for path in files:
        assert path.read_bytes() == (shipped / path.name).read_bytes(), path.name


def test_the_park_pilot_reads_without_errors_and_has_three_parks():
    imported = read_dataset(park_pilot_dataset_path())
    assert imported.ok, [p.describe() for p in imported.problems if p.severity.value == "error"]
    tables, problems = read_park_tables(imported)
    assert [p.describe() for p in problems if p.severity.value == "error"] == []
    assert tables is not None
    assert sorted(tables.parks["country_iso2"].to_list()) == ["ET", "KE", "VN"]
    kinds = tables.shared_facilities.group_by("park_id").agg(pl.col("type").unique().sort())
    for park, types in kinds.iter_rows():
        assert "central_effluent_treatment" in types and len(types) >= 2, park
    metered = tables.shared["wastewater"].filter(pl.col("member_facility_id").is_not_null())
    assert metered.height > 0  # the demo shows a member flow owned by the plant's meter
