"""The benchmark run: the rules engine alone, then the stack with the loaded tenant (the
analytics reports' latency on it), its baselines and the platform's scenarios, in that
order."""

from __future__ import annotations

import asyncio
import os
import statistics
from collections.abc import Mapping
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any, TextIO
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx

from bench import cpu
from bench.analytics_reports import measure_reports
from bench.backlog_probe import Backlog, unacknowledged
from bench.baselines import BareHttp, DirectPurchase, GrpcEcho, baseline_server
from bench.campaigns import activate_campaigns
from bench.config import ACTIVE_CAMPAIGNS, ENGINE_CAMPAIGNS, Config
from bench.dataset.analytics import AnalyticsLoad
from bench.dataset.loader import MEMBER_DB, Loaded, Loader
from bench.dataset.population import HOUSE_MEMBERS, profile
from bench.lean_http import LeanClient
from bench.measure import Measured, idle_rates, measure
from bench.openloop import Call
from bench.platform_run import platform
from bench.progress import say
from bench.scenarios import Audience
from bench.targets import AFTER
from bench.wrk import cross_check
from libs.mongo import MongoClient, make_client
from libs.nats import NatsConnector
from libs.stack.apps import REPO_ROOT
from libs.stack.platform import Stack
from services.campaign.bench.evaluation import microseconds_per_order

QUIESCE_PROBE_SECONDS = 2.0
WRITES = ("insert", "update", "delete")


def engine_orders_per_second(rounds: int = 5) -> float:
    """The pure rules engine on this process's one core: the median of a few rounds."""
    return 1_000_000 / statistics.median(
        microseconds_per_order(ENGINE_CAMPAIGNS, orders=2000) for _ in range(rounds)
    )


def funded_members(count: int, now: datetime) -> list[int]:
    """Ordinary members with points whose lots are all current."""
    people = (profile(i, now) for i in range(HOUSE_MEMBERS, count))
    return [p.index for p in people if p.orders and (now - p.orders[0].occurred_at).days < 700]


