"""Cross-service fixtures: the member and points services over the session's servers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.integration.services_pair import Pair, services_pair


@pytest.fixture
async def pair(mongo_url: str, nats_url: str, redis_url: str) -> AsyncIterator[Pair]:
    async with services_pair({"mongo": mongo_url, "nats": nats_url, "redis": redis_url}) as found:
        yield found
