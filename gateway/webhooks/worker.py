"""The webhook worker of a gateway process: the stream consumer that records deliveries
and the dispatcher that sends them, started and stopped with the app (docs/webhooks.md
says why they run in the gateway rather than a process of their own)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from redis.asyncio import Redis

from gateway.settings import GatewaySettings
from gateway.webhooks.deliveries import DeliveryStore
from gateway.webhooks.dispatcher import Dispatcher, DispatchLimits
from gateway.webhooks.enabled_cache import enabled_endpoints_of
from gateway.webhooks.endpoints import EndpointStore
from gateway.webhooks.recorder import webhook_consumer
from gateway.webhooks.schedule import RetryPolicy
from gateway.webhooks.slots import EndpointSlots
from libs.mongo import Database
from libs.nats import NatsConnector


def endpoint_store(db: Database) -> EndpointStore:
    """The endpoints, with the process's cache of enabled ones (shared with the routes,
    whose changes clear it)."""
    return EndpointStore(db["webhook_endpoints"], enabled_endpoints_of(db.name))


def delivery_store(db: Database) -> DeliveryStore:
    return DeliveryStore(db["webhook_deliveries"])


def dispatch_limits(settings: GatewaySettings) -> DispatchLimits:
    return DispatchLimits(
        timeout_seconds=settings.webhook_timeout_seconds,
        per_endpoint=settings.webhook_endpoint_concurrency,
        in_flight=settings.webhook_max_in_flight,
        loopback_allowed=settings.webhook_loopback_allowed,
    )


def retry_policy(settings: GatewaySettings) -> RetryPolicy:
    return RetryPolicy(
        first_delay_seconds=settings.webhook_retry_first_seconds,
        window_seconds=settings.webhook_retry_window_hours * 3600,
    )


def endpoint_slots(redis: Redis, limits: DispatchLimits) -> EndpointSlots:
    return EndpointSlots(redis, limit=limits.per_endpoint, lease_seconds=limits.slot_lease_seconds)


@asynccontextmanager
async def running_webhooks(
    settings: GatewaySettings, db: Database, redis: Redis
) -> AsyncIterator[None]:
    endpoints, deliveries = endpoint_store(db), delivery_store(db)
    await endpoints.ensure_indexes()
    await deliveries.ensure_indexes()
    if not settings.webhook_worker:
        yield
        return
    connector = NatsConnector(
        settings.nats_url,
        "gateway-webhooks",
        stream_replicas=settings.nats_stream_replicas,
        credentials=settings.nats_credentials,
    )
    limits = dispatch_limits(settings)
    pool = httpx.Limits(max_connections=limits.in_flight, max_keepalive_connections=16)
    async with httpx.AsyncClient(follow_redirects=False, limits=pool) as client:
        consumer = webhook_consumer(connector, endpoints, deliveries)
        dispatcher = Dispatcher(
            endpoints,
            deliveries,
            client,
            endpoint_slots(redis, limits),
            limits=limits,
            policy=retry_policy(settings),
        )
        tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(dispatcher.run())]
        try:
            yield
        finally:
            consumer.stop()
            dispatcher.stop()
            await asyncio.wait(tasks, timeout=settings.shutdown_grace_seconds)
            await connector.close()
