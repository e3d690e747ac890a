"""Output folders: one run at a time per `--out` (an OS lock), leftovers of killed runs cleaned
by the next run into the same parent, and live runs' folders left alone (#13).

Before the lock (main at f87cf9c), two `journey matrix` runs started together into one `--out`
ended one of them on "unexpected error" (exit 70) in 3 of 3 trials.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.services.journey_run import run_journey
from factory_journey.services.output_dir import (
    MARKER,
    OutputExistsError,
    OutputInUseError,
    atomic_output_dir,
    clean_leftovers,
    lock_file,
)
from factory_journey.services.reports import _write_atomic
from tests.ingest.dataset_helpers import EXAMPLE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks are POSIX")

#: A run that stops half-way through writing `argv[1]` and waits to be killed.
HOLDER = """
import sys, time
from pathlib import Path
from factory_journey.services.output_dir import atomic_output_dir
with atomic_output_dir(Path(sys.argv[1])) as staging:
    (staging / "half.csv").write_text("a,b\\n1,2\\n")
    print("writing", flush=True)
    time.sleep(120)
"""

#: A run replacing `argv[1]` (`force`) that is stopped between setting the previous output
#: aside and moving the new one into place, and waits to be killed.
MID_SWAP = """
import sys, time
from pathlib import Path
from factory_journey.services.output_dir import atomic_output_dir
rename = Path.rename
def stop_after_setting_aside(self, target):
    moved = rename(self, target)
    if ".old-" in Path(target).parent.name:
        print("writing", flush=True)
        time.sleep(120)
    return moved
Path.rename = stop_after_setting_aside
with atomic_output_dir(Path(sys.argv[1]), force=True) as staging:
    (staging / "new.csv").write_text("n\\n1\\n")
"""

#: A report being written to `argv[1]` (`reports._write_atomic`), stopped just before the
#: finished file would replace its target.
FILE_HOLDER = """
import os, sys, time
from pathlib import Path
from factory_journey.services import reports
def stop(source, target):
    print("writing", flush=True)
    time.sleep(120)
