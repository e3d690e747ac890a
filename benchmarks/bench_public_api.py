"""Public open-data API and pages at N concurrent clients against `journey serve` (pilot).

    python benchmarks/bench_public_api.py [--clients 32] [--seconds 15] [--workers 2]
                                          [--publish 115] [--tool wrk|httpx] [--in-process 300]
                                          [--log-level warning|info]

Starts `journey serve` on a fresh SQLite database (its start-up loads the bundled pilot
dataset, 115 facilities × 3 years, and the demo accounts), signs in as the demo factory
admin and publishes `--publish` of its facilities (every group and year, CC BY 4.0) through
`PUT /api/facilities/{id}/publication`, as a user does. Then `--clients` concurrent
keep-alive clients without any sign-in request published facilities' profiles
(`GET /api/public/facilities/{id}`), search pages (`GET /api/public/facilities?country=…`)
and public pages (`GET /open-data/facilities/{id}`, HTML), cycling over the facilities.

With `wrk` (C, Debian package `wrk`; used when installed): one run per route and one of the
three mixed, each `--seconds` after `--warmup`, with `benchmarks/wrk_rotate.lua` rotating
over the paths. Without it: httpx AsyncClient in one Python process, the three mixed (the
load tool then takes a core of its own). Latency per request, from sending to the last byte
[ms]: median, p90, p99; errors (non-2xx/3xx answers, socket errors); requests/s; the load
average before each run and after all. Exits non-zero on any error or a p99 above 50 ms.

Extra rows (`--in-process N`, after the server stopped): CPU time per request [ms] in this
process, the app called directly (no HTTP), for each route: the whole app (a request with a
cookie the public cache does not accept, so it goes through every layer as before the cache)
and a kept answer (web/public_cache.py: the state read and the replay), N requests each.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import _free_port, _load, _percentile, _start_server, wrk_run

ADMIN = "factory.admin@demo.test"
P99_LIMIT_MS = 50.0
ROUTES = ("profile", "search", "page")
LUA = Path(__file__).with_name("wrk_rotate.lua")
GROUPS = ["energy", "ghg", "water", "wastewater", "waste", "air", "chemicals", "ems"]


def _route(path: str) -> str:
    return "search" if "?" in path else "page" if path.startswith("/open-data") else "profile"


async def _client(client, paths, stop_at, record_from, out, errors) -> None:
    for path in paths:
        started = time.perf_counter()
        if started >= stop_at:
            return
        response = await client.get(path)
        await response.aread()
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            errors.append((path, response.status_code))
        elif started >= record_from:
            out[_route(path)].append(elapsed)


async def _httpx_run(base, paths, clients, seconds, warmup):
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: dict[str, list[float]] = {route: [] for route in ROUTES}
    errors: list[tuple[str, int]] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as c:
        start = time.perf_counter()
        record_from, stop_at = start + warmup, start + warmup + seconds
        mixed = [p for triple in zip(*(paths[r] for r in ROUTES), strict=False) for p in triple]
        await asyncio.gather(
            *(_client(c, itertools.islice(itertools.cycle(mixed), 3 * i, None), stop_at,
                      record_from, latencies, errors)
              for i in range(clients))
        )
    return latencies, errors


def _httpx(base, paths, clients, seconds, warmup) -> dict[str, dict]:
    load = _load()
    latencies, errors = asyncio.run(_httpx_run(base, paths, clients, seconds, warmup))
    stats = {}
    for route, values in latencies.items():
        ms = sorted(v * 1000 for v in values)
        if not ms:
            raise SystemExit(f"no successful {route} request was recorded")
        stats[route] = {
            "load": load, "requests": len(ms), "rps": len(ms) / seconds,
            "p50": statistics.median(ms), "p90": _percentile(ms, 0.90),
            "p99": _percentile(ms, 0.99),
            "errors": sum(1 for path, _ in errors if _route(path) == route),
        }
    return stats


def _wrk(base, paths, folder, clients, seconds, warmup) -> dict[str, dict]:
    stats = {}
    runs = {**{route: paths[route] for route in ROUTES},
            "mixed": [p for t in zip(*(paths[r] for r in ROUTES), strict=False) for p in t]}
    for name, listed in runs.items():
        listing = folder / f"{name}.txt"
        listing.write_text("\n".join(listed) + "\n")
        stats[name] = wrk_run(base, clients, seconds, warmup,
                              script=["-s", str(LUA), "--", str(listing)])
    return stats


def _publish(base: str, count: int) -> tuple[list[str], list[str], float]:
    token = httpx.post(
        f"{base}/api/auth/sign-in", json={"email": ADMIN, "password": "journey-demo-2026"}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    portfolio = httpx.get(f"{base}/api/portfolio", headers=auth, timeout=300).json()
    own = [line for line in portfolio if line["relation"] == "owner"][:count]
    started = time.perf_counter()
    for line in own:
        httpx.put(
            f"{base}/api/facilities/{line['facility_id']}/publication",
            json={"groups": GROUPS}, headers=auth, timeout=300,
        ).raise_for_status()
    ids = [line["facility_id"] for line in own]
    return ids, sorted({line["country_iso2"] for line in own}), time.perf_counter() - started


def _in_process(url: str, paths: dict[str, list[str]], count: int) -> dict[str, tuple]:
    """CPU per request [ms] of each route in this process: (whole app, kept answer)."""
    from factory_journey.store.database import make_engine
    from factory_journey.web.app import create_app

    app = create_app(make_engine(url))

    async def call(path: str, cookie: bytes) -> int:
        raw, _, query = path.partition("?")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": raw, "raw_path": raw.encode(),
            "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *([(b"cookie", cookie)] if cookie else [])],
            "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 50000),
        }
        status = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        return status[0]

    async def measure(route: str, cookie: bytes) -> float:
        listed = paths[route]
        for path in listed[:3]:  # warm: the kept answers and the app's own caches
            await call(path, cookie)
        started = time.process_time()
        for n in range(count):
            assert await call(listed[n % 3], cookie) == 200
        return (time.process_time() - started) / count * 1000

    async def all_routes() -> dict[str, tuple]:
        return {
            route: (await measure(route, b"bench=uncached"), await measure(route, b""))
            for route in ROUTES
        }

    return asyncio.run(all_routes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--publish", type=int, default=115)
    parser.add_argument("--tool", choices=("wrk", "httpx"), default=None)
    parser.add_argument("--in-process", type=int, default=300, metavar="N")
    parser.add_argument("--log-level", default="warning",
                        help="the server's JOURNEY_LOG_LEVEL: info (journey serve's default) "
                        "writes uvicorn's access log, a line per request")
    args = parser.parse_args()
    tool = args.tool or ("wrk" if shutil.which("wrk") else "httpx")

    folder = Path(tempfile.mkdtemp(prefix="journey-bench-public-"))
    url = f"sqlite:///{folder / 'journey.db'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"preparing {url} and starting journey serve on {base} ({args.workers} worker(s)) …")
    server = _start_server(url, port, args.workers, folder / "server.log", args.log_level)
    try:
        ids, countries, publish_s = _publish(base, args.publish)
        paths = {
            "profile": [f"/api/public/facilities/{i}" for i in ids],
            "search": [f"/api/public/facilities?country={countries[n % len(countries)]}"
                       for n in range(len(ids))],
            "page": [f"/open-data/facilities/{i}" for i in ids],
        }
        size = len(httpx.get(base + paths["profile"][0]).content)
        if tool == "wrk":
            stats = _wrk(base, paths, folder, args.clients, args.seconds, args.warmup)
        else:
            stats = _httpx(base, paths, args.clients, args.seconds, args.warmup)
        load_after = _load()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"published {len(ids)} facilities in {publish_s:.1f} s "
          f"({publish_s / max(1, len(ids)) * 1000:.0f} ms each: snapshot built)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"clients: {args.clients} (anonymous), measured {args.seconds:.0f} s after "
          f"{args.warmup:.0f} s warm-up per run; server: journey serve --workers "
          f"{args.workers} (uvicorn defaults: httptools, uvloop; log level {args.log_level}: "
          f"access log {'on' if args.log_level in ('info', 'debug', 'trace') else 'off'}); "
          f"load tool: {tool}{' -t1' if tool == 'wrk' else ' (one Python process)'}")
    print(f"profile body: {size:,} bytes; load average after the runs {load_after}")
    worst, errors = 0.0, 0
    for name, s in stats.items():
        worst, errors = max(worst, s["p99"]), errors + s["errors"]
        print(f"{name}: load before {s['load']}; {s['requests']:,} requests, "
              f"{s['rps']:.0f}/s, errors {s['errors']}; latency [ms] median {s['p50']:.1f}, "
              f"p90 {s['p90']:.1f}, p99 {s['p99']:.1f}")
    if args.in_process:
        for route, (whole, kept) in _in_process(url, paths, args.in_process).items():
            print(f"in-process CPU per request, {route}: whole app {whole:.2f} ms, "
                  f"kept answer {kept:.2f} ms ({args.in_process} requests each)")
    verdict = "met" if not errors and worst <= P99_LIMIT_MS else "NOT met"
    print(f"target (0 errors, p99 <= {P99_LIMIT_MS:.0f} ms on every run): {verdict}")
    if verdict != "met":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
