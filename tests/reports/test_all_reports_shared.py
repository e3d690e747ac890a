"""`write_all_reports` over several processes: the parent and its spawned workers share the
chunks of facilities; the files are those one process writes, and a failure leaves no folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from factory_journey.reports.context import FacilityNotFoundError, ReportData
from factory_journey.services import reports as service


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_shared_between_processes_writes_what_one_process_writes(
        report_data: ReportData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "CHUNK", 1)  # 3 facilities: chunks for the parent and a worker
    ids = service.facility_ids(report_data)
    seen: list[tuple[int, int]] = []
    one = service.write_all_reports(report_data, tmp_path / "one", fmt="html", workers=1)
    two = service.write_all_reports(report_data, tmp_path / "two", fmt="html", workers=2,
                                    progress=lambda done, total: seen.append((done, total)))
    assert [p.name for p in two.files] == [p.name for p in one.files] == [
        f"{i}.html" for i in ids]
    assert _contents(tmp_path / "two") == _contents(tmp_path / "one")
    assert seen[0] == (0, len(ids)) and seen[-1] == (len(ids), len(ids))


def test_a_failing_report_leaves_no_folder(
        report_data: ReportData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "CHUNK", 1)
    ids = [*service.facility_ids(report_data), "NOT-THERE"]
    with pytest.raises(FacilityNotFoundError):
        service.write_all_reports(report_data, tmp_path / "out", fmt="html", workers=2, ids=ids)
    assert not (tmp_path / "out").exists()
