"""Lots near their expiry announced over real MongoDB, with sweeps racing as several
replicas would: each lot is announced once; and what expires soon, through gRPC."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import TYPE_CHECKING

from libs.clock import FakeClock
from libs.mongo import Database, MongoClient
from libs.outbox import COLLECTION
from libs.unit_of_work import MongoUnitOfWork
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as pb
from services.points.adapters.events.points import to_outbox
from services.points.adapters.repositories import MongoRepositories
from services.points.domain.earning import EarningRule
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.queries import put_earning_rule
from services.points.tests.integration.test_maturity import MEMBERS

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def test_racing_sweeps_announce_each_lot_once_at_the_end_of_the_month_there(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    clock = FakeClock()  # 2026-11-25 10:15 in Shanghai
    rule = EarningRule(
        "CNY",
        Decimal(1),
        expiry_policy="end_of_month",
        expiry_months=1,
        time_zone="Asia/Shanghai",
    )
    await put_earning_rule("demo", rule, uow)
    for member_id in MEMBERS:
        await adjust_points(
            AdjustPoints("demo", f"A-{member_id}", member_id, 100, "gift"), uow, clock
        )
    clock.advance(days=2)  # 2026-11-27: 34 days before 31 December ends there
    assert await mature_wallets(uow, clock) == 0
    clock.advance(days=5)
    sweeps = await asyncio.gather(*(mature_wallets(uow, clock, limit=2) for _ in range(4)))
    assert sum(sweeps) + await mature_wallets(uow, clock) == len(MEMBERS)
    rows = await database[COLLECTION].find({"event_type": "points.expiring"}).to_list()
    assert len(rows) == len(MEMBERS)
    event = events_pb2.PointsExpiring.FromString(rows[0]["payload"])
    [lot] = event.lots
    assert (event.points, lot.points) == (100, 100)
    assert lot.expires_at.ToDatetime().isoformat() == "2026-12-31T15:59:59"


async def test_the_expiring_points_of_a_member_through_grpc(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    rule = pb.EarningRule(
        currency="CNY",
        points_per_unit="1",
        expiry_policy="days_after_earning",
        expiry_days=20,
        time_zone="Asia/Shanghai",
    )
    await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
    await points.AdjustPoints(
        pb.AdjustPointsRequest(
            tenant_id=tenant, member_id="m1", adjustment_id="A", points=70, reason="x"
        )
    )
    soon = await points.GetExpiringPoints(
        pb.GetExpiringPointsRequest(tenant_id=tenant, member_id="m1")
    )
    short = await points.GetExpiringPoints(
        pb.GetExpiringPointsRequest(tenant_id=tenant, member_id="m1", days=10)
    )
    assert (soon.days, soon.points, [e.points for e in soon.expiring]) == (30, 70, [70])
    assert (short.days, short.points, list(short.expiring)) == (10, 0, [])
    read = await points.GetEarningRule(pb.GetEarningRuleRequest(tenant_id=tenant))
    assert (read.rule.expiry_policy, read.rule.expiry_days) == ("days_after_earning", 20)
