"""Under the launcher (`make run`), the services answer only callers with a certificate
from the stack's own CA, each process's NATS user publishes only its own events, and each
process's MongoDB user reads and writes only its own database."""

from __future__ import annotations

from uuid import uuid4

import grpc
import nats
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from nats.errors import Error as NatsError
from pymongo import AsyncMongoClient
from pymongo.errors import OperationFailure

from libs.grpc.client import make_channel
from libs.nats import STREAM_NAME, event_subject
from libs.stack.mongo_auth import OWN_DATABASES
from libs.stack.nats_auth import without_user
from libs.stack.platform import Stack

SERVING = health_pb2.HealthCheckResponse.SERVING


async def health(channel: aio.Channel) -> int:
    reply = await health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(), timeout=3.0
    )
    return int(reply.status)


@pytest.mark.parametrize("service", ["member", "points", "campaign", "analytics"])
async def test_each_service_answers_the_launchers_certificate_and_refuses_plaintext(
    platform_stack: Stack, service: str
) -> None:
    addr = platform_stack.addrs[service]
    async with make_channel(addr, tls=platform_stack.tls["launcher"]) as channel:
        assert await health(channel) == SERVING

    async with make_channel(addr) as plaintext:
        with pytest.raises(aio.AioRpcError) as refusal:
            await health(plaintext)
    assert refusal.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_a_caller_that_trusts_the_ca_but_shows_no_certificate_is_refused(
    platform_stack: Stack,
) -> None:
    ca = platform_stack.tls["launcher"].ca.read_bytes()
    credentials = grpc.ssl_channel_credentials(root_certificates=ca)
    async with aio.secure_channel(platform_stack.addrs["points"], credentials) as channel:
        with pytest.raises(aio.AioRpcError) as refusal:
            await health(channel)
    assert refusal.value.code() == grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize("process", ["member", "analytics", "gateway"])
async def test_the_member_analytics_and_gateway_nats_users_cannot_publish_a_points_event(
    platform_stack: Stack, process: str
) -> None:
    env = platform_stack.handle(process).env or {}
    tenant = f"t{uuid4().hex[:8]}"
    subject = event_subject(tenant, "points.earned")
    client = await nats.connect(
        without_user(platform_stack.urls["nats"]),
        user=env["NATS_USER"],
        password=env["NATS_PASSWORD"],
    )
    try:
        assert env["NATS_USER"] == process
        with pytest.raises((NatsError, TimeoutError)):
            await client.jetstream().publish(subject, b"{}", timeout=1.0)
    finally:
        await client.close()

    reader = await nats.connect(platform_stack.urls["nats"])
    try:
        info = await reader.jetstream().stream_info(STREAM_NAME, subjects_filter=subject)
    finally:
        await reader.close()
    assert not info.state.subjects


UNAUTHORIZED = 13


async def refused_read_and_write(url: str, database: str) -> tuple[int | None, int | None]:
    """The error codes of a read and of a write on `database` as the user `url` carries."""
    row_id = uuid4().hex
    codes: list[int | None] = []
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=5000
    )
    try:
        for attempt in (
            client[database].members.find_one(),
            client[database].outbox.insert_one({"_id": row_id}),
        ):
            try:
                await attempt
                codes.append(None)
            except OperationFailure as error:
                codes.append(error.code)
    finally:
        await client.close()
    return codes[0], codes[1]


@pytest.mark.parametrize(
    ("process", "other"),
    [
        ("member", "points"),
        ("points", "member"),
        ("campaign", "points"),
        ("gateway", "member"),
        ("analytics", "points"),
    ],
)
async def test_each_processs_mongo_user_is_refused_on_another_processs_database(
    platform_stack: Stack, process: str, other: str
) -> None:
    url = (platform_stack.handle(process).env or {})["MONGO_URL"]
    assert url.startswith(f"mongodb://{process}:")

    assert await refused_read_and_write(url, OWN_DATABASES[other]) == (
        UNAUTHORIZED,
        UNAUTHORIZED,
    )


async def test_a_mongo_connection_without_credentials_is_refused(platform_stack: Stack) -> None:
    bare = without_user(platform_stack.urls["mongo"])
    for database in OWN_DATABASES.values():
        assert await refused_read_and_write(bare, database) == (UNAUTHORIZED, UNAUTHORIZED)


async def test_the_launchers_mongo_user_reads_every_processs_database(
    platform_stack: Stack,
) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(platform_stack.urls["mongo"])
    try:
        names = set(await client.list_database_names())
        assert "opcounters" in await client.admin.command("serverStatus")
    finally:
        await client.close()
    # The seeded stack has written to the gateway's and the member service's databases.
    assert {OWN_DATABASES["gateway"], OWN_DATABASES["member"]} <= names
