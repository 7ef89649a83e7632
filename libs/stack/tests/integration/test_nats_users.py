"""The stack's NATS server admits each process as its own user, who may publish only its
own events: the member service's or the gateway's credential cannot publish a points event."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from uuid import uuid4

import nats
import pytest
from nats.errors import Error as NatsError

from libs.nats import STREAM_NAME, NatsConnector, event_subject
from libs.stack.handle import ServerHandle
from libs.stack.nats_auth import NatsUsers, without_user
from libs.stack.servers import free_port, nats_server

PUBLISH_SECONDS = 1.0
Connect = Callable[[str], NatsConnector]


@pytest.fixture(scope="module")
def users() -> NatsUsers:
    return NatsUsers()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, users: NatsUsers) -> Iterator[ServerHandle]:
    root = tmp_path_factory.mktemp("nats-users")
    handle = nats_server(
        root / "nats", free_port(), free_port(), sink=None, timeout=30, users=users
    )
    handle.start()
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
async def connect(server: ServerHandle, users: NatsUsers) -> AsyncIterator[Connect]:
    opened: list[NatsConnector] = []

    def as_user(user: str) -> NatsConnector:
        connector = NatsConnector(
            without_user(server.url), user, credentials=users.credentials(user)
        )
        opened.append(connector)
        return connector

    yield as_user
    for connector in opened:
        await connector.close()


async def stored(server: ServerHandle, subject: str) -> int:
    """How many messages the stream holds on `subject`, read as the launcher."""
    client = await nats.connect(server.url)
    try:
        info = await client.jetstream().stream_info(STREAM_NAME, subjects_filter=subject)
    finally:
        await client.close()
    return sum((info.state.subjects or {}).values())


async def published(connector: NatsConnector, subject: str) -> bool:
    js = await connector.jetstream()
    try:
        await js.publish(subject, b"{}", timeout=PUBLISH_SECONDS)
    except (NatsError, TimeoutError):
        return False
    return True


async def test_each_service_publishes_its_own_events(
    connect: Connect, server: ServerHandle
) -> None:
    tenant = f"t{uuid4().hex[:8]}"
    for user, event_type in [
        ("member", "member.enrolled"),
        ("points", "points.earned"),
        ("campaign", "campaign.changed"),
        ("campaign", "coupon.issued"),
    ]:
        assert await published(connect(user), event_subject(tenant, event_type)), user

    assert await stored(server, f"loyalty.{tenant}.>") == 4


async def test_the_member_service_cannot_publish_a_points_event(
    connect: Connect, server: ServerHandle
) -> None:
    tenant = f"t{uuid4().hex[:8]}"
    member = connect("member")

    assert not await published(member, event_subject(tenant, "points.earned"))
    assert await published(member, event_subject(tenant, "member.merged"))
    assert await stored(server, f"loyalty.{tenant}.points.>") == 0


async def test_the_gateways_credential_cannot_publish_an_event(
    server: ServerHandle, users: NatsUsers
) -> None:
    tenant = f"t{uuid4().hex[:8]}"
    user, password = users.credentials("gateway")
    client = await nats.connect(without_user(server.url), user=user, password=password)
    try:
        await client.publish(event_subject(tenant, "points.earned"), b"{}")
        await client.publish(event_subject(tenant, "member.merged"), b"{}")
        await client.flush()
    finally:
        await client.close()

    assert await stored(server, f"loyalty.{tenant}.>") == 0


async def test_a_wrong_password_is_refused(server: ServerHandle) -> None:
    with pytest.raises(NatsError):
        await nats.connect(
            without_user(server.url),
            user="points",
            password="guessed",
            allow_reconnect=False,
            connect_timeout=2,
            max_reconnect_attempts=0,
        )


def test_the_handle_url_carries_the_launchers_user_and_the_apps_get_the_bare_address(
    server: ServerHandle,
) -> None:
    assert "launcher:" in server.url
    assert "@" not in without_user(server.url)
