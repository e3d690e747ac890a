"""Write files on background threads while the caller computes the next thing to write.

Polars writes Parquet (encoding, compression) and computes an assessment largely on one core
at a time; on a machine with two, writing a frame while the next one is computed overlaps
the two. `WriteBehind` runs the jobs on `threads` threads (default one: one after another, in
the order given) and holds at most `max_pending` jobs queued or running: `submit` waits for
the oldest before it takes another, so at most that many frames are kept alive only to be
written. Jobs given the same `key` (one file written piece by piece) run in the order given
whatever the number of threads (one lane per key), so a file's bytes never depend on the
overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class WriteBehind(Generic[T]):
    """Jobs run on background threads; `results()` waits for all and gives their values in
    order. A job's exception is raised in the caller at the next `submit` or `results`.
    Leaving the `with` block waits for every job, even on an error, so that nothing writes
    into a folder after its owner has moved on (removed or renamed it).

    Each key has its own lane (one thread: its jobs one after another, in the order given);
    at most `threads` jobs run at once, whatever their lanes. With one thread, or without
    keys, every job runs in one lane, in the order given."""

    def __init__(self, max_pending: int = 2, threads: int = 1) -> None:
        self._threads = max(threads, 1)
        self._running = threading.BoundedSemaphore(self._threads)
        self._lanes: dict[str | None, ThreadPoolExecutor] = {}
        self._max_pending = max(max_pending, 1)
        self._futures: list[Future[T]] = []

    @property
    def submitted(self) -> int:
        """Jobs submitted so far (finished or not)."""
        return len(self._futures)

    def _lane(self, key: str | None) -> ThreadPoolExecutor:
        key = key if self._threads > 1 else None
        if key not in self._lanes:
            self._lanes[key] = ThreadPoolExecutor(max_workers=1,
                                                  thread_name_prefix="write-behind")
        return self._lanes[key]

    def submit(self, job: Callable[[], T], key: str | None = None) -> None:
        """Queue `job` in the lane of `key`, after waiting until fewer than `max_pending` jobs
        are unfinished."""
        unfinished = [f for f in self._futures if not f.done()]
        while len(unfinished) >= self._max_pending:
            unfinished.pop(0).result()
        for future in self._futures:
            if future.done() and future.exception() is not None:
                future.result()  # raises the job's exception here

        def run() -> T:
            with self._running:  # at most `threads` jobs at once, across the lanes
                return job()

        self._futures.append(self._lane(key).submit(run))

    def results(self, each: Callable[[int], None] | None = None) -> list[T]:
        """Every job's value in submission order; `each(i)` after job i (0-based) is done."""
        values = []
        for i, future in enumerate(self._futures):
            values.append(future.result())
            if each is not None:
                each(i)
        return values

    def __enter__(self) -> WriteBehind[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None:
            for future in self._futures:
                future.cancel()  # not started yet: never started
        for lane in self._lanes.values():
            lane.shutdown(wait=True)
