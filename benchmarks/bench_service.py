"""Load test of the HTTP service on loopback: formula validation under concurrent clients.

Starts ``costsheet serve``'s application under uvicorn in a child process on
127.0.0.1 (never another interface), then runs CLIENTS concurrent clients
that send REQUESTS formula validations in total (stopping early after
SECONDS), and prints requests per second and p50/p99 latency, next to the
same for ``GET /health`` (the HTTP floor) and the in-process cost of
``costsheet.parse_formula`` (the work itself), as ratios measured in one run.

    PYTHONPATH=src python benchmarks/bench_service.py [--requests 2000] [--clients 16] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"  # loopback only
FORMULAS = ["10 % A", "A + B", "15 % C", "2 § (C + D)", "C + D + E", "(A + B) * 2 - 4 % (C - 1)", "2 § (C + X"]
ROWS = ["A", "B", "C", "D", "E"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    src = str(Path(__file__).resolve().parents[1] / "src")
    code = (
        "import uvicorn\n"
        "from costsheet.service import ServiceSettings, create_app\n"
        f"uvicorn.run(create_app(ServiceSettings(record_history=False)), host={HOST!r}, port={port},"
        " log_level='warning', access_log=False)\n"
    )
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", code], env=env)


async def _wait_ready(client, base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if (await client.get(f"{base}/health")).status_code == 200:
                return
        except Exception:  # noqa: BLE001 - not listening yet
            pass
        await asyncio.sleep(0.05)
    raise SystemExit("the server did not start")


async def _load(base: str, method: str, path: str, bodies: list[dict] | None, total: int, clients: int,
                seconds: float) -> tuple[float, list[float], int]:
    """(elapsed seconds, latencies in ms, failures) for ``total`` requests from ``clients`` clients."""
    import httpx

    latencies: list[float] = []
    failures = 0
    sent = 0
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:

        async def worker(index: int) -> None:
            nonlocal sent, failures
            while sent < total and time.monotonic() < stop_at:
                body = bodies[sent % len(bodies)] if bodies else None
                sent += 1
                started = time.perf_counter()
                response = await client.request(method, f"{base}{path}", json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        return time.perf_counter() - started, latencies, failures


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _report(name: str, elapsed: float, latencies: list[float], failures: int) -> float:
    rate = len(latencies) / elapsed
    print(f"{name:<22} {len(latencies):>6} requests  {rate:>8.0f} req/s  p50 {statistics.median(latencies):6.2f} ms"
          f"  p99 {_percentile(latencies, 0.99):6.2f} ms  non-200: {failures}")
    return rate


def _in_process_us() -> float:
    from costsheet import parse_formula

    rounds = 2000
    started = time.perf_counter()
    for i in range(rounds):
        parse_formula(FORMULAS[i % len(FORMULAS)], rows=ROWS)
    return (time.perf_counter() - started) / rounds * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (bound)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=20.0, help="time bound per scenario")
    args = parser.parse_args()
    import httpx

    port = _free_port()
    base = f"http://{HOST}:{port}"
    server = _start_server(port)
    try:
        async with httpx.AsyncClient() as probe:
            await _wait_ready(probe, base, time.monotonic() + 30)
        bodies = [{"formula": f, "rows": ROWS} for f in FORMULAS]
        await _load(base, "POST", "/v1/formula/validate", bodies, 200, args.clients, args.seconds)  # warm-up
        print(f"loopback {base}, {args.clients} concurrent clients, at most {args.requests} requests"
              f" / {args.seconds:g} s per scenario, {os.cpu_count()} CPUs")
        health = _report("GET /health", *await _load(base, "GET", "/health", None, args.requests, args.clients,
                                                     args.seconds))
        formula = _report("POST formula/validate", *await _load(base, "POST", "/v1/formula/validate", bodies,
                                                                args.requests, args.clients, args.seconds))
        single = _report("  same, 1 client", *await _load(base, "POST", "/v1/formula/validate", bodies,
                                                          args.requests // 4, 1, args.seconds))
        work_us = _in_process_us()
        print(f"in-process parse_formula: {work_us:.0f} µs per formula ({1e6 / work_us:.0f}/s on one core)")
        print(f"ratio formula/health throughput: {formula / health:.2f}")
        print(f"ratio {args.clients} clients / 1 client throughput: {formula / single:.2f}")
        print(f"ratio HTTP service / in-process throughput: {formula / (1e6 / work_us):.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main())
