"""The member and points services side by side, as deployed, over the session's servers.

Each test gets both services with databases of their own and a tenant of its own; the
campaign service is a stand-in that grants nothing, so orders earn their base points.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from grpc import aio

from libs.mongo import Database, make_client
from libs.runtime import started_service
from libs.tests.integration.support import random_name
from libs.timestamps import timestamp
from loyalty.member.v1 import member_pb2 as mpb
from loyalty.member.v1.member_pb2_grpc import MemberServiceStub
from loyalty.points.v1 import points_pb2 as ppb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.member.adapters.crypto import MasterKey
from services.member.entrypoints.consumers import SUBSCRIPTION as TIER_EVENTS
from services.member.entrypoints.main import build as build_member
from services.member.settings import MemberSettings
from services.points.entrypoints.consumers import SUBSCRIPTION as MERGE_EVENTS
from services.points.entrypoints.main import build as build_points
from services.points.settings import PointsSettings
from tests.integration.plumbing import consume_from_now, no_campaigns

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

PROGRAM = mpb.TierProgram(
    tiers=[
        mpb.Tier(code="member", name="Member", threshold=0, multiplier="1"),
        mpb.Tier(code="silver", name="Silver", threshold=1000, multiplier="1.25"),
        mpb.Tier(code="gold", name="Gold", threshold=5000, multiplier="1.5"),
    ],
    qualifying_metric="points_earned",
    window_days=365,
)


@dataclass
class Pair:
    tenant: str
    member: MemberServiceAsyncStub
    points: PointsServiceAsyncStub
    # The points service's own database, for reconciliation.
    points_db: Database


@asynccontextmanager
async def services_pair(urls: dict[str, str]) -> AsyncIterator[Pair]:
    common: dict[str, Any] = {
        "mongo_url": urls["mongo"],
        "nats_url": urls["nats"],
        "redis_url": urls["redis"],
        "outbox_sweep_seconds": 0.2,
        "shutdown_grace_seconds": 1,
    }
    member_settings = MemberSettings(
        **common,
        mongo_db=f"member_{uuid4().hex[:8]}",
        member_pii_key=MasterKey.generate().to_base64(),
    )
    tenant, points_db = random_name(), f"points_{uuid4().hex[:8]}"
    await consume_from_now(urls["nats"], TIER_EVENTS, MERGE_EVENTS)
    reader = make_client(urls["mongo"], app_name="pair-reader")
    try:
        async with (
            no_campaigns() as campaigns,
            started_service("member", member_settings, build_member, listen="127.0.0.1:0") as ms,
            started_service(
                "points",
                PointsSettings(**common, mongo_db=points_db, campaign_addr=campaigns),
                build_points,
                listen="127.0.0.1:0",
            ) as ps,
            aio.insecure_channel(f"127.0.0.1:{ms.port}") as member_channel,
            aio.insecure_channel(f"127.0.0.1:{ps.port}") as points_channel,
        ):
            member, points = MemberServiceStub(member_channel), PointsServiceStub(points_channel)
            await member.PutTierProgram(
                mpb.PutTierProgramRequest(tenant_id=tenant, program=PROGRAM)
            )
            rule = ppb.EarningRule(currency="CNY", points_per_unit="1", expiry_months=24)
            await points.PutEarningRule(ppb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
            yield Pair(tenant, member, points, reader[points_db])
    finally:
        await reader.close()


def new_phone() -> str:
    return f"+86137{uuid4().int % 10**8:08d}"


async def enrol(pair: Pair, phone: str) -> str:
    answer = await pair.member.EnrollMember(
        mpb.EnrollMemberRequest(
            tenant_id=pair.tenant,
            channel="app",
            identities=[mpb.Identity(type="phone", value=phone)],
            consents={"marketing": True},
        )
    )
    return answer.member.member_id


async def buy(pair: Pair, member_id: str, total: str) -> str:
    """An order of `total` CNY for the member, as the gateway sends it; its id."""
    order_id = f"POS-{uuid4().hex}"
    occurred = timestamp(datetime.now(UTC))
    await pair.points.AccrueOrder(
        ppb.AccrueOrderRequest(
            tenant_id=pair.tenant,
            member=ppb.MemberContext(member_id=member_id, tier_multiplier="1"),
            order_id=order_id,
            channel="pos",
            store_id="S001",
            occurred_at=occurred,
            currency="CNY",
            total=total,
            lines=[ppb.OrderLine(sku="BAG-1", category="bags", quantity=1, unit_price=total)],
        )
    )
    return order_id


async def tier_of(pair: Pair, member_id: str) -> str:
    answer = await pair.member.GetMember(
        mpb.GetMemberRequest(tenant_id=pair.tenant, member_id=member_id)
    )
    return answer.member.tier.code
