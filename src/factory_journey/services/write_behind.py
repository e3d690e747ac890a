"""Write files on one background thread while the caller computes the next thing to write.

Polars writes Parquet (encoding, compression) and computes an assessment largely on one core
at a time; on a machine with two, writing a frame while the next one is computed overlaps
the two. `WriteBehind` runs the jobs one after another in the order given (each file is
written by one job, so its bytes do not depend on the overlap) and holds at most
`max_pending` jobs queued or running: `submit` waits for the oldest before it takes another,
so at most that many frames are kept alive only to be written.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class WriteBehind(Generic[T]):
    """Jobs run in order on one thread; `results()` waits for all and gives their values in
    order. A job's exception is raised in the caller at the next `submit` or `results`.
    Leaving the `with` block waits for every job, even on an error, so that nothing writes
    into a folder after its owner has moved on (removed or renamed it)."""

    def __init__(self, max_pending: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write-behind")
        self._max_pending = max(max_pending, 1)
        self._futures: list[Future[T]] = []

    def submit(self, job: Callable[[], T]) -> None:
        """Queue `job`, after waiting until fewer than `max_pending` jobs are unfinished."""
        unfinished = [f for f in self._futures if not f.done()]
        while len(unfinished) >= self._max_pending:
            unfinished.pop(0).result()
        for future in self._futures:
            if future.done() and future.exception() is not None:
                future.result()  # raises the job's exception here
        self._futures.append(self._pool.submit(job))

    @property
    def submitted(self) -> int:
        """Jobs submitted so far (finished or not)."""
        return len(self._futures)

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
        self._pool.shutdown(wait=True)
