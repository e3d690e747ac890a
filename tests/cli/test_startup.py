"""Start-up stays light (issue 14): what a command imports, and how often YAML is parsed.

No timing here (a shared CI machine makes times flaky): the guards are the modules a fresh
process holds after building the CLI, and the number of parses per reference file. The
figures themselves are in docs/performance.md ("Start-up (issue 14)").
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

import factory_journey
from factory_journey.reference import loader

#: Modules no `--help` may load: each costs tens to hundreds of milliseconds at start-up.
HEAVY_FOR_HELP = (
    "scipy", "sqlalchemy", "typst", "openpyxl", "xlsxwriter", "fastapi", "uvicorn",
    "polars", "numpy", "pint", "jinja2", "babel", "yaml",
)

#: Modules one facility's `journey assess` must not load: the evaluation's statistics, the
#: platform's database and web stack, and the PDF compiler.
# pint: accepted units convert through the generated factor table (decision 0029).
# babel: report formatting only; yaml: reference files come from their parsed cache (0038).
HEAVY_FOR_ASSESS = ("scipy.stats", "sqlalchemy", "fastapi", "uvicorn", "typst", "jinja2", "pint",
                    "babel", "yaml")

_SRC = str(Path(factory_journey.__file__).resolve().parents[1])


def _run_python(script: str, cwd: Path) -> dict[str, object]:
    """Run `script` in a fresh interpreter on this source tree; it prints one JSON line last."""
    paths = [_SRC, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_HELP_SCRIPT = """
import json, sys
from typer.main import get_command
from typer.testing import CliRunner
from factory_journey.cli import app

command = get_command(app)
paths = [[]]
for name, sub in command.commands.items():
    paths.append([name])
    if hasattr(sub, "commands"):  # a group: each of its commands too
        paths.extend([name, inner] for inner in sub.commands)
failures = {}
for path in paths:
    result = CliRunner().invoke(app, [*path, "--help"])
    if result.exit_code != 0 or "Usage" not in result.output:
        failures[" ".join(path)] = result.output[-500:]
heavy = %r
print(json.dumps({
    "helped": [" ".join(path) for path in paths],
    "failures": failures,
    "loaded": sorted(name for name in heavy if name in sys.modules),
}))
"""


def test_help_of_every_command_loads_no_heavy_module(tmp_path: Path) -> None:
    outcome = _run_python(_HELP_SCRIPT % (HEAVY_FOR_HELP,), tmp_path)
    assert outcome["failures"] == {}
    helped = outcome["helped"]
    assert isinstance(helped, list)
    # Every command was asked for its help (a command added later is covered too).
    expected = {"", "assess", "matrix", "report", "serve", "run", "evaluate", "profile validate"}
    assert expected <= set(helped)
    assert outcome["loaded"] == []


_ASSESS_SCRIPT = """
import json, sys
from pathlib import Path
from factory_journey.services.demo_data import make_demo_data
make_demo_data(1, [2023], 2021, Path("one"), "csv")
from factory_journey.cli import app
try:
    app(["assess", "one", "--out", "out", "--json"])
except SystemExit as stop:
    code = stop.code
heavy = %r
print(json.dumps({
    "exit": code,
    "written": sorted(path.name for path in Path("out").iterdir()),
    "loaded": sorted(name for name in heavy if name in sys.modules),
}))
"""


_WARM_SCRIPT = """
import json
from factory_journey.reference import loader
loader.versions()
for name in loader.list_reference_files():
    if name.endswith(".yaml"):
        loader.load_yaml(name)