os.replace = stop
reports._write_atomic(Path(sys.argv[1]), b"%PDF-half")
"""


class Holder:
    """A separate process writing `out`, until it is killed."""

    def __init__(self, out: Path, script: str = HOLDER) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "writing"

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def holders():
    started: list[Holder] = []
    yield lambda out, script=HOLDER: started.append(Holder(out, script)) or started[-1]
    for holder in started:
        if holder.process.poll() is None:
            holder.kill()


def _staging(parent: Path, name: str) -> list[Path]:
    return sorted(parent.glob(f".{name}.partial-*"))


def test_a_second_run_into_the_same_out_is_told_it_is_in_use(tmp_path, holders):
    out = tmp_path / "out"
    holder = holders(out)
    in_use = rf"in use by another run \(pid {holder.pid}\)"
    with pytest.raises(OutputInUseError, match=in_use), atomic_output_dir(out):
        pass
    result = CliRunner().invoke(app, ["matrix", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"in use by another run (pid {holder.pid})" in " ".join(result.output.split())
    assert "unexpected error" not in result.output
    with pytest.raises(OutputInUseError, match=str(holder.pid)):
        run_journey(EXAMPLE, out)
    assert _staging(tmp_path, "out"), "the live run's staging folder is left alone"
    assert not out.exists()


def test_a_killed_run_leaves_nothing_the_next_run_does_not_clean(tmp_path, holders):
    killed = holders(tmp_path / "out")
    live = holders(tmp_path / "busy")
    killed.kill()
    assert _staging(tmp_path, "out") and lock_file(tmp_path / "out").exists()
    with atomic_output_dir(tmp_path / "other") as staging:  # another folder, same parent
        (staging / "x.csv").write_text("x\n1\n", encoding="utf-8")
    assert _staging(tmp_path, "out") == []
    assert not lock_file(tmp_path / "out").exists()
    assert len(_staging(tmp_path, "busy")) == 1, "a live run's staging folder is kept"
    assert lock_file(tmp_path / "busy").read_text(encoding="ascii").strip() == str(live.pid)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".busy.lock", _staging(tmp_path, "busy")[0].name, "other"
    ]
    # The killed run's lock died with it: its folder can be written at once.
    with atomic_output_dir(tmp_path / "out") as staging:
        (staging / "y.csv").write_text("y\n2\n", encoding="utf-8")
    assert (tmp_path / "out" / "y.csv").is_file()


def test_a_previous_output_caught_mid_swap_is_put_back(tmp_path, holders):
    # Killed between "out -> .out.old-*/out" and "staging -> out": the old output is restored.
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.csv").write_text("k\n1\n", encoding="utf-8")
    holders(out, MID_SWAP).kill()
    assert not out.exists() and len(list(tmp_path.glob(".out.old-*"))) == 1
    with atomic_output_dir(tmp_path / "other"):
        pass
    assert sorted(p.name for p in out.iterdir()) == ["kept.csv"], "put back as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", "out"]


def _users_look_alikes(parent: Path) -> dict[str, str]:
    """Folders of the user's that look like a run's leftovers, each with a file in it."""
    made = {}
    for name in (".data.old-2024", ".photos.partial-backup", ".out.partial-0123abcd",
                 ".out.old-abcdef12", ".results.partial-deadbeef"):
        (parent / name).mkdir()
        (parent / name / "keep.txt").write_text(name, encoding="utf-8")
        made[name] = name
    (parent / ".data.partial-0badf00d").mkdir()  # a marker of someone else's
    (parent / ".data.partial-0badf00d" / MARKER).write_text("mine\n", encoding="utf-8")
    made[".data.partial-0badf00d"] = ""
    return made


def _files_under(parent: Path) -> dict[str, str]:
    return {
        str(path.relative_to(parent)): path.read_text(encoding="utf-8")
        for path in sorted(parent.rglob("*")) if path.is_file() and path.suffix == ".txt"
    }


def test_a_users_own_look_alike_folders_are_never_touched(tmp_path):
    # Before the marker, a `journey matrix --out results` removed every one of them, and put
    # `.data.old-2024` in the place of `data` had `data` not existed.
    (tmp_path / "data").mkdir()
    look_alikes = _users_look_alikes(tmp_path)
    before = _files_under(tmp_path)
    assert len(before) == 5
    result = CliRunner().invoke(app, ["matrix", str(EXAMPLE), "--out", str(tmp_path / "results")])
    assert result.exit_code == 0, result.output
    assert clean_leftovers(tmp_path) == []
    with atomic_output_dir(tmp_path / "out") as staging:
        (staging / "a.csv").write_text("a\n1\n", encoding="utf-8")
    assert _files_under(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*look_alikes, "data", "results", "out"]
    )
    assert list((tmp_path / "data").iterdir()) == []
    # An empty folder named exactly as ours but without the marker is not ours either.
    (tmp_path / ".out.partial-00000000").mkdir()
    assert clean_leftovers(tmp_path) == [] and (tmp_path / ".out.partial-00000000").is_dir()


def test_every_staging_folder_of_ours_carries_the_marker(tmp_path):
    with atomic_output_dir(tmp_path / "out") as staging:
        marker = staging.parent / MARKER
        assert marker.is_file() and str(os.getpid()) in marker.read_text(encoding="utf-8")
        assert lock_file(tmp_path / "out").name in marker.read_text(encoding="utf-8")
        assert not (staging / MARKER).exists(), "the marker is not part of the output"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_a_killed_report_leaves_nothing_the_next_run_does_not_clean(tmp_path, holders):
    # Before: `.portfolio.pdf.XXXX` temporary files were left for ever by a killed report run.
    target = tmp_path / "portfolio.pdf"
    target.write_bytes(b"%PDF-previous")
    holders(target, FILE_HOLDER).kill()
    assert [p for p in tmp_path.glob(".portfolio.pdf.*") if not p.name.endswith(".lock")]
    _write_atomic(tmp_path / "other.pdf", b"%PDF-other")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.pdf", "portfolio.pdf"]
    assert target.read_bytes() == b"%PDF-previous", "the killed run changed nothing"
    assert (tmp_path / "other.pdf").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_lock_is_released_and_its_file_removed_after_a_run(tmp_path):
    out = tmp_path / "out"
    for replace in (False, True):
        with atomic_output_dir(out, force=replace) as staging:
            assert lock_file(out).read_text(encoding="ascii").strip() == str(os.getpid())
            (staging / "a.csv").write_text("a\n1\n", encoding="utf-8")
        assert not lock_file(out).exists()
    with pytest.raises(OutputExistsError, match="--force"), atomic_output_dir(out):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_another_thread_of_the_same_process_is_refused_too(tmp_path):
    out = tmp_path / "out"
    refused: list[BaseException] = []

    def second_run() -> None:
        try:
            with atomic_output_dir(out):
                pass
        except OutputInUseError as error:
            refused.append(error)

    with atomic_output_dir(out):
        thread = threading.Thread(target=second_run)
        thread.start()
        thread.join(timeout=30)
    assert len(refused) == 1 and str(os.getpid()) in str(refused[0])
