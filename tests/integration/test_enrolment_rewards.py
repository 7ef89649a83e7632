"""A welcome bonus through the real stream and the real points service: an enrolment event
delivered again (after a failed grant, and published twice) pays once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from uuid import uuid4

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from nats.js.errors import NotFoundError

from libs.inbox import EventConsumer, Subscription
from libs.mongo import MongoClient, make_client
from libs.nats import STREAM_NAME, NatsConnector
from libs.tests.integration.support import random_name
from loyalty.common.v1 import common_pb2
from loyalty.member.v1 import events_pb2
from services.campaign.campaigns.adapters.event_claims import MongoEventClaims
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.grants import GrantedPoints, PointsGrant, PointsGranter
from services.campaign.campaigns.entrypoints.consumers.triggers import (
    TriggerEventHandler,
    enrolment_from,
)
from services.campaign.campaigns.handlers.triggers import TriggerRewards
from tests.integration.campaign_rewards import (
    bonus_campaign,
    campaign_points,
    campaign_side,
    points_service,
)


@dataclass
class FailingFirst:
    """The points service, away for the first call."""

    granter: PointsGranter
    calls: list[str] = field(default_factory=list)

    async def grant(self, grant: PointsGrant) -> GrantedPoints:
        self.calls.append(grant.grant_key)
        if len(self.calls) == 1:
            raise ConnectionError("points service away")
        return await self.granter.grant(grant)


def enrolled(tenant: str, member_id: str, event_id: str) -> bytes:
    at = Timestamp()
    at.GetCurrentTime()
    meta = common_pb2.EventMeta(
        event_id=event_id, tenant_id=tenant, type="member.enrolled", occurred_at=at
    )
    event = events_pb2.MemberEnrolled(
        meta=meta, member_id=member_id, channel="app", consents={"marketing": False}
    )
    return event.SerializeToString()


@pytest.fixture
async def mongo(mongo_url: str) -> AsyncIterator[MongoClient]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-trigger-tests")
    yield client
    await client.close()


async def settled(connector: NatsConnector, durable: str, last_seq: int) -> None:
    """Until the consumer has acknowledged every message up to the stream's `last_seq`."""
    js = await connector.jetstream()
    while True:
        with contextlib.suppress(NotFoundError):  # the consumer is not created yet
            info = await js.consumer_info(STREAM_NAME, durable)
            if info.num_ack_pending == 0 and (info.ack_floor.stream_seq or 0) >= last_seq:
                return
        await asyncio.sleep(0.1)


async def test_a_redelivered_enrolment_event_pays_the_welcome_bonus_once(
    mongo: MongoClient, mongo_url: str, nats_url: str, redis_url: str
) -> None:
    tenant, member_id, event_id = random_name(), f"m_{uuid4().hex[:8]}", f"evt_{uuid4().hex}"
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    async with points_service(urls, tenant) as points:
        side = await campaign_side(mongo, points)
        await side.active_campaign(tenant, bonus_campaign(Trigger.ENROLLMENT, 100, budget=1000))
        flaky = FailingFirst(side.rewards.points)
        rewards = TriggerRewards(
            side.active, replace(side.rewards, points=flaky), MongoEventClaims(mongo, side.db)
        )
        connector = NatsConnector(nats_url, "campaign-trigger-tests")
        durable = random_name()
        consumer = EventConsumer(
            connector,
            Subscription(durable=durable, filter_subject=f"loyalty.{tenant}.member.enrolled"),
            TriggerEventHandler(enrolment_from, rewards),
            retry_seconds=0.2,
        )
        js = await connector.jetstream()
        payload = enrolled(tenant, member_id, event_id)
        subject = f"loyalty.{tenant}.member.enrolled"
        # The same event twice, as a relay that re-published it after a crash would.
        for message_id in (event_id, f"{event_id}-again"):
            ack = await js.publish(subject, payload, headers={"Nats-Msg-Id": message_id})
        running = asyncio.create_task(consumer.run())
        try:
            await asyncio.wait_for(settled(connector, durable, ack.seq), timeout=30)
        finally:
            consumer.stop()
            await running
            await connector.close()
        assert await campaign_points(points, tenant, member_id) == [100]
    assert len(flaky.calls) == 2  # the failed attempt, then its redelivery; the copy paid nothing
    counter = await side.db["campaign_counters"].find_one({}) or {}
    assert (counter["granted"], counter["reserved"]) == (100, 0)
