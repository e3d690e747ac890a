"""`WriteBehind` (services/write_behind.py): jobs of one key in the order given, jobs of
different keys side by side on several threads, at most `max_pending` unfinished, and a job's
error raised in the caller."""

from __future__ import annotations

import threading
import time

import pytest

from factory_journey.services.write_behind import WriteBehind


def test_jobs_of_one_key_keep_their_order_while_other_keys_run_beside_them():
    events: list[str] = []
    first_started = threading.Event()

    def slow(name: str) -> None:
        first_started.set()
        time.sleep(0.3)
        events.append(f"{name} done")

    def quick(name: str) -> None:
        events.append(f"{name} done")

    with WriteBehind[None](max_pending=4, threads=2) as writer:
        writer.submit(lambda: slow("a1"), key="a")
        first_started.wait(5)
        writer.submit(lambda: quick("a2"), key="a")
        writer.submit(lambda: quick("b1"), key="b")
        writer.results()
    assert events.index("b1 done") < events.index("a1 done")  # b did not wait for a
    assert events.index("a1 done") < events.index("a2 done")  # a's pieces in order


def test_at_most_max_pending_jobs_are_unfinished_and_values_come_in_order():
    running = 0
    most = 0
    lock = threading.Lock()

    def job(value: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return value

    with WriteBehind[int](max_pending=2, threads=3) as writer:
        for value in range(8):
            writer.submit(lambda value=value: job(value), key=f"k{value % 3}")
        assert writer.submitted == 8
        assert writer.results() == list(range(8))
    assert 1 <= most <= 2


def test_a_failed_job_is_raised_in_the_caller():
    def broken() -> None:
        raise OSError(28, "No space left on device")

    with (pytest.raises(OSError, match="No space left"),
          WriteBehind[None](max_pending=4, threads=2) as writer):
        writer.submit(broken, key="a")
        writer.submit(lambda: None, key="b")
        writer.results()


def test_one_thread_runs_every_job_in_the_order_given_whatever_its_key():
    order: list[int] = []
    with WriteBehind[None](max_pending=8, threads=1) as writer:
        for value in range(6):
            writer.submit(lambda value=value: order.append(value), key=f"k{value % 2}")
        writer.results()
    assert order == list(range(6))
