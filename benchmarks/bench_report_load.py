"""HTTP load on the facility report PDF: N concurrent clients against `journey serve`.

    python benchmarks/bench_report_load.py [--clients 32] [--seconds 60] [--workers 2]
                                           [--mix rotate|one] [--database URL]

Starts the real server the way `bench_http.py` does (a fresh SQLite database with the bundled
pilot dataset and the demo accounts, unless `--database` names one; `journey serve` in a new
process on a free loopback port), signs in as the demo factory admin, and runs `--clients`
threads, each with its own keep-alive httpx connection, requesting
`GET /api/facilities/{id}/report.pdf` back to back for `--seconds` after a `--warmup`.

`--mix rotate` (default) asks for the reports of every facility of the account's portfolio in
every language of `--langs`, in turn, one shared queue for all clients: a report comes back
only after all the others (115 facilities × 2 languages in the pilot = 230), more than the
server keeps rendered (64 PDFs per worker process), so every request compiles a PDF — the hard
case. `--mix one` asks for one facility's report in the first language only: after the first
compile it is served from the cache.

Latency is measured in the client per request, from sending it to the last byte of the body
(`time.perf_counter`). A request counts as measured when it starts after the warm-up and
before the end; its outcome is its HTTP status, or, when no answer came, `reset` (connection
closed, reset or refused), `timeout` (no answer within `--timeout` s) or `other`. A 200 also
has to be a PDF (`%PDF-` … `%%EOF`), else it counts as `bad body`. Prints the count of each
outcome, the errors (everything but a valid 200), median / p95 / p99 / max latency [ms] of
the valid answers, throughput [valid answers/s], the CPU time the server's processes used in
the measured window (from /proc: a figure other jobs on the machine hardly change) and the
machine and its load; exits non-zero on any error (keeping the server's log), else removes
its temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from bench_http import ACCOUNTS, _free_port, _load, _percentile, _start_server

RESET_ERRORS = (
    httpx.ConnectError,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


class Tally:
    """Outcomes and latencies of the measured requests, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.outcomes: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.examples: dict[str, str] = {}

    def add(self, outcome: str, elapsed: float | None, example: str = "") -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            if elapsed is not None:
                self.latencies.append(elapsed)
            if example and outcome not in self.examples:
                self.examples[outcome] = example[:200]


def _cpu_seconds(root: int) -> float:
    """CPU time [s] (user + system) of process `root` and all its descendants so far (Linux)."""
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _is_pdf(body: bytes) -> bool:
    return body.startswith(b"%PDF-") and b"%%EOF" in body[-1024:]


