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
    OutputExistsError,
    OutputInUseError,
    atomic_output_dir,
    lock_file,
)
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


class Holder:
    """A separate process writing `out`, until it is killed."""

    def __init__(self, out: Path) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True, env=env
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
    yield lambda out: started.append(Holder(out)) or started[-1]
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


def test_a_previous_output_caught_mid_swap_is_put_back(tmp_path):
    # Killed between "out -> .out.old-*" and "staging -> out": the old output is restored.
    old = tmp_path / ".out.old-abc_123"
    old.mkdir()
    (old / "kept.csv").write_text("k\n1\n", encoding="utf-8")
    with atomic_output_dir(tmp_path / "other"):
        pass
    assert (tmp_path / "out" / "kept.csv").is_file()
    assert not old.exists()


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
