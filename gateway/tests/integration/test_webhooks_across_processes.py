"""An endpoint's concurrency limit holds across gateway processes (a slot per attempt in
Redis): two gateways against one database and one Redis never have more than four
attempts open at a slow receiver, and the slots a dead process left come back when their
lease runs out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from gateway.tests.integration.stream import publish
from gateway.tests.integration.support import SettingsFactory, new_tenant, running_gateway
from gateway.tests.integration.test_webhooks import earned, subscribe, webhook_settings
from gateway.webhooks.deliveries import PENDING, DeliveryStore, delivery_id
from gateway.webhooks.dispatcher import Dispatcher, DispatchLimits
from gateway.webhooks.endpoints import Endpoint, EndpointStore
from gateway.webhooks.schedule import RetryPolicy
from gateway.webhooks.slots import EndpointSlots, Slot, slots_key
from libs.clock import utc_now
from libs.ids import new_id
from libs.mongo import Database
from libs.nats import NatsConnector
from libs.redis import make_redis
from tests.support.polling import eventually
from tests.support.webhook_receiver import Receiver, receiving

__all__ = ["webhook_settings"]  # fixture

PER_ENDPOINT = 4


def holding(release: asyncio.Event, *, first: int = 10**9) -> Any:
    """An answer that holds the first `first` requests open until `release`."""

    async def answer(arrival: int) -> int:
        if arrival <= first:
            await release.wait()
        return 200

    return answer


async def test_two_gateways_never_have_more_than_four_attempts_open_at_one_endpoint(
    make_settings: SettingsFactory,
    webhook_settings: dict[str, Any],
    redis_url: str,
    stream: NatsConnector,
) -> None:
    release = asyncio.Event()
    shared = {
        **webhook_settings,
        "redis_url": redis_url,
        "mongo_db": f"gateway_test_{new_id()}",
        "webhook_timeout_seconds": 30.0,
    }
    tenant = new_tenant()
    async with (
        running_gateway(make_settings(**shared)) as first,
        running_gateway(make_settings(**shared)),
        receiving(Receiver(holding(release))) as receiver,
    ):
        hook = await subscribe(first, tenant, receiver.url, ["points.earned"])
        receiver.secret = hook["secret"]
        for n in range(20):
            await publish(stream, tenant, "points.earned", earned(n + 1))
        await eventually(lambda: receiver.open >= PER_ENDPOINT, within=60)
        await asyncio.sleep(3)  # both dispatchers poll several times meanwhile

        most_while_held = receiver.most_open
        release.set()
        await eventually(lambda: len(receiver.handled) == 20, within=90)

    assert most_while_held == PER_ENDPOINT
    assert receiver.most_open == PER_ENDPOINT


class DiesHoldingItsSlots(EndpointSlots):
    """The slots of a process that dies during its attempts: it never gives one back."""

    async def give_back(self, slot: Slot) -> None:
        return None


@asynccontextmanager
async def dispatching(
    db: Database, slots: EndpointSlots, limits: DispatchLimits
) -> AsyncIterator[Dispatcher]:
    async with httpx.AsyncClient(follow_redirects=False) as client:
        dispatcher = Dispatcher(
            EndpointStore(db["webhook_endpoints"]),
            DeliveryStore(db["webhook_deliveries"]),
            client,
            slots,
            limits=limits,
            policy=RetryPolicy(first_delay_seconds=0.2),
        )
        task = asyncio.create_task(dispatcher.run())
        try:
            yield dispatcher
        finally:
            dispatcher.stop()
            await asyncio.wait([task], timeout=10)


async def recorded(db: Database, endpoint: Endpoint, count: int) -> None:
    """`count` deliveries due now, as the stream consumer records them."""
    now = utc_now()
    rows = []
    for _ in range(count):
        event_id = new_id("ev_")
        record_id = delivery_id(event_id, endpoint.endpoint_id)
        body = {"id": record_id, "type": "points.earned", "event_id": event_id, "data": {}}
        rows.append(
            {
                "_id": record_id,
                "tenant_id": endpoint.tenant_id,
                "endpoint_id": endpoint.endpoint_id,
                "event_id": event_id,
                "event_type": "points.earned",
                "occurred_at": now,
                "body": json.dumps(body),
                "status": PENDING,
                "attempts": 0,
                "next_at": now,
                "window_start": now,
                "created_at": now,
            }
        )
    await DeliveryStore(db["webhook_deliveries"]).record(rows)


async def test_the_slots_a_dead_gateway_held_come_back_when_their_lease_runs_out(
    gateway_mongo_url: str, redis_url: str
) -> None:
    limits = DispatchLimits(
        timeout_seconds=2.0,
        per_endpoint=PER_ENDPOINT,
        poll_seconds=0.1,
        loopback_allowed=True,
        slot_margin_seconds=1.0,
    )
    release = asyncio.Event()
    mongo: AsyncMongoClient[Any] = AsyncMongoClient(gateway_mongo_url)
    redis = make_redis(redis_url)
    db = mongo[f"gateway_test_{new_id()}"]
    lease = limits.slot_lease_seconds
    try:
        async with receiving(Receiver(holding(release, first=PER_ENDPOINT))) as receiver:
            endpoint = await EndpointStore(db["webhook_endpoints"]).create(
                new_tenant(), receiver.url, ["points.earned"]
            )
            receiver.secret = endpoint.secret
            await recorded(db, endpoint, 12)
            dead = DiesHoldingItsSlots(redis, limit=PER_ENDPOINT, lease_seconds=lease)
            async with dispatching(db, dead, limits):
                await eventually(lambda: receiver.open == PER_ENDPOINT, within=60)
                release.set()  # the process is gone: its requests end, its slots stay
            left_held = await redis.zcard(slots_key(endpoint.endpoint_id))

            alive = EndpointSlots(redis, limit=PER_ENDPOINT, lease_seconds=lease)
            async with dispatching(db, alive, limits):
                await eventually(lambda: len(receiver.handled) == 12, within=90)
    finally:
        await redis.aclose()
        await mongo.close()

    assert left_held == PER_ENDPOINT
    assert receiver.most_open == PER_ENDPOINT
    assert receiver.answered[200] == 12
