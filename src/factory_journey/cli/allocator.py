"""How Polars' memory allocator behaves in a `journey` process: set before Polars is loaded.

Polars on Linux allocates with jemalloc, which reads its options from the environment
variable `_RJEM_MALLOC_CONF` once, when the library first allocates. By default jemalloc hands
every allocation of 8 MiB or more (a column of a million facility-years) to a separate arena
that returns the memory to the system at once, and spreads threads over four arenas per core,
each keeping its own freed pages: memory freed by one step of `journey assess` was rarely
reused by the next, and every fresh page cost a page fault. At a million facility-years that
was ~4 million page faults and ~10 s of the process's ~52 s of CPU time
(docs/decisions/0043-allocator-settings-for-journey.md, docs/performance.md).

`jemalloc_options`: one arena per core, large allocations in the ordinary arenas, freed pages
kept for reuse for 3 s (then returned, so the peak memory stays what it was) and returned
memory given back at once. A value the user has set is left alone. Polars itself, when
imported, writes its own defaults into the variable and appends what it found there
(`POLARS_DEFAULT`): a process started by one that had imported Polars inherits exactly those
defaults, which are not a user's choice and are replaced.
"""

from __future__ import annotations

import os

#: The environment variable jemalloc (as Polars builds it, with the `_rjem_` prefix) reads.
ENVIRONMENT_VARIABLE = "_RJEM_MALLOC_CONF"


def jemalloc_options(cores: int | None = None) -> str:
    """The options for a machine with `cores` cores [count] (default: this machine's)."""
    arenas = max(1, cores if cores is not None else (os.cpu_count() or 1))
    return f"narenas:{arenas},dirty_decay_ms:3000,muzzy_decay_ms:0,oversize_threshold:0"


#: What `import polars` (2.1) puts in the variable when it finds it empty; it appends a
#: value it finds, and jemalloc lets a later option win over an earlier one.
POLARS_DEFAULT = "dirty_decay_ms:500,muzzy_decay_ms:1000"


def configure() -> str:
    """Set the allocator's options for this process and its children, unless a user has set
    them; returns the value in force."""
    if os.environ.get(ENVIRONMENT_VARIABLE) in (None, "", POLARS_DEFAULT):
        os.environ[ENVIRONMENT_VARIABLE] = jemalloc_options()
    return os.environ[ENVIRONMENT_VARIABLE]


configure()
