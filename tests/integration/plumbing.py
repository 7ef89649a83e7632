"""Stand-ins and stream set-up for the cross-service tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
import nats
from grpc import aio
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from libs.inbox import Subscription
from libs.nats import STREAM_NAME, ensure_stream
from loyalty.campaign.v1 import campaign_pb2


async def _no_bonus(
    request: campaign_pb2.EvaluateOrderRequest, context: Any
) -> campaign_pb2.EvaluateOrderResponse:
    return campaign_pb2.EvaluateOrderResponse()


# Only EvaluateOrder: every other call of the stand-in is UNIMPLEMENTED.
NO_CAMPAIGNS = grpc.method_handlers_generic_handler(
    campaign_pb2.DESCRIPTOR.services_by_name["CampaignService"].full_name,
    {
        "EvaluateOrder": grpc.unary_unary_rpc_method_handler(
            _no_bonus,
            request_deserializer=campaign_pb2.EvaluateOrderRequest.FromString,
            response_serializer=campaign_pb2.EvaluateOrderResponse.SerializeToString,
        )
    },
)


@asynccontextmanager
async def no_campaigns() -> AsyncIterator[str]:
    server = aio.server()
    server.add_generic_rpc_handlers((NO_CAMPAIGNS,))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(0)


async def consume_from_now(nats_url: str, *subscriptions: Subscription) -> None:
    """Start these durable consumers at the end of the stream, as on a fresh deployment.

    The session's stream holds every earlier test's events; a consumer left behind by an
    earlier test (or created now with its deliver-all policy) would first work through
    all of them, which is not what these tests time.
    """
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        await ensure_stream(js)
        for sub in subscriptions:
            with contextlib.suppress(NotFoundError):
                await js.delete_consumer(STREAM_NAME, sub.durable)
            config = ConsumerConfig(
                durable_name=sub.durable,
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.NEW,
                max_deliver=sub.max_deliver,
                ack_wait=sub.ack_wait_seconds,
                filter_subject=sub.filter_subject,
            )
            await js.add_consumer(STREAM_NAME, config=config)
    finally:
        await client.close()
