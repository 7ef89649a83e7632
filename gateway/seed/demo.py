"""The demo tenant's campaigns and recent order history, created through the services'
own RPCs so their events flow as in real use (points.earned builds the campaign service's
purchase history, enrolments pay the welcome bonus). Only for a tenant that has none of
them yet, so a restart keeps what is there; a few hundred calls, a few seconds."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, TypeVar

import grpc
from grpc import aio

from gateway.seed.demo_data import SEED, SHOES, DemoMember, DemoOrder, campaigns, members, orders
from gateway.shared.members import member_context
from gateway.tenancy.tenants import Tenant
from libs.logging import get_logger
from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as apb
from loyalty.campaign.v1 import campaign_pb2 as cpb
from loyalty.member.v1 import member_pb2 as mpb
from loyalty.points.v1 import points_pb2 as ppb

if TYPE_CHECKING:
    from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceAsyncStub
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

T = TypeVar("T")
log = get_logger(__name__)
CONCURRENCY = 8
# A busy machine may answer late; every call here is safe to repeat (an order id credits
# once, an enrolment finds the member its phone already belongs to).
RETRIED = (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.ABORTED)
ATTEMPTS = 5


async def _retried(call: Callable[[], Awaitable[T]]) -> T:
    attempt = 1
    while True:
        try:
            return await call()
        except aio.AioRpcError as err:
            if err.code() not in RETRIED or attempt >= ATTEMPTS:
                raise
        await asyncio.sleep(0.2 * attempt)
        attempt += 1


async def _bounded(calls: list[Callable[[], Awaitable[object]]]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(call: Callable[[], Awaitable[object]]) -> None:
        async with gate:
            await _retried(call)

    await asyncio.gather(*(one(call) for call in calls))


class DemoHistory:
    def __init__(
        self,
        member: MemberServiceAsyncStub,
        points: PointsServiceAsyncStub,
        campaign: CampaignServiceAsyncStub,
    ) -> None:
        self._member = member
        self._points = points
        self._campaign = campaign

    async def seeded_before(self, tenant_id: str) -> bool:
        listed = await self._campaign.ListCampaigns(
            cpb.ListCampaignsRequest(tenant_id=tenant_id, limit=200)
        )
        return any(c.name == SHOES for c in listed.campaigns)

    async def _launch(self, tenant_id: str, now: datetime) -> None:
        for definition in campaigns(now):
            created = await self._campaign.CreateCampaign(
                apb.CreateCampaignRequest(tenant_id=tenant_id, definition=definition)
            )
            await self._campaign.ActivateCampaign(
                apb.ActivateCampaignRequest(
                    tenant_id=tenant_id, campaign_id=created.campaign.campaign_id
                )
            )

    async def _enrol(self, tenant_id: str, person: DemoMember) -> mpb.ResolveMemberResponse:
        enrolled = await self._member.EnrollMember(
            mpb.EnrollMemberRequest(
                tenant_id=tenant_id,
                channel=person.channel,
                store_id=person.store_id if person.channel == "pos" else "",
                identities=[mpb.Identity(type="phone", value=person.phone)],
                profile=mpb.Profile(name=person.name, birthday=person.birthday),
                consents={"marketing": person.marketing},
            )
        )
        # What the points service needs of the member, as a till's order would send it.
        return await self._member.ResolveMember(
            mpb.ResolveMemberRequest(tenant_id=tenant_id, member_id=enrolled.member.member_id)
        )

    async def _accrue(
        self, tenant: Tenant, member: mpb.ResolveMemberResponse, order: DemoOrder
    ) -> None:
        await self._points.AccrueOrder(
            ppb.AccrueOrderRequest(
                tenant_id=tenant.tenant_id,
                member=member_context(member),
                order_id=order.order_id,
                channel=order.channel,
                store_id=order.store_id,
                occurred_at=timestamp(order.occurred_at),
                currency=tenant.currency,
                total=str(order.total),
                lines=[
                    ppb.OrderLine(sku=sku, category=cat, quantity=qty, unit_price=str(price))
                    for sku, cat, qty, price in order.lines
                ],
            )
        )

    async def seed(self, tenant: Tenant) -> int:
        """The orders placed; 0 when the tenant had its demo history already."""
        if await self.seeded_before(tenant.tenant_id):
            return 0
        now = datetime.now(UTC)
        rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
        await self._launch(tenant.tenant_id, now)
        people = members(rng, tenant.stores)
        enrolled = [mpb.ResolveMemberResponse()] * len(people)

        async def enrol(index: int) -> None:
            enrolled[index] = await self._enrol(tenant.tenant_id, people[index])

        await _bounded([partial(enrol, i) for i in range(len(people))])
        placed = sorted(orders(rng, people, now), key=lambda o: o.occurred_at)
        await _bounded([partial(self._accrue, tenant, enrolled[o.member_index], o) for o in placed])
        log.info("demo_history_seeded", tenant_id=tenant.tenant_id, orders=len(placed))
        return len(placed)
