"""`python -m gateway.seed --credentials PATH --gateway-url URL`: the demo data, idempotently.

Upserts the tenants `demo` and `sandbox`, gives the member and points services their
settings, tier program and earning rule, and makes sure the credentials file holds a live
API key per tenant and channel (keeping the keys it already holds when they all still
authenticate) and a password for the demo operator `admin@demo.example` (kept while it
still signs in). With `--demo-history` (what `make run` does) the demo tenant also gets a
few campaigns and a month of orders, once. Configuration comes from the gateway's
environment (MONGO_URL, MEMBER_ADDR, POINTS_ADDR, ...).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

import grpc
from grpc import aio

from gateway.container import open_stores
from gateway.seed.data import TENANTS
from gateway.seed.demo import DemoHistory
from gateway.seed.operators import ensure_operators
from gateway.settings import GatewaySettings
from gateway.shared.starter import earning_rule, tenant_settings, tier_program
from gateway.tenancy.credentials import Secrets, all_still_valid, read_secrets, write_secrets
from gateway.tenancy.keys import CHANNELS, KeyStore
from gateway.tenancy.tenants import Tenant
from libs.grpc.client import make_channel
from libs.logging import configure_logging, get_logger
from libs.settings import load_settings
from loyalty.campaign.v1 import campaign_pb2_grpc
from loyalty.common.v1 import common_pb2
from loyalty.member.v1 import member_pb2, member_pb2_grpc
from loyalty.points.v1 import points_pb2_grpc

T = TypeVar("T")
HISTORY_CALL_SECONDS = 30.0
log = get_logger(__name__)


async def call_when_available(call: Callable[[], Awaitable[T]], *, wait_seconds: float) -> T:
    """`call()`, retried while the service answers UNAVAILABLE, for up to `wait_seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    delay = 0.1
    while True:
        try:
            return await call()
        except aio.AioRpcError as err:
            if err.code() != grpc.StatusCode.UNAVAILABLE or loop.time() + delay > deadline:
                raise
            log.info("seed_waiting_for_service", details=err.details())
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)


# The demo tenant's tier names in Chinese, which it offers beside English.
DEMO_TIER_NAMES = {"member": "普通会员", "silver": "银卡会员", "gold": "金卡会员"}


def seeded_tier_program(tenant: Tenant) -> member_pb2.PutTierProgramRequest:
    """The starter tier program; the demo tenant's with its tiers named in Chinese too."""
    request = tier_program(tenant)
    if tenant.tenant_id == "demo":
        for tier in request.program.tiers:
            if tier.code in DEMO_TIER_NAMES:
                texts = common_pb2.Texts(fields={"name": DEMO_TIER_NAMES[tier.code]})
                tier.translations["zh-CN"].CopyFrom(texts)
    return request


async def configure_services(settings: GatewaySettings, wait_seconds: float) -> None:
    timeout = settings.grpc_timeout_seconds
    member_channel = make_channel(
        settings.member_addr, default_timeout=timeout, tls=settings.grpc_tls
    )
    points_channel = make_channel(
        settings.points_addr, default_timeout=timeout, tls=settings.grpc_tls
    )
    member = member_pb2_grpc.MemberServiceStub(member_channel)
    points = points_pb2_grpc.PointsServiceStub(points_channel)
    try:
        for tenant in TENANTS:
            calls: list[Callable[[], Awaitable[object]]] = [
                partial(member.PutTenantSettings, tenant_settings(tenant)),
                partial(member.PutTierProgram, seeded_tier_program(tenant)),
                partial(points.PutEarningRule, earning_rule(tenant)),
            ]
            for call in calls:
                await call_when_available(call, wait_seconds=wait_seconds)
    finally:
        await member_channel.close(None)
        await points_channel.close(None)


async def seed_demo_history(settings: GatewaySettings, wait_seconds: float) -> None:
    """The demo tenant's campaigns and order history, unless it has them already."""
    # Orders wait on their campaigns; a busy machine answers slowly, not wrongly.
    timeout = max(settings.grpc_timeout_seconds, HISTORY_CALL_SECONDS)
    addrs = (settings.member_addr, settings.points_addr, settings.campaign_addr)
    channels = [
        make_channel(addr, default_timeout=timeout, tls=settings.grpc_tls) for addr in addrs
    ]
    history = DemoHistory(
        member_pb2_grpc.MemberServiceStub(channels[0]),
        points_pb2_grpc.PointsServiceStub(channels[1]),
        campaign_pb2_grpc.CampaignServiceStub(channels[2]),
    )
    try:
        demo = next(tenant for tenant in TENANTS if tenant.tenant_id == "demo")
        probe = partial(history.seeded_before, demo.tenant_id)
        if not await call_when_available(probe, wait_seconds=wait_seconds):
            await history.seed(demo)
    except aio.AioRpcError:
        # The platform works without it; a demo with part of its history still shows some.
        log.exception("demo_history_incomplete")
    finally:
        for channel in channels:
            await channel.close(None)


async def ensure_keys(keys: KeyStore, path: Path) -> tuple[Secrets, bool]:
    """The secrets to write, and whether they are new."""
    tenant_ids = [tenant.tenant_id for tenant in TENANTS]
    existing = read_secrets(path)
    if existing is not None and await all_still_valid(keys, existing, tenant_ids):
        return {tenant_id: existing[tenant_id] for tenant_id in tenant_ids}, False
    secrets: Secrets = {}
    for tenant_id in tenant_ids:
        secrets[tenant_id] = {}
        for channel in CHANNELS:
            issued = await keys.create_key(tenant_id, channel)
            secrets[tenant_id][channel] = issued.secret
    return secrets, True


async def seed(
    settings: GatewaySettings,
    credentials: Path,
    gateway_url: str,
    *,
    wait_seconds: float = 15.0,
    demo_history: bool = False,
) -> Secrets:
    stores = open_stores(settings, key_cache_seconds=0)
    try:
        await stores.ensure_indexes()
        for tenant in TENANTS:
            await stores.tenants.upsert(tenant)
        await configure_services(settings, wait_seconds)
        if demo_history:
            await seed_demo_history(settings, wait_seconds)
        secrets, created = await ensure_keys(stores.keys, credentials)
        operators = await ensure_operators(stores.operators, credentials)
    finally:
        await stores.mongo.close()
    write_secrets(credentials, secrets, gateway_url, operators)
    log.info("seed_done", credentials=str(credentials), new_keys=created)
    return secrets


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m gateway.seed", description=__doc__)
    parser.add_argument("--credentials", type=Path, required=True, help="JSON file of API keys")
    parser.add_argument("--gateway-url", required=True, help="recorded in the credentials file")
    parser.add_argument(
        "--wait-seconds", type=float, default=15.0, help="how long to wait for slow services"
    )
    parser.add_argument(
        "--demo-history",
        action="store_true",
        help="give the demo tenant campaigns and a month of orders (once)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    settings = load_settings(GatewaySettings)
    configure_logging("gateway-seed", settings.log_level, settings.log_format)
    asyncio.run(
        seed(
            settings,
            args.credentials,
            args.gateway_url,
            wait_seconds=args.wait_seconds,
            demo_history=args.demo_history,
        )
    )
