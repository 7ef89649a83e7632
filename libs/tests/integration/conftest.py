"""Clients of the session's real servers, and a fresh database and tenant per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import nats
import pytest
from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient, make_client
from libs.nats import NatsConnector, ensure_stream
from libs.tests.integration.support import random_name


@pytest.fixture
async def mongo(mongo_url: str) -> AsyncIterator[MongoClient]:
    client = make_client(mongo_url, app_name="libs-tests")
    yield client
    await client.close()


@pytest.fixture
def db(mongo: MongoClient) -> Database:
    return mongo[random_name()]


@pytest.fixture
def tenant() -> str:
    return random_name()


@pytest.fixture
async def connector(nats_url: str) -> AsyncIterator[NatsConnector]:
    """The connector under test, as a service process holds it."""
    nats_connector = NatsConnector(nats_url, "libs-tests")
    yield nats_connector
    await nats_connector.close()


@pytest.fixture
async def observer(nats_url: str) -> AsyncIterator[JetStreamContext]:
    """A separate connection through which tests look at the stream and publish to it."""
    client = await nats.connect(nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    js = client.jetstream(timeout=5.0)
    await ensure_stream(js)
    yield js
    await client.close()