class Turns:
    """The next path to ask for: one queue shared by every client."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self._next = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            path = self.paths[self._next % len(self.paths)]
            self._next += 1
            return path


def _client(
    base: str,
    token: str,
    turns: Turns,
    record_from: float,
    stop_at: float,
    timeout: float,
    tally: Tally,
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=timeout) as client:
        while True:
            started = time.perf_counter()
            if started >= stop_at:
                return
            path = turns.next()
            measured = started >= record_from
            try:
                response = client.get(path)
                elapsed = time.perf_counter() - started
            except RESET_ERRORS as error:
                if measured:
                    tally.add("reset", None, repr(error))
                continue
            except httpx.TimeoutException as error:
                if measured:
                    tally.add("timeout", None, repr(error))
                continue
            except httpx.HTTPError as error:
                if measured:
                    tally.add("other", None, repr(error))
                continue
            if not measured:
                continue
            if response.status_code != 200:
                tally.add(str(response.status_code), None, response.text)
            elif not _is_pdf(response.content):
                tally.add("bad body", None, repr(response.content[:80]))
            else:
                tally.add("200", elapsed)


def _paths(base: str, token: str, mix: str, langs: list[str]) -> list[str]:
    portfolio = httpx.get(
        f"{base}/api/portfolio", headers={"Authorization": f"Bearer {token}"}, timeout=300
    ).json()
    facilities = [line["facility_id"] for line in portfolio]
    if mix == "one":
        facilities, langs = facilities[:1], langs[:1]
    return [
        f"/api/facilities/{facility}/report.pdf?lang={lang}"
        for lang in langs
        for facility in facilities
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mix", choices=("rotate", "one"), default="rotate")
    parser.add_argument("--langs", default="en,vi", help="report languages, comma-separated")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request [s]")
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="journey-bench-report-"))
    url = args.database or f"sqlite:///{folder / 'journey.db'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"preparing {url} and starting journey serve on {base} ({args.workers} worker(s)) …")
    server = _start_server(url, port, args.workers, folder / "server.log")
    tally = Tally()
    try:
        sign_in = httpx.post(
            f"{base}/api/auth/sign-in",
            json={"email": ACCOUNTS["owner"], "password": "journey-demo-2026"},
        )
        token = sign_in.json()["token"]
        paths = _paths(base, token, args.mix, args.langs.split(","))
        turns = Turns(paths)
        load = _load()
        start = time.perf_counter()
        record_from = start + args.warmup
        stop_at = record_from + args.seconds
        threads = [
            threading.Thread(
                target=_client,
                args=(base, token, turns, record_from, stop_at, args.timeout, tally),
            )
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, record_from - time.perf_counter()))
        cpu_from = _cpu_seconds(server.pid)
        time.sleep(max(0.0, stop_at - time.perf_counter()))
        cpu = _cpu_seconds(server.pid) - cpu_from
        for thread in threads:
            thread.join()
        load_after = _load()
    finally:
        server.terminate()
        server.wait(timeout=30)
    _print(args, paths, tally, load, load_after, cpu)
    if sum(n for outcome, n in tally.outcomes.items() if outcome != "200"):
        raise SystemExit(f"errors: the server's log is {folder / 'server.log'}")
    shutil.rmtree(folder, ignore_errors=True)


def _print(
    args: argparse.Namespace,
    paths: list[str],
    tally: Tally,
    load: str,
    load_after: str,
    cpu: float,
) -> None:
    ok = sorted(v * 1000 for v in tally.latencies)
    errors = sum(n for outcome, n in tally.outcomes.items() if outcome != "200")
    print(
        f"GET /api/facilities/{{id}}/report.pdf?lang=… as {ACCOUNTS['owner']}, "
        f"mix {args.mix}: {len(paths)} different report{'' if len(paths) == 1 else 's'} in turn"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; "
        f"load average before {load}, after {load_after}"
    )
    print(
        f"clients: {args.clients} threads (httpx, keep-alive), measured {args.seconds:.0f} s "
        f"after {args.warmup:.0f} s warm-up; server: journey serve --workers {args.workers} "
        f"(JOURNEY_THREADS={os.environ.get('JOURNEY_THREADS', '4')}, "
        f"JOURNEY_PDF_COMPILERS={os.environ.get('JOURNEY_PDF_COMPILERS', 'default')})"
    )
    outcomes = ", ".join(f"{k}: {v:,}" for k, v in sorted(tally.outcomes.items()))
    print(f"outcomes: {outcomes or 'none'}; errors: {errors}")
    for outcome, example in sorted(tally.examples.items()):
        print(f"  e.g. {outcome}: {example}")
    if ok:
        print(
            f"latency [ms]: median {statistics.median(ok):.0f}, p95 {_percentile(ok, 0.95):.0f}, "
            f"p99 {_percentile(ok, 0.99):.0f}, max {ok[-1]:.0f}"
        )
    print(f"throughput: {len(ok) / args.seconds:.1f} valid PDFs/s")
    print(
        f"server CPU during the measured {args.seconds:.0f} s: {cpu:.1f} s "
        f"({cpu / args.seconds:.2f} cores"
        + (f", {cpu / len(ok) * 1000:.0f} ms per valid PDF)" if ok else ")")
    )


if __name__ == "__main__":
    main()
