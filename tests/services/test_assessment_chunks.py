"""`journey assess` of a large matrix in chunks of whole facilities (services/
chunked_assessment.py) writes the frames one whole assessment writes: same rows, order,
columns and dtypes, same metadata.json, and the same bytes on a rerun. (The files are written
piece by piece, as Parquet pieces put together (parquet_stitch.py), so their bytes are not
one pass's.)"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from factory_journey.engine.assessment import assess, peer_table_of
from factory_journey.engine.assessment.chunks import facility_chunks, item_blocks
from factory_journey.services import chunked_assessment
from factory_journey.services.assessment import OUTPUTS, assess_files
from factory_journey.services.demo_data import make_demo_data


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    # 60 facilities x 3 years, messy (missing tables and months): peer groups of every size
    out = tmp_path_factory.mktemp("chunks") / "data"
    make_demo_data(60, "2021-2023", 7, out, "parquet", monthly=False)
    return out


def _run(dataset: Path, out: Path, monkeypatch, chunk: int | None) -> int:
    """Assess `dataset` into `out` (in chunks of `chunk` facility-years, or whole); returns
    how many chunks were assessed."""
    calls: list[int] = []

    def counted(matrix, *args, **kwargs):
        calls.append(matrix.height)
        return assess(matrix, *args, **kwargs)

    monkeypatch.setattr(chunked_assessment, "assess", counted)
    if chunk is None:
        monkeypatch.setattr(chunked_assessment, "CHUNK_MIN_FACILITY_YEARS", 10**12)
    else:
        monkeypatch.setattr(chunked_assessment, "CHUNK_MIN_FACILITY_YEARS", 0)
        monkeypatch.setattr(chunked_assessment, "CHUNK_FACILITY_YEARS", chunk)
    run = assess_files(dataset, out, formats="parquet")
    assert run.status == "ok", run.message
    return len(calls)


def test_chunked_outputs_equal_one_whole_assessment(dataset, tmp_path, monkeypatch):
    assert _run(dataset, tmp_path / "whole", monkeypatch, None) == 0
    # ~3 facilities a chunk: about 20 chunks
    assert _run(dataset, tmp_path / "chunked", monkeypatch, 7) > 10
    _run(dataset, tmp_path / "again", monkeypatch, 7)
    whole, chunked = tmp_path / "whole", tmp_path / "chunked"
    assert sorted(p.name for p in chunked.iterdir()) == sorted(p.name for p in whole.iterdir())
    for name in OUTPUTS:
        frame = pl.read_parquet(chunked / f"{name}.parquet")
        assert frame.height > 0
        assert_frame_equal(frame, pl.read_parquet(whole / f"{name}.parquet"), check_exact=True)
    assert (chunked / "metadata.json").read_text() == (whole / "metadata.json").read_text()
    for name in OUTPUTS[1:]:  # appended or put together chunk by chunk
        assert pq.ParquetFile(chunked / f"{name}.parquet").metadata.num_row_groups > 10
    for path in chunked.iterdir():  # a rerun: the same bytes, file by file
        assert path.read_bytes() == (tmp_path / "again" / path.name).read_bytes(), path.name


def test_chunks_are_whole_facilities_in_order(dataset):
    from factory_journey.services.assessment import assess_dataset

    matrix = assess_dataset(dataset).matrix.sample(fraction=1.0, shuffle=True, seed=3)
    chunks = list(facility_chunks(matrix, 7))
    assert len(chunks) > 10
    assert_frame_equal(pl.concat(chunks), matrix.sort("facility_id", "year"))
    seen: set[str] = set()
    for chunk in chunks:
        assert chunk.height >= 7 or chunk is chunks[-1]
        ids = set(chunk["facility_id"].to_list())
        assert not ids & seen  # no facility in two chunks
        seen |= ids


def test_a_given_peer_table_judges_as_the_matrix_own_groups(dataset):
    from factory_journey.services.assessment import assess_dataset

    matrix = assess_dataset(dataset).matrix
    own, given = assess(matrix), assess(matrix, peers=peer_table_of(matrix))
    for name in ("opportunities", "pathways", "measures", "trajectory", "indicators"):
        assert_frame_equal(getattr(given, name), getattr(own, name), check_exact=True)
    assert given.versions == own.versions
    kinds = own.indicators["threshold_kind"].cast(pl.String).unique().to_list()
    assert "peer" in kinds  # the test judges peer thresholds, not only absolute ones


def test_item_blocks_refuse_a_frame_that_is_not_whole_blocks():
    frame = pl.DataFrame({"x": range(10)})
    assert [b["x"].to_list() for b in item_blocks(frame, 5)] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    with pytest.raises(ValueError, match="not whole blocks"):
        item_blocks(frame, 3)


def test_a_failure_in_a_later_chunk_leaves_no_output_folder(dataset, tmp_path, monkeypatch):
    calls: list[int] = []

    def failing(matrix, *args, **kwargs):
        calls.append(matrix.height)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return assess(matrix, *args, **kwargs)

    monkeypatch.setattr(chunked_assessment, "CHUNK_MIN_FACILITY_YEARS", 0)
    monkeypatch.setattr(chunked_assessment, "CHUNK_FACILITY_YEARS", 7)
    monkeypatch.setattr(chunked_assessment, "assess", failing)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        assess_files(dataset, out, formats="parquet")
    assert len(calls) == 3 and not out.exists()  # no pieces and no half-written files left
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_progress_of_a_chunked_assessment_never_passes_its_total(dataset, tmp_path, monkeypatch):
    # the write stage used to count every piece written by the chunks against a total of
    # the seven output files ("write 21/7")
    seen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(chunked_assessment, "CHUNK_MIN_FACILITY_YEARS", 0)
    monkeypatch.setattr(chunked_assessment, "CHUNK_FACILITY_YEARS", 30)
    run = assess_files(dataset, tmp_path / "out", formats="parquet",
                       progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert run.status == "ok", run.message
    last_write = [(done, total) for stage, done, total in seen if stage == "write"][-1]
    assert last_write[0] == last_write[1]
    for stage, done, total in seen:
        assert 0 <= done <= total, (stage, done, total)
    assert any(stage == "assess" and total > 2 for stage, _, total in seen)  # chunked


def test_pieces_that_cannot_be_put_together_are_encoded_again(dataset, tmp_path, monkeypatch):
    from factory_journey.services import parquet_stitch

    def refuse(pieces, target):
        raise parquet_stitch.StitchError("a piece Polars wrote differently")

    _run(dataset, tmp_path / "whole", monkeypatch, None)
    monkeypatch.setattr(chunked_assessment, "stitch", refuse)
    # the facility-major pieces, put together as they come: one refused after some were
    appended = chunked_assessment.Stitcher.append
    count = {"pathways": 0}

    def refuse_third(self, piece):
        if self.target.name == "pathways.parquet":
            count["pathways"] += 1
            if count["pathways"] == 3:
                raise parquet_stitch.StitchError("a piece Polars wrote differently")
        if self.target.name == "trajectory.parquet":  # the first one refused
            raise parquet_stitch.StitchError("a piece Polars wrote differently")
        return appended(self, piece)

    monkeypatch.setattr(chunked_assessment.Stitcher, "append", refuse_third)
    _run(dataset, tmp_path / "chunked", monkeypatch, 7)
    assert count["pathways"] == 3  # refused once, then every later piece kept as a file
    for name in ("opportunities", "indicators", "pathways", "trajectory", "measures"):
        assert_frame_equal(pl.read_parquet(tmp_path / "chunked" / f"{name}.parquet"),
                           pl.read_parquet(tmp_path / "whole" / f"{name}.parquet"),
                           check_exact=True)
    assert not (tmp_path / "chunked" / ".pieces").exists()
