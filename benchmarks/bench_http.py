"""HTTP benchmark: one facility's assessment at N concurrent clients against `journey serve`.

    python benchmarks/bench_http.py [--clients 32] [--seconds 20] [--workers 2] [--as owner]
                                    [--tool wrk|httpx]

Prepares a fresh SQLite database with the bundled pilot dataset and demo accounts (the start-up
of `journey serve`), starts `journey serve` on a free loopback port, signs in, and then keeps
`--clients` concurrent keep-alive connections requesting `GET /api/facilities/{id}/assessment`
for `--seconds` after a warm-up of the same length as `--warmup`. The load tool is `wrk` (C,
Debian package `wrk`; the token goes in a header) when it is installed, else httpx AsyncClient
in one Python process (which is itself the bottleneck on a small machine). Latency is measured
by the tool per request, from sending to the last byte of the body. Prints median, p90, p99
latency [ms], throughput [requests/s] and the machine; exits non-zero on any error.

`--as brand` reads a facility shared with the demo brand instead, so that every request also
writes an audit event (reads of shared data are audited).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ACCOUNTS = {"owner": "factory.admin@demo.test", "brand": "brand.analyst@demo.test"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(
    url: str, port: int, workers: int, log: Path, log_level: str = "warning",
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """`journey serve`, answering once /openapi.json does; at the default log level `warning`
    uvicorn's access log is off. `env` adds to (or replaces) the server's environment."""
    env = {**os.environ, "JOURNEY_ENV": "development", "JOURNEY_LOG_LEVEL": log_level,
           **(env or {})}
    command = [
        sys.executable,
        "-c",
        "from factory_journey.cli import main; main()",
        "serve",
        "--database",
        url,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not start within 10 minutes")


async def _client(
    client: httpx.AsyncClient, path: str, stop_at: float, record_from: float, out: list[float]
) -> int:
    errors = 0
    while True:
        started = time.perf_counter()
        if started >= stop_at:
            return errors
        response = await client.get(path)
        await response.aread()
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            errors += 1
        elif started >= record_from:
            out.append(elapsed)


async def _run(base: str, token: str, path: str, clients: int, seconds: float, warmup: float):
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:
        start = time.perf_counter()
        record_from, stop_at = start + warmup, start + warmup + seconds
        errors = await asyncio.gather(
            *(_client(c, path, stop_at, record_from, latencies) for _ in range(clients))
        )
    return latencies, sum(errors)


def _percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tool", choices=("wrk", "httpx"), default=None)
    parser.add_argument("--as", dest="who", choices=sorted(ACCOUNTS), default="owner")
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="journey-bench-"))
    url = args.database or f"sqlite:///{folder / 'journey.db'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"preparing {url} and starting journey serve on {base} ({args.workers} worker(s)) …")
    server = _start_server(url, port, args.workers, folder / "server.log")
    try:
        sign_in = httpx.post(
            f"{base}/api/auth/sign-in",
            json={"email": ACCOUNTS[args.who], "password": "journey-demo-2026"},
        )
        token = sign_in.json()["token"]
        portfolio = httpx.get(
            f"{base}/api/portfolio", headers={"Authorization": f"Bearer {token}"}, timeout=120
        ).json()
        facility = portfolio[0]["facility_id"]
        path = f"/api/facilities/{facility}/assessment"
        size = len(httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}).content)
        tool = args.tool or ("wrk" if shutil.which("wrk") else "httpx")
        if tool == "wrk":
            stats = _wrk(base + path, token, args.clients, args.seconds, args.warmup)
        else:
            stats = _httpx(base, token, path, args.clients, args.seconds, args.warmup)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"GET {path} as {ACCOUNTS[args.who]} ({size:,} bytes per response)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average before the run {stats['load']}"
    )
    print(
        f"clients: {args.clients}, measured: {args.seconds:.0f} s after {args.warmup:.0f} s "
        f"warm-up, server: journey serve --workers {args.workers} "
        f"(JOURNEY_THREADS={os.environ.get('JOURNEY_THREADS', '4')}), load tool: {stats['tool']}"
    )
    print(f"requests: {stats['requests']:,}, errors: {stats['errors']}")
    print(
        f"latency [ms]: median {stats['p50']:.1f}, p90 {stats['p90']:.1f}, p99 {stats['p99']:.1f}"
    )
    print(f"throughput: {stats['rps']:.0f} requests/s")
    if stats["errors"]:
        raise SystemExit(1)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _wrk(url: str, token: str, clients: int, seconds: float, warmup: float) -> dict:
    return wrk_run(url, clients, seconds, warmup, headers=[f"Authorization: Bearer {token}"])


def wrk_run(
    url: str,
    clients: int,
    seconds: float,
    warmup: float,
    *,
    headers: list[str] = (),  # type: ignore[assignment]
    script: list[str] = (),  # type: ignore[assignment]
) -> dict:
    """`wrk -t1 -c{clients}` on `url` for `warmup` s (not recorded), then `seconds` s with
    `--latency`: the load average before, requests, errors (non-2xx/3xx answers and socket
    errors), p50/p90/p99 [ms] and requests/s. `script`: ["-s", file, "--", args…] (its
    arguments go last, after the URL)."""
    base = ["wrk", "-t1", f"-c{clients}", "--timeout", "10s"]
    for header in headers:
        base += ["-H", header]
    script_file, script_args = list(script[:2]), list(script[2:])
    if warmup > 0:
        subprocess.run(
            [*base, *script_file, f"-d{max(1, round(warmup))}s", url, *script_args],
            check=True,
            capture_output=True,
        )
    load = _load()
    out = subprocess.run(
        [*base, *script_file, f"-d{round(seconds)}s", "--latency", url, *script_args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = {
        int(m.group(1)): _ms(m.group(2), m.group(3))
        for m in re.finditer(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    }
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: .*", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    error_count = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in re.findall(r"\d+", errors.group(0))) if errors else 0
    )
    return {
        "tool": "wrk -t1 (one thread, keep-alive connections)",
        "load": load,
        "requests": requests,
        "errors": error_count,
        "p50": percentiles[50],
        "p90": percentiles[90],
        "p99": percentiles[99],
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "output": out,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _httpx(base: str, token: str, path: str, clients: int, seconds: float, warmup: float) -> dict:
    load = _load()
    latencies, errors = asyncio.run(_run(base, token, path, clients, seconds, warmup))
    ms = sorted(v * 1000 for v in latencies)
    if not ms:
        raise SystemExit("no successful request was recorded")
    return {
        "tool": "httpx AsyncClient (one Python process)",
        "load": load,
        "requests": len(ms),
        "errors": errors,
        "p50": statistics.median(ms),
        "p90": _percentile(ms, 0.90),
        "p99": _percentile(ms, 0.99),
        "rps": len(ms) / seconds,
    }


if __name__ == "__main__":
    main()
