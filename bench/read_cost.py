"""What one balance read costs the gateway's own process, measured in it: the CPU time of
`GET /v1/members/{id}/points` through the whole ASGI app (middleware, key check, rate
limiter, the balance read model in Redis), against the bare FastAPI endpoint of the
baselines called the same way. No HTTP server and no load generator are in the figures,
so a change to the gateway can be compared in seconds; `make bench` measures the reads
over HTTP.

    .venv/bin/python -m bench.read_cost [reads] [rounds]        # 2000 reads, 5 rounds
    .venv/bin/python -m bench.read_cost 2000 1 profile          # and a cProfile of one round

The profile is sorted by SORT (cumulative; or tottime…) and shows TOP lines (45), or with
CALLEES=<pattern> what the matching functions call (CALLERS=<pattern>: who calls them).
Over HTTP: bench/read_http.py.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvloop
from redis.asyncio import Redis

from bench.baseline_servers import http_app
from bench.config import STACK_ENV
from gateway.app import create_app
from gateway.settings import GatewaySettings
from libs.balance_view import BalanceView, BalanceViews
from libs.ids import new_id
from libs.logging import configure_logging
from libs.stack.servers import free_port, mongo_server, redis_server

Asgi = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"gateway"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def _call(app: Asgi, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(path, headers), receive, send)
    return status


async def microseconds_per_read(
    app: Asgi, path: str, headers: list[tuple[bytes, bytes]], reads: int
) -> tuple[float, float]:
    """CPU time per read, and the part of it spent in the kernel (sockets)."""
    started = os.times()
    for _ in range(reads):
        status = await _call(app, path, headers)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    ended = os.times()
    user, system = ended.user - started.user, ended.system - started.system
    return (user + system) / reads * 1_000_000, system / reads * 1_000_000


async def measure(reads: int, rounds: int, profile: bool, data: Path) -> None:
    mongo = mongo_server(data / "mongo", free_port(), sink=None, timeout=60)
    redis = redis_server(data / "redis", free_port(), sink=None, timeout=30)
    (data / "mongo").mkdir()
    (data / "redis").mkdir()
    mongo.start()
    redis.start()
    try:
        await _measure(mongo.url, redis.url, reads, rounds, profile)
    finally:
        redis.stop()
        mongo.stop()


async def _measure(mongo_url: str, redis_url: str, reads: int, rounds: int, profile: bool) -> None:
    unused = f"127.0.0.1:{free_port()}"
    values: dict[str, Any] = {
        "mongo_url": mongo_url,
        "redis_url": redis_url,
        "nats_url": f"nats://{unused}",
        "member_addr": unused,
        "points_addr": unused,
        "campaign_addr": unused,
        "mongo_db": f"gateway_{new_id()}",
        # no stream here: the webhook worker would only wait for one
        "webhook_worker": False,
    }
    # the benchmark's rate limits, raised out of the way
    values |= {k.lower(): v for k, v in STACK_ENV.items() if k.startswith("RATE_LIMIT")}
    settings = GatewaySettings(**values)
    tenant, member_id = f"t_{new_id()}", new_id("mem_")
    app, bare = create_app(settings), http_app()
    async with app.router.lifespan_context(app):
        issued = await app.state.container.keys.create_key(tenant, "pos")
        client = Redis.from_url(redis_url)
        await BalanceViews(client).put(tenant, member_id, BalanceView(1, 1200, 0, 0, 1200))
        await client.aclose()
        headers = [(b"authorization", f"Bearer {issued.secret}".encode())]
        path = f"/v1/members/{member_id}/points"
        await microseconds_per_read(app, path, headers, 200)  # warm: caches, connections
        await microseconds_per_read(bare, "/v1/ping", [], 200)
        gateway_us, kernel_us, bare_us = [], [], []
        for _ in range(rounds):
            spent, kernel = await microseconds_per_read(app, path, headers, reads)
            gateway_us.append(spent)
            kernel_us.append(kernel)
            bare_us.append((await microseconds_per_read(bare, "/v1/ping", [], reads))[0])
        g, b = statistics.median(gateway_us), statistics.median(bare_us)
        rounded = [round(r) for r in gateway_us]
        sys.stdout.write(
            f"balance read through the gateway: {g:.0f} µs of CPU, of which"
            f" {statistics.median(kernel_us):.0f} in the kernel (rounds {rounded})\n"
            f"bare FastAPI endpoint:            {b:.0f} µs of CPU\n"
            f"bare / gateway:                   {b / g:.2f}\n"
        )
        if profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            await microseconds_per_read(app, path, headers, reads)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
            if os.environ.get("CALLEES"):
                stats.print_callees(os.environ["CALLEES"])
            if os.environ.get("CALLERS"):
                stats.print_callers(os.environ["CALLERS"])
            else:
                stats.print_stats(int(os.environ.get("TOP", "45")))


def main(argv: list[str]) -> None:
    reads = int(argv[0]) if argv else 2000
    rounds = int(argv[1]) if len(argv) > 1 else 5
    configure_logging("gateway", "WARNING", "json")
    with tempfile.TemporaryDirectory(prefix="read-cost-") as data:
        uvloop.run(measure(reads, rounds, "profile" in argv, Path(data)))  # as uvicorn runs it


if __name__ == "__main__":
    main(sys.argv[1:])
