"""The bundled pilot dataset: reproducible, small and valid."""

from __future__ import annotations

from factory_journey.demo import TABLE_ORDER, pilot_dataset_path
from factory_journey.services.demo_data import build_pilot


def test_pilot_is_shipped():
    folder = pilot_dataset_path()
    for name in TABLE_ORDER:
        assert (folder / f"{name}.csv").is_file(), name
    assert (folder / "README.md").is_file()


def test_pilot_is_small():
    total = sum(p.stat().st_size for p in pilot_dataset_path().iterdir() if p.is_file())
    assert total < 3 * 1024 * 1024


def test_regenerating_the_pilot_gives_identical_files(tmp_path):
    files = build_pilot(tmp_path / "pilot")
    shipped = pilot_dataset_path()
    for path in files:
        assert path.read_bytes() == (shipped / path.name).read_bytes(), path.name


def test_pilot_reads_without_errors():
    from factory_journey.ingest import read_dataset

    result = read_dataset(pilot_dataset_path())
    errors = [p for p in result.problems if p.severity.value == "error"]
    assert errors == []
    assert set(TABLE_ORDER) <= set(result.tables)
    assert result.tables["profiles"].height == 345
