"""Public open-data API at N concurrent clients against `journey serve` on the pilot database.

    python benchmarks/bench_public_api.py [--clients 32] [--seconds 20] [--workers 2]
                                          [--publish 115]

Starts `journey serve` on a fresh SQLite database (its start-up loads the bundled pilot
dataset, 115 facilities × 3 years, and the demo accounts), signs in as the demo factory
admin and publishes `--publish` of its facilities (every group and year, CC BY 4.0) through
`PUT /api/facilities/{id}/publication`, as a user does. Then `--clients` concurrent
keep-alive clients without any sign-in request, in turn, a published facility's profile
(`GET /api/public/facilities/{id}`, cycling over them), a search page
(`GET /api/public/facilities?country=…`) and the facility's public page
(`GET /open-data/facilities/{id}`, HTML) for `--seconds` after `--warmup`. Latency per
request, from sending to the last byte [ms]: median, p90, p99 per route; errors (any status
but 200); the machine. Exits non-zero on any error or when p99 exceeds 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import _free_port, _load, _percentile, _start_server

ADMIN = "factory.admin@demo.test"
P99_LIMIT_MS = 50.0


async def _client(client, paths, stop_at, record_from, out, errors) -> None:
    for path in paths:
        started = time.perf_counter()
        if started >= stop_at:
            return
        response = await client.get(path)
        await response.aread()
        elapsed = time.perf_counter() - started
        route = "search" if "?" in path else "page" if path.startswith("/open-data") else "profile"
        if response.status_code != 200:
            errors.append((path, response.status_code))
        elif started >= record_from:
            out[route].append(elapsed)


async def _run(base, ids, countries, clients, seconds, warmup):
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: dict[str, list[float]] = {"profile": [], "search": [], "page": []}
    errors: list[tuple[str, int]] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as c:
        start = time.perf_counter()
        record_from, stop_at = start + warmup, start + warmup + seconds

        def paths(offset: int):
            for n in itertools.count(offset):
                yield f"/api/public/facilities/{ids[n % len(ids)]}"
                yield f"/api/public/facilities?country={countries[n % len(countries)]}"
                yield f"/open-data/facilities/{ids[n % len(ids)]}"

        await asyncio.gather(
            *(_client(c, paths(i), stop_at, record_from, latencies, errors)
              for i in range(clients))
        )
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--publish", type=int, default=115)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="journey-bench-public-"))
    url = f"sqlite:///{folder / 'journey.db'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"preparing {url} and starting journey serve on {base} ({args.workers} worker(s)) …")
    server = _start_server(url, port, args.workers, folder / "server.log")
    try:
        token = httpx.post(
            f"{base}/api/auth/sign-in", json={"email": ADMIN, "password": "journey-demo-2026"}
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        portfolio = httpx.get(f"{base}/api/portfolio", headers=auth, timeout=300).json()
        own = [line for line in portfolio if line["relation"] == "owner"][: args.publish]
        started = time.perf_counter()
        for line in own:
            answer = httpx.put(
                f"{base}/api/facilities/{line['facility_id']}/publication",
                json={"groups": ["energy", "ghg", "water", "wastewater", "waste", "air",
                                 "chemicals", "ems"]},
                headers=auth,
                timeout=300,
            )
            answer.raise_for_status()
        publish_s = time.perf_counter() - started
        ids = [line["facility_id"] for line in own]
        countries = sorted({line["country_iso2"] for line in own})
        sizes = len(httpx.get(f"{base}/api/public/facilities/{ids[0]}").content)
        load = _load()
        latencies, errors = asyncio.run(
            _run(base, ids, countries, args.clients, args.seconds, args.warmup)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"published {len(own)} facilities in {publish_s:.1f} s "
          f"({publish_s / max(1, len(own)) * 1000:.0f} ms each: snapshot built)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average before the run {load}"
    )
    print(
        f"clients: {args.clients} (anonymous), measured {args.seconds:.0f} s after "
        f"{args.warmup:.0f} s warm-up, server: journey serve --workers {args.workers}, "
        "load tool: httpx AsyncClient (one Python process)"
    )
    print(f"profile body: {sizes:,} bytes; errors: {len(errors)} {errors[:3]}")
    worst = 0.0
    for route, values in latencies.items():
        ms = sorted(v * 1000 for v in values)
        if not ms:
            raise SystemExit(f"no successful {route} request was recorded")
        p99 = _percentile(ms, 0.99)
        worst = max(worst, p99)
        print(
            f"{route}: {len(ms):,} requests, {len(ms) / args.seconds:.0f}/s; latency [ms] "
            f"median {statistics.median(ms):.1f}, p90 {_percentile(ms, 0.90):.1f}, "
            f"p99 {p99:.1f}"
        )
    if errors or worst > P99_LIMIT_MS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
