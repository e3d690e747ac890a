"""`journey` sets Polars' allocator options before Polars is loaded (cli/allocator.py): jemalloc
reads them once, at its first allocation, so a value set later would do nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from factory_journey.cli import allocator

#: Records the environment variable at the moment Polars is first imported, then loads the CLI.
PROBE = textwrap.dedent(
    """
    import importlib.abc, os, sys
    seen = []
    class Watch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "polars" and not seen:
                seen.append(os.environ.get("_RJEM_MALLOC_CONF"))
            return None
    sys.meta_path.insert(0, Watch())
    import factory_journey.cli
    import polars
    print(seen[0] if seen else "polars never imported")
    """
)


def _probe(**environment: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != allocator.ENVIRONMENT_VARIABLE}
    env.update(environment)
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, check=True)
    return done.stdout.strip()


def test_the_options_are_set_before_polars_is_first_imported():
    assert _probe() == allocator.jemalloc_options()


def test_a_value_the_user_set_is_kept():
    assert _probe(_RJEM_MALLOC_CONF="narenas:7") == "narenas:7"


def test_the_defaults_polars_wrote_in_a_parent_process_are_replaced():
    # a `journey` started by a Python program that had imported Polars inherits Polars' own
    # defaults, not a user's choice
    assert _probe(_RJEM_MALLOC_CONF=allocator.POLARS_DEFAULT) == allocator.jemalloc_options()


def test_polars_still_writes_its_defaults_as_this_module_expects():
    # if Polars changes what it writes, POLARS_DEFAULT must follow (else a parent's Polars
    # defaults would pass for a user's choice)
    env = {k: v for k, v in os.environ.items() if k != allocator.ENVIRONMENT_VARIABLE}
    code = "import os, polars; print(os.environ['_RJEM_MALLOC_CONF'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    assert done.stdout.strip() == allocator.POLARS_DEFAULT


def test_one_arena_per_core_and_freed_pages_kept_a_few_seconds():
    options = dict(item.split(":") for item in allocator.jemalloc_options(cores=2).split(","))
    assert options == {"narenas": "2", "dirty_decay_ms": "3000", "muzzy_decay_ms": "0",
                       "oversize_threshold": "0"}
    assert allocator.jemalloc_options(cores=0).startswith("narenas:1,")
