"""Page-render benchmark: how long each web page takes, per role, on the pilot database.

    python benchmarks/bench_pages.py [--requests 50] [--database URL] [--only /account]

Prepares a fresh SQLite database as `journey serve` does on a first start (migrations, demo
accounts, the bundled pilot dataset of 115 facilities, sharing, one assessment snapshot per
facility) unless `--database` names one, starts `journey serve` in a new process on a free
loopback port, signs each demo role in through the sign-in page, and requests every page of
`PAGES` `--requests` times as each of its roles, one request at a time (after 3 unmeasured
requests), on one keep-alive connection. Latency is measured at the client on the same machine,
from sending the request to the last byte of the body: with one request at a time that is the
server's time plus well under a millisecond of loopback. Prints p50, p95 and max [ms] per page
and role, the server process's CPU time per request (from /proc: what the page costs, whatever
else the machine is doing), and per page the worst p95 against the target (100 ms; uploads and
PDFs excepted).
Exits non-zero when a page answers anything but its expected status.

ADD A PAGE: one line in `PAGES`: (path, the roles that request it, the expected status). A path
may name "{facility_id}" (a pilot facility the role may see) or "{year}".
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_http import _free_port, _start_server

PASSWORD = "journey-demo-2026"
ROLES = (
    "factory.admin",
    "factory.editor",
    "factory.viewer",
    "brand.analyst",
    "programme.officer",
    "park.manager",
    "verifier",
)
ANONYMOUS = ("anonymous",)
EVERYONE = ROLES
#: Target for every page but uploads and PDFs: p95 [ms].
TARGET_P95_MS = 100.0
IDS = {"facility_id": "FJ-0001", "year": 2023}

#: One line per page: (path, roles that request it, expected status).
PAGES: list[tuple[str, tuple[str, ...], int]] = [
    # account (shell)
    ("/sign-in", ANONYMOUS, 200),
    ("/password-reset", ANONYMOUS, 200),
    ("/account", EVERYONE, 200),
    ("/account/password", EVERYONE, 200),
    # facility (factory)
    ("/facilities", ("factory.admin", "factory.viewer"), 200),
    ("/facilities/{facility_id}", ("factory.admin",), 200),
    ("/facilities/{facility_id}/history", ("factory.admin",), 200),
    ("/facilities/{facility_id}/assessment", ("factory.admin",), 200),
    ("/facilities/{facility_id}/sharing", ("factory.admin",), 200),
    ("/factory/team", ("factory.admin",), 200),
    # verification
    ("/verification", ("verifier",), 200),
    ("/verification/facilities/{facility_id}?year={year}", ("verifier", "factory.viewer"), 200),
    (
        "/verification/facilities/{facility_id}?year={year}&table=wastewater",
        ("verifier", "factory.viewer"),
        200,
    ),
    ("/verification/facilities/{facility_id}/{year}/water/24", ("verifier", "factory.viewer"), 200),
    # portfolio, access requests and programme
    ("/portfolio", ("brand.analyst",), 200),
    ("/portfolio/export.csv", ("brand.analyst",), 200),
    ("/portfolio/export.xlsx", ("brand.analyst",), 200),
    ("/access", ("brand.analyst", "programme.officer", "verifier", "park.manager"), 200),
    ("/requests", ("factory.admin",), 200),
    ("/programme", ("programme.officer",), 200),
    ("/programme/evaluation", ("programme.officer",), 200),
    # parks, open data, proposals
    ("/parks", ("park.manager",), 200),
    ("/parks/DEMO-VN-01", ("park.manager", "factory.admin"), 200),
    ("/open-data", ANONYMOUS, 200),
    ("/proposals", ("factory.admin", "programme.officer"), 200),
]


def sign_in(base: str, role: str) -> httpx.Client:
    """A client with the page session of `role`, signed in through the sign-in form."""
    client = httpx.Client(base_url=base, timeout=60)
    if role == "anonymous":
        return client
    form = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
    if token is None:
        raise SystemExit("the sign-in page has no CSRF token")
    answer = client.post(
        "/sign-in",
        data={"email": f"{role}@demo.test", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    if "journey_page" not in client.cookies:
        raise SystemExit(f"{role} could not sign in: {answer.status_code}")
    return client


def measure(client: httpx.Client, path: str, status: int, count: int) -> list[float]:
    """Latencies [ms] of `count` requests of `path` after 3 unmeasured ones."""
    times: list[float] = []
    for index in range(count + 3):
        started = time.perf_counter()
        answer = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != status:
            raise SystemExit(f"{path}: {answer.status_code}, expected {status}")
        if index >= 3:
            times.append(elapsed)
    return times


def cpu_ms(pid: int) -> float:
    """CPU time [ms] the server process has used so far (user + system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="measured requests per page")
    parser.add_argument("--database", help="an existing database URL (default: a fresh one)")
    parser.add_argument("--only", help="only pages whose path starts with this")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="journey-bench-pages-"))
    url = options.database or f"sqlite:///{folder / 'journey.db'}"
    port = _free_port()
    print(f"preparing {url} and starting journey serve on port {port} …", flush=True)
    started = time.monotonic()
    server = _start_server(url, port, 1, folder / "serve.log")
    print(f"server ready in {time.monotonic() - started:.0f} s", flush=True)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        clients: dict[str, httpx.Client] = {}
        for path, roles, status in PAGES:
            if options.only and not path.startswith(options.only):
                continue
            for role in roles:
                if role not in clients:
                    clients[role] = sign_in(base, role)
                before = cpu_ms(server.pid)
                times = measure(clients[role], path.format(**IDS), status, options.requests)
                cpu = (cpu_ms(server.pid) - before) / (options.requests + 3)
                rows.append((path, role, times, cpu))
                print(
                    f"{path:<40} {role:<18} p50 {statistics.median(times):6.1f} ms  "
                    f"p95 {percentile(times, 0.95):6.1f} ms  max {max(times):6.1f} ms  "
                    f"server CPU {cpu:5.1f} ms/request",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=60)
    load = os.getloadavg()[0]
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load:.1f}; {options.requests} requests each"
    )
    print(
        "| page | roles | p50 [ms] | p95 [ms] (worst role) | max [ms] | server CPU "
        "[ms/request] | target p95 ≤ 100 ms |"
    )
    print("|---|---|---|---|---|---|---|")
    failed = False
    for path, _roles, _status in PAGES:
        mine = [row for row in rows if row[0] == path]
        if not mine:
            continue
        worst = max(percentile(times, 0.95) for _p, _r, times, _c in mine)
        median = statistics.median([t for _p, _r, times, _c in mine for t in times])
        top = max(max(times) for _p, _r, times, _c in mine)
        cpu = statistics.mean(c for _p, _r, _t, c in mine)
        ok = worst <= TARGET_P95_MS
        failed |= not ok
        print(
            f"| `{path}` | {len(mine)} | {median:.1f} | {worst:.1f} | {top:.1f} | {cpu:.1f} | "
            f"{'met' if ok else '**missed**'} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
