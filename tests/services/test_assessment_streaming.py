"""`journey assess` writes each frame as soon as it is computed (`assess(..., emit=)`, a
write-behind thread): the same files and bytes as writing the held result, nothing left on a
failure, and frames handed over are the ones a plain assessment returns."""

from __future__ import annotations

import threading
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.engine.assessment import PARTS, assess
from factory_journey.services import assessment as service
from factory_journey.services.assessment import assess_dataset, assess_files, write_outputs
from factory_journey.services.write_behind import WriteBehind


@pytest.fixture(scope="module")
def pilot():
    return assess_dataset("pilot")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("formats", ["parquet", "parquet,csv,json"])
def test_streamed_outputs_are_the_bytes_of_the_held_result(pilot, tmp_path, formats):
    streamed = assess_files("pilot", tmp_path / "streamed", formats=formats)
    held = write_outputs(pilot, tmp_path / "held", formats=formats)
    assert streamed.status == held.status == "ok"
    assert streamed.files_written == held.files_written
    assert streamed.summary == held.summary
    files = _files(tmp_path / "streamed")
    assert files.keys() == _files(tmp_path / "held").keys()
    assert "opportunities.parquet" in files and "metadata.json" in files
    assert files == _files(tmp_path / "held")


def test_emitted_frames_are_those_of_a_plain_assessment(pilot):
    emitted: dict[str, pl.DataFrame] = {}
    result = assess(pilot.matrix, emit=lambda name, frame: emitted.setdefault(name, frame))
    assert list(emitted) == ["trajectory", "indicators", "opportunities", "pathways", "measures"]
    for name in PARTS:
        assert_frame_equal(emitted[name], getattr(pilot.result, name))
        assert getattr(result, name).is_empty()


def test_a_failed_write_leaves_no_output_folder(tmp_path, monkeypatch):
    real = service.write_frame

    def failing(frame, folder, name, plan):
        if name == "pathways":
            raise OSError(28, "No space left on device")
        return real(frame, folder, name, plan)

    monkeypatch.setattr(service, "write_frame", failing)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        assess_files("pilot", out, formats="parquet")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_write_behind_runs_in_order_and_holds_at_most_max_pending():
    running = 0
    most = 0
    guard = threading.Lock()
    release = threading.Event()

    def job(i: int):
        def run() -> int:
            nonlocal running, most
            with guard:
                running += 1
                most = max(most, running)
            release.wait(5)
            with guard:
                running -= 1
            return i

        return run

    with WriteBehind[int](max_pending=2) as writer:
        writer.submit(job(0))
        writer.submit(job(1))
        waiter = threading.Thread(target=writer.submit, args=(job(2),))
        waiter.start()
        waiter.join(0.2)
        assert waiter.is_alive()  # a third waits while two are unfinished
        release.set()
        waiter.join(5)
        assert writer.results() == [0, 1, 2]
    assert most == 1  # one thread: one job at a time


def test_write_behind_raises_a_jobs_error_in_the_caller():
    def broken() -> None:
        raise ValueError("disk gone")

    with pytest.raises(ValueError, match="disk gone"), WriteBehind[None]() as writer:
        writer.submit(broken)
        writer.results()