print(json.dumps({}))
"""


def test_one_facility_assess_loads_no_platform_statistics_or_pdf(tmp_path: Path) -> None:
    # as a user's second run: the reference files' parses are cached (decision 0038)
    _run_python(_WARM_SCRIPT, tmp_path)
    outcome = _run_python(_ASSESS_SCRIPT % (HEAVY_FOR_ASSESS,), tmp_path)
    assert outcome["exit"] == 0
    written = outcome["written"]
    assert isinstance(written, list)
    assert "metadata.json" in written
    assert outcome["loaded"] == []


@pytest.fixture
def counted_parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every YAML file parse through the reference loader, by path, from empty caches."""
    paths: list[Path] = []
    real_parse = loader.parse_yaml

    def counting_read(path: Path) -> object:
        paths.append(path)
        with path.open(encoding="utf-8") as handle:
            return real_parse(handle)

    for cached in (loader.read_yaml_file, loader.meta, loader.load_yaml):
        cached.cache_clear()
    counted = cache(counting_read)
    monkeypatch.setattr(loader, "read_yaml_file", counted)
    yield paths
    for cached in (counted, loader.meta, loader.load_yaml):
        cached.cache_clear()


def test_each_reference_yaml_file_is_parsed_once(counted_parses: list[Path]) -> None:
    yaml_names = [name for name in loader.list_reference_files() if name.endswith(".yaml")]
    assert yaml_names
    for _ in range(2):
        for name in yaml_names:
            loader.load_yaml(name)
            loader.meta(name)
        loader.versions()  # every file's meta, sidecars included
    assert len(counted_parses) == len(set(counted_parses)), "a YAML file was parsed twice"
    assert {loader.data_path(name) for name in yaml_names} <= set(counted_parses)


def test_data_and_meta_come_from_one_parse(counted_parses: list[Path]) -> None:
    document = loader.load_yaml("indicators.yaml")
    block = loader.meta("indicators.yaml")
    assert counted_parses == [loader.data_path("indicators.yaml")]
    assert block == document["meta"]
    block["version"] = "changed by a caller"  # meta() hands out a copy of the block
    assert document["meta"]["version"] != "changed by a caller"


def test_c_loader_reads_every_reference_file_as_the_python_loader_does() -> None:
    if yaml.__with_libyaml__:
        assert loader.safe_loader() is yaml.CSafeLoader
    files = sorted(loader.data_dir().rglob("*.yaml"))  # data files and sidecars
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert loader.parse_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader), path.name


_COLLECTOR_SCRIPT = """
import gc, json, sys
from pathlib import Path
from factory_journey.services.demo_data import make_demo_data
make_demo_data(1, [2023], 2021, Path("one"), "csv")
frozen_before = gc.get_freeze_count()
collections = []
gc.callbacks.append(lambda phase, info: collections.append(1) if phase == "start" else None)
sys.argv = ["journey", "assess", "one", "--out", "out", "--json"]
from factory_journey.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({
    "exit": code,
    "enabled": gc.isenabled(),
    "frozen_before": frozen_before,
    "frozen_after": gc.get_freeze_count(),
    "collections": len(collections),
}))
"""


def test_the_journey_script_loads_without_collections_then_collects(tmp_path: Path) -> None:
    outcome = _run_python(_COLLECTOR_SCRIPT, tmp_path)
    assert outcome["exit"] == 0
    # the collector is on again for the work, and what was loaded is kept out of its passes
    assert outcome["enabled"] is True
    frozen_before, frozen_after = outcome["frozen_before"], outcome["frozen_after"]
    assert isinstance(frozen_before, int) and isinstance(frozen_after, int)
    assert frozen_after > frozen_before + 50_000
    assert isinstance(outcome["collections"], int) and outcome["collections"] > 0


def test_the_typer_app_leaves_its_callers_collector_alone() -> None:
    from typer.testing import CliRunner

    from factory_journey.cli import app

    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(app, ["assess", "--help"])
    assert result.exit_code == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() <= frozen  # nothing frozen (frozen objects may be freed)


def test_main_called_in_process_leaves_the_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from factory_journey import cli

    def crash() -> None:
        raise RuntimeError("before any command ran")

    monkeypatch.setattr(cli, "app", crash)
    monkeypatch.setattr(cli, "write_crash_log", lambda text: Path("crash.log"))
    with pytest.raises(SystemExit):
        cli.main()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with cli.collector.quiet_imports():  # inert again once main has returned
        assert gc.isenabled()
    assert gc.get_freeze_count() <= frozen
