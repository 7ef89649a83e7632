"""The gateway app against a real MongoDB-protocol server and fake gRPC services."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from gateway.settings import GatewaySettings
from gateway.tests.integration.fakes import FakeServices, start_fake_services
from gateway.tests.integration.servers import run_secantus
from gateway.tests.integration.support import Gateway, SettingsFactory, running_gateway
from libs.ids import new_id
from libs.nats import NatsConnector


@pytest.fixture(scope="session")
def gateway_mongo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The root conftest's `mongo_url` when there is one, else a server of our own."""
    try:
        shared: str = request.getfixturevalue("mongo_url")
    except pytest.FixtureLookupError:
        with run_secantus(tmp_path_factory.mktemp("gateway-mongo")) as url:
            yield url
    else:
        yield shared


@pytest.fixture
async def services() -> AsyncIterator[FakeServices]:
    fakes = await start_fake_services()
    yield fakes
    await fakes.stop()


@pytest.fixture
def make_settings(gateway_mongo_url: str, services: FakeServices) -> SettingsFactory:
    def make(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "mongo_url": gateway_mongo_url,
            "redis_url": "redis://127.0.0.1:1",
            "nats_url": "nats://127.0.0.1:1",
            "member_addr": services.address,
            "points_addr": services.address,
            "campaign_addr": services.address,
            "mongo_db": f"gateway_test_{new_id()}",
            "log_format": "console",
            # the webhook tests start it; the others need no consumer of a stream
            "webhook_worker": False,
            "timeline_worker": False,
            **overrides,
        }
        return GatewaySettings(**values)

    return make


@pytest.fixture
async def gateway(make_settings: SettingsFactory) -> AsyncIterator[Gateway]:
    async with running_gateway(make_settings()) as running:
        yield running


@pytest.fixture
async def stream(nats_url: str) -> AsyncIterator[NatsConnector]:
    """The platform's stream, to put events on as the services' outbox relays do
    (gateway.tests.integration.stream.publish)."""
    connector = NatsConnector(nats_url, "gateway-stream-tests")
    yield connector
    await connector.close()