class Run:
    def __init__(
        self, config: Config, stack: Stack, log: TextIO, client: MongoClient, backlog: Backlog
    ) -> None:
        self.config = config
        self.stack = stack
        self.log = log
        self.client = client
        self.backlog = backlog
        self.results: dict[str, Measured] = {}
        self.extra: dict[str, Any] = {}
        self.idle: dict[str, float] = {}
        self._more: dict[str, int] = {}

    def pids(self) -> dict[str, int]:
        found = {name: h.pid for name, h in self.stack.handles.items()}
        found |= {"load generator": os.getpid(), **self._more}
        return {name: pid for name, pid in found.items() if pid is not None}

    async def counters(self) -> dict[str, float]:
        """CPU seconds of every process (`cpu:<name>`), the database's operations and its
        write operations, less those the backlog probe spent."""
        found = {f"cpu:{name}": s for name, s in cpu.snapshot(self.pids()).items()}
        ops = (await self.client.admin.command("serverStatus"))["opcounters"]
        found["mongo ops"] = float(sum(ops.values()) - self.backlog.operations)
        found["mongo writes"] = float(sum(ops.get(kind, 0) for kind in WRITES))
        return found

    async def quiesce(self, limit: float = 180.0) -> None:
        """Wait until the database is about as quiet as when idle: the events a scenario
        left behind (relays, consumers, settlements) are handled before the next starts,
        so its work is not charged to the next scenario."""
        idle = self.idle.get("mongo ops", 0.0)
        waited = 0.0
        while waited < limit:
            before = await self.counters()
            await asyncio.sleep(QUIESCE_PROBE_SECONDS)
            waited += QUIESCE_PROBE_SECONDS
            rate = (
                (await self.counters())["mongo ops"] - before["mongo ops"]
            ) / QUIESCE_PROBE_SECONDS
            if rate <= 2 * idle + 5:
                return
        say(f"the platform was still busy after {limit:.0f}s; going on")

    async def measure_idle(self, seconds: float = 10.0) -> None:
        say(f"measuring the idle platform for {seconds:.0f}s")
        self.idle = await idle_rates(self.counters, seconds)

    async def time_zone(self, tenant_id: str) -> str:
        settings = await self.client[MEMBER_DB]["tenant_settings"].find_one({"_id": tenant_id})
        return str((settings or {}).get("time_zone") or "UTC")

    async def load(self, client: MongoClient) -> Loaded:
        pii_key = self.stack.apps["member"].env or {}
        analytics = AnalyticsLoad(client, "demo", await self.time_zone("demo"))
        loader = Loader(client, "demo", pii_key["MEMBER_PII_KEY"], analytics)
        members = self.config.members
        say(f"loading {members} members with their history")
        return await loader.run(
            members, datetime.now(UTC), progress=lambda done: say(f"  {done}/{members} members")
        )

    async def measure(
        self,
        name: str,
        call: Call,
        start: float,
        server: int | None = None,
        *,
        platform: bool = False,
    ) -> Measured:
        """A platform scenario's steps are judged by its backlog too; a baseline's are not."""
        self._more = {} if server is None else {"server": server}
        plan = self.config.plan
        await self.quiesce()
        backlog = self.backlog if platform else None
        if backlog is not None:
            await backlog.settle_idle()
        measured = await measure(
            name, call, start, plan, counters=self.counters, idle=self.idle, backlog=backlog
        )
        self.results[name] = measured
        return measured

    async def baselines(self, client: MongoClient, suffix: str = "") -> None:
        """The three baselines, each stepped until it fails; `suffix` names the second
        measurement, after the platform's scenarios."""
        direct = DirectPurchase(client)
        await direct.prepare()
        await self.measure(f"direct PyMongo tx{suffix}", direct.call, 20)
        self.extra["direct"] = direct
        for kind in ("http", "grpc"):
            server = baseline_server(kind, self.log, REPO_ROOT)
            server.start()
            try:
                await self._bare(kind, server.url, server.pid, suffix)
            finally:
                server.stop()

    async def _bare(self, kind: str, url: str, pid: int | None, suffix: str) -> None:
        if kind == "http":
            http = LeanClient(url)
            await self.measure(f"bare FastAPI{suffix}", BareHttp(http).call, 200, pid)
            await http.aclose()
            if not suffix:
                self.extra["wrk"] = await cross_check(f"{url}/v1/ping", self.config.plan)
        else:
            echo = GrpcEcho(url)
            await self.measure(f"bare grpc.aio echo{suffix}", echo.call, 200, pid)
            await echo.close()


async def run(config: Config, stack: Stack, log: TextIO) -> tuple[Run, Loaded, float]:
    engine = engine_orders_per_second()
    say(f"rules engine: {engine:.0f} orders/s with {ENGINE_CAMPAIGNS} campaigns")
    async with AsyncExitStack() as cleanup:
        client = make_client(stack.urls["mongo"], app_name="bench", timeout_ms=30_000)
        cleanup.push_async_callback(client.close)
        nats = NatsConnector(stack.urls["nats"], "bench")
        cleanup.push_async_callback(nats.close)

        async def pending_messages() -> int:
            return await unacknowledged(await nats.jetstream())

        this = Run(config, stack, log, client, Backlog(client, pending_messages))
        loaded = await this.load(client)
        say(f"loaded {loaded.orders} past orders in {loaded.seconds:.0f}s")
        credentials: Mapping[str, Any] = stack.credentials["tenants"]["demo"]
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
            await activate_campaigns(http, credentials["operator"], ACTIVE_CAMPAIGNS)
            say("the analytics reports on the loaded tenant")
            today = datetime.now(ZoneInfo(await this.time_zone("demo"))).date()
            this.extra["analytics_reports"] = await measure_reports(
                http, credentials["operator"], today
            )
        if config.reports_only:
            return this, loaded, engine
        await this.measure_idle()
        await this.baselines(client)
        funded = funded_members(config.members, datetime.now(UTC))
        audience = Audience(loaded.member_ids, funded, credentials["pos"], uuid4().hex[:8])
        await platform(this, audience, credentials["operator"])
        say("the baselines again, after the platform's scenarios")
        await this.baselines(client, AFTER)
    return this, loaded, engine
