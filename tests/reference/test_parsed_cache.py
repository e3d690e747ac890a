"""The parsed form of reference YAML kept beside it (decision 0038): used only when it was made
from the same bytes, never needed for a correct result, and it spares a process PyYAML."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import factory_journey
from factory_journey.reference import loader

DOCUMENT = "meta:\n  version: '1'\nareas:\n  energy: {weight: 0.25, limits: [1, 2.5, null]}\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in reference folder: files in it are cached as the package's are."""
    monkeypatch.setattr(loader, "_reference_root", lambda: tmp_path.resolve())
    return tmp_path


def read(path: Path) -> object:
    """One process's read of `path` (the per-process memo left out)."""
    return loader.read_yaml_file.__wrapped__(path)


def entries(folder: Path) -> list[Path]:
    return sorted((folder / loader.PARSED_CACHE_DIR).glob("*.json"))


def test_a_parse_is_kept_and_read_back_instead_of_parsing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = folder / "bands.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    first = read(path)
    assert first == yaml.safe_load(DOCUMENT)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert entries(folder) == [loader.parsed_cache_path(path, digest)]

    def no_parse(source: object) -> object:
        raise AssertionError("parsed although the cache holds these bytes")

    monkeypatch.setattr(loader, "parse_yaml", no_parse)
    assert read(path) == first


def test_an_edited_file_is_parsed_afresh_and_its_old_entry_removed(folder: Path) -> None:
    path = folder / "bands.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    read(path)
    old = entries(folder)
    path.write_text(DOCUMENT.replace("0.25", "0.5"), encoding="utf-8")
    document = read(path)
    assert isinstance(document, dict) and document["areas"]["energy"]["weight"] == 0.5
    new = entries(folder)
    assert len(new) == 1 and new != old


def test_an_entry_that_does_not_match_is_not_used(folder: Path) -> None:
    path = folder / "bands.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cached = loader.parsed_cache_path(path, digest)
    cached.parent.mkdir()
    for text in ("{not json", json.dumps({"format": loader.PARSED_CACHE_FORMAT,
                                          "sha256": "0" * 64, "data": {"forged": True}})):
        cached.write_text(text, encoding="utf-8")
        assert read(path) == yaml.safe_load(DOCUMENT)


def test_a_folder_that_cannot_be_written_still_reads(folder: Path) -> None:
    path = folder / "bands.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    (folder / loader.PARSED_CACHE_DIR).write_text("a file where the folder would be")
    assert read(path) == yaml.safe_load(DOCUMENT)


def test_files_outside_the_reference_folder_leave_no_cache(tmp_path: Path) -> None:
    path = tmp_path / "methodology.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    assert read(path) == yaml.safe_load(DOCUMENT)
    assert not (tmp_path / loader.PARSED_CACHE_DIR).exists()


def test_every_reference_file_reads_from_its_cache_as_parsed() -> None:
    for name in loader.list_reference_files():
        path = loader.data_path(name)
        if path.suffix != ".yaml":
            continue
        parsed = loader.parse_yaml(path.read_text(encoding="utf-8"))
        assert read(path) == parsed, name  # parsed (or cached) here
        assert read(path) == parsed, name  # from the cache


_VERSIONS_SCRIPT = """
import json, sys
from factory_journey.reference import loader
versions = loader.versions()
documents = {name: loader.load_yaml(name) for name in loader.list_reference_files()
             if name.endswith(".yaml")}
print(json.dumps({"yaml": "yaml" in sys.modules, "versions": versions,
                  "documents": documents}))
"""


def test_a_second_process_reads_every_reference_file_without_pyyaml(tmp_path: Path) -> None:
    source = str(Path(factory_journey.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": source}
    outcomes = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", _VERSIONS_SCRIPT], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        outcomes.append(json.loads(done.stdout))
    assert outcomes[1]["yaml"] is False
    assert outcomes[1]["versions"] == outcomes[0]["versions"] == loader.versions()
    assert outcomes[1]["documents"] == outcomes[0]["documents"]


def test_threads_parsing_one_file_at_once_leave_one_whole_entry(folder: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = folder / "bands.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    with ThreadPoolExecutor(8) as pool:
        documents = list(pool.map(lambda _: read(path), range(32)))
    assert all(document == yaml.safe_load(DOCUMENT) for document in documents)
    [entry] = entries(folder)
    assert json.loads(entry.read_text(encoding="utf-8"))["data"] == yaml.safe_load(DOCUMENT)
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]  # no temporary left
