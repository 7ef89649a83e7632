"""Balance reads over HTTP, as `make bench` compares them, in a minute: the gateway
(`python -m gateway`: uvicorn, uvloop, httptools) answering from the balance read model
against the bare FastAPI endpoint of the baselines, each driven by `wrk` (one thread, 16
connections, 8 s), alternately, with each server's CPU time per request read from
/proc. Only SecantusDB (the API key) and Valkey (the read model, the rate limiter) run
behind the gateway; no service is asked.

    .venv/bin/python -m bench.read_http [rounds]        # 3 rounds
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from redis.asyncio import Redis

from bench.config import STACK_ENV
from bench.wrk import parse
from gateway.container import open_stores
from gateway.settings import GatewaySettings
from libs.balance_view import BalanceView, BalanceViews
from libs.ids import new_id
from libs.stack.apps import REPO_ROOT
from libs.stack.servers import free_port, mongo_server, redis_server

SECONDS = 8


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def _drive(url: str, headers: list[str], pid: int) -> tuple[float, float]:
    """Requests a second, and the server's CPU microseconds a request."""
    argv = ["wrk", "-t1", "-c16", f"-d{SECONDS}s", "--latency", url]
    for header in headers:
        argv += ["-H", header]
    started = _cpu_seconds(pid)
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rate = parse(out)["requests_per_s"]
    return rate, (_cpu_seconds(pid) - started) / (rate * SECONDS) * 1_000_000


async def _prepare(settings: GatewaySettings, tenant: str, member_id: str) -> str:
    stores = open_stores(settings)
    await stores.ensure_indexes()
    issued = await stores.keys.create_key(tenant, "pos")
    await stores.mongo.close()
    redis = Redis.from_url(settings.redis_url)
    await BalanceViews(redis).put(tenant, member_id, BalanceView(1, 1200, 0, 0, 1200))
    await redis.aclose()
    return issued.secret


def compare(rounds: int, data: Path) -> None:
    (data / "mongo").mkdir()
    (data / "redis").mkdir()
    mongo = mongo_server(data / "mongo", free_port(), sink=None, timeout=60)
    redis = redis_server(data / "redis", free_port(), sink=None, timeout=30)
    mongo.start()
    redis.start()
    unused, gateway_port, bare_port = f"127.0.0.1:{free_port()}", free_port(), free_port()
    env = {
        **os.environ,
        **STACK_ENV,
        "MONGO_URL": mongo.url,
        "REDIS_URL": redis.url,
        "NATS_URL": f"nats://{unused}",
        "MEMBER_ADDR": unused,
        "POINTS_ADDR": unused,
        "CAMPAIGN_ADDR": unused,
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(gateway_port),
        "MONGO_DB": f"gateway_{new_id()}",
    }
    settings = GatewaySettings(
        mongo_url=mongo.url,
        redis_url=redis.url,
        nats_url=env["NATS_URL"],
        member_addr=unused,
        points_addr=unused,
        campaign_addr=unused,
        mongo_db=env["MONGO_DB"],
    )
    tenant, member_id = f"t_{new_id()}", new_id("mem_")
    secret = asyncio.run(_prepare(settings, tenant, member_id))
    quiet = {
        "env": env,
        "cwd": REPO_ROOT,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
    }
    gateway = subprocess.Popen([sys.executable, "-m", "gateway"], **quiet)  # type: ignore[call-overload]
    bare = subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "bench.baseline_servers", "http", str(bare_port)], **quiet
    )
    try:
        _wait_for_port(gateway_port)
        _wait_for_port(bare_port)
        read = f"http://127.0.0.1:{gateway_port}/v1/members/{member_id}/points"
        ping = f"http://127.0.0.1:{bare_port}/v1/ping"
        key = [f"Authorization: Bearer {secret}"]
        for n in range(rounds + 1):  # the first round warms up
            g_rate, g_cpu = _drive(read, key, gateway.pid)
            b_rate, b_cpu = _drive(ping, [], bare.pid)
            if n:
                sys.stdout.write(
                    f"round {n}: gateway {g_rate:.0f}/s ({g_cpu:.0f} µs CPU a read),"
                    f" bare {b_rate:.0f}/s ({b_cpu:.0f} µs), ratio {g_rate / b_rate:.2f},"
                    f" CPU ratio {b_cpu / g_cpu:.2f}\n"
                )
    finally:
        for process in (gateway, bare):
            process.terminate()
            process.wait()
        redis.stop()
        mongo.stop()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="read-http-") as data:
        compare(rounds, Path(data))


if __name__ == "__main__":
    main()
